"""The progress bar: stderr only, only on a terminal, only for many files, erased at the end."""

from __future__ import annotations

import io

from jppint.cli.progress import MIN_FILES, Progress, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_for_many_files() -> None:
    assert wanted(Terminal(), MIN_FILES)
    assert not wanted(Terminal(), MIN_FILES - 1)
    assert not wanted(io.StringIO(), 10_000)


def test_progress_draws_a_bar_and_erases_it() -> None:
    stream = Terminal()
    progress = Progress(stream)
    progress(1, 100)
    assert stream.getvalue() == ""  # nothing during the first half second
    progress.started -= 10
    progress(50, 100)
    drawn = stream.getvalue()
    assert drawn.startswith("\r[") and drawn.endswith("] 50/100")
    assert drawn.count("#") * 2 == drawn.count("#") + drawn.count(".")
    progress.clear()
    assert stream.getvalue().endswith("\r" + " " * (len(drawn) - 1) + "\r")
