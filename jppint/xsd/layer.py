"""Running the UBL 2.1 schema on a document, in time linear in its size.

lxml computes libxml2's node path for every error, counting the preceding
siblings of each ancestor: 40,000 invoice lines with one error each cost
100 s that way. A parent with more than `RUN_LIMIT` (512) children of one name
is therefore validated on a copy without the rest of that run, and each
child left out is validated on its own, against its global declaration (every UBL
element is declared globally and referenced where used, so the result is
the same). Paths then stay short, and so does the cost of each error.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from jppint.document import Document
from jppint.locations import Locator
from jppint.namespaces import CAC, CBC, EXT
from jppint.results import Finding
from jppint.xsd.findings import SchemaViolation, finding_of
from jppint.xsd.loading import schema_for
from jppint.xsd.messages import schema_messages
from jppint.xsd.node_paths import NodePaths

RUN_LIMIT = 512
_UBL_COMPONENTS = (CAC, CBC, EXT)
_EXTENSION_CONTENT = f"{{{EXT}}}ExtensionContent"


@dataclass(frozen=True)
class SchemaResult:
    findings: list[Finding]
    schema_file: str


def check_schema(
    document: Document, *, directory: str | os.PathLike[str] | None = None, limit: int | None = None
) -> SchemaResult:
    """Schema findings of `document`, at most `limit` of them listed (the rest counted in one more)."""
    compiled = schema_for(document.document_type, directory)
    folder = compiled.path.parent.parent
    locator = Locator(document.root)
    findings: list[Finding] = []
    omitted = 0
    seen: set[tuple[str, str]] = set()
    for violation in _violations(document.root, compiled.schema, compiled.lock, locator):
        finding = finding_of(violation, document.document_type, compiled.path.name, folder)
        if (finding.rule_id, finding.location) in seen:
            continue  # libxml2 reports a value breaking a facet and its type twice
        seen.add((finding.rule_id, finding.location))
        if limit is not None and len(findings) >= limit:
            omitted += 1
            continue
        findings.append(finding)
    if omitted:
        findings.append(_omission(omitted, compiled.path.name))
    return SchemaResult(findings, compiled.path.name)


def _violations(
    root: etree._Element, schema: etree.XMLSchema, lock: object, locator: Locator
) -> Iterator[SchemaViolation]:
    long_parents = [element for element in root.iter(etree.Element) if len(element) > RUN_LIMIT]
    if not long_parents:
        yield from _unit_violations(root, root, root.getroottree(), schema, lock, locator)
        return
    clone = copy.deepcopy(root)
    units = _split_long_runs([(original, _same_place(original, clone)) for original in long_parents])
    yield from _unit_violations(clone, root, clone.getroottree(), schema, lock, locator, units.kept)
    for detached, original in units.detached:
        yield from _unit_violations(detached, original, detached, schema, lock, locator, units.kept)


@dataclass
class _Units:
    """The pieces of a split copy: detached children with their originals, and originals of kept children."""

    detached: list[tuple[etree._Element, etree._Element]]
    kept: dict[etree._Element, etree._Element]


def _split_long_runs(long_parents: list[tuple[etree._Element, etree._Element]]) -> _Units:
    units = _Units(detached=[], kept={})
    for original, copied in long_parents:
        if not _may_split(original):
            continue
        run = 0
        previous_tag = None
        pairs = list(zip(original.iterchildren(etree.Element), copied.iterchildren(etree.Element), strict=True))
        for original_child, copied_child in pairs:
            run = run + 1 if original_child.tag == previous_tag else 1
            previous_tag = original_child.tag
            if run > RUN_LIMIT and etree.QName(original_child).namespace in _UBL_COMPONENTS:
                copied.remove(copied_child)
                units.detached.append((copied_child, original_child))
            else:
                units.kept[copied_child] = original_child
    return units


def _same_place(original: etree._Element, clone: etree._Element) -> etree._Element:
    """The element of an identical copy that stands where `original` stands (a few long parents: cheap)."""
    steps = []
    element = original
    parent = element.getparent()
    while parent is not None:
        steps.append(parent.index(element))
        element, parent = parent, parent.getparent()
    for step in reversed(steps):
        clone = clone[step]
    return clone


def _may_split(element: etree._Element) -> bool:
    """Children below ext:ExtensionContent are not UBL's: the schema skips them, so must we."""
    if etree.QName(element).namespace not in _UBL_COMPONENTS and element.getparent() is not None:
        return False
    return not any(ancestor.tag == _EXTENSION_CONTENT for ancestor in element.iterancestors()) and (
        element.tag != _EXTENSION_CONTENT
    )


def _unit_violations(
    unit: etree._Element,
    original_unit: etree._Element,
    target: etree._Element | etree._ElementTree,
    schema: etree.XMLSchema,
    lock: object,
    locator: Locator,
    kept: dict[etree._Element, etree._Element] | None = None,
) -> Iterator[SchemaViolation]:
    with lock:  # type: ignore[attr-defined]
        schema.validate(target)
        errors = list(schema.error_log)
    if not errors:
        return
    paths = NodePaths(unit)
    originals: dict[etree._Element, etree._Element] = {unit: original_unit}
    for error in errors:
        found = paths.find(error.path)
        element, attribute = found if found is not None else (unit, None)
        original = element if unit is original_unit else _original_of(element, originals, kept or {})
        location = locator.location_of(original) + (f"/@{attribute}" if attribute else "")
        yield SchemaViolation(
            type_name=error.type_name,
            message=error.message,
            element=original,
            attribute=attribute,
            location=location,
            column=error.column or None,
        )


def _original_of(
    element: etree._Element, originals: dict[etree._Element, etree._Element], kept: dict[etree._Element, etree._Element]
) -> etree._Element:
    """The caller's element that a validated (possibly copied) element stands for."""
    known = originals.get(element)
    if known is None:
        known = kept.get(element)
    if known is not None:
        return known
    parent = element.getparent()
    assert parent is not None, "the unit root is always known"
    original_parent = _original_of(parent, originals, kept)
    # Parents with long runs map their kept children in `kept`; every other parent has at most RUN_LIMIT children.
    original = original_parent[parent.index(element)]
    originals[element] = original
    return original


def _omission(omitted: int, schema_file: str) -> Finding:
    texts = schema_messages().fill("ubl-schema-too-many-findings", {"value": {"en": str(omitted), "ja": str(omitted)}})
    return Finding(
        rule_id="ubl-schema-too-many-findings",
        flag="fatal",
        severity="fatal",
        layer="schema",
        message=texts["en"],
        messages=texts,
        location="/",
        test="",
        kind="error",
        source=schema_file,
    )
