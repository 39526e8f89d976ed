"""Guarded rule contexts: the nodes that matched still match, and an error while matching is "no match".

Each case is a rule context run on `LINES`, where line 2's amount is not a
number; the expected nodes are those Saxon matched with the pattern as
written (it warned on stderr for the ones that raised).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.schematron.patterns import Predicate, cannot_raise, guard_pattern

LINES = b"""<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>INV-1</cbc:ID>
  <cac:InvoiceLine><cbc:ID>2</cbc:ID><cbc:LineExtensionAmount>100</cbc:LineExtensionAmount></cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount>abc</cbc:LineExtensionAmount></cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>3</cbc:ID><cbc:LineExtensionAmount>300</cbc:LineExtensionAmount></cac:InvoiceLine>
</Invoice>"""

HEADER_ID = "/ubl:Invoice[1]/cbc:ID[1]"
LINE = "/ubl:Invoice[1]/cac:InvoiceLine[{}]"
LINE_ID = "/ubl:Invoice[1]/cac:InvoiceLine[{}]/cbc:ID[1]"

CASES = {
    "a position": ("cac:InvoiceLine[2]", [LINE.format(2)]),
    "the last": ("cac:InvoiceLine[last()]", [LINE.format(3)]),
    "position and size": ("cac:InvoiceLine[position() = last() - 1]", [LINE.format(2)]),
    # A number computed from the node selects by position: only line 3 holds its own position.
    "a computed position": ("cac:InvoiceLine[number(cbc:ID)]", [LINE.format(3)]),
    "current()": ("cac:InvoiceLine[cbc:ID = current()/cbc:ID]", [LINE.format(n) for n in (1, 2, 3)]),
    "raises on one node": ("cac:InvoiceLine[xs:decimal(cbc:LineExtensionAmount) gt 150]", [LINE.format(3)]),
    "raises, with a position": (
        "cac:InvoiceLine[position() > 1 and xs:decimal(cbc:LineExtensionAmount) gt 0]",
        [LINE.format(3)],
    ),
    "raises on a parent step": (
        "cac:InvoiceLine[xs:decimal(cbc:LineExtensionAmount) gt 0]/cbc:ID",
        [LINE_ID.format(1), LINE_ID.format(3)],
    ),
    "raises in one branch of a union": (
        "cbc:ID[xs:integer(.) = 1] | cbc:ID[. = 'INV-1']",
        [HEADER_ID, LINE_ID.format(2)],
    ),
    "two predicates": ("cac:InvoiceLine[cbc:ID = ('1', '3')][last()]", [LINE.format(3)]),
    "raises with two items": ("cac:InvoiceLine[normalize-space(*) = '1']", []),
    "a bracket in a string": ("cbc:ID[. = ']']", []),
}


def matched(context: str, tmp_path: Path) -> list[str]:
    rules = tmp_path / "rules.sch"
    rules.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">'
        '<ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>'
        '<ns prefix="cac" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"/>'
        f'<pattern><rule context="{context}"><report id="matched" test="true()">matched</report></rule></pattern>'
        "</schema>",
        encoding="utf-8",
    )
    report = jppint.validate(LINES, schematron=[rules], schema=False)
    return sorted(finding.location for finding in report.findings)


@pytest.mark.parametrize(("context", "expected"), list(CASES.values()), ids=list(CASES))
def test_a_guarded_rule_context_matches_what_saxon_matched(context: str, expected: list[str], tmp_path: Path) -> None:
    assert matched(context.replace("'", "&apos;"), tmp_path) == sorted(expected)


def guarded(pattern: str) -> tuple[str, list[Predicate]]:
    predicates: list[Predicate] = []

    def write_guard(predicate: Predicate) -> str:
        predicates.append(predicate)
        return f"g{len(predicates)}"

    return guard_pattern(pattern, write_guard), predicates


def test_each_predicate_of_the_pattern_is_guarded_and_kept_in_place() -> None:
    pattern, predicates = guarded("a[xs:decimal(.) gt 0]/b[number(c)] | d[f(.)[g]]")
    assert pattern == (
        "a[if (g1(.)) then (xs:decimal(.) gt 0) else ()]/b[if (g2(.)) then (number(c)) else ()]"
        " | d[if (g3(.)) then (f(.)[g]) else ()]"
    )
    assert [p.expression for p in predicates] == ["xs:decimal(.) gt 0", "number(c)", "f(.)[g]"]


def test_brackets_in_strings_and_comments_are_no_predicates() -> None:
    pattern, _ = guarded("a[. = ']' (: ] :)][1]")
    assert pattern == "a[if (g1(.)) then (. = ']' (: ] :)) else ()][1]"


def test_the_guard_gets_the_position_size_and_current_item_the_predicate_names() -> None:
    pattern, (predicate,) = guarded("a[position() = last() and b = current()/b]")
    assert (
        pattern == "a[if (g1(., position(), last(), current())) then (position() = last() and b = current()/b) else ()]"
    )
    assert predicate.expression == "position() = last() and b = $jpi:current/b"
    assert [name for name, _ in predicate.parameters] == ["position", "last", "current"]


def test_variables_a_predicate_names_are_known_to_its_guard() -> None:
    _, (predicate,) = guarded("a[b = $codes and xs:decimal(c) gt $ $limit]")
    assert predicate.variables == {"codes", "limit"}


@pytest.mark.parametrize(
    "pattern",
    [
        "cbc:ID[@schemeID = '0088']",
        "Q{urn:x[}a[b]",
        "a[xs:decimal(.)",
        "a[']']]",
        "a[f(Q{urn:other}current())]",
    ],
)
def test_a_pattern_that_cannot_raise_or_cannot_be_read_is_left_as_written(pattern: str) -> None:
    assert guarded(pattern) == (pattern, [])


@pytest.mark.parametrize(
    "predicate",
    [
        "1",
        "@schemeID = '0007'",
        "cbc:PaymentMeansCode = '30' or cbc:PaymentMeansCode = '58'",
        "not(*) and not(normalize-space())",
        "ends-with(local-name(), 'Time')",
        "cac:TaxScheme/cbc:ID != ../cbc:ID",
        "a[b = 'c']/d[2] | e",
    ],
)
def test_tests_of_untyped_nodes_and_strings_cannot_raise(predicate: str) -> None:
    assert cannot_raise(predicate)


@pytest.mark.parametrize(
    "predicate",
    [
        "@schemeID = ('0088', '0007', '0192')",
        "('30', '58') != cbc:PaymentMeansCode",
        "cbc:ID = ('VAT')",
    ],
)
def test_a_node_compared_with_a_sequence_of_strings_cannot_raise(predicate: str) -> None:
    assert cannot_raise(predicate)


@pytest.mark.parametrize(
    "predicate",
    [
        "('a', 'b')",  # two strings have no boolean value
        "not(('a', 'b'))",
        "cbc:ID and ('a', 'b')",
        "cbc:ID = ('a', 1)",  # a number against an untyped value is a cast
    ],
)
def test_a_sequence_of_strings_outside_a_comparison_may_raise(predicate: str) -> None:
    assert not cannot_raise(predicate)


@pytest.mark.parametrize("predicate", ["cbc:TaxAmount/@currencyID = /*/cbc:DocumentCurrencyCode", "exists(//cbc:Note)"])
def test_paths_from_the_root_cannot_raise_only_in_a_document(predicate: str) -> None:
    assert cannot_raise(predicate, rooted=True)
    assert not cannot_raise(predicate)


def test_a_rule_context_from_the_root_is_not_guarded() -> None:
    """Rule contexts are matched in our own modes, on the validated document only."""
    pattern = "cac:TaxTotal[cbc:TaxAmount/@currencyID = /*/cbc:DocumentCurrencyCode]"
    assert guard_pattern(pattern, lambda predicate: "g", rooted=True) == pattern
    assert guard_pattern(pattern, lambda predicate: "g") != pattern


@pytest.mark.parametrize(
    "predicate",
    [
        "cbc:ChargeIndicator = false()",  # "yes" is no boolean
        "cbc:Amount > 0",  # "abc" is no number
        "normalize-space(cbc:ID) = 'VAT'",  # two IDs
        "cbc:ID eq 'VAT'",
        "contains(cbc:ID, 'x')",
        "$codes",
        "position() = 1",
        "//cbc:ID",  # a tree without a document node
        "xs:decimal(.) gt 0",
    ],
)
def test_anything_else_may_raise(predicate: str) -> None:
    assert not cannot_raise(predicate)
