"""Saxon reads a stand-in for long attachment texts, and no verdict of the built-in rules changes."""

from __future__ import annotations

import base64
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import jppint
import jppint.validator
from jppint.document import read_document, serialize_for_engine
from jppint.namespaces import CBC
from jppint.specs import releases
from jppint.unread_text import MIN_LENGTH, STAND_IN, without_unread_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "valid"
ATTACHMENT = f"{{{CBC}}}EmbeddedDocumentBinaryObject"
BINARY = base64.b64encode(random.Random(11).randbytes(3 * MIN_LENGTH)).decode("ascii")


def _reference(
    content: str, attributes: str = 'mimeCode="application/pdf" filename="a.pdf"', type_code: str = ""
) -> str:
    code = f"<cbc:DocumentTypeCode>{type_code}</cbc:DocumentTypeCode>" if type_code else ""
    return (
        f"<cac:AdditionalDocumentReference><cbc:ID>A-1</cbc:ID>{code}<cac:Attachment>"
        f"<cbc:EmbeddedDocumentBinaryObject {attributes}>{content}</cbc:EmbeddedDocumentBinaryObject>"
        "</cac:Attachment></cac:AdditionalDocumentReference>"
    )


def _with(invoice: bytes, *references: str) -> bytes:
    place = invoice.index(b"<cac:AccountingSupplierParty>")
    return invoice[:place] + "".join(references).encode("utf-8") + invoice[place:]


def _engine_text(document: bytes) -> tuple[str, etree._Element]:
    read = read_document(document)
    return serialize_for_engine(read), read.root


def test_a_long_attachment_is_read_by_saxon_as_a_stand_in() -> None:
    invoice = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
    text, root = _engine_text(_with(invoice, _reference(BINARY)))
    shortened = without_unread_text(text, root, (ATTACHMENT,))
    assert len(shortened) == len(text) - len(BINARY) + len(STAND_IN)
    assert shortened == text.replace(BINARY, STAND_IN)
    assert etree.fromstring(shortened).find(f".//{ATTACHMENT}").text == STAND_IN


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("QUJD" * 10, id="short"),
        pytest.param(" \n\t" * MIN_LENGTH, id="whitespace"),
    ],
)
def test_short_and_blank_texts_stay(content: str) -> None:
    invoice = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
    text, root = _engine_text(_with(invoice, _reference(content)))
    assert without_unread_text(text, root, (ATTACHMENT,)) == text


