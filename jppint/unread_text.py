"""Long texts that no built-in rule reads, left out of the document Saxon parses.

An attached file (cbc:EmbeddedDocumentBinaryObject, a PDF as base64) is
most of a real invoice's bytes, and Saxon reads text about 20 times slower
than lxml: a 1 MB attachment cost 17 ms of Saxon's parse, where the rest of
the invoice cost 0.4 ms. The built-in rules read such an element's
attributes and whether it is empty, never its text. So, for the built-in
rules only, the text Saxon parses has a short stand-in in place of each
long content; a user's Schematron may read anything, and gets every text.

Which elements a release's rules leave unread is data (`text-not-read` in
rules/versions.toml), checked by tests that give the rules attachments of
every kind with and without the stand-in.
"""

from __future__ import annotations

from lxml import etree

# Shorter texts cost Saxon less than finding them.
MIN_LENGTH = 1024
# Not empty and not whitespace (the rules tell empty elements apart), valid base64, no digits.
STAND_IN = "AAAA"


def without_unread_text(text: str, root: etree._Element, tags: tuple[str, ...]) -> str:
    """`text`, the serialisation of `root`, with the long text of each leaf element named in `tags` stood in for.

    `tags` are Clark names. For each local name, the start tags of every
    element with that local name (in any namespace, so that a foreign one
    written alike takes its own place) are found in `text` in document
    order, each search going on from the last: the cost is linear in the
    text however the document is made. A text is replaced only where the
    serialisation shows it, right after the element's start tag and before
    its end tag, equal to the element's text; anything unexpected (a comment
    that looks like a tag, a CDATA section) leaves it as it is, which costs
    time, never a verdict.
    """
    wanted = frozenset(tag for tag in tags if _local_name(tag) in text)
    if not wanted:
        return text
    replaced: list[tuple[int, int]] = []
    for local_name in sorted({_local_name(tag) for tag in wanted}):
        replaced.extend(_long_texts(text, root, local_name, wanted))
    if not replaced:
        return text
    pieces: list[str] = []
    copied_to = 0  # text before this is in `pieces`
    for start, end in sorted(replaced):
        pieces.append(text[copied_to:start])
        pieces.append(STAND_IN)
        copied_to = end
    pieces.append(text[copied_to:])
    return "".join(pieces)


def _long_texts(text: str, root: etree._Element, local_name: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """Where the long texts of the `wanted` elements named `local_name` are in `text`: (start, end) pairs."""
    found: list[tuple[int, int]] = []
    search_from = 0
    for element in root.iter(f"{{*}}{local_name}"):
        name = f"{element.prefix}:{local_name}" if element.prefix else local_name
        content_start = _after_start_tag(text, name, search_from)
        if content_start is None:
            break  # no further start tag of that name: none of the later elements can be found either
        search_from = content_start
        content = element.text
        if element.tag not in wanted or content is None or len(content) < MIN_LENGTH:
            continue  # its tag is passed all the same, keeping the order (an empty <name/> too)
        if len(element) or not content.strip():
            continue
        escaped = _escaped(content)
        end = content_start + len(escaped)
        if text.startswith(escaped, content_start) and text.startswith(f"</{name}>", end):
            found.append((content_start, end))
            search_from = end
    return found


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _after_start_tag(text: str, name: str, start: int) -> int | None:
    """Where the next start tag written `name` ends, at or after `start` (an empty `<name/>` counts)."""
    opening = f"<{name}"
    at = text.find(opening, start)
    while at != -1:
        if text[at + len(opening) : at + len(opening) + 1] in (" ", "\t", "\n", "\r", ">", "/"):
            close = text.find(">", at)  # serialised attribute values hold no ">"
            return None if close == -1 else close + 1
        at = text.find(opening, at + 1)  # a longer name that starts alike
    return None


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _escaped(content: str) -> str:
    """The text as lxml serialises it inside an element (base64 has none of these: looked for, not replaced)."""
    for character, escape in _ESCAPES:
        if character in content:
            content = content.replace(character, escape)
    return content
