"""The command line's words in English and Japanese, read from the catalogues in texts/.

Every text the command line prints (help, usage errors, input-error
reasons, the rule listing) is an entry of `texts/*.toml` with an `en` and a
`ja` value, so a wording changes in one place and in both languages at
once. Values are `str.format` templates (`{path}`); help texts may also hold
argparse's own `%(default)s`.

The language is decided before the options are parsed (`language_of`), so
that `--help` and usage errors already speak it: `--lang` when the command
line has it, otherwise the locale.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jppint.rule_entries import LANGUAGES, Language

_CATALOGUES = ("help.toml", "messages.toml")


def default_language(environ: Mapping[str, str] | None = None) -> Language:
    """`ja` when the locale for messages is Japanese, otherwise `en`.

    POSIX precedence: the first of LC_ALL, LC_MESSAGES, LANG that is set.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def language_of(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Language:
    """The language of a command line: its last valid `--lang` (as argparse would keep), else the locale.

    Read before parsing, since the parser's own help and errors need it;
    arguments after `--` are file names, not options.
    """
    chosen: Language | None = None
    arguments = list(argv)
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        value = None
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        if value == "ja":
            chosen = "ja"
        elif value == "en":
            chosen = "en"
    return chosen or default_language(environ)


def _flatten(table: Mapping[str, Any], prefix: str, into: dict[str, dict[str, str]], source: str) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if not isinstance(value, Mapping):
            raise ValueError(f"{source}: {key} is not a table of languages")
        if "en" in value or "ja" in value:
            if key in into:
                raise ValueError(f"{source}: {key} is defined twice")
            into[key] = {language: str(value[language]) for language in LANGUAGES if language in value}
        else:
            _flatten(value, f"{key}.", into, source)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every entry of the catalogues: dotted key -> {language: template}."""
    entries: dict[str, dict[str, str]] = {}
    folder = resources.files("jppint.cli").joinpath("texts")
    for name in _CATALOGUES:
        data = tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        _flatten(data, "", entries, name)
    return entries


def text(language: Language, key: str, **values: object) -> str:
    """The entry `key` in `language` (English when it has no such translation), with `values` filled in."""
    entry = catalogue()[key]
    template = entry.get(language) or entry["en"]
    return template.format(**values) if values else template


def texts(language: Language) -> Texts:
    """`text` bound to one language, for code that prints many entries."""
    return Texts(language)


class Texts:
    """The catalogue in one language: `words("key", value=...)`."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        return text(self.language, key, **values)
