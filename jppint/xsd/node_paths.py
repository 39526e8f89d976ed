"""libxml2's node paths (`/*/cac:InvoiceLine[3]/cbc:ID`) back to the elements they name.

libxml2 writes a step as `prefix:name[n]`, counting siblings with the same
prefix and name, or as `*[n]` for an element in a default namespace,
counting all element siblings; `[n]` is left out when the element is the
only one of its kind. The children of a parent are grouped once, so many
paths through a large parent cost linear time.
"""

from __future__ import annotations

import re

from lxml import etree

_STEP = re.compile(r"(?P<name>\*|[^/\[\]@]+)(?:\[(?P<index>\d+)\])?$")


class NodePaths:
    """Elements of one validated tree, found by the paths libxml2 reported."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._groups: dict[etree._Element, dict[tuple[str | None, str | None], list[etree._Element]]] = {}

    def _children(self, parent: etree._Element) -> dict[tuple[str | None, str | None], list[etree._Element]]:
        grouped = self._groups.get(parent)
        if grouped is None:
            grouped = {}
            every = grouped.setdefault(("*", None), [])
            for child in parent.iterchildren(etree.Element):
                every.append(child)
                tag = child.tag  # "{namespace}local" or "local": read as text, cheaper than a QName per child
                if tag[0] != "{":
                    grouped.setdefault((None, tag), []).append(child)
                elif (prefix := child.prefix) is not None:
                    grouped.setdefault((prefix, tag[tag.index("}") + 1 :]), []).append(child)
            self._groups[parent] = grouped
        return grouped

    def find(self, path: str | None) -> tuple[etree._Element, str | None] | None:
        """The element a path names and the attribute of its last step, or None when it names nothing here."""
        if not path or not path.startswith("/"):
            return None
        steps = path[1:].split("/")
        attribute = None
        if steps and steps[-1].startswith("@"):
            attribute = steps.pop()[1:]
        if not steps or _STEP.match(steps[0]) is None:
            return None
        current = self.root
        for step in steps[1:]:
            match = _STEP.match(step)
            if match is None:
                return None
            name = match.group("name")
            if name == "*":
                key: tuple[str | None, str | None] = ("*", None)
            elif ":" in name:
                prefix, _, local = name.partition(":")
                key = (prefix, local)
            else:
                key = (None, name)
            siblings = self._children(current).get(key, [])
            index = int(match.group("index") or 1)
            if not 1 <= index <= len(siblings):
                return None
            current = siblings[index - 1]
        return current, attribute
