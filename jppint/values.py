"""A finding's values, written for people: the catalogue's value sentences filled in.

The rules report what they found and expected as plain text in
`Finding.values` (ISO Schematron properties, see `schematron.xslt`): amounts
as the document or XPath writes them (`228400`, `3649.92`). People read
`JPY 228,400` or `228,400円`, so a value sentence of the catalogue names a
format for each value: `{found:amount}` (with thousands separators and the
currency of the `currency` value), `{found:amounts}` (several, listed),
`{found:codes}` (several codes, each quoted, listed), `{rate:percent}`,
`{count:number}`, or `{found}` as written (codes, dates,
identifiers: the reader must recognise what they typed). The words around
them (the yen sign, "or", "not given") are data: rules/jppint/catalogue.toml
`[values]`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from jppint.rulesets import own_catalogue_section

YEN = "JPY"


def value_words() -> dict[str, Any]:
    return own_catalogue_section("values")


class _Shown:
    """One value of a finding, formatted by the format spec its template gives it."""

    def __init__(self, text: str, language: str, currency: str) -> None:
        self.text = " ".join(text.split())
        self.language = language
        self.currency = currency

    def __format__(self, spec: str) -> str:
        words = value_words()
        if not self.text:
            return str(words["missing"][self.language])
        parts = self.text.split(" ") if spec in ("amount", "amounts", "number", "codes") else [self.text]
        if spec == "amount":
            shown = [self._amount(part) for part in parts]
            return str(words["or"][self.language]).join(shown)
        if spec == "amounts":
            return str(words["and"][self.language]).join(self._amount(part) for part in parts)
        if spec == "number":
            return str(words["and"][self.language]).join(_grouped(part) for part in parts)
        if spec == "codes":  # distinct codes of several elements: "USD", "JPY" rather than USD JPY
            quoted = (str(words["code"][self.language]).format(code=part) for part in parts)
            return str(words["and"][self.language]).join(quoted)
        if spec == "percent":
            return str(words["percent"][self.language]).format(number=_grouped(self.text))
        if spec:
            raise ValueError(f"unknown value format {spec!r}")
        return self.text

    def _amount(self, text: str) -> str:
        number = _grouped(text)
        if not self.currency:
            return number
        key = "amount-in-yen" if self.currency == YEN else "amount"
        return str(value_words()[key][self.language]).format(amount=number, currency=self.currency)


def _grouped(text: str) -> str:
    """A decimal number with thousands separators and its decimals as written; anything else as it is."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return f"{number:,f}"


def values_sentence(template: str, values: dict[str, str], language: str) -> str | None:
    """The template filled with the finding's values, or None when it needs a value the finding lacks."""
    currency = " ".join(values.get("currency", "").split())
    shown = {key: _Shown(text, language, currency) for key, text in values.items()}
    try:
        return template.format_map(shown)
    except (KeyError, IndexError, ValueError):
        return None


def with_values(messages: dict[str, str], templates: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """Each message preceded by what this document holds: its value sentence, when it can be filled.

    A rule's own sentence comes from `templates`; a rule that reports only
    the offending value (a code, a format) uses the common one of `[values]`,
    or says that there is none when the value is empty or missing.
    """
    if not values:
        return messages
    common: dict[str, str] = {}
    if set(values) == {"value"}:
        common = value_words()["value" if values["value"].strip() else "no-value"]
    filled = {}
    for language, message in messages.items():
        template = templates.get(language) or common.get(language)
        sentence = values_sentence(template, values, language) if template else None
        joiner = "" if language == "ja" else " "
        filled[language] = f"{sentence}{joiner}{message}" if sentence else message
    return filled
