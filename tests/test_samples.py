"""Our sample invoices give the verdicts recorded for them.

Valid samples (samples/valid/<spec>/) have no finding at all; each invalid sample
(samples/invalid/<spec>/) has exactly the findings that samples/invalid/expected.toml
records for it, as a multiset of (rule id, location). The oracle of the rules layer
is the official validation, so every sample is checked twice: with the official .sch
files (needs ../shared) and with the built-in rules, which must agree with them. The
schema layer's findings (`schema` in expected.toml) are checked on the built-in run, and
their English and Japanese messages against samples/invalid/schema-messages.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import jppint
from tests.conformance.corpus import ABSENT_REASON, SPECS, official_schematron, shared_available
from tests.verdicts import verdict_difference

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPECTED_FILE = SAMPLES / "invalid" / "expected.toml"
EXPECTED: dict[str, dict] = tomllib.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
MESSAGES_FILE = SAMPLES / "invalid" / "schema-messages.toml"
MESSAGES: dict[str, list[dict[str, str]]] = tomllib.loads(MESSAGES_FILE.read_text(encoding="utf-8"))

Finding = tuple[str, str]


@dataclass(frozen=True)
class Sample:
    path: Path
    spec: str
    findings: tuple[Finding, ...]
    schema_findings: tuple[Finding, ...] = ()

    @property
    def id(self) -> str:
        return self.path.relative_to(SAMPLES).as_posix()

    @property
    def valid(self) -> bool:
        return not self.findings and not self.schema_findings


def samples() -> list[Sample]:
    """Every sample file with the findings expected on it, read from the folders and expected.toml."""
    found = [Sample(path, path.parent.name, ()) for path in sorted(SAMPLES.glob("valid/*/*.xml"))]
    for path in sorted(SAMPLES.glob("invalid/*/*.xml")):
        entry = EXPECTED.get(path.relative_to(SAMPLES / "invalid").as_posix(), {})
        findings = tuple((finding["rule_id"], finding["location"]) for finding in entry.get("findings", []))
        schema = tuple((finding["rule_id"], finding["location"]) for finding in entry.get("schema", []))
        found.append(Sample(path, path.parent.name, findings, schema))
    return found


def difference(sample: Sample, report: jppint.ValidationReport, *, layers: tuple[str, ...]) -> str | None:
    """What the report has that the sample should not, and what it lacks; None when they agree."""
    actual = Counter((finding.rule_id, finding.location) for finding in report.findings if finding.layer in layers)
    expected = Counter(sample.findings) + (Counter(sample.schema_findings) if "schema" in layers else Counter())
    valid = not any(finding.severity == "fatal" for finding in report.findings if finding.layer in layers)
    return verdict_difference(sample.id, expected, actual, not expected, valid)


ALL = samples()


# --- the sample set itself ---


def test_every_specification_has_valid_and_invalid_samples() -> None:
    for spec in SPECS:
        assert any(s.spec == spec and s.valid for s in ALL), f"no valid sample for {spec}"
        assert any(s.spec == spec and not s.valid for s in ALL), f"no invalid sample for {spec}"


def test_samples_live_only_in_specification_folders() -> None:
    folders = {path.parent.name for path in SAMPLES.glob("*/*/*.xml")}
    assert folders <= set(SPECS)


def test_expected_findings_cover_exactly_the_invalid_samples() -> None:
    on_disk = {path.relative_to(SAMPLES / "invalid").as_posix() for path in SAMPLES.glob("invalid/*/*.xml")}
    assert set(EXPECTED) == on_disk


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_invalid_sample_is_one_mistake_away_from_a_valid_one(name: str) -> None:
    entry = EXPECTED[name]
    assert "findings" in entry, "the official findings must be recorded, [] when there are none"
    assert entry["findings"] or entry.get("schema"), "an invalid sample must have at least one finding"
    base = SAMPLES / "valid" / entry["base"]
    assert base.is_file(), f"base {entry['base']} is not a valid sample"
    assert entry["base"].split("/")[0] == name.split("/")[0], "derived from a sample of another specification"
    opening = (SAMPLES / "invalid" / name).read_text(encoding="utf-8")[:2000]
    assert re.search(r"<!--\s*INVALID sample: ", opening), "the top comment must say what the mistake is"
    assert f"Derived from samples/valid/{entry['base']}" in opening


def test_readme_lists_every_sample() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    missing = [sample.id for sample in ALL if sample.id not in readme]
    assert not missing, f"samples/README.md does not list {missing}"


# --- verdicts ---


@pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)
@pytest.mark.parametrize("sample", ALL, ids=lambda sample: sample.id)
def test_official_rules_give_the_recorded_findings(sample: Sample) -> None:
    report = jppint.validate(sample.path, schematron=official_schematron(sample.spec))
    problem = difference(sample, report, layers=("rules",))
    assert problem is None, problem


@pytest.mark.parametrize("sample", ALL, ids=lambda sample: sample.id)
def test_built_in_rules_give_the_recorded_findings(sample: Sample) -> None:
    report = jppint.validate(sample.path)
    assert report.spec == sample.spec, f"CustomizationID selected {report.spec}, the folder says {sample.spec}"
    problem = difference(sample, report, layers=("schema", "rules"))
    assert problem is None, problem


# --- messages of the schema layer ---


def test_schema_messages_cover_exactly_the_schema_findings() -> None:
    recorded = {name: Counter((m["rule_id"], m["location"]) for m in entries) for name, entries in MESSAGES.items()}
    expected = {
        name: Counter((f["rule_id"], f["location"]) for f in entry["schema"])
        for name, entry in EXPECTED.items()
        if entry.get("schema")
    }
    assert recorded == expected


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_schema_findings_have_the_recorded_messages(name: str) -> None:
    """A change of wording in the schema catalogue or its phrases must be recorded here on purpose."""
    report = jppint.validate(SAMPLES / "invalid" / name)
    actual = sorted(
        (finding.rule_id, finding.location, finding.messages["en"], finding.messages["ja"])
        for finding in report.findings
        if finding.layer == "schema"
    )
    expected = sorted((m["rule_id"], m["location"], m["en"], m["ja"]) for m in MESSAGES[name])
    assert actual == expected
