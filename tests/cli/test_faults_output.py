"""Where the report goes when --output or the standard streams are not plain files (issue 14 "Faults")."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from lxml import etree

from jppint.cli.output import report_target
from tests.cli.conftest import DATA, ROOT, RULES

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"
SHELL_TIMEOUT = 60


def _shell(command: str, *argv: str | Path, stdout: object = subprocess.PIPE) -> tuple[int, bytes, str]:
    """`python -m jppint validate ARGV` with the redirections of `command` (a shell's, such as `>&-`)."""
    completed = subprocess.run(
        ["sh", "-c", f'exec "$@" {command}', "sh", sys.executable, "-m", "jppint", "validate", *map(str, argv)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        timeout=SHELL_TIMEOUT,
        check=False,
    )
    return completed.returncode, completed.stdout or b"", completed.stderr.decode("utf-8")


def test_a_symbolic_link_is_written_through_and_kept(cli, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "report.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    run = cli("validate", "--format", "json", "--schematron", RULES, "-o", link, INVALID)
    assert run.code == 1
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["invalid"] == 1
    assert sorted(path.name for path in target.parent.iterdir()) == ["report.json"]


def test_a_dangling_symbolic_link_gets_its_target_created(cli, tmp_path: Path) -> None:
    link = tmp_path / "latest.txt"
    link.symlink_to(tmp_path / "new.txt")
    run = cli("validate", "--schematron", RULES, "-o", link, VALID)
    assert run.code == 0
    assert link.is_symlink()
    assert "valid" in (tmp_path / "new.txt").read_text(encoding="utf-8")


def _device(folder: Path, name: str, minor: int) -> Path:
    """A private /dev/null (minor 3) or /dev/full (7): a regression would replace it, not the machine's."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with path.open("wb"):
            pass  # a file system mounted nodev refuses to open devices
    except OSError as error:
        pytest.skip(f"cannot make and open a device node here: {error}")
    return path


def test_a_character_device_is_written_into_not_replaced(cli, tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    before = null.stat()
    run = cli("validate", "--schematron", RULES, "-o", null, VALID)
    after = null.stat()
    assert (run.code, run.err) == (0, "")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_is_written_into(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = cli("validate", "--format", "json", "--schematron", RULES, "-o", fifo, VALID)
    reader.join(SHELL_TIMEOUT)
    assert run.code == 0
    assert json.loads(received[0])["summary"]["valid"] == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_directory_is_refused_before_validating(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jppint.cli.batch

    monkeypatch.setattr(jppint.cli.batch, "validate_items", lambda *args, **kwargs: pytest.fail("validated"))
    run = cli("validate", "--schematron", RULES, "-o", tmp_path, VALID)
    assert (run.code, run.out) == (2, "")
    assert run.err == f"jppint: cannot write the report to {tmp_path}: is a directory\n"


@pytest.mark.parametrize(
    ("make", "atomic"),
    [
        (lambda folder: folder / "new.txt", True),
        (lambda folder: Path(os.devnull), False),
    ],
)
def test_report_target_says_how_each_kind_of_file_is_written(tmp_path: Path, make, atomic: bool) -> None:  # type: ignore[no-untyped-def]
    assert report_target(make(tmp_path)).atomic is atomic


def test_output_naming_standard_output_writes_the_report_there_once(tmp_path: Path) -> None:
    captured = tmp_path / "captured.txt"
    stdout = tmp_path / "stdout"  # what /dev/stdout is; a regression would replace this link, not the machine's
    stdout.symlink_to("/proc/self/fd/1")
    with captured.open("wb") as stream:
        code, _, err = _shell("", "--schematron", RULES, "-o", stdout, INVALID, stdout=stream)
    text = captured.read_text(encoding="utf-8")
    assert (code, err) == (1, "")
    assert stdout.is_symlink()
    assert text.count("files: 1, valid: 0, invalid: 1") == 1  # the report's summary; no second summary line
    assert text.startswith(f"{INVALID}: invalid")


def test_closed_standard_output_is_an_error_not_a_traceback() -> None:
    code, _, err = _shell(">&-", "--schematron", RULES, VALID)
    assert code == 2
    assert err == "jppint: cannot write the report to standard output: standard output is closed\n"


@pytest.mark.parametrize("report_format", ["text", "json"])
def test_full_standard_output_is_an_error_not_a_traceback(report_format: str) -> None:
    code, _, err = _shell(">/dev/full", "--format", report_format, "--schematron", RULES, VALID)
    assert code == 2
    assert err == "jppint: cannot write the report to standard output: No space left on device\n"


def test_a_full_output_device_is_an_error(cli, tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    run = cli("validate", "--schematron", RULES, "-o", full, VALID)
    assert run.code == 2
    assert run.err == f"jppint: cannot write the report to {full}: No space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)


def test_with_standard_error_closed_diagnostics_are_dropped_not_put_in_the_report() -> None:
    code, out, err = _shell("2>&-", "--format", "json", "--schematron", RULES, VALID, "missing.xml")
    assert (code, err) == (2, "")
    document = json.loads(out)
    assert [entry["status"] for entry in document["files"]] == ["valid", "error"]
    assert b"jppint:" not in out


@pytest.mark.parametrize("report_format", ["json", "sarif", "junit", "svrl", "text", "concise", "github"])
def test_a_file_name_that_is_not_utf8_leaves_the_report_valid_utf8(cli, tmp_path: Path, report_format: str) -> None:
    name = os.fsdecode(b"caf\xe9.xml")
    (tmp_path / name).write_bytes(INVALID.read_bytes())
    report = tmp_path / "report.out"
    run = cli("validate", "--format", report_format, "--schematron", RULES, "-o", report, tmp_path / name)
    assert (run.code, run.err) == (1, "")
    text = report.read_bytes().decode("utf-8")  # strict: raises on anything that is not UTF-8
    assert "caf\ufffd.xml" in text or "caf%EF%BF%BD.xml" in text
    if report_format in ("json", "sarif"):
        json.loads(text)
    elif report_format in ("junit", "svrl"):
        etree.fromstring(text.encode("utf-8"))
