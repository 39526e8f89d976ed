"""Driving the real command line in-process (`jppint.cli.main`) or in a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from jppint.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
RULES = DATA / "rules.sch"
SHARED = ROOT.parent / "shared"
OFFICIAL = SHARED / "official" / "pint-jp-1.1.3"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """`cli(*argv, stdin=b"...")` runs `jppint argv` and returns its exit code and output."""

    def run(*argv: str | Path, stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_process(*argv: str | Path, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Run:
    """`python -m jppint argv` in a fresh process, from the repository root."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    completed = subprocess.run(
        [sys.executable, "-m", "jppint", *map(str, argv)],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=False,
    )
    return Run(completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8"))


def official_schematron(spec: str) -> list[Path]:
    return sorted((OFFICIAL / spec / "schematron").glob("*.sch"))


def official_examples(spec: str) -> list[Path]:
    return sorted((OFFICIAL / spec / "example").glob("*.xml"))


needs_shared = pytest.mark.skipif(
    not OFFICIAL.is_dir(), reason=f"{OFFICIAL} is absent: the official rules and examples live outside the repository"
)
