"""The command line's options: every command, its arguments and their help."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import Any

from jppint.cli.configuration import ListOption
from jppint.cli.exit_codes import EXIT_VALID
from jppint.cli.localized_parser import LocalizedArgumentParser
from jppint.cli.reasons import translate_reason
from jppint.cli.rules_command import run_rules_diff, run_rules_list, run_rules_show
from jppint.cli.texts import Texts, default_language, text
from jppint.cli.validate_command import run_validate
from jppint.document import DEFAULT_MAX_BYTES
from jppint.rule_entries import Language
from jppint.serve.command import add_serve_parser
from jppint.specs import SPECS, latest_version, releases

DEFAULT_TIMEOUT_SECONDS = 120

FORMATS = ("text", "json", "junit", "sarif", "github", "svrl", "html", "concise")
COLOURS = ("auto", "always", "never")
_SPECS = tuple(SPECS)


def _positive(words: Texts) -> Callable[[str], int]:
    def positive(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(words("argument.not_a_number", value=text)) from None
        if number < 1:
            raise argparse.ArgumentTypeError(words("argument.at_least_one"))
        return number

    return positive


def _seconds(words: Texts) -> Callable[[str], float]:
    def seconds(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(words("argument.not_seconds", value=text)) from None
        if not math.isfinite(number) or number < 0:
            raise argparse.ArgumentTypeError(words("argument.zero_or_more_seconds"))
        return number

    return seconds


def _selectors(words: Texts) -> Callable[[str], list[str]]:
    def selectors(text: str) -> list[str]:
        from jppint.cli.selection import parse_selectors

        try:
            return parse_selectors(text)
        except ValueError as problem:
            reason = translate_reason(str(problem), words.language)
            raise argparse.ArgumentTypeError(words("argument.rule_ids", reason=reason)) from None

    return selectors


def _per_file_ignore(words: Texts) -> Callable[[str], tuple[str, tuple[str, ...]]]:
    def per_file_ignore(text: str) -> tuple[str, tuple[str, ...]]:
        from jppint.cli.selection import parse_per_file_ignore

        try:
            return parse_per_file_ignore(text)
        except ValueError as problem:
            reason = translate_reason(str(problem), words.language)
            raise argparse.ArgumentTypeError(words("argument.rule_ids", reason=reason)) from None

    return per_file_ignore


def _add_convention_options(validate: argparse.ArgumentParser, words: Texts) -> None:
    """The options people know from ruff, mypy and pre-commit: selection, baseline, configuration, colour."""
    validate.add_argument("--exit-zero", action="store_true", help=words("validate.exit_zero"))
    validate.add_argument(
        "--select", action=ListOption, type=_selectors(words), metavar="RULE_IDS", help=words("validate.select")
    )
    validate.add_argument(
        "--ignore", action=ListOption, type=_selectors(words), metavar="RULE_IDS", help=words("validate.ignore")
    )
    validate.add_argument(
        "--per-file-ignores",
        action=ListOption,
        type=_per_file_ignore(words),
        metavar="GLOB:RULE_IDS",
        help=words("validate.per_file_ignores"),
    )
    validate.add_argument("--exclude", action=ListOption, metavar="GLOB", help=words("validate.exclude"))
    validate.add_argument("--baseline", metavar="FILE", help=words("validate.baseline"))
    validate.add_argument("--write-baseline", metavar="FILE", help=words("validate.write_baseline"))
    validate.add_argument("--statistics", action="store_true", help=words("validate.statistics"))
    validate.add_argument("--color", choices=COLOURS, default="auto", help=words("validate.color"))
    configuration = validate.add_mutually_exclusive_group()
    configuration.add_argument("--config", metavar="FILE", help=words("validate.config"))
    configuration.add_argument("--isolated", action="store_true", help=words("validate.isolated"))


class _VersionAction(argparse.Action):
    """--version, computed only when asked (it imports the engine)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text(getattr(parser, "language", "en")))
        parser.exit(EXIT_VALID)


def version_text(language: Language = "en") -> str:
    from importlib.metadata import PackageNotFoundError, version

    from jppint import __version__

    try:
        saxon = version("saxonche")
    except PackageNotFoundError:
        saxon = text(language, "version_unknown")
    rules = ", ".join(releases())
    return text(language, "version", version=__version__, rules=rules, saxon=saxon)


def releases_in_words(language: Language) -> str:
    """The releases jppint has rules for, as the help says them: `<earlier>, <earlier> and <latest>`."""
    *earlier, latest = releases()
    return text(language, "releases", earlier=", ".join(earlier), latest=latest) if earlier else latest


