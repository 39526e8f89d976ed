"""ISO Schematron properties: a failed assertion's values, structured in `Finding.values`."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.errors import SchematronError

DATA = Path(__file__).parent / "data"
INVOICE = DATA / "invoice.xml"


def _findings(schematron: Path) -> list[jppint.Finding]:
    return list(jppint.validate(INVOICE, schematron=[schematron], schema=False, advice=False).findings)


def test_each_property_is_a_value_named_by_its_role_or_else_its_id() -> None:
    fixed = [f for f in _findings(DATA / "properties.sch") if f.rule_id == "line-id-fixed-text"]
    assert [f.values for f in fixed] == [
        {"found": "1", "doubled": "0", "line-count": "2", "unreadable": ""},
        {"found": "2", "doubled": "2", "line-count": "2", "unreadable": ""},
    ]
    assert {f.message for f in fixed} == {"No line has this identifier."}


def test_properties_follow_the_message_and_the_diagnostics() -> None:
    computed = [f for f in _findings(DATA / "properties.sch") if f.rule_id == "line-id-computed-text"]
    assert [(f.message, f.diagnostics, f.values) for f in computed] == [
        ("Line 1.", ("Diagnostic of line 1.",), {"found": "1"}),
        ("Line 2.", ("Diagnostic of line 2.",), {"found": "2"}),
    ]


def test_a_property_is_evaluated_only_when_its_assertion_fails() -> None:
    findings = _findings(DATA / "properties.sch")
    assert not [f for f in findings if f.rule_id == "never-fails" or f.kind == "error"]


def test_a_property_that_cannot_be_computed_is_empty_and_the_failure_stays_a_failure() -> None:
    failures = [f for f in _findings(DATA / "properties.sch") if f.rule_id == "line-id-fixed-text"]
    assert [f.kind for f in failures] == ["assert", "assert"]
    assert [f.values["unreadable"] for f in failures] == ["", ""]  # xs:decimal("INV-1") raises


def test_an_assertion_naming_an_unknown_property_is_a_schematron_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sch"
    broken.write_text(
        (DATA / "properties.sch").read_text(encoding="utf-8").replace('properties="line-id"', 'properties="nope"'),
        encoding="utf-8",
    )
    with pytest.raises(SchematronError, match="unknown property 'nope'"):
        _findings(broken)
