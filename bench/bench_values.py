"""What reporting values costs: our rules with their properties against the same rules without.

    python bench/bench_values.py [--repeat N]

The properties (rules/jp-pint-1.1.3/shared/properties.sch) are evaluated only
when their assertion fails, so a valid invoice should cost the same, and an
invalid one a little more for each finding. The rules are copied to a
temporary folder with every `properties` attribute removed; both rule sets
are compiled, then run on the same documents in alternation (rules layer only:
run plus findings), so that the ratio is measured in one run, under the same
load. Documents: the official examples (valid) and our invalid samples.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jppint.document import read_document, serialize_for_engine  # noqa: E402
from jppint.engine import RuleSet, findings_of, parse_for_saxon  # noqa: E402
from jppint.schematron import ALL_PHASES  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3"
PROPERTIES = re.compile(r'\s+properties="[^"]*"')
SPECS = ("jp", "jp-sb", "jp-ntr")


def without_properties(folder: Path) -> Path:
    """A copy of the rules folder whose assertions name no property."""
    copy = folder / "rules"
    shutil.copytree(ROOT / "rules", copy)
    for path in copy.rglob("*.sch"):
        text = path.read_text(encoding="utf-8")
        path.write_text(PROPERTIES.sub("", text), encoding="utf-8")
    return copy


def documents() -> list[tuple[str, str, bytes]]:
    found = []
    for spec in SPECS:
        for path in sorted((OFFICIAL / spec / "example").glob("*.xml")) if OFFICIAL.is_dir() else []:
            found.append(("valid", spec, path.read_bytes()))
        for path in sorted((ROOT / "samples" / "invalid" / spec).glob("*.xml")):
            if not path.name.startswith("schema-"):
                found.append(("invalid", spec, path.read_bytes()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=31)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bare = without_properties(Path(folder))
        rule_sets = {
            spec: (
                RuleSet(ROOT / "rules" / "jp-pint-1.1.3" / f"{spec}.sch", ALL_PHASES),
                RuleSet(bare / "jp-pint-1.1.3" / f"{spec}.sch", ALL_PHASES),
            )
            for spec in SPECS
        }
        per_kind: dict[str, list[tuple[float, float, int]]] = {"valid": [], "invalid": []}
        for kind, spec, data in documents():
            document = read_document(data)
            saxon_document = parse_for_saxon(serialize_for_engine(document))
            timings: tuple[list[float], list[float]] = ([], [])
            findings = 0
            for round_number in range(options.repeat + 2):
                for which, rule_set in enumerate(rule_sets[spec]):
                    started = time.perf_counter()
                    found = findings_of(rule_set, rule_set.run(saxon_document), document.root)
                    if round_number >= 2:  # two warm-up rounds
                        timings[which].append(time.perf_counter() - started)
                    findings = len(found)
            per_kind[kind].append((statistics.median(timings[0]), statistics.median(timings[1]), findings))
        print(f"{'documents':<28}{'count':>6}{'findings':>10}{'with values':>14}{'without':>10}{'ratio':>8}")
        for kind, rows in per_kind.items():
            if not rows:
                continue
            with_values = statistics.median(row[0] for row in rows) * 1000
            without = statistics.median(row[1] for row in rows) * 1000
            ratio = statistics.median(row[0] / row[1] for row in rows)
            total_findings = sum(row[2] for row in rows)
            print(f"{kind:<28}{len(rows):>6}{total_findings:>10}{with_values:>12.2f}ms{without:>8.2f}ms{ratio:>7.2f}x")


if __name__ == "__main__":
    main()
