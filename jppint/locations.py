"""Canonical XPath locations, and the way back from a location to a source line.

Saxon computes the canonical path of a rule context (see
`schematron.xslt`); Saxon never sees the original bytes, so the line number
comes from walking the same path in the lxml tree, which kept the lines of
the input as it was written.
"""

from __future__ import annotations

import re

from lxml import etree

from jppint.namespaces import LOCATION_PREFIXES, URI_OF_PREFIX

_STEP = re.compile(r"/(?:Q\{(?P<uri>[^}]*)\}|(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<local>[\w.-]+)\[(?P<index>\d+)\]")


def element_at(root: etree._Element, location: str) -> etree._Element | None:
    """The element a canonical location names, or None when it names no element.

    Attribute and text steps at the end resolve to their parent element,
    which is where a reader looks for them.
    """
    return Locator(root).element_at(location)


def line_of(root: etree._Element, location: str) -> int | None:
    """The source line of the element at `location`, when lxml knows it."""
    return Locator(root).line_of(location)


class Locator:
    """Canonical locations to elements and back, for one document, in linear time.

    A flooded report (an element repeated 100,000 times, each one a finding)
    asks for as many locations; walking siblings for each would be quadratic.
    The children of each parent are grouped by name once, on first use.
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._by_tag: dict[etree._Element, dict[str, list[etree._Element]]] = {}
        self._elements: dict[str, etree._Element | None] = {}
        self._locations: dict[etree._Element, str] = {}
        self._positions: dict[etree._Element, int] = {}

    def _children(self, parent: etree._Element) -> dict[str, list[etree._Element]]:
        grouped = self._by_tag.get(parent)
        if grouped is None:
            grouped = {}
            for child in parent.iterchildren(etree.Element):
                siblings = grouped.setdefault(child.tag, [])
                siblings.append(child)
                self._positions[child] = len(siblings)
            self._by_tag[parent] = grouped
        return grouped

    def element_at(self, location: str) -> etree._Element | None:
        """As the module's `element_at`, remembered per location."""
        if location not in self._elements:
            self._elements[location] = self._find(location)
        return self._elements[location]

    def _find(self, location: str) -> etree._Element | None:
        position = 0
        current: etree._Element | None = None
        for match in _STEP.finditer(location):
            if match.start() != position:
                break
            position = match.end()
            tag = _tag_of(match)
            if tag is None:
                return None
            wanted = int(match.group("index"))
            if current is None:
                if self.root.tag != tag or wanted != 1:
                    return None
                current = self.root
                continue
            siblings = self._children(current).get(tag, [])
            if not 1 <= wanted <= len(siblings):
                return None
            current = siblings[wanted - 1]
        return current

    def line_of(self, location: str) -> int | None:
        element = self.element_at(location)
        return element.sourceline if element is not None else None

    def location_of(self, element: etree._Element) -> str:
        """The canonical location of an element, as the rules write it.

        Schema findings ask for one per error, so positions among same-named
        siblings are numbered once per parent, not searched for each time.
        """
        known = self._locations.get(element)
        if known is None:
            parent = element.getparent()
            if parent is None:
                known = f"/{step_name(element)}[1]"
            else:
                self._children(parent)
                known = f"{self.location_of(parent)}/{step_name(element)}[{self._positions[element]}]"
            self._locations[element] = known
        return known


def _tag_of(match: re.Match[str]) -> str | None:
    uri = match.group("uri")
    prefix = match.group("prefix")
    if uri is None:
        uri = URI_OF_PREFIX.get(prefix) if prefix else None
        if prefix and uri is None:
            return None
    return f"{{{uri}}}{match.group('local')}" if uri else match.group("local")


def step_name(element: etree._Element) -> str:
    """An element as a location step writes it: `cbc:ID`, or `Q{uri}local` outside the UBL namespaces."""
    qname = etree.QName(element)
    prefix = LOCATION_PREFIXES.get(qname.namespace or "")
    if prefix:
        return f"{prefix}:{qname.localname}"
    if qname.namespace:
        return f"Q{{{qname.namespace}}}{qname.localname}"
    return str(qname.localname)


class ValueIndex:
    """Where a value occurs in a document: the leaf elements and attributes holding it.

    A dynamic error names the value that broke a rule ("abc" cannot be
    converted to xs:decimal) but not where it is; this finds its holders,
    those inside the rule's context first. Built on first use, once per
    document, so many errors cost one walk.
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._holders: dict[str, list[tuple[etree._Element, str | None]]] | None = None

    def holders(self, value: str, near: etree._Element | None) -> list[tuple[etree._Element, str | None]]:
        """(element, attribute name or None) pairs holding `value` (compared without outer spaces)."""
        if self._holders is None:
            self._holders = {}
            for element in self.root.iter(etree.Element):
                if len(element) == 0:
                    self._holders.setdefault((element.text or "").strip(), []).append((element, None))
                for attribute, text in element.attrib.items():
                    self._holders.setdefault(text.strip(), []).append((element, attribute))
        found = self._holders.get(value.strip(), [])
        if near is None:
            return found
        inside = [pair for pair in found if pair[0] is near or near in pair[0].iterancestors()]
        taken = {id(pair) for pair in inside}
        return inside + [pair for pair in found if id(pair) not in taken]
