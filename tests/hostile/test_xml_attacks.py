"""XML attacks are refused, or their references ignored, and nothing is ever fetched or read.

Every hostile document points its external references at two tripwires
(`traps`): a TCP listener and a FIFO. A refused document raises
`UnsafeDocumentError` naming the construct and its place, quickly; a
document whose references are mere hints (xsi:schemaLocation, an
xml-stylesheet instruction) is validated as if they were absent. In both
cases the tripwires stay untouched, and a subprocess with an audit hook
shows that Python itself opens no file but the input and no socket.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import jppint
from tests.hostile.documents import INVOICE, XmlText, summary, validate_any
from tests.hostile.traps import Traps

ROOT = Path(__file__).resolve().parents[2]
_DECLARATION, _, _BODY = INVOICE.read_text(encoding="utf-8").partition("?>")
_REFERENCE_SITE = "<cbc:ID>BENCH-3</cbc:ID>"


def _with_prolog(prolog: str, reference: str = "") -> str:
    """The test invoice with `prolog` before its root and `reference` in place of the invoice number."""
    body = _BODY.lstrip()
    if reference:
        body = body.replace(_REFERENCE_SITE, f"<cbc:ID>{reference}</cbc:ID>", 1)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n{body}'


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    return _with_prolog(f"<!DOCTYPE Invoice [{''.join(entities)}]>", "&lol9;")


def _quadratic_blowup() -> str:
    return _with_prolog(f'<!DOCTYPE Invoice [<!ENTITY a "{"A" * 50_000}">]>', "&a;" * 5_000)


# name -> document text; {url} and {file} are the tripwires.
REFUSED_DOCTYPES: dict[str, Callable[[], str]] = {
    "xxe-local-file": lambda: _with_prolog('<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file://{file}">]>', "&x;"),
    "xxe-etc-passwd": lambda: _with_prolog('<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    "xxe-http": lambda: _with_prolog('<!DOCTYPE Invoice [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;"),
    "xxe-parameter-entity": lambda: _with_prolog('<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'),
    "external-dtd-system": lambda: _with_prolog('<!DOCTYPE Invoice SYSTEM "{url}/invoice.dtd">'),
    "external-dtd-public": lambda: _with_prolog('<!DOCTYPE Invoice PUBLIC "-//X//DTD Invoice//EN" "{file}">'),
    "billion-laughs": _billion_laughs,
    "quadratic-blowup": _quadratic_blowup,
    "doctype-after-comment-and-pi": lambda: _with_prolog(
        '<!-- a comment --><?pi data?>\n  <!DOCTYPE Invoice [<!ENTITY x SYSTEM "{url}/x">]>', "&x;"
    ),
}

# Where the DOCTYPE starts in each document above (line, column).
DOCTYPE_PLACE = {name: (2, 1) for name in REFUSED_DOCTYPES} | {"doctype-after-comment-and-pi": (3, 3)}

REFUSED_INCLUSIONS: dict[str, Callable[[], str]] = {
    "xinclude-local-file": lambda: _with_prolog(
        "", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{file}" parse="text"/>'
    ),
    "xinclude-http": lambda: _with_prolog(
        "", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x"/>'
    ),
    "xinclude-2003-namespace": lambda: _with_prolog(
        "", '<xi:include xmlns:xi="http://www.w3.org/2003/XInclude" href="{url}/x"/>'
    ),
}

IGNORED_HINTS: dict[str, Callable[[], str]] = {
    "xsi-schema-location": lambda: _BODY.lstrip().replace(
        "<Invoice ",
        '<Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
        '"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 {url}/UBL-Invoice-2.1.xsd" ',
        1,
    ),
    "xsi-no-namespace-schema-location": lambda: _BODY.lstrip().replace(
        "<Invoice ",
        '<Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="{file}" ',
        1,
    ),
    "xml-stylesheet": lambda: _with_prolog('<?xml-stylesheet type="text/xsl" href="{url}/style.xsl"?>'),
}

# How a caller can hand a document to jppint.
SOURCE_FORMS: dict[str, Callable[[str, Path], object]] = {
    "bytes": lambda text, _: text.encode("utf-8"),
    "str": lambda text, _: XmlText(text),
    "path": lambda text, folder: _written(folder / "hostile.xml", text.encode("utf-8")),
    "binary-file": lambda text, _: io.BytesIO(text.encode("utf-8")),
}


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _fill(template: str, traps: Traps) -> str:
    return template.replace("{url}", traps.url).replace("{file}", str(traps.file))


@pytest.fixture
def traps(tmp_path: Path) -> Iterator[Traps]:
    armed = Traps(tmp_path).start()
    yield armed
    armed.stop()
    assert armed.untouched, f"reached out: connections {armed.connections}, FIFO read {armed.file_opened}"


@pytest.mark.parametrize("form", SOURCE_FORMS)
@pytest.mark.parametrize("attack", REFUSED_DOCTYPES)
def test_a_doctype_is_refused_before_parsing(attack: str, form: str, traps: Traps, tmp_path: Path) -> None:
    source = SOURCE_FORMS[form](_fill(REFUSED_DOCTYPES[attack](), traps), tmp_path)
    started = time.perf_counter()
    with pytest.raises(jppint.UnsafeDocumentError, match=r"DOCTYPE, DTD\) are not allowed") as raised:
        validate_any(source)
    assert time.perf_counter() - started < 1.0
    assert (raised.value.line, raised.value.column) == DOCTYPE_PLACE[attack]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_doctype_is_refused_in_any_encoding(encoding: str, traps: Traps) -> None:
    text = _fill(REFUSED_DOCTYPES["xxe-http"](), traps).replace('encoding="UTF-8"', f'encoding="{encoding[:6]}"')
    with pytest.raises(jppint.UnsafeDocumentError, match="DOCTYPE"):
        jppint.validate(text.encode(encoding))


@pytest.mark.parametrize("form", SOURCE_FORMS)
@pytest.mark.parametrize("attack", REFUSED_INCLUSIONS)
def test_xinclude_is_refused(attack: str, form: str, traps: Traps, tmp_path: Path) -> None:
    source = SOURCE_FORMS[form](_fill(REFUSED_INCLUSIONS[attack](), traps), tmp_path)
    with pytest.raises(jppint.UnsafeDocumentError, match=r"XInclude \(include\) is not allowed") as raised:
        validate_any(source)
    assert raised.value.line is not None


@pytest.mark.parametrize("hint", IGNORED_HINTS)
def test_schema_and_stylesheet_hints_are_never_followed(hint: str, traps: Traps) -> None:
    report = jppint.validate(_fill(IGNORED_HINTS[hint](), traps).encode("utf-8"))
    assert summary(report) == summary(jppint.validate(INVOICE))


def test_an_undeclared_entity_is_a_syntax_error_not_a_lookup(traps: Traps) -> None:
    with pytest.raises(jppint.DocumentError, match="Entity 'x' not defined") as raised:
        jppint.validate(_with_prolog("", "&x;").encode("utf-8"))
    assert raised.value.line is not None and raised.value.column is not None


def test_the_tripwires_notice_what_they_guard(tmp_path: Path) -> None:
    """The control experiment: an unsafe parser does read the FIFO, a client does reach the listener.

    (libxml2 as built into lxml 6 has no HTTP client at all, so the
    listener's control is a plain connection.)
    """
    from lxml import etree

    armed = Traps(tmp_path).start()
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)
    etree.fromstring(_fill(REFUSED_DOCTYPES["xxe-local-file"](), armed).encode("utf-8"), unsafe)
    socket.create_connection(("127.0.0.1", int(armed.url.rsplit(":", 1)[1])), timeout=5).close()
    time.sleep(0.1)
    armed.stop()
    assert armed.file_opened and armed.connections


def test_lxml_trees_with_a_doctype_are_refused_too() -> None:
    from lxml import etree

    tree = etree.fromstring(b"<!DOCTYPE Invoice><Invoice/>").getroottree()
    with pytest.raises(jppint.UnsafeDocumentError):
        jppint.validate(tree)


_AUDIT_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import jppint

    paths = json.loads(sys.argv[1])
    jppint.validate(paths.pop())  # the plain invoice: rules compiled, modules imported

    def attempt_all():
        for path in paths:
            try:
                jppint.validate(path)
            except jppint.JppintError:
                pass

    attempt_all()  # once more before watching: any lazy import happens now
    events = []
    watched = ("open", "socket.", "urllib.", "http.", "subprocess.", "os.system", "os.exec", "os.posix_spawn")

    def hook(event, arguments):
        if event.startswith(watched):
            events.append([event, str(arguments[0]) if arguments else ""])

    sys.addaudithook(hook)
    attempt_all()
    print(json.dumps(events))
    """
)