def build_parser(language: Language | None = None) -> argparse.ArgumentParser:
    """The whole command line, its help and errors in `language` (the locale's when None).

    Every help text is an entry of texts/help.toml, in both languages.
    """
    language = language or default_language()
    words = Texts(language)
    parser = LocalizedArgumentParser(
        prog="jppint",
        description=words("jppint.description", releases=releases_in_words(language)),
        epilog=words("exit_status"),
        language=language,
    )
    parser.add_argument("--version", action=_VersionAction, help=words("jppint.version"))
    # Also here, so that `jppint --lang ja COMMAND` works; what counts is read before parsing (language_of).
    parser.add_argument("--lang", choices=("ja", "en"), default=language, help=words("jppint.lang"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help=words("validate.help"),
        description=words("validate.description"),
        epilog=words("exit_status"),
    )
    validate.add_argument("inputs", nargs="+", metavar="INPUT", help=words("validate.inputs"))
    validate.add_argument("--format", choices=FORMATS, default="text", help=words("validate.format"))
    validate.add_argument("--lang", choices=("ja", "en"), default=language, help=words("validate.lang"))
    validate.add_argument("--spec", choices=_SPECS, help=words("validate.spec"))
    validate.add_argument(
        "--rules-version",
        choices=tuple(releases()),
        metavar="VERSION",
        help=words("validate.rules_version", latest=latest_version()),
    )
    validate.add_argument("--schematron", action=ListOption, metavar="FILE", help=words("validate.schematron"))
    validate.add_argument("--no-schema", dest="schema", action="store_false", help=words("validate.no_schema"))
    validate.add_argument("--stop-on-schema-error", action="store_true", help=words("validate.stop_on_schema_error"))
    validate.add_argument("--ubl-schemas", metavar="DIR", help=words("validate.ubl_schemas"))
    validate.add_argument("--fail-on", choices=("fatal", "warning"), default="fatal", help=words("validate.fail_on"))
    advice = validate.add_mutually_exclusive_group()
    advice.add_argument("--no-advice", dest="advice", action="store_false", help=words("validate.no_advice"))
    advice.add_argument("--fail-on-advice", action="store_true", help=words("validate.fail_on_advice"))
    validate.add_argument("--quiet", "-q", action="store_true", help=words("validate.quiet"))
    validate.add_argument("--output", "-o", metavar="FILE", help=words("validate.output"))
    validate.add_argument("--jobs", "-j", type=_positive(words), metavar="N", help=words("validate.jobs"))
    validate.add_argument(
        "--timeout",
        type=_seconds(words),
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=words("validate.timeout"),
    )
    validate.add_argument(
        "--max-size",
        type=_positive(words),
        default=DEFAULT_MAX_BYTES // (1024 * 1024),
        metavar="MB",
        help=words("validate.max_size"),
    )
    _add_convention_options(validate, words)
    # command_parser: the parser whose defaults a configuration file sets (main.py, configuration.py).
    validate.set_defaults(run=run_validate, command_parser=validate)

    rules = commands.add_parser("rules", help=words("rules.help"), description=words("rules.description"))
    rule_commands = rules.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    listing = rule_commands.add_parser("list", help=words("rules.list.help"), description=words("rules.list.help"))
    listing.add_argument("--spec", choices=_SPECS, help=words("rules.list.spec"))
    listing.add_argument(
        "--rules-version",
        choices=tuple(releases()),
        metavar="VERSION",
        help=words("rules.rules_version", latest=latest_version()),
    )
    listing.add_argument("--lang", choices=("ja", "en"), default=language, help=words("rules.lang"))
    listing.add_argument("--format", choices=("text", "json"), default="text", help=words("rules.format"))
    listing.set_defaults(run=run_rules_list)
    show = rule_commands.add_parser("show", help=words("rules.show.help"), description=words("rules.show.help"))
    show.add_argument("rule_id", metavar="RULE_ID", help=words("rules.show.rule_id"))
    show.add_argument(
        "--rules-version",
        choices=tuple(releases()),
        metavar="VERSION",
        help=words("rules.rules_version", latest=latest_version()),
    )
    show.add_argument("--lang", choices=("ja", "en"), default=language, help=words("rules.lang"))
    show.add_argument("--format", choices=("text", "json"), default="text", help=words("rules.format"))
    show.set_defaults(run=run_rules_show)
    known = ", ".join(releases())
    diff = rule_commands.add_parser("diff", help=words("rules.diff.help"), description=words("rules.diff.description"))
    diff.add_argument("old", choices=tuple(releases()), metavar="OLD", help=words("rules.diff.old", releases=known))
    diff.add_argument("new", choices=tuple(releases()), metavar="NEW", help=words("rules.diff.new", releases=known))
    diff.add_argument("--format", choices=("text", "json"), default="text", help=words("rules.format"))
    diff.set_defaults(run=run_rules_diff)
    add_serve_parser(commands, language)
    return parser
