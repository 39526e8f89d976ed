"""Under an address-space limit too low for Saxon, the host gets an exception, not a killed process."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"
LIMIT = 8 * 1024**3  # far below the 32 GiB SaxonC's isolate reserves


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, cwd=ROOT, preexec_fn=_limited, timeout=120
    )


def test_the_library_raises_an_engine_error_and_the_host_lives_on() -> None:
    completed = _run(
        "-c",
        "import jppint\n"
        "try:\n"
        f"    jppint.validate({str(SAMPLE)!r})\n"
        "except jppint.EngineError as error:\n"
        "    print('caught:', error)\n"
        "print('host still running')\n",
    )
    assert completed.returncode == 0, completed.stderr
    assert "caught: the address-space limit (ulimit -v, RLIMIT_AS) is 8.0 GiB" in completed.stdout
    assert "32 GiB" in completed.stdout and completed.stdout.endswith("host still running\n")
    assert "graal" not in completed.stderr.lower()


def test_the_command_line_says_it_once_and_exits_2() -> None:
    completed = _run("-m", "jppint", "validate", str(SAMPLE), str(SAMPLE))
    assert completed.returncode == 2
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("jppint: the address-space limit")
