"""Peak memory: validating a document of the maximum size, and refusing a larger one.

    python bench/bench_memory.py [--size-mb 50] [--refuse-mb 200] [--no-official]

Each measurement runs in a fresh process: import jppint, validate a small
invoice with the same rules (rules compiled, Saxon started), note the peak
resident set size so far, then validate the big file from its path and
report the new peak (VmHWM, or `resource.getrusage` where there is no
/proc: both see lxml's and Saxon's native memory) and the peak of Python's own allocations (`tracemalloc`).
The big document is the synthetic invoice of `bench/synthetic.py` with as
many lines as fit under the size; the refused one is a sparse file, so
making it costs no disk; the element flood is the costliest input jppint
accepts: empty elements up to `max_elements`, each one a finding.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import synthetic_invoice  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3" / "jp" / "schematron"
MB = 1024 * 1024


def _peak_rss_mb() -> float:
    """The process's peak resident set size.

    Linux keeps `ru_maxrss` across fork and exec, so a child would report
    its parent's peak; VmHWM belongs to the process's own memory map.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux, bytes on macOS


def measure(path: str, schematron: list[str]) -> dict[str, object]:
    """Run in the child process: one validation of `path`, after a warm-up."""
    import jppint

    rules = schematron or None
    jppint.validate(synthetic_invoice(2), schematron=rules)
    before = _peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = jppint.validate(path, schematron=rules)
        outcome = f"valid={report.valid}, {len(report.findings)} findings"
    except jppint.JppintError as error:
        outcome = f"{type(error).__name__}: {error}"
    elapsed = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    return {
        "seconds": round(elapsed, 3),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(_peak_rss_mb(), 1),
        "python_peak_mb": round(python_peak / MB, 1),
        "outcome": outcome,
    }


def in_child(path: Path, schematron: list[str]) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(path), *schematron],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def limit_sized_invoice(size_mb: float, folder: Path) -> Path:
    """The synthetic invoice with as many lines as keep it under `size_mb`."""
    sample = 1000
    per_line = len(synthetic_invoice(sample)) / sample
    lines = int(size_mb * MB / per_line)
    data = synthetic_invoice(lines)
    while len(data) > size_mb * MB:
        lines = int(lines * 0.99)
        data = synthetic_invoice(lines)
    path = folder / f"invoice-{lines}-lines.xml"
    path.write_bytes(data)
    return path


def element_flood(folder: Path) -> Path:
    """The worst accepted input: an invoice of empty elements up to max_elements, one finding each."""
    from jppint.document import DEFAULT_MAX_ELEMENTS

    head = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        b"<cbc:CustomizationID>urn:peppol:pint:billing-1@jp-1</cbc:CustomizationID>"
    )
    path = folder / "element-flood.xml"
    path.write_bytes(head + b"<x/>" * (DEFAULT_MAX_ELEMENTS - 2) + b"</Invoice>")
    return path


def sparse_file(size_mb: float, folder: Path) -> Path:
    path = folder / f"sparse-{size_mb:g}mb.xml"
    with path.open("wb") as stream:
        stream.truncate(int(size_mb * MB))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=50, help="size of the validated document (default 50)")
    parser.add_argument("--refuse-mb", type=float, default=200, help="size of the refused file (default 200)")
    parser.add_argument("--no-official", action="store_true", help="skip the official rules even when present")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child[0], options.child[1:])))
        return

    rule_sets: list[tuple[str, list[str]]] = [("built-in rules", [])]
    if OFFICIAL.is_dir() and not options.no_official:
        official = [str(OFFICIAL / "PINT-UBL-validation-preprocessed.sch")]
        official.append(str(OFFICIAL / "PINT-jurisdiction-aligned-rules.sch"))
        rule_sets.append(("official .sch", official))
    with tempfile.TemporaryDirectory() as folder:
        big = limit_sized_invoice(options.size_mb, Path(folder))
        refused = sparse_file(options.refuse_mb, Path(folder))
        flood = element_flood(Path(folder))
        print(f"document: {big.name}, {os.path.getsize(big) / MB:.1f} MB; refused: {refused.name}")
        print(f"{'case':<44} {'time s':>8} {'RSS before':>11} {'RSS peak':>9} {'growth':>7} {'Python':>7}  outcome")
        for label, schematron in rule_sets:
            cases = [(f"validate {os.path.getsize(big) / MB:.0f} MB", big), ("refuse sparse file", refused)]
            if not schematron:
                cases.append((f"element flood {os.path.getsize(flood) / MB:.0f} MB", flood))
            for what, path in cases:
                result = in_child(path, schematron)
                growth = float(result["rss_peak_mb"]) - float(result["rss_before_mb"])  # type: ignore[arg-type]
                print(
                    f"{what + ', ' + label:<44} {result['seconds']:>8} {result['rss_before_mb']:>8} MB"
                    f" {result['rss_peak_mb']:>6} MB {growth:>4.0f} MB {result['python_peak_mb']:>4} MB"
                    f"  {str(result['outcome'])[:70]}"
                )


if __name__ == "__main__":
    main()
