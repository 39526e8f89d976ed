"""The rule catalogue: per rule id, its flag, business terms, specs and messages.

The catalogue is data (rules/jp-pint-<version>/catalogue.toml); this module
only reads it and lends its texts to findings, so the wording of a message
is changed in one place and in both languages at once. A release whose
rules differ little from another names that release's catalogue first and
then its own, holding only the entries that differ (rules/versions.toml).
"""

from __future__ import annotations

import tomllib
from functools import cache

from jppint.advice.catalogue import advice_catalogue
from jppint.errors import JppintError
from jppint.results import Finding
from jppint.rule_entries import LANGUAGES as LANGUAGES
from jppint.rule_entries import Language as Language
from jppint.rule_entries import RuleEntry as RuleEntry
from jppint.rulesets import own_catalogue_section
from jppint.specs import release_named
from jppint.values import with_values


@cache
def load_catalogue(version: str | None = None) -> dict[str, RuleEntry]:
    """The catalogue of a release (the latest when None): its files in order, a later entry replacing an earlier one.

    A later file's `absent` list names rules of an earlier file that the
    release does not have.
    """
    entries: dict[str, RuleEntry] = {}
    for path in release_named(version).catalogues:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise JppintError(f"{path}: cannot read the rule catalogue: {error}") from None
        for rule_id in data.get("absent", ()):
            entries.pop(rule_id, None)
        entries.update(
            (
                rule_id,
                RuleEntry(
                    rule_id=rule_id,
                    flag=entry["flag"],
                    business_terms=tuple(entry.get("terms", ())),
                    specs=tuple(entry.get("specs", ())),
                    messages={language: entry[language] for language in LANGUAGES if language in entry},
                    value_messages={
                        language: entry[f"{language}-values"] for language in LANGUAGES if f"{language}-values" in entry
                    },
                ),
            )
            for rule_id, entry in data.get("rules", {}).items()
        )
    return entries


@cache
def schema_catalogue() -> dict[str, RuleEntry]:
    """The schema layer's rule ids, described like the rules (rules/ubl-2.1/catalogue.toml)."""
    from jppint.specs import SPECS
    from jppint.xsd.messages import schema_messages

    return {
        rule_id: RuleEntry(
            rule_id=rule_id, flag="fatal", business_terms=(), specs=tuple(SPECS), messages=texts, layer="schema"
        )
        for rule_id, texts in schema_messages().descriptions.items()
    }


@cache
def own_findings_catalogue() -> dict[str, RuleEntry]:
    """Findings jppint makes itself around the rules (rules/jppint/catalogue.toml), e.g. a number too long to read."""
    from jppint.specs import SPECS

    return {
        rule_id: RuleEntry(
            rule_id=rule_id,
            flag=entry["flag"],
            business_terms=(),
            specs=tuple(SPECS),
            messages={language: entry[language] for language in LANGUAGES if language in entry},
        )
        for rule_id, entry in own_catalogue_section("rules").items()
    }


def all_rules(version: str | None = None) -> dict[str, RuleEntry]:
    """Every rule id a built-in validation can report, schema layer first, as the layers run."""
    return {**schema_catalogue(), **load_catalogue(version), **own_findings_catalogue(), **advice_catalogue()}


def describe(finding: Finding, language: Language, version: str | None = None) -> Finding:
    """The finding with our catalogue's messages and business terms, in `language`.

    The rule's message is preceded by what this document holds: the
    finding's values in the rule's value sentence. Dynamic-error findings
    keep their own text: it says what value could not be read, and where.
    """
    entry = load_catalogue(version).get(finding.rule_id)
    if entry is None:
        return in_language(finding, language)
    if finding.kind == "error":
        return in_language(finding, language).model_copy(update={"business_terms": entry.business_terms})
    messages = with_values(dict(entry.messages), entry.value_messages, finding.values)
    return finding.model_copy(
        update={
            "message": messages.get(language) or finding.message,
            "messages": messages,
            "business_terms": entry.business_terms,
        }
    )


def in_language(finding: Finding, language: Language) -> Finding:
    """The finding with `message` in `language`, when the finding has that text."""
    text = finding.messages.get(language)
    if text is None or text == finding.message:
        return finding
    return finding.model_copy(update={"message": text})
