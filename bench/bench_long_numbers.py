"""Long-number guard benchmark: what the scan adds per invoice, and what huge numbers cost.

    python bench/bench_long_numbers.py [--repeat N] [--no-huge]

Per document: best time of `serialize_for_engine` (the text Saxon parses
anyway) and of `screen_long_numbers` (the same serialisation plus the scan
for runs of more than MAX_DIGITS digits); their difference is the guard's
cost. Then full `jppint.validate` calls on documents with huge numbers (an
amount of 1,000,000 digits, five of them, an attribute of 800,000), with the
careful stylesheet already compiled.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lxml import etree  # noqa: E402
from synthetic import synthetic_invoice  # noqa: E402

import jppint  # noqa: E402
from jppint.document import read_document, serialize_for_engine  # noqa: E402
from jppint.long_numbers import screen_long_numbers  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3"
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
AMOUNTS = (
    "//cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "//cac:LegalMonetaryTotal/cbc:PayableAmount",
    "//cac:InvoiceLine/cbc:LineExtensionAmount",
)


def documents() -> list[tuple[str, bytes]]:
    found = []
    if OFFICIAL.is_dir():
        for spec in ("jp", "jp-sb", "jp-ntr"):
            for path in sorted((OFFICIAL / spec / "example").glob("*.xml")):
                found.append((f"{spec}: {path.name[:44]}", path.read_bytes()))
    for lines in (10, 100, 1000):
        found.append((f"synthetic {lines} lines", synthetic_invoice(lines)))
    return found


def best_us(action: object, repeat: int) -> float:
    """The best of `repeat` rounds: a difference of microseconds drowns in the host's noise otherwise."""
    number = max(1, 3000 // repeat)
    timings = timeit.repeat(action, number=number, repeat=repeat)  # type: ignore[arg-type]
    return min(timings) / number * 1e6


def huge(values: int, digits: int, attribute: bool = False) -> bytes:
    root = etree.fromstring(synthetic_invoice(10))
    for xpath in AMOUNTS[:values]:
        element = root.xpath(xpath, namespaces=NAMESPACES)[0]
        if attribute:
            element.set("currencyID", "9" * digits)
        else:
            element.text = "1" * digits
    return etree.tostring(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-huge", action="store_true", help="skip the validations of huge numbers")
    options = parser.parse_args()

    print(f"{'document':56} {'serialise':>10} {'+ scan':>10} {'added':>9}")
    added = []
    for name, data in documents():
        document = read_document(data)
        plain = best_us(lambda document=document: serialize_for_engine(document), options.repeat)
        screened = best_us(lambda document=document: screen_long_numbers(document), options.repeat)
        if not name.startswith("synthetic"):
            added.append(screened - plain)
        print(f"{name:56} {plain:8.1f}us {screened:8.1f}us {screened - plain:7.1f}us", flush=True)
    if added:
        print(f"\nofficial examples: the scan adds {statistics.median(added):.1f} us (median)")
    if options.no_huge:
        return
    jppint.validate(huge(1, 400))  # compiles the careful stylesheet, as any document with a bad value does once
    for label, data in (
        ("one amount of 1,000,000 digits", huge(1, 1_000_000)),
        ("five amounts of 1,000,000 digits", huge(5, 1_000_000)),
        ("an attribute of 800,000 digits", huge(1, 800_000, attribute=True)),
    ):
        started = time.perf_counter()
        report = jppint.validate(data)
        print(f"{label:40} {time.perf_counter() - started:6.3f} s, {len(report.findings)} findings")


if __name__ == "__main__":
    main()
