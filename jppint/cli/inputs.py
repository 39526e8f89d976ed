"""Turning command-line arguments into the list of documents to validate.

An argument is a file, a directory (walked recursively for `*.xml`), a glob
pattern or `-` for standard input. Whatever cannot become a document (a
missing path, a pattern matching nothing, a symlink loop, an unreadable
directory or entry, a FIFO or device) becomes an `InputProblem` in the same
list, at the place where it was found, so one bad argument never hides the
others and the report keeps the order the user asked for.

Only regular files are read. A FIFO is never opened, because opening one
blocks until something writes to it; a device is not a document.

`--exclude` patterns (see globs.py) leave out files and whole directories,
whether named on the command line, found by a glob or under a directory;
a directory is then not walked at all. What they leave out is not an
error: a directory whose files are all excluded is not "without .xml files".
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from jppint.cli.globs import PathPattern
from jppint.document import DEFAULT_MAX_BYTES
from jppint.reporters.batch_result import InputProblem

STDIN = "-"
STDIN_LABEL = "<stdin>"
_GLOB_CHARACTERS = frozenset("*?[")
# Never blocks on a FIFO swapped in after the walk; never makes a terminal ours.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)

# What an errno means for an input, in the words of `ls` and `cat`; any other says "cannot read: ...".
_REASONS = {
    errno.ENOENT: "no such file or directory",
    errno.ENAMETOOLONG: "file name too long",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ELOOP: "symbolic link loop",
    errno.ENOTDIR: "not a directory: a part of the path is a file",
    errno.EISDIR: "is a directory, not a file",
    errno.EIO: "input/output error (a failing disk or network file system?)",
    errno.ENXIO: "no such device",
    errno.ENODEV: "no such device",
    errno.ESTALE: "stale network file handle",
    errno.EOVERFLOW: "too large for this system to read",
}
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


@dataclass(frozen=True)
class Input:
    """One document to validate: a file, or the bytes read from standard input.

    `label` is how reports name it: the path as the user wrote it (or as
    found under a directory they named), `<stdin>` for standard input;
    valid UTF-8 even when the file name is not (see `display_name`).
    """

    label: str
    path: str | None = None
    data: bytes | None = None

    @property
    def source(self) -> str | bytes:
        return self.path if self.path is not None else (self.data or b"")

    def read_bytes(self) -> bytes | None:
        """The bytes read from standard input, for quoting source lines; None for a file."""
        return self.data


@dataclass(frozen=True)
class ValidatedFile:
    """A file as it was validated: its lines are quoted only while its bytes are still those.

    Keeping the bytes of every report with findings would hold a whole
    batch in memory; a size and a 16-byte digest tell whether the file
    read again is the one that was validated.
    """

    path: str
    size: int
    digest: bytes

    def read_bytes(self) -> bytes | None:
        try:
            data = read_file(self.path, self.size)
        except UnreadableError:
            return None
        return data if len(data) == self.size and digest_of(data) == self.digest else None


class UnreadableError(Exception):
    """A file that cannot be read as a document; the message is the one-line reason."""


Item = Input | InputProblem


def digest_of(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def read_file(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; `UnreadableError` when it is not one or too large.

    A FIFO or device is refused from its status, without reading: opening
    is non-blocking, so even a FIFO put in place of a file since the walk
    cannot stall the batch.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise UnreadableError(os_error_reason(error)) from None
    except ValueError as error:  # a NUL character in the name
        raise UnreadableError(f"not a usable file name: {error}") from None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise UnreadableError(_REASONS[errno.EISDIR])
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableError(not_regular_reason(status.st_mode))
        if status.st_size > max_bytes:
            raise UnreadableError(too_large_reason(status.st_size, max_bytes))
        try:
            data = stream.read(max_bytes + 1)  # one byte past the limit is enough to refuse
        except OSError as error:
            raise UnreadableError(os_error_reason(error)) from None
    if len(data) > max_bytes:
        raise UnreadableError(too_large_reason(None, max_bytes))  # it grew since fstat
    return data


def too_large_reason(size: int | None, max_bytes: int) -> str:
    """Why a document over `--max-size` is refused; `size` None when only "more than the limit" is known."""
    if size is None:
        return f"document is larger than the limit of {max_bytes} bytes (--max-size)"
    return f"document is {size} bytes, larger than the limit of {max_bytes} bytes (--max-size)"


def os_error_reason(error: OSError) -> str:
    """The one-line reason an OSError gives for an input."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return f"cannot read: {error.strerror or error}"


def not_regular_reason(mode: int) -> str:
    kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
    return f"not a regular file ({kind}), so it was not opened; to validate what it delivers, use - and redirect it"


