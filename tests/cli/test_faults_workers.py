"""Workers that die, stop or run too long, and signals to the command line (issue 14 "Faults", issue 9).

Each test runs the real command line in a fresh process through
`tests.cli.fault_driver`, whose workers misbehave on cue, and signals it
or its workers with `os.kill` as the outside world would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import DATA, ROOT, RULES

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"
WAIT_SECONDS = 30

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")


def _documents(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        shutil.copy(INVALID if name.startswith("invalid") else VALID, path)
        paths.append(path)
    return paths


def _start(folder: Path, *argv: str | Path, **options: object) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "JPPINT_TEST_MARK": str(folder / "worker.pid")}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cli.fault_driver", "validate", "--schematron", str(RULES), *map(str, argv)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,  # type: ignore[call-overload]
    )


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    """Its exit code and output; a command line that hangs is killed, never left running after the test."""
    try:
        out, err = process.communicate(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


def _busy_worker(folder: Path, process: subprocess.Popen[bytes]) -> int:
    """The process id of the worker sleeping on a `*sleep*` document, once it is there."""
    mark = folder / "worker.pid"
    deadline = time.monotonic() + WAIT_SECONDS
    while not mark.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"no worker reached the sleeping document: {_finish(process)}")
        time.sleep(0.02)
    return int(mark.read_text())


def _gone(pid: int) -> bool:
    """No such process any more, or only its exit status left (a zombie nobody reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return _gone(pid)


def test_a_worker_killed_by_sigkill_costs_only_its_document(tmp_path: Path) -> None:
    first, sleeping, last = _documents(tmp_path, "a.xml", "sleep.xml", "invalid-z.xml")
    process = _start(tmp_path, "--jobs", "1", first, sleeping, last)
    os.kill(_busy_worker(tmp_path, process), signal.SIGKILL)  # what the OOM killer does
    code, out, err = _finish(process)
    assert code == 2
    assert err == f"jppint: {sleeping}: the worker validating it died (killed by signal 9: out of memory?)\n"
    assert f"{first}: valid" in out and f"{last}: invalid" in out  # a new worker took the rest
    assert "files: 3, valid: 1, invalid: 1, errors: 1" in out


def test_a_worker_that_kills_itself_is_replaced_and_json_still_comes_out(tmp_path: Path) -> None:
    paths = _documents(tmp_path, "a.xml", "die.xml", "b.xml", "die-too.xml", "c.xml")
    code, out, err = _finish(_start(tmp_path, "--format", "json", *paths))
    assert code == 2
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    import json

    statuses = [(Path(entry["input"]).name, entry["status"]) for entry in json.loads(out)["files"]]
    assert statuses == [
        ("a.xml", "valid"),
        ("die.xml", "error"),
        ("b.xml", "valid"),
        ("die-too.xml", "error"),
        ("c.xml", "valid"),
    ]


def test_a_stopped_worker_is_given_up_after_the_timeout_and_replaced(tmp_path: Path) -> None:
    first, stopped, last = _documents(tmp_path, "a.xml", "stop.xml", "z.xml")
    started = time.monotonic()
    code, out, err = _finish(_start(tmp_path, "--timeout", "1", first, stopped, last))
    assert code == 2
    assert err == f"jppint: {stopped}: validation took longer than 1 s (--timeout)\n"
    assert f"{first}: valid" in out and f"{last}: valid" in out
    assert time.monotonic() - started < WAIT_SECONDS


@pytest.mark.parametrize(
    ("signal_number", "message"),
    [
        (signal.SIGTERM, "stopped by SIGTERM"),
        (signal.SIGHUP, "stopped by SIGHUP"),
        (signal.SIGINT, "interrupted"),
    ],
)
def test_a_signal_stops_the_workers_and_writes_no_report(tmp_path: Path, signal_number: int, message: str) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    paths = _documents(tmp_path, "a.xml", "sleep.xml", "z.xml")
    process = _start(tmp_path, "--format", "json", "--output", report, *paths)
    worker = _busy_worker(tmp_path, process)
    os.kill(process.pid, signal_number)
    code, out, err = _finish(process)
    assert code == 128 + signal_number
    assert (out, err) == ("", f"jppint: {message}\n")
    assert list(report.parent.iterdir()) == []  # no report, no temporary file
    assert _wait_gone(worker)


def test_a_hang_up_ignored_by_nohup_stays_ignored(tmp_path: Path) -> None:
    paths = _documents(tmp_path, "a.xml", "sleep.xml")
    process = _start(tmp_path, *paths, preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    worker = _busy_worker(tmp_path, process)
    os.kill(process.pid, signal.SIGHUP)
    time.sleep(0.3)
    assert process.poll() is None
    os.kill(process.pid, signal.SIGTERM)
    assert _finish(process)[0] == 128 + signal.SIGTERM
    assert _wait_gone(worker)


def test_workers_die_with_a_command_line_killed_outright(tmp_path: Path) -> None:
    paths = _documents(tmp_path, "a.xml", "sleep.xml")
    process = _start(tmp_path, *paths)
    worker = _busy_worker(tmp_path, process)
    os.kill(process.pid, signal.SIGKILL)  # no handler runs: the kernel ends the worker (PR_SET_PDEATHSIG)
    _finish(process)
    assert _wait_gone(worker)
