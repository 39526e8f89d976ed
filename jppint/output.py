"""Where a report goes: standard output, or a file replaced atomically.

A report file is either the old one or the complete new one, never half a
report: the text is written to a temporary file in the same directory
(so the rename stays on one file system), flushed to disk, then renamed
over the target with `os.replace`. On any failure the temporary file is
removed and the target is untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import TextIO


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raise OSError if it cannot be done."""
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    mode = _mode_for(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file we replace; a new file gets the usual 0666 & ~umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


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
