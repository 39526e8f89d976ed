"""`jppint validate`: expand the inputs, validate them in workers, write the report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jppint.cli.exit_codes import EXIT_ERROR, EXIT_INVALID, EXIT_VALID, exit_code
from jppint.cli.signals import signals_stop_the_run
from jppint.cli.streams import colour_wanted, error, silence_standard_output, standard_input
from jppint.errors import EngineError
from jppint.rule_entries import Language

_BINARY_FORMATS = frozenset({"json", "junit", "sarif", "svrl", "html"})
# --statistics is a table for people: it replaces the findings of these formats only.
STATISTICS_FORMATS = ("text", "concise")


def run_validate(arguments: argparse.Namespace) -> int:
    with signals_stop_the_run():
        return _validate(arguments)


def _validate(arguments: argparse.Namespace) -> int:
    from jppint.cli.batch import RulesError, Settings, WorkerError, default_jobs, validate_items
    from jppint.cli.globs import PathPattern
    from jppint.cli.inputs import Input, expand_inputs
    from jppint.cli.output import is_standard_output, report_target, write_report, write_stdout
    from jppint.cli.progress import Progress, wanted
    from jppint.cli.reasons import translated_problems
    from jppint.cli.selection import Selection
    from jppint.cli.suppression import Suppression, SuppressionError
    from jppint.reporters import REPORTERS, ReportOptions, statistics
    from jppint.reporters.batch_result import InputProblem

    say = _speaker(arguments.lang)

    if arguments.statistics and arguments.format not in STATISTICS_FORMATS:
        say(f"--statistics is a table for --format {' or '.join(STATISTICS_FORMATS)}, not {arguments.format}")
        return EXIT_ERROR

    for path in arguments.schematron:
        if not Path(path).is_file():
            say(f"--schematron {path}: no such file")
            return EXIT_ERROR
    if arguments.ubl_schemas is not None and not Path(arguments.ubl_schemas, "maindoc").is_dir():
        say(f"--ubl-schemas {arguments.ubl_schemas}: not an OASIS UBL 2.1 'xsd' folder (no maindoc/ in it)")
        return EXIT_ERROR
    output = _output_path(arguments.output)
    if output is not None and is_standard_output(output):
        output = None  # `-o /dev/stdout`: written as standard output, the summary line left out
    elif output is not None:
        try:
            report_target(output)
        except OSError as problem:
            say(f"cannot write the report to {arguments.output}: {problem.strerror or problem}")
            return EXIT_ERROR

    try:
        suppression = Suppression.of(
            Selection.of(arguments.select, arguments.ignore, arguments.per_file_ignores),
            baseline=arguments.baseline,
            write_baseline=arguments.write_baseline,
            built_in=not arguments.schematron,
        )
    except SuppressionError as problem:
        say(str(problem))
        return EXIT_ERROR

    try:
        _engine_can_start()
    except EngineError as problem:
        say(str(problem))
        return EXIT_ERROR
    max_bytes = arguments.max_size * 1024 * 1024
    exclude = [PathPattern(pattern) for pattern in arguments.exclude]
    items = expand_inputs(arguments.inputs, stdin=standard_input(), max_bytes=max_bytes, exclude=exclude)
    settings = Settings(
        schematron=tuple(arguments.schematron),
        spec=arguments.spec,
        rules_version=arguments.rules_version,
        lang=arguments.lang,
        max_bytes=max_bytes,
        schema=arguments.schema,
        stop_on_schema_error=arguments.stop_on_schema_error,
        ubl_schemas=arguments.ubl_schemas,
        advice=arguments.advice,
        svrl=arguments.format == "svrl",
    )
    documents = sum(1 for item in items if isinstance(item, Input))
    progress = Progress(sys.stderr) if wanted(sys.stderr, documents) else None
    try:
        batch = validate_items(
            items,
            settings,
            jobs=arguments.jobs or default_jobs(),
            timeout=arguments.timeout or None,
            fail_on=arguments.fail_on,
            fail_on_advice=arguments.fail_on_advice,
            on_progress=progress,
        )
    except RulesError as problem:
        say(f"cannot use the rules: {problem}")
        return EXIT_ERROR
    except WorkerError as problem:
        say(str(problem))
        return EXIT_ERROR
    finally:
        if progress is not None:
            progress.clear()

    batch = translated_problems(batch, arguments.lang)
    for outcome in batch.outcomes:
        if isinstance(outcome.problem, InputProblem):
            say(outcome.problem.describe())
    try:
        batch, notes = suppression.apply(batch)
    except SuppressionError as problem:
        say(str(problem))
        return EXIT_ERROR
    except OSError as problem:
        say(f"cannot write the baseline to {arguments.write_baseline}: {problem.strerror or problem}")
        return EXIT_ERROR
    for note in notes:
        say(note)

    options = ReportOptions(
        lang=arguments.lang,
        colour=arguments.format == "text" and output is None and colour_wanted(sys.stdout, arguments.color),
        quiet=arguments.quiet,
    )
    render = statistics.render if arguments.statistics else REPORTERS[arguments.format]
    report = render(batch, options)
    if output is None:
        try:
            write_stdout(report, binary=arguments.format in _BINARY_FORMATS)
        except BrokenPipeError:
            raise
        except OSError as problem:
            silence_standard_output()
            say(f"cannot write the report to standard output: {problem.strerror or problem}")
            return EXIT_ERROR
    else:
        try:
            write_report(output, report.encode("utf-8", errors="replace"))
        except OSError as problem:
            say(f"cannot write the report to {output}: {problem.strerror or problem}")
            return EXIT_ERROR
        if not arguments.quiet:
            _print_summary(batch, options)
    code = exit_code(batch)
    return EXIT_VALID if arguments.exit_zero and code == EXIT_INVALID else code


def _print_summary(batch: Any, options: Any) -> None:
    """The summary line after a report written to a file; a closed or full stdout does not lose the report."""
    from jppint.reporters.text import summary_line

    if sys.stdout is None:
        return
    try:
        print(summary_line(batch, options), flush=True)
    except OSError:
        silence_standard_output()


def _engine_can_start() -> None:
    """One line and exit 2 when Saxon cannot start here, rather than the same error for every input."""
    import saxonche  # noqa: F401  (its mappings count towards the address space)

    from jppint.engine import check_address_space

    check_address_space()


def _output_path(value: str | None) -> Path | None:
    return None if value in (None, "-") else Path(value)


def _speaker(language: Language) -> Callable[[str], None]:
    """`error` in the run's language: each message goes through the reasons' catalogue (reasons.py)."""
    from jppint.cli.reasons import translate_reason

    def say(message: str) -> None:
        error(translate_reason(message, language))

    return say
