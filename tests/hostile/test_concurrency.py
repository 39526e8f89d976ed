"""`jppint.validate` from many threads or processes gives exactly what sequential calls give.

The safe model: one Saxon processor per process, every Saxon call under
one lock (saxonche is not safe for concurrent use, and holds the
interpreter lock while it works, so threads serialise there anyway), lxml
parsers created per call. Threads share compiled rule sets; processes each
compile their own. The inputs mix valid and invalid invoices, broken
values (error findings) and unreadable documents (exceptions), under the
built-in and the official rules.
"""

from __future__ import annotations

import multiprocessing
import random
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import jppint
from tests.hostile.documents import (
    INVOICE,
    OFFICIAL,
    WITHOUT_TIMES,
    edited,
    official_example,
    official_schematron,
    shared_available,
)

ROOT = Path(__file__).resolve().parents[2]
Job = tuple[str, str | None]  # (document path or XML text, spec whose official rules to use, or None)


def _jobs(folder: Path) -> list[Job]:
    """Mixed work: our samples and invoice, the official examples, broken values and unreadable input."""
    jobs: list[Job] = [(str(INVOICE), None)]
    jobs += [(str(path), None) for path in sorted((ROOT / "samples").rglob("*.xml"))[:6]]
    broken = folder / "broken-amount.xml"
    broken.write_bytes(edited(INVOICE, "//cac:LegalMonetaryTotal/cbc:PayableAmount", "abc"))
    truncated = folder / "truncated.xml"
    truncated.write_bytes(INVOICE.read_bytes()[:900])
    jobs += [(str(broken), None), (str(truncated), None), (str(folder / "missing.xml"), None)]
    if shared_available():
        jobs.append((str(INVOICE), "jp"))
        for spec in ("jp", "jp-sb", "jp-ntr"):
            examples = sorted((OFFICIAL / spec / "example").glob("*.xml"))[:3]
            jobs += [(str(path), spec) for path in examples]
            jobs += [(str(path), None) for path in examples]
        value = folder / "charge-yes.xml"
        value.write_bytes(edited(official_example("jp"), "//cac:AllowanceCharge/cbc:ChargeIndicator", "yes"))
        jobs += [(str(value), "jp"), (str(value), None)]
    return jobs


def outcome(job: Job) -> tuple[str, object]:
    """Everything a validation produced, minus its timing; module-level so processes can run it."""
    path, spec = job
    try:
        report = jppint.validate(path, schematron=official_schematron(spec) if spec else None)
    except jppint.JppintError as error:
        return type(error).__name__, str(error)
    return "report", report.model_dump(exclude=WITHOUT_TIMES)


def test_threads_give_the_sequential_results(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path)
    expected = {job: outcome(job) for job in jobs}
    shuffled = jobs * 3
    random.Random(5).shuffle(shuffled)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(outcome, shuffled))
    assert [expected[job] for job in shuffled] == results


def test_short_lived_threads_give_the_sequential_results(tmp_path: Path) -> None:
    """A new thread per validation: Saxon sees many threads come and go."""
    jobs = _jobs(tmp_path)
    expected = {job: outcome(job) for job in jobs}
    results: dict[int, tuple[str, object]] = {}

    def run(number: int, job: Job) -> None:
        results[number] = outcome(job)

    threads = [threading.Thread(target=run, args=(number, job)) for number, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [results[number] for number in range(len(jobs))] == [expected[job] for job in jobs]


def test_processes_give_the_sequential_results(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path)
    expected = [outcome(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert list(pool.map(outcome, jobs, chunksize=4)) == expected


_FIRST_USE_IN_THREADS = textwrap.dedent(
    """
    import sys
    from concurrent.futures import ThreadPoolExecutor
    import jppint

    paths = sys.argv[1:]
    def summary(path):
        report = jppint.validate(path)
        return report.valid, [(f.rule_id, f.location) for f in report.findings]

    # Saxon is started and the rules compiled by whichever worker thread comes first.
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(summary, paths * 4))
    print("same" if concurrent == [summary(path) for path in paths * 4] else "different")
    """
)


def test_the_first_validation_of_a_process_may_happen_in_any_thread() -> None:
    paths = [str(INVOICE), *(str(path) for path in sorted((ROOT / "samples").rglob("*.xml"))[:3])]
    completed = subprocess.run(
        [sys.executable, "-c", _FIRST_USE_IN_THREADS, *paths], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "same"
