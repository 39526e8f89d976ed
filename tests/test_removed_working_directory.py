"""A process whose working directory was removed gets a clear EngineError, not an OSError from SaxonC."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"

PROGRAM = f"""
import os, tempfile
import jppint
gone = tempfile.mkdtemp()
os.chdir(gone)
os.rmdir(gone)
try:
    jppint.validate({str(SAMPLE)!r})
except jppint.EngineError as error:
    print("EngineError:", error)
"""


def test_validating_from_a_removed_working_directory_is_an_engine_error() -> None:
    completed = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("EngineError: the XSLT engine (SaxonC) cannot start"), completed.stdout
    assert "working directory" in completed.stdout
    assert "Traceback" not in completed.stderr
