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

    `tags` are Clark names. A text is replaced only where the serialisation
    shows it as that element's whole content; anything unexpected leaves it
    as it is, which costs time, never a verdict.
    """
    wanted = tuple(tag for tag in tags if _local_name(tag) in text)
    if not wanted:
        return text
    pieces: list[str] = []
    position = 0
    for element in root.iter(*wanted):
        content = element.text
        if content is None or len(content) < MIN_LENGTH or len(element) or not content.strip():
            continue
        escaped = _escaped(content)
        name = f"{element.prefix}:{_local_name(element.tag)}" if element.prefix else _local_name(element.tag)
        found = _content_at(text, escaped, position, name)
        if found is None:
            continue
        pieces.append(text[position:found])
        pieces.append(STAND_IN)
        position = found + len(escaped)
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _escaped(content: str) -> str:
    """The text as lxml serialises it inside an element (base64 has none of these: looked for, not replaced)."""
    for character, escape in _ESCAPES:
        if character in content:
            content = content.replace(character, escape)
    return content


_HEAD = 64


def _content_at(text: str, escaped: str, start: int, name: str) -> int | None:
    """Where `escaped` is the whole content of an element written `name` (prefix:local), at or after `start`."""
    head = escaped[:_HEAD]  # found by its start, then compared whole: cheaper than searching for all of it
    while True:
        at = text.find(head, start)
        if at == -1:
            return None
        end = at + len(escaped)
        if text.startswith(escaped, at) and text.startswith("</", end) and at > 0 and text[at - 1] == ">":
            tag_start = text.rfind("<", 0, at)
            written = text[tag_start + 1 : at - 1].split(None, 1)[0] if tag_start != -1 else ""
            if written == name and text.startswith(f"</{name}>", end):
                return at
        start = at + 1
