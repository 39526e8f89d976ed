"""libxml2's schema errors as findings people can act on.

libxml2 reports in English, with Clark names and its own error codes. A
finding gets our stable rule id, a message in English and Japanese that
names the element, what the schema allows there and the bad value, the
canonical location and line; libxml2's text stays in `detail` for experts.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from jppint.locations import step_name
from jppint.namespaces import LOCATION_PREFIXES
from jppint.results import Finding
from jppint.xsd.messages import SchemaMessages, schema_messages

_CLARK = re.compile(r"\{([^}]*)\}([\w.-]+|\*)")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (?P<names>.*?) \)")
_ATTRIBUTE = re.compile(r"attribute '(?P<name>[^']+)'", re.IGNORECASE)
_SHOWN_EXPECTED = 6
_SHOWN_VALUE = 60
# Elements of one document type, with the element the other document type has in their place.
_DOCUMENT_OF_ELEMENT = {
    "InvoiceTypeCode": ("Invoice", "cbc:CreditNoteTypeCode"),
    "InvoiceLine": ("Invoice", "cac:CreditNoteLine"),
    "InvoicedQuantity": ("Invoice", "cbc:CreditedQuantity"),
    "CreditNoteTypeCode": ("CreditNote", "cbc:InvoiceTypeCode"),
    "CreditNoteLine": ("CreditNote", "cac:InvoiceLine"),
    "CreditedQuantity": ("CreditNote", "cbc:InvoicedQuantity"),
}
_KIND_OF_SUFFIX = (
    ("Date", "date"),
    ("Time", "time"),
    ("Amount", "decimal"),
    ("Quantity", "decimal"),
    ("Measure", "decimal"),
    ("Numeric", "decimal"),
    ("Percent", "decimal"),
    ("Rate", "decimal"),
    ("Indicator", "indicator"),
    ("BinaryObject", "binary"),
)


@dataclass(frozen=True)
class SchemaViolation:
    """One libxml2 error, with the element (of the caller's document) it is about."""

    type_name: str
    message: str
    element: etree._Element
    attribute: str | None
    location: str
    column: int | None


def finding_of(error: SchemaViolation, document_type: str, schema_file: str, folder: Path) -> Finding:
    messages = schema_messages()
    rule_id, fields = _classify(error, document_type, folder, messages)
    texts = messages.fill(rule_id, fields)
    return Finding(
        rule_id=rule_id,
        flag="fatal",
        severity="fatal",
        layer="schema",
        message=texts["en"],
        messages=texts,
        location=error.location,
        line=error.element.sourceline or None,
        column=error.column,
        test="",
        kind="assert",
        source=schema_file,
        detail=_clark_to_prefixed(error.message),
    )


def _same(text: str) -> dict[str, str]:
    return {"en": text, "ja": text}


def _classify(
    error: SchemaViolation, document_type: str, folder: Path, messages: SchemaMessages
) -> tuple[str, dict[str, dict[str, str]]]:
    element = error.element
    name = step_name(element)
    parent = element.getparent()
    fields: dict[str, dict[str, str]] = {
        "element": _same(name),
        "parent": _same(step_name(parent) if parent is not None else name),
        "hint": _same(""),
    }
    code = error.type_name
    text = error.message
    if code == "SCHEMAV_CVC_ELT_1":
        qname = etree.QName(element)
        fields["name"] = _same(qname.localname)
        fields["namespace"] = _same((qname.namespace or "").rpartition(":")[2] or "no")
        return "ubl-schema-root", fields
    if code == "SCHEMAV_ELEMENT_CONTENT" and "Missing child element" in text:
        fields["parent"] = _same(name)
        fields["expected"] = _expected(text, messages, choice=True)
        return "ubl-schema-missing-element", fields
    if code == "SCHEMAV_ELEMENT_CONTENT":
        return _unexpected_element(error, document_type, folder, messages, fields)
    if code == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        attribute = _attribute_in(text) or "?"
        fields["attribute"] = _same(attribute)
        if attribute == "currencyID":
            fields["hint"] = messages.hints["currency"]
        elif etree.QName(element).localname.endswith("BinaryObject"):
            fields["hint"] = messages.hints["attachment"]
        return "ubl-schema-missing-attribute", fields
    if code in ("SCHEMAV_CVC_COMPLEX_TYPE_3_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2"):
        fields["attribute"] = _same(error.attribute or _attribute_in(text) or "?")
        return "ubl-schema-unexpected-attribute", fields
    if code == "SCHEMAV_CVC_COMPLEX_TYPE_2_3":
        fields["value"] = _same(_shortened((element.text or "").strip()))
        return "ubl-schema-text-not-allowed", fields
    if code.startswith(("SCHEMAV_CVC_DATATYPE", "SCHEMAV_CVC_TYPE_3", "SCHEMAV_CVC_FACET", "SCHEMAV_CVC_PATTERN")) or (
        code.startswith(("SCHEMAV_CVC_ENUMERATION", "SCHEMAV_CVC_LENGTH", "SCHEMAV_CVC_M"))
    ):
        if error.attribute is not None:
            fields["attribute"] = _same(error.attribute)
            fields["value"] = _same(_shortened(element.get(error.attribute, "")))
            fields["kind"] = messages.value_kinds["text"]
            return "ubl-schema-attribute-datatype", fields
        fields["value"] = _same(_shortened(element.text or ""))
        fields["kind"] = messages.value_kinds[_value_kind(element)]
        return "ubl-schema-datatype", fields
    fields["detail"] = _same(_clark_to_prefixed(text))
    return "ubl-schema-invalid", fields


def _unexpected_element(
    error: SchemaViolation,
    document_type: str,
    folder: Path,
    messages: SchemaMessages,
    fields: dict[str, dict[str, str]],
) -> tuple[str, dict[str, dict[str, str]]]:
    element = error.element
    qname = etree.QName(element)
    fields["expected"] = _expected(error.message, messages, choice=True)
    known = known_elements(folder)
    if (qname.namespace, qname.localname) not in known:
        close = difflib.get_close_matches(
            qname.localname, [local for namespace, local in known if namespace == qname.namespace], n=1, cutoff=0.8
        )
        if close:
            suggestion = _prefixed(qname.namespace, close[0])
            fields["hint"] = {
                language: text.format(suggestion=suggestion) for language, text in messages.hints["misspelled"].items()
            }
        return "ubl-schema-unknown-element", fields
    owner, counterpart = _DOCUMENT_OF_ELEMENT.get(qname.localname, (None, None))
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    missing = _probably_missing(element, error.message)
    if owner is not None and owner != document_type:
        fields["hint"] = {
            language: text.format(
                element=step_name(element), other=owner, document=document_type, counterpart=counterpart
            )
            for language, text in messages.hints["wrong-document"].items()
        }
    elif previous is not None and previous.tag == element.tag and element.tag not in _expected_tags(error.message):
        fields["hint"] = messages.hints["duplicate"]
    elif missing is not None:
        fields["hint"] = {
            language: text.format(missing=missing) for language, text in messages.hints["missing-before"].items()
        }
    else:
        fields["hint"] = _order_hint(element, folder, messages)
    return "ubl-schema-unexpected-element", fields


def _order_hint(element: etree._Element, folder: Path, messages: SchemaMessages) -> dict[str, str]:
    """Where the element belongs among its siblings, when the parent's content model has it at all."""
    parent = element.getparent()
    if parent is None:
        return _same("")
    model = content_models(folder).get(_key(parent))
    if model is None or _key(element) not in model:
        return _same("")
    position = model.index(_key(element))
    present = {_key(child) for child in parent.iterchildren(etree.Element) if child is not element}
    after = next((name for name in reversed(model[:position]) if name in present), None)
    before = next((name for name in model[position + 1 :] if name in present), None)
    if after is None and before is None:
        return _same("")
    shape = "order-between" if after and before else ("order-after" if after else "order-before")
    names = {"after": _prefixed(*after) if after else "", "before": _prefixed(*before) if before else ""}
    places = {language: text.format(**names) for language, text in messages.hints[shape].items()}
    return {
        language: text.format(element=step_name(element), parent=step_name(parent), place=places[language])
        for language, text in messages.hints["order"].items()
    }


def _key(element: etree._Element) -> tuple[str | None, str]:
    qname = etree.QName(element)
    return qname.namespace, qname.localname


def _probably_missing(element: etree._Element, text: str) -> str | None:
    """The last element libxml2 expected, when the parent has none: usually a required one left out.

    libxml2 lists what may come next up to and including the first required
    element, so the last one named and absent is the likely omission.
    """
    match = _EXPECTED.search(text)
    parent = element.getparent()
    if match is None or parent is None:
        return None
    names = _CLARK.findall(match.group("names"))
    if not names:
        return None
    uri, local = names[-1]
    if parent.find(f"{{{uri}}}{local}") is not None:
        return None
    return _prefixed(uri, local)


def _expected_tags(text: str) -> set[str]:
    match = _EXPECTED.search(text)
    if match is None:
        return set()
    return {f"{{{uri}}}{local}" for uri, local in _CLARK.findall(match.group("names"))}


def _expected(text: str, messages: SchemaMessages, *, choice: bool) -> dict[str, str]:
    """What libxml2 says may come at that place, as prefixed names, shortened to a readable list."""
    match = _EXPECTED.search(text)
    if match is None:
        return dict(messages.words["nothing"])
    names = [_clark_to_prefixed(name.strip()) for name in match.group("names").split(",") if name.strip()]
    shown = names[:_SHOWN_EXPECTED]
    result: dict[str, str] = {}
    for language in ("en", "ja"):
        joined = messages.words["separator"][language].join(shown)
        if len(names) > len(shown):
            joined += messages.words["more"][language].format(count=len(names) - len(shown))
        result[language] = joined
    return result


def _attribute_in(text: str) -> str | None:
    match = _ATTRIBUTE.search(text)
    return match.group("name") if match else None


def _value_kind(element: etree._Element) -> str:
    local = etree.QName(element).localname
    for suffix, kind in _KIND_OF_SUFFIX:
        if local.endswith(suffix):
            return kind
    return "text"


def _shortened(value: str) -> str:
    value = " ".join(value.split()) if len(value) <= 10 * _SHOWN_VALUE else value[: 2 * _SHOWN_VALUE]
    if len(value) <= _SHOWN_VALUE:
        return value
    return value[: _SHOWN_VALUE - 1] + "…"


def _prefixed(namespace: str | None, local: str) -> str:
    prefix = LOCATION_PREFIXES.get(namespace or "")
    if prefix:
        return f"{prefix}:{local}"
    return f"Q{{{namespace}}}{local}" if namespace else local


def _clark_to_prefixed(text: str) -> str:
    return _CLARK.sub(lambda match: _prefixed(match.group(1), match.group(2)), text)


_XSD = "{http://www.w3.org/2001/XMLSchema}"


@lru_cache(maxsize=8)
def content_models(folder: Path) -> dict[tuple[str | None, str], tuple[tuple[str | None, str], ...]]:
    """Per UBL element, its children in the order its type's sequence declares them.

    UBL declares every element globally with a named type whose content is
    one flat sequence of element references, which is all an order hint needs.
    """
    types: dict[tuple[str | None, str], tuple[tuple[str | None, str], ...]] = {}
    element_types: dict[tuple[str | None, str], tuple[str | None, str]] = {}
    for root in _component_schemas(folder):
        namespace = root.get("targetNamespace")
        for declared in root.iterchildren(f"{_XSD}element"):
            if declared.get("type"):
                element_types[(namespace, declared.get("name"))] = _resolved(declared, declared.get("type"))
        for complex_type in root.iterchildren(f"{_XSD}complexType"):
            children = tuple(
                _resolved(reference, reference.get("ref"))
                for reference in complex_type.iterfind(f"{_XSD}sequence/{_XSD}element")
                if reference.get("ref")
            )
            types[(namespace, complex_type.get("name"))] = children
    return {name: types[type_name] for name, type_name in element_types.items() if type_name in types}


def _resolved(element: etree._Element, qualified: str) -> tuple[str | None, str]:
    prefix, _, local = qualified.rpartition(":")
    return element.nsmap.get(prefix or None), local


@lru_cache(maxsize=8)
def _component_schemas(folder: Path) -> tuple[etree._Element, ...]:
    """The roots of the UBL component and main schemas, read once for both lookups below."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    paths = sorted((folder / "common").glob("UBL-Common*Components-2.1.xsd")) + sorted(
        (folder / "maindoc").glob("UBL-*-2.1.xsd")
    )
    roots = []
    for path in paths:
        try:
            roots.append(etree.parse(str(path), parser).getroot())
        except (OSError, etree.XMLSyntaxError):
            continue
    return tuple(roots)


@lru_cache(maxsize=8)
def known_elements(folder: Path) -> frozenset[tuple[str | None, str]]:
    """Every global element the UBL component schemas declare, to tell a misspelling from a misplacing."""
    return frozenset(
        (root.get("targetNamespace"), element.get("name"))
        for root in _component_schemas(folder)
        for element in root.iterchildren(f"{_XSD}element")
    )
