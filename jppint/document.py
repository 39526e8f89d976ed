"""Safe reading of an invoice into a tree we can validate.

Every input, whatever its form, goes through one lxml parser configured to
refuse DTDs, never expand entities and never touch the network; only a
document that passed here is ever shown to Saxon. Before the parser, the raw
bytes are looked at (`sniff`) so that a DOCTYPE is refused before any entity
in it exists, and so that a PDF or a lying encoding declaration gets a plain
answer. Size is checked before reading, depth after parsing.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, TypeAlias

from lxml import etree

from jppint import sniff
from jppint.errors import DocumentError, DocumentTooLargeError, NotUBLDocumentError, UnsafeDocumentError
from jppint.namespaces import CBC, UBL_ROOTS

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Saxon's XML parser stops at 100 levels (jdk.xml.maxElementDepth); a UBL invoice needs about 10.
DEFAULT_MAX_DEPTH = 100
# Memory and time follow the number of elements more than the bytes: 50 MB of
# a real invoice is about 1.1 million elements, 50 MB of "<x/>" 13 million.
DEFAULT_MAX_ELEMENTS = 1_500_000
# libxml2 refuses deeper documents unless its "huge" mode, which lifts its other limits too, is on.
PARSER_MAX_DEPTH = 256

Source: TypeAlias = str | bytes | os.PathLike[str] | IO[bytes] | etree._ElementTree | etree._Element

XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
_UBL_1 = re.compile(r"^urn:oasis:names:tc:ubl:schema:xsd:(\w+)-1\.0$")
_UBL_2 = re.compile(r"^urn:oasis:names:specification:ubl:schema:xsd:(\w+)-2$")
_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_SHOWN_NAME_LIMIT = 200


@dataclass(frozen=True)
class _Limits:
    """How far an input may go, and how much of it the tree keeps."""

    bytes: int
    depth: int
    elements: int
    # A user's Schematron may look at any node (whitespace, comments, processing instructions):
    # then the tree keeps them; the built-in rules read elements and their text only.
    all_nodes: bool = False


@dataclass(frozen=True)
class Document:
    """A parsed document with the header facts used to pick and report rules.

    `document_type` is "Invoice" or "CreditNote" for a UBL 2.1 invoice (the
    only documents the built-in rules and the schema layer read), otherwise
    the root element's local name ("CrossIndustryInvoice", "Order"), which a
    user's Schematron may validate.
    """

    tree: etree._ElementTree
    document_type: str
    name: str | None
    document_id: str | None
    customization_id: str | None
    profile_id: str | None
    # The file it was read from, as a URI: what a user's rules resolve a document's relative URIs against.
    uri: str | None = None
    # How many elements the tree has, counted when it was read: the schema layer looks for long
    # runs of siblings only in a tree large enough to have one.
    element_count: int | None = None

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def is_ubl_invoice(self) -> bool:
        """Whether the root is a UBL 2.1 Invoice or CreditNote: what JP PINT and the UBL schema layer read."""
        qname = etree.QName(self.root)
        return (qname.namespace, qname.localname) in UBL_ROOTS


def _parser(all_nodes: bool) -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe.
    if all_nodes:
        return etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
        )
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        # Whitespace between elements and comments carry nothing a rule can
        # see, and dropping them halves the time Saxon spends reading the
        # document. Whitespace inside a leaf element is kept.
        remove_blank_text=True,
        remove_comments=True,
        remove_pis=True,
    )


def _looks_like_xml_text(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def _too_large(size: int, max_bytes: int, name: str | None) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"document is {size} bytes, larger than the limit of {max_bytes} bytes (max_bytes)", source=name
    )


def _read_limited(stream: IO[bytes], max_bytes: int, name: str | None) -> bytes:
    """At most `max_bytes` + 1 bytes: one more than allowed is enough to refuse."""
    if isinstance(stream, io.TextIOBase) and hasattr(stream, "buffer"):
        stream = stream.buffer  # sys.stdin: read the bytes, so the declared encoding applies
    if getattr(stream, "closed", False):
        raise DocumentError("the input stream is closed", source=name)
    try:
        data = stream.read(max_bytes + 1)
    except io.UnsupportedOperation:
        raise DocumentError("the input stream is not readable", source=name) from None
    except (OSError, ValueError) as error:
        raise DocumentError(f"cannot read: {_os_reason(error)}", source=name) from None
    if isinstance(data, str):
        if not _looks_like_xml_text(data):
            raise DocumentError("not XML: the text does not start with '<'", source=name)
        data = _drop_declaration(data.lstrip("\ufeff").encode("utf-8"))
    if not isinstance(data, bytes):
        raise DocumentError(f"the stream returned {type(data).__name__}, not bytes", source=name)
    if len(data) > max_bytes:
        raise DocumentTooLargeError(f"document is larger than the limit of {max_bytes} bytes (max_bytes)", source=name)
    return data


def _os_reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _read_path(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        if path.is_dir():
            raise DocumentError("is a directory, not a file", source=name)
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes, name)
        with path.open("rb") as stream:
            return _read_limited(stream, max_bytes, name)
    except FileNotFoundError:
        raise DocumentError("no such file", source=name) from None
    except PermissionError:
        raise DocumentError("permission denied", source=name) from None
    except IsADirectoryError:
        raise DocumentError("is a directory, not a file", source=name) from None
    except OSError as error:
        raise DocumentError(f"cannot read: {_os_reason(error)}", source=name) from None
    except ValueError as error:  # a NUL character in the path
        raise DocumentError(f"not a usable file name: {error}", source=name) from None


@lru_cache(maxsize=8)
def _deeper_than(max_depth: int) -> etree.XPath:
    """Compiled once per limit: compiling it cost as much as evaluating it on an invoice."""
    # One XPath step per level, evaluated in C: linear in the document, unlike a Python walk.
    return etree.XPath("boolean(/*" + "/*" * max_depth + ")")


# lxml serialises evaluations of one compiled XPath with a lock of its own: safe from any thread.
_COUNT_ELEMENTS = etree.XPath("count(//*)")


def nested_deeper_than(root: etree._Element, max_depth: int) -> bool:
    """Whether the tree under `root` has more than `max_depth` levels of elements."""
    return bool(_deeper_than(max_depth)(root))


def _refuse_before_parsing(data: bytes, name: str | None) -> None:
    if not data.strip():
        raise DocumentError("empty document", source=name)
    kind = sniff.binary_kind(data)
    if kind is not None:
        raise DocumentError(f"not XML: the input looks like {kind}", source=name)
    doctype = sniff.doctype_position(data)
    if doctype is not None:
        raise UnsafeDocumentError(
            "document type declarations (DOCTYPE, DTD) are not allowed in invoices: "
            "they can define entities and fetch external files, so jppint refuses them",
            source=name,
            line=doctype.line,
            column=doctype.column,
        )
    lying = sniff.lying_wide_declaration(data)
    if lying is not None:
        raise DocumentError(
            f"the XML declaration says encoding '{lying}', but the bytes are not {lying} "
            "(they read as UTF-8 or another ASCII-based encoding): fix the declaration",
            source=name,
            line=1,
        )


_POSITION_SUFFIX = re.compile(r",\s*line \d+,\s*column \d+\s*$")


def _syntax_error(error: etree.XMLSyntaxError, data: bytes, name: str | None) -> DocumentError:
    """The parser's complaint, with what it means for an invoice when we can tell."""
    line, column = error.position if error.position else (None, None)
    message = _POSITION_SUFFIX.sub("", " ".join((error.msg or str(error)).split()))
    if "Excessive depth" in message:
        return DocumentTooLargeError(
            f"document is nested more than {PARSER_MAX_DEPTH} elements deep (the XML parser's limit)",
            source=name,
            line=line,
            column=column,
        )
    if "huge" in message.lower():
        return DocumentTooLargeError(
            f"a text or name exceeds the XML parser's size limit ({message})", source=name, line=line, column=column
        )
    if "amplification" in message or "entity reference loop" in message.lower():
        return UnsafeDocumentError(f"entity expansion refused ({message})", source=name, line=line, column=column)
    return DocumentError(_explain(message, data, line, column), source=name, line=line, column=column)


