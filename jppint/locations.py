"""Canonical XPath locations, and the way back from a location to a source line.

Saxon computes the canonical path of a rule context (see
`schematron.xslt`); Saxon never sees the original bytes, so the line number
comes from walking the same path in the lxml tree, which kept the lines of
the input as it was written.
"""

from __future__ import annotations

import re

from lxml import etree

from jppint.namespaces import LOCATION_PREFIXES

_STEP = re.compile(r"/(?:Q\{(?P<uri>[^}]*)\}|(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<local>[\w.-]+)\[(?P<index>\d+)\]")
_URI_OF_PREFIX = {prefix: uri for uri, prefix in LOCATION_PREFIXES.items()}


def element_at(root: etree._Element, location: str) -> etree._Element | None:
    """The element a canonical location names, or None when it names no element.

    Attribute and text steps at the end resolve to their parent element,
    which is where a reader looks for them.
    """
    position = 0
    current: etree._Element | None = None
    for match in _STEP.finditer(location):
        if match.start() != position:
            break
        position = match.end()
        uri = match.group("uri")
        prefix = match.group("prefix")
        if uri is None:
            uri = _URI_OF_PREFIX.get(prefix) if prefix else None
            if prefix and uri is None:
                return None
        tag = f"{{{uri}}}{match.group('local')}" if uri else match.group("local")
        wanted = int(match.group("index"))
        if current is None:
            if root.tag != tag or wanted != 1:
                return None
            current = root
            continue
        seen = 0
        found = None
        for child in current.iterchildren(tag):
            seen += 1
            if seen == wanted:
                found = child
                break
        if found is None:
            return None
        current = found
    return current


def line_of(root: etree._Element, location: str) -> int | None:
    """The source line of the element at `location`, when lxml knows it."""
    element = element_at(root, location)
    return element.sourceline if element is not None else None


def location_of(element: etree._Element) -> str:
    """The canonical location of an lxml element, as the rules write it (the inverse of `element_at`)."""
    steps: list[str] = []
    current: etree._Element | None = element
    while current is not None:
        qname = etree.QName(current)
        prefix = LOCATION_PREFIXES.get(qname.namespace or "")
        if prefix:
            name = f"{prefix}:{qname.localname}"
        elif qname.namespace:
            name = f"Q{{{qname.namespace}}}{qname.localname}"
        else:
            name = qname.localname
        index = 1 + sum(1 for _ in current.itersiblings(current.tag, preceding=True))
        steps.append(f"/{name}[{index}]")
        current = current.getparent()
    return "".join(reversed(steps))


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
