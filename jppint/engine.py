"""Running compiled rule sets with saxonche, and turning records into findings.

One Saxon processor per process. saxonche is not safe for concurrent use
from several threads, and holds the interpreter lock while it transforms, so
threads would not run in parallel anyway: every Saxon call goes through one
lock. Processes, each with its own processor, are how jppint scales.

Saxon writes to the process's standard error (file descriptor 2, from
native code) whatever reaches its error reporter: a dynamic error that
escapes a transformation, an XML parser error, a pattern that raised while
matching, an `xsl:message`. None reaches it here, so that jppint leaves the
host's stderr alone: the stylesheets catch their own errors and guard their
patterns (see `schematron.xslt`), documents are parsed by XPath
`parse-xml()`, whose errors are only raised, unless they are surely within
the parser's limits (see `parse_for_saxon`), and messages are kept in
memory (see `_transform`). Nothing is silenced: a host's other threads
write to stderr as usual while Saxon runs.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from jppint.document import nested_deeper_than
from jppint.errors import DocumentTooLargeError, EngineError, SchematronError
from jppint.locations import Locator, ValueIndex
from jppint.results import Finding, severity_of
from jppint.schematron import DEFAULT_PHASE, AssertionEntry, CompiledText, compile_schematron
from jppint.schematron.svrl import STOPPED as SVRL_STOPPED
from jppint.schematron.xslt import DOCUMENT_URI_PARAMETER, RECORD_ERROR, RECORD_FAILED, RECORD_STOPPED
from jppint.unreadable import unreadable_value

_lock = threading.RLock()
_processor = None


def _saxon() -> Any:
    """The process's Saxon processor, created on first use (it costs ~50 ms)."""
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor  # importing maps the library; the isolate starts below

        check_address_space()

        try:
            _processor = PySaxonProcessor(license=False)
        except OSError as error:  # it reads the working directory when it starts: gone if it was removed
            raise EngineError(
                f"the XSLT engine (SaxonC) cannot start: {error.strerror or error}; it needs an existing "
                "working directory (was the current directory removed?)"
            ) from None
    return _processor


# SaxonC runs in a GraalVM isolate that reserves 32 GiB of address space (not memory) when it starts;
# under a lower `ulimit -v` it cannot start and ends the whole process from native code.
ISOLATE_ADDRESS_SPACE = 32 * 1024**3
_ADDRESS_SPACE_MARGIN = 32 * 1024**2


def check_address_space() -> None:
    """Raise `EngineError` when Saxon could not start under this process's address-space limit.

    Checked before Saxon starts, because Saxon's own failure kills the host
    process with no exception to catch. Import saxonche first: its library's
    mappings count.
    """
    try:
        import resource
    except ImportError:  # not a Unix: no such limit
        return
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    needed = _address_space_in_use() + ISOLATE_ADDRESS_SPACE + _ADDRESS_SPACE_MARGIN
    if soft < needed:
        gib = 1024**3
        raise EngineError(
            f"the address-space limit (ulimit -v, RLIMIT_AS) is {soft / gib:.1f} GiB, but the XSLT engine "
            f"(SaxonC) reserves 32 GiB of address space when it starts, so this process needs at least "
            f"{needed / gib:.1f} GiB; this is address space, not memory: raise or remove the limit "
            "(ulimit -v unlimited), or limit memory another way (cgroups, a container's memory limit)"
        )


def _address_space_in_use() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def saxon_started() -> bool:
    """Whether this process runs Saxon already (then it must not be forked: see jppint.cli.batch)."""
    return _processor is not None


