"""The conformance corpus in ../shared, read as data for parametrized tests.

A case passes when our findings, reduced to (id, flag, location, kind,
source file), equal the official items as multisets and `valid` agrees.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jppint.results import ValidationReport
from tests.verdicts import verdict_difference

SHARED = Path(__file__).resolve().parents[3] / "shared"
CONFORMANCE = SHARED / "conformance"
OFFICIAL = SHARED / "official" / "pint-jp-1.1.3"
SPECS = ("jp", "jp-sb", "jp-ntr")
ABSENT_REASON = f"{SHARED} is absent: the conformance corpus and official rules live outside the repository"

Item = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    spec: str
    path: Path
    items: tuple[Item, ...]
    valid: bool
    official_example: bool

    @property
    def id(self) -> str:
        return f"{self.spec}/{self.path.name}"


def shared_available() -> bool:
    return CONFORMANCE.is_dir() and OFFICIAL.is_dir()


def official_schematron(spec: str) -> list[Path]:
    folder = OFFICIAL / spec / "schematron"
    return [folder / "PINT-UBL-validation-preprocessed.sch", folder / "PINT-jurisdiction-aligned-rules.sch"]


def cases() -> list[Case]:
    """Every corpus case, plus every official example (expected valid, no items)."""
    if not shared_available():
        return []
    found: list[Case] = []
    for spec in SPECS:
        expected = json.loads((CONFORMANCE / spec / "expected.json").read_text(encoding="utf-8"))
        for name, verdict in sorted(expected.items()):
            items = tuple(
                (item["id"], item["flag"], item["location"], item["kind"], item["source"]) for item in verdict["items"]
            )
            found.append(
                Case(spec, CONFORMANCE / spec / "cases" / name, items, verdict["valid"], name.startswith("official-"))
            )
        for example in sorted((OFFICIAL / spec / "example").glob("*.xml")):
            found.append(Case(spec, example, (), True, True))
    return found


def items_of(report: ValidationReport) -> tuple[Item, ...]:
    """The rules layer's findings: the official verdicts are those of the JP PINT rules alone."""
    return tuple(
        (f.rule_id, f.flag or "", f.location, f.kind, f.source.split("#", 1)[0])
        for f in report.findings
        if f.layer == "rules"
    )


def rules_valid(report: ValidationReport) -> bool:
    """`valid` as the official validation sees it: no fatal finding of the rules layer."""
    return not any(finding.severity == "fatal" for finding in report.findings if finding.layer == "rules")


def difference(case: Case, report: ValidationReport, *, compare_source: bool = True) -> str | None:
    """A readable account of how a report differs from the official verdict, or None."""

    def reduce(items: tuple[Item, ...]) -> Counter[Item]:
        return Counter(item if compare_source else (*item[:4], "") for item in items)

    return verdict_difference(
        case.id,
        reduce(case.items),
        reduce(items_of(report)),
        case.valid,
        rules_valid(report),
    )
