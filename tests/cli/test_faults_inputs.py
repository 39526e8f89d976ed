"""Inputs that are not plain readable files, and quoting what was validated (issue 14 "Faults")."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path

import pytest

import jppint.cli.batch
from jppint.cli.batch import Settings, validate_items
from jppint.cli.inputs import Input, InputProblem, UnreadableError, expand_inputs, read_file
from jppint.reporters import REPORTERS, ReportOptions
from tests.cli.conftest import DATA, RULES

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"
FIFO_REASON = "not a regular file (a FIFO), so it was not opened; to validate what it delivers, use - and redirect it"


def _problems(items: list) -> dict[str, str]:
    return {Path(item.label).name: item.reason for item in items if isinstance(item, InputProblem)}


def test_a_fifo_named_or_found_in_a_directory_is_refused_without_opening_it(cli, tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "a.xml")
    os.mkfifo(tmp_path / "pipe.xml")  # opening it would wait for a writer for ever
    os.mkfifo(tmp_path / "named.fifo")
    run = cli("validate", "--schematron", RULES, tmp_path, tmp_path / "named.fifo")
    assert run.code == 2
    assert run.err.splitlines() == [
        f"jppint: {tmp_path / 'pipe.xml'}: {FIFO_REASON}",
        f"jppint: {tmp_path / 'named.fifo'}: {FIFO_REASON}",
    ]
    assert f"{tmp_path / 'a.xml'}: valid" in run.out


def test_a_device_named_on_the_command_line_is_refused() -> None:
    assert _problems(expand_inputs([os.devnull])) == {"null": FIFO_REASON.replace("a FIFO", "a character device")}


def test_reading_a_fifo_in_place_of_a_file_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "swapped.xml"
    os.mkfifo(fifo)  # as if swapped in after the walk
    errors: list[str] = []

    def read() -> None:
        try:
            read_file(str(fifo), 1000)
        except UnreadableError as error:
            errors.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive()
    assert errors == [FIFO_REASON]


class _Entry:
    """A directory entry whose status cannot be read (`os.DirEntry` cannot be subclassed)."""

    def __init__(self, entry: os.DirEntry[str], error: OSError) -> None:
        self.entry, self.error = entry, error
        self.name, self.path = entry.name, entry.path

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        raise self.error

    def is_symlink(self) -> bool:
        return self.entry.is_symlink()


def test_entries_that_cannot_be_examined_are_reported_and_the_rest_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(VALID, tmp_path / "ok.xml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nothing")  # a broken link to no invoice: passed over
    failing = {"sub": OSError(errno.EIO, "Input/output error"), "notes.txt": PermissionError(errno.EACCES, "denied")}
    real_scandir = os.scandir

    class _Scan:
        def __init__(self, path: str) -> None:
            with real_scandir(path) as scan:
                self.entries = [
                    _Entry(entry, failing[entry.name]) if entry.name in failing else entry for entry in scan
                ]

        def __enter__(self) -> list:
            return self.entries

        def __exit__(self, *_: object) -> None:
            return None

    monkeypatch.setattr(os, "scandir", _Scan)
    items = expand_inputs([str(tmp_path)])
    assert _problems(items) == {
        "notes.txt": "cannot examine this entry: permission denied",
        "sub": "cannot examine this entry: input/output error (a failing disk or network file system?)",
    }
    assert [Path(item.label).name for item in items if isinstance(item, Input)] == ["ok.xml"]


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ("x" * 300 + ".xml", "file name too long"),
        ("d/" * 2100 + "x.xml", "file name too long"),
        ("{valid}/inside.xml", "not a directory: a part of the path is a file"),
        ("missing.xml", "no such file or directory"),
    ],
)
def test_each_errno_is_named_precisely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    [problem] = expand_inputs([argument.format(valid=VALID)])
    assert isinstance(problem, InputProblem)
    assert problem.reason == reason


def test_a_too_long_name_on_the_command_line_says_so(cli) -> None:
    name = "x" * 300 + ".xml"
    run = cli("validate", "--schematron", RULES, name, VALID)
    assert run.code == 2
    assert run.err == f"jppint: {name}: file name too long\n"


def _text(batch) -> str:  # type: ignore[no-untyped-def]
    return REPORTERS["text"](batch, ReportOptions())


def test_the_text_report_quotes_the_bytes_validated_not_the_file_edited_since(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    shutil.copy(INVALID, path)
    batch = validate_items(expand_inputs([str(path)]), Settings(schematron=(str(RULES),)))
    assert "      16 | <cac:InvoiceLine>" in _text(batch)
    path.write_bytes(b"<!-- edited -->\n" + INVALID.read_bytes())  # line 16 is now another line
    edited = _text(batch)
    assert f"{path}:16" in edited
    assert " 16 | " not in edited and " 15 | " not in edited  # nothing quoted rather than the wrong line
    path.write_bytes(INVALID.read_bytes())  # the same bytes again: quoted again
    assert "      16 | <cac:InvoiceLine>" in _text(batch)


@pytest.mark.parametrize(("argv", "message"), [(["-1"], "must be 0 (no limit) or more"), (["soon"], "not a number")])
def test_a_bad_timeout_is_a_usage_error(cli, argv: list[str], message: str) -> None:
    run = cli("validate", "--timeout", *argv, VALID)
    assert run.code == 2
    assert message in run.err


@pytest.mark.parametrize(("timeout", "workers"), [([], 1), (["--timeout", "5"], 1), (["--timeout", "0"], 0)])
def test_the_time_limit_puts_even_one_document_in_a_worker(
    cli, monkeypatch: pytest.MonkeyPatch, timeout: list[str], workers: int
) -> None:
    started: list[object] = []
    real_start = jppint.cli.batch._Worker.start

    def counting_start(context: object, settings: Settings):  # type: ignore[no-untyped-def]
        started.append(settings)
        return real_start(context, settings)

    monkeypatch.setattr(jppint.cli.batch._Worker, "start", staticmethod(counting_start))
    run = cli("validate", "--schematron", RULES, *timeout, VALID)
    assert run.code == 0
    assert len(started) == workers


def test_help_documents_the_time_limit(cli) -> None:
    run = cli("validate", "--help")
    assert "--timeout SECONDS" in run.out
    assert "128+N" in run.out
