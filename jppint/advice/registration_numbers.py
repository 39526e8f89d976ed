"""Advice: the check digit of a corporation's registration number (適格請求書発行事業者の登録番号).

A registration number is "T" and 13 digits. The National Tax Agency's
publication site ("登録番号とは", invoice-kohyo.nta.go.jp/about-toroku/) gives
its two forms: a taxable business that has a corporate number (法人番号) is
registered as "T" + that corporate number; any other (sole proprietors,
人格のない社団等) gets 13 digits that are neither its My Number nor any
corporate number.

A corporate number's first digit is a check digit over the other 12, fixed by
法人番号の指定等に関する省令 (平成26年財務省令第70号) 第2条 and explained by the
NTA ("法人番号のチェックデジットの計算方法", houjin-bangou.nta.go.jp):
9 - ((Σ Pn × Qn) mod 9), n = 1..12, where Pn is the n-th digit counted from the
right of the 12-digit base and Qn is 1 for odd n, 2 for even n (the remainder
is of the whole sum, as the NTA computes it, though the ordinance's typesetting
can be read otherwise). So no corporation's registration number fails it.

For the other form no check digit is published. Third parties disagree: the
discontinued `daichodo-validate` 0.2.1 says its own count over the register
found every number passing, after its 0.1.0 had assumed the opposite, and
other tools say sole proprietors' numbers need not pass. That is not
established, so a number is checked only when the document shows that its
party has a corporate number: an identifier of its own (party identifier
ibt-029/ibt-046 or legal registration identifier ibt-030/ibt-047) in the
corporate-number scheme 0188. The electronic address is not taken as proof:
another business (an accountant, a group's shared service centre) may receive
on the party's behalf. Which elements carry registration numbers (seller
ibt-031, buyer ibt-048, tax representative ibt-063: the JP PINT BIS, 2.1)
is data, in rules/advice/catalogue.toml.

The official rules check only the form (aligned-ibr-jp-01: "T" and 13 digits),
so a mistyped digit is valid to them: hence advice, not an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from lxml import etree

from jppint.advice.catalogue import AdviceRule, advice_rules
from jppint.document import Document
from jppint.locations import Locator
from jppint.namespaces import CAC, CBC
from jppint.results import Finding

RULE_ID = "advice-registration-number-check-digit"
_NAMESPACES = {"cac": CAC, "cbc": CBC}
_REGISTRATION_NUMBER = re.compile(r"T([0-9])([0-9]{12})")


def corporate_number_check_digit(base: str) -> int:
    """The check digit of a corporate number whose other 12 digits are `base` (see the module docstring)."""
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError(f"a corporate number's base is 12 digits, not {base!r}")
    weighted = sum(int(digit) * (2 if position % 2 else 1) for position, digit in enumerate(reversed(base)))
    return 9 - weighted % 9


def check(document: Document, locator: Locator, rules_findings: Sequence[Finding]) -> Iterator[Finding]:
    """A finding per registration number of a party with a corporate number whose check digit is wrong."""
    rule = advice_rules()[RULE_ID]
    for party_place in rule.facts["parties"]:
        for party in _compiled(party_place["path"])(document.root):
            if not _has_corporate_number(party, rule):
                continue
            for company_id in _tax_identifiers(party, rule):
                number = " ".join((company_id.text or "").split())
                match = _REGISTRATION_NUMBER.fullmatch(number)
                if match is None:
                    continue  # not a registration number: the rules judge its form
                found, base = int(match.group(1)), match.group(2)
                expected = corporate_number_check_digit(base)
                if found != expected:
                    yield _finding(rule, locator, company_id, party_place, number, base, found, expected)


@cache
def _compiled(path: str) -> etree.XPath:
    """A path of the catalogue's facts, compiled once per process rather than on every document."""
    return etree.XPath(path, namespaces=_NAMESPACES)


def _has_corporate_number(party: etree._Element, rule: AdviceRule) -> bool:
    scheme = rule.facts["corporate-number-scheme"]
    return any(
        (identifier.get("schemeID") or "").strip() == scheme and (identifier.text or "").strip()
        for path in rule.facts["corporate-number-identifiers"]
        for identifier in _compiled(path)(party)
    )


def _tax_identifiers(party: etree._Element, rule: AdviceRule) -> list[etree._Element]:
    """The party's tax identifiers under the VAT tax scheme, compared as the rules compare it."""
    wanted = rule.facts["tax-scheme"]
    identifiers: list[etree._Element] = []
    for tax_scheme in party.iterfind("cac:PartyTaxScheme", namespaces=_NAMESPACES):
        schemes = tax_scheme.iterfind("cac:TaxScheme/cbc:ID", namespaces=_NAMESPACES)
        if any(" ".join((scheme.text or "").split()).upper() == wanted for scheme in schemes):
            identifiers.extend(tax_scheme.iterfind("cbc:CompanyID", namespaces=_NAMESPACES))
    return identifiers


def _finding(
    rule: AdviceRule,
    locator: Locator,
    company_id: etree._Element,
    party_place: dict[str, str],
    number: str,
    base: str,
    found: int,
    expected: int,
) -> Finding:
    same = {
        "number": number,
        "base": base,
        "found": str(found),
        "expected": str(expected),
        "scheme": rule.facts["corporate-number-scheme"],
    }
    fields = {name: {"en": text, "ja": text} for name, text in same.items()}
    fields["party"] = {"en": party_place["en"], "ja": party_place["ja"]}
    return rule.finding(company_id, locator, "finding", fields, (party_place["term"],))
