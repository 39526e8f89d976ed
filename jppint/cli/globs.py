"""Path patterns of `--exclude` and `--per-file-ignores`, matched the way ruff matches its `exclude`.

A pattern without `/` is a name: it matches a file or directory of that
name anywhere (`*.draft.xml`, `legacy`). A pattern with `/` is a path: it
matches from the directory it is anchored at, the working directory for
the command line's patterns, the configuration file's directory for the
configuration's (which are made absolute when read). A pattern that
matches a directory matches everything below it.

`*` and `?` never cross a `/`; `**` stands for any number of directories
(`invoices/**/draft-*.xml`); `[abc]` and `[!abc]` are character classes.
Python 3.11's glob has no translation to a regular expression and its
`PurePath.match` no `**`, so the few rules above are written here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath


@cache
def _expression(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:[^/]*/)*")  # any number of directories, none included
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        if character == "*":
            parts.append("[^/]*")
        elif character == "?":
            parts.append("[^/]")
        elif character == "[":
            end = pattern.find("]", index + 2)
            if end == -1:
                parts.append(re.escape(character))
            else:
                inside = pattern[index + 1 : end]
                negated = inside.startswith("!")
                inside = inside[1:] if negated else inside
                escaped = inside.replace("\\", "\\\\").replace("^", "\\^")
                parts.append(f"[^/{escaped}]" if negated else f"[{escaped}]")
                index = end
        else:
            parts.append(re.escape(character))
        index += 1
    # What a pattern matches, everything below it matches too (a directory's files).
    return re.compile("".join(parts) + "(?:/.*)?", re.DOTALL)


@dataclass(frozen=True)
class PathPattern:
    """One glob, and whether it names a file or directory anywhere or a path from an anchor."""

    pattern: str

    @property
    def is_name(self) -> bool:
        return "/" not in self.pattern.rstrip("/")

    def matches(self, path: str, working_directory: str | None = None) -> bool:
        """Whether `path` (as given, relative to `working_directory` or absolute) is matched."""
        absolute = _absolute(path, working_directory)
        if self.is_name:
            name = _expression(self.pattern.rstrip("/"))
            return any(name.fullmatch(part) for part in PurePosixPath(absolute).parts[1:])
        anchored = self.pattern
        if not anchored.startswith("/"):
            anchored = escape(_absolute(".", working_directory)).rstrip("/") + "/" + anchored.removeprefix("./")
        return _expression(anchored.rstrip("/")).fullmatch(absolute) is not None


def _absolute(path: str, working_directory: str | None) -> str:
    """The path made absolute and normalised (`..` resolved by name, links left alone), in posix form."""
    base = working_directory if working_directory is not None else os.getcwd()
    joined = os.path.normpath(os.path.join(base, path))
    return joined.replace(os.sep, "/") if os.sep != "/" else joined


def escape(path: str) -> str:
    """A directory's path written so that a pattern can start with it (its `*?[` taken literally)."""
    return re.sub(r"([*?\[])", r"[\1]", path)
