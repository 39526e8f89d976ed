"""SVRL (Schematron Validation Report Language) of each document.

For one document the output is one standard `svrl:schematron-output`.
When the run kept the rules' full SVRL (the command line asks for it with
`--format svrl`; see `Validator.svrl`), it is that, as the ISO skeleton
writes it: every active pattern, every `svrl:fired-rule`, each
`svrl:failed-assert` / `svrl:successful-report` with its diagnostic and
property references; the schema and advice layers' findings follow, each
layer as an `svrl:active-pattern` of its name. Otherwise (a dynamic error
stopped the rules, or a report from elsewhere) it is built from the
findings: a `svrl:failed-assert` per failed assertion (and per rule that
could not be evaluated), a `svrl:successful-report` per fired report, each
with @id, @flag, @role, @location (the canonical XPath, whose prefixes are
declared by `svrl:ns-prefix-in-attribute-values`), @test and `svrl:text`,
after the `svrl:active-pattern` of the pattern it comes from, and no
`svrl:fired-rule`, which findings do not record.

For several inputs (or one that could not be read) the outputs are wrapped,
in input order, in

    <jppint:svrl-reports xmlns:jppint="urn:jppint:svrl-reports">
      <jppint:document source="a.xml" status="valid"> <svrl:schematron-output .../> </jppint:document>
      <jppint:document source="b.xml" status="error" reason="not well-formed XML: ..."/>
    </jppint:svrl-reports>

so each `svrl:schematron-output` stays a standard report a tool can take out.
"""

from __future__ import annotations

from lxml import etree

from jppint.namespaces import LOCATION_PREFIXES
from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.reporters.common import ReportOptions, xml_text
from jppint.results import Finding, ValidationReport

SVRL = "http://purl.oclc.org/dsdl/svrl"
BATCH = "urn:jppint:svrl-reports"


def render(batch: BatchResult, options: ReportOptions) -> str:
    outcomes = batch.outcomes
    if len(outcomes) == 1 and outcomes[0].report is not None:
        root = _output_of(outcomes[0])
    else:
        root = etree.Element(f"{{{BATCH}}}svrl-reports", nsmap={"jppint": BATCH, "svrl": SVRL})
        for outcome in outcomes:
            root.append(_document(outcome, batch))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)).decode("utf-8")


def _document(outcome: Outcome, batch: BatchResult) -> etree._Element:
    element = etree.Element(f"{{{BATCH}}}document", nsmap={"jppint": BATCH})
    element.set("source", xml_text(outcome.label))
    element.set("status", outcome.status(batch.fail_on))
    if outcome.report is not None:
        element.append(_output_of(outcome))
    elif outcome.problem is not None:
        element.set("reason", xml_text(outcome.problem.reason))
        if outcome.problem.line is not None:
            element.set("line", str(outcome.problem.line))
    return element


def _output_of(outcome: Outcome) -> etree._Element:
    """The full SVRL of the rules when the run kept it, with the other layers' findings added; else from findings."""
    assert outcome.report is not None
    if outcome.svrl is None:
        return schematron_output(outcome.report)
    root = etree.fromstring(outcome.svrl.encode("utf-8"))
    _use_report_messages(root, outcome.report)
    if outcome.report.source:  # which document each pattern read, as the built-from-findings SVRL says
        for active in root.iterfind(f"{{{SVRL}}}active-pattern"):
            active.set("documents", xml_text(outcome.report.source))
    # Each other layer as a pattern of its own, in the order the layers ran: schema before the rules.
    first_pattern = root.find(f"{{{SVRL}}}active-pattern")
    for layer in ("schema", "advice"):
        findings = [finding for finding in outcome.report.findings if finding.layer == layer]
        if not findings:
            continue
        holder = etree.Element("holder")
        for source in dict.fromkeys(finding.source for finding in findings):
            pattern = etree.SubElement(holder, f"{{{SVRL}}}active-pattern", id=layer, name=xml_text(source))
            pattern.set("role", layer)
            if outcome.report.source:
                pattern.set("documents", xml_text(outcome.report.source))
            _findings(holder, [finding for finding in findings if finding.source == source])
        if layer == "schema" and first_pattern is not None:
            for element in holder:
                first_pattern.addprevious(element)
        else:
            root.extend(list(holder))
    return root


def _use_report_messages(root: etree._Element, report: ValidationReport) -> None:
    """Each assertion's `svrl:text` becomes its finding's message: the catalogue's, in the report's language."""
    messages: dict[tuple[str, str, str], list[str]] = {}
    for finding in report.findings:
        if finding.layer == "rules" and finding.kind in ("assert", "report"):
            messages.setdefault((finding.kind, finding.rule_id, finding.location), []).append(finding.message)
    for name, kind in (("failed-assert", "assert"), ("successful-report", "report")):
        for result in root.iterfind(f"{{{SVRL}}}{name}"):
            found = messages.get((kind, result.get("id", ""), result.get("location", "")))
            text = result.find(f"{{{SVRL}}}text")
            if found and text is not None:
                text.text = xml_text(found.pop(0))


def schematron_output(report: ValidationReport) -> etree._Element:
    """The SVRL of one document."""
    root = etree.Element(f"{{{SVRL}}}schematron-output", nsmap={"svrl": SVRL})
    root.set("title", f"jppint: {report.spec or 'Schematron'} {report.spec_version or ''}".strip())
    root.set("schemaVersion", "iso")
    phases = {rule_set.phase for rule_set in report.rule_sets if rule_set.phase}
    if len(phases) == 1:
        root.set("phase", phases.pop())
    for uri, prefix in LOCATION_PREFIXES.items():
        etree.SubElement(root, f"{{{SVRL}}}ns-prefix-in-attribute-values", uri=uri, prefix=prefix)
    by_pattern: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_pattern.setdefault(finding.source, []).append(finding)
    for source, findings in by_pattern.items():
        pattern = etree.SubElement(root, f"{{{SVRL}}}active-pattern", name=xml_text(source))
        if "#" in source:
            pattern.set("id", xml_text(source.partition("#")[2]))
        elif findings[0].layer != "rules":
            # Findings of the schema layer come from an XSD, not a pattern: the pattern says which layer.
            pattern.set("id", findings[0].layer)
            pattern.set("role", findings[0].layer)
        if report.source:
            pattern.set("documents", xml_text(report.source))
        _findings(root, findings)
    return root


def _findings(root: etree._Element, findings: list[Finding]) -> None:
    for finding in findings:
        name = "successful-report" if finding.kind == "report" else "failed-assert"
        element = etree.SubElement(root, f"{{{SVRL}}}{name}")
        element.set("id", xml_text(finding.rule_id))
        if finding.flag:
            element.set("flag", xml_text(finding.flag))
        if finding.role:
            element.set("role", xml_text(finding.role))
        element.set("location", xml_text(finding.location))
        element.set("test", xml_text(finding.test))
        text = etree.SubElement(element, f"{{{SVRL}}}text")
        text.text = xml_text(finding.message)
