"""The advice layer's catalogue: per check, its severity, descriptions, message templates and facts.

The catalogue is data (rules/advice/catalogue.toml): the wording of a message
and the elements a check reads change there, in both languages at once; the
checks in this package only compute.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from jppint.errors import JppintError
from jppint.locations import Locator
from jppint.results import Finding, Severity, severity_of
from jppint.rule_entries import LANGUAGES, RuleEntry
from jppint.rulesets import rules_directory

SOURCE = "jppint advice"


@dataclass(frozen=True)
class AdviceRule:
    """One advice check as the catalogue describes it; `facts` holds the entry's other keys."""

    rule_id: str
    severity: Severity
    business_terms: tuple[str, ...]
    specs: tuple[str, ...]
    descriptions: dict[str, str]
    facts: dict[str, Any]

    def texts(self, template: str, fields: dict[str, dict[str, str]]) -> dict[str, str]:
        """The message `en-<template>` / `ja-<template>`; `fields` holds each placeholder's text per language."""
        return {
            language: self.facts[f"{language}-{template}"].format(
                **{name: texts[language] for name, texts in fields.items()}
            )
            for language in LANGUAGES
        }

    def finding(
        self,
        element: etree._Element | None,
        locator: Locator,
        template: str,
        fields: dict[str, dict[str, str]],
        business_terms: tuple[str, ...] = (),
    ) -> Finding:
        """A finding of this check at `element` (the whole document when None), in English; `messages` has both."""
        texts = self.texts(template, fields)
        return Finding(
            rule_id=self.rule_id,
            layer="advice",
            flag=self.severity,
            severity=self.severity,
            message=texts["en"],
            messages=texts,
            location="/" if element is None else locator.location_of(element),
            line=None if element is None else element.sourceline,
            test="",
            kind="report",
            source=SOURCE,
            business_terms=business_terms,
        )

    def entry(self) -> RuleEntry:
        """The check as `jppint rules list/show` lists it."""
        return RuleEntry(
            rule_id=self.rule_id,
            flag=self.severity,
            business_terms=self.business_terms,
            specs=self.specs,
            messages=dict(self.descriptions),
            layer="advice",
        )


def catalogue_file() -> str:
    return str(rules_directory() / "advice" / "catalogue.toml")


@cache
def advice_rules() -> dict[str, AdviceRule]:
    """Every advice check of the catalogue, by rule id, in the order the layer runs them."""
    try:
        with open(catalogue_file(), "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise JppintError(f"{catalogue_file()}: cannot read the advice catalogue: {error}") from None
    return {
        rule_id: AdviceRule(
            rule_id=rule_id,
            severity=severity_of(entry["flag"]),
            business_terms=tuple(entry.get("terms", ())),
            specs=tuple(entry["specs"]),
            descriptions={language: entry[language] for language in LANGUAGES},
            facts=entry,
        )
        for rule_id, entry in data["rules"].items()
    }


def advice_catalogue() -> dict[str, RuleEntry]:
    """The advice checks as rule-catalogue entries, with layer "advice"."""
    return {rule_id: rule.entry() for rule_id, rule in advice_rules().items()}
