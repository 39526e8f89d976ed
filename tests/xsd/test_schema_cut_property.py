"""Cutting long parents into carriers finds what libxml2 finds on the whole tree, for any arrangement.

RUN_LIMIT is lowered to 3 here, so that documents of a few dozen elements
have long parents, nested ones and several carriers, and hypothesis can try
many arrangements: children out of place, repeated, missing, foreign, with
bad values, before, inside and after the runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from jppint.document import read_document
from jppint.xsd import check_schema, layer, schema_for

INVOICE = (Path(__file__).resolve().parents[2] / "samples" / "valid" / "jp" / "standard-mixed-rates.xml").read_bytes()
HEAD, _, _ = INVOICE.partition(b"<cac:InvoiceLine>")
LIMIT = 3
# JPPINT_SCHEMA_CUT_EXAMPLES=5000 for a longer search than CI's.
EXAMPLES = int(os.environ.get("JPPINT_SCHEMA_CUT_EXAMPLES", "200"))

# Pieces of a line, each on its own line of the document so that findings compare by line.
LINE_PARTS = {
    "id": b"<cbc:ID>1</cbc:ID>\n",
    "note": b"<cbc:Note>n</cbc:Note>\n",
    "quantity": b'<cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity>\n',
    "amount": b'<cbc:LineExtensionAmount currencyID="JPY">1</cbc:LineExtensionAmount>\n',
    "bad amount": b'<cbc:LineExtensionAmount currencyID="JPY">x</cbc:LineExtensionAmount>\n',
    "item": b"<cac:Item><cbc:Name>x</cbc:Name></cac:Item>\n",
    "unknown": b"<cbc:Unknown>u</cbc:Unknown>\n",
    "foreign": b'<f:x xmlns:f="urn:example">f</f:x>\n',
    "item of many descriptions": b"<cac:Item>\n"
    + b"<cbc:Description>d</cbc:Description>\n" * 5
    + b"<cbc:Name>x</cbc:Name>\n</cac:Item>\n",
    "item of descriptions out of order": (
        b"<cac:Item>\n"
        + b"<cbc:Description>d</cbc:Description>\n" * 2
        + b"<cbc:Name>x</cbc:Name>\n"
        + b"<cbc:Description>late</cbc:Description>\n" * 3
        + b"</cac:Item>\n"
    ),
    "note with children": b"<cbc:Note>\n" + b"<cbc:ID>1</cbc:ID>\n" * 5 + b"</cbc:Note>\n",
    "note with a line": (
        b"<cbc:Note>\n<cac:InvoiceLine>\n<cbc:ID>1</cbc:ID>\n"
        + b"<cbc:Note>n</cbc:Note>\n" * 4
        + b'<cbc:LineExtensionAmount currencyID="JPY">x</cbc:LineExtensionAmount>\n</cac:InvoiceLine>\n</cbc:Note>\n'
    ),
}
# Children of the root after the header, before, among or after the lines.
ROOT_PARTS = {
    "note": b"<cbc:Note>late</cbc:Note>\n",
    "unknown": b"<cbc:Unknown>u</cbc:Unknown>\n",
    "foreign": b'<f:x xmlns:f="urn:example">f</f:x>\n',
    "version": b"<cbc:UBLVersionID>2.1</cbc:UBLVersionID>\n",
}
VALID_LINE = ["id", "quantity", "amount", "item"]

line_parts = st.lists(st.sampled_from(sorted(LINE_PARTS)), min_size=0, max_size=9)
lines = st.lists(st.one_of(st.just(VALID_LINE), line_parts), min_size=0, max_size=12)
extras = st.lists(st.tuples(st.integers(min_value=0, max_value=12), st.sampled_from(sorted(ROOT_PARTS))), max_size=3)


def _document(chosen_lines: list[list[str]], chosen_extras: list[tuple[int, str]]) -> bytes:
    body = [
        b"<cac:InvoiceLine>\n" + b"".join(LINE_PARTS[part] for part in line) + b"</cac:InvoiceLine>\n"
        for line in chosen_lines
    ]
    for position, part in sorted(chosen_extras, reverse=True):
        body.insert(min(position, len(body)), ROOT_PARTS[part])
    return HEAD + b"".join(body) + b"</Invoice>\n"


def _whole_tree(document: bytes) -> list[tuple[int, str]]:
    tree = read_document(document).tree
    compiled = schema_for("Invoice")
    compiled.schema.validate(tree)
    return sorted((error.line, error.type_name) for error in compiled.schema.error_log)


@pytest.fixture
def low_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layer, "RUN_LIMIT", LIMIT)
    monkeypatch.setattr(layer, "_PARENTS_OF_LONG_RUNS", etree.XPath(f"//*[{LIMIT + 1}]/.."))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen_lines=lines, chosen_extras=extras, in_place=st.booleans())
# Found by this test: a cut line's own carriers were judged though libxml2 had stopped reading the root
# before the line; and a cut parent out of place lost its "not expected", taken for a missed child.
@example(chosen_lines=[["id", "note", "amount", "amount"]], chosen_extras=[(0, "foreign")], in_place=False)
@example(chosen_lines=[["item of descriptions out of order"]], chosen_extras=[], in_place=True)
def test_carriers_find_what_the_whole_tree_shows(
    low_limit: None, chosen_lines: list[list[str]], chosen_extras: list[tuple[int, str]], in_place: bool
) -> None:
    document = _document(chosen_lines, chosen_extras)
    read = read_document(document)
    before = etree.tostring(read.root)
    findings = check_schema(read, limit=None, in_place=in_place).findings
    assert etree.tostring(read.root) == before
    expected = _whole_tree(document)
    assert sorted(finding.line for finding in findings) == [line for line, _ in expected]
