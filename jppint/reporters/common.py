"""What several reporters share: options, the words of the chosen language, paths as URIs."""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from jppint.reporters.batch_result import Readable
from jppint.results import Finding
from jppint.rule_entries import Language

SEVERITIES = ("fatal", "warning", "information")


@dataclass(frozen=True)
class ReportOptions:
    """How to write a report; the batch itself says what to write."""

    lang: Language = "en"
    colour: bool = False
    quiet: bool = False
    working_directory: Path = field(default_factory=Path.cwd)


@cache
def labels(lang: Language) -> dict[str, str]:
    """The command line's own words in `lang` (from labels.toml, next to this module)."""
    text = resources.files("jppint.reporters").joinpath("labels.toml").read_text(encoding="utf-8")
    words: dict[str, str] = tomllib.loads(text)[lang]
    return words


def severity_counts(counts: dict[str, int], lang: Language, *, skip_zero: bool = False) -> str:
    """`2 fatal, 1 warning` (or in Japanese), in the order of the severities."""
    words = labels(lang)
    parts = [words["count"].format(number=counts.get(severity, 0), severity=words[severity]) for severity in SEVERITIES]
    if skip_zero:
        parts = [part for part, severity in zip(parts, SEVERITIES, strict=True) if counts.get(severity, 0)]
    return words["separator"].join(parts)


def sorted_findings(findings: tuple[Finding, ...]) -> list[Finding]:
    """Findings in the order of the document (by line), keeping rule order within a line."""
    return sorted(findings, key=lambda finding: (finding.line is None, finding.line or 0))


def names_no_file(label: str) -> bool:
    """`<stdin>`, `<document 2>`: labels of documents that were never files."""
    return label.startswith("<") and label.endswith(">")


def relative_path(label: str, working_directory: Path) -> str:
    """The label as a path relative to the working directory when it lies below it (posix form)."""
    if names_no_file(label):
        return label
    path = Path(label)
    if path.is_absolute():
        try:
            return path.relative_to(working_directory).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def artifact_location(label: str, working_directory: Path) -> dict[str, str]:
    """A SARIF artifactLocation: relative to %SRCROOT% (the working directory) when possible."""
    if names_no_file(label):
        return {"uri": quote(label.strip("<>").replace(" ", "-"))}
    shown = relative_path(label, working_directory)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown), "uriBaseId": "%SRCROOT%"}


_LINE_BREAK = re.compile(r"\r\n?|\n")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def source_lines(document: Readable | None) -> list[str]:
    """The lines of the document as written, to quote the line a finding points at."""
    data = document.read_bytes() if document is not None else None
    if not data:
        return []
    encoding = "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        declared = _DECLARED_ENCODING.match(data.removeprefix(codecs.BOM_UTF8))
        if declared:
            encoding = declared.group(1).decode("ascii")
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    # XML counts lines at LF, CRLF and CR only (str.splitlines would also split at FF, NEL, ...).
    return _LINE_BREAK.split(text.removeprefix("\ufeff"))


_TAG_LINES_LIMIT = 50


def tag_start(quoted: list[str], line: int) -> int:
    """The line where the element's start tag begins.

    The parser numbers an element by the line where its start tag ends; for
    a tag spread over several lines (a root with many namespace
    declarations) the line worth quoting is the one with the `<`.
    """
    number = line
    while number > 1 and "<" not in quoted[number - 1] and line - number < _TAG_LINES_LIMIT:
        number -= 1
    return number if "<" in quoted[number - 1] else line


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """`value` as text XML 1.0 can carry: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))
