"""Reporters: one module per output format, chosen by name from `REPORTERS`.

Every reporter is a function `render(batch, options) -> str` that turns the
results of a whole batch into one text. Reporters only format: they never
decide validity or the exit code.
"""

from __future__ import annotations

from collections.abc import Callable

from jppint.batch import BatchResult
from jppint.reporters import github, json, junit, sarif, svrl, text
from jppint.reporters.common import ReportOptions

Render = Callable[[BatchResult, ReportOptions], str]

REPORTERS: dict[str, Render] = {
    "text": text.render,
    "json": json.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "svrl": svrl.render,
}

__all__ = ["REPORTERS", "Render", "ReportOptions"]
