"""What the engine promises beyond single results: quiet stderr, and no dependence on having one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "schematron" / "data"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_saxon_warnings_never_reach_stderr() -> None:
    completed = run_python(
        "import jppint\n"
        f"report = jppint.validate({str(DATA / 'invoice.xml')!r}, schematron=[{str(DATA / 'matching-error.sch')!r}])\n"
        "print(sorted(f.rule_id for f in report.findings if f.layer == 'rules'))\n"
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "['positive-id', 'positive-id']"  # the two line IDs; INV-1 does not match
    assert completed.stderr == ""


def test_validation_works_in_a_process_without_stderr() -> None:
    completed = run_python(
        "import os, sys\n"
        "os.close(2)\n"
        "sys.stderr = None\n"
        "import jppint\n"
        "print(jppint.validate('samples/valid/jp/standard-mixed-rates.xml').valid)\n"
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == "True"
