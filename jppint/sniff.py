"""A look at the raw bytes before the XML parser sees them.

The parser is configured safely, but some inputs deserve a plainer answer
than its error text: a PDF is "a PDF file", not "Start tag expected"; a
DOCTYPE is refused before any entity in it can be expanded; an encoding
declaration that contradicts the bytes is named as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (first bytes, codec): byte order marks, then the UTF-16/32 forms of "<" that
# the XML specification (appendix F) allows without one.
_WIDE_STARTS: tuple[tuple[bytes, str, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
)
_UTF8_BOM = b"\xef\xbb\xbf"

# Files people send by mistake, by their first bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or an .xlsx/.docx file)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office 97-2003 file"),
)

_PROLOG = r"(?:\s+|<\?.*?\?>|<!--.*?-->)*"
_PROLOG_TEXT = re.compile(_PROLOG, re.DOTALL)
_PROLOG_BYTES = re.compile(_PROLOG.encode("ascii"), re.DOTALL)
_DECLARED_ENCODING = re.compile(rb"""\A<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_WIDE_NAMES = re.compile(r"^(?:utf-?(?:16|32)|ucs-?[24]|iso-10646-ucs-[24])", re.IGNORECASE)


@dataclass(frozen=True)
class Position:
    line: int
    column: int


def wide_codec(data: bytes) -> tuple[str | None, int]:
    """The UTF-16/32 codec the bytes are in (and the length of their BOM), or None for ASCII-based encodings."""
    for start, codec, bom in _WIDE_STARTS:
        if data.startswith(start):
            return codec, bom
    return None, 0


def binary_kind(data: bytes) -> str | None:
    """What the input looks like when it is clearly not text, else None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if wide_codec(data)[0] is None and b"\x00" in data[:1024]:
        return "binary data (it contains NUL bytes)"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration of ASCII-based bytes."""
    match = _DECLARED_ENCODING.match(data.removeprefix(_UTF8_BOM))
    return match.group(1).decode("ascii") if match else None


def lying_wide_declaration(data: bytes) -> str | None:
    """A UTF-16/32 encoding declared on bytes that are not UTF-16/32 (the parser's own message is cryptic)."""
    if wide_codec(data)[0] is not None:
        return None
    declared = declared_encoding(data)
    return declared if declared and _WIDE_NAMES.match(declared) else None


def doctype_position(data: bytes) -> Position | None:
    """Where a document type declaration starts in the prolog, or None.

    Only whitespace, processing instructions and comments may precede it, so
    the scan stops at the first other markup: the root element.
    """
    codec, bom = wide_codec(data)
    if codec is None:
        body = data.removeprefix(_UTF8_BOM)
        end = _PROLOG_BYTES.match(body).end()  # type: ignore[union-attr]  # the pattern matches the empty string
        if body[end : end + 9].upper() != b"<!DOCTYPE":
            return None
        return _position(body[:end].decode("utf-8", "replace"))
    text = data[bom:].decode(codec, "replace")
    end = _PROLOG_TEXT.match(text).end()  # type: ignore[union-attr]
    if text[end : end + 9].upper() != "<!DOCTYPE":
        return None
    return _position(text[:end])


def _position(before: str) -> Position:
    line = before.count("\n") + 1
    return Position(line, len(before) - (before.rfind("\n") + 1) + 1)
