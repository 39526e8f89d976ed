"""The report people read: a status line per file, its findings, then a summary.

    invoices/bad.xml: invalid: 1 fatal (Invoice 157, jp)
      fatal  ibr-024  invoices/bad.xml:57  /ubl:Invoice[1]/cac:InvoiceLine[2]
          An invoice line has no line amount. Add cbc:LineExtensionAmount (...).
          57 | <cac:InvoiceLine>

    files: 1, valid: 0, invalid: 1, errors: 0 | findings: 1 fatal, 0 warning, 0 information | 0.31 s

Findings are listed in the order of the document, each with the line it
points at quoted from the source, so a reader needs no other tool to see
what is wrong and where.
"""

from __future__ import annotations

from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.reporters.common import ReportOptions, labels, severity_counts, sorted_findings, source_lines, tag_start
from jppint.results import Finding

_QUOTE_LIMIT = 160
_ALSO_AT_LIMIT = 20
_INDENT = "      "
_COLOURS = {
    "valid": "32",  # green
    "invalid": "31;1",  # bold red
    "error": "35;1",  # bold magenta
    "fatal": "31",
    "warning": "33",
    "information": "36",
    "dim": "2",
}


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled:
            return text
        return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m"


def render(batch: BatchResult, options: ReportOptions) -> str:
    paint = _Painter(options.colour)
    lines: list[str] = []
    if not options.quiet:
        for outcome in batch.outcomes:
            lines.extend(_outcome_lines(outcome, batch, options, paint))
        if lines:
            lines.append("")
    lines.append(summary_line(batch, options, paint))
    return "\n".join(lines) + "\n"


def summary_line(batch: BatchResult, options: ReportOptions, paint: _Painter | None = None) -> str:
    """`files: 3, valid: 1, invalid: 1, errors: 1 | findings: 2 fatal, ... | 0.42 s`.

    In Japanese: `3件中 1件 適合、1件 不適合、1件 検証不能 | 指摘: エラー 2件、... | 0.42 秒`
    (the words and their order come from labels.toml).
    """
    paint = paint or _Painter(False)
    words = labels(options.lang)
    summary = batch.summary()
    counted = [
        paint(words["status_count"].format(label=words[label], number=number), style)
        if number
        else words["status_count"].format(label=words[label], number=0)
        for label, style, number in (
            ("valid", "valid", summary["valid"]),
            ("invalid", "invalid", summary["invalid"]),
            ("errors", "error", summary["errors"]),
        )
    ]
    statuses = words["files_count"].format(number=summary["files"]) + words["separator"].join(counted)
    findings = severity_counts(batch.findings_by_severity(), options.lang)
    left_out = _left_out(batch, options)
    return f"{statuses} | {words['findings']}: {findings}{left_out} | {batch.elapsed_seconds:.2f} {words['seconds']}"


def _left_out(batch: BatchResult, options: ReportOptions) -> str:
    """` | left out: 2 ignored, 14 in baseline`, only when the command line left findings out."""
    words = labels(options.lang)
    numbers = batch.left_out()
    parts = [words[f"left_out_{cause}"].format(number=number) for cause, number in numbers.items() if number]
    return f" | {words['left_out']}: {words['separator'].join(parts)}" if parts else ""


def _outcome_lines(outcome: Outcome, batch: BatchResult, options: ReportOptions, paint: _Painter) -> list[str]:
    words = labels(options.lang)
    status = outcome.status(batch.fail_on)
    if outcome.report is None:
        place, reason = (outcome.problem.place, outcome.problem.reason) if outcome.problem else (outcome.label, "")
        return [f"{place}: {paint(words['error'], 'error')}: {reason}"]
    report = outcome.report
    document = words["document"].format(type=report.document_type, id=report.document_id or words["no_id"])
    about = f"{document}, {report.spec}" if report.spec else document
    counts = severity_counts(report.counts, options.lang, skip_zero=True)
    verdict = paint(words[status], status)
    head = f"{outcome.label}: {verdict}: {counts} ({about})" if counts else f"{outcome.label}: {verdict} ({about})"
    lines = [head]
    if report.findings:
        quoted = source_lines(outcome.input)
        for group in _grouped(sorted_findings(report.findings)):
            lines.extend(_finding_lines(group[0], outcome.label, quoted, options, paint))
            if len(group) > 1:
                lines.append(_also_at(group[1:], options, paint))
    return lines


def _grouped(findings: list[Finding]) -> list[list[Finding]]:
    """Findings of one rule with the same message, together, in the order of their first occurrence.

    A generator that gets one thing wrong on every line gets one entry with
    the places, not a screen of repeated messages.
    """
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.layer, finding.severity, finding.rule_id, finding.message), []).append(finding)
    return list(groups.values())


def _also_at(others: list[Finding], options: ReportOptions, paint: _Painter) -> str:
    words = labels(options.lang)
    shown = others[:_ALSO_AT_LIMIT]
    places = [str(finding.line) if finding.line else finding.location for finding in shown]
    text = words["also_at"].format(count=len(others), places=words["separator"].join(places))
    if len(others) > len(shown):
        text += words["also_at_more"].format(count=len(others) - len(shown))
    return f"{_INDENT}{paint(text, 'dim')}"


def _finding_lines(
    finding: Finding, label: str, quoted: list[str], options: ReportOptions, paint: _Painter
) -> list[str]:
    words = labels(options.lang)
    severity = words[finding.severity]
    place = f"{label}:{finding.line}" if finding.line else label
    # The rules layer is what every finding was before layers existed; the others say their name.
    layer = f"[{words['layer_' + finding.layer]}]  " if finding.layer != "rules" else ""
    lines = [
        f"  {paint(severity, finding.severity)}  {layer}{finding.rule_id}  {place}  {paint(finding.location, 'dim')}",
        f"{_INDENT}{finding.message}",
    ]
    if finding.line and 0 < finding.line <= len(quoted):
        number = tag_start(quoted, finding.line)
        source = quoted[number - 1].strip()
        if len(source) > _QUOTE_LIMIT:
            source = source[: _QUOTE_LIMIT - 1] + "…"
        lines.append(f"{_INDENT}{paint(f'{number} | ', 'dim')}{source}")
    return lines
