"""The command line: parse options, run the batch, pick a reporter, one exit-code path.

    jppint validate [OPTIONS] INPUT...
    jppint rules list [--spec SPEC]
    jppint rules show RULE_ID
    jppint --version

`main(argv)` returns the exit code instead of exiting, so tests drive the
real command line in-process. No input, however broken, produces a
traceback: what cannot be validated is reported on one line of stderr and
counted, and the exit code says so.

The command line's process is jppint's own, so it, unlike the library,
handles signals: SIGTERM and SIGHUP stop it as Ctrl-C does, its workers
killed, no report written, exit 128 + the signal's number. Diagnostics go
to standard error only; with standard error closed they are dropped, never
written into the report on standard output.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from jppint.document import DEFAULT_MAX_BYTES
from jppint.errors import EngineError
from jppint.serve.command import add_serve_parser
from jppint.specs import SPECS

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
_SIGNAL_EXIT_BASE = 128
# Stop the run as Ctrl-C does; SIGINT keeps Python's own KeyboardInterrupt.
_STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
DEFAULT_TIMEOUT_SECONDS = 120

FORMATS = ("text", "json", "junit", "sarif", "github", "svrl")
_BINARY_FORMATS = frozenset({"json", "junit", "sarif", "svrl"})
_SPECS = tuple(SPECS)

EXIT_CODES_HELP = """\
exit status:
  0  every input was validated and none fails (no finding at or above --fail-on;
     advice never fails a document unless --fail-on-advice)
  1  at least one document fails: a fatal finding (or, with --fail-on warning,
     a warning; with --fail-on-advice, an advice warning)
  2  usage error, broken --schematron rules, a report that cannot be written,
     or at least one input could not be validated (missing or unreadable file,
     not a regular file, not well-formed XML, not a UBL Invoice or CreditNote,
     unknown specification, longer than --timeout, its worker process died);
     every other input is still validated and reported, and each input error
     gets one line on stderr
  128+N  stopped by signal N: 130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP;
     the workers are stopped and no report is written
"""


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """`ja` when the locale for messages is Japanese, otherwise `en`.

    POSIX precedence: the first of LC_ALL, LC_MESSAGES, LANG that is set.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return number