def _at_the_end(data: bytes, line: int | None, column: int | None) -> bool:
    """True when the parser stopped at the last character: the input was cut short."""
    if line is None or column is None or sniff.wide_codec(data)[0] is not None:
        return False
    last_line = data.rstrip().rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
    return line >= data.rstrip().count(b"\n") + 1 and column >= len(last_line)


def _explain(message: str, data: bytes, line: int | None, column: int | None) -> str:
    if "Unsupported encoding" in message:
        return f"the declared encoding is not supported ({message})"
    if "Invalid bytes in character encoding" in message or "not proper UTF-8" in message:
        declared = sniff.declared_encoding(data)
        said = f"the declared encoding {declared}" if declared else "UTF-8 (no encoding is declared)"
        return (
            f"bytes that are not valid in {said}: the document is written in another encoding "
            f"or its encoding declaration is wrong ({message})"
        )
    if "Document is empty" in message or "Start tag expected" in message:
        return f"not XML: no root element where the document should start ({message})"
    if "not defined" in message and "Entity" in message:
        return f"not well-formed XML: {message} (only the five predefined entities are allowed)"
    if "Premature end of data" in message or _at_the_end(data, line, column):
        return f"not well-formed XML: the document ends unexpectedly, is it truncated? ({message})"
    return f"not well-formed XML: {message}"