def display_name(path: str) -> str:
    """`path` as valid UTF-8 text for reports: bytes that are not UTF-8 become U+FFFD.

    Python hands such bytes over as lone surrogates, which JSON and XML
    writers cannot encode; the path itself is kept for opening the file.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="replace")
    return path


@dataclass
class _Exclusion:
    """The `--exclude` patterns, and how many paths they left out (so that an emptied directory is no error)."""

    patterns: Sequence[PathPattern] = ()
    count: int = field(default=0)

    def excludes(self, path: str) -> bool:
        if any(pattern.matches(path) for pattern in self.patterns):
            self.count += 1
            return True
        return False


def expand_inputs(
    arguments: Sequence[str],
    *,
    stdin: IO[bytes] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[PathPattern] = (),
) -> list[Item]:
    """Every document the arguments name, in order, each file once, none that `exclude` matches.

    A file named twice (say by a directory and by a glob) is validated once,
    at its first place. `stdin` is read only when `-` is among the arguments.
    """
    items: list[Item] = []
    seen: set[str] = set()
    exclusion = _Exclusion(exclude)
    for argument in arguments:
        for item in _expand_one(argument, stdin, max_bytes, exclusion):
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


def _expand_one(argument: str, stdin: IO[bytes] | None, max_bytes: int, exclusion: _Exclusion) -> Iterator[Item]:
    if argument == STDIN:
        yield _read_stdin(stdin, max_bytes)
        return
    if not argument:
        yield InputProblem("''", "an empty argument is not a file name")
        return
    try:
        os.lstat(argument)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR) and _GLOB_CHARACTERS & set(argument):
            yield from _expand_glob(argument, exclusion)
        else:
            yield InputProblem(display_name(argument), os_error_reason(error))
        return
    except ValueError as error:  # a NUL character, possible when main() is called with a list
        yield InputProblem(display_name(argument), f"not a usable file name: {error}")
        return
    if exclusion.excludes(argument):
        return
    yield from _expand_path(argument, exclusion, explicit=True)


def _expand_glob(pattern: str, exclusion: _Exclusion) -> Iterator[Item]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield InputProblem(display_name(pattern), "no file matches this pattern")
        return
    for match in matches:
        if not exclusion.excludes(match):
            yield from _expand_path(match, exclusion, explicit=False)


def _read_stdin(stdin: IO[bytes] | None, max_bytes: int) -> Item:
    if stdin is None:
        return InputProblem(STDIN_LABEL, "standard input is not available")
    try:
        # One byte past the limit is enough to know the document is too large.
        return Input(STDIN_LABEL, data=stdin.read(max_bytes + 1))
    except (OSError, ValueError) as error:
        return InputProblem(STDIN_LABEL, f"cannot read standard input: {error}")


def _expand_path(path: str, exclusion: _Exclusion, *, explicit: bool) -> Iterator[Item]:
    """A path that exists (at least as a link): a file, or a directory to walk.

    A file named explicitly is validated whatever its extension; under a
    directory or from a glob only `*.xml` files are taken.
    """
    label = display_name(path)
    try:
        status = os.stat(path)
    except OSError as error:
        yield InputProblem(label, _link_problem(error))
        return
    if stat.S_ISDIR(status.st_mode):
        excluded_before = exclusion.count
        found = list(_walk(path, frozenset({(status.st_dev, status.st_ino)}), exclusion))
        if not any(isinstance(item, Input) for item in found) and exclusion.count == excluded_before:
            found.append(InputProblem(label, "no .xml file in this directory"))
        yield from found
    elif explicit or _is_xml_name(path):
        yield _file(path, status.st_mode)


def _file(path: str, mode: int) -> Item:
    if stat.S_ISREG(mode):
        return Input(display_name(path), path=path)
    return InputProblem(display_name(path), not_regular_reason(mode))


def _walk(directory: str, ancestors: frozenset[tuple[int, int]], exclusion: _Exclusion) -> Iterator[Item]:
    """The `*.xml` files under `directory`, sorted, following symbolic links.

    `ancestors` are the directories above (device, inode): a link back to one
    of them is a loop, reported once and not followed. An entry that cannot
    be examined is reported, since it may be a directory of invoices; only
    a broken link whose name is not `*.xml` is passed over, as it leads to
    nothing that would be validated.
    """
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield InputProblem(display_name(directory), f"cannot read directory: {os_error_reason(error)}")
        return
    for entry in entries:
        if exclusion.excludes(entry.path):
            continue
        try:
            status = entry.stat(follow_symlinks=True)
        except OSError as error:
            if error.errno == errno.ENOENT and _is_link(entry) and not _is_xml_name(entry.name):
                continue
            yield InputProblem(
                display_name(entry.path), _link_problem(error) if _is_link(entry) else _entry_problem(error)
            )
            continue
        if stat.S_ISDIR(status.st_mode):
            key = (status.st_dev, status.st_ino)
            if key in ancestors:
                yield InputProblem(
                    display_name(entry.path), "symbolic link loop: it leads back to an enclosing directory"
                )
                continue
            yield from _walk(entry.path, ancestors | {key}, exclusion)
        elif _is_xml_name(entry.name):
            yield _file(entry.path, status.st_mode)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _is_xml_name(name: str) -> bool:
    return name.lower().endswith(".xml")


def _entry_problem(error: OSError) -> str:
    return f"cannot examine this entry: {os_error_reason(error)}"


def _link_problem(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "broken symbolic link: its target does not exist"
    return os_error_reason(error)