class _VersionAction(argparse.Action):
    """--version, computed only when asked (it imports the engine)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text())
        parser.exit(EXIT_VALID)


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from jppint import __version__

    try:
        saxon = version("saxonche")
    except PackageNotFoundError:
        saxon = "unknown"
    rules = ", ".join(sorted({spec.version for spec in SPECS.values()}))
    return f"jppint {__version__} (JP PINT {rules}; saxonche {saxon})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jppint",
        description="Validate UBL 2.1 e-invoices against JP PINT 1.1.3, the Japanese Peppol specification.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="validate invoices and credit notes",
        description=(
            "Validate UBL Invoice and CreditNote documents with the JP PINT rules of their "
            "specification (from cbc:CustomizationID, or --spec)."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a file, a directory (every *.xml below it), a glob pattern such as 'out/**/*.xml', or - for stdin",
    )
    validate.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    validate.add_argument(
        "--lang",
        choices=("ja", "en"),
        default=default_language(),
        help="language of messages (default: from LC_ALL / LC_MESSAGES / LANG, ja for a Japanese locale, else en)",
    )
    validate.add_argument(
        "--spec",
        choices=_SPECS,
        help="validate as this specification whatever the CustomizationID says",
    )
    validate.add_argument(
        "--schematron",
        action="append",
        default=[],
        metavar="FILE",
        help="run this Schematron file instead of the built-in rules (repeat for several files)",
    )
    validate.add_argument(
        "--no-schema",
        dest="schema",
        action="store_false",
        help="leave out the schema layer (the OASIS UBL 2.1 XML Schema); only the rules run",
    )
    validate.add_argument(
        "--stop-on-schema-error",
        action="store_true",
        help="do not run the rules on a document the UBL 2.1 schema rejects",
    )
    validate.add_argument(
        "--ubl-schemas",
        metavar="DIR",
        help="use this copy of the OASIS UBL 2.1 'xsd' folder (holding maindoc/ and common/) for the schema layer",
    )
    validate.add_argument(
        "--fail-on",
        choices=("fatal", "warning"),
        default="fatal",
        help="lowest severity of a schema or rules finding that makes a document fail (default: fatal)",
    )
    advice = validate.add_mutually_exclusive_group()
    advice.add_argument(
        "--no-advice",
        dest="advice",
        action="store_false",
        help="leave out the advice layer (our own checks beyond the official rules, which never decide validity)",
    )
    advice.add_argument(
        "--fail-on-advice",
        action="store_true",
        help="let advice warnings fail a document (exit code 1) as --fail-on does for the rules; valid is unchanged",
    )
    validate.add_argument(
        "--quiet", "-q", action="store_true", help="text format: print only the summary; with --output: print nothing"
    )
    validate.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE (replaced atomically) instead of stdout"
    )
    validate.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="validate with N worker processes (default: the number of CPUs; one per 40 documents, at least one)",
    )
    validate.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=(
            "give up on a document after SECONDS and report it as an input error (default: %(default)s; 0 for "
            "no limit). Documents are validated in worker processes so that the limit always holds; "
            "with 0, a small batch runs in this process"
        ),
    )
    validate.add_argument(
        "--max-size",
        type=_positive,
        default=DEFAULT_MAX_BYTES // (1024 * 1024),
        metavar="MB",
        help="refuse documents larger than this many megabytes, without reading them (default: %(default)s)",
    )
    validate.set_defaults(run=run_validate)

    rules = commands.add_parser("rules", help="list and explain the built-in rules")
    rule_commands = rules.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    listing = rule_commands.add_parser("list", help="list the rules (id, flag, specifications, terms, message)")
    listing.add_argument("--spec", choices=_SPECS, help="only the rules of this specification")
    listing.add_argument("--lang", choices=("ja", "en"), default=default_language(), help="language of messages")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    listing.set_defaults(run=run_rules_list)
    show = rule_commands.add_parser("show", help="show everything about one rule")
    show.add_argument("rule_id", metavar="RULE_ID", help="a rule id such as ibr-024 or aligned-ibrp-045")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    show.set_defaults(run=run_rules_show)
    add_serve_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    _fill_closed_standard_descriptors()
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits on --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    try:
        code: int = arguments.run(arguments)
        return code
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except Stopped as stop:
        _error(f"stopped by {signal.Signals(stop.signal_number).name}")
        return _SIGNAL_EXIT_BASE + stop.signal_number
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without Python's own complaint at exit.
        _silence_standard_output()
        return EXIT_ERROR


class Stopped(BaseException):
    """A signal asked the command line to stop (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


@contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` while `validate` runs, so its clean-up runs:
    workers killed, a half-written report removed. A signal the caller ignores (nohup)
    stays ignored; a second signal during the clean-up is ignored too. (`serve` has
    its own handlers: it stops gracefully.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, _: object) -> None:
        for each in _STOPPING_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise Stopped(number)

    previous = {number: signal.getsignal(number) for number in _STOPPING_SIGNALS}
    for number, handler in previous.items():
        if handler == signal.SIG_DFL:
            signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _fill_closed_standard_descriptors() -> None:
    """Put /dev/null on a closed descriptor 0, 1 or 2 (`2>&-`).

    Otherwise the next file or pipe opened takes its number, and whatever
    writes to "standard error" (a library, a worker process) writes into it.
    Python has already set sys.stderr (or sys.stdout) to None for a closed
    one, which is how the rest of the command line knows.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)


def _silence_standard_output() -> None:
    """After a failed write: send what is left to /dev/null, so Python's flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _error(message: str) -> None:
    """One line on standard error; dropped when standard error is closed (never onto standard output)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        print(f"jppint: {message}", file=stream, flush=True)
    except (OSError, ValueError):
        pass


def run_validate(arguments: argparse.Namespace) -> int:
    with _signals_stop_the_run():
        return _validate(arguments)


def _validate(arguments: argparse.Namespace) -> int:
    from jppint.batch import RulesError, Settings, WorkerError, default_jobs, validate_items
    from jppint.inputs import Input, expand_inputs
    from jppint.output import is_standard_output, report_target, write_report, write_stdout
    from jppint.progress import Progress, wanted
    from jppint.reporters import REPORTERS, ReportOptions
    from jppint.reporters.batch_result import InputProblem

    for path in arguments.schematron:
        if not Path(path).is_file():
            _error(f"--schematron {path}: no such file")
            return EXIT_ERROR
    if arguments.ubl_schemas is not None and not Path(arguments.ubl_schemas, "maindoc").is_dir():
        _error(f"--ubl-schemas {arguments.ubl_schemas}: not an OASIS UBL 2.1 'xsd' folder (no maindoc/ in it)")
        return EXIT_ERROR
    output = _output_path(arguments.output)
    if output is not None and is_standard_output(output):
        output = None  # `-o /dev/stdout`: written as standard output, the summary line left out
    elif output is not None:
        try:
            report_target(output)
        except OSError as error:
            _error(f"cannot write the report to {arguments.output}: {error.strerror or error}")
            return EXIT_ERROR

    try:
        _engine_can_start()
    except EngineError as error:
        _error(str(error))
        return EXIT_ERROR
    max_bytes = arguments.max_size * 1024 * 1024
    items = expand_inputs(arguments.inputs, stdin=_stdin(), max_bytes=max_bytes)
    settings = Settings(
        schematron=tuple(arguments.schematron),
        spec=arguments.spec,
        lang=arguments.lang,
        max_bytes=max_bytes,
        schema=arguments.schema,
        stop_on_schema_error=arguments.stop_on_schema_error,
        ubl_schemas=arguments.ubl_schemas,
        advice=arguments.advice,
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
    except RulesError as error:
        _error(f"cannot use the rules: {error}")
        return EXIT_ERROR
    except WorkerError as error:
        _error(str(error))
        return EXIT_ERROR
    finally:
        if progress is not None:
            progress.clear()

    for outcome in batch.outcomes:
        if isinstance(outcome.problem, InputProblem):
            _error(outcome.problem.describe())

    options = ReportOptions(
        lang=arguments.lang,
        colour=arguments.format == "text" and output is None and _colour_wanted(sys.stdout),
        quiet=arguments.quiet,
    )
    report = REPORTERS[arguments.format](batch, options)
    if output is None:
        try:
            write_stdout(report, binary=arguments.format in _BINARY_FORMATS)
        except BrokenPipeError:
            raise
        except OSError as error:
            _silence_standard_output()
            _error(f"cannot write the report to standard output: {error.strerror or error}")
            return EXIT_ERROR
    else:
        try:
            write_report(output, report.encode("utf-8", errors="replace"))
        except OSError as error:
            _error(f"cannot write the report to {output}: {error.strerror or error}")
            return EXIT_ERROR
        if not arguments.quiet:
            _print_summary(batch, options)
    return exit_code(batch)


def _print_summary(batch: Any, options: Any) -> None:
    """The summary line after a report written to a file; a closed or full stdout does not lose the report."""
    from jppint.reporters.text import summary_line

    if sys.stdout is None:
        return
    try:
        print(summary_line(batch, options), flush=True)
    except OSError:
        _silence_standard_output()


def _engine_can_start() -> None:
    """One line and exit 2 when Saxon cannot start here, rather than the same error for every input."""
    import saxonche  # noqa: F401  (its mappings count towards the address space)

    from jppint.engine import check_address_space

    check_address_space()


def exit_code(batch: Any) -> int:
    """The one place that turns a batch into an exit status (see EXIT_CODES_HELP)."""
    if batch.count("error"):
        return EXIT_ERROR
    if batch.count("invalid"):
        return EXIT_INVALID
    return EXIT_VALID


def _output_path(value: str | None) -> Path | None:
    return None if value in (None, "-") else Path(value)


def _stdin() -> Any:
    stream = sys.stdin
    if stream is None:
        return None
    return getattr(stream, "buffer", None) or _EncodedText(stream)


class _EncodedText:
    """A text stdin (as some embedding hosts provide) read as UTF-8 bytes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def read(self) -> bytes:
        return self.stream.read().encode("utf-8")


def _colour_wanted(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def run_rules_list(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    entries = [entry for entry in all_rules().values() if not arguments.spec or arguments.spec in entry.specs]
    if arguments.format == "json":
        print(json.dumps([_entry_json(entry) for entry in entries], ensure_ascii=False, indent=2))
        return EXIT_VALID
    width = max((len(entry.rule_id) for entry in entries), default=0)
    for entry in entries:
        message = entry.messages.get(arguments.lang) or entry.messages.get("en", "")
        terms = " ".join(entry.business_terms) or "-"
        print(
            f"{entry.rule_id:<{width}}  {entry.layer:<6}  {entry.flag:<7}  {','.join(entry.specs):<15}  {terms}\n"
            f"    {message}"
        )
    print(f"{len(entries)} rules")
    return EXIT_VALID


def run_rules_show(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    catalogue = all_rules()
    entry = catalogue.get(arguments.rule_id) or catalogue.get(arguments.rule_id.lower())
    if entry is None:
        close = difflib.get_close_matches(arguments.rule_id.lower(), list(catalogue), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `jppint rules list`"
        _error(f"unknown rule id {arguments.rule_id!r}{hint}")
        return EXIT_ERROR
    if arguments.format == "json":
        print(json.dumps(_entry_json(entry), ensure_ascii=False, indent=2))
        return EXIT_VALID
    print(
        f"id:             {entry.rule_id}\n"
        f"layer:          {entry.layer}\n"
        f"flag:           {entry.flag}\n"
        f"specifications: {', '.join(entry.specs)}\n"
        f"business terms: {', '.join(entry.business_terms) or '-'}\n"
        f"en:             {entry.messages.get('en', '')}\n"
        f"ja:             {entry.messages.get('ja', '')}"
    )
    return EXIT_VALID


def _entry_json(entry: Any) -> dict[str, object]:
    return {
        "id": entry.rule_id,
        "layer": entry.layer,
        "flag": entry.flag,
        "specs": list(entry.specs),
        "business_terms": list(entry.business_terms),
        "messages": dict(entry.messages),
    }
