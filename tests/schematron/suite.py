"""The Schematron suite in ../shared/schematron-suite, read as data for parametrized tests.

Each rule set comes with the official verdict of its compiled XSLT on each
of its documents: a multiset of (kind, id, flag, location). Locations are
compared as expanded names (namespace URI, local name, position), so the
suite's prefixes and ours need not agree.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jppint.namespaces import LOCATION_PREFIXES
from jppint.results import ValidationReport
from tests.conformance.corpus import SHARED

SUITE = SHARED / "schematron-suite"
ABSENT_REASON = f"{SUITE} is absent: the Schematron suite lives outside the repository"

# kind, id, flag, location as expanded-name steps
Verdict = tuple[str, str, str, tuple[tuple[str, str, int], ...]]

_STEP = re.compile(r"/(?:Q\{(?P<uri>[^}]*)\}|(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<local>[\w.-]+)\[(?P<index>\d+)\]")
_OUR_PREFIXES = {prefix: uri for uri, prefix in LOCATION_PREFIXES.items()}


@dataclass(frozen=True)
class RuleSetCase:
    """One rule set and the official verdict on each of its documents."""

    name: str
    schematron: Path
    documents: dict[str, list[list[object]] | dict[str, str]]
    prefixes: dict[str, str]

    @property
    def id(self) -> str:
        return self.name


def suite_available() -> bool:
    return (SUITE / "expected").is_dir()


def rule_set_cases() -> list[RuleSetCase]:
    if not suite_available():
        return []
    found = []
    for expected in sorted((SUITE / "expected").glob("*.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        found.append(
            RuleSetCase(
                name=data["ruleset"],
                schematron=SUITE / data["rules"]["sch"][0],
                documents=data["docs"],
                prefixes={prefix: uri for uri, prefix in data["location_prefixes"].items()},
            )
        )
    return found


def expanded(location: str, prefixes: dict[str, str]) -> tuple[tuple[str, str, int], ...]:
    """A location as (namespace URI, local name, position) steps, whatever prefixes it was written with."""
    steps = []
    for step in _STEP.finditer(location):
        if step.group("uri") is not None:
            uri = step.group("uri")
        elif step.group("prefix"):
            uri = prefixes[step.group("prefix")]
        else:
            uri = ""
        steps.append((uri, step.group("local"), int(step.group("index"))))
    return tuple(steps)


def official_verdict(items: list[list[object]], prefixes: dict[str, str]) -> Counter[Verdict]:
    verdict: Counter[Verdict] = Counter()
    for kind, rule_id, flag, location, count in items:
        verdict[(str(kind), str(rule_id), str(flag), expanded(str(location), prefixes))] += int(str(count))
    return verdict


def our_verdict(report: ValidationReport) -> Counter[Verdict]:
    """The rules layer's asserts and reports, as the official verdict records them.

    An assertion without @id is named `file.sch:line` in our findings; a real
    id is an NCName, which has no colon, so a colon means "no id".
    """
    return Counter(
        (
            finding.kind,
            "" if ":" in finding.rule_id else finding.rule_id,
            finding.flag or "",
            expanded(finding.location, _OUR_PREFIXES),
        )
        for finding in report.findings
        if finding.layer == "rules" and finding.kind in ("assert", "report")
    )
