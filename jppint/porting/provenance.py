"""Provenance files: which official assertion each of our rules implements, as fingerprints.

One file per release (rules/versions.toml names it), one table per
specification and rule of ours:

    [jp."ibr-126"]
    official = "ibr-126"                              # the official assertion id
    source = "PINT-UBL-validation-preprocessed.sch"   # the official file that holds it
    flag = "fatal"
    context = "sha256:..."                            # digests, see jppint.porting.official
    test = "sha256:..."
    message = "sha256:..."
    excluded-codes = ["0244"]                         # optional, see below

`excluded-codes` lists codes of our code list (as of the release) that the
official list written into that assertion's test can never match, so our
rule excludes them in its own test (an official list that ends without the
space its last code needs; see rules/codelists/README.md).

The file is written by `python -m jppint.porting record` from the official
files our rules were written from, and checked against them by the tests.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from jppint.porting.official import OfficialAssertion, read_official_release
from jppint.rules_diff import rule_set_assertions
from jppint.rulesets import rules_directory
from jppint.schematron.codelists import read_code_list
from jppint.specs import release_named

FINGERPRINTS = ("context", "test", "message")


@dataclass(frozen=True)
class Record:
    """What one rule of ours was written from."""

    spec: str
    rule_id: str
    official: str
    source: str
    flag: str
    digests: dict[str, str]
    excluded_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Provenance:
    release: str
    written_from: str
    records: dict[tuple[str, str], Record]


def read_provenance(version: str | None = None) -> Provenance:
    """The provenance of a release of ours (the latest when None)."""
    release = release_named(version)
    data = tomllib.loads(release.provenance.read_text(encoding="utf-8"))
    records = {
        (spec, rule_id): Record(
            spec=spec,
            rule_id=rule_id,
            official=entry["official"],
            source=entry["source"],
            flag=entry["flag"],
            digests={name: entry[name] for name in FINGERPRINTS},
            excluded_codes=frozenset(entry.get("excluded-codes", ())),
        )
        for spec, table in data.get("specs", {}).items()
        for rule_id, entry in table.items()
    }
    return Provenance(release=data["release"], written_from=data["written-from"], records=records)


def code_lists_used_by(version: str) -> dict[tuple[str, str], list[tuple[str, frozenset[str]]]]:
    """(spec, official assertion id) -> our code lists it embeds (file stem, codes as of `version`).

    From each code list file's `used-by` header (rules/codelists/README.md).
    """
    used: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
    for path in sorted((rules_directory() / "codelists").glob("*.txt")):
        code_list = read_code_list(path)
        codes = frozenset(code_list.codes_as_of(version))
        for group in code_list.headers.get("used-by", "").split("; "):
            specs, _, assertion_ids = group.partition(": ")
            for spec in specs.split():
                for assertion_id in assertion_ids.split():
                    used.setdefault((spec, assertion_id), []).append((path.stem, codes))
    return used


def closest_list(lists: tuple[frozenset[str], ...], codes: frozenset[str]) -> frozenset[str]:
    """The embedded list that is the given code list (or nearest to it): an assertion may embed several."""
    return min(lists, key=lambda candidate: len(candidate ^ codes))


def our_rule_ids(version: str) -> dict[str, list[str]]:
    """Spec -> the assertion ids of our rules of a release, in rule-set order, each once."""
    return {
        key: list(dict.fromkeys(assertion.id or "" for _, assertion in rule_set_assertions(spec.rules)))
        for key, spec in release_named(version).specs.items()
    }


def record_provenance(version: str, official_folder: str | Path) -> str:
    """The provenance file of our release `version`, from the official files it implements.

    Each of our rules implements the official assertion of the same id (we
    keep the official ids); a rule of ours with no official counterpart is
    an error, so that it cannot go unnoticed.
    """
    official = read_official_release(official_folder)
    used = code_lists_used_by(version)
    lines = [
        f"# Provenance of our JP PINT {version} rules: per specification and rule, the official assertion it",
        "# implements and fingerprints of that assertion (see jppint/porting/provenance.py and docs/porting.md).",
        "# Written by `python -m jppint.porting record`; do not edit by hand.",
        "",
        "schema-version = 1",
        f'release = "{version}"',
        f'written-from = "{Path(official_folder).name}"',
    ]
    missing = []
    for spec, rule_ids in our_rule_ids(version).items():
        lines += ["", f'[specs."{spec}"]']
        for rule_id in rule_ids:
            assertion = official.get(spec, {}).get(rule_id)
            if assertion is None:
                missing.append(f"{spec} {rule_id}")
                continue
            excluded: set[str] = set()
            for _, codes in used.get((spec, rule_id), []) if assertion.code_lists else []:
                closest = closest_list(assertion.code_lists, codes)
                if closest < codes:
                    excluded |= codes - closest
            lines += [*_table(spec, rule_id, assertion)]
            if excluded:
                listed = ", ".join(f'"{code}"' for code in sorted(excluded))
                lines.append(f"excluded-codes = [{listed}]")
    if missing:
        raise ValueError(f"rules of ours with no official assertion of the same id: {', '.join(missing)}")
    return "\n".join(lines) + "\n"


def _table(spec: str, rule_id: str, assertion: OfficialAssertion) -> list[str]:
    return [
        f'[specs."{spec}"."{rule_id}"]',
        f'official = "{assertion.id}"',
        f'source = "{assertion.source}"',
        f'flag = "{assertion.flag}"',
        *(f'{name} = "{assertion.digests[name]}"' for name in FINGERPRINTS),
    ]
