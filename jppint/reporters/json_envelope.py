"""The JSON document of a whole run (`jppint validate --format json`, the service's batch answer), as a model.

The json reporter builds its output from `BatchReport` and the published
JSON Schema (schemas/cli-report.schema.json) is generated from it, so the
two cannot drift apart. Like the report it holds, it is tolerant to read:
`BatchReport.model_validate_json(output)` reads a later jppint's output too.
"""

from __future__ import annotations

from pydantic import Field

from jppint.reporters.batch_result import FailOn, Status
from jppint.results import SCHEMA_VERSION, FrozenModel, SchemaVersion, ValidationReport
from jppint.rule_entries import Language


class ToolInfo(FrozenModel):
    """The program that wrote the document."""

    name: str
    version: str


class BatchSummary(FrozenModel):
    """The run in numbers: files by status, findings by severity, and how long it took."""

    files: int
    valid: int
    invalid: int
    errors: int
    findings: dict[str, int]
    # Findings the command line left out of the reports, by cause: "ignored" (--select, --ignore,
    # --per-file-ignores) and "baseline" (--baseline); they neither appear nor fail.
    left_out: dict[str, int] = Field(default_factory=lambda: {"ignored": 0, "baseline": 0})
    elapsed_seconds: float


class InputError(FrozenModel):
    """Why an input could not be validated (unreadable, not UBL, too large), and where when known."""

    reason: str
    line: int | None
    column: int | None


class FileReport(FrozenModel):
    """One input: its report, or the error that kept it from being validated."""

    input: str
    status: Status
    report: ValidationReport | None
    error: InputError | None


class BatchReport(FrozenModel):
    """Every input of one run, in input order, with the options that decide its status."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    tool: ToolInfo
    fail_on: FailOn
    lang: Language
    summary: BatchSummary
    files: tuple[FileReport, ...]
