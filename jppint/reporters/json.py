"""One JSON document for the whole batch: every file's `ValidationReport` and every input error.

    {"schema_version": 1, "tool": {...}, "fail_on": "fatal", "lang": "en", "summary": {...},
     "files": [{"input": "a.xml", "status": "valid", "report": {...}, "error": null}, ...]}

The document is a `BatchReport` (json_envelope.py), whose JSON Schema is
published; `files` follows the input order; `report` is exactly the API's
model (`ValidationReport.model_dump(mode="json")`), `error` is set instead
when the input could not be validated.
"""

from __future__ import annotations

import json

from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.reporters.common import ReportOptions
from jppint.reporters.json_envelope import BatchReport, BatchSummary, FileReport, InputError, ToolInfo


def render(batch: BatchResult, options: ReportOptions) -> str:
    document = batch_report(batch, options).model_dump(mode="json")
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def batch_report(batch: BatchResult, options: ReportOptions) -> BatchReport:
    from jppint import __version__

    return BatchReport(
        tool=ToolInfo(name="jppint", version=__version__),
        fail_on=batch.fail_on,
        lang=options.lang,
        # Strict: a number added to the summary must be added to the model, and so to the schema.
        summary=BatchSummary.model_validate(batch.summary(), extra="forbid"),
        files=tuple(_file(outcome, batch) for outcome in batch.outcomes),
    )


def _file(outcome: Outcome, batch: BatchResult) -> FileReport:
    problem = outcome.problem
    return FileReport(
        input=outcome.label,
        status=outcome.status(batch.fail_on),
        report=outcome.report,
        error=InputError(reason=problem.reason, line=problem.line, column=problem.column) if problem else None,
    )
