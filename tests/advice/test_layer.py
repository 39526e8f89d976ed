"""The advice layer: after the rules, never deciding `valid`, off when asked, skipped with the rules, bounded."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest

import jppint
from jppint.advice import CHECKS, advice_layer
from jppint.advice.catalogue import advice_rules, catalogue_file
from jppint.advice.layer import TOO_MANY_ID
from jppint.catalogue import all_rules
from jppint.results import LayerResult

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXPECTED = tomllib.loads((Path(__file__).parent / "data" / "samples.toml").read_text(encoding="utf-8"))
INVOICE = (SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml").read_bytes()
JAPANESE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]")


def _with_advice(document: bytes = INVOICE) -> bytes:
    """The sample with two pieces of advice: a mistyped seller's registration number and a yen total with decimals."""
    document = document.replace(b"<cbc:CompanyID>T7645801988294<", b"<cbc:CompanyID>T1645801988294<", 1)
    return document.replace(b'"JPY">5603<', b'"JPY">5603.00<', 1)


# --- advice and the verdict ---


def test_advice_runs_after_the_rules_and_never_makes_a_document_invalid() -> None:
    report = jppint.validate(_with_advice())
    assert [(layer.layer, layer.status) for layer in report.layers] == [
        ("schema", "passed"),
        ("rules", "passed"),
        ("advice", "passed"),
    ]
    assert report.valid and jppint.is_valid(_with_advice())
    assert report.counts == {"fatal": 0, "warning": 2, "information": 0}
    advice = report.layers[2]
    assert advice.counts == {"fatal": 0, "warning": 2, "information": 0}
    assert advice.artefacts == tuple(CHECKS) and advice.elapsed_ms >= 0
    assert [finding.layer for finding in report.findings] == ["advice", "advice"]


def test_advice_false_leaves_the_layer_out() -> None:
    for report in (
        jppint.validate(_with_advice(), advice=False),
        jppint.Validator(advice=False).validate(_with_advice()),
    ):
        assert [layer.layer for layer in report.layers] == ["schema", "rules"]
        assert not report.findings and report.valid


def test_advice_is_skipped_when_the_rules_stopped_after_schema_errors() -> None:
    broken = _with_advice().replace(b"<cbc:IssueDate>2026-04-15<", b"<cbc:IssueDate>2026-04-31<", 1)
    stopped = jppint.validate(broken, stop_on_schema_error=True)
    rules, advice = stopped.layers[1:]
    assert (advice.layer, advice.status, advice.reason) == ("advice", "skipped", rules.reason)
    assert advice.artefacts == tuple(CHECKS)
    assert {finding.layer for finding in stopped.findings} == {"schema"}
    full = jppint.validate(broken)
    assert [finding.rule_id for finding in full.findings if finding.layer == "advice"] == list(CHECKS)


def test_advice_runs_without_the_schema_layer() -> None:
    report = jppint.validate(_with_advice(), schema=False)
    assert [layer.layer for layer in report.layers] == ["rules", "advice"] and len(report.findings) == 2


def test_past_the_limit_advice_is_counted_not_listed() -> None:
    document = jppint.read_document(_with_advice())
    passed = LayerResult.of("rules", [], artefacts=("jp.sch",), elapsed_ms=0)
    findings, layer = advice_layer(document, [], passed, lang="ja", limit=1)
    assert [finding.rule_id for finding in findings] == [next(iter(CHECKS)), TOO_MANY_ID]
    more = findings[1]
    assert (more.layer, more.severity, more.location, more.line) == ("advice", "warning", "/", None)
    assert more.message == "ほかに 1 件の助言があります（報告の上限 max_findings に達したため省略）。"
    assert more.messages["en"].startswith("1 more advice findings are not listed")
    assert layer.counts["warning"] == 2
    none_listed, _ = advice_layer(document, [], passed, lang="en", limit=0)
    assert [finding.rule_id for finding in none_listed] == [TOO_MANY_ID] and "2 more" in none_listed[0].message


def test_max_findings_bounds_advice_too() -> None:
    report = jppint.validate(_with_advice(), max_findings=1)
    assert [finding.rule_id for finding in report.findings] == [next(iter(CHECKS)), TOO_MANY_ID]


# --- our samples ---


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.glob("*/*/*.xml")), ids=lambda path: path.relative_to(SAMPLES).as_posix()
)
def test_each_sample_gets_the_advice_recorded_for_it(path: Path) -> None:
    name = path.relative_to(SAMPLES).as_posix()
    report = jppint.validate(path)
    found = [(finding.rule_id, finding.location) for finding in report.findings if finding.layer == "advice"]
    assert found == [(entry["rule_id"], entry["location"]) for entry in EXPECTED.get(name, [])]
    assert not name.startswith("valid/") or not found, "a valid sample gets no advice"


def test_the_recorded_advice_names_existing_samples() -> None:
    assert all((SAMPLES / name).is_file() for name in EXPECTED)


# --- the catalogue ---


def test_every_check_has_its_catalogue_entry_and_every_entry_its_check() -> None:
    assert set(advice_rules()) == {*CHECKS, TOO_MANY_ID}


def test_rules_list_includes_advice_with_its_layer() -> None:
    rules = all_rules()
    for rule_id, rule in advice_rules().items():
        entry = rules[rule_id]
        assert (entry.layer, entry.flag) == ("advice", "warning")
        assert entry.messages == rule.descriptions and set(entry.specs) == {"jp", "jp-sb", "jp-ntr"}


@pytest.mark.parametrize("rule_id", sorted(advice_rules()))
def test_texts_are_english_and_japanese_with_the_same_placeholders(rule_id: str) -> None:
    facts = advice_rules()[rule_id].facts
    english_keys = sorted(key for key in facts if key == "en" or key.startswith("en-"))
    assert english_keys and all(f"ja{key[2:]}" in facts for key in english_keys), catalogue_file()
    for key in english_keys:
        english, japanese = facts[key], facts[f"ja{key[2:]}"]
        assert not JAPANESE.search(english) and JAPANESE.search(japanese), key
        assert _placeholders(english) == _placeholders(japanese), key
        if key.startswith("en-finding") and rule_id != TOO_MANY_ID:
            assert "advice" in english + facts.get("why", {}).get("en", ""), f"{key} must say why it is advice"
            assert "助言" in japanese + facts.get("why", {}).get("ja", ""), f"{key} must say why it is advice"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
