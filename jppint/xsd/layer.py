"""Running the UBL 2.1 schema on a document, in time linear in its size.

lxml computes libxml2's node path for every error, counting the siblings
of each ancestor that share its name: 40,000 invoice lines with one error
each cost 100 s that way. So no parent is validated with more than
`RUN_LIMIT` children: the children of a longer one past that many are cut
into carriers of RUN_LIMIT each, which are validated on their own (see
`_Carrier`), and put back. Each error then costs at most RUN_LIMIT steps,
and a valid document is read once, with two moves for each cut child.

The tree is cut in place when the caller says nobody else looks at it (a
document read for this validation alone); otherwise a copy is cut.
"""

from __future__ import annotations

import copy
import os
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

# libxml2 walks up to this many siblings for an error's path: 4,096 costs as much as the rest of a
# finding; a longer limit costs more per error than it saves (the cut copies and moves), a shorter
# one cuts invoices of a few thousand lines.
RUN_LIMIT = 4096
_UBL_COMPONENTS = (CAC, CBC, EXT)
_EXTENSION_CONTENT = f"{{{EXT}}}ExtensionContent"
# libxml2's type of "element not expected" (on the child) and of "missing child elements" (on the parent).
_CONTENT_ERROR = "SCHEMAV_ELEMENT_CONTENT"
# The parents of a RUN_LIMIT + 1st child, found by libxml2 without a Python object per element.
_PARENTS_OF_LONG_RUNS = etree.XPath(f"//*[{RUN_LIMIT + 1}]/..")
# A UBL content model is a sequence of fewer than 100 element particles: a valid start of one has
# fewer groups of same-named children than this; past it, libxml2 has stopped reading the parent.
_MAX_GROUPS = 512
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_ATTRIBUTES = (f"{{{_XSI}}}type", f"{{{_XSI}}}nil")


@dataclass(frozen=True)
class SchemaResult:
    findings: list[Finding]
    schema_file: str


def check_schema(
    document: Document,
    *,
    directory: str | os.PathLike[str] | None = None,
    limit: int | None = None,
    in_place: bool = False,
) -> SchemaResult:
    """Schema findings of `document`, at most `limit` of them listed (the rest counted in one more).

    With `in_place`, a document with a parent of more than RUN_LIMIT
    children is cut and put back in place rather than in a copy: only for a
    tree nobody else can see meanwhile (it saves a copy, 2 µs a line).
    """
    compiled = schema_for(document.document_type, directory)
    folder = compiled.path.parent.parent
    findings: list[Finding] = []
    omitted = 0
    seen: set[tuple[str, str]] = set()
    # A parent of more than RUN_LIMIT children needs more than RUN_LIMIT elements: most documents have fewer.
    small = document.element_count is not None and document.element_count <= RUN_LIMIT
    for violation in _violations(document.root, compiled.schema, compiled.lock, in_place=in_place, small=small):
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


_Found = tuple[etree._LogEntry, etree._Element, str | None]


def _violations(
    root: etree._Element, schema: etree.XMLSchema, lock: object, *, in_place: bool, small: bool = False
) -> list[SchemaViolation]:
    """libxml2's errors on the tree under `root`, about its elements (or, cut in a copy, the copy's)."""
    long_parents = [] if small else [parent for parent in _PARENTS_OF_LONG_RUNS(root) if _may_split(parent)]
    found: list[_Found] = []
    if not long_parents:
        found = _errors(root.getroottree(), root, schema, lock)
        return _located(found, Locator(root))
    if not in_place:
        copied = copy.deepcopy(root)
        long_parents = [_same_place(parent, copied) for parent in long_parents]
        root = copied
    cuts: list[_Cut] = []
    try:
        for parent in long_parents:  # outer parents first: an inner one may then be in a carrier
            cuts.append(_Cut(parent))
        cut_parents = {cut.parent for cut in cuts}
        # Every error of every unit validated, stand-ins' too: they tell which parents libxml2 read.
        errors = _errors(root.getroottree(), root, schema, lock)
        read: dict[etree._Element, _Reading] = {root: _Reading.of(root, errors)}
        for error, element, attribute in errors:
            if not (_misses_children(error) and element in cut_parents):
                found.append((error, element, attribute))
            # else: "missing child elements" of a parent cut short: its last carrier says what it misses
        for cut in cuts:  # outer parents first: the unit an inner one is in has been validated
            unit = _unit_root(cut.parent)
            if unit not in read or not read[unit].read_children_of(cut.parent):
                continue  # libxml2 never reads these children in the whole tree: neither may we
            for carrier in cut.carriers:
                errors = _errors(carrier.element, carrier.element, schema, lock)
                read[carrier.element] = _Reading.of(carrier.element, errors)
                for error, element, attribute in errors:
                    if _misses_children(error) and element in cut_parents:
                        continue
                    kept = carrier.reported(element, error)
                    if kept is not None:
                        found.append((error, kept, attribute))
    finally:
        for cut in reversed(cuts):
            cut.put_back()
    # Located once the tree is whole again: the findings read an element's neighbours.
    return _located(found, Locator(root))


# libxml2's type of "element content is not allowed, because the content type is a simple type".
_SIMPLE_CONTENT_ERROR = "SCHEMAV_CVC_COMPLEX_TYPE_2_2"


def _unit_root(element: etree._Element) -> etree._Element:
    """The root of the tree `element` stands in now: the cut tree or a carrier."""
    while (parent := element.getparent()) is not None:
        element = parent
    return element


