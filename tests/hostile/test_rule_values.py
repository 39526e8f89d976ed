"""Values that break rule expressions become findings; no dynamic error aborts a validation.

The official JP PINT Schematron stops with an XPath dynamic error on such
documents (a non-numeric amount in a sum, `yes` as a boolean, two values
where `normalize-space()` takes one). Run through our engine, each
assertion that raises gives an `error` finding that names the rule, the
offending value and where that value is, and every other assertion still
runs: an unrelated fault added to the same document is still reported.

`EXPECTED_ERRORS` lists, per case, the official assertions that raise on it
(the same in the three specifications unless `SPEC_ERRORS` says otherwise).
The built-in rules are still being written, so for them only the robustness
is checked: a report, and error findings that name the value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from lxml import etree

import jppint
from jppint.locations import Locator
from tests.hostile.documents import (
    ABSENT_REASON,
    INVOICE,
    NAMESPACES,
    edited,
    official_example,
    official_schematron,
    shared_available,
)

SPECS = ("jp", "jp-sb", "jp-ntr")


@dataclass(frozen=True)
class Change:
    xpath: str
    value: str
    duplicate: bool = False


CASES: dict[str, Change] = {
    "amount-abc": Change("//cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "abc"),
    "amount-thousands-separator": Change("//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "1,000"),
    "amount-exponent": Change("//cac:LegalMonetaryTotal/cbc:PayableAmount", "1e3"),
    "amount-empty": Change("//cac:LegalMonetaryTotal/cbc:LineExtensionAmount", ""),
    "line-amount-abc": Change("//cac:InvoiceLine/cbc:LineExtensionAmount", "abc"),
    "tax-amount-abc": Change("//cac:TaxTotal/cbc:TaxAmount", "abc"),
    "allowance-amount-abc": Change("//cac:AllowanceCharge/cbc:Amount", "abc"),
    "price-abc": Change("//cac:InvoiceLine/cac:Price/cbc:PriceAmount", "abc"),
    "date-with-slashes": Change("//cac:InvoicePeriod/cbc:StartDate", "2023/10/18"),
    "date-that-does-not-exist": Change("/*/cbc:IssueDate", "2023-02-30"),
    "date-in-words": Change("/*/cbc:IssueDate", "yesterday"),
    "percent-with-unit": Change("//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "10%"),
    "two-header-ids": Change("/*/cbc:ID", "X-2", duplicate=True),
    "two-issue-dates": Change("/*/cbc:IssueDate", "2023-10-19", duplicate=True),
    "two-seller-names": Change("//cac:AccountingSupplierParty//cbc:RegistrationName", "Other K.K.", duplicate=True),
    "two-buyer-names": Change("//cac:AccountingCustomerParty//cbc:RegistrationName", "Other K.K.", duplicate=True),
    "charge-indicator-yes": Change("//cac:AllowanceCharge/cbc:ChargeIndicator", "yes"),
    "charge-indicator-upper-case": Change("//cac:AllowanceCharge/cbc:ChargeIndicator", "TRUE"),
    "charge-indicator-empty": Change("//cac:AllowanceCharge/cbc:ChargeIndicator", ""),
}

EXPECTED_ERRORS: dict[str, set[str]] = {
    "amount-abc": {"ibr-co-10", "ibr-co-13"},
    "amount-thousands-separator": {"ibr-co-13", "ibr-co-15"},
    "amount-exponent": {"ibr-co-16"},
    "amount-empty": {"ibr-co-10", "ibr-co-13"},
    "line-amount-abc": {"ibr-co-10"},
    "tax-amount-abc": {"ibr-co-14", "ibr-co-15"},
    "allowance-amount-abc": {"ibr-co-11"},
    "price-abc": {"ibr-027"},
    "date-with-slashes": {"ibr-029", "ibr-085"},
    # A date that is well formed but impossible, or not a date at all, fails a format
    # assertion: an ordinary finding, no error.
    "date-that-does-not-exist": set(),
    "date-in-words": set(),
    "percent-with-unit": {"aligned-ibrp-051-jp"},
    "two-header-ids": {"ibr-002"},
    "two-issue-dates": {"ibr-003"},
    "two-seller-names": {"ibr-006"},
    "two-buyer-names": {"ibr-007"},
    "charge-indicator-yes": {"ibr-co-11", "ibr-co-12"},
    "charge-indicator-upper-case": {"ibr-co-11", "ibr-co-12"},
    "charge-indicator-empty": {"ibr-co-11", "ibr-co-12"},
}
SPEC_ERRORS: dict[tuple[str, str], set[str]] = {
    ("jp-ntr", "tax-amount-abc"): {"ibr-co-14", "ibr-co-15", "aligned-ibr-jp-07-ntr"},
    # No rule of the non-tax-registered specification reads a tax category rate.
    ("jp-ntr", "percent-with-unit"): set(),
}
NO_RULE_READS_IT = {("jp-ntr", "percent-with-unit")}

# An unrelated fault: its findings must survive any broken value elsewhere.
UNRELATED = Change("/*/cbc:InvoiceTypeCode", "999")


def _apply(data: bytes, change: Change) -> bytes:
    return edited(data, change.xpath, change.value, duplicate=change.duplicate)


def _changed_location(data: bytes, change: Change) -> str:
    """The canonical location of the element holding the bad value (the twin, for a duplicate)."""
    root = etree.fromstring(data)
    elements = root.xpath(change.xpath, namespaces=NAMESPACES)
    return Locator(root).location_of(elements[1] if change.duplicate else elements[0])


def _items(report: jppint.ValidationReport) -> Counter[tuple[str, str, str]]:
    return Counter((f.rule_id, f.location, f.kind) for f in report.findings)


def _assert_errors_name_the_value(report: jppint.ValidationReport, change: Change, where: str, line: int) -> None:
    """In both languages, the value, its element and its own line; the engine's text only in `detail`."""
    for finding in report.findings:
        if finding.kind == "error":
            english, japanese = finding.messages["en"], finding.messages["ja"]
            assert f'"{change.value}"' in english and f"「{change.value}」" in japanese, finding.messages
            element = where.rsplit("/", 1)[1].split("[", 1)[0]
            assert element in english and element in japanese, finding.messages
            assert f"line {finding.line}" in english and f"{finding.line}行目" in japanese, finding.messages
            if not change.duplicate:
                assert finding.line == line
            for message in (english, japanese):
                assert "err:" not in message and "Cannot convert" not in message and "xs:" not in message
            assert f'value "{change.value}" at {where}' in (finding.detail or ""), finding.detail
            assert finding.severity == "fatal"


