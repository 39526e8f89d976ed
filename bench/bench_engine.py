"""Engine benchmark: time per invoice, parse floor, ratio, and CLI cold start.

    python bench/bench_engine.py [--repeat N] [--no-official]

Rule sets compared on our engine: the official JP PINT `.sch` files (when
../shared is present) and our built-in rules. For each document: median
wall time of a full `jppint.validate` call (rules already compiled), the
median time to only parse it (lxml safe parse + Saxon tree: the floor no
validator can go under), and their ratio. Cold start: `jppint validate` on
one file in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import synthetic_invoice  # noqa: E402

import jppint  # noqa: E402
from jppint.document import read_document, serialize_for_engine  # noqa: E402
from jppint.engine import parse_for_saxon  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3"
SPEC_OF_FOLDER = {"jp": "jp", "jp-sb": "jp-sb", "jp-ntr": "jp-ntr"}


def median_ms(action: Callable[[], object], repeat: int, *, warm_up: int = 1) -> float:
    for _ in range(warm_up):  # warm: compiled rules, caches
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def parse_only(data: bytes) -> None:
    parse_for_saxon(serialize_for_engine(read_document(data)))


def official_rules(spec: str) -> list[Path]:
    folder = OFFICIAL / spec / "schematron"
    return [folder / "PINT-UBL-validation-preprocessed.sch", folder / "PINT-jurisdiction-aligned-rules.sch"]


def documents() -> list[tuple[str, str, bytes]]:
    found = []
    if OFFICIAL.is_dir():
        for spec in SPEC_OF_FOLDER:
            for path in sorted((OFFICIAL / spec / "example").glob("*.xml")):
                found.append((f"{spec}: {path.name[:48]}", spec, path.read_bytes()))
    for lines in (10, 100, 1000):
        found.append((f"synthetic {lines} lines", "jp", synthetic_invoice(lines)))
    return found


def cold_start(repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "invoice.xml"
        sample.write_bytes(synthetic_invoice(10))
        command = [sys.executable, "-m", "jppint", "validate", "--format", "json", str(sample)]
        # As a user's second run: bytecode cached (the first, untimed run writes it).
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        environment["PYTHONPATH"] = str(ROOT)
        subprocess.run(command, capture_output=True, env=environment, check=False)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, env=environment, check=False)
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--no-official", action="store_true", help="skip the official .sch column")
    options = parser.parse_args()
    use_official = OFFICIAL.is_dir() and not options.no_official

    header = f"{'document':58} {'parse':>8} {'ours':>9} {'ratio':>6}"
    if use_official:
        header += f" {'official':>9} {'ratio':>6} {'speed-up':>8}"
    print(header)
    example_ours: list[float] = []
    example_official: list[float] = []
    example_parse: list[float] = []
    for name, spec, data in documents():
        repeat = max(3, options.repeat // 4) if "1000" in name else options.repeat
        floor = median_ms(lambda data=data: parse_only(data), repeat)
        ours = median_ms(lambda data=data, spec=spec: jppint.validate(data, spec=spec), repeat)
        row = f"{name:58} {floor:7.2f}ms {ours:7.2f}ms {ours / floor:5.1f}x"
        if use_official:
            rules = official_rules(spec)
            theirs = median_ms(lambda data=data, rules=rules: jppint.validate(data, schematron=rules), repeat)
            row += f" {theirs:7.2f}ms {theirs / floor:5.1f}x {theirs / ours:7.2f}x"
            if not name.startswith("synthetic"):
                example_official.append(theirs)
        if not name.startswith("synthetic"):
            example_ours.append(ours)
            example_parse.append(floor)
        print(row, flush=True)
    if example_ours:
        print(
            f"\nofficial examples: median parse {statistics.median(example_parse):.2f} ms, "
            f"our rules {statistics.median(example_ours):.2f} ms"
            + (f", official .sch {statistics.median(example_official):.2f} ms" if example_official else "")
        )
    print(f"cold start of `jppint validate` on one file: {cold_start(5):.3f} s (median of 5)")


if __name__ == "__main__":
    main()