@dataclass(frozen=True)
class _Reading:
    """Where libxml2 stopped reading children while validating one unit, found once from its errors.

    libxml2 reads no further children of an element once one is out of place
    (that one included, with what it holds), and no element children of an
    element whose type is simple.
    """

    unit: etree._Element
    first_out_of_place: dict[etree._Element, int]  # parent -> position of its first child out of place
    simple: frozenset[etree._Element]

    @classmethod
    def of(cls, unit: etree._Element, errors: list[_Found]) -> _Reading:
        first: dict[etree._Element, int] = {}
        for error, element, _ in errors:
            above = element.getparent()
            if _out_of_place(error) and above is not None:
                position = above.index(element)
                first[above] = min(position, first.get(above, position))
        simple = frozenset(element for error, element, _ in errors if error.type_name == _SIMPLE_CONTENT_ERROR)
        return cls(unit, first, simple)

    def read_children_of(self, parent: etree._Element) -> bool:
        """Whether libxml2 read the children of `parent`, an element of this unit."""
        if parent in self.simple:
            return False
        step = parent
        while step is not self.unit and (above := step.getparent()) is not None:
            if above in self.simple:
                return False
            stopped_at = self.first_out_of_place.get(above)
            if stopped_at is not None and stopped_at <= above.index(step):
                return False
            step = above
        return True


def _out_of_place(error: etree._LogEntry) -> bool:
    """An element not expected where it stands (the same type as a parent's "missing child elements")."""
    return error.type_name == _CONTENT_ERROR and not _misses_children(error)


def _misses_children(error: etree._LogEntry) -> bool:
    """A parent's "missing child elements", said once it has read all its children."""
    return error.type_name == _CONTENT_ERROR and "Missing child element" in error.message


def _errors(
    target: etree._Element | etree._ElementTree, unit: etree._Element, schema: etree.XMLSchema, lock: object
) -> list[_Found]:
    with lock:  # type: ignore[attr-defined]
        schema.validate(target)
        errors = list(schema.error_log)
    if not errors:
        return []
    paths = NodePaths(unit)
    found: list[_Found] = []
    for error in errors:
        at = paths.find(error.path)
        element, attribute = at if at is not None else (unit, None)
        found.append((error, element, attribute))
    return found


def _located(found: list[_Found], locator: Locator) -> list[SchemaViolation]:
    return [
        SchemaViolation(
            type_name=error.type_name,
            message=error.message,
            element=element,
            attribute=attribute,
            location=locator.location_of(element) + (f"/@{attribute}" if attribute else ""),
            column=error.column or None,
        )
        for error, element, attribute in found
    ]


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


class _Carrier:
    """Children cut from a long parent, after stand-ins that bring libxml2 to them as the parent does.

    libxml2 reads a parent's children with its content model and stops at the
    first one out of place, skipping the rest. So a carrier, a stand-in of
    the parent, holds before the cut children an empty element of each name
    the parent's earlier children have, in their order, at most two of each
    group of one name (UBL allows a child once or without limit: a second
    one does what any further one does). libxml2 then reaches the cut
    children in the state it reaches them in the whole document, or stops
    before them as it stops there. The stand-ins' errors are not reported:
    the part of the parent that kept those children reports theirs. Every
    UBL element is declared globally, so the carrier is validated as the
    parent is.
    """

    def __init__(self, parent: etree._Element, names: list[str], last: bool) -> None:
        attributes = {name: value for name in _XSI_ATTRIBUTES if (value := parent.get(name)) is not None}
        self.element = etree.Element(parent.tag, attributes, nsmap=parent.nsmap)
        self._stand_ins = {etree.SubElement(self.element, name) for name in names}
        self.parent = parent
        # The last carrier ends where the parent ends: what libxml2 then misses, the parent misses.
        self.last = last

    def reported(self, element: etree._Element, error: etree._LogEntry) -> etree._Element | None:
        """The element an error in this carrier is reported on; None for the stand-ins' own errors."""
        if element is self.element:
            return self.parent if self.last and _misses_children(error) else None
        top = element
        while (above := top.getparent()) is not None and above is not self.element:
            top = above
        return None if top in self._stand_ins else element


class _Cut:
    """A parent whose children past RUN_LIMIT wait in carriers of RUN_LIMIT each, until put back."""

    def __init__(self, parent: etree._Element) -> None:
        self.parent = parent
        self.carriers: list[_Carrier] = []
        self._away: list[etree._Element] = []
        children = list(parent)  # comments and processing instructions too, to put back in order
        names: list[str] = []
        for start in range(0, len(children), RUN_LIMIT):
            chunk = children[start : start + RUN_LIMIT]
            if start:
                if len(names) > 2 * _MAX_GROUPS:
                    # Not a valid start of a UBL parent: libxml2 stopped before these; the kept part says why.
                    self._away.extend(children[start:])
                    for child in children[start:]:
                        parent.remove(child)
                    return
                carrier = _Carrier(parent, names, last=start + RUN_LIMIT >= len(children))
                carrier.element.extend(chunk)  # moved out of the parent
                self._away.extend(chunk)
                self.carriers.append(carrier)
            for child in chunk:
                tag = child.tag
                if isinstance(tag, str) and (len(names) < 2 or not names[-1] == names[-2] == tag):
                    names.append(tag)

    def put_back(self) -> None:
        self.parent.extend(self._away)
        self._away = []


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
