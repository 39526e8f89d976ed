"""--output writes the whole report or nothing: temp file in the same directory, then os.replace."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jppint.cli.output import write_atomically
from tests.cli.conftest import DATA, RULES

INVALID = DATA / "invalid" / "missing-line-amount.xml"


def test_output_file_gets_the_report_and_stdout_the_summary(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    run = cli("validate", "--format", "json", "--schematron", RULES, "--output", target, INVALID)
    assert run.code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["invalid"] == 1
    assert run.out.startswith("files: 1, valid: 0, invalid: 1, errors: 0")
    assert list(tmp_path.iterdir()) == [target]


def test_quiet_with_output_prints_nothing(cli, tmp_path: Path) -> None:
    run = cli("validate", "-q", "--schematron", RULES, "-o", tmp_path / "r.txt", INVALID)
    assert (run.code, run.out) == (1, "")


def test_output_dash_means_stdout(cli) -> None:
    run = cli("validate", "--format", "json", "--schematron", RULES, "--output", "-", INVALID)
    assert json.loads(run.out)["summary"]["files"] == 1


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xml"
    target.write_text("previous report")

    def failing_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    run = cli("validate", "--format", "junit", "--schematron", RULES, "--output", target, INVALID)
    assert run.code == 2
    assert run.err == f"jppint: cannot write the report to {target}: No space left on device\n"
    assert target.read_text() == "previous report"
    assert list(tmp_path.iterdir()) == [target]


def test_an_existing_report_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_new_report_gets_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    mask = os.umask(0o022)
    try:
        write_atomically(target, b"new")
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_directory_as_output_is_refused(cli, tmp_path: Path) -> None:
    run = cli("validate", "--schematron", RULES, "--output", tmp_path, INVALID)
    assert run.code == 2
    assert "cannot write the report" in run.err
