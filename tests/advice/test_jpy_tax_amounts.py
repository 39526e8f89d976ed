"""Advice on yen tax amounts written with decimals, where the official rule aligned-ibr-jp-06 never looks."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.advice.jpy_tax_amounts import RULE_ID
from jppint.results import Finding, ValidationReport

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
INVOICE = (SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml").read_bytes()
CREDIT_NOTE = (SAMPLES / "valid" / "jp" / "credit-note-returned-goods.xml").read_bytes()
TOTAL = '<cbc:TaxAmount currencyID="JPY">5603</cbc:TaxAmount>'
REDUCED_RATE = '<cbc:TaxAmount currencyID="JPY">3649</cbc:TaxAmount>'
TOTAL_AT = "/ubl:Invoice[1]/cac:TaxTotal[1]/cbc:TaxAmount[1]"
REDUCED_RATE_AT = "/ubl:Invoice[1]/cac:TaxTotal[1]/cac:TaxSubtotal[1]/cbc:TaxAmount[1]"


def _changed(document: bytes, *replacements: tuple[str, str]) -> bytes:
    for old, new in replacements:
        assert old.encode() in document, old
        document = document.replace(old.encode(), new.encode(), 1)
    return document


def _amount(value: str) -> str:
    return f'<cbc:TaxAmount currencyID="JPY">{value}</cbc:TaxAmount>'


def _advice(report: ValidationReport) -> list[Finding]:
    return [finding for finding in report.findings if finding.rule_id == RULE_ID]


def test_a_fraction_of_a_yen_in_a_yen_invoice_is_advice_and_the_invoice_stays_valid() -> None:
    """The case the official rules miss: 8 % of 45,624 yen written unrounded, 3,649.92."""
    inclusive = '<cbc:TaxInclusiveAmount currencyID="JPY">70767</cbc:TaxInclusiveAmount>'
    payable = '<cbc:PayableAmount currencyID="JPY">70767</cbc:PayableAmount>'
    unrounded = _changed(
        INVOICE,
        (REDUCED_RATE, _amount("3649.92")),
        (TOTAL, _amount("5603.92")),
        (inclusive, inclusive.replace("70767", "70767.92")),
        (payable, payable.replace("70767", "70767.92")),
    )
    report = jppint.validate(unrounded)
    assert report.valid
    assert not [finding for finding in report.findings if finding.layer != "advice"]
    total, breakdown = _advice(report)
    assert (total.location, total.line, total.business_terms) == (TOTAL_AT, 121, ("ibt-110",))
    assert (breakdown.location, breakdown.line, breakdown.business_terms) == (REDUCED_RATE_AT, 124, ("ibt-117",))
    assert (breakdown.layer, breakdown.severity, breakdown.kind) == ("advice", "warning", "report")
    english = breakdown.messages["en"]
    assert english.startswith("The tax amount of a tax breakdown is 3649.92 JPY, a fraction of a yen: ")
    assert "which gives 3649 or 3650." in english
    assert "aligned-ibr-jp-06" in english and "the invoice stays valid; this is advice." in english
    japanese = breakdown.messages["ja"]
    assert japanese.startswith("税率ごとの消費税額 3649.92 JPY に1円未満の端数があります。")
    assert "3649 または 3650" in japanese and "この指摘で請求書が不適合になることはありません（助言）" in japanese
    assert total.messages["en"].startswith("The total tax amount is 5603.92 JPY, a fraction of a yen: ")
    assert total.messages["ja"].startswith("消費税額の合計 5603.92 JPY に")


@pytest.mark.parametrize(("written", "whole"), [("5603.00", "5603"), ("5603.", "5603"), ("+5603.0000", "5603")])
def test_a_whole_amount_written_with_decimals_is_advice_to_write_it_without(written: str, whole: str) -> None:
    report = jppint.validate(_changed(INVOICE, (TOTAL, _amount(written))))
    (finding,) = _advice(report)
    assert finding.location == TOTAL_AT
    assert finding.messages["en"].startswith(f"The total tax amount is written {written} JPY, with decimals: ")
    assert f"Write {whole}." in finding.messages["en"]
    assert f"{whole} と書いてください。" in finding.messages["ja"]


def test_the_message_is_in_the_language_asked_for() -> None:
    report = jppint.validate(_changed(INVOICE, (TOTAL, _amount("5603.00"))), lang="ja")
    (finding,) = _advice(report)
    assert finding.message == finding.messages["ja"]


def test_what_aligned_ibr_jp_06_says_is_not_repeated() -> None:
    """A credit note's breakdowns are checked by the official rule: only the total, which it never sees, is advice."""
    document = _changed(
        CREDIT_NOTE,
        (_amount("250"), _amount("250.00")),
        (_amount("114"), _amount("114.00")),
    )
    report = jppint.validate(document)
    official = [(finding.rule_id, finding.location) for finding in report.findings if finding.layer == "rules"]
    assert official == [("aligned-ibr-jp-06", "/cn:CreditNote[1]/cac:TaxTotal[1]/cac:TaxSubtotal[1]")]
    assert [finding.location for finding in _advice(report)] == ["/cn:CreditNote[1]/cac:TaxTotal[1]/cbc:TaxAmount[1]"]


def test_with_rules_that_do_not_check_it_every_amount_is_advice(tmp_path: Path) -> None:
    rules = tmp_path / "own.sch"
    rules.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<pattern><rule context="/*"><assert id="own-1" test="true()">never</assert></rule></pattern></schema>',
        encoding="utf-8",
    )
    document = _changed(CREDIT_NOTE, (_amount("250"), _amount("250.00")), (_amount("114"), _amount("114.00")))
    report = jppint.validate(document, schematron=[rules])
    assert len(_advice(report)) == 2


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param('<cbc:TaxAmount currencyID="USD">5603.50</cbc:TaxAmount>', id="other-currency"),
        pytest.param('<cbc:TaxAmount currencyID="jpy">5603.50</cbc:TaxAmount>', id="currency-not-as-written"),
        pytest.param(_amount("5603"), id="whole"),
        pytest.param(_amount("5,603.50"), id="not-a-number"),
        pytest.param(_amount("5.6035E3"), id="exponent"),
        pytest.param(_amount("1" * 400 + ".5"), id="too-long-to-read"),
    ],
)
def test_what_is_not_a_yen_amount_with_decimals_gets_no_advice(amount: str) -> None:
    assert not _advice(jppint.validate(_changed(INVOICE, (TOTAL, amount))))


def test_other_amounts_in_yen_are_not_tax_amounts() -> None:
    taxable = '<cbc:TaxableAmount currencyID="JPY">45624</cbc:TaxableAmount>'
    report = jppint.validate(_changed(INVOICE, (taxable, taxable.replace("45624", "45624.50"))))
    assert not _advice(report)


def test_amounts_inside_an_extension_belong_to_another_document() -> None:
    extension = (
        '<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">'
        "<ext:UBLExtension><ext:ExtensionContent>"
        f"<cac:TaxTotal>{_amount('10.5')}</cac:TaxTotal>"
        "</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>"
        "<cbc:CustomizationID>"
    )
    report = jppint.validate(_changed(INVOICE, ("<cbc:CustomizationID>", extension)))
    assert not _advice(report)