class RuleSet:
    """A compiled Schematron file, ready to run on any number of documents.

    It holds the plain stylesheet; the careful one (every assertion guarded,
    see `schematron.xslt.write_stylesheet`) is compiled the first time a
    document makes the plain one stop, and kept for the next such document.
    """

    def __init__(self, path: Path, phase: str) -> None:
        self.name = path.name
        self.path = str(path)
        self.phase = phase
        compiled = compile_schematron(path, phase=phase)
        self.sources = compiled.sources or (str(path),)
        self.assertions: tuple[AssertionEntry, ...] = compiled.assertions
        self._plain = _executable(compiled, path)
        self.takes_document_uri = compiled.takes_document_uri
        self._careful: object | None = None
        self._svrl: object | None = None

    def run(self, saxon_document: object, document_uri: str | None = None) -> str:
        """The records of this rule set on a document; `document_uri` is the URI the document was read from."""
        with _lock:
            self._bind_document_uri(self._plain, document_uri)
            output = _transform(self._plain, saxon_document)
            if not output.startswith(_STOPPED):
                return output
            if self._careful is None:
                try:
                    careful = compile_schematron(Path(self.path), phase=self.phase, careful=True)
                    self._careful = _executable(careful, Path(self.path))
                except Exception as error:
                    raise EngineError(f"{self.name}: Saxon failed: {_one_line(str(error))}") from None
            self._bind_document_uri(self._careful, document_uri)
            output = _transform(self._careful, saxon_document)
            if output.startswith(_STOPPED):
                raise EngineError(f"{self.name}: Saxon failed: {_one_line(output[len(_STOPPED) :])}")
            return output

    def _bind_document_uri(self, executable: Any, document_uri: str | None) -> None:
        """Subordinate documents (@documents) resolve against the validated document's URI, when known."""
        if self.takes_document_uri:
            executable.set_parameter(DOCUMENT_URI_PARAMETER, _saxon().make_string_value(document_uri or ""))

    def svrl(self, saxon_document: object, document_uri: str | None = None) -> str:
        """The full SVRL of this rule set on a document (see `schematron.svrl`), compiled on first use.

        Raises `EngineError` when an error stopped the run: SVRL has no
        place for an assertion that could not be evaluated.
        """
        with _lock:
            if self._svrl is None:
                self._svrl = _executable(
                    compile_schematron(Path(self.path), phase=self.phase, svrl=True), Path(self.path)
                )
            self._bind_document_uri(self._svrl, document_uri)
            output = _transform(self._svrl, saxon_document)
        if output.startswith(_STOPPED):
            raise EngineError(f"{self.name}: Saxon failed: {_one_line(output[len(_STOPPED) :])}")
        root = etree.fromstring(output.encode("utf-8"))
        if root.tag == SVRL_STOPPED:
            raise EngineError(f"{self.name}: Saxon failed: {_one_line(root.text or '')}")
        return output


_STOPPED = RECORD_STOPPED + "\t"


def _transform(executable: Any, saxon_document: object) -> str:
    """The stylesheet's output, or one stopped record when an error stopped it.

    A global variable's error comes as a stopped `xsl:message` (see
    `schematron.xslt`); other messages, from a rule file's own XSLT, are
    dropped, never printed.
    """
    try:
        output: str = executable.transform_to_string(xdm_node=saxon_document) or ""
    except Exception as error:  # saxonche raises its own PySaxonApiError
        output = _STOPPED + str(error)
    messages = executable.get_xsl_messages()
    if messages is not None:
        executable.clear_xsl_messages()
        for index in range(messages.size):
            text = messages.item_at(index).string_value
            if text.startswith(_STOPPED):
                return str(text)
    return output


def _executable(compiled: CompiledText, path: Path) -> object:
    """Saxon's compiled form of our stylesheet, with its code lists bound."""
    _saxon()  # an engine that cannot start is an EngineError, not a broken rule file
    try:
        executable = _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_text=compiled.stylesheet)
    except Exception as error:
        file, line = _locate_compile_error(compiled.stylesheet, str(error))
        raise SchematronError(
            f"invalid XPath or XSLT: {_one_line(str(error))}", file=file or str(path), line=line
        ) from None
    for name, codes in compiled.code_lists.items():
        codes_as_json = json.dumps(dict.fromkeys(codes, True))
        executable.set_parameter(name, _saxon().parse_json(json_text=codes_as_json))
    executable.set_save_xsl_message(True)  # kept for `_transform`, not printed on stderr
    return executable


_LINE = re.compile(r"on line (\d+)")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _locate_compile_error(stylesheet: str, message: str) -> tuple[str | None, int | None]:
    """Map a Saxon error in the generated XSLT back to the `.sch` file and line."""
    match = _LINE.search(message)
    if not match:
        return None, None
    wanted = int(match.group(1))
    root = etree.fromstring(stylesheet.encode("utf-8"))
    best: etree._Element | None = None
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline is not None and element.sourceline <= wanted:
            best = element
    while best is not None:
        at = best.get("{urn:jppint:source}at")
        if at:
            file, _, line = at.rpartition(":")
            return file, int(line) if line.isdigit() else None
        best = best.getparent()
    return None, None


