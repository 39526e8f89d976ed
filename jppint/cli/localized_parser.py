"""argparse in the command line's language: its own words, its errors, and help wrapped for wide characters.

argparse writes its words ("usage:", "options", "the following arguments
are required: ...") through gettext, which only reads compiled catalogues
chosen by process-wide settings. Instead, texts/argparse.toml pairs each of
argparse's English templates with ours; an error message argparse has
already filled in is matched against the templates (the values it put in
are kept, a nested message is translated in turn). English passes through
unchanged, so a message argparse adds in a later Python stays readable.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from typing import Any, NoReturn

from jppint.rule_entries import Language

# argparse's placeholders: %s, %r, %(name)s, %(name)r.
_PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?(?P<kind>[sr])")
_NESTED = "message"  # the placeholder holding another message of argparse, translated in turn


@dataclass(frozen=True)
class _Template:
    english: str
    japanese: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]


def _compile(english: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts: list[str] = []
    names: list[str] = []
    position = 0
    for number, placeholder in enumerate(_PLACEHOLDER.finditer(english)):
        parts.append(re.escape(english[position : placeholder.start()]))
        name = placeholder.group("name") or f"value{number}"
        names.append(name)
        parts.append(f"(?P<{name}>.*?)")
        position = placeholder.end()
    parts.append(re.escape(english[position:]))
    return re.compile("".join(parts), re.DOTALL), tuple(names)


@cache
def _templates() -> tuple[_Template, ...]:
    text = resources.files("jppint.cli").joinpath("texts", "argparse.toml").read_text(encoding="utf-8")
    entries = tomllib.loads(text)["message"]
    templates = []
    for entry in entries:
        pattern, names = _compile(entry["en"])
        templates.append(_Template(entry["en"], entry["ja"], pattern, names))
    # Longer templates first, so that "expected at least one argument" wins over a shorter look-alike.
    return tuple(sorted(templates, key=lambda template: -len(template.english)))


def argparse_templates() -> tuple[tuple[str, str], ...]:
    """The (English, Japanese) pairs of argparse's words, for tests."""
    return tuple((template.english, template.japanese) for template in _templates())


def translate(message: str, language: Language) -> str:
    """`message`, written by argparse in English, in `language`; unchanged when no template matches."""
    if language == "en":
        return message
    for template in _templates():
        if template.english == message:
            return template.japanese
    for template in _templates():
        if not template.names:
            continue
        match = template.pattern.fullmatch(message)
        if match is None:
            continue
        values = {name: match.group(name) for name in template.names}
        if _NESTED in values:
            values[_NESTED] = translate(values[_NESTED], language)
        return _fill(template.japanese, values)
    return message


def _fill(japanese: str, values: dict[str, str]) -> str:
    """The Japanese template with argparse's placeholders replaced by the values found in the English."""
    counter = iter(range(len(values) + 1))

    def value(placeholder: re.Match[str]) -> str:
        name = placeholder.group("name") or f"value{next(counter)}"
        return values.get(name, placeholder.group(0))

    return _PLACEHOLDER.sub(value, japanese)


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


# Japanese line breaking, lightly: no line starts with closing punctuation or ends with opening punctuation.
_NO_LINE_START = frozenset("、。，．）」』】〕・ー：；！？%)]},.:;")
_NO_LINE_END = frozenset("（「『【〔([{")
_NO_SPACE_AFTER = frozenset("、。・（「『")
_TABLE_ROW = re.compile(r"\s*\S+\s{2,}(?=\S)")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, breaking at spaces or between wide characters."""
    words = _break_opportunities(text)
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = line + word
        if line and display_width(candidate.rstrip()) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _break_opportunities(text: str) -> Iterable[str]:
    """Pieces of `text` between which a line may break (each keeps its trailing space)."""
    piece = ""
    for index, character in enumerate(text):
        piece += character
        following = text[index + 1] if index + 1 < len(text) else ""
        if not following:
            break
        wide = display_width(character) == 2 or display_width(following) == 2
        breakable = (character == " " and following != " ") or (wide and following != " " and character != " ")
        if breakable and following not in _NO_LINE_START and character not in _NO_LINE_END:
            yield piece
            piece = ""
    if piece:
        yield piece


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """Help in the parser's language: argparse's words translated, lines wrapped by display width.

    Descriptions and epilogs keep the line breaks they are written with
    (the exit-status table), and a line too long for the terminal is
    wrapped at its own indentation.
    """

    def __init__(self, prog: str, *, language: Language = "en", **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self.language = language

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        # argparse aligns the usage's later lines by len(prefix); a Japanese prefix is wider than it is long.
        prefix = translate("usage: ", self.language)
        stand_in = "\0" * display_width(prefix)
        return super()._format_usage(usage, actions, groups, stand_in).replace(stand_in, prefix, 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        for paragraph in _paragraphs(text):
            first = indent + paragraph.head
            hanging = indent + " " * (paragraph.hanging or display_width(paragraph.head))
            parts = wrap(paragraph.body, max(width - max(display_width(first), len(hanging)), 20)) or [""]
            lines.extend(((first if number == 0 else hanging) + part).rstrip() for number, part in enumerate(parts))
        return "\n".join(lines)


@dataclass
class _Paragraph:
    head: str = ""
    body: str = ""
    hanging: int = 0


def _paragraphs(text: str) -> Iterable[_Paragraph]:
    """The paragraphs of a description or epilog: a table row ("  2  usage error, ...") with its continuation lines.

    A line indented further than the row above continues it (and says how
    far its lines hang); any other line is a paragraph of its own (a
    heading, a line of a description, an empty line).
    """
    paragraph: _Paragraph | None = None
    for line in text.splitlines():
        stripped = line.strip()
        leading = len(line) - len(line.lstrip())
        if paragraph is not None and paragraph.head.strip() and stripped:
            row_leading = len(paragraph.head) - len(paragraph.head.lstrip())
            if leading > row_leading:
                paragraph.body = _join(paragraph.body, stripped)
                paragraph.hanging = paragraph.hanging or leading
                continue
        if paragraph is not None:
            yield paragraph
        match = _TABLE_ROW.match(line) if stripped else None
        head = match.group(0) if match else line[:leading]
        paragraph = _Paragraph(head, line[len(head) :].strip())
    if paragraph is not None:
        yield paragraph


def _join(first: str, second: str) -> str:
    """Two lines of one paragraph: Japanese joins without a space, other text with one."""
    if first and display_width(first[-1]) == 2 and (display_width(second[0]) == 2 or first[-1] in _NO_SPACE_AFTER):
        return first + second
    return f"{first} {second}"


class LocalizedArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks `language` in its help and its errors.

    Subcommands added with `add_subparsers().add_parser()` are localized
    parsers in the same language, without saying so at each call.
    """

    def __init__(self, *args: Any, language: Language = "en", **kwargs: Any) -> None:
        self.language = language
        kwargs.setdefault("formatter_class", partial(LocalizedHelpFormatter, language=language))
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # our own -h, with its help in the parser's language
        super().__init__(*args, **kwargs)
        self._positionals.title = translate("positional arguments", language)
        self._optionals.title = translate("options", language)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=translate("show this help message and exit", language),
            )

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", partial(LocalizedArgumentParser, language=self.language))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        words = translate("%(prog)s: error: %(message)s\n", self.language)
        self.exit(2, _fill(words, {"prog": self.prog, "message": translate(message, self.language)}))
