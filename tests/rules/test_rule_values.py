"""Findings name the values: what the rule found and what it expected, in English and Japanese.

Every assertion of our rules that computes, compares, or checks a code or a
format reports its values (ISO Schematron properties, rules/jp-pint-1.1.3/
shared/properties.sch). A rule that computes or compares has a value
sentence in the catalogue, and one of its fixtures (tests/rules/fixtures)
says, per spec, which formatted values its message must show (`shows`) and
which raw values `Finding.values` holds (`values`). A code-list or format
rule reports the offending value, which must be the value its fixture wrote.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

import jppint
from jppint.catalogue import load_catalogue
from jppint.schematron import compile_schematron
from tests.rules.mutations import mutated
from tests.rules.test_rule_fixtures import FIXTURE_LIST, FIXTURES, ROOT, Fixture

# A test that computes, compares, or checks a code or a format; counting an element's occurrences is none of these.
CHECKS_A_VALUE = re.compile(
    r"sum\(|round\(|xs:decimal\(|xs:date\(|jpf:decimal\(|[<>]|number\(|floor\(|map:contains|matches\(|"
    r"string-length|castable|jpf:is-|starts-with|contains\(|= 'JPY'"
)
CARDINALITY = re.compile(r"^count\([^()]*(\([^()]*\)[^()]*)*\) le \d+$")
CANNOT_FIRE = {"aligned-ibrp-050-jp"}
SPECS = ("jp", "jp-sb", "jp-ntr")


def _assertions() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Rule id -> (test, keys of its values), over the built-in rule sets of every spec."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for spec in SPECS:
        path = ROOT / "rules" / "jp-pint-1.1.3" / f"{spec}.sch"
        for entry in compile_schematron(path).assertions:
            if entry.id:
                found.setdefault(entry.id, (" ".join(entry.test.split()), entry.values))
    return found


ASSERTIONS = _assertions()


def _computing(rule_id: str) -> bool:
    return bool(set(ASSERTIONS[rule_id][1]) - {"value", "currency"})


def _cases_showing() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            for spec in case.get("shows", {}):
                cases.append((path.name, spec, case))
    return cases


SHOWING = _cases_showing()


@pytest.mark.parametrize("rule_id", sorted(ASSERTIONS))
def test_a_rule_that_checks_a_value_reports_it(rule_id: str) -> None:
    test, keys = ASSERTIONS[rule_id]
    if CHECKS_A_VALUE.search(test) and not CARDINALITY.match(test):
        assert keys, f"{rule_id} computes, compares or checks a value but reports none: {test}"


def test_every_rule_that_computes_or_compares_has_a_value_sentence_and_a_fixture_showing_it() -> None:
    catalogue = load_catalogue()
    computing = {rule_id for rule_id in ASSERTIONS if _computing(rule_id)} - CANNOT_FIRE
    without_sentence = sorted(r for r in computing if set(catalogue[r].value_messages) != {"en", "ja"})
    assert not without_sentence, without_sentence
    shown = {case["rule"] for _, _, case in SHOWING}
    assert not sorted(computing - shown), f"rules without a fixture showing their values: {sorted(computing - shown)}"
    assert len(computing) >= 40


@pytest.mark.parametrize(
    ("file", "spec", "case"), SHOWING, ids=[f"{spec}:{case['rule']}:{file}" for file, spec, case in SHOWING]
)
def test_the_message_names_the_found_and_the_expected_value(file: str, spec: str, case: dict[str, Any]) -> None:
    bases = tomllib.loads((FIXTURES / "bases.toml").read_text(encoding="utf-8"))
    base = ROOT / case.get("base", bases[spec])
    document = mutated(base.read_bytes(), case.get("edits", []))
    findings = [f for f in jppint.validate(document, spec=spec).findings if f.rule_id == case["rule"]]
    assert findings, f"{case['rule']} does not fire"
    shows = case["shows"][spec]
    naming = [
        finding
        for finding in findings
        if all(text in finding.messages["en"] for text in shows["en"])
        and all(text in finding.messages["ja"] for text in shows["ja"])
    ]
    assert naming, [finding.messages for finding in findings]
    assert case["values"][spec].items() <= naming[0].values.items(), naming[0].values


def _written(fixture: Fixture) -> set[str]:
    return {" ".join(str(edit["value"]).split()) for edit in fixture.edits if "value" in edit}


VALUE_ONLY = [
    fixture
    for fixture in FIXTURE_LIST
    if fixture.rule in ASSERTIONS and "value" in ASSERTIONS[fixture.rule][1] and not _computing(fixture.rule)
]


@pytest.mark.parametrize("fixture", VALUE_ONLY, ids=lambda fixture: fixture.id)
def test_a_code_list_or_format_rule_names_the_offending_value(fixture: Fixture) -> None:
    document = mutated(fixture.base.read_bytes(), fixture.edits)
    findings = [f for f in jppint.validate(document, spec=fixture.spec).findings if f.rule_id == fixture.rule]
    assert findings
    for finding in findings:
        value = finding.values["value"]
        english, japanese = finding.messages["en"], finding.messages["ja"]
        if value.strip():
            assert f'"{value}"' in english and f"「{value}」" in japanese, finding.messages
        else:
            assert "no value" in english and "値が記載されていません" in japanese, finding.messages
    written = _written(fixture)
    if written:
        assert written & {" ".join(f.values["value"].split()) for f in findings}, (written, findings[0].values)


def test_value_only_rules_are_covered() -> None:
    assert len({fixture.rule for fixture in VALUE_ONLY}) >= 40
