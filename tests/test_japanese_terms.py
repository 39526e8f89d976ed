"""Our Japanese messages use the National Tax Agency's words, the ones an accountant knows from its guidance.

売手 and 買手 (not 売り手, 買い手), 登録番号 (not the colloquial T番号), and 税率ごとに区分した
消費税額等 where a message names the tax per rate that a qualified invoice (適格請求書) must state.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jppint.rulesets import rules_directory

# Colloquial word -> the National Tax Agency's word.
NOT_THE_AGENCY_WORDS = {"売り手": "売手", "買い手": "買手", "T番号": "登録番号"}


def _catalogues() -> list[Path]:
    return sorted(rules_directory().glob("*/catalogue.toml"))


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string of a TOML document, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def test_every_catalogue_is_read() -> None:
    names = {path.parent.name for path in _catalogues()}
    assert {"jp-pint-1.1.3", "advice", "jppint", "ubl-2.1"} <= names


@pytest.mark.parametrize("catalogue", _catalogues(), ids=lambda path: path.parent.name)
def test_catalogue_uses_the_national_tax_agency_words(catalogue: Path) -> None:
    data = tomllib.loads(catalogue.read_text(encoding="utf-8"))
    wrong = [
        f"{where}: {word} (write {right})"
        for where, text in _texts(data, catalogue.parent.name)
        for word, right in NOT_THE_AGENCY_WORDS.items()
        if word in text
    ]
    assert not wrong, wrong


def test_the_tax_per_rate_is_named_as_the_agency_names_it() -> None:
    data = tomllib.loads((rules_directory() / "jp-pint-1.1.3" / "catalogue.toml").read_text(encoding="utf-8"))
    for rule_id in ("ibr-co-14", "aligned-ibrp-051-jp"):
        assert "税率ごとに区分した消費税額等" in data["rules"][rule_id]["ja"], rule_id
