"""What the schema layer says about each kind of schema mistake: id, place, line, the value, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.results import Finding

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "valid" / "jp"
INVOICE = (SAMPLES / "standard-mixed-rates.xml").read_bytes()
CREDIT_NOTE = (SAMPLES / "credit-note-returned-goods.xml").read_bytes()


def _changed(document: bytes, old: str, new: str) -> bytes:
    assert old.encode() in document, old
    return document.replace(old.encode(), new.encode(), 1)


def _schema_findings(document: bytes, **options: object) -> list[Finding]:
    report = jppint.validate(document, **options)  # type: ignore[arg-type]
    return [finding for finding in report.findings if finding.layer == "schema"]


def _only(document: bytes) -> Finding:
    findings = _schema_findings(document)
    assert len(findings) == 1, [(f.rule_id, f.location) for f in findings]
    finding = findings[0]
    assert finding.severity == "fatal" and finding.flag == "fatal" and finding.layer == "schema"
    assert set(finding.messages) == {"en", "ja"} and finding.message == finding.messages["en"]
    assert finding.detail and "{urn:" not in finding.detail  # libxml2's text, with prefixed names
    return finding


def test_a_valid_invoice_passes_the_schema_layer() -> None:
    report = jppint.validate(INVOICE)
    assert report.valid and [layer.layer for layer in report.layers] == ["schema", "rules", "advice"]
    assert all(layer.status == "passed" for layer in report.layers)


def test_a_duplicated_header_element_is_unexpected_and_called_a_duplicate() -> None:
    finding = _only(_changed(INVOICE, "<cbc:ID>WF-2026-0415-017</cbc:ID>", "<cbc:ID>A</cbc:ID><cbc:ID>B</cbc:ID>"))
    assert finding.rule_id == "ubl-schema-unexpected-element"
    assert (finding.location, finding.line) == ("/ubl:Invoice[1]/cbc:ID[2]", 19)
    assert "more than once" in finding.messages["en"] and "重複" in finding.messages["ja"]


def test_an_element_out_of_order_names_what_is_allowed_there() -> None:
    moved = _changed(INVOICE, "  <cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>\n", "")
    moved = _changed(
        moved, "<cbc:IssueDate>", "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode><cbc:IssueDate>"
    )
    finding = _only(moved)
    assert finding.rule_id == "ubl-schema-unexpected-element"
    assert finding.location == "/ubl:Invoice[1]/cbc:DocumentCurrencyCode[1]"
    assert "cbc:IssueDate" in finding.messages["en"] and "cbc:IssueDate" in finding.messages["ja"]
    # Where it belongs, from the content model of ubl:Invoice and the siblings the document has.
    assert (
        "in ubl:Invoice, cbc:DocumentCurrencyCode comes after cbc:Note and before cbc:BuyerReference"
        in (finding.messages["en"])
    )
    assert "cbc:Note の後、cbc:BuyerReference の前に置きます" in finding.messages["ja"]


def test_an_unknown_element_is_named_and_a_misspelling_gets_a_suggestion() -> None:
    unknown = _only(_changed(INVOICE, "<cbc:DueDate>", "<cbc:Foo>x</cbc:Foo><cbc:DueDate>"))
    assert (unknown.rule_id, unknown.location) == ("ubl-schema-unknown-element", "/ubl:Invoice[1]/cbc:Foo[1]")
    assert "Did you mean" not in unknown.message
    misspelled = _only(
        _changed(
            INVOICE,
            "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>",
            "<cbc:DocumentCurrencyCod>JPY</cbc:DocumentCurrencyCod>",
        )
    )
    assert misspelled.rule_id == "ubl-schema-unknown-element" and misspelled.line == 25
    assert "Did you mean cbc:DocumentCurrencyCode?" in misspelled.messages["en"]
    assert "cbc:DocumentCurrencyCode の誤りではありませんか" in misspelled.messages["ja"]


def test_a_missing_required_element_is_named_on_its_parent() -> None:
    finding = _only(_changed(INVOICE, "<cbc:ID>WF-2026-0415-017</cbc:ID>", ""))
    # libxml2 stops at the element that came instead: we say which one is probably missing.
    assert finding.rule_id == "ubl-schema-unexpected-element"
    assert "Probably cbc:ID is missing before it" in finding.messages["en"]
    assert "cbc:ID が抜けている" in finding.messages["ja"]
    lines_removed = (
        INVOICE[: INVOICE.index(b"<cac:InvoiceLine>")] + INVOICE[INVOICE.rindex(b"</cac:InvoiceLine>") + 18 :]
    )
    missing = _only(lines_removed)
    assert (missing.rule_id, missing.location) == ("ubl-schema-missing-element", "/ubl:Invoice[1]")
    assert "cac:InvoiceLine" in missing.messages["en"] and "必須の要素 cac:InvoiceLine" in missing.messages["ja"]


@pytest.mark.parametrize(
    ("old", "new", "location", "value", "kind_en", "kind_ja"),
    [
        (
            "<cbc:IssueDate>2026-04-15<",
            "<cbc:IssueDate>2026/04/15<",
            "/ubl:Invoice[1]/cbc:IssueDate[1]",
            "2026/04/15",
            "YYYY-MM-DD",
            "日付",
        ),
        (
            '<cbc:PayableAmount currencyID="JPY">70767<',
            '<cbc:PayableAmount currencyID="JPY">70,767<',
            "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:PayableAmount[1]",
            "70,767",
            "without thousands separators",
            "桁区切りのカンマ",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_quoted(
    old: str, new: str, location: str, value: str, kind_en: str, kind_ja: str
) -> None:
    finding = _only(_changed(INVOICE, old, new))
    assert (finding.rule_id, finding.location) == ("ubl-schema-datatype", location)
    assert f'"{value}"' in finding.messages["en"] and kind_en in finding.messages["en"]
    assert f"「{value}」" in finding.messages["ja"] and kind_ja in finding.messages["ja"]


def test_an_amount_without_currency_lacks_an_attribute() -> None:
    finding = _only(_changed(INVOICE, '<cbc:PayableAmount currencyID="JPY">', "<cbc:PayableAmount>"))
    assert finding.rule_id == "ubl-schema-missing-attribute"
    assert finding.location == "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:PayableAmount[1]"
    assert "currencyID" in finding.messages["en"] and 'currencyID="JPY"' in finding.messages["ja"]


def test_an_unknown_attribute_is_named() -> None:
    finding = _only(
        _changed(INVOICE, '<cbc:PayableAmount currencyID="JPY">', '<cbc:PayableAmount currencyID="JPY" cur="x">')
    )
    assert finding.rule_id == "ubl-schema-unexpected-attribute"
    assert "cur" in finding.messages["en"] and "cur" in finding.messages["ja"]


def test_text_in_an_aggregate_is_refused() -> None:
    finding = _only(_changed(INVOICE, "<cac:LegalMonetaryTotal>", "<cac:LegalMonetaryTotal>70767"))
    assert finding.rule_id == "ubl-schema-text-not-allowed"
    assert '"70767"' in finding.messages["en"]


def test_a_credit_note_keeping_the_invoice_type_code_is_told_where_it_belongs() -> None:
    finding = _only(
        _changed(
            CREDIT_NOTE,
            "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
            "<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>",
        )
    )
    assert finding.rule_id == "ubl-schema-unexpected-element"
    assert "cbc:InvoiceTypeCode belongs in Invoice documents, not in CreditNote documents" in finding.messages["en"]
    assert "use cbc:CreditNoteTypeCode instead" in finding.messages["en"]
    assert "Invoice 文書の要素" in finding.messages["ja"]


def test_a_credit_note_root_in_the_invoice_namespace_is_a_root_finding() -> None:
    document = CREDIT_NOTE.replace(
        b"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    )
    finding = _only(document)
    assert (finding.rule_id, finding.location) == ("ubl-schema-root", "/ubl:CreditNote[1]")
    assert "The root element CreditNote is in the Invoice-2 namespace" in finding.messages["en"]
    assert "名前空間（xmlns）" in finding.messages["ja"]


def test_stop_on_schema_error_skips_the_rules_and_no_schema_gives_the_rules_alone() -> None:
    broken = _changed(
        INVOICE,
        "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>",
        "<cbc:DocumentCurrencyCod>JPY</cbc:DocumentCurrencyCod>",
    )
    full = jppint.validate(broken)
    assert {f.layer for f in full.findings} == {"schema", "rules"}
    stopped = jppint.validate(broken, stop_on_schema_error=True)
    assert [f.layer for f in stopped.findings] == ["schema"] and not stopped.valid
    assert [(layer.layer, layer.status) for layer in stopped.layers] == [
        ("schema", "failed"),
        ("rules", "skipped"),
        ("advice", "skipped"),
    ]
    assert stopped.layers[1].reason and stopped.layers[1].artefacts == ("jp.sch",)
    rules_only = jppint.validate(broken, schema=False, advice=False)
    assert [layer.layer for layer in rules_only.layers] == ["rules"]
    assert rules_only.findings == tuple(f for f in full.findings if f.layer == "rules")


def test_the_language_picks_the_schema_message() -> None:
    broken = _changed(INVOICE, "<cbc:IssueDate>2026-04-15<", "<cbc:IssueDate>2026-04-31<")
    (finding,) = _schema_findings(broken, lang="ja")
    assert finding.message == finding.messages["ja"] and "暦にある日付" in finding.message
