"""JUnit XML: one testcase per input, for the test-report views of CI systems.

A file that fails (by `--fail-on`) has a `<failure>` listing its failing
findings; an input that could not be validated has an `<error>`; findings
below the threshold are kept in the testcase's `<system-out>`. The shape is
the common denominator GitLab, Jenkins, Azure DevOps and the GitHub
test-report actions read: `testsuites/testsuite/testcase`.
"""

from __future__ import annotations

import datetime

from lxml import etree

from jppint.reporters.batch_result import BatchResult, Outcome, fails_on
from jppint.reporters.common import ReportOptions, labels, severity_counts, sorted_findings, xml_text
from jppint.results import Finding


def render(batch: BatchResult, options: ReportOptions) -> str:
    summary = batch.summary()
    seconds = f"{batch.elapsed_seconds:.3f}"
    counts = {
        "tests": str(summary["files"]),
        "failures": str(summary["invalid"]),
        "errors": str(summary["errors"]),
        "skipped": "0",
        "time": seconds,
    }
    suites = etree.Element("testsuites", name="jppint", **counts)
    suite = etree.SubElement(
        suites,
        "testsuite",
        name="jppint validate",
        timestamp=datetime.datetime.now().replace(microsecond=0).isoformat(),
        **counts,
    )
    for outcome in batch.outcomes:
        _testcase(suite, outcome, batch, options)
    return bytes(etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)).decode("utf-8")


def _testcase(suite: etree._Element, outcome: Outcome, batch: BatchResult, options: ReportOptions) -> None:
    report = outcome.report
    spec = report.spec if report is not None and report.spec else "validate"
    seconds = f"{report.elapsed_ms / 1000:.3f}" if report is not None else "0.000"
    case = etree.SubElement(
        suite, "testcase", name=xml_text(outcome.label), classname=f"jppint.{spec}", file=xml_text(outcome.label)
    )
    case.set("time", seconds)
    if report is None:
        problem = outcome.problem
        error = etree.SubElement(case, "error", type="input error")
        error.set("message", xml_text(problem.reason if problem else "not validated"))
        error.text = xml_text(problem.describe() if problem else outcome.label)
        return
    failing: list[Finding] = []
    rest: list[Finding] = []
    for finding in sorted_findings(report.findings):
        (failing if fails_on(finding, batch.fail_on, advice=outcome.fail_on_advice) else rest).append(finding)
    if failing:
        failure = etree.SubElement(case, "failure", type="invalid")
        failure.set("message", xml_text(severity_counts(report.counts, options.lang, skip_zero=True)))
        failure.text = xml_text(_listing(failing, outcome.label, options))
    if rest:
        out = etree.SubElement(case, "system-out")
        out.text = xml_text(_listing(rest, outcome.label, options))


def _listing(findings: list[Finding], label: str, options: ReportOptions) -> str:
    words = labels(options.lang)
    lines = []
    for finding in findings:
        place = f"{label}:{finding.line}" if finding.line else label
        layer = f"[{words['layer_' + finding.layer]}] " if finding.layer != "rules" else ""
        lines.append(
            f"{words[finding.severity]} {layer}{finding.rule_id} {place} {finding.location}\n  {finding.message}"
        )
    return "\n".join(lines) + "\n"
