"""Where a report goes: standard output, or the file `--output` names, never half written.

A report file is either the old one or the complete new one, never half a
report: the text is written to a temporary file in the same directory
(so the rename stays on one file system), flushed to disk, then renamed
over the target with `os.replace`. On any failure, Ctrl-C or a signal
included, the temporary file is removed and the target is untouched.

`--output` writes where the name leads, as a shell's `>` does: through a
symbolic link to its target (the link stays), directly into a character
device or a FIFO (`/dev/null`, `/dev/stderr`, a pipe a reader waits on:
there is nothing to replace, and replacing a device node would destroy
it), and never over a directory.

The report keeps the permissions of the file it replaces; a new one gets
those of any new file, because the temporary file is created with mode
0666 and the kernel applies the umask (or the directory's default ACL).
The umask is never read: reading it means setting it, for every thread of
the process at once.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class Target:
    """Where `--output` leads: the file to replace atomically, or a device or FIFO to write into."""

    path: Path
    atomic: bool


def report_target(path: Path) -> Target:
    """Follow `path` to what will be written; raise OSError when a report cannot go there.

    Checked before validating, so a mistyped `--output` costs no batch.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    if status is None:  # a new file, or the missing target of a symbolic link
        target = Path(os.path.realpath(path))
        if not target.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, f"directory {target.parent} does not exist", str(path))
        return Target(target, atomic=True)
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if stat.S_ISREG(status.st_mode):
        target = Path(os.path.realpath(path))
        if _same_file(target, status):
            return Target(target, atomic=True)
    # A device, FIFO or socket; or a regular file known by no name (an open, deleted file via /proc/self/fd).
    return Target(path, atomic=False)


def _same_file(path: Path, status: os.stat_result) -> bool:
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (status.st_dev, status.st_ino)


def write_report(path: Path, data: bytes) -> None:
    """Write `data` where `path` leads (see the module's docstring); raise OSError if it cannot be done."""
    target = report_target(path)
    if target.atomic:
        write_atomically(target.path, data)
    else:
        _write_into(target.path, data)


def _write_into(path: Path, data: bytes) -> None:
    # O_TRUNC as a shell's `>`: devices and FIFOs ignore it, a file known only by /proc/self/fd needs it.
    flags = os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raise OSError if it cannot be done."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    mode = _existing_mode(path)
    descriptor, temporary = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _existing_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, open file next to `path`, with a name no other file has."""
    for _ in range(100):
        temporary = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, _TEMPORARY_FLAGS, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def is_standard_output(path: Path) -> bool:
    """True when `path` is the file standard output already writes to (`/dev/stdout`, say).

    The report then goes to standard output itself: replacing or reopening
    the file would write over the summary line, or destroy a device.
    """
    if sys.stdout is None:
        return False
    try:
        ours, theirs = os.fstat(1), os.stat(path)
    except (OSError, ValueError):
        return False
    return (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino)


def write_stdout(text: str, *, binary: bool, stream: TextIO | None = None) -> None:
    """Print a report; raise OSError when standard output is closed, full or gone.

    XML and JSON reports are UTF-8 bytes whatever the terminal's encoding;
    text for people falls back to replacement characters on a terminal
    that lacks some.
    """
    stream = stream or sys.stdout
    if stream is None:  # the process was started with standard output closed
        raise OSError(errno.EBADF, "standard output is closed")
    buffer = getattr(stream, "buffer", None)
    if binary and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8", errors="replace"))
        buffer.flush()
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    stream.flush()
