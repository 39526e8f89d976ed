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
