"""Size, depth, element and finding limits: configurable, enforced early, and cheap to enforce.

A file larger than `max_bytes` is refused from its size alone, before it is
opened; a stream is read no further than one byte past the limit; a deeply
nested document is refused by the parser (256 levels) or by `max_depth`;
`max_elements` bounds what the trees and the engine cost; `max_findings`
bounds the report of a document built to make a rule fire on every element.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest

import jppint
from jppint.document import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS
from jppint.engine import DEFAULT_MAX_FINDINGS
from tests.hostile.documents import DATA, INVOICE, XmlText, validate_any

UTF8 = INVOICE.read_bytes()
FLOOD_RULES = [DATA / "every-element.sch"]
_HEAD = (
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
    ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">\n'
    "<cbc:CustomizationID>urn:peppol:pint:billing-1@jp-1</cbc:CustomizationID>\n"
)


def _flood(count: int) -> bytes:
    """An invoice with `count` empty elements, one per line."""
    return (_HEAD + "<x/>\n" * count + "</Invoice>").encode("ascii")


def _nested(levels: int) -> bytes:
    """The test invoice with `levels` elements nested inside one another before its first line."""
    nest = "<cbc:Note>" * levels + "</cbc:Note>" * levels
    return UTF8.replace(b"<cbc:IssueDate>", nest.encode("ascii") + b"<cbc:IssueDate>", 1)


def test_the_default_limits() -> None:
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    assert DEFAULT_MAX_DEPTH == 100
    assert DEFAULT_MAX_ELEMENTS == 1_500_000
    assert DEFAULT_MAX_FINDINGS == 10_000


# -- size ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_source",
    [
        pytest.param(lambda path: UTF8, id="bytes"),
        pytest.param(lambda path: XmlText(UTF8.decode("utf-8")), id="str"),
        pytest.param(lambda path: path, id="path"),
        pytest.param(lambda path: io.BytesIO(UTF8), id="stream"),
    ],
)
def test_max_bytes_applies_to_every_kind_of_source(make_source, tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(UTF8)
    with pytest.raises(jppint.DocumentTooLargeError, match=r"larger than the limit of 1000 bytes \(max_bytes\)"):
        validate_any(make_source(path), max_bytes=1000)
    assert validate_any(make_source(path), max_bytes=len(UTF8)).valid  # type: ignore[attr-defined]


def test_a_200_mb_file_is_refused_from_its_size_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: no disk used

    def never(*_: object, **__: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(jppint.DocumentTooLargeError) as raised:
            jppint.validate(huge)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(raised.value) == (
        f"{huge}: document is 209715200 bytes, larger than the limit of 52428800 bytes (max_bytes)"
    )
    assert elapsed < 0.5
    assert peak < 1024 * 1024


class _Endless(io.RawIOBase):
    """A stream that never ends, counting what was taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        size = len(buffer)
        buffer[:size] = b"<" * size
        self.taken += size
        return size


def test_an_endless_stream_is_read_one_byte_past_the_limit() -> None:
    stream = _Endless()
    with pytest.raises(jppint.DocumentTooLargeError, match="larger than the limit of 1048576 bytes"):
        jppint.validate(io.BufferedReader(stream), max_bytes=1024 * 1024)
    assert stream.taken <= 1024 * 1024 + 1 + io.DEFAULT_BUFFER_SIZE


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_read_one_byte_past_the_limit() -> None:
    """/dev/zero says its size is 0: the read itself is bounded."""
    with pytest.raises(jppint.DocumentTooLargeError, match="larger than the limit of 65536 bytes"):
        jppint.validate("/dev/zero", max_bytes=65536)


def test_a_text_node_past_the_parser_limit() -> None:
    with pytest.raises(jppint.DocumentTooLargeError, match="Text node too long"):
        jppint.validate(UTF8.replace(b"BENCH-3", b"A" * 10_500_000, 1))


# -- depth --------------------------------------------------------------------------------------


def test_nesting_below_max_depth_is_read() -> None:
    assert isinstance(jppint.validate(_nested(90)), jppint.ValidationReport)


