"""Advice: a tax amount in yen written with decimals, where the official rules never look.

Yen amounts have no decimals (JPY has no minor unit) and consumption tax is a
whole number of yen: on a qualified invoice the fraction is rounded once per
tax rate. The official JP PINT rule for this, aligned-ibr-jp-06, sits in
the pattern's rule for tax breakdowns (cac:TaxSubtotal) after a rule that
matches the breakdowns in the document currency of an Invoice first, so it
checks only the breakdowns of a credit note and the yen breakdowns of an
invoice in another currency; no rule checks a tax total (cac:TaxTotal), and
ibr-124 allows two decimals. "3649.92" as the 10 % tax of a yen invoice is
therefore valid (samples/README.md, "What the official rules do not catch").

This check reads every cbc:TaxAmount in yen of a tax total or breakdown (not
those inside an extension, which are another document's) and does not repeat
what the rules of the same report already said: an amount whose total or
breakdown has a finding of a rule named in `covered-by` is left to it, so the
yen breakdown of samples/invalid/jp/jpy-tax-amount-with-decimals.xml keeps its
one finding (aligned-ibr-jp-06) and only its tax total gets advice. Which
elements, which currency and which rules are data in rules/advice/catalogue.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from lxml import etree

from jppint.advice.catalogue import AdviceRule, advice_rules
from jppint.document import Document
from jppint.locations import Locator, step_name
from jppint.long_numbers import MAX_DIGITS
from jppint.namespaces import CBC, EXT
from jppint.results import Finding

RULE_ID = "advice-jpy-tax-amount-decimals"
# An xs:decimal with a decimal point, as aligned-ibr-jp-06 sees decimals (it looks for the point).
_WITH_DECIMALS = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)")
_EXTENSION_CONTENT = f"{{{EXT}}}ExtensionContent"


def check(document: Document, locator: Locator, rules_findings: Sequence[Finding]) -> Iterator[Finding]:
    """A finding per yen tax amount with decimals that no rule of the report has already named."""
    rule = advice_rules()[RULE_ID]
    currency = rule.facts["currency"]
    places = {place["parent"]: place for place in rule.facts["places"]}
    covered_by = set(rule.facts["covered-by"])
    said = {finding.location for finding in rules_findings if finding.rule_id in covered_by}
    document_currency = _document_currency(document.root)
    for amount in document.root.iter(f"{{{CBC}}}TaxAmount"):
        parent = amount.getparent()
        place = places.get(step_name(parent)) if parent is not None else None
        if place is None or amount.get("currencyID") != currency or _in_extension(amount):
            continue
        value = (amount.text or "").strip()
        # Longer values are a fatal jppint-number-too-long finding already, and costly to convert.
        if len(value) > MAX_DIGITS or not _WITH_DECIMALS.fullmatch(value):
            continue
        if locator.location_of(parent) in said:
            continue
        term = place["document-currency-term" if currency == document_currency else "other-currency-term"]
        yield _finding(rule, locator, amount, place, value, term)


def _document_currency(root: etree._Element) -> str | None:
    code = root.find(f"{{{CBC}}}DocumentCurrencyCode")
    return (code.text or "").strip() if code is not None else None


def _in_extension(element: etree._Element) -> bool:
    return any(ancestor.tag == _EXTENSION_CONTENT for ancestor in element.iterancestors())


def _finding(
    rule: AdviceRule, locator: Locator, amount: etree._Element, place: dict[str, str], value: str, term: str
) -> Finding:
    number = Decimal(value)
    floor = number.to_integral_value(rounding=ROUND_FLOOR)
    ceiling = number.to_integral_value(rounding=ROUND_CEILING)
    same = {"value": value, "whole": str(int(floor)), "floor": str(int(floor)), "ceiling": str(int(ceiling))}
    fields = {name: {"en": text, "ja": text} for name, text in same.items()}
    fields["amount"] = {"en": place["en"], "ja": place["ja"]}
    fields["why"] = rule.facts["why"]
    template = "finding-whole" if floor == ceiling else "finding-fraction"
    return rule.finding(amount, locator, template, fields, (term,))
