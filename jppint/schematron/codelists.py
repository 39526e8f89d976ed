"""Code list files (`rules/codelists/*.txt`, format in its README), as of a release.

A file holds the codes of the latest release; each `# changed-in: <release>
+ADDED -REMOVED` header records what that release changed, so the list of
an earlier release is the file with those changes undone. A rule set names
its release with `jp:release` on its root element; one file then serves
every release, and the history of a list stays data beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CHANGED_IN = "changed-in"
_HEADER = re.compile(r"#\s*(?P<key>[a-z-]+):\s*(?P<value>.*?)\s*")
_RELEASE = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True)
class Change:
    """What one release changed in a list."""

    release: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class CodeListFile:
    """The codes of a file (the latest release), its header fields, and its recorded changes."""

    codes: tuple[str, ...]
    headers: dict[str, str]
    changes: tuple[Change, ...]

    def codes_as_of(self, release: str | None) -> tuple[str, ...]:
        """The list as it was in `release` (the file's codes when None or not earlier than any change)."""
        if release is None:
            return self.codes
        alphabetical = list(self.codes) == sorted(self.codes)
        codes = list(self.codes)
        for change in sorted(self.changes, key=lambda change: release_key(change.release), reverse=True):
            if release_key(change.release) <= release_key(release):
                break
            undone = set(change.added)
            codes = [code for code in codes if code not in undone] + [
                code for code in change.removed if code not in codes
            ]
        return tuple(sorted(codes) if alphabetical else codes)


def release_key(release: str) -> tuple[int, ...]:
    """A release number as numbers, so x.y.10 comes after x.y.9; ValueError when it is no release number."""
    if not _RELEASE.fullmatch(release):
        raise ValueError(f"{release!r} is not a release number (digits separated by dots)")
    return tuple(int(part) for part in release.split("."))


def parse_code_list(text: str) -> CodeListFile:
    """The codes and headers of a code list file's text; ValueError on a malformed changed-in header."""
    codes: list[str] = []
    headers: dict[str, str] = {}
    changes: list[Change] = []
    for line in text.splitlines():
        if line.startswith("#"):
            header = _HEADER.fullmatch(line)
            if header is None:
                continue
            if header["key"] == CHANGED_IN:
                changes.append(_change(header["value"]))
            else:
                headers.setdefault(header["key"], header["value"])
        elif line.strip():
            codes.append(line.strip())
    return CodeListFile(tuple(codes), headers, tuple(changes))


def read_code_list(path: str | Path) -> CodeListFile:
    return parse_code_list(Path(path).read_text(encoding="utf-8"))


def _change(value: str) -> Change:
    release, *codes = value.split()
    release_key(release)
    if not codes or any(len(code) < 2 or code[0] not in "+-" for code in codes):
        raise ValueError(f"changed-in {value!r}: want '<release> +CODE -CODE ...'")
    return Change(
        release=release,
        added=tuple(code[1:] for code in codes if code[0] == "+"),
        removed=tuple(code[1:] for code in codes if code[0] == "-"),
    )
