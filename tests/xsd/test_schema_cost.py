"""The schema layer stays linear on documents with many errors, and splitting long runs changes no verdict."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

import jppint
from jppint.document import read_document
from jppint.xsd import check_schema, layer, schema_for
from jppint.xsd.layer import RUN_LIMIT

INVOICE = (Path(__file__).resolve().parents[2] / "samples" / "valid" / "jp" / "standard-mixed-rates.xml").read_bytes()
LINE = (
    b'<cac:InvoiceLine><cbc:ID>%d</cbc:ID><cbc:LineExtensionAmount currencyID="JPY">%s</cbc:LineExtensionAmount>'
    b"<cac:Item><cbc:Name>x</cbc:Name></cac:Item></cac:InvoiceLine>\n"
)


def _with_lines(amounts: list[bytes]) -> bytes:
    head, _, _ = INVOICE.partition(b"<cac:InvoiceLine>")
    lines = b"".join(LINE % (number, amount) for number, amount in enumerate(amounts, 1))
    return head + lines + b"</Invoice>\n"


def test_thousands_of_erroneous_lines_cost_linear_time() -> None:
    """40,000 lines with one error each took 100 s when libxml2 computed every node path over all siblings."""
    count = 20_000
    document = _with_lines([b"bad"] * count)
    started = time.perf_counter()
    report = jppint.validate(document, stop_on_schema_error=True, max_findings=count + 10)
    elapsed = time.perf_counter() - started
    schema = [finding for finding in report.findings if finding.layer == "schema"]
    assert len(schema) == count
    last = schema[-1]
    assert last.location == f"/ubl:Invoice[1]/cac:InvoiceLine[{count}]/cbc:LineExtensionAmount[1]"
    head_lines = INVOICE.partition(b"<cac:InvoiceLine>")[0].count(b"\n")
    assert last.line == head_lines + count
    assert elapsed < 20, f"{elapsed:.1f} s"


def test_past_max_findings_schema_findings_are_counted() -> None:
    report = jppint.validate(_with_lines([b"bad"] * 30), stop_on_schema_error=True, max_findings=10)
    assert len(report.findings) == 11
    assert report.findings[-1].rule_id == "ubl-schema-too-many-findings"
    assert "20" in report.findings[-1].message and not report.valid


def _plain_libxml2(document: bytes) -> list[tuple[int, str]]:
    """What libxml2 says on the whole tree at once: the reference the split validation must match."""
    tree = read_document(document).tree
    compiled = schema_for("Invoice")
    compiled.schema.validate(tree)
    return sorted((error.line, error.type_name) for error in compiled.schema.error_log)


def test_split_validation_finds_what_libxml2_finds_on_the_whole_tree() -> None:
    amounts = [b"1" if number % 7 else b"x%d" % number for number in range(3 * RUN_LIMIT)]
    document = _with_lines(amounts)
    # An error in the root after the long run, and one in a kept line: the split must see both.
    document = document.replace(b"</Invoice>", b"<cbc:Foo/></Invoice>")
    expected = _plain_libxml2(document)
    findings = check_schema(read_document(document), limit=None).findings
    assert sorted((finding.line, finding.detail is not None) for finding in findings) == [
        (line, True) for line, _ in expected
    ]
    assert len(findings) == len(expected) > RUN_LIMIT // 7


LINE_START = b"<cac:InvoiceLine><cbc:ID>%d</cbc:ID>"
BROKEN_LINE_STARTS = {
    "no ID": b"<cac:InvoiceLine>",  # libxml2 names the line's first child
    "an attribute": b'<cac:InvoiceLine status="x"><cbc:ID>%d</cbc:ID>',  # libxml2 names the line itself
}


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param([(2 * RUN_LIMIT + 5, "no ID")], id="a detached line without its ID"),
        pytest.param([(3, "no ID"), (2 * RUN_LIMIT + 5, "no ID")], id="a kept and a detached line without IDs"),
        pytest.param([(3, "an attribute"), (2 * RUN_LIMIT + 5, "an attribute")], id="a kept and a detached line"),
        pytest.param([(RUN_LIMIT + 1, "an attribute"), (3 * RUN_LIMIT, "no ID")], id="detached lines"),
    ],
)
def test_lines_past_the_kept_run_are_judged_as_on_the_whole_tree(broken: list[tuple[int, str]]) -> None:
    """Lines past RUN_LIMIT, validated apart from the kept run, are judged as libxml2 judges the whole tree."""
    document = _with_lines([b"1"] * (3 * RUN_LIMIT))
    for number, change in broken:
        replacement = BROKEN_LINE_STARTS[change]
        document = document.replace(LINE_START % number, replacement.replace(b"%d", b"%d" % number), 1)
    expected = _plain_libxml2(document)
    findings = check_schema(read_document(document), limit=None).findings
    assert sorted(finding.line for finding in findings) == [line for line, _ in expected]
    assert len(findings) == len(broken)


def test_a_long_run_in_the_wrong_place_is_found_once() -> None:
    document = _with_lines([b"1"] * (2 * RUN_LIMIT)).replace(b"</Invoice>", b"<cbc:Note>late</cbc:Note></Invoice>")
    expected = _plain_libxml2(document)
    findings = check_schema(read_document(document), limit=None).findings
    assert sorted(finding.line for finding in findings) == [line for line, _ in expected]


def test_children_of_extension_content_are_never_split() -> None:
    """ext:ExtensionContent holds any foreign XML, which the schema skips: so must the split."""
    foreign = b"".join(b'<x:item xmlns:x="urn:example">%d</x:item>' % number for number in range(RUN_LIMIT + 50))
    extension = (
        b'<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">'
        b'<ext:UBLExtension><ext:ExtensionContent><x:list xmlns:x="urn:example">' + foreign + b"</x:list>"
        b"</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>"
    )
    document = INVOICE.replace(b"<cbc:CustomizationID>", extension + b"<cbc:CustomizationID>", 1)
    assert etree.fromstring(document) is not None
    assert check_schema(read_document(document)).findings == []


def _judged_as_on_the_whole_tree(document: bytes) -> list[int]:
    expected = _plain_libxml2(document)
    findings = check_schema(read_document(document), limit=None).findings
    assert sorted(finding.line for finding in findings) == [line for line, _ in expected]
    return [line for line, _ in expected]


def test_lines_after_an_element_out_of_place_are_skipped_as_libxml2_skips_them() -> None:
    """libxml2 stops reading a parent's children at the first out of place: cut lines must not be judged either."""
    document = _with_lines([b"1" if number % 5 else b"bad" for number in range(3 * RUN_LIMIT)])
    document = document.replace(
        b"<cbc:CustomizationID>", b"<cbc:UBLVersionID>2.1</cbc:UBLVersionID>" * 2 + b"<cbc:CustomizationID>", 1
    )
    assert len(_judged_as_on_the_whole_tree(document)) == 1


