"""Every rule of our JP PINT rule sets, shown firing and not firing on documents of ours.

The fixtures are data (fixtures/*.toml). A case names a rule and the edits
(see mutations.py) that introduce one mistake into a valid sample of ours:

    [[case]]
    rule = "ibr-012"
    edits = [{delete = "/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount"}]
    also = ["ibr-co-10"]          # optional: other rules the mistake must raise
    specs = ["jp"]                # optional: default = every spec the rule belongs to
    base = "samples/valid/..."    # optional, with a single spec: default = fixtures/bases.toml

Each case runs on the base sample of each of its specs: the base must not
raise the rule, the edited document must; where ../shared is present the
official rules must agree on the edited document, so a fixture cannot
encode a wrong expectation.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import jppint
from jppint.catalogue import load_catalogue
from tests.conformance.corpus import official_schematron, shared_available
from tests.rules.mutations import mutated

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Fixture:
    file: str
    rule: str
    spec: str
    base: Path
    edits: list[dict[str, Any]]
    also: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.spec}:{self.rule}:{self.file}"


def load_fixtures() -> list[Fixture]:
    bases_file = FIXTURES / "bases.toml"
    if not bases_file.is_file():
        return []
    bases = tomllib.loads(bases_file.read_text(encoding="utf-8"))
    catalogue = load_catalogue()
    found = []
    for path in sorted(FIXTURES.glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            specs = entry.get("specs") or list(catalogue[entry["rule"]].specs)
            if "base" in entry and len(specs) != 1:
                raise ValueError(f"{path.name}: {entry['rule']}: a case with a base names exactly one spec")
            for spec in specs:
                found.append(
                    Fixture(
                        file=path.name,
                        rule=entry["rule"],
                        spec=spec,
                        base=ROOT / entry.get("base", bases[spec]),
                        edits=entry.get("edits", []),
                        also=tuple(entry.get("also", ())),
                    )
                )
    return found


FIXTURE_LIST = load_fixtures()


def fired(report: jppint.ValidationReport) -> set[str]:
    return {finding.rule_id for finding in report.findings}


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=lambda fixture: fixture.id)
def test_rule_is_silent_on_the_valid_base(fixture: Fixture) -> None:
    report = jppint.validate(fixture.base, spec=fixture.spec)
    assert fixture.rule not in fired(report)


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=lambda fixture: fixture.id)
def test_rule_fires_on_the_mistake(fixture: Fixture) -> None:
    document = mutated(fixture.base.read_bytes(), fixture.edits)
    ours = jppint.validate(document, spec=fixture.spec)
    assert fixture.rule in fired(ours)
    assert set(fixture.also) <= fired(ours)
    if shared_available():
        official = jppint.validate(document, schematron=official_schematron(fixture.spec))
        assert fixture.rule in fired(official), "the official rules disagree with this fixture"


def test_every_rule_that_can_fire_has_a_fixture() -> None:
    """The README of the corpus names the assertions no document can fail; all others need a fixture."""
    cannot_fire = {"aligned-ibrp-050-jp", "aligned-ibrp-019", "ibr-098", "ibr-102", "ibr-sr-22"}
    covered = {(fixture.spec, fixture.rule) for fixture in FIXTURE_LIST}
    missing = sorted(
        (spec, rule_id)
        for rule_id, entry in load_catalogue().items()
        for spec in entry.specs
        if rule_id not in cannot_fire and (spec, rule_id) not in covered
    )
    assert not missing, f"{len(missing)} (spec, rule) pairs without a fixture, e.g. {missing[:10]}"
