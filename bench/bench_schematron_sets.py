"""Real-world rule sets on our compiler: compile time and time per document.

    python bench/bench_schematron_sets.py [--repeat N] [--documents N]

For Peppol BIS Billing 3 and EN 16931 (UBL preprocessed and modular, CII)
from ../shared/schematron-suite: the median time to compile the `.sch`
(parse, resolve, write the XSLT, Saxon compiles it; no cache), the first
time in the process and again (median), then over
N documents spread evenly over the rule set's list the median time of a
`Validator.validate` call with the rules already compiled (rules layer only,
as the suite compares it), the median time to only read the same document
(safe parse + Saxon tree: the floor), and their ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_engine import median_ms  # noqa: E402

from jppint import Validator  # noqa: E402
from jppint.document import read_document, serialize_for_engine  # noqa: E402
from jppint.engine import RuleSet, parse_for_saxon  # noqa: E402
from jppint.schematron import DEFAULT_PHASE  # noqa: E402

SUITE = ROOT.parent / "shared" / "schematron-suite"
RULE_SETS = (
    ("Peppol BIS Billing 3 (May 2026)", "peppol-2026.5-ubl"),
    ("EN 16931 UBL, preprocessed", "en-ubl-pre"),
    ("EN 16931 UBL, modular", "en-ubl-mod"),
    ("EN 16931 CII, preprocessed", "en-cii-pre"),
)


def read_only(path: Path) -> None:
    parse_for_saxon(serialize_for_engine(read_document(path, any_root=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--documents", type=int, default=100, help="documents per rule set")
    options = parser.parse_args()
    if not SUITE.is_dir():
        sys.exit(f"{SUITE} is absent: the rule sets and documents live outside the repository")
    parse_for_saxon("<started/>")  # Saxon itself started, so that the first compile is the rule set's alone
    print(f"{'rule set':34} {'1st compile':>11} {'compile':>8} {'docs':>5} {'ms/doc':>8} {'read ms':>8} {'ratio':>6}")
    for label, name in RULE_SETS:
        print(f"{label:34} {measure(name, options.repeat, options.documents)}")


def measure(name: str, repeat: int, count: int) -> str:
    """One line of figures for one rule set of the suite."""
    expected = json.loads((SUITE / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    schematron = SUITE / expected["rules"]["sch"][0]
    first_ms = median_ms(lambda: RuleSet(schematron, DEFAULT_PHASE), 1, warm_up=0)
    compile_ms = median_ms(lambda: RuleSet(schematron, DEFAULT_PHASE), repeat, warm_up=0)
    validator = Validator(schematron=(schematron,), schema=False, advice=False)
    listed = list(expected["docs"])
    step = max(1, len(listed) // count)
    documents = [SUITE / document for document in listed[::step][:count]]
    per_document = [median_ms(lambda d=d: validator.validate(d), repeat) for d in documents]
    reading = [median_ms(lambda d=d: read_only(d), repeat) for d in documents]
    ratios = [run / floor for run, floor in zip(per_document, reading, strict=True)]
    return (
        f"{first_ms:11.0f} {compile_ms:8.0f} {len(documents):5d} {statistics.median(per_document):8.2f}"
        f" {statistics.median(reading):8.2f} {statistics.median(ratios):6.1f}"
    )


if __name__ == "__main__":
    main()
