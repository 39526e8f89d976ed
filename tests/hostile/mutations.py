"""Hypothesis strategies that break invoices the way careless or hostile generators do.

A mutated document starts from a real sample and gets one to four edits:
an element deleted, duplicated, moved among its siblings or renamed; its
text replaced by random text or a number-like string; an attribute value
replaced; one element's or the whole document's namespace dropped. Every
result is still well-formed XML, so it reaches the rules.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st
from lxml import etree

# Characters XML 1.0 allows in text (no controls but tab and newline, no surrogates).
_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n "),
    max_size=40,
)
_NUMBER_LIKE = st.one_of(
    st.sampled_from(["", " ", "abc", "1,000", "1e3", "NaN", "INF", "-0", "+5", ".5", "5.", "0x1F", "10%", "１００"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.just("9" * 400),
)
_DATE_LIKE = st.sampled_from(["2023-02-30", "2023/10/18", "20231018", "2023-13-01", "yesterday", "0000-00-00"])
_BOOLEAN_LIKE = st.sampled_from(["true", "false", "yes", "TRUE", "1", "0", ""])
_NEW_TEXT = st.one_of(_XML_TEXT, _NUMBER_LIKE, _DATE_LIKE, _BOOLEAN_LIKE)
_UBL_NAMES = st.sampled_from(
    ["ID", "IssueDate", "Amount", "ChargeIndicator", "Percent", "InvoiceLine", "TaxTotal", "Party", "Note", "X"]
)
_NEW_NAME = st.one_of(_UBL_NAMES, st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,20}", fullmatch=True))


@dataclass(frozen=True)
class Edit:
    """One edit: what it does, on which element (an index into the document's elements), with what."""

    kind: str
    target: int
    payload: object

    def describe(self) -> str:
        return f"{self.kind} element #{self.target} {self.payload!r}"


def _delete(root: etree._Element, element: etree._Element, payload: object) -> None:
    if element is not root:
        element.getparent().remove(element)


def _duplicate(root: etree._Element, element: etree._Element, payload: object) -> None:
    if element is not root:
        element.addnext(copy.deepcopy(element))


def _reorder(root: etree._Element, element: etree._Element, payload: object) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
        parent.insert(int(payload) % (len(parent) + 1), element)  # type: ignore[call-overload]


def _rename(root: etree._Element, element: etree._Element, payload: object) -> None:
    element.tag = f"{{{etree.QName(element).namespace}}}{payload}" if etree.QName(element).namespace else str(payload)


def _replace_text(root: etree._Element, element: etree._Element, payload: object) -> None:
    element.text = str(payload)


def _replace_attribute(root: etree._Element, element: etree._Element, payload: object) -> None:
    name = next(iter(element.attrib), "currencyID")
    element.set(name, str(payload))


def _drop_namespace(root: etree._Element, element: etree._Element, payload: object) -> None:
    for target in root.iter(etree.Element) if payload else [element]:
        target.tag = etree.QName(target).localname


EDITS: dict[str, tuple[Callable[[etree._Element, etree._Element, object], None], st.SearchStrategy[object]]] = {
    "delete": (_delete, st.none()),
    "duplicate": (_duplicate, st.none()),
    "reorder": (_reorder, st.integers(min_value=0, max_value=1000)),
    "rename": (_rename, _NEW_NAME),
    "replace-text": (_replace_text, _NEW_TEXT),
    "replace-attribute": (_replace_attribute, _NEW_TEXT),
    "drop-namespace": (_drop_namespace, st.booleans()),
}

edits = st.lists(
    st.sampled_from(sorted(EDITS)).flatmap(
        lambda kind: st.builds(Edit, st.just(kind), st.integers(min_value=0, max_value=10_000), EDITS[kind][1])
    ),
    min_size=1,
    max_size=4,
)


def mutated(document: bytes, chosen: list[Edit]) -> bytes:
    """The document with the edits applied in order (targets wrap around the element count)."""
    root = etree.fromstring(document, etree.XMLParser(remove_comments=True))
    for edit in chosen:
        elements = list(root.iter(etree.Element))
        EDITS[edit.kind][0](root, elements[edit.target % len(elements)], edit.payload)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
