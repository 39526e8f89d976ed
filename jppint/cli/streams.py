"""The command line's standard streams: closed descriptors, failed writes, error lines, stdin, colour.

The command line owns its process, so unlike the library it may put /dev/null
on a closed descriptor; the library never touches file descriptors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO


def fill_closed_standard_descriptors() -> None:
    """Put /dev/null on a closed descriptor 0, 1 or 2 (`2>&-`).

    Otherwise the next file or pipe opened takes its number, and whatever
    writes to "standard error" (a library, a worker process) writes into it.
    Python has already set sys.stderr (or sys.stdout) to None for a closed
    one, which is how the rest of the command line knows.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)


def silence_standard_output() -> None:
    """After a failed write: send what is left to /dev/null, so Python's flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def error(message: str) -> None:
    """One line on standard error; dropped when standard error is closed (never onto standard output)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        print(f"jppint: {message}", file=stream, flush=True)
    except (OSError, ValueError):
        pass


def standard_input() -> Any:
    stream = sys.stdin
    if stream is None:
        return None
    return getattr(stream, "buffer", None) or _EncodedText(stream)


class _EncodedText:
    """A text stdin (as some embedding hosts provide) read as UTF-8 bytes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def read(self) -> bytes:
        return self.stream.read().encode("utf-8")


def colour_wanted(stream: TextIO | None, mode: str = "auto", environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what goes to `stream`; the first rule that applies decides.

    1. `--color always` or `--color never`;
    2. NO_COLOR set and not empty: no colour (https://no-color.org);
    3. FORCE_COLOR set and not empty: colour, even into a pipe (https://force-color.org);
    4. TERM=dumb: no colour;
    5. otherwise colour only when `stream` is a terminal.

    NO_COLOR wins over FORCE_COLOR, as in Python's own interpreter (3.13).
    """
    if mode in ("always", "never"):
        return mode == "always"
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb" or stream is None:
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