def test_python_opens_nothing_but_the_inputs_and_no_socket(traps: Traps, tmp_path: Path) -> None:
    """Run in a fresh interpreter: audit hooks cannot be removed once added."""
    paths = []
    for number, make in enumerate({**REFUSED_DOCTYPES, **REFUSED_INCLUSIONS, **IGNORED_HINTS}.values()):
        paths.append(str(_written(tmp_path / f"hostile-{number}.xml", _fill(make(), traps).encode("utf-8"))))
    paths.append(str(INVOICE))
    completed = subprocess.run(
        [sys.executable, "-c", _AUDIT_SCRIPT, json.dumps(paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    events = json.loads(completed.stdout.strip().splitlines()[-1])
    inputs = set(paths[:-1])
    unexpected = [event for event in events if not (event[0] == "open" and event[1] in inputs)]
    assert unexpected == []
    assert {event[1] for event in events} == inputs  # the hook did watch every input being read


def test_the_command_line_exits_2_on_a_refused_document(traps: Traps, tmp_path: Path) -> None:
    cli = pytest.importorskip("jppint.cli.exit_codes", reason="the command line is not there yet")
    path = _written(tmp_path / "xxe.xml", _fill(REFUSED_DOCTYPES["xxe-local-file"](), traps).encode("utf-8"))
    completed = subprocess.run(
        [sys.executable, "-m", "jppint", "validate", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert completed.returncode == cli.EXIT_ERROR
    assert "DOCTYPE" in completed.stderr and "Traceback" not in completed.stderr
