"""Turning command-line arguments into the list of documents to validate.

An argument is a file, a directory (walked recursively for `*.xml`), a glob
pattern or `-` for standard input. Whatever cannot become a document (a
missing path, a pattern matching nothing, a symlink loop, an unreadable
directory) becomes an `InputProblem` in the same list, at the place where it
was found, so one bad argument never hides the others and the report keeps
the order the user asked for.
"""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from jppint.document import DEFAULT_MAX_BYTES
from jppint.reporters.batch_result import InputProblem

STDIN = "-"
STDIN_LABEL = "<stdin>"
_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    """One document to validate: a file, or the bytes read from standard input.

    `label` is how reports name it: the path as the user wrote it (or as
    found under a directory they named), `<stdin>` for standard input.
    """

    label: str
    path: str | None = None
    data: bytes | None = None

    @property
    def source(self) -> str | bytes:
        return self.path if self.path is not None else (self.data or b"")

    def read_bytes(self) -> bytes | None:
        """The document's bytes again (for quoting source lines), or None when it is gone."""
        if self.data is not None:
            return self.data
        try:
            return Path(self.path or "").read_bytes()
        except OSError:
            return None


Item = Input | InputProblem


def expand_inputs(
    arguments: Sequence[str], *, stdin: IO[bytes] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Item]:
    """Every document the arguments name, in order, each file once.

    A file named twice (say by a directory and by a glob) is validated once,
    at its first place. `stdin` is read only when `-` is among the arguments.
    """
    items: list[Item] = []
    seen: set[str] = set()
    for argument in arguments:
        for item in _expand_one(argument, stdin, max_bytes):
            if isinstance(item, Input) and item.path is not None:
                key = os.path.realpath(item.path)
                if key in seen:
                    continue
                seen.add(key)
            elif isinstance(item, Input):
                if STDIN in seen:
                    continue
                seen.add(STDIN)
            items.append(item)
    return items


def _expand_one(argument: str, stdin: IO[bytes] | None, max_bytes: int) -> Iterator[Item]:
    if argument == STDIN:
        yield _read_stdin(stdin, max_bytes)
        return
    if not argument:
        yield InputProblem("''", "an empty argument is not a file name")
        return
    if os.path.lexists(argument):
        yield from _expand_path(argument, explicit=True)
        return
    if _GLOB_CHARACTERS & set(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            yield InputProblem(argument, "no file matches this pattern")
            return
        for match in matches:
            yield from _expand_path(match, explicit=False)
        return
    yield InputProblem(argument, "no such file or directory")


def _read_stdin(stdin: IO[bytes] | None, max_bytes: int) -> Item:
    if stdin is None:
        return InputProblem(STDIN_LABEL, "standard input is not available")
    try:
        # One byte past the limit is enough to know the document is too large.
        return Input(STDIN_LABEL, data=stdin.read(max_bytes + 1))
    except (OSError, ValueError) as error:
        return InputProblem(STDIN_LABEL, f"cannot read standard input: {error}")


def _expand_path(path: str, *, explicit: bool) -> Iterator[Item]:
    """A path that exists (at least as a link): a file, or a directory to walk.

    A file named explicitly is validated whatever its extension; under a
    directory or from a glob only `*.xml` files are taken.
    """
    try:
        status = os.stat(path)
    except OSError as error:
        yield InputProblem(path, _link_problem(error))
        return
    if os.path.isdir(path):
        found = list(_walk(path, frozenset({(status.st_dev, status.st_ino)})))
        if not any(isinstance(item, Input) for item in found):
            found.append(InputProblem(path, "no .xml file in this directory"))
        yield from found
    elif explicit or _is_xml_name(path):
        yield Input(path, path=path)


def _walk(directory: str, ancestors: frozenset[tuple[int, int]]) -> Iterator[Item]:
    """The `*.xml` files under `directory`, sorted, following symbolic links.

    `ancestors` are the directories above (device, inode): a link back to one
    of them is a loop, reported once and not followed.
    """
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield InputProblem(directory, f"cannot read directory: {error.strerror or error}")
        return
    for entry in entries:
        try:
            status = entry.stat(follow_symlinks=True)
        except OSError as error:
            if error.errno == errno.ELOOP or _is_xml_name(entry.name):
                yield InputProblem(entry.path, _link_problem(error))
            continue
        if entry.is_dir(follow_symlinks=True):
            key = (status.st_dev, status.st_ino)
            if key in ancestors:
                yield InputProblem(entry.path, "symbolic link loop: it leads back to an enclosing directory")
                continue
            yield from _walk(entry.path, ancestors | {key})
        elif _is_xml_name(entry.name):
            yield Input(entry.path, path=entry.path)


def _is_xml_name(name: str) -> bool:
    return name.lower().endswith(".xml")


def _link_problem(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT:
        return "broken symbolic link: its target does not exist"
    if error.errno == errno.EACCES:
        return "permission denied"
    return f"cannot read: {error.strerror or error}"
