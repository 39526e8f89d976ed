"""A progress bar on standard error, for people watching a long batch in a terminal.

Only drawn when standard error is a terminal, the batch is large and it has
run for a moment; never mixed into the report itself (standard output or
`--output`), and erased when the batch ends.
"""

from __future__ import annotations

import shutil
import time
from typing import TextIO

MIN_FILES = 20
_DELAY_SECONDS = 0.5
_INTERVAL_SECONDS = 0.1


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < _DELAY_SECONDS or (now - self.drawn_at < _INTERVAL_SECONDS and done < total):
            return
        self.drawn_at = now
        columns = shutil.get_terminal_size((80, 24)).columns
        counter = f" {done}/{total}"
        bar_width = max(10, min(50, columns - len(counter) - 3))
        filled = bar_width * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (bar_width - filled)}]{counter}"
        self.width = len(line)
        self.stream.write(f"\r{line}")
        self.stream.flush()

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def wanted(stream: TextIO, files: int) -> bool:
    isatty = getattr(stream, "isatty", None)
    return files >= MIN_FILES and bool(isatty and isatty())
