"""Broken inputs get a specific one-line answer: what is wrong, and where when it has a place.

Every case names the input it builds, the error jppint must raise and the
words its message must contain; syntax errors also give line and column.
Inputs that are merely encoded differently (a BOM, UTF-16, Shift_JIS) are
not broken: they validate exactly like the UTF-8 original.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import jppint
from tests.hostile.documents import INVOICE, summary

ROOT = Path(__file__).resolve().parents[2]
UTF8 = INVOICE.read_bytes()
# The same invoice with Japanese text, so that a wrong decoding would show.
JAPANESE = UTF8.replace(b"Benchmark Trading K.K.", "株式会社 ベンチマーク商事".encode())
JAPANESE_TEXT = JAPANESE.decode("utf-8")
SELLER_LINE = 1 + JAPANESE_TEXT[: JAPANESE_TEXT.index("株式会社")].count("\n")


def _declared(encoding: str) -> str:
    return JAPANESE_TEXT.replace("encoding='UTF-8'", f"encoding='{encoding}'", 1)


@dataclass(frozen=True)
class Broken:
    content: Callable[[], bytes]
    error: type[jppint.DocumentError]
    reason: str
    line: int | None = None
    column: int | None = None


def _line_of(data: bytes, needle: bytes) -> int:
    return 1 + data[: data.index(needle)].count(b"\n")


def _column_after(data: bytes, needle: bytes) -> int:
    end = data.index(needle) + len(needle)
    return end - data.rfind(b"\n", 0, end)


MISMATCHED = UTF8.replace(b"</cbc:IssueDate>", b"</cbc:IssueDat>", 1)

BROKEN: dict[str, Broken] = {
    "empty-file": Broken(lambda: b"", jppint.DocumentError, "empty document"),
    "only-whitespace": Broken(lambda: b" \n\t\n", jppint.DocumentError, "empty document"),
    "binary-junk": Broken(
        lambda: random.Random(5).randbytes(4096), jppint.DocumentError, "not XML: the input looks like binary data"
    ),
    "pdf": Broken(lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", jppint.DocumentError, "looks like a PDF file"),
    "zip": Broken(lambda: b"PK\x03\x04\x14\x00\x06\x00", jppint.DocumentError, "looks like a ZIP archive"),
    "gzip": Broken(lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00", jppint.DocumentError, "gzip-compressed"),
    "png": Broken(lambda: b"\x89PNG\r\n\x1a\n\x00\x00", jppint.DocumentError, "looks like a PNG image"),
    "plain-text": Broken(
        lambda: b"Invoice 156, total 1000 JPY\n", jppint.DocumentError, "not XML: no root element", 1, 1
    ),
    "truncated-in-text": Broken(
        lambda: UTF8[: UTF8.index(b"<cbc:PayableAmount") + 30],
        jppint.DocumentError,
        "not well-formed XML: the document ends unexpectedly, is it truncated?",
        _line_of(UTF8, b"<cbc:PayableAmount"),
    ),
    "truncated-between-elements": Broken(
        lambda: UTF8[: UTF8.index(b"<cac:InvoiceLine>")],
        jppint.DocumentError,
        "the document ends unexpectedly, is it truncated? (Premature end of data in tag Invoice",
    ),
    "mismatched-end-tag": Broken(
        lambda: MISMATCHED,
        jppint.DocumentError,
        "not well-formed XML: Opening and ending tag mismatch: IssueDate",
        _line_of(MISMATCHED, b"</cbc:IssueDat>"),
        _column_after(MISMATCHED, b"</cbc:IssueDat>"),
    ),
    "two-root-elements": Broken(
        lambda: UTF8 + b"<Invoice/>\n",
        jppint.DocumentError,
        "not well-formed XML: Extra content at the end of the document",
        UTF8.count(b"\n") + 1,
        1,
    ),
    "control-character": Broken(
        lambda: UTF8.replace(b"BENCH-3", b"BENCH\x01-3", 1),
        jppint.DocumentError,
        "not well-formed XML: PCDATA invalid Char value 1",
        _line_of(UTF8, b"BENCH-3"),
    ),
    "undeclared-prefix": Broken(
        lambda: UTF8.replace(b"<cbc:IssueDate>", b"<xyz:IssueDate>", 1).replace(
            b"</cbc:IssueDate>", b"</xyz:IssueDate>", 1
        ),
        jppint.DocumentError,
        "Namespace prefix xyz on IssueDate is not defined",
        _line_of(UTF8, b"<cbc:IssueDate>"),
    ),
    "utf8-declared-utf16": Broken(
        lambda: _declared("UTF-16").encode("utf-8"),
        jppint.DocumentError,
        "the XML declaration says encoding 'UTF-16', but the bytes are not UTF-16",
        1,
    ),
    "unknown-encoding": Broken(
        lambda: _declared("KLINGON").encode("utf-8"),
        jppint.DocumentError,
        "the declared encoding is not supported (Unsupported encoding: KLINGON)",
        1,
    ),
    "shift-jis-declared-utf8": Broken(
        lambda: JAPANESE_TEXT.encode("shift_jis"),
        jppint.DocumentError,
        "bytes that are not valid in the declared encoding UTF-8",
        SELLER_LINE,
    ),
    "shift-jis-undeclared": Broken(
        lambda: JAPANESE_TEXT.partition("?>")[2].lstrip().encode("shift_jis"),
        jppint.DocumentError,
        "bytes that are not valid in UTF-8 (no encoding is declared)",
        SELLER_LINE - 1,
    ),
    "latin1-declared-utf8": Broken(
        lambda: UTF8.replace(b"Chiyoda-ku", "Chiyoda-k\xe9".encode("latin-1"), 1),
        jppint.DocumentError,
        "bytes that are not valid in the declared encoding UTF-8",
        _line_of(UTF8, b"Chiyoda-ku"),
    ),
    "not-ubl": Broken(
        lambda: b"<html><body>Invoice</body></html>",
        jppint.NotUBLDocumentError,
        "not a UBL Invoice or CreditNote: the root element is html",
        1,
    ),
    "other-ubl-document": Broken(
        lambda: b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
        jppint.NotUBLDocumentError,
        "not a UBL Invoice or CreditNote: the root element is "
        "{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order, a UBL Order",
        1,
    ),
    "wrong-namespace": Broken(
        lambda: UTF8.replace(b'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"', b'xmlns="urn:x"', 1),
        jppint.NotUBLDocumentError,
        "root element {urn:x}Invoice is not in the UBL 2.1 namespace "
        "'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'",
        3,
    ),
    "no-namespace": Broken(
        lambda: UTF8.replace(b' xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"', b"", 1),
        jppint.NotUBLDocumentError,
        "root element Invoice is not in the UBL 2.1 namespace",
        3,
    ),
    "ubl-2.0-version-suffix-namespace": Broken(
        lambda: UTF8.replace(b":Invoice-2", b":Invoice-2.0", 1),
        jppint.NotUBLDocumentError,
        "root element {urn:oasis:names:specification:ubl:schema:xsd:Invoice-2.0}Invoice is not in the UBL 2.1",
        3,
    ),
    "ubl-1.0": Broken(
        lambda: b'<Invoice xmlns="urn:oasis:names:tc:ubl:schema:xsd:Invoice-1.0"><ID>1</ID></Invoice>',
        jppint.NotUBLDocumentError,
        "a UBL 1.0 document ({urn:oasis:names:tc:ubl:schema:xsd:Invoice-1.0}Invoice): "
        "jppint reads UBL 2.1 Invoice and CreditNote only",
        1,
    ),
    "cross-industry-invoice": Broken(
        lambda: b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>',
        jppint.NotUBLDocumentError,
        "a UN/CEFACT Cross Industry Invoice",
        1,
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_document_gets_a_specific_message(case: str) -> None:
    broken = BROKEN[case]
    with pytest.raises(broken.error) as raised:
        jppint.validate(broken.content())
    error = raised.value
    assert type(error) is broken.error
    assert broken.reason in error.reason
    if broken.line is not None:
        assert error.line == broken.line
    if broken.column is not None:
        assert error.column == broken.column
    place = f":{error.line}" if error.line is not None else ""
    assert str(error).startswith(f"input{place}"), str(error)
    assert "\n" not in str(error)


def test_a_broken_file_is_named_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(UTF8[:200])
    with pytest.raises(jppint.DocumentError) as raised:
        jppint.validate(path)
    assert str(raised.value).startswith(f"{path}:")


# name -> the Japanese invoice in another encoding; each must validate exactly like the UTF-8 one.
ENCODINGS: dict[str, Callable[[], bytes | str]] = {
    "utf-8-with-bom": lambda: b"\xef\xbb\xbf" + JAPANESE,
    "utf-16-with-bom": lambda: _declared("UTF-16").encode("utf-16"),
    "utf-16-le-without-bom": lambda: _declared("UTF-16").encode("utf-16-le"),
    "utf-16-be-without-declaration": lambda: JAPANESE_TEXT.partition("?>")[2].lstrip().encode("utf-16"),
    "utf-32": lambda: _declared("UTF-32").encode("utf-32"),
    "shift-jis": lambda: _declared("Shift_JIS").encode("shift_jis"),
    "euc-jp": lambda: _declared("EUC-JP").encode("euc_jp"),
    "iso-2022-jp": lambda: _declared("ISO-2022-JP").encode("iso2022_jp"),
    "str-with-bom-and-declaration": lambda: "\ufeff" + _declared("Shift_JIS"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_other_encodings_validate_like_utf8(encoding: str) -> None:
    expected = jppint.validate(JAPANESE)
    source = ENCODINGS[encoding]()
    report = jppint.validate(text=source) if isinstance(source, str) else jppint.validate(source)
    assert summary(report) == summary(expected)
    assert (report.document_id, report.customization_id) == (expected.document_id, expected.customization_id)


def test_a_ubl_2_0_invoice_in_the_shared_namespace_is_validated() -> None:
    """UBL 2.0 and 2.1 share their namespaces: an older invoice is read, and the rules decide."""
    older = UTF8.replace(b"<cbc:CustomizationID>", b"<cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:CustomizationID>", 1)
    assert isinstance(jppint.validate(older), jppint.ValidationReport)


# -- paths --------------------------------------------------------------------------------------


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(jppint.DocumentError, match="is a directory, not a file"):
        jppint.validate(tmp_path)


def test_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(jppint.DocumentError, match=r"missing\.xml: no such file$"):
        jppint.validate(tmp_path / "missing.xml")


def test_a_path_with_a_nul_character() -> None:
    with pytest.raises(jppint.DocumentError, match="not a usable file name"):
        jppint.validate("invoice\x00.xml")


def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.xml"
    path.write_bytes(UTF8)
    path.chmod(0)
    try:
        with path.open("rb"):
            pytest.skip("running with privileges that ignore file permissions (root)")
    except PermissionError:
        pass
    with pytest.raises(jppint.DocumentError, match=r"locked\.xml: permission denied"):
        jppint.validate(path)


def test_permission_denied_as_the_operating_system_reports_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads any file, so the refusal is simulated where the file is opened."""
    path = tmp_path / "locked.xml"
    path.write_bytes(UTF8)

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(jppint.DocumentError, match=r"locked\.xml: permission denied$"):
        jppint.validate(path)


