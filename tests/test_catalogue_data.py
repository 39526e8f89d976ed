"""The rule catalogue rules/jp-pint-1.1.3/catalogue.toml: well-formed, and complete against the official rules."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CATALOGUE = REPOSITORY / "rules" / "jp-pint-1.1.3" / "catalogue.toml"
OFFICIAL = REPOSITORY.parent / "shared" / "official"
OFFICIAL_RELEASE = OFFICIAL / "pint-jp-1.1.3"
OFFICIAL_FILES = ("PINT-UBL-validation-preprocessed.sch", "PINT-jurisdiction-aligned-rules.sch")
SPECS = ("jp", "jp-sb", "jp-ntr")

FIELDS = {"flag": str, "terms": list, "specs": list, "en": str, "ja": str}
# A rule that reports values has its value sentences, in both languages (jppint.values).
VALUE_FIELDS = {"en-values": str, "ja-values": str}
FLAGS = ("fatal", "warning", "information")
TERM = re.compile(r"^ib[tg]-\d+$")
JAPANESE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[^}]*\}|%[sd]")
SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"
# An en message must not reuse this many consecutive characters of the official message.
BORROWED_RUN = 60


@cache
def load_catalogue() -> dict[str, Any]:
    with CATALOGUE.open("rb") as stream:
        return tomllib.load(stream)


def rules() -> dict[str, dict[str, Any]]:
    return load_catalogue()["rules"]


def catalogue_ids(spec: str) -> set[str]:
    return {rule_id for rule_id, rule in rules().items() if spec in rule["specs"]}


@cache
def official_assertions(spec: str) -> dict[str, tuple[str, str]]:
    """Assertion id -> (flag, message) over the two official .sch files of a spec."""
    assertions: dict[str, tuple[str, str]] = {}
    for file_name in OFFICIAL_FILES:
        root = ElementTree.parse(OFFICIAL_RELEASE / spec / "schematron" / file_name).getroot()
        for kind in ("assert", "report"):
            for element in root.iter(f"{SCHEMATRON}{kind}"):
                assertion_id = element.get("id")
                assert assertion_id is not None, f"{spec}/{file_name}: an {kind} without id"
                assert assertion_id not in assertions, f"{spec}: {assertion_id} occurs twice"
                assertions[assertion_id] = (element.get("flag", ""), "".join(element.itertext()))
    return assertions


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def borrowed_run(message: str, official: str) -> str | None:
    """The first BORROWED_RUN-character run of `official` found in `message`, compared case/space-insensitively."""
    message, official = normalise(message), normalise(official)
    for start in range(len(official) - BORROWED_RUN + 1):
        run = official[start : start + BORROWED_RUN]
        if run in message:
            return run
    return None


@pytest.fixture
def official_release() -> Path:
    if not OFFICIAL_RELEASE.is_dir():
        pytest.skip(
            "../shared/official is absent: cannot compare the catalogue with the official JP PINT 1.1.3 Schematron"
        )
    return OFFICIAL_RELEASE


def test_catalogue_header() -> None:
    catalogue = load_catalogue()
    assert catalogue["schema-version"] == 1
    assert catalogue["rules-version"] == "1.1.3"
    assert set(catalogue) == {"schema-version", "rules-version", "rules"}


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_entry_has_every_field_with_its_type(rule_id: str) -> None:
    rule = rules()[rule_id]
    expected = {**FIELDS, **VALUE_FIELDS} if VALUE_FIELDS.keys() & rule.keys() else FIELDS
    assert set(rule) == set(expected), f"{rule_id}: fields {sorted(rule)}"
    for field, field_type in expected.items():
        assert isinstance(rule[field], field_type), f"{rule_id}: {field} is not a {field_type.__name__}"


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_flag_is_valid(rule_id: str) -> None:
    assert rules()[rule_id]["flag"] in FLAGS


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_terms_are_business_terms(rule_id: str) -> None:
    terms = rules()[rule_id]["terms"]
    assert all(isinstance(term, str) and TERM.match(term) for term in terms), terms
    assert len(set(terms)) == len(terms), f"duplicated term in {terms}"


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_specs_are_known(rule_id: str) -> None:
    specs = rules()[rule_id]["specs"]
    assert specs, "no spec"
    assert set(specs) <= set(SPECS), specs
    assert len(set(specs)) == len(specs), f"duplicated spec in {specs}"


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_messages_are_static_english_and_japanese(rule_id: str) -> None:
    rule = rules()[rule_id]
    english, japanese = rule["en"].strip(), rule["ja"].strip()
    assert english and japanese
    assert english != japanese
    assert JAPANESE.search(japanese), f"ja has no Japanese: {japanese!r}"
    assert not JAPANESE.search(english), f"en has Japanese: {english!r}"
    for message in (english, japanese):
        assert not PLACEHOLDER.search(message), f"placeholder in {message!r}"


@pytest.mark.parametrize("spec", SPECS)
def test_ids_equal_the_official_assertion_ids(official_release: Path, spec: str) -> None:
    official = set(official_assertions(spec))
    ours = catalogue_ids(spec)
    assert ours == official, f"missing: {sorted(official - ours)}; not official: {sorted(ours - official)}"


@pytest.mark.parametrize("spec", SPECS)
def test_flags_equal_the_official_flags(official_release: Path, spec: str) -> None:
    official = official_assertions(spec)
    differing = {
        rule_id: (rules()[rule_id]["flag"], official[rule_id][0])
        for rule_id in catalogue_ids(spec) & set(official)
        if rules()[rule_id]["flag"] != official[rule_id][0]
    }
    assert not differing, f"(ours, official): {differing}"


@pytest.mark.parametrize("spec", SPECS)
def test_english_messages_are_our_own(official_release: Path, spec: str) -> None:
    official = official_assertions(spec)
    borrowed: dict[str, str] = {}
    for rule_id in sorted(catalogue_ids(spec) & set(official)):
        english, official_message = rules()[rule_id]["en"], official[rule_id][1]
        if normalise(english) == normalise(official_message):
            borrowed[rule_id] = "the whole official message"
        elif run := borrowed_run(english, official_message):
            borrowed[rule_id] = run
    assert not borrowed, f"en reuses the official text: {borrowed}"