def test_escaped_characters_and_prefixes_are_matched_exactly() -> None:
    """Content with &, <, > and CR (serialised escaped), under a default namespace, and a foreign twin before it."""
    content = ("a&b<c>d\r" * (MIN_LENGTH // 8 + 1)).replace("\r", "\r\n")
    foreign = (
        f'<x:EmbeddedDocumentBinaryObject xmlns:x="urn:example">{_escape(content)}</x:EmbeddedDocumentBinaryObject>'
    )
    default = (
        f'<EmbeddedDocumentBinaryObject xmlns="{CBC}" mimeCode="text/csv" filename="b.csv">'
        f"{_escape(content)}</EmbeddedDocumentBinaryObject>"
    )
    invoice = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
    reference = _reference(_escape(content)).replace(
        "<cbc:EmbeddedDocumentBinaryObject", foreign + "<cbc:EmbeddedDocumentBinaryObject"
    )
    second = (
        "<cac:AdditionalDocumentReference><cbc:ID>A-2</cbc:ID>"
        f"<cac:Attachment>{default}</cac:Attachment></cac:AdditionalDocumentReference>"
    )
    text, root = _engine_text(_with(invoice, reference, second))
    shortened = etree.fromstring(without_unread_text(text, root, (ATTACHMENT,)))
    texts = [element.text for element in shortened.iter(ATTACHMENT, "{urn:example}EmbeddedDocumentBinaryObject")]
    assert texts == [content, STAND_IN, STAND_IN]  # the foreign one is not read as ours


def _escape(content: str) -> str:
    return content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


ATTACHMENTS = {
    "base64": [_reference(BINARY)],
    "base64 in lines": [_reference("\n".join(BINARY[start : start + 76] for start in range(0, len(BINARY), 76)))],
    "digits": [_reference("7" * (2 * MIN_LENGTH))],
    "not base64": [_reference(_escape("<&> not base64 " * MIN_LENGTH))],
    "no mimeCode": [_reference(BINARY, 'filename="a.pdf"')],
    "unknown mimeCode": [_reference(BINARY, 'mimeCode="application/x-unknown" filename="a.bin"')],
    "no filename": [_reference(BINARY, 'mimeCode="application/pdf"')],
    "invoiced object with an attachment": [_reference(BINARY, type_code="130")],
    "two attachments": [_reference(BINARY), _reference(BINARY[::-1], 'mimeCode="image/png" filename="b.png"')],
    "with a child": [_reference(BINARY + "<cbc:Note>x</cbc:Note>")],
}
CASES = [
    pytest.param(version, spec, sample, name, id=f"{version}-{spec}-{sample.stem}-{name}")
    for version, release in releases().items()
    for spec in release.specs
    for sample in sorted((SAMPLES / spec).glob("*.xml"))[:1]
    for name in ATTACHMENTS
]


@pytest.mark.parametrize(("version", "spec", "sample", "attachments"), CASES)
def test_the_rules_judge_a_stand_in_as_the_whole_text(
    version: str, spec: str, sample: Path, attachments: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _with(sample.read_bytes(), *ATTACHMENTS[attachments])
    with_stand_in = jppint.validate(document, spec=spec, rules_version=version, advice=False)
    monkeypatch.setattr(jppint.validator, "without_unread_text", lambda text, root, tags: text)
    whole = jppint.validate(document, spec=spec, rules_version=version, advice=False)
    assert [_seen(finding) for finding in with_stand_in.findings] == [_seen(finding) for finding in whole.findings]


def _seen(finding: jppint.Finding) -> tuple[object, ...]:
    return (finding.layer, finding.rule_id, finding.location, finding.line, finding.messages, finding.values)


def test_a_users_rules_read_every_text(tmp_path: Path) -> None:
    rules = tmp_path / "length.sch"
    rules.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        f'<ns prefix="cbc" uri="{CBC}"/><pattern><rule context="cbc:EmbeddedDocumentBinaryObject">'
        f'<assert id="long" test="string-length(normalize-space(.)) = {len(BINARY)}">length</assert>'
        "</rule></pattern></schema>",
        encoding="utf-8",
    )
    invoice = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
    report = jppint.validate(_with(invoice, _reference(BINARY)), schematron=[rules], schema=False, advice=False)
    assert report.valid
    assert [(layer.layer, layer.status) for layer in report.layers if layer.layer == "rules"] == [("rules", "passed")]


def test_empty_and_short_attachments_before_a_long_one_keep_the_order() -> None:
    invoice = (SAMPLES / "jp" / "standard-mixed-rates.xml").read_bytes()
    empty = _reference("").replace("></cbc:EmbeddedDocumentBinaryObject>", "/>")
    text, root = _engine_text(_with(invoice, empty, _reference("QUJD"), _reference(BINARY)))
    assert "<cbc:EmbeddedDocumentBinaryObject " in text and '.pdf"/>' in text
    assert without_unread_text(text, root, (ATTACHMENT,)) == text.replace(BINARY, STAND_IN)


def test_the_search_is_linear_when_no_text_can_be_stood_in_for() -> None:
    """Texts that differ from the tree (as the long-number tokens make them) are passed, each tag once."""
    count = 20_000
    content = "A" * MIN_LENGTH
    element = f'<cbc:EmbeddedDocumentBinaryObject mimeCode="a">{content}</cbc:EmbeddedDocumentBinaryObject>'
    root = etree.fromstring(f'<r xmlns:cbc="{CBC}">{element * count}</r>')
    other = element.replace(content, "B" + content[1:])
    text = f'<r xmlns:cbc="{CBC}">' + "<cbc:Note>" + content * 50 + "</cbc:Note>" + other * count + "</r>"
    started = time.perf_counter()
    assert without_unread_text(text, root, (ATTACHMENT,)) == text
    assert time.perf_counter() - started < 2.0  # quadratic, it took minutes


_CONTENTS = st.sampled_from(
    [
        BINARY,
        "QUJD",
        " \n " * MIN_LENGTH,
        ("a&b<c>d\r\n" * MIN_LENGTH),
        "7" * MIN_LENGTH,
        "",
    ]
)
# An attachment written with a prefix or a default namespace, a foreign element written alike, a note.
_WRITTEN = {
    "cbc": "<cbc:EmbeddedDocumentBinaryObject>{text}</cbc:EmbeddedDocumentBinaryObject>",
    "default": f'<EmbeddedDocumentBinaryObject xmlns="{CBC}">{{text}}</EmbeddedDocumentBinaryObject>',
    "foreign": '<EmbeddedDocumentBinaryObject xmlns="urn:example">{text}</EmbeddedDocumentBinaryObject>',
    "note": "<cbc:Note>{text}</cbc:Note>",
}
_PLACES = st.lists(st.tuples(st.sampled_from(sorted(_WRITTEN)), _CONTENTS), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(places=_PLACES)
def test_exactly_the_long_attachments_are_stood_in_for(places: list[tuple[str, str]]) -> None:
    """Whatever surrounds them, only long non-blank texts of cbc:EmbeddedDocumentBinaryObject change."""
    written = "".join(_WRITTEN[kind].format(text=_escape(content)) for kind, content in places)
    root = etree.fromstring(f'<r xmlns:cbc="{CBC}">{written}</r>')
    shortened = etree.fromstring(without_unread_text(etree.tostring(root, encoding="unicode"), root, (ATTACHMENT,)))
    for before, after in zip(root, shortened, strict=True):
        stood_in = before.tag == ATTACHMENT and len(before.text or "") >= MIN_LENGTH and (before.text or "").strip()
        assert (before.tag, after.text or "") == (after.tag, STAND_IN if stood_in else before.text or "")
