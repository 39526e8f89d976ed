"""Size and time of the HTML report (`--format html`) for large batches and large invoices.

    python bench/bench_html.py [--files 1000] [--lines 10000] [--repeat 5]

Reports are made once (validation is not what is measured), then the page
is rendered `--repeat` times and the median kept, next to the text
report of the same batch rendered the same way: the ratio says what the
page costs over the plain report. Three cases:

- a batch of `--files` invalid documents (our samples, repeated), each
  quoting its own source;
- one invoice of about `--lines` lines of source with a finding on every
  invoice line (unknown unit codes), shown in full (within the page's budget);
- one invoice with `--lines` invoice lines (some 19 source lines each),
  a finding on every one: past the budget, so shown around the findings.

When Debian's chromium is installed, the time it takes to load each page
and write its DOM (`--dump-dom`) is printed too.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import synthetic_invoice  # noqa: E402

import jppint  # noqa: E402
from jppint.reporters import REPORTERS, ReportOptions  # noqa: E402
from jppint.reporters.batch_result import BatchResult, Outcome  # noqa: E402

SAMPLES = ROOT / "samples" / "invalid" / "jp"
# Source lines per invoice line of bench/synthetic.py's invoices, and lines of the rest.
_LINES_PER_INVOICE_LINE = 19


@dataclass(frozen=True)
class Bytes:
    """The bytes a report was made from, lent to the reporter as the command line lends them."""

    data: bytes

    def read_bytes(self) -> bytes:
        return self.data


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def with_bad_units(invoice_lines: int) -> bytes:
    """A synthetic invoice whose every line has a unit code no code list knows: a finding per line."""
    return synthetic_invoice(invoice_lines).replace(b'unitCode="H87"', b'unitCode="ZZZ9"')


def batch_of(outcomes: list[Outcome]) -> BatchResult:
    return BatchResult(tuple(outcomes), "fatal", 0.0)


def outcome_of(label: str, data: bytes) -> Outcome:
    return Outcome(Bytes(data), label, report=jppint.validate(data, source_name=label))


def measure(name: str, batch: BatchResult, repeat: int, folder: Path) -> None:
    options = ReportOptions(lang="en")
    page = REPORTERS["html"](batch, options)
    text = REPORTERS["text"](batch, options)
    html_seconds = median_seconds(lambda: REPORTERS["html"](batch, options), repeat)
    text_seconds = median_seconds(lambda: REPORTERS["text"](batch, options), repeat)
    findings = sum(len(outcome.report.findings) for outcome in batch.outcomes if outcome.report)
    print(f"{name}: {len(batch.outcomes):,} files, {findings:,} findings")
    print(
        f"  html: {len(page.encode()) / 1e6:.2f} MB in {html_seconds:.2f} s; "
        f"text: {len(text.encode()) / 1e6:.2f} MB in {text_seconds:.2f} s; "
        f"html/text time {html_seconds / text_seconds:.1f}x"
    )
    chromium = shutil.which("chromium")
    if chromium:
        target = folder / f"{name.replace(' ', '-')}.html"
        target.write_text(page, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={folder / 'profile'}",
                "--dump-dom",
                target.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=600,
        )
        print(f"  chromium loads it and writes its DOM in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="documents in the batch case")
    parser.add_argument("--lines", type=int, default=10000, help="lines of the large-invoice cases")
    parser.add_argument("--repeat", type=int, default=5, help="renderings per case (median)")
    arguments = parser.parse_args()
    samples = [outcome_of(path.name, path.read_bytes()) for path in sorted(SAMPLES.glob("*.xml"))]
    many = [
        Outcome(sample.input, f"batch/{number:04}-{sample.label}", report=sample.report)
        for number, sample in zip(range(arguments.files), samples * (arguments.files // len(samples) + 1), strict=False)
    ]
    long_text = with_bad_units(arguments.lines // _LINES_PER_INVOICE_LINE)
    many_lines = with_bad_units(arguments.lines)
    with tempfile.TemporaryDirectory() as folder:
        measure(f"{arguments.files} files", batch_of(many), arguments.repeat, Path(folder))
        measure(
            f"{len(long_text.splitlines())} source lines",
            batch_of([outcome_of("long.xml", long_text)]),
            arguments.repeat,
            Path(folder),
        )
        measure(
            f"{arguments.lines} invoice lines",
            batch_of([outcome_of("huge.xml", many_lines)]),
            arguments.repeat,
            Path(folder),
        )


if __name__ == "__main__":
    main()
