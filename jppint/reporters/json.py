"""One JSON document for the whole batch: every file's `ValidationReport` and every input error.

    {"tool": {...}, "fail_on": "fatal", "summary": {...},
     "files": [{"input": "a.xml", "status": "valid", "report": {...}, "error": null}, ...]}

`files` follows the input order; `report` is exactly the API's model
(`ValidationReport.model_dump(mode="json")`), `error` is set instead when
the input could not be validated.
"""

from __future__ import annotations

import json

from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.reporters.common import ReportOptions


def render(batch: BatchResult, options: ReportOptions) -> str:
    from jppint import __version__

    document = {
        "tool": {"name": "jppint", "version": __version__},
        "fail_on": batch.fail_on,
        "lang": options.lang,
        "summary": batch.summary(),
        "files": [_file(outcome, batch) for outcome in batch.outcomes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _file(outcome: Outcome, batch: BatchResult) -> dict[str, object]:
    problem = outcome.problem
    return {
        "input": outcome.label,
        "status": outcome.status(batch.fail_on),
        "report": outcome.report.model_dump(mode="json") if outcome.report is not None else None,
        "error": {"reason": problem.reason, "line": problem.line, "column": problem.column} if problem else None,
    }
