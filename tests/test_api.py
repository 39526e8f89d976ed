"""The public API: every kind of source, the report model, and the errors it raises."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree

import jppint

DATA = Path(__file__).parent / "schematron" / "data"
INVOICE = DATA / "invoice.xml"
RULES = [DATA / "features.sch"]


def expected_summary() -> tuple[bool, list[tuple[str, str]]]:
    report = jppint.validate(INVOICE, schematron=RULES)
    return report.valid, sorted((f.rule_id, f.location) for f in report.findings)


@pytest.mark.parametrize(
    "make_source",
    [
        pytest.param(lambda: INVOICE, id="path"),
        pytest.param(lambda: str(INVOICE), id="path-string"),
        pytest.param(lambda: INVOICE.read_bytes(), id="bytes"),
        pytest.param(lambda: {"text": INVOICE.read_text(encoding="utf-8")}, id="xml-text"),
        pytest.param(lambda: io.BytesIO(INVOICE.read_bytes()), id="binary-file"),
        pytest.param(lambda: etree.parse(str(INVOICE)), id="lxml-tree"),
        pytest.param(lambda: etree.parse(str(INVOICE)).getroot(), id="lxml-element"),
    ],
)
def test_every_kind_of_source_gives_the_same_result(make_source) -> None:  # type: ignore[no-untyped-def]
    source = make_source()
    if isinstance(source, dict):
        report = jppint.validate(**source, schematron=RULES)
    else:
        report = jppint.validate(source, schematron=RULES)
    assert (report.valid, sorted((f.rule_id, f.location) for f in report.findings)) == expected_summary()


def test_report_describes_the_document_and_counts_findings() -> None:
    report = jppint.validate(INVOICE, schematron=RULES)
    assert report.document_type == "Invoice"
    assert report.document_id == "INV-1"
    assert report.valid is False
    # The test invoice is not a complete UBL invoice: the schema layer finds where a required element lacks.
    assert report.counts == {"fatal": 3, "warning": 1, "information": 1}
    schema, rules, advice = report.layers
    assert (schema.layer, schema.status, schema.artefacts) == ("schema", "failed", ("UBL-Invoice-2.1.xsd",))
    assert schema.counts == {"fatal": 1, "warning": 0, "information": 0}
    assert (rules.layer, rules.status, rules.artefacts) == ("rules", "failed", ("features.sch",))
    assert rules.counts == {"fatal": 2, "warning": 1, "information": 1}
    assert (advice.layer, advice.status, advice.counts["warning"]) == ("advice", "passed", 0)
    assert [r.name for r in report.rule_sets] == ["features.sch"]
    assert report.elapsed_ms > 0


def test_report_serialises_to_json_and_back() -> None:
    report = jppint.validate(INVOICE, schematron=RULES)
    data = json.loads(report.model_dump_json())
    assert data["valid"] is False
    assert {"rule_id", "flag", "severity", "message", "location", "line", "test", "kind", "source"} <= set(
        data["findings"][0]
    )
    assert jppint.ValidationReport.model_validate(data) == report


def test_reports_and_findings_are_immutable() -> None:
    report = jppint.validate(INVOICE, schematron=RULES)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own ValidationError
        report.valid = True  # type: ignore[misc]


def test_is_valid_is_the_boolean_shortcut() -> None:
    assert jppint.is_valid(INVOICE, schematron=RULES) is False


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty document"),
        (b"<Invoice", "not well-formed XML"),
        (b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "DTD"),
    ],
)
def test_unreadable_documents_raise_a_document_error(content: bytes, reason: str) -> None:
    with pytest.raises(jppint.DocumentError, match=reason):
        jppint.validate(content, schematron=RULES)


@pytest.mark.parametrize(
    "content",
    [
        b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>",
        b"<Invoice/>",
        b"<rsm:CrossIndustryInvoice xmlns:rsm='urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'/>",
    ],
)
def test_the_built_in_rules_refuse_well_formed_xml_that_is_no_ubl_invoice(content: bytes) -> None:
    with pytest.raises(jppint.NotUBLDocumentError):
        jppint.validate(content)
    with pytest.raises(jppint.DocumentError) as raised:
        jppint.validate(b"<Invoice")
    assert not isinstance(raised.value, jppint.NotUBLDocumentError)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>", "not a UBL Invoice or CreditNote"),
        (b"<Invoice/>", "is not in the UBL 2.1 namespace"),
    ],
)
def test_the_refusal_says_what_the_document_is(content: bytes, reason: str) -> None:
    with pytest.raises(jppint.NotUBLDocumentError, match=reason):
        jppint.validate(content)


def test_a_users_schematron_validates_any_well_formed_xml() -> None:
    report = jppint.validate(DATA / "order.xml", schematron=[DATA / "any-document.sch"])
    assert report.document_type == "Order"
    rules_findings = sorted((f.rule_id, f.location, f.line) for f in report.findings if f.layer == "rules")
    assert rules_findings == [
        ("order-line-quantity", "/Q{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order[1]/cac:OrderLine[2]", 9),
        ("order-note-comment", "/Q{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order[1]/cbc:Note[1]", 5),
    ]
    # The schema and advice layers know UBL invoices only: they say so instead of running.
    schema, _, advice = report.layers
    assert (schema.status, advice.status) == ("skipped", "skipped")
    assert schema.reason is not None and "Q{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order" in schema.reason


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(jppint.DocumentError) as raised:
        jppint.validate(b"<a>\n<b></a>", schematron=RULES)
    assert raised.value.line == 2 and raised.value.column is not None


def test_unknown_customization_id_lists_the_supported_identifiers() -> None:
    with pytest.raises(jppint.UnknownSpecError, match="urn:peppol:pint:billing-1@jp-1"):
        jppint.validate(INVOICE)


def test_unknown_spec_name_is_refused() -> None:
    with pytest.raises(jppint.UnknownSpecError, match="jp, jp-sb, jp-ntr"):
        jppint.validate(INVOICE, spec="de")


def test_error_findings_speak_the_chosen_language() -> None:
    english = jppint.validate(INVOICE, schematron=RULES, lang="en")
    japanese = jppint.validate(INVOICE, schematron=RULES, lang="ja")
    (error_en,) = [f for f in english.findings if f.kind == "error"]
    (error_ja,) = [f for f in japanese.findings if f.kind == "error"]
    assert error_en.message.startswith('The amount "abc" cannot be read as a number')
    assert "so rule line-number could not be checked" in error_en.message
    assert error_ja.message.startswith("金額「abc」を数値として読めません")
    assert "ルール line-number を検査できませんでした" in error_ja.message
    assert "err:" not in error_ja.message and "err:" in (error_ja.detail or "")
    assert error_ja.messages == error_en.messages


def test_a_finding_on_the_root_points_at_the_line_where_its_start_tag_begins() -> None:
    report = jppint.validate(INVOICE, schematron=RULES)
    (root_finding,) = [f for f in report.findings if f.rule_id == "key-lookup"]
    assert root_finding.line == 2  # the tag spans lines 2-4, one namespace declaration per line


def test_a_document_already_read_validates_without_being_read_again() -> None:
    document = jppint.read_document(INVOICE)
    report = jppint.validate(document, schematron=RULES)
    assert (report.valid, sorted((f.rule_id, f.location) for f in report.findings)) == expected_summary()
