"""Schema layer benchmark: what checking against the UBL 2.1 XSD adds per invoice, and its one-off compile.

    python bench/bench_schema.py [--repeat N]

Per document (the official examples when ../shared is present, and synthetic
invoices of 10 / 100 / 1,000 lines): median time of the schema layer alone
(`check_schema` on a parsed document), of an lxml safe parse of the same
bytes, and of a whole `jppint.validate` with and without the layer, so the
layer's share is a ratio measured in one run. Compile: each main schema in a
fresh process (the first validation of a process pays it once per root type).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_engine import median_ms  # noqa: E402
from synthetic import synthetic_invoice  # noqa: E402

import jppint  # noqa: E402
from jppint.document import read_document  # noqa: E402
from jppint.xsd import check_schema  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3"
_COMPILE = """
import sys, time
sys.path.insert(0, {root!r})
from jppint.xsd import schema_for, default_schema_directory
default_schema_directory()
started = time.perf_counter()
schema_for({kind!r})
print(time.perf_counter() - started)
"""


def documents() -> list[tuple[str, bytes]]:
    found = [(path.name, path.read_bytes()) for path in sorted(OFFICIAL.glob("*/example/*.xml"))]
    found += [(f"synthetic {lines} lines", synthetic_invoice(lines)) for lines in (10, 100, 1000)]
    return found


def compile_seconds(kind: str, repeat: int) -> list[float]:
    code = _COMPILE.format(root=str(ROOT), kind=kind)
    return [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(repeat)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    options = parser.parse_args()
    print(f"{'document':<52} {'schema':>9} {'parse':>9} {'ratio':>6} {'validate':>9} {'no schema':>10} {'share':>6}")
    shares = []
    schema_times = []
    for name, data in documents():
        document = read_document(data)
        schema = median_ms(lambda document=document: check_schema(document), options.repeat)
        parse = median_ms(lambda data=data: read_document(data), options.repeat)
        full = median_ms(lambda data=data: jppint.validate(data), options.repeat)
        bare = median_ms(lambda data=data: jppint.validate(data, schema=False), options.repeat)
        share = (full - bare) / full
        if not name.startswith("synthetic"):
            shares.append(share)
            schema_times.append(schema)
        print(
            f"{name[:52]:<52} {schema:>7.3f}ms {parse:>7.3f}ms {schema / parse:>5.2f}x "
            f"{full:>7.3f}ms {bare:>8.3f}ms {share:>5.0%}"
        )
    if schema_times:
        print(
            f"official examples: schema layer median {statistics.median(schema_times):.3f} ms per invoice, "
            f"median share of a whole validation {statistics.median(shares):.0%}"
        )
    for kind in ("Invoice", "CreditNote"):
        seconds = compile_seconds(kind, 5)
        print(
            f"compile {kind} schema (fresh process, 5 runs): min {min(seconds) * 1000:.0f} ms, "
            f"median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