def _line_of(data: bytes, where: str) -> int:
    line = Locator(etree.fromstring(data)).line_of(where)
    assert line is not None
    return line


official = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)


@official
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("spec", SPECS)
def test_the_official_rules_report_a_broken_value_and_run_every_other_rule(spec: str, case: str) -> None:
    change = CASES[case]
    rules = official_schematron(spec)
    base = official_example(spec).read_bytes()
    with_fault = _apply(base, UNRELATED)
    broken = _apply(with_fault, change)

    report = jppint.validate(broken, schematron=rules)

    errors = {f.rule_id for f in report.findings if f.kind == "error"}
    assert errors == SPEC_ERRORS.get((spec, case), EXPECTED_ERRORS[case])
    where = _changed_location(broken, change)
    _assert_errors_name_the_value(report, change, where, _line_of(broken, where))
    if (spec, case) not in NO_RULE_READS_IT:
        assert report.findings and not report.valid
    fault_items = _items(jppint.validate(with_fault, schematron=rules)) - _items(
        jppint.validate(base, schematron=rules)
    )
    assert fault_items, "the unrelated fault must be visible on its own"
    assert not fault_items - _items(report), "a broken value stopped other rules from running"


@pytest.mark.parametrize("case", CASES)
def test_the_built_in_rules_survive_a_broken_value(case: str) -> None:
    change = CASES[case]
    base = official_example("jp").read_bytes() if shared_available() else INVOICE.read_bytes()
    try:
        broken = _apply(base, change)
    except IndexError:
        pytest.skip(f"{change.xpath} is not in the base document")
    report = jppint.validate(broken)
    assert isinstance(report, jppint.ValidationReport)
    where = _changed_location(broken, change)
    _assert_errors_name_the_value(report, change, where, _line_of(broken, where))


@official
def test_an_error_finding_reads_as_a_sentence() -> None:
    change = CASES["amount-abc"]
    broken = _apply(official_example("jp").read_bytes(), change)
    report = jppint.validate(broken, schematron=official_schematron("jp"))
    finding = next(f for f in report.findings if f.rule_id == "ibr-co-10")
    assert finding.kind == "error" and finding.location == "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]"
    value_line = _line_of(broken, "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:LineExtensionAmount[1]")
    assert finding.line == value_line  # the value's own line, not its total's (one line above)
    assert finding.message == (
        f'The amount "abc" cannot be read as a number (line {value_line}, cbc:LineExtensionAmount), so rule '
        "ibr-co-10 could not be checked. Write it without thousands separators, currency signs or spaces, with a "
        "dot before any decimals (for example 1000 or 1000.50)."
    )
    assert finding.messages["ja"] == (
        f"金額「abc」を数値として読めません（{value_line}行目 cbc:LineExtensionAmount）。桁区切りのカンマ、通貨記号、"
        "空白を付けずに、小数点はピリオドで書いてください（例: 1000、1000.50）。"
        "このため、ルール ibr-co-10 を検査できませんでした。"
    )
    assert finding.detail == (
        "err:FORG0001 Cannot convert string \"abc\" to xs:decimal: invalid character 'a' "
        f'(value "abc" at /ubl:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:LineExtensionAmount[1], line {value_line})'
    )