def _parse_bytes(data: bytes, name: str | None, limits: _Limits) -> tuple[etree._ElementTree, int]:
    """The checked tree and its number of elements."""
    _refuse_before_parsing(data, name)
    try:
        root = etree.fromstring(data, _parser(limits.all_nodes))
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, data, name) from None
    except ValueError as error:
        raise DocumentError(f"cannot parse: {error}", source=name) from None
    if root is None:
        raise DocumentError("not XML: no root element", source=name)
    tree = root.getroottree()
    elements = _refuse_unsafe(tree, name, limits)
    start = _root_start_line(data)
    if start is not None and root.sourceline is not None and start <= root.sourceline:
        root.sourceline = start
    return tree, elements


_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def _root_start_line(data: bytes) -> int | None:
    """The line on which the root's start tag begins.

    libxml2 numbers an element by the line where its start tag ends; for the
    root, whose tag usually spans a line per namespace declaration, findings
    about the whole document would point below the tag. Only the prolog is
    scanned, in ASCII-compatible encodings (for UTF-16 and UTF-32 we keep
    the parser's line).
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return None
    prolog = _PROLOG.match(data)
    if prolog is None or data[prolog.end() : prolog.end() + 1] != b"<":
        return None
    return data.count(b"\n", 0, prolog.end()) + 1


def _refuse_unsafe(tree: etree._ElementTree, name: str | None, limits: _Limits) -> int:
    """What the parser let through but an invoice must not contain, and the depth limit; the element count."""
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeDocumentError("document type declarations (DOCTYPE, DTD) are not allowed in invoices", source=name)
    root = tree.getroot()
    inclusion = next(root.iter(*(f"{{{namespace}}}*" for namespace in XINCLUDE_NAMESPACES)), None)
    if inclusion is not None:
        raise UnsafeDocumentError(
            f"XInclude ({etree.QName(inclusion).localname}) is not allowed in invoices: "
            "jppint never includes other files",
            source=name,
            line=inclusion.sourceline,
        )
    if nested_deeper_than(root, limits.depth):
        raise DocumentTooLargeError(f"document is nested deeper than {limits.depth} elements (max_depth)", source=name)
    elements = int(_COUNT_ELEMENTS(root))
    if elements > limits.elements:
        raise DocumentTooLargeError(
            f"document has {elements} elements, more than the limit of {limits.elements} (max_elements)", source=name
        )
    return elements


def _tree_of(source: Source | None, limits: _Limits) -> tuple[tuple[etree._ElementTree, int], str | None]:
    max_bytes = limits.bytes
    if source is None:
        raise DocumentError("no input: the source is None (is standard input closed?)")
    if isinstance(source, (etree._ElementTree, etree._Element)):
        tree = source if isinstance(source, etree._ElementTree) else source.getroottree()
        return (tree, _refuse_unsafe(tree, tree.docinfo.URL, limits)), tree.docinfo.URL
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes, None)
        return _parse_bytes(data, None, limits), None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            data = _read_path(path, max_bytes)
        except DocumentError as error:
            if isinstance(source, str) and _looks_like_xml_text(source) and ">" in source:
                raise DocumentError(
                    f"{error.reason}: a str is always a path; to validate XML held in a str, pass text=... "
                    "(or the bytes)",
                    source=_shorten(" ".join(source.split()[:8])),
                ) from None
            raise
        return _parse_bytes(data, str(path), limits), str(path)
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        name = name if isinstance(name, str) else None
        return _parse_bytes(_read_limited(source, max_bytes, name), name, limits), name
    raise DocumentError(f"cannot validate an object of type {type(source).__name__}")


def _text_tree(text: str, limits: _Limits) -> tuple[etree._ElementTree, int]:
    """XML given as text: already decoded, so its declared encoding no longer applies."""
    if not isinstance(text, str):
        raise DocumentError(f"text= takes a str, not {type(text).__name__}: pass bytes as the source")
    # A character never takes fewer bytes than one: refuse before encoding a huge string.
    if len(text) > limits.bytes:
        raise _too_large(len(text), limits.bytes, None)
    data = text.lstrip("\ufeff").encode("utf-8")
    if len(data) > limits.bytes:
        raise _too_large(len(data), limits.bytes, None)
    return _parse_bytes(_drop_declaration(data), None, limits)


def _drop_declaration(data: bytes) -> bytes:
    """A str is already decoded: its declared encoding no longer applies."""
    stripped = data.lstrip()
    if stripped.startswith(b"<?xml"):
        end = stripped.find(b"?>")
        if end != -1:
            return stripped[end + 2 :]
    return data


def _header_text(root: etree._Element, local_name: str) -> str | None:
    element = root.find(f"{{{CBC}}}{local_name}")
    if element is None or element.text is None:
        return None
    return str(element.text).strip()


def read_document(
    source: Source | None = None,
    *,
    text: str | None = None,
    source_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    any_root: bool = False,
) -> Document:
    """Parse `source` safely and check it is a UBL 2.1 Invoice or CreditNote.

    With `any_root`, any well-formed XML document is read, for a user's
    Schematron, and its tree keeps every node as written (whitespace between
    elements, comments, processing instructions), which such rules may test.

    `source` is a path (`str` or `os.PathLike`: a `str` is never taken for
    XML, so a file named `<inv>.xml` is read as a file), XML as `bytes`, a
    binary file object, or an lxml tree; XML held in a `str` is passed as
    `text=`. `source_name` names the document in reports (a path names itself).

    `max_bytes` bounds the input's size (a larger file is refused from its
    size alone, before reading); `max_depth` bounds element nesting (the
    XSLT engine reads no more than 100 levels, lxml no more than 256);
    `max_elements` bounds
    the number of elements, which memory and time follow. Raises `DocumentError`
    (or a subclass) with a one-line reason, and line and column when the
    problem has a place; `UnsafeDocumentError` for DTDs, entities and
    XInclude; `DocumentTooLargeError` for the limits; `NotUBLDocumentError`
    for well-formed XML that is not a UBL 2.1 Invoice or CreditNote.
    """
    limits = _Limits(max_bytes, max_depth, max_elements, all_nodes=any_root)
    if text is not None and source is not None:
        raise ValueError("give either a source or text=, not both")
    try:
        (tree, element_count), name = (_text_tree(text, limits), None) if text is not None else _tree_of(source, limits)
    except DocumentError as error:
        if source_name is None or error.source is not None:
            raise
        raise type(error)(error.reason, source=source_name, line=error.line, column=error.column) from None
    if source_name is not None:
        name = source_name
    root = tree.getroot()
    qname = etree.QName(root)
    invoice_type = UBL_ROOTS.get((qname.namespace, qname.localname))
    if invoice_type is None and not any_root:
        raise NotUBLDocumentError(_not_ubl_reason(qname), source=name, line=root.sourceline)
    document_type: str = invoice_type or qname.localname
    return Document(
        tree=tree,
        document_type=document_type,
        name=name,
        document_id=_header_text(root, "ID"),
        customization_id=_header_text(root, "CustomizationID"),
        profile_id=_header_text(root, "ProfileID"),
        uri=Path(source).resolve().as_uri() if isinstance(source, (str, os.PathLike)) and text is None else None,
        element_count=element_count,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_NAME_LIMIT else text[:_SHOWN_NAME_LIMIT] + "..."


def _not_ubl_reason(qname: etree.QName) -> str:
    namespace = qname.namespace or ""
    shown = _shorten(f"{{{namespace}}}{qname.localname}" if namespace else qname.localname)
    if _UBL_1.match(namespace):
        return f"a UBL 1.0 document ({shown}): jppint reads UBL 2.1 Invoice and CreditNote only"
    ubl_2 = _UBL_2.match(namespace)
    if ubl_2 and ubl_2.group(1) not in ("Invoice", "CreditNote"):
        return f"not a UBL Invoice or CreditNote: the root element is {shown}, a UBL {_shorten(qname.localname)}"
    if namespace == _CII:
        return "a UN/CEFACT Cross Industry Invoice: JP PINT invoices are UBL 2.1 Invoice or CreditNote"
    if qname.localname in ("Invoice", "CreditNote"):
        return (
            f"root element {shown} is not in the UBL 2.1 namespace "
            f"'urn:oasis:names:specification:ubl:schema:xsd:{qname.localname}-2'"
        )
    return f"not a UBL Invoice or CreditNote: the root element is {shown}"


def serialize_for_engine(document: Document) -> str:
    """The text Saxon parses: our already-checked tree, without any declaration."""
    return str(etree.tostring(document.root, encoding="unicode"))
