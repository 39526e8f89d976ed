"""Small, declarative edits of an XML document, for rule fixtures kept as data.

A fixture names a base document and a list of edits; each edit is a table
with one operation and an XPath (UBL prefixes ubl, cn, cac, cbc, ext) that
must select at least one node, so a fixture can never silently test
nothing:

    {delete = "XPATH"}                       remove the selected elements or attributes
    {set-text = "XPATH", value = "TEXT"}     replace the text of the selected elements
    {set-attribute = "XPATH", name = "N", value = "V"}
    {rename = "XPATH", to = "prefix:Local"}
    {insert-after = "XPATH", xml = "<cbc:X>..</cbc:X>"}   (also insert-before, append-to)
    {duplicate = "XPATH"}                    insert a copy of the element right after it
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree

NAMESPACES = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
_OPERATIONS = (
    "delete",
    "set-text",
    "set-attribute",
    "rename",
    "insert-after",
    "insert-before",
    "append-to",
    "duplicate",
)


class EditError(ValueError):
    """A fixture edit that cannot apply: a fixture bug, reported with the edit."""


def _fragment(xml: str) -> etree._Element:
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    wrapper = etree.fromstring(f"<wrapper {declarations}>{xml}</wrapper>".encode())
    if len(wrapper) != 1:
        raise EditError(f"xml must be exactly one element: {xml!r}")
    return wrapper[0]


def _qualified(name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}" if prefix else local


def apply_edit(root: etree._Element, edit: dict[str, Any]) -> None:
    operations = [name for name in _OPERATIONS if name in edit]
    if len(operations) != 1:
        raise EditError(f"an edit needs exactly one of {_OPERATIONS}: {edit}")
    operation = operations[0]
    selected = root.getroottree().xpath(edit[operation], namespaces=NAMESPACES)
    if not isinstance(selected, list) or not selected:
        raise EditError(f"{edit[operation]!r} selects nothing")
    for node in selected:
        if operation == "delete":
            if isinstance(node, etree._Element):
                node.getparent().remove(node)
            else:
                node.getparent().attrib.pop(node.attrname)
        elif operation == "set-text":
            node.text = edit["value"]
            for child in list(node):
                node.remove(child)
        elif operation == "set-attribute":
            node.set(edit["name"], edit["value"])
        elif operation == "rename":
            node.tag = _qualified(edit["to"])
        elif operation == "insert-after":
            node.addnext(_fragment(edit["xml"]))
        elif operation == "insert-before":
            node.addprevious(_fragment(edit["xml"]))
        elif operation == "append-to":
            node.append(_fragment(edit["xml"]))
        elif operation == "duplicate":
            twin = copy.deepcopy(node)
            twin.tail = node.tail
            node.addnext(twin)


def mutated(document: bytes, edits: list[dict[str, Any]]) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(document, parser)
    for edit in edits:
        apply_edit(root, edit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