def load_rule_set(path: str | Path, *, phase: str = DEFAULT_PHASE) -> RuleSet:
    """The compiled rule set of a `.sch` file and phase, from the process's cache when still current.

    The cache is keyed by the file's resolved path, so a relative path given
    after `os.chdir` names the file it names now; and a user's rule set is
    compiled again when any file it was read from (itself, its includes, its
    code lists) changed size or modification time. The built-in rules are
    part of the installed package and change only with it: they are not
    looked at again. At most `RULE_SET_CACHE_SIZE` rule sets are kept.
    """
    resolved = Path(os.path.realpath(path))
    if not resolved.is_file():
        raise SchematronError("no such Schematron file", file=str(path))
    key = (str(resolved), phase)
    with _lock:  # compiling calls Saxon, which takes one caller at a time
        cached = _cache.get(key)
        if cached is not None and (cached.built_in or cached.state == _file_state(cached.sources)):
            _cache.move_to_end(key)
            return cached.rule_set
        rule_set = RuleSet(resolved, phase)
        entry = _Cached(rule_set, rule_set.sources, _file_state(rule_set.sources), _is_built_in(resolved))
        _cache[key] = entry
        _cache.move_to_end(key)
        while len(_cache) > RULE_SET_CACHE_SIZE:
            _cache.popitem(last=False)
    return rule_set


RULE_SET_CACHE_SIZE = 32


@dataclass(frozen=True)
class _Cached:
    rule_set: RuleSet
    sources: tuple[str, ...]
    state: tuple[tuple[int, int], ...]
    built_in: bool


_cache: OrderedDict[tuple[str, str], _Cached] = OrderedDict()


