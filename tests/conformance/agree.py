"""Agreement report for rule writers: our built-in rules vs the official verdicts.

    python -m tests.conformance.agree --spec jp [--ids ID ...] [--ids-prefix P] [--show N]

Restricting to ids compares only items with those ids, so one writer can
check their rules while others are still missing.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

import jppint
from tests.conformance.corpus import SPECS, Item, cases, items_of


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", choices=SPECS, action="append")
    parser.add_argument("--ids", nargs="*", default=[])
    parser.add_argument("--ids-prefix", action="append", default=[])
    parser.add_argument("--show", type=int, default=3, help="examples shown per disagreeing id")
    options = parser.parse_args()
    specs = options.spec or list(SPECS)

    def wanted(rule_id: str) -> bool:
        if not options.ids and not options.ids_prefix:
            return True
        return rule_id in options.ids or any(rule_id.startswith(p) for p in options.ids_prefix)

    total_disagreeing = 0
    for spec in specs:
        per_id: dict[str, list[str]] = defaultdict(list)
        fired: Counter[str] = Counter()
        errors: list[str] = []
        spec_cases = [case for case in cases() if case.spec == spec]
        agreeing = 0
        for case in spec_cases:
            try:
                report = jppint.validate(case.path, spec=spec)
            except jppint.JppintError as error:
                errors.append(f"{case.id}: {error}")
                continue
            expected = Counter(i[:4] for i in case.items if wanted(i[0]))
            actual = Counter(i[:4] for i in items_of(report) if wanted(i[0]))
            for finding in report.findings:
                if finding.kind == "error" and wanted(finding.rule_id):
                    errors.append(f"{case.id}: dynamic error in {finding.rule_id}: {finding.message}")
            for item in actual:
                fired[item[0]] += 1
            if expected == actual:
                agreeing += 1
                continue
            ids = {item[0] for item in (expected - actual) + (actual - expected)}
            for rule_id in ids:
                missing = [i for i in (expected - actual) if i[0] == rule_id]
                extra = [i for i in (actual - expected) if i[0] == rule_id]
                per_id[rule_id].append(f"{case.path.name}: missing {missing} extra {extra}")
        total_disagreeing += len(spec_cases) - agreeing
        print(f"== {spec}: {agreeing}/{len(spec_cases)} cases agree on the selected ids")
        for rule_id in sorted(per_id):
            print(f"  {rule_id}: {len(per_id[rule_id])} case(s) disagree")
            for example in per_id[rule_id][: options.show]:
                print(f"      {example}")
        for error in errors[: options.show * 3]:
            print(f"  ERROR {error}")
        if errors:
            print(f"  {len(errors)} error(s)")
    return 1 if total_disagreeing else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Item", "main"]
