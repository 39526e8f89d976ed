"""An application writes SARIF, JUnit, SVRL or text from its own reports, without the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

import jppint
from jppint.reporters import render_reports

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
VALID = SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml"
INVALID = SAMPLES / "invalid" / "jp" / "totals-do-not-add-up.xml"


@pytest.fixture(scope="module")
def reports() -> list[jppint.ValidationReport]:
    in_memory = jppint.validate(INVALID.read_bytes(), source_name="upload-17.xml")
    return [jppint.validate(VALID), jppint.validate(INVALID), in_memory]


def test_sarif_from_reports(reports: list[jppint.ValidationReport]) -> None:
    sarif = json.loads(render_reports(reports, "sarif", working_directory=SAMPLES.parent))
    results = sarif["runs"][0]["results"]
    assert {result["ruleId"] for result in results} == {"ibr-co-13"}
    uris = [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results]
    assert uris == ["samples/invalid/jp/totals-do-not-add-up.xml", "upload-17.xml"]
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["layer"] == "rules"


def test_junit_svrl_json_and_text_from_reports(reports: list[jppint.ValidationReport]) -> None:
    junit = etree.fromstring(render_reports(reports, "junit").encode("utf-8"))
    assert junit.get("tests") == "3" and junit.get("failures") == "2"
    svrl = etree.fromstring(render_reports(reports, "svrl").encode("utf-8"))
    assert len(svrl) == 3
    document = json.loads(render_reports(reports, "json"))
    assert [entry["status"] for entry in document["files"]] == ["valid", "invalid", "invalid"]
    text = render_reports(reports, "text", lang="ja")
    assert "upload-17.xml: 不適合" in text and "| <cac:LegalMonetaryTotal>" in text


def test_unknown_format_or_language_is_a_value_error(reports: list[jppint.ValidationReport]) -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        render_reports(reports, "pdf")
    with pytest.raises(ValueError, match="lang must be one of"):
        render_reports(reports, "text", lang="jp")  # type: ignore[arg-type]
