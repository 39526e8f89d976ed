"""Base documents and small editing helpers shared by the hostile-input tests.

`INVOICE` is our own fictional invoice (always present); the official
examples and rules in ../shared are used when present, and the tests that
need them skip otherwise.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from tests.conformance.corpus import ABSENT_REASON, OFFICIAL, official_schematron, shared_available

__all__ = [
    "ABSENT_REASON",
    "INVOICE",
    "NAMESPACES",
    "OFFICIAL",
    "edited",
    "official_example",
    "official_schematron",
    "shared_available",
    "summary",
]

DATA = Path(__file__).resolve().parent / "data"
INVOICE = DATA / "invoice.xml"
NAMESPACES = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
EXAMPLES = {
    "jp": "Japan PINT Invoice UBL Example5-AllowanceCharge.xml",
    "jp-sb": "JP BIS Self Billing Invoice UBL Example.xml",
    "jp-ntr": "JP BIS Invoice for Non-tax Registered Businesses UBL Example4-AllowanceCharge.xml",
}


def official_example(spec: str) -> Path:
    """An official example with document-level allowances and charges, or the first one there is."""
    folder = OFFICIAL / spec / "example"
    preferred = folder / EXAMPLES[spec]
    return preferred if preferred.is_file() else sorted(folder.glob("*.xml"))[0]


def edited(source: Path | bytes, xpath: str, text: str | None = None, *, duplicate: bool = False) -> bytes:
    """The document with the first element at `xpath` given `text`, or duplicated after itself."""
    data = source.read_bytes() if isinstance(source, Path) else source
    tree = etree.ElementTree(etree.fromstring(data))
    element = tree.xpath(xpath, namespaces=NAMESPACES)[0]
    if duplicate:
        twin = copy.deepcopy(element)
        if text is not None:
            twin.text = text
        element.addnext(twin)
    else:
        element.text = text
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def summary(report: object) -> list[tuple[str, str, str]]:
    """What must not change between two validations of the same content: rule, place, kind."""
    return sorted((f.rule_id, f.location, f.kind) for f in report.findings)  # type: ignore[attr-defined]


# What differs between two validations of the same document: only the clock.
WITHOUT_TIMES = {"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}


class XmlText(str):
    """XML held in a str: the API takes it as `text=`, since a plain str is always a path."""


def validate_any(source: object, **options: object) -> object:
    """`jppint.validate` with the source in the argument its kind belongs in."""
    import jppint

    if isinstance(source, XmlText):
        return jppint.validate(text=str(source), **options)  # type: ignore[arg-type]
    return jppint.validate(source, **options)  # type: ignore[arg-type]
