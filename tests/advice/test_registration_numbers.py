"""Advice on registration numbers: the check digit of a corporation's number, and only of a corporation's."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

import jppint
from jppint.advice.registration_numbers import RULE_ID, corporate_number_check_digit
from jppint.results import Finding

DATA = Path(__file__).parent / "data"
PUBLISHED = tomllib.loads((DATA / "corporate-numbers.toml").read_text(encoding="utf-8"))["numbers"]
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "valid"
INVOICE = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
SELLER_NUMBER = "<cbc:CompanyID>T7645801988294</cbc:CompanyID>"
SELLER_CORPORATE_NUMBER = '<cbc:CompanyID schemeID="0188">7645801988294</cbc:CompanyID>'
SELLER_TAX_ID = "/ubl:Invoice[1]/cac:AccountingSupplierParty[1]/cac:Party[1]/cac:PartyTaxScheme[1]/cbc:CompanyID[1]"
BUYER_TAX_ID = "/ubl:Invoice[1]/cac:AccountingCustomerParty[1]/cac:Party[1]/cac:PartyTaxScheme[1]/cbc:CompanyID[1]"


def _changed(document: bytes, old: str, new: str) -> bytes:
    assert old.encode() in document, old
    return document.replace(old.encode(), new.encode(), 1)


def _advice(document: bytes, **options: object) -> list[Finding]:
    report = jppint.validate(document, **options)  # type: ignore[arg-type]
    return [finding for finding in report.findings if finding.rule_id == RULE_ID]


def _check_digit_from_the_left(base: str) -> int:
    """The formula as the NTA's spreadsheet writes it: weights 2, 1, 2, ... from the base's first digit."""
    return 9 - sum(int(digit) * (2 if position % 2 == 0 else 1) for position, digit in enumerate(base)) % 9


# --- the check digit ---


@pytest.mark.parametrize("published", PUBLISHED, ids=lambda entry: entry["number"])
def test_published_corporate_numbers_have_the_check_digit_the_formula_gives(published: dict[str, str]) -> None:
    number = published["number"]
    assert corporate_number_check_digit(number[1:]) == int(number[0])


def test_the_formula_agrees_with_its_left_to_right_form() -> None:
    generator = random.Random(188)
    for _ in range(2000):
        base = "".join(generator.choice("0123456789") for _ in range(12))
        assert corporate_number_check_digit(base) == _check_digit_from_the_left(base), base


@pytest.mark.parametrize("base", ["12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"])
def test_a_base_of_other_than_twelve_ascii_digits_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        corporate_number_check_digit(base)


def test_every_registration_number_of_our_samples_is_right() -> None:
    for path in sorted(SAMPLES.glob("*/*.xml")):
        assert not _advice(path.read_bytes()), path.name


# --- a corporation's registration number (the party has a corporate number of its own) ---


@pytest.mark.parametrize("first", [digit for digit in "0123456789" if digit != "7"])
def test_a_wrong_check_digit_of_the_sellers_number_is_advice(first: str) -> None:
    number = f"T{first}645801988294"
    findings = _advice(_changed(INVOICE, SELLER_NUMBER, f"<cbc:CompanyID>{number}</cbc:CompanyID>"))
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.layer, finding.severity, finding.flag, finding.kind) == ("advice", "warning", "warning", "report")
    assert (finding.location, finding.line, finding.business_terms) == (SELLER_TAX_ID, 54, ("ibt-031",))
    english = finding.messages["en"]
    assert finding.message == english
    assert f"The registration number of the seller, {number}, " in english
    assert f"The other 12 digits, 645801988294, give the check digit 7, not {first}." in english
    assert "check only the form" in english and "this is advice" in english
    japanese = finding.messages["ja"]
    assert f"売手の登録番号 {number} は" in japanese and "売手は法人番号（スキーム 0188）を持つ" in japanese
    assert f"検査用数字は 7 で、{first} ではありません" in japanese
    assert "この指摘で請求書が不適合になることはありません（助言）" in japanese


def test_the_message_is_in_the_language_asked_for() -> None:
    document = _changed(INVOICE, SELLER_NUMBER, "<cbc:CompanyID>T1645801988294</cbc:CompanyID>")
    (finding,) = _advice(document, lang="ja")
    assert finding.message == finding.messages["ja"] and "登録番号" in finding.message


def test_the_number_is_read_without_surrounding_spaces_as_the_rules_read_it() -> None:
    document = _changed(INVOICE, SELLER_NUMBER, "<cbc:CompanyID>\n  T1645801988294 </cbc:CompanyID>")
    (finding,) = _advice(document)
    assert "The registration number of the seller, T1645801988294, " in finding.message


def test_a_party_identifier_in_the_corporate_number_scheme_also_shows_a_corporation() -> None:
    document = _changed(INVOICE, SELLER_CORPORATE_NUMBER, "")
    document = _changed(
        document,
        "<cac:PartyName>",
        '<cac:PartyIdentification><cbc:ID schemeID=" 0188 ">7645801988294</cbc:ID></cac:PartyIdentification>'
        "<cac:PartyName>",
    )
    document = _changed(document, SELLER_NUMBER, "<cbc:CompanyID>T1645801988294</cbc:CompanyID>")
    (finding,) = _advice(document)
    assert finding.location == SELLER_TAX_ID


def test_the_buyers_number_is_checked_when_the_buyer_has_a_corporate_number() -> None:
    document = _changed(
        INVOICE, "<cbc:CompanyID>T7466603481309</cbc:CompanyID>", "<cbc:CompanyID>T2466603481309</cbc:CompanyID>"
    )
    assert not _advice(document), "the buyer shows only an electronic address in the scheme: no proof"
    buyer_entity = "<cbc:RegistrationName>" + _buyer_name() + "</cbc:RegistrationName>"
    document = _changed(
        document, buyer_entity, buyer_entity + '<cbc:CompanyID schemeID="0188">7466603481309</cbc:CompanyID>'
    )
    (finding,) = _advice(document)
    assert (finding.location, finding.business_terms) == (BUYER_TAX_ID, ("ibt-048",))
    assert "The registration number of the buyer, T2466603481309, " in finding.messages["en"]
    assert "give the check digit 7, not 2." in finding.messages["en"]
    assert "買手の登録番号 T2466603481309 は" in finding.messages["ja"]


def test_the_tax_representatives_number_is_checked_when_it_has_a_corporate_number() -> None:
    representative = (
        "<cac:TaxRepresentativeParty>"
        '<cac:PartyIdentification><cbc:ID schemeID="0188">2120901007402</cbc:ID></cac:PartyIdentification>'
        "<cac:PartyName><cbc:Name>Representative</cbc:Name></cac:PartyName>"
        "<cac:PostalAddress><cac:Country><cbc:IdentificationCode>JP</cbc:IdentificationCode></cac:Country>"
        "</cac:PostalAddress>"
        "<cac:PartyTaxScheme><cbc:CompanyID>T3120901007402</cbc:CompanyID>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        "</cac:TaxRepresentativeParty>"
    )
    document = _changed(INVOICE, "<cac:PaymentMeans>", representative + "<cac:PaymentMeans>")
    (finding,) = _advice(document)
    assert finding.location == "/ubl:Invoice[1]/cac:TaxRepresentativeParty[1]/cac:PartyTaxScheme[1]/cbc:CompanyID[1]"
    assert finding.business_terms == ("ibt-063",)
    assert "The registration number of the seller's tax representative, T3120901007402, " in finding.message
    assert "give the check digit 2, not 3." in finding.message
    assert "売手の税務代理人の登録番号" in finding.messages["ja"]


# --- what is not checked ---


def test_the_number_of_a_party_without_a_corporate_number_is_not_checked() -> None:
    """No check digit is published for the numbers of sole proprietors and others: nothing to advise."""
    document = _changed(INVOICE, SELLER_CORPORATE_NUMBER, "")
    for first in "0123456789":
        changed = _changed(document, SELLER_NUMBER, f"<cbc:CompanyID>T{first}645801988294</cbc:CompanyID>")
        assert not _advice(changed), first


WRONG_NUMBER = "<cbc:CompanyID>T1645801988294</cbc:CompanyID>"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(WRONG_NUMBER, "<cbc:CompanyID>1645801988294</cbc:CompanyID>", id="no-T"),
        pytest.param(WRONG_NUMBER, "<cbc:CompanyID>T164580198829</cbc:CompanyID>", id="12-digits"),
        pytest.param(WRONG_NUMBER, "<cbc:CompanyID>t1645801988294</cbc:CompanyID>", id="small-t"),
        pytest.param(WRONG_NUMBER, "<cbc:CompanyID>T１645801988294</cbc:CompanyID>", id="full-width-digit"),
        pytest.param("<cbc:ID>VAT</cbc:ID>", "<cbc:ID>GST</cbc:ID>", id="other-tax-scheme"),
        pytest.param(SELLER_CORPORATE_NUMBER, SELLER_CORPORATE_NUMBER.replace("0188", "0147"), id="other-scheme"),
    ],
)
def test_what_is_not_a_corporations_registration_number_is_left_to_the_rules(old: str, new: str) -> None:
    wrong = _changed(INVOICE, SELLER_NUMBER, WRONG_NUMBER)
    assert _advice(wrong), "the wrong check digit alone is advice"
    assert not _advice(_changed(wrong, old, new))


def _buyer_name() -> str:
    text = INVOICE.decode("utf-8")
    buyer = text[text.index("<cac:AccountingCustomerParty>") :]
    start = buyer.index("<cbc:RegistrationName>") + len("<cbc:RegistrationName>")
    return buyer[start : buyer.index("</cbc:RegistrationName>")]
