"""Reporters: one module per output format, chosen by name from `REPORTERS`.

Every reporter is a function `render(batch, options) -> str` that turns the
results of a whole batch into one text. Reporters only format: they never
decide validity or the exit code. They are part of the library: an
application renders its own reports with `render_reports`, the command line
renders its batch with the same functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from jppint.reporters.batch_result import BatchResult, FailOn, InputProblem, Outcome
from jppint.reporters.common import ReportOptions
from jppint.results import ValidationReport
from jppint.rule_entries import LANGUAGES, Language

Render = Callable[[BatchResult, ReportOptions], str]


class _Reporters(Mapping[str, Render]):
    """Format name -> render function, each reporter module imported when first asked for.

    A command-line run writes one format: importing all eight (the JSON
    Schema machinery, the HTML page's templates...) cost it about 12 ms of
    its cold start (issue 11).
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names

    def __getitem__(self, name: str) -> Render:
        if name not in self._names:
            raise KeyError(name)
        render: Render = importlib.import_module(f"jppint.reporters.{name}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


REPORTERS: Mapping[str, Render] = _Reporters(("text", "json", "junit", "sarif", "github", "svrl", "html", "concise"))


def render_reports(
    reports: Sequence[ValidationReport],
    format: str = "text",
    *,
    lang: Language = "en",
    fail_on: FailOn = "fatal",
    fail_on_advice: bool = False,
    working_directory: str | Path | None = None,
) -> str:
    """Reports written in one of the command line's formats (text, json, junit, sarif, github, svrl, html,
    concise).

    Each report is named by its `source` (give in-memory documents a
    `source_name=` when validating); paths are written relative to
    `working_directory` (default: the current one) where they lie below it.
    `fail_on` and `fail_on_advice` say which findings fail a document, as
    `--fail-on` and `--fail-on-advice` do (see `batch_result.fails_on`).
    """
    if format not in REPORTERS:
        raise ValueError(f"format must be one of {', '.join(REPORTERS)}, not {format!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    options = ReportOptions(lang=lang)
    if working_directory is not None:
        options = ReportOptions(lang=lang, working_directory=Path(working_directory))
    return REPORTERS[format](BatchResult.of_reports(reports, fail_on=fail_on, fail_on_advice=fail_on_advice), options)


__all__ = ["REPORTERS", "BatchResult", "InputProblem", "Outcome", "Render", "ReportOptions", "render_reports"]
