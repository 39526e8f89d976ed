"""GitHub Actions workflow commands: one annotation per finding and per input error.

    ::error file=invoices/bad.xml,line=57,title=ibr-024::Each invoice line must ... (/ubl:Invoice[1]/...)

fatal findings are `error`, warnings `warning`, information `notice`.
Values are escaped as the workflow-command rules require (`%`, CR, LF in
the message; also `:` and `,` in properties), so a message can never end
an annotation early or inject another command.
"""

from __future__ import annotations

from jppint.reporters.batch_result import BatchResult
from jppint.reporters.common import ReportOptions, relative_path, sorted_findings
from jppint.reporters.text import summary_line

_LEVEL = {"fatal": "error", "warning": "warning", "information": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level} {shown}::{escape_data(message)}" if shown else f"::{level}::{escape_data(message)}"


def render(batch: BatchResult, options: ReportOptions) -> str:
    lines: list[str] = []
    for outcome in batch.outcomes:
        file = relative_path(outcome.label, options.working_directory)
        if outcome.problem is not None:
            problem = outcome.problem
            lines.append(
                command(
                    "error",
                    problem.reason,
                    file=file,
                    line=problem.line,
                    col=problem.column,
                    title="jppint: input error",
                )
            )
            continue
        if outcome.report is None:
            continue
        for finding in sorted_findings(outcome.report.findings):
            lines.append(
                command(
                    _LEVEL[finding.severity],
                    f"{finding.message} ({finding.location})",
                    file=file,
                    line=finding.line,
                    title=finding.rule_id if finding.layer == "rules" else f"{finding.rule_id} ({finding.layer})",
                )
            )
    lines.append(summary_line(batch, options))
    return "\n".join(lines) + "\n"