def test_max_depth_cannot_exceed_what_the_engine_reads() -> None:
    with pytest.raises(
        jppint.DocumentTooLargeError, match=r'"cbc:Note" has a depth of "101" that exceeds the limit "100"'
    ):
        jppint.validate(_nested(120), max_depth=150)


def test_nesting_past_max_depth_is_refused() -> None:
    with pytest.raises(jppint.DocumentTooLargeError, match=r"nested deeper than 100 elements \(max_depth\)"):
        jppint.validate(_nested(120))


def test_nesting_past_the_parser_limit_is_refused_with_its_place() -> None:
    with pytest.raises(jppint.DocumentTooLargeError, match="nested more than 256 elements deep") as raised:
        jppint.validate(_nested(300))
    assert raised.value.line is not None and raised.value.column is not None


def test_a_hundred_thousand_levels_are_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(jppint.DocumentTooLargeError, match="nested more than 256 elements deep"):
        jppint.validate(b"<Invoice>" * 100_000)
    assert time.perf_counter() - started < 1.0


def test_max_depth_is_configurable() -> None:
    with pytest.raises(jppint.DocumentTooLargeError, match=r"nested deeper than 3 elements \(max_depth\)"):
        jppint.validate(INVOICE, max_depth=3)
    assert jppint.validate(INVOICE, max_depth=6).valid


# -- elements and findings ----------------------------------------------------------------------


def test_max_elements_is_configurable() -> None:
    with pytest.raises(
        jppint.DocumentTooLargeError, match=r"has 101 elements, more than the limit of 50 \(max_elements\)"
    ):
        jppint.validate(INVOICE, max_elements=50)
    assert jppint.validate(INVOICE, max_elements=101).valid


def test_past_max_findings_the_rest_is_counted_in_one_finding() -> None:
    report = jppint.validate(_flood(500), schematron=FLOOD_RULES, max_findings=100, schema=False)
    listed, closing = report.findings[:-1], report.findings[-1]
    assert len(listed) == 100
    assert closing.rule_id == "jppint-too-many-findings"
    assert closing.message.startswith("402 more findings of every-element.sch are not listed")
    # Every omitted finding was a warning: the document stays valid, as it would with all listed.
    assert closing.severity == "warning" and report.valid


def test_the_closing_finding_keeps_the_worst_omitted_severity() -> None:
    """500 empty elements under the built-in rules: fatal findings past the limit keep the report invalid."""
    report = jppint.validate(_flood(500), max_findings=5, schema=False)
    assert report.findings[-1].rule_id == "jppint-too-many-findings"
    assert report.findings[-1].severity == "fatal" and not report.valid


def test_a_flood_of_findings_costs_linear_time() -> None:
    """20,000 repeated elements, each a finding: quadratic location code took minutes here."""
    count = 20_000
    started = time.perf_counter()
    report = jppint.validate(_flood(count), schematron=FLOOD_RULES, max_findings=count + 2, schema=False)
    elapsed = time.perf_counter() - started
    assert len(report.findings) == count + 2  # the root, CustomizationID and every x
    last = report.findings[-1]
    assert (last.location, last.line) == (f"/ubl:Invoice[1]/ubl:x[{count}]", count + 2)
    assert elapsed < 15


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            b"<cbc:IssueDate " + b" ".join(b'a%d="1"' % number for number in range(201)) + b">",
            r'Element "cbc:IssueDate" has more than "200" attributes',
            id="201-attributes",
        ),
        pytest.param(
            b"<cbc:IssueDate " + b" ".join(b'xmlns:p%d="urn:%d"' % (n, n) for n in range(201)) + b">",
            r'Element "cbc:IssueDate" has more than "200" attributes',
            id="201-namespace-declarations",
        ),
        pytest.param(
            b"<cbc:" + b"N" * 1001 + b"/><cbc:IssueDate>",
            "a name is 1,001 characters long, more than the limit of 1,000",
            id="1001-character-name",
        ),
    ],
)
def test_limits_of_the_engine_parser_are_document_errors(change: bytes, reason: str) -> None:
    with pytest.raises(jppint.DocumentTooLargeError, match=reason):
        jppint.validate(UTF8.replace(b"<cbc:IssueDate>", change, 1))
