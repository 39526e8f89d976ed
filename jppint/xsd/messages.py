"""The schema layer's words: rule descriptions and message templates, read from rules/ubl-2.1/catalogue.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from jppint.errors import JppintError
from jppint.rulesets import rules_directory

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class SchemaMessages:
    """Templates per rule id and language, and the phrases they are filled with."""

    descriptions: dict[str, dict[str, str]]
    templates: dict[str, dict[str, str]]
    value_kinds: dict[str, dict[str, str]]
    hints: dict[str, dict[str, str]]
    words: dict[str, dict[str, str]]

    def fill(self, rule_id: str, fields: dict[str, dict[str, str]]) -> dict[str, str]:
        """The message of `rule_id` in every language; `fields` holds each placeholder's text per language."""
        return {
            language: self.templates[rule_id][language].format(
                **{name: texts.get(language, texts.get("en", "")) for name, texts in fields.items()}
            )
            for language in LANGUAGES
        }


def catalogue_file() -> str:
    return str(rules_directory() / "ubl-2.1" / "catalogue.toml")


@cache
def schema_messages() -> SchemaMessages:
    try:
        with open(catalogue_file(), "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise JppintError(f"{catalogue_file()}: cannot read the schema messages: {error}") from None
    rules = data["rules"]
    return SchemaMessages(
        descriptions={rule_id: {lang: entry[lang] for lang in LANGUAGES} for rule_id, entry in rules.items()},
        templates={rule_id: {lang: entry[f"{lang}-finding"] for lang in LANGUAGES} for rule_id, entry in rules.items()},
        value_kinds=data["value-kinds"],
        hints=data["hints"],
        words=data["words"],
    )
