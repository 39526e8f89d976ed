"""Which findings fail a document: advice only when asked, whatever --fail-on says; the rules as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

import jppint
from jppint.reporters import render_reports
from jppint.reporters.batch_result import BatchResult, fails, fails_on
from jppint.results import Finding, ValidationReport

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
INVOICE = (SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml").read_bytes()


def _finding(layer: str, severity: str) -> Finding:
    return Finding.model_validate(
        {"rule_id": "r", "layer": layer, "severity": severity, "message": "m", "location": "/", "test": "",
         "kind": "report", "source": "s"}
    )  # fmt: skip


@pytest.fixture(scope="module")
def advised() -> ValidationReport:
    """A valid invoice whose only finding is advice: the seller's registration number has a wrong check digit."""
    mistyped = INVOICE.replace(b"<cbc:CompanyID>T7645801988294<", b"<cbc:CompanyID>T1645801988294<", 1)
    report = jppint.validate(mistyped, source_name="mistyped.xml")
    assert report.valid and [finding.layer for finding in report.findings] == ["advice"]
    return report


@pytest.mark.parametrize(
    ("layer", "severity", "fail_on", "advice", "expected"),
    [
        ("rules", "fatal", "fatal", False, True),
        ("rules", "warning", "fatal", False, False),
        ("rules", "warning", "warning", False, True),
        ("schema", "fatal", "fatal", False, True),
        ("rules", "information", "warning", True, False),
        ("advice", "warning", "fatal", False, False),
        ("advice", "warning", "warning", False, False),
        ("advice", "warning", "fatal", True, True),
        ("advice", "warning", "warning", True, True),
        ("advice", "fatal", "fatal", True, True),
        ("advice", "information", "warning", True, False),
    ],
)
def test_which_findings_fail_a_document(layer: str, severity: str, fail_on: str, advice: bool, expected: bool) -> None:
    assert fails_on(_finding(layer, severity), fail_on, advice=advice) is expected  # type: ignore[arg-type]


def test_advice_fails_a_document_only_when_asked(advised: ValidationReport) -> None:
    assert not fails(advised, "fatal") and not fails(advised, "warning")
    assert fails(advised, "fatal", advice=True)
    batch = BatchResult.of_reports([advised], fail_on="warning")
    assert batch.count("valid") == 1
    assert BatchResult.of_reports([advised], fail_on_advice=True).count("invalid") == 1


def test_rendered_reports_fail_on_advice_when_asked(advised: ValidationReport) -> None:
    assert json.loads(render_reports([advised], "json"))["files"][0]["status"] == "valid"
    failing = json.loads(render_reports([advised], "json", fail_on_advice=True))["files"][0]
    assert failing["status"] == "invalid" and failing["report"]["valid"] is True, "the verdict itself is unchanged"


def test_junit_lists_advice_as_the_failure_only_when_asked(advised: ValidationReport) -> None:
    passing = etree.fromstring(render_reports([advised], "junit").encode())
    assert passing.find(".//failure") is None
    assert "[advice] advice-registration-number-check-digit" in passing.findtext(".//system-out")
    failing = etree.fromstring(render_reports([advised], "junit", fail_on_advice=True).encode())
    assert "[advice] advice-registration-number-check-digit" in failing.findtext(".//failure")
    assert failing.find(".//system-out") is None and failing.get("failures") == "1"
