"""Passes over the parsed model that leave only what runs.

After `resolve_schema`: abstract patterns are instantiated (`is-a` with
`param`), abstract rules are inlined where a rule `extends` them, and only
the patterns of the chosen phase remain. The result is still a `Schema`, so
the XSLT writer has one simple shape to handle.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jppint.errors import SchematronError
from jppint.schematron.model import (
    Assertion,
    Extends,
    Let,
    MessagePart,
    Name,
    Origin,
    Param,
    Pattern,
    Rule,
    Schema,
    ValueOf,
)

ALL_PHASES = "#ALL"
DEFAULT_PHASE = "#DEFAULT"


def _fail(problem: str, origin: Origin) -> SchematronError:
    return SchematronError(problem, file=origin.file, line=origin.line)


def substitute_parameters(parameters: tuple[Param, ...], text: str) -> str:
    """`text` with each `$name` of `parameters` replaced, as in the pattern they belong to."""
    return _Substitution({parameter.name: parameter.value for parameter in parameters})(text) or ""


class _Substitution:
    """Replaces `$name` by a parameter value in the expressions of an abstract pattern."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.parameters = tuple(Param(name, value) for name, value in values.items())
        names = sorted(values, key=len, reverse=True)
        self.pattern = (
            re.compile(r"\$(" + "|".join(re.escape(name) for name in names) + r")(?![\w.\-])") if names else None
        )

    def __call__(self, text: str | None) -> str | None:
        if text is None or self.pattern is None:
            return text
        return self.pattern.sub(lambda match: self.values[match.group(1)], text)

    def message(self, parts: tuple[MessagePart, ...]) -> tuple[MessagePart, ...]:
        result: list[MessagePart] = []
        for part in parts:
            if isinstance(part, ValueOf):
                result.append(ValueOf(self(part.select) or ""))
            elif isinstance(part, Name):
                result.append(Name(self(part.path)))
            else:
                result.append(part)
        return tuple(result)

    def let(self, let: Let) -> Let:
        return replace(let, value=self(let.value))

    def rule(self, rule: Rule) -> Rule:
        body: list[Assertion | Extends] = []
        for item in rule.body:
            if isinstance(item, Assertion):
                body.append(
                    replace(
                        item,
                        id=self(item.id),
                        test=self(item.test) or "",
                        message=self.message(item.message),
                        parameters=self.parameters,
                    )
                )
            else:
                body.append(item)
        return replace(
            rule,
            context=self(rule.context),
            lets=tuple(self.let(let) for let in rule.lets),
            body=tuple(body),
        )


def _instantiate(pattern: Pattern, abstract_patterns: dict[str, Pattern]) -> Pattern:
    template = abstract_patterns.get(pattern.is_a or "")
    if template is None:
        raise _fail(f"pattern is-a '{pattern.is_a}', but no abstract pattern has that id", pattern.origin)
    given = {param.name: param.value for param in pattern.params}
    substitute = _Substitution(given)
    return Pattern(
        id=pattern.id,
        abstract=False,
        is_a=None,
        params=(),
        lets=tuple(substitute.let(let) for let in template.lets) + pattern.lets,
        rules=tuple(substitute.rule(rule) for rule in template.rules),
        origin=pattern.origin,
        documents=substitute(template.documents) if pattern.documents is None else pattern.documents,
    )


def _flatten(rule: Rule, abstract_rules: dict[str, Rule], seen: tuple[str, ...] = ()) -> Rule:
    """Inline every `extends` so a rule holds only its own lets and assertions."""
    lets = list(rule.lets)
    body: list[Assertion | Extends] = []
    for item in rule.body:
        if isinstance(item, Assertion):
            body.append(item)
            continue
        target = abstract_rules.get(item.rule)
        if target is None:
            raise _fail(f"extends rule '{item.rule}', but no abstract rule has that id", item.origin)
        if item.rule in seen:
            raise _fail(f"abstract rule '{item.rule}' extends itself", item.origin)
        inlined = _flatten(target, abstract_rules, (*seen, item.rule))
        lets.extend(inlined.lets)
        body.extend(inlined.body)
    return replace(rule, lets=tuple(lets), body=tuple(body))


def _active_patterns(schema: Schema, phase: str) -> tuple[tuple[Pattern, ...], tuple[Let, ...]]:
    chosen = schema.default_phase if phase == DEFAULT_PHASE else phase
    if chosen in (None, ALL_PHASES):
        return schema.patterns, ()
    for candidate in schema.phases:
        if candidate.id == chosen:
            wanted = set(candidate.active)
            known = {pattern.id for pattern in schema.patterns}
            for name in candidate.active:
                if name not in known:
                    raise _fail(f"phase '{chosen}' activates unknown pattern '{name}'", candidate.origin)
            return tuple(p for p in schema.patterns if p.id in wanted), candidate.lets
    names = ", ".join(p.id for p in schema.phases) or "none"
    raise _fail(f"no phase '{chosen}' (phases: {names})", schema.origin)


def resolve_schema(schema: Schema, phase: str = ALL_PHASES) -> Schema:
    """Instantiate, inline and select: the schema that the XSLT writer compiles."""
    abstract_patterns = {p.id: p for p in schema.patterns if p.abstract and p.id}
    concrete: list[Pattern] = []
    for pattern in schema.patterns:
        if pattern.abstract:
            continue
        concrete.append(_instantiate(pattern, abstract_patterns) if pattern.is_a else pattern)
    abstract_rules = {
        rule.id: rule
        for pattern in concrete + list(abstract_patterns.values())
        for rule in pattern.rules
        if rule.abstract and rule.id
    }
    flattened = [
        replace(
            pattern,
            rules=tuple(_flatten(rule, abstract_rules) for rule in pattern.rules if not rule.abstract),
        )
        for pattern in concrete
    ]
    active, phase_lets = _active_patterns(replace(schema, patterns=tuple(flattened)), phase)
    # ISO Schematron: a pattern's lets are global variables, evaluated once with the document
    # as context, and visible to every pattern, active or not.
    global_lets = schema.lets + tuple(let for pattern in flattened for let in pattern.lets) + phase_lets
    _refuse_duplicates(global_lets, "the schema, its phases and patterns")
    for pattern in flattened:
        for rule in pattern.rules:
            _refuse_duplicates(rule.lets, "one rule")
    return replace(
        schema,
        patterns=tuple(replace(pattern, lets=()) for pattern in active),
        phases=(),
        lets=global_lets,
    )


def _refuse_duplicates(lets: tuple[Let, ...], scope: str) -> None:
    """Two lets of one name in one scope is an error in ISO Schematron, not a silent override."""
    seen: dict[str, Let] = {}
    for let in lets:
        first = seen.setdefault(let.name, let)
        if first is not let:
            raise _fail(f"variable '{let.name}' is defined twice in {scope} (first at {first.origin})", let.origin)
