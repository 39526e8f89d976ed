"""Every advice message says why it is advice and not an error: the official rules accept what it points at."""

from __future__ import annotations

import tomllib

import pytest

from jppint.rulesets import rules_directory

CATALOGUE = tomllib.loads((rules_directory() / "advice" / "catalogue.toml").read_text(encoding="utf-8"))
# The closing count of advice left out (max_findings) points at nothing in the invoice.
NOT_ABOUT_THE_INVOICE = {"advice-too-many-findings"}
CHECKS = sorted(set(CATALOGUE["rules"]) - NOT_ABOUT_THE_INVOICE)


def _finding_texts(rule_id: str, language: str) -> list[str]:
    entry = CATALOGUE["rules"][rule_id]
    why = entry.get("why", {}).get(language, "")
    return [text + why for key, text in entry.items() if key.startswith(f"{language}-finding")]


@pytest.mark.parametrize("rule_id", CHECKS)
def test_each_advice_message_says_the_official_rules_accept_it_and_that_it_is_advice(rule_id: str) -> None:
    english, japanese = _finding_texts(rule_id, "en"), _finding_texts(rule_id, "ja")
    assert english and japanese
    for text in english:
        assert "JP PINT" in text and ("accept" in text or "let it pass" in text), text
        assert text.endswith("this is advice."), text
    for text in japanese:
        assert "JP PINT" in text and "不適合になることはありません（助言）" in text, text


def test_there_are_checks() -> None:
    assert {"advice-registration-number-check-digit", "advice-jpy-tax-amount-decimals"} <= set(CHECKS)