# -- streams ------------------------------------------------------------------------------------


def test_a_closed_stream() -> None:
    stream = io.BytesIO(UTF8)
    stream.close()
    with pytest.raises(jppint.DocumentError, match="the input stream is closed"):
        jppint.validate(stream)


def test_a_write_only_stream(tmp_path: Path) -> None:
    with (tmp_path / "out.xml").open("wb") as stream, pytest.raises(jppint.DocumentError, match="not readable"):
        jppint.validate(stream)


def test_a_text_stream_is_read_as_text() -> None:
    assert summary(jppint.validate(io.StringIO(JAPANESE_TEXT))) == summary(jppint.validate(JAPANESE))


def test_none_is_no_input() -> None:
    with pytest.raises(jppint.DocumentError, match=r"no input: the source is None \(is standard input closed\?\)"):
        jppint.validate(None)  # type: ignore[arg-type]


def test_an_unsupported_object() -> None:
    with pytest.raises(jppint.DocumentError, match="cannot validate an object of type int"):
        jppint.validate(42)  # type: ignore[arg-type]


_STDIN_SCRIPT = textwrap.dedent(
    """
    import sys, jppint
    try:
        report = jppint.validate(sys.stdin)
        print("report", report.source, report.valid)
    except jppint.DocumentError as error:
        print("error", error)
    """
)


def _run_with_stdin(**stdin: object) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", _STDIN_SCRIPT], capture_output=True, cwd=ROOT, timeout=60, **stdin
    )
    assert completed.returncode == 0, completed.stderr.decode()
    return completed.stdout.decode().strip()


def test_stdin_is_read_as_bytes() -> None:
    """sys.stdin is a text stream; jppint reads its bytes so the declared encoding applies."""
    assert _run_with_stdin(input=_declared("Shift_JIS").encode("shift_jis")) == "report <stdin> True"


def test_empty_stdin() -> None:
    assert _run_with_stdin(stdin=subprocess.DEVNULL) == "error <stdin>: empty document"


def test_closed_stdin() -> None:
    """With descriptor 0 closed, Python sets sys.stdin to None."""
    output = _run_with_stdin(stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0))
    assert output == "error input: no input: the source is None (is standard input closed?)"