def _file_state(files: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    state = []
    for file in files:
        try:
            status = os.stat(file)
        except OSError:
            state.append((-1, -1))
        else:
            state.append((status.st_size, status.st_mtime_ns))
    return tuple(state)


def _is_built_in(path: Path) -> bool:
    from jppint.rulesets import rules_directory

    return path.is_relative_to(rules_directory())


_PARSER_LIMIT = re.compile(r"JAXP\d+: (.*?)(?=JAXP\d+:|$)")
_PARSER_MESSAGE = re.compile(r"columnNumber: \d+; (.*)")


def _once(text: str) -> str:
    """The parser's message, which `parse-xml()` gives twice in a row."""
    half = len(text) // 2
    return text[:half] if text[:half] == text[half:] else text


_parser = None


def _document_parser() -> Any:
    """An XPath processor that parses documents with `parse-xml()`.

    Saxon's own `parse_xml` also reports a parser error to stderr before
    raising it; `parse-xml()` only raises it, as a dynamic error.
    """
    global _parser
    if _parser is None:
        _parser = _saxon().new_xpath_processor()
        _parser.declare_variable("text")
    return _parser


_NAME_LIMIT = re.compile(r'length of entity "\[xml\]" is "([\d,]+)" that exceeds the "([\d,]+)" limit')

# Saxon's XML parser reads no deeper than this (jdk.xml.maxElementDepth).
SAXON_MAX_DEPTH = 100
# A tag of fewer than 1,000 characters holds no name of more than 1,000 characters and at most 200
# attributes and namespace declarations (` a=""` takes five): the limits of Saxon's parser. Serialised by
# lxml, an attribute value holds no `>`. (The UBL examples' root tags, all namespaces, take about 640.)
_LONG_TAG = re.compile(r"<[^>]{1000}")
# A character reference other than tab, newline and carriage return: from an XML 1.1 document, a control
# character XML 1.0, as Saxon reads our text, forbids.
_UNUSUAL_REFERENCE = re.compile(r"&#(?!(?:9|10|13);)")
_builder = None


def _document_builder() -> Any:
    """Saxon's document builder, giving its documents the base URI `parse-xml()` gives them."""
    global _builder
    if _builder is None:
        base_uri = _document_parser().evaluate_single("string(static-base-uri())").string_value
        _builder = _saxon().new_document_builder()
        _builder.set_base_uri(base_uri)
    return _builder


def parse_for_saxon(text: str, *, source: str | None = None, root: etree._Element | None = None) -> object:
    """Saxon's own tree of a document lxml has already checked and serialised.

    Saxon's XML parser has limits lxml's has not (200 attributes and
    namespace declarations on one element, names of 1,000 characters, 100
    levels): a document past them is refused as too large, naming the
    limit. `root` is the lxml tree the text was serialised from, when the
    caller has it, to look at its nesting. A document surely within every limit
    goes to Saxon's document builder, which reads it in about 20 % less time
    than `parse-xml()` (issue 11) but would report a parser error on
    stderr; any other, or one the builder still refuses, is read by
    `parse-xml()`, whose errors are only raised.
    """
    with _lock:
        if (
            root is not None
            and not nested_deeper_than(root, SAXON_MAX_DEPTH)
            and _LONG_TAG.search(text) is None
            and _UNUSUAL_REFERENCE.search(text) is None
        ):
            try:
                return _document_builder().parse_xml(xml_text=text)
            except Exception:  # a limit not known here: parse-xml() below raises it with its reason
                pass
        parser = _document_parser()
        parser.set_parameter("text", _saxon().make_string_value(text))
        try:
            return parser.evaluate_single("parse-xml($text)")
        except Exception as error:
            message = _one_line(str(error))
            limit = _PARSER_LIMIT.search(message)
            if limit is None:
                detail = _PARSER_MESSAGE.search(message)
                raise EngineError(
                    f"Saxon could not read the document: {_once(detail.group(1) if detail else message)}"
                ) from None
            name = _NAME_LIMIT.search(limit.group(1))
            reason = (
                f"a name is {name.group(1)} characters long, more than the limit of {name.group(2)}"
                if name
                else limit.group(1).rstrip(".")
            )
            raise DocumentTooLargeError(
                f"beyond a limit of the XSLT engine's XML parser: {reason}", source=source
            ) from None
        finally:
            parser.remove_parameter("text")  # not to keep the document's text alive in Saxon


DEFAULT_MAX_FINDINGS = 10_000
_SEVERITY_ORDER = ("information", "warning", "fatal")


def findings_of(rule_set: RuleSet, output: str, root: etree._Element, *, limit: int | None = None) -> list[Finding]:
    """Turn the stylesheet's text records into findings with line numbers.

    With a `limit`, records past it are only counted: a document built to
    make one rule fire a million times must not cost a million findings'
    memory. One closing finding then says how many were left out, with the
    worst severity among them, so `valid` stays true to every record.
    """
    findings: list[Finding] = []
    locator = Locator(root)
    values = ValueIndex(root)
    omitted = 0
    worst = "information"
    for record in _records(output):
        if limit is not None and len(findings) >= limit:
            omitted += 1
            if worst != "fatal":
                kind, omitted_index, _ = record.split("\t", 2)
                entry = rule_set.assertions[int(omitted_index)]
                severity = "fatal" if kind == RECORD_ERROR else severity_of(entry.flag, entry.role)
                worst = max(worst, severity, key=_SEVERITY_ORDER.index)
            continue
        fields = record.split("\t")
        kind, index, location = fields[0], int(fields[1]), fields[2]
        entry = rule_set.assertions[index]
        line = locator.line_of(location)
        if kind == RECORD_FAILED:
            message = entry.message if entry.message is not None else fields[3] if len(fields) > 3 else ""
            diagnostics_end = 4 + len(entry.diagnostics)
            findings.append(
                Finding(
                    rule_id=entry.id or f"{Path(entry.file).name}:{entry.line}",
                    flag=entry.flag,
                    severity=severity_of(entry.flag, entry.role),
                    message=message,
                    location=location,
                    line=line,
                    test=entry.test,
                    kind="assert" if entry.kind == "assert" else "report",
                    source=_source_of(entry),
                    role=entry.role,
                    diagnostics=tuple(fields[4:diagnostics_end]),
                    values=dict(zip(entry.values, fields[diagnostics_end:], strict=False)),
                )
            )
        elif kind == RECORD_ERROR:
            reason = fields[3] if len(fields) > 3 else "dynamic error"
            rule_id = entry.id or f"{Path(entry.file).name}:{entry.line}"
            unreadable = unreadable_value(reason, rule_id, location, values, locator)
            findings.append(
                Finding(
                    rule_id=rule_id,
                    flag=entry.flag,
                    severity="fatal",
                    message=unreadable.messages["en"],
                    messages=unreadable.messages,
                    location=location,
                    line=unreadable.line,
                    test=entry.test,
                    detail=unreadable.detail,
                    kind="error",
                    source=_source_of(entry),
                    role=entry.role,
                )
            )
    if omitted:
        findings.append(_omission(rule_set, omitted, worst))
    return findings


def _records(output: str) -> Iterator[str]:
    """The output's non-empty lines, one at a time: a flooded output has millions."""
    start = 0
    while start < len(output):
        end = output.find("\n", start)
        if end == -1:
            end = len(output)
        if end > start:
            yield output[start:end]
        start = end + 1


def _omission(rule_set: RuleSet, omitted: int, worst: str) -> Finding:
    return Finding(
        rule_id="jppint-too-many-findings",
        flag=worst,
        severity=worst,  # type: ignore[arg-type]
        message=f"{omitted} more findings of {rule_set.name} are not listed: the report reached its limit "
        f"(max_findings); the worst of those left out is {worst}",
        location="/",
        test="",
        kind="error",
        source=rule_set.name,
    )


def _source_of(entry: AssertionEntry) -> str:
    name = Path(entry.file).name
    return f"{name}#{entry.pattern}" if entry.pattern else name
