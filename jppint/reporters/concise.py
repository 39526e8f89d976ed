"""One line per finding and per input error, the shape compilers print and editors' problem matchers read.

    invoices/bad.xml:57:1: fatal ibr-024 An invoice line has no line amount. ...
    invoices/broken.xml:3:17: error input-error not well-formed XML: ...

`file:line:column: severity rule-id message`, always all six parts, so one
regular expression reads every line (`editors/` holds matchers for GitHub
Actions and VS Code). The file is relative to the working directory when
it lies below it. Line and column are 1 when unknown (a finding about the
whole document, a file that could not be opened): editors then point at
the file's start. Severity is fatal, warning or information for findings,
and `error` with the rule id `input-error` for an input that could not be
validated. No summary and no colour: nothing else is written, so the output
can be piped, counted or diffed as is. Line breaks and other control
characters in a message or file name become spaces, so one finding is
always one line.
"""

from __future__ import annotations

import re

from jppint.reporters.batch_result import BatchResult
from jppint.reporters.common import ReportOptions, relative_path, sorted_findings

INPUT_ERROR = "input-error"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def line_of(file: str, line: int | None, column: int | None, severity: str, rule_id: str, message: str) -> str:
    return f"{_one_line(file)}:{line or 1}:{column or 1}: {severity} {rule_id} {_one_line(message)}"


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def render(batch: BatchResult, options: ReportOptions) -> str:
    lines: list[str] = []
    for outcome in batch.outcomes:
        file = relative_path(outcome.label, options.working_directory)
        if outcome.problem is not None:
            problem = outcome.problem
            lines.append(line_of(file, problem.line, problem.column, "error", INPUT_ERROR, problem.reason))
        elif outcome.report is not None:
            for finding in sorted_findings(outcome.report.findings):
                lines.append(
                    line_of(file, finding.line, finding.column, finding.severity, finding.rule_id, finding.message)
                )
    return "".join(line + "\n" for line in lines)
