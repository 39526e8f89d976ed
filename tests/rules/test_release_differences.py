"""The documents on which JP PINT releases differ, under our rules of each release and the official ones.

The cases are data (release_differences.toml). Each runs under every
release of rules/versions.toml: its rule must fire under exactly the
releases it names, and where ../shared is present the official .sch of each
release, compiled by our engine, must give the same rules-layer verdict as
ours: same ids, flags, locations and occurrences.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import jppint
from jppint.catalogue import load_catalogue
from jppint.specs import releases
from tests.conformance.corpus import official_folder, official_schematron, shared_available
from tests.rules.mutations import mutated

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = Path(__file__).parent / "release_differences.toml"
BASES = tomllib.loads((Path(__file__).parent / "fixtures" / "bases.toml").read_text(encoding="utf-8"))
RELEASES = tuple(releases())


@dataclass(frozen=True)
class Difference:
    number: int
    rule: str
    spec: str
    fires_in: frozenset[str]
    edits: list[dict[str, Any]]

    @property
    def id(self) -> str:
        return f"{self.number}:{self.spec}:{self.rule}"

    def document(self) -> bytes:
        return mutated((ROOT / BASES[self.spec]).read_bytes(), self.edits)


def load_differences() -> list[Difference]:
    found = []
    for number, entry in enumerate(tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"], start=1):
        for spec in entry.get("specs", ("jp", "jp-sb", "jp-ntr")):
            found.append(Difference(number, entry["rule"], spec, frozenset(entry["fires-in"]), entry["edits"]))
    return found


DIFFERENCES = load_differences()


def rules_items(report: jppint.ValidationReport) -> Counter[tuple[str, str, str]]:
    return Counter((f.rule_id, f.flag or "", f.location) for f in report.findings if f.layer == "rules")


def test_every_release_named_by_a_case_exists() -> None:
    named = {release for difference in DIFFERENCES for release in difference.fires_in}
    assert named <= set(RELEASES)


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("difference", DIFFERENCES, ids=lambda difference: difference.id)
def test_our_rules_of_each_release_fire_as_the_case_says(difference: Difference, release: str) -> None:
    report = jppint.validate(difference.document(), spec=difference.spec, rules_version=release)
    assert report.spec_version == release
    fired = {finding.rule_id for finding in report.findings}
    assert (difference.rule in fired) == (release in difference.fires_in)


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("difference", DIFFERENCES, ids=lambda difference: difference.id)
def test_the_official_rules_of_each_release_give_our_verdict(difference: Difference, release: str) -> None:
    if not shared_available() or not official_folder(release).is_dir():
        pytest.skip(f"{official_folder(release)} is absent: the official rules live outside the repository")
    document = difference.document()
    ours = jppint.validate(document, spec=difference.spec, rules_version=release)
    official = jppint.validate(document, schematron=official_schematron(difference.spec, release))
    assert (difference.rule in {f.rule_id for f in official.findings}) == (release in difference.fires_in)
    assert rules_items(ours) == rules_items(official)


def test_a_message_that_changed_between_releases_is_told_in_the_words_of_each() -> None:
    """ibr-004: same test in 1.1.2 and 1.1.3, a message that names the credit note's type code only in 1.1.3."""
    (case,) = [difference for difference in DIFFERENCES if difference.rule == "ibr-004" and difference.spec == "jp"]
    messages = {}
    for release in ("1.1.2", "1.1.3"):
        report = jppint.validate(case.document(), spec="jp", rules_version=release)
        (finding,) = [f for f in report.findings if f.rule_id == "ibr-004"]
        assert finding.messages == load_catalogue(release)["ibr-004"].messages
        messages[release] = finding.messages
    assert messages["1.1.2"]["en"] != messages["1.1.3"]["en"]
    assert "CreditNoteTypeCode" in messages["1.1.3"]["en"] and "CreditNoteTypeCode" not in messages["1.1.2"]["en"]
