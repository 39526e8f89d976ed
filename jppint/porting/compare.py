"""A new official release against the release our rules were written from: what to port."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jppint.porting.official import OfficialAssertion, read_official_release
from jppint.porting.provenance import Provenance, closest_list, code_lists_used_by, read_provenance


@dataclass(frozen=True)
class AssertionChange:
    official: str
    specs: tuple[str, ...]
    changes: tuple[str, ...] = ()  # of "context", "test", "flag", "message"
    rules: tuple[str, ...] = ()  # our rules that implement it

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {"official": self.official, "specs": list(self.specs)}
        if self.changes:
            found["changes"] = list(self.changes)
        if self.rules:
            found["rules"] = list(self.rules)
        return found


@dataclass(frozen=True)
class CodeListChange:
    code_list: str
    assertions: tuple[tuple[str, tuple[str, ...]], ...]  # (official assertion id, specs)
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "code_list": self.code_list,
            "assertions": [{"official": official, "specs": list(specs)} for official, specs in self.assertions],
            "added": list(self.added),
            "removed": list(self.removed),
        }

    def users(self) -> str:
        """`ibr-cl-10 ibr-cl-11 (jp jp-sb); ibr-cl-26 (jp-sb)`: the assertions grouped by their specs."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for official, specs in self.assertions:
            groups.setdefault(specs, []).append(official)
        return "; ".join(f"{' '.join(ids)} ({' '.join(specs)})" for specs, ids in groups.items())


@dataclass(frozen=True)
class Comparison:
    """The official assertions added, removed and changed since `release`, and the code lists that differ."""

    release: str
    official: str
    added: tuple[AssertionChange, ...] = ()
    removed: tuple[AssertionChange, ...] = ()
    changed: tuple[AssertionChange, ...] = ()
    code_lists: tuple[CodeListChange, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.code_lists)

    def to_json(self) -> dict[str, object]:
        return {
            "written_from": self.release,
            "official": self.official,
            "assertions": {
                "added": [change.to_json() for change in self.added],
                "removed": [change.to_json() for change in self.removed],
                "changed": [change.to_json() for change in self.changed],
            },
            "code_lists": [change.to_json() for change in self.code_lists],
        }

    def to_text(self) -> str:
        lines = [f"Official {self.official} against the official release our {self.release} rules were written from"]
        for word, changes in (("added", self.added), ("removed", self.removed), ("changed", self.changed)):
            for change in changes:
                what = f" {', '.join(change.changes)}" if change.changes else ""
                ours = f"; our rule {' '.join(change.rules)}" if change.rules else ""
                lines.append(f"  {word:<8} {change.official}{what} ({' '.join(change.specs)}){ours}")
        for code_list in self.code_lists:
            parts = [f"added {' '.join(code_list.added)}"] if code_list.added else []
            parts += [f"removed {' '.join(code_list.removed)}"] if code_list.removed else []
            lines.append(f"  codes    {code_list.code_list} [{code_list.users()}]: {'; '.join(parts)}")
        if self.empty:
            lines.append("  no difference: our rules need no change")
        return "\n".join(lines) + "\n"


def compare_release(official_folder: str | Path, release: str | None = None) -> Comparison:
    """Compare the official files in `official_folder` (`<spec>/schematron/*.sch`) with our `release`.

    Assertions are compared by their recorded fingerprints (provenance);
    code lists by the codes the new official tests can match against our
    code list files as of `release` (each file's `used-by` header says which
    official assertions embed it).
    """
    provenance = read_provenance(release)
    official = read_official_release(official_folder)
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    changed: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    recorded_by_official: dict[tuple[str, str], list[str]] = {}
    for (spec, rule_id), record in provenance.records.items():
        recorded_by_official.setdefault((spec, record.official), []).append(rule_id)
    for spec in official:
        for (recorded_spec, official_id), rule_ids in sorted(recorded_by_official.items()):
            if recorded_spec != spec:
                continue
            assertion = official[spec].get(official_id)
            if assertion is None:
                removed.setdefault(official_id, []).append(spec)
                continue
            record = provenance.records[(spec, rule_ids[0])]
            changes = tuple(
                name
                for name in ("context", "test", "flag", "message")
                if (record.flag if name == "flag" else record.digests[name])
                != (assertion.flag if name == "flag" else assertion.digests[name])
            )
            if changes:
                changed.setdefault((official_id, changes, tuple(sorted(rule_ids))), []).append(spec)
        for official_id in official[spec]:
            if (spec, official_id) not in recorded_by_official:
                added.setdefault(official_id, []).append(spec)
    return Comparison(
        release=provenance.release,
        official=Path(official_folder).name,
        added=tuple(AssertionChange(official_id, tuple(specs)) for official_id, specs in added.items()),
        removed=tuple(AssertionChange(official_id, tuple(specs)) for official_id, specs in sorted(removed.items())),
        changed=tuple(
            AssertionChange(official_id, tuple(specs), changes, rules)
            for (official_id, changes, rules), specs in sorted(changed.items())
        ),
        code_lists=_code_list_changes(official, provenance),
    )


def _code_list_changes(
    official: dict[str, dict[str, OfficialAssertion]], provenance: Provenance
) -> tuple[CodeListChange, ...]:
    found: dict[tuple[str, tuple[str, ...], tuple[str, ...]], dict[str, set[str]]] = {}
    for (spec, assertion_id), lists in sorted(code_lists_used_by(provenance.release).items()):
        assertion = official.get(spec, {}).get(assertion_id)
        if assertion is None or not assertion.code_lists:
            continue
        record = provenance.records.get((spec, assertion_id))
        excluded = record.excluded_codes if record else frozenset()
        for stem, codes in lists:
            ours = codes - excluded
            closest = closest_list(assertion.code_lists, ours)
            if closest == ours:
                continue
            key = (stem, tuple(sorted(closest - ours)), tuple(sorted(ours - closest)))
            found.setdefault(key, {}).setdefault(assertion_id, set()).add(spec)
    return tuple(
        CodeListChange(
            stem,
            tuple((official, _in_spec_order(specs)) for official, specs in sorted(assertions.items())),
            added,
            removed,
        )
        for (stem, added, removed), assertions in sorted(found.items())
    )


def _in_spec_order(specs: set[str]) -> tuple[str, ...]:
    order = ("jp", "jp-sb", "jp-ntr")
    return tuple(sorted(specs, key=lambda spec: (order.index(spec) if spec in order else len(order), spec)))
