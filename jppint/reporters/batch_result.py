"""What the reporters render: the outcome of each document of a run, and how the run fails.

This is the library's side of reporting. The command line fills it from its
inputs (files, directories, stdin, with the problems of unreadable ones);
an application fills it from the reports it already has with
`BatchResult.of_reports`, and renders SARIF, JUnit, SVRL or text without the
command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from jppint.results import Finding, ValidationReport

FailOn = Literal["fatal", "warning"]
Status = Literal["valid", "invalid", "error"]


class Readable(Protocol):
    """Where the text reporter gets the document's lines to quote."""

    def read_bytes(self) -> bytes | None: ...


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be validated, and the one-line reason why."""

    label: str
    reason: str
    line: int | None = None
    column: int | None = None

    @property
    def place(self) -> str:
        """`label`, `label:line` or `label:line:column`, the way compilers name places."""
        where = self.label
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def describe(self) -> str:
        return f"{self.place}: {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a report, or the reason it could not be validated.

    `fail_on_advice` lets its advice fail it too (`--fail-on-advice`).
    `ignored` and `baselined` count the findings the command line left out
    of `report` (`--select`/`--ignore`, `--baseline`).
    """

    input: Readable | None
    label: str
    report: ValidationReport | None = None
    problem: InputProblem | None = None
    fail_on_advice: bool = False
    ignored: int = 0
    baselined: int = 0
    # The rules' full SVRL (fired rules, diagnostics, properties), when the svrl format asked for it.
    svrl: str | None = None

    def status(self, fail_on: FailOn) -> Status:
        if self.report is None:
            return "error"
        return "invalid" if fails(self.report, fail_on, advice=self.fail_on_advice) else "valid"


def fails(report: ValidationReport, fail_on: FailOn, *, advice: bool = False) -> bool:
    """Whether the report has a finding that fails the run (see `fails_on`)."""
    return any(fails_on(finding, fail_on, advice=advice) for finding in report.findings)


def fails_on(finding: Finding, fail_on: FailOn, *, advice: bool = False) -> bool:
    """Whether one finding fails its document.

    Schema and rules findings fail at or above `fail_on`. Advice never
    decides `valid`, so it fails only when asked (`advice`), and then with
    any warning whatever `fail_on` says: whoever asks for advice to fail a
    build means its warnings, and no advice is fatal. Information never fails.
    """
    if finding.layer == "advice":
        return advice and finding.severity != "information"
    return finding.severity == "fatal" or (fail_on == "warning" and finding.severity == "warning")


@dataclass(frozen=True)
class _File:
    """A report's document on disk, read again only to quote its lines."""

    path: str

    def read_bytes(self) -> bytes | None:
        try:
            return Path(self.path).read_bytes()
        except OSError:
            return None


@dataclass(frozen=True)
class BatchResult:
    """The outcomes of one run, in input order, with what makes it fail.

    `built_in` says the built-in rules ran (reporters then describe rule ids
    from our catalogue).
    """

    outcomes: tuple[Outcome, ...]
    fail_on: FailOn
    elapsed_seconds: float
    built_in: bool = True

    @classmethod
    def of_reports(
        cls,
        reports: Sequence[ValidationReport],
        *,
        fail_on: FailOn = "fatal",
        fail_on_advice: bool = False,
        built_in: bool | None = None,
    ) -> BatchResult:
        """A run made of reports an application already has; each is named by its `source`."""
        outcomes = tuple(
            Outcome(
                _File(report.source) if report.source and Path(report.source).is_file() else None,
                report.source or f"<document {number}>",
                report=report,
                fail_on_advice=fail_on_advice,
            )
            for number, report in enumerate(reports, 1)
        )
        if built_in is None:
            built_in = all(report.spec is not None for report in reports)
        elapsed = sum(report.elapsed_ms for report in reports) / 1000
        return cls(outcomes, fail_on, elapsed, built_in)

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status(self.fail_on) == status)

    def findings_by_severity(self) -> dict[str, int]:
        totals = {"fatal": 0, "warning": 0, "information": 0}
        for outcome in self.outcomes:
            if outcome.report is not None:
                for severity, number in outcome.report.counts.items():
                    totals[severity] = totals.get(severity, 0) + number
        return totals

    def left_out(self) -> dict[str, int]:
        """Findings left out of the reports: by `--select`/`--ignore`, and by `--baseline`."""
        return {
            "ignored": sum(outcome.ignored for outcome in self.outcomes),
            "baseline": sum(outcome.baselined for outcome in self.outcomes),
        }

    def summary(self) -> dict[str, object]:
        return {
            "files": len(self.outcomes),
            "valid": self.count("valid"),
            "invalid": self.count("invalid"),
            "errors": self.count("error"),
            "findings": self.findings_by_severity(),
            "left_out": self.left_out(),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
        }
