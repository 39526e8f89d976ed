"""The report model as a value: hashable, versioned, strict to build and tolerant to read."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

import jppint
from jppint.results import SCHEMA_VERSION, Finding, LayerResult, ValidationReport

DATA = Path(__file__).parent / "schematron" / "data"
INVOICE = DATA / "invoice.xml"
RULES = [DATA / "features.sch"]


def a_finding(**changes: object) -> Finding:
    fields: dict[str, object] = {
        "rule_id": "jp-br-01",
        "severity": "fatal",
        "message": "Missing",
        "messages": {"en": "Missing", "ja": "ありません"},
        "location": "/Invoice",
        "test": "cbc:ID",
        "kind": "assert",
        "source": "jp.sch#model",
        **changes,
    }
    return Finding.model_validate(fields)


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    return jppint.validate(INVOICE, schematron=RULES)


def test_equal_findings_hash_equal_whatever_the_order_of_their_messages() -> None:
    first = a_finding()
    second = a_finding(messages={"ja": "ありません", "en": "Missing"})
    assert first == second
    assert hash(first) == hash(second)


def test_a_finding_copied_with_a_new_dict_still_hashes() -> None:
    # model_copy(update=...) does not validate: the catalogue puts plain dicts in this way.
    finding = a_finding().model_copy(update={"messages": {"en": "Missing", "ja": "ありません"}})
    assert hash(finding) == hash(a_finding())


def test_findings_in_a_set_keep_one_of_each() -> None:
    findings = {a_finding(), a_finding(), a_finding(line=3), a_finding(messages={"en": "other"})}
    assert len(findings) == 3


def test_findings_differing_only_in_their_messages_hash_apart() -> None:
    assert hash(a_finding()) != hash(a_finding(messages={"en": "other"}))


def test_reports_and_layers_are_hashable(report: ValidationReport) -> None:
    assert {report, report.model_copy()} == {report}
    assert hash(report.layers[0]) == hash(LayerResult.model_validate(report.layers[0].model_dump()))
    assert {finding: True for finding in report.findings}


def test_a_report_read_back_from_json_hashes_as_the_original(report: ValidationReport) -> None:
    again = ValidationReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert hash(again) == hash(report)
    assert hash(pickle.loads(pickle.dumps(report))) == hash(report)


def test_the_report_json_states_its_schema_version(report: ValidationReport) -> None:
    assert json.loads(report.model_dump_json())["schema_version"] == SCHEMA_VERSION == 1
    assert report.model_dump()["schema_version"] == 1


def test_reading_ignores_fields_added_by_a_later_version(report: ValidationReport) -> None:
    data = report.model_dump(mode="json")
    data["added_later"] = {"any": "thing"}
    data["findings"][0]["also_added"] = 1
    data["layers"][0]["new_count"] = 2
    assert ValidationReport.model_validate(data) == report
    assert ValidationReport.model_validate_json(json.dumps(data)) == report


def test_reading_refuses_unknown_fields_when_asked(report: ValidationReport) -> None:
    data = {**report.model_dump(mode="json"), "added_later": 1}
    with pytest.raises(ValidationError, match="added_later"):
        ValidationReport.model_validate(data, extra="forbid")


def test_building_refuses_a_misspelt_field() -> None:
    with pytest.raises(ValidationError, match="rule_idd"):
        Finding(**{**a_finding().model_dump(), "rule_idd": "x"})
    with pytest.raises(ValidationError, match="sourse"):
        ValidationReport.build(findings=[], document_type="Invoice", sourse="a.xml")


def test_reading_refuses_another_schema_version(report: ValidationReport) -> None:
    # A new schema_version may remove or change fields: reading it as this one would be a guess.
    data = {**report.model_dump(mode="json"), "schema_version": 2}
    with pytest.raises(ValidationError, match="schema_version"):
        ValidationReport.model_validate(data)
