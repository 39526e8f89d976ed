"""Batch benchmark: `jppint validate` on thousands of invoices, end to end, with --jobs 1 and 2.

    python bench/bench_batch.py [--count 2000] [--rules built-in|official] [--jobs 1 2] [--repeat 3] [--source DIR]

The invoices are copies of the official JP PINT examples (jp, from
../shared) or, without ../shared, of our samples in samples/valid/jp/ (or
of the files under --source), written to a temporary directory. Each run is
a fresh `python -m jppint validate --quiet --jobs N DIR` process:
interpreter start, rule compilation in every worker, reading, validating,
collecting results in order and the summary all count. Printed per job
count: the best wall time of the (interleaved) repeats, invoices per second, the CPU time
of the whole process tree, and the speed-up over the first job count.

Other work on the machine slows both runs and shrinks the speed-up, so the
load average is printed, and so is what two plain busy processes achieve
right now compared with one (the ceiling of any speed-up at that moment).

Targets (issue 4, 2-core machine): 600 invoices/s or more with --jobs 2, a
speed-up of 1.8x or more.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3" / "jp"


def sources(rules: str, folder: str | None) -> list[Path]:
    """The invoices to copy: --source, else the official jp examples, else our jp samples."""
    if folder:
        chosen = sorted(Path(folder).rglob("*.xml"))
    else:
        chosen = sorted((OFFICIAL / "example").glob("*.xml"))
        if not chosen and rules == "official":
            sys.exit(f"{OFFICIAL} is absent: the official rules and examples live outside the repository")
        chosen = chosen or sorted((ROOT / "samples" / "valid" / "jp").glob("*.xml"))
    if not chosen:
        sys.exit("no invoices to copy: give --source DIR")
    return chosen


def fill(directory: Path, originals: list[Path], count: int) -> None:
    for number in range(count):
        shutil.copyfile(originals[number % len(originals)], directory / f"{number:05d}.xml")


def rule_options(rules: str) -> list[str]:
    if rules == "built-in":
        return []
    options: list[str] = []
    for path in sorted((OFFICIAL / "schematron").glob("*.sch")):
        options += ["--schematron", str(path)]
    return options


def run_once(directory: Path, jobs: int, options: list[str], count: int) -> tuple[float, float]:
    """Wall and CPU seconds of one `jppint validate` process (workers included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "jppint", "validate", "--quiet", "--jobs", str(jobs), *options, str(directory)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode not in (0, 1) or not completed.stdout.startswith(f"files: {count},"):
        sys.exit(f"jppint failed (exit {completed.returncode}):\n{completed.stdout}{completed.stderr}")
    return wall, cpu


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def parallel_capacity(seconds: float = 1.0) -> float:
    """How much more CPU work two processes get done than one, right now (2.0 on an idle 2-core machine)."""
    import multiprocessing

    started = time.perf_counter()
    _busy(seconds)
    alone = time.perf_counter() - started
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_busy, args=(seconds,)) for _ in range(2)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    together = time.perf_counter() - started
    return 2 * alone / together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="number of invoices (default 2000)")
    parser.add_argument("--rules", choices=("built-in", "official"), default="built-in")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to compare (default 1 2)")
    parser.add_argument("--source", metavar="DIR", help="copy the *.xml files under DIR (default: see above)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per job count; the best is kept (default 3)")
    arguments = parser.parse_args()

    originals = sources(arguments.rules, arguments.source)
    options = rule_options(arguments.rules)
    print(
        f"{arguments.count} invoices (copies of {len(originals)} files from {originals[0].parent}), "
        f"rules: {arguments.rules}, {os.cpu_count()} CPUs, best of {arguments.repeat}"
    )
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"two busy processes now do {parallel_capacity():.2f}x the work of one (the speed-up ceiling)")
    with tempfile.TemporaryDirectory(prefix="jppint-bench-") as temporary:
        directory = Path(temporary)
        fill(directory, originals, arguments.count)
        run_once(directory, 1, options, arguments.count)  # warm the file cache
        print(f"{'jobs':>4}  {'wall s':>7}  {'invoices/s':>10}  {'CPU s':>6}  {'speed-up':>8}")
        runs: dict[int, list[tuple[float, float]]] = {jobs: [] for jobs in arguments.jobs}
        for _ in range(arguments.repeat):  # interleaved, so a busy moment hurts every job count alike
            for jobs in arguments.jobs:
                runs[jobs].append(run_once(directory, jobs, options, arguments.count))
        baseline: float | None = None
        for jobs in arguments.jobs:
            wall, cpu = min(runs[jobs])
            baseline = baseline or wall
            print(f"{jobs:>4}  {wall:>7.2f}  {arguments.count / wall:>10.0f}  {cpu:>6.2f}  {baseline / wall:>7.2f}x")
    print(f"load average after:  {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"two busy processes now do {parallel_capacity():.2f}x the work of one")


if __name__ == "__main__":
    main()
