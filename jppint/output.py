"""Where a report goes: standard output, or a file replaced atomically.

A report file is either the old one or the complete new one, never half a
report: the text is written to a temporary file in the same directory
(so the rename stays on one file system), flushed to disk, then renamed
over the target with `os.replace`. On any failure the temporary file is
removed and the target is untouched.

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
import sys
from contextlib import suppress
from pathlib import Path
from typing import TextIO


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raise OSError if it cannot be done."""
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
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


def write_stdout(text: str, *, binary: bool, stream: TextIO | None = None) -> None:
    """Print a report. XML and JSON reports are UTF-8 bytes whatever the terminal's encoding;
    text for people falls back to replacement characters on a terminal that lacks some."""
    stream = stream or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if binary and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    stream.flush()
