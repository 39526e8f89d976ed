"""The command line's options: every command, its arguments and their help."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from jppint.cli.exit_codes import EXIT_CODES_HELP, EXIT_VALID
from jppint.cli.rules_command import run_rules_list, run_rules_show
from jppint.cli.validate_command import run_validate
from jppint.document import DEFAULT_MAX_BYTES
from jppint.serve.command import add_serve_parser
from jppint.specs import SPECS

DEFAULT_TIMEOUT_SECONDS = 120

FORMATS = ("text", "json", "junit", "sarif", "github", "svrl", "html")
_SPECS = tuple(SPECS)


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
