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
from jppint.specs import latest_version
from tests.verdicts import verdict_difference

SHARED = Path(__file__).resolve().parents[3] / "shared"
CONFORMANCE = SHARED / "conformance"
OFFICIAL_RELEASES = SHARED / "official"
OFFICIAL = OFFICIAL_RELEASES / f"pint-jp-{latest_version()}"
SPECS = ("jp", "jp-sb", "jp-ntr")
# The release whose verdicts are <spec>/expected.json (the corpus README); another release's are in
# <spec>/expected-<version>.json.
CORPUS_VERSION = "1.1.3"
ABSENT_REASON = f"{SHARED} is absent: the conformance corpus and official rules live outside the repository"

Item = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    spec: str
    path: Path
    items: tuple[Item, ...]
    valid: bool
    official_example: bool
    version: str = CORPUS_VERSION

    @property
    def id(self) -> str:
        prefix = "" if self.version == CORPUS_VERSION else f"{self.version}/"
        return f"{prefix}{self.spec}/{self.path.name}"


def shared_available() -> bool:
    return CONFORMANCE.is_dir() and OFFICIAL.is_dir()


def official_folder(version: str | None = None) -> Path:
    """The official files of a release (the latest when None)."""
    return OFFICIAL_RELEASES / f"pint-jp-{version or latest_version()}"


def expected_file(spec: str, version: str) -> Path:
    if version == CORPUS_VERSION:
        return CONFORMANCE / spec / "expected.json"
    return CONFORMANCE / spec / f"expected-{version}.json"


def official_schematron(spec: str, version: str | None = None) -> list[Path]:
    folder = official_folder(version) / spec / "schematron"
    return [folder / "PINT-UBL-validation-preprocessed.sch", folder / "PINT-jurisdiction-aligned-rules.sch"]


def cases(version: str = CORPUS_VERSION) -> list[Case]:
    """Every corpus case with its verdict under `version`, plus the release's official examples (valid, no items)."""
    if not shared_available() or not all(expected_file(spec, version).is_file() for spec in SPECS):
        return []
    found: list[Case] = []
    for spec in SPECS:
        expected = json.loads(expected_file(spec, version).read_text(encoding="utf-8"))
        for name, verdict in sorted(expected.items()):
            items = tuple(
                (item["id"], item["flag"], item["location"], item["kind"], item["source"]) for item in verdict["items"]
            )
            found.append(
                Case(
                    spec,
                    CONFORMANCE / spec / "cases" / name,
                    items,
                    verdict["valid"],
                    name.startswith("official-"),
                    version,
                )
            )
        for example in sorted((official_folder(version) / spec / "example").glob("*.xml")):
            found.append(Case(spec, example, (), True, True, version))
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
