"""A value a rule could not read, told in plain words: the value, its element and its own line.

When a rule meets a value it cannot convert (`1,000` as an amount, `2026/04/03`
as a date, `yes` as a boolean, or two values where it reads one), Saxon
raises a dynamic error in English (`err:FORG0001 Cannot convert string
"1,000" to xs:decimal: invalid character ','`). The finding says instead,
in the reader's language, which value it is, where it is written and how to
write it; the engine's text stays in `Finding.detail` for experts. The
sentences are data: rules/jppint/catalogue.toml `[unreadable]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from jppint.locations import Locator, ValueIndex, step_name
from jppint.rulesets import own_catalogue_section

LANGUAGES = ("en", "ja")
_QUOTED = re.compile(r'"([^"]*)"')
# What the rule tried to read the value as, from Saxon's message.
_KINDS = (
    (re.compile(r"to (?:xs:)?(?:decimal|double|float|integer)\b|to a (?:number|double)"), "number"),
    (re.compile(r"Invalid date|to (?:xs:)?date\b"), "date"),
    (re.compile(r"cannot be cast to a boolean|to (?:xs:)?boolean\b"), "boolean"),
    (re.compile(r"sequence of more than one item"), "repeated"),
)
_SHOWN_PLACES = 3


@dataclass(frozen=True)
class Unreadable:
    """What an error finding says: its messages, the line to look at, and the engine's text."""

    messages: dict[str, str]
    line: int | None
    detail: str


def _sentences() -> dict[str, Any]:
    return own_catalogue_section("unreadable")


def unreadable_value(reason: str, rule_id: str, location: str, values: ValueIndex, locator: Locator) -> Unreadable:
    """The finding's words for a rule that `reason` (Saxon's error) stopped at `location`."""
    sentences = _sentences()
    context = locator.element_at(location)
    kind = next((name for pattern, name in _KINDS if pattern.search(reason)), "unknown")
    quoted = list(dict.fromkeys(_QUOTED.findall(reason)))
    places = [(value, holder) for value in quoted for holder in values.holders(value, context)[:1]]
    detail = reason + _where(places, locator)
    if kind == "repeated" and places:
        listed = [
            _filled(sentences["place"], value=value, line=element.sourceline, element=_named(element, attribute))
            for value, (element, attribute) in places[:_SHOWN_PLACES]
        ]
        joined = {
            language: sentences["separator"][language].join(item[language] for item in listed) for language in LANGUAGES
        }
        messages = {
            language: sentences["repeated"][language].format(rule=rule_id, places=joined[language])
            for language in LANGUAGES
        }
        return Unreadable(messages, places[0][1][0].sourceline, detail)
    if kind in ("number", "date", "boolean") and places:
        value, (element, attribute) = places[0]
        if kind == "number" and attribute is None and etree.QName(element).localname.endswith("Amount"):
            kind = "amount"
        messages = _filled(
            sentences[kind], value=value, line=element.sourceline, element=_named(element, attribute), rule=rule_id
        )
        return Unreadable(messages, element.sourceline, detail)
    line = context.sourceline if context is not None else None
    messages = _filled(sentences["unknown"], rule=rule_id, location=location, line=line if line is not None else "?")
    return Unreadable(messages, line, detail)


def _filled(template: dict[str, str], **fields: object) -> dict[str, str]:
    named = {
        key: (value if isinstance(value, dict) else {language: value for language in LANGUAGES})
        for key, value in fields.items()
    }
    return {
        language: template[language].format(**{key: named[key][language] for key in named}) for language in LANGUAGES
    }


def _named(element: etree._Element, attribute: str | None) -> dict[str, str]:
    name = step_name(element)
    if attribute is None:
        return {language: name for language in LANGUAGES}
    return {
        language: _sentences()["attribute"][language].format(attribute=attribute, element=name)
        for language in LANGUAGES
    }


def _where(places: list[tuple[str, tuple[etree._Element, str | None]]], locator: Locator) -> str:
    """Where the quoted values are, for the detail: ' (value "abc" at /ubl:Invoice[1]/..., line 87)'."""
    shown = [
        f'value "{value}" at {locator.location_of(element)}{f"/@{attribute}" if attribute else ""}, '
        f"line {element.sourceline}"
        for value, (element, attribute) in places
    ]
    return f" ({'; '.join(shown)})" if shown else ""
