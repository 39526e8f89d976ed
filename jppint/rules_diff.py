"""What changed between two of our rule releases: rules added, removed or changed, codes added or removed.

Read from the rules themselves (each release's top-level `.sch` files,
resolved as the compiler resolves them, and the code lists as of that
release) and from the catalogue (our messages), so the answer is what runs,
not what a changelog says. `jppint rules diff OLD NEW` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jppint.catalogue import load_catalogue
from jppint.schematron.codelists import read_code_list
from jppint.schematron.model import Assertion
from jppint.schematron.parse import parse_schematron
from jppint.schematron.resolve import ALL_PHASES, resolve_schema
from jppint.specs import release_named


@dataclass(frozen=True)
class RuleForm:
    """One rule id in one spec of a release: where and how it is tested (a rule may sit in several contexts)."""

    flag: str
    checks: frozenset[tuple[str, str]]  # (context, test), whitespace normalised


@dataclass(frozen=True)
class ReleaseRules:
    """A release's rules per spec and id, its messages per id, and its code lists per file."""

    version: str
    rules: dict[str, dict[str, RuleForm]]
    messages: dict[str, dict[str, str]]
    code_lists: dict[str, frozenset[str]]
    code_list_users: dict[str, frozenset[str]]


@dataclass(frozen=True)
class RuleChange:
    rule_id: str
    specs: tuple[str, ...]
    changes: tuple[str, ...] = ()  # "test", "flag", "message"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.rule_id,
            "specs": list(self.specs),
            **({"changes": list(self.changes)} if self.changes else {}),
        }


@dataclass(frozen=True)
class CodeListChange:
    code_list: str
    used_by: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "code_list": self.code_list,
            "used_by": list(self.used_by),
            "added": list(self.added),
            "removed": list(self.removed),
        }


@dataclass(frozen=True)
class RulesDiff:
    old: str
    new: str
    added: tuple[RuleChange, ...] = ()
    removed: tuple[RuleChange, ...] = ()
    changed: tuple[RuleChange, ...] = ()
    code_lists: tuple[CodeListChange, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.code_lists)

    def to_json(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "rules": {
                "added": [change.to_json() for change in self.added],
                "removed": [change.to_json() for change in self.removed],
                "changed": [change.to_json() for change in self.changed],
            },
            "code_lists": [change.to_json() for change in self.code_lists],
        }

    def to_text(self) -> str:
        lines = [f"JP PINT rules {self.old} -> {self.new}"]
        for word, changes in (("added", self.added), ("removed", self.removed), ("changed", self.changed)):
            for change in changes:
                what = f" {', '.join(change.changes)}" if change.changes else ""
                lines.append(f"  {word:<8} {change.rule_id}{what} ({' '.join(change.specs)})")
        for code_list in self.code_lists:
            parts = [f"added {' '.join(code_list.added)}"] if code_list.added else []
            parts += [f"removed {' '.join(code_list.removed)}"] if code_list.removed else []
            lines.append(f"  codes    {code_list.code_list} ({' '.join(code_list.used_by)}): {'; '.join(parts)}")
        if self.empty:
            lines.append("  no difference")
        return "\n".join(lines) + "\n"


def rule_set_assertions(path: str | Path) -> list[tuple[str, Assertion]]:
    """Every assertion of a rule set with its rule's context, after includes and abstract rules are resolved."""
    schema = resolve_schema(parse_schematron(path), ALL_PHASES)
    return [
        (rule.context or "", item)
        for pattern in schema.patterns
        for rule in pattern.rules
        for item in rule.body
        if isinstance(item, Assertion)
    ]


@cache
def release_rules(version: str) -> ReleaseRules:
    release = release_named(version)
    rules: dict[str, dict[str, RuleForm]] = {}
    code_lists: dict[str, frozenset[str]] = {}
    users: dict[str, set[str]] = {}
    for key, spec in release.specs.items():
        checks: dict[str, set[tuple[str, str]]] = {}
        flags: dict[str, str] = {}
        schema = parse_schematron(spec.rules)
        names = {code_list.name: Path(code_list.href).stem for code_list in schema.code_lists}
        for context, assertion in rule_set_assertions(spec.rules):
            rule_id = assertion.id or ""
            checks.setdefault(rule_id, set()).add((_normalised(context), _normalised(assertion.test)))
            flags[rule_id] = assertion.flag or ""
            for name, stem in names.items():
                if f"${name}" in assertion.test:
                    users.setdefault(stem, set()).add(rule_id)
        rules[key] = {rule_id: RuleForm(flags[rule_id], frozenset(found)) for rule_id, found in checks.items()}
        for code_list in schema.code_lists:
            code_lists[Path(code_list.href).stem] = frozenset(
                read_code_list(code_list.href).codes_as_of(code_list.release)
            )
    messages = {rule_id: dict(entry.messages) for rule_id, entry in load_catalogue(version).items()}
    return ReleaseRules(version, rules, messages, code_lists, {stem: frozenset(ids) for stem, ids in users.items()})


def diff_releases(old: str, new: str) -> RulesDiff:
    """What a maintainer or user needs to know about moving from release `old` to `new`."""
    before, after = release_rules(release_named(old).version), release_rules(release_named(new).version)
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    changed: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for spec in sorted(set(before.rules) | set(after.rules), key=_spec_order):
        old_rules, new_rules = before.rules.get(spec, {}), after.rules.get(spec, {})
        for rule_id in sorted(set(new_rules) - set(old_rules)):
            added.setdefault(rule_id, []).append(spec)
        for rule_id in sorted(set(old_rules) - set(new_rules)):
            removed.setdefault(rule_id, []).append(spec)
        for rule_id in sorted(set(old_rules) & set(new_rules)):
            changes = tuple(
                name
                for name, differs in (
                    ("test", old_rules[rule_id].checks != new_rules[rule_id].checks),
                    ("flag", old_rules[rule_id].flag != new_rules[rule_id].flag),
                    ("message", before.messages.get(rule_id) != after.messages.get(rule_id)),
                )
                if differs
            )
            if changes:
                changed.setdefault((rule_id, changes), []).append(spec)
    code_list_changes = [
        CodeListChange(
            stem,
            tuple(sorted(before.code_list_users.get(stem, frozenset()) | after.code_list_users.get(stem, frozenset()))),
            tuple(sorted(after.code_lists.get(stem, frozenset()) - before.code_lists.get(stem, frozenset()))),
            tuple(sorted(before.code_lists.get(stem, frozenset()) - after.code_lists.get(stem, frozenset()))),
        )
        for stem in sorted(set(before.code_lists) | set(after.code_lists))
        if before.code_lists.get(stem) != after.code_lists.get(stem)
    ]
    return RulesDiff(
        old=before.version,
        new=after.version,
        added=tuple(RuleChange(rule_id, tuple(specs)) for rule_id, specs in added.items()),
        removed=tuple(RuleChange(rule_id, tuple(specs)) for rule_id, specs in removed.items()),
        changed=tuple(
            RuleChange(rule_id, tuple(specs), changes) for (rule_id, changes), specs in sorted(changed.items())
        ),
        code_lists=tuple(code_list_changes),
    )


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _spec_order(spec: str) -> tuple[int, str]:
    order = ("jp", "jp-sb", "jp-ntr")
    return (order.index(spec) if spec in order else len(order), spec)