def test_a_long_run_of_an_element_allowed_once_is_one_finding() -> None:
    once = b"<cbc:TaxPointDate>2024-01-01</cbc:TaxPointDate>"
    document = _with_lines([b"1", b"bad"])
    document = document.replace(
        b"<cbc:DocumentCurrencyCode>", once * (3 * RUN_LIMIT) + b"<cbc:DocumentCurrencyCode>", 1
    )
    assert len(_judged_as_on_the_whole_tree(document)) == 1


def test_a_long_run_inside_a_cut_line_is_judged_as_on_the_whole_tree() -> None:
    """A line past the kept run that has a long run of its own (notes), with a bad note past that run."""
    notes = b"<cbc:Note>n</cbc:Note>" * (RUN_LIMIT + 10) + b"<cbc:Note><x/></cbc:Note>"
    document = _with_lines([b"1"] * (2 * RUN_LIMIT) + [b"bad"])
    target = LINE_START % (2 * RUN_LIMIT - 3)
    document = document.replace(target, target + notes, 1)
    assert len(_judged_as_on_the_whole_tree(document)) == 2


def test_errors_in_every_chunk_of_cut_lines_are_found_once_each() -> None:
    amounts = [b"1" if number % 97 else b"bad" for number in range(1, 5 * RUN_LIMIT + 1)]
    lines = _judged_as_on_the_whole_tree(_with_lines(amounts))
    assert len(lines) == 5 * RUN_LIMIT // 97 == len(set(lines))


def test_what_a_parent_cut_short_misses_is_found_once() -> None:
    """A line with a long run of notes and nothing after them: libxml2 says once what the line misses."""
    notes = b"<cbc:Note>n</cbc:Note>" * (2 * RUN_LIMIT + 10)
    document = _with_lines([b"1"] * 3)
    broken = b"<cac:InvoiceLine><cbc:ID>9</cbc:ID>" + notes + b"</cac:InvoiceLine>"
    document = document.replace(b"</Invoice>", broken + b"</Invoice>")
    assert len(_judged_as_on_the_whole_tree(document)) == 1


def test_a_tree_cut_in_place_is_put_back_as_it_was() -> None:
    """Cut in place (a tree read for one validation), every child returns to its place, comments too."""
    amounts = [b"1" if number % 11 else b"bad" for number in range(2 * RUN_LIMIT + 7)]
    document = _with_lines(amounts).replace(b"</cac:InvoiceLine>\n", b"</cac:InvoiceLine><!--c-->\n")
    read = read_document(document, any_root=True)
    before = etree.tostring(read.root)
    in_place = check_schema(read, limit=None, in_place=True).findings
    assert etree.tostring(read.root) == before
    in_a_copy = check_schema(read, limit=None).findings
    assert [(f.line, f.location, f.rule_id) for f in in_place] == [(f.line, f.location, f.rule_id) for f in in_a_copy]
    assert len(in_place) == len(_plain_libxml2(document)) > RUN_LIMIT // 11


def test_a_failure_while_cut_puts_every_child_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever stops the validation of a carrier (here a raised error), the tree is whole again."""
    read = read_document(_with_lines([b"1"] * (2 * RUN_LIMIT + 3)))
    before = etree.tostring(read.root)
    calls = []

    def failing(target: object, unit: object, schema: object, lock: object) -> list[object]:
        calls.append(unit)
        if len(calls) == 2:  # the first carrier, after the cut tree
            raise MemoryError("simulated")
        return []

    monkeypatch.setattr(layer, "_errors", failing)
    with pytest.raises(MemoryError):
        check_schema(read, in_place=True)
    assert etree.tostring(read.root) == before
