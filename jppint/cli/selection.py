"""Which findings a run reports: `--select`, `--ignore` and `--per-file-ignores`, by rule id or prefix.

A selector is a whole rule id (`ibr-co-13`) or a prefix ending in `-`
(`ibr-co-`, `ubl-schema-`, `aligned-`, `advice-`): a prefix without its
`-` would let `ibr-co-1` mean ibr-co-1 and ibr-co-10 to 19 at once.

A finding is kept when some `--select` matches it (every finding when
there is none) and no `--ignore`, nor any per-file ignore whose pattern
matches its file, does: an ignore wins over a select. Selection works on
findings of every layer alike (schema, rules, advice) after validation;
it never changes which layers run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from jppint.cli.globs import PathPattern


class SelectorError(ValueError):
    """A selector that cannot match anything; the message says which and suggests one."""


def matches(selector: str, rule_id: str) -> bool:
    return rule_id == selector or (selector.endswith("-") and rule_id.startswith(selector))


def parse_selectors(text: str) -> list[str]:
    """`ibr-co-13,aligned-` (as `--select` and `--ignore` take them) as a list; raises ValueError."""
    selectors = [part.strip() for part in text.split(",")]
    if not all(selectors):
        raise ValueError(f"an empty rule id in {text!r}")
    for selector in selectors:
        if any(character.isspace() for character in selector):
            raise ValueError(f"a rule id has no spaces: {selector!r}")
    return selectors


def parse_per_file_ignore(text: str) -> tuple[str, tuple[str, ...]]:
    """`GLOB:ID,ID` as (glob, ids); the glob is what precedes the last `:`."""
    glob, colon, ids = text.rpartition(":")
    if not colon or not glob:
        raise ValueError(f"expected GLOB:RULE_ID[,RULE_ID...], not {text!r}")
    return glob, tuple(parse_selectors(ids))


@dataclass(frozen=True)
class Selection:
    """The selectors of a run; `keeps(rule_id, path)` decides one finding."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[PathPattern, tuple[str, ...]], ...] = ()

    @classmethod
    def of(
        cls, select: Iterable[str], ignore: Iterable[str], per_file_ignores: Iterable[tuple[str, Sequence[str]]]
    ) -> Selection:
        return cls(
            tuple(select),
            tuple(ignore),
            tuple((PathPattern(glob), tuple(ids)) for glob, ids in per_file_ignores),
        )

    @property
    def everything(self) -> bool:
        return not (self.select or self.ignore or self.per_file_ignores)

    def ignored_in(self, path: str | None) -> tuple[str, ...]:
        """The ignores that apply to the file at `path` (None: a document that is no file)."""
        ids = list(self.ignore)
        if path is not None:
            for pattern, selectors in self.per_file_ignores:
                if pattern.matches(path):
                    ids.extend(selectors)
        return tuple(ids)

    def keeps(self, rule_id: str, ignored: Sequence[str]) -> bool:
        if self.select and not any(matches(selector, rule_id) for selector in self.select):
            return False
        return not any(matches(selector, rule_id) for selector in ignored)

    def check(self, known: Mapping[str, object]) -> None:
        """Raise SelectorError for a selector that matches none of the `known` rule ids (a typing mistake)."""
        given = [*self.select, *self.ignore, *(id for _, ids in self.per_file_ignores for id in ids)]
        for selector in given:
            if not any(matches(selector, rule_id) for rule_id in known):
                close = difflib.get_close_matches(selector, list(known), n=1)
                hint = f"; did you mean {close[0]}?" if close else "; see jppint rules list"
                if any(rule_id.startswith(f"{selector}-") for rule_id in known):
                    hint = f"; a prefix ends with '-': {selector}-"
                raise SelectorError(f"no rule id is or starts with {selector!r}{hint}")
