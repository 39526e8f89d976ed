"""Writing a resolved schema as one XSLT 3.0 stylesheet.

Design, for speed and robustness rather than SVRL fidelity:
- each pattern is a mode; its rules are templates whose priorities fall in
  document order, so the first rule that matches a node wins, as Schematron
  requires; the nodes are visited by one flat `apply-templates` per pattern
  (no recursive descent, no built-in rules);
- results are plain text records, one line per finding, that `engine`
  turns into `Finding`s; SVRL is written from findings when someone asks;
- a dynamic error never loses a validation: the `careful` variant (see
  `write_stylesheet`) turns it into an `error` record for the assertion
  that met it, and every other assertion still runs;
- Saxon never writes to the process's standard error, which belongs to
  whoever embeds jppint: an error that stops the stylesheet is caught and
  becomes a `stopped` record (or, from a global variable, whose errors no
  `xsl:try` may catch, a `stopped` `xsl:message` from the variable
  itself), and the predicates of match patterns are guarded (see
  `patterns`) so that matching raises no error to warn about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from jppint.errors import SchematronError
from jppint.namespaces import LOCATION_PREFIXES
from jppint.schematron.codelists import read_code_list
from jppint.schematron.model import (
    Assertion,
    Let,
    MessagePart,
    Name,
    Pattern,
    Property,
    Rule,
    Schema,
    Text,
    ValueOf,
)
from jppint.schematron.patterns import Predicate, guard_pattern, variable_references

XSL = "http://www.w3.org/1999/XSL/Transform"
XS = "http://www.w3.org/2001/XMLSchema"
ERR = "http://www.w3.org/2005/xqt-errors"
INTERNAL = "urn:jppint:internal"
SOURCE = "urn:jppint:source"
XML = "http://www.w3.org/XML/1998/namespace"
# A let's element content is data: XSLT elements in it are written in this namespace, which
# `xsl:namespace-alias` turns back into XSLT's in the value, instead of being run.
XSL_ALIAS = "urn:jppint:xsl-alias"

DOCUMENT_URI_PARAMETER = "jppint-document-uri"
RECORD_FAILED = "F"
RECORD_ERROR = "E"
RECORD_STOPPED = "S"


@dataclass(frozen=True)
class AssertionEntry:
    """What the engine needs to turn a record back into a finding."""

    index: int
    id: str | None
    kind: str
    flag: str | None
    role: str | None
    test: str
    context: str
    pattern: str | None
    file: str
    line: int | None
    diagnostics: tuple[str, ...]
    message: str | None = None
    # The keys of the values the record carries after the diagnostics: each property's role (or id).
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledText:
    """The stylesheet, its assertion table, and the code lists it takes as parameters.

    Code lists are passed to the compiled stylesheet as map parameters
    instead of being written into it: a map literal of two thousand unit
    codes costs Saxon more to compile than all the rules together.
    """

    stylesheet: str
    assertions: tuple[AssertionEntry, ...]
    code_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # Whether the stylesheet takes the validated document's URI (DOCUMENT_URI_PARAMETER), which
    # a pattern's subordinate documents (@documents) are resolved against.
    takes_document_uri: bool = False


def _x(local: str) -> str:
    return f"{{{XSL}}}{local}"


def _string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_PREDICATE_OR_STRING = re.compile(r"\[[^\[\]]*\]|'[^']*'|\"[^\"]*\"")


def _visited_nodes(pattern: Pattern) -> str:
    """The nodes a pattern's rules can match, as cheap a selection as is safe.

    Predicates and strings are removed before looking for attribute or
    text-node steps, so `cbc:ID[@schemeID]` still only needs elements.
    """
    needs_attributes = needs_other = False
    for rule in pattern.rules:
        outline = rule.context or ""
        previous = None
        while previous != outline:
            previous, outline = outline, _PREDICATE_OR_STRING.sub("", outline)
        needs_attributes |= "@" in outline or "attribute" in outline
        needs_other |= any(word in outline for word in ("node()", "text()", "comment()", "processing-instruction"))
    if needs_other:
        return ". , //node() , //@*" if needs_attributes else ". , //node()"
    # `//*` where it is used, not kept in a global variable shared by the modes: a sequence of every
    # element held for the whole run cost 12-22 % more on invoices of 1,000-10,000 lines (issue 11).
    return ". , //(*|@*)" if needs_attributes else ". , //*"


class _Writer:
    def __init__(self, schema: Schema, careful: bool) -> None:
        self.schema = schema
        self.careful = careful
        self.assertions: list[AssertionEntry] = []
        self.code_lists: dict[str, tuple[str, ...]] = {}
        prefixes = {prefix for prefix, _ in schema.namespaces}
        if "jpi" in prefixes or "err" in prefixes:
            raise SchematronError(
                "the namespace prefixes 'jpi' and 'err' are reserved by jppint",
                file=schema.origin.file,
                line=schema.origin.line,
            )
        nsmap: dict[str | None, str] = {
            "xsl": XSL,
            "jpi": INTERNAL,
            "err": ERR,
            "jpsrc": SOURCE,
            "jpixsl": XSL_ALIAS,
        }
        # The ISO skeleton declares both prefixes for the XML Schema namespace;
        # rule sets written for it use them without an `ns`.
        for prefix in ("xs", "xsd"):
            if prefix not in prefixes:
                nsmap[prefix] = XS
        for prefix, uri in schema.namespaces:
            nsmap[prefix] = uri
        self.root = etree.Element(_x("stylesheet"), nsmap=nsmap)
        self.root.set("version", "3.0")
        self.root.set("exclude-result-prefixes", "#all")
        # The stylesheet is compiled from text; its static base URI is the .sch file's, as if it had
        # been written next to it, so that document('codes.xml') and xsl:include resolve there.
        self.root.set(f"{{{XML}}}base", Path(schema.origin.file).resolve().as_uri())
        self.diagnostics = {diagnostic.id: diagnostic for diagnostic in schema.diagnostics}
        self.properties = {found.id: found for found in schema.properties}
        self.guards = 0
        self.globals: dict[str, str] = {}
        self.foreign_variables: list[tuple[etree._Element, object]] = []

    def element(self, parent: etree._Element, local: str, origin: object = None, **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, _x(local))
        for name, value in attributes.items():
            element.set(name.rstrip("_").replace("_", "-"), value)
        if origin is not None:
            element.set(f"{{{SOURCE}}}at", str(origin))
        return element

    def write_output(self) -> None:
        """How the results are written: text records, one line each (see `engine`)."""
        output = self.element(self.root, "output", method="text", encoding="UTF-8")
        output.set("item-separator", "")

    def open_results(self, start: etree._Element) -> etree._Element:
        """Where the patterns' results go: records need no enclosing element."""
        return start

    def write_active_pattern(self, parent: etree._Element, pattern: Pattern) -> None:
        """Records do not say which patterns ran."""

    def write_fired_rule(self, template: etree._Element, rule: Rule) -> None:
        """Records do not say which rules fired."""

    def write(self) -> CompiledText:
        self.write_output()
        matching: list[tuple[etree._Element, object]] = []
        for foreign, origin in self.schema.foreign:
            copied = _copy(foreign)
            copied.set(f"{{{SOURCE}}}at", str(origin))
            if copied.tag == _x("variable") and copied.get("static") not in ("yes", "true", "1"):
                self.foreign_variables.append((copied, origin))
                continue
            self.root.append(copied)
            if copied.tag in (_x("template"), _x("key")) and copied.get("match"):
                matching.append((copied, origin))
        if any(foreign.tag == _x("accumulator") for foreign, _ in self.schema.foreign):
            # A rule file's accumulators apply to the validated document, read in the unnamed mode.
            self.element(self.root, "mode", use_accumulators="#all")
        self.write_location_functions()
        for code_list in self.schema.code_lists:
            self.write_code_list(code_list.name, code_list.href, code_list.origin, code_list.release)
        self.write_globals()
        for matched, matched_origin in matching:  # guarded once the global variables are known
            matched.set("match", self.guarded(matched.get("match", ""), matched_origin, matched))
        attempt = self.element(self.element(self.root, "template", match="/"), "try")
        start = self.open_results(attempt)
        for number, pattern in enumerate(self.schema.patterns, start=1):
            mode = f"jpi:p{number}"
            self.element(self.root, "mode", name=mode, on_no_match="deep-skip")
            # deep-skip still descends from a document node; this stops it.
            self.element(self.root, "template", match="document-node()", mode=mode, priority="-1")
            self.write_active_pattern(start, pattern)
            if pattern.rules and pattern.documents:
                self.element(start, "apply-templates", select=self.subordinate_nodes(pattern.documents), mode=mode)
            elif pattern.rules:
                self.element(start, "apply-templates", select=_visited_nodes(pattern), mode=mode)
            for position, rule in enumerate(pattern.rules):
                self.write_rule(pattern, rule, mode, priority=len(pattern.rules) - position)
        self.write_stopped_record(self.element(attempt, "catch"))
        text = etree.tostring(self.root, encoding="unicode", pretty_print=True)
        takes_document_uri = any(pattern.documents for pattern in self.schema.patterns)
        return CompiledText(text, tuple(self.assertions), dict(self.code_lists), takes_document_uri=takes_document_uri)

    def subordinate_nodes(self, documents: str) -> str:
        """Every node of the documents a pattern's @documents names (ISO 2016 subordinate documents).

        Each URI is resolved against the validated document's own URI when
        the engine knows it (a document read from a file), else against the
        .sch file's, and read once per run (`doc`).
        """
        if self.root.find(f"{_x('param')}[@name='{DOCUMENT_URI_PARAMETER}']") is None:
            self.element(self.root, "param", name=DOCUMENT_URI_PARAMETER, as_="xs:string", select="''")
        base = f"(${DOCUMENT_URI_PARAMETER}[. ne ''], static-base-uri())[1]"
        return (
            f"(for $jpi:uri in ({documents}) return doc(resolve-uri(string($jpi:uri), {base})))"
            " ! (. , descendant::node() , descendant::*/@*)"
        )

    def write_location_functions(self) -> None:
        prefixes = ", ".join(
            f"{_string_literal(uri)}: {_string_literal(prefix)}" for uri, prefix in LOCATION_PREFIXES.items()
        )
        self.element(self.root, "variable", name="jpi:prefixes", select=f"map{{{prefixes}}}")
        # The position among same-named siblings, numbered once per parent and
        # remembered (cache="yes"): counting preceding siblings for each finding
        # would take quadratic time on a document with many repeated elements.
        positions = self.element(self.root, "function", name="jpi:positions", as_="map(xs:string, xs:integer)")
        positions.set("cache", "yes")
        self.element(positions, "param", name="parent", as_="node()")
        group = self.element(
            self.element(positions, "map"), "for-each-group", select="$parent/*", group_by="node-name()"
        )
        self.element(
            self.element(group, "for-each", select="current-group()"),
            "map-entry",
            key="generate-id()",
            select="position()",
        )
        step = self.element(self.root, "function", name="jpi:step", as_="xs:string")
        self.element(step, "param", name="element", as_="element()")
        self.element(
            step,
            "sequence",
            select=(
                "let $uri := namespace-uri($element), $local := local-name($element),"
                " $prefix := $jpi:prefixes($uri),"
                " $name := if (exists($prefix)) then $prefix || ':' || $local"
                " else if ($uri = '') then $local else 'Q{' || $uri || '}' || $local"
                " return '/' || $name || '['"
                " || (if (exists($element/..)) then jpi:positions($element/..)(generate-id($element)) else 1)"
                " || ']'"
            ),
        )
        path = self.element(self.root, "function", name="jpi:path", as_="xs:string")
        self.element(path, "param", name="node", as_="node()")
        self.element(
            path,
            "sequence",
            select=(
                "if ($node instance of document-node()) then '/' else string-join(("
                "$node/ancestor-or-self::* ! jpi:step(.),"
                " if ($node instance of element()) then ()"
                " else if ($node instance of attribute()) then '/@' || (if (namespace-uri($node) = '')"
                " then local-name($node) else 'Q{' || namespace-uri($node) || '}' || local-name($node))"
                " else if ($node instance of text()) then"
                " '/text()[' || 1 + count($node/preceding-sibling::text()) || ']'"
                " else if ($node instance of comment()) then"
                " '/comment()[' || 1 + count($node/preceding-sibling::comment()) || ']'"
                " else '/processing-instruction(' || local-name($node) || ')['"
                " || 1 + count($node/preceding-sibling::processing-instruction()) || ']'"
                "), '')"
            ),
        )

    def write_code_list(self, name: str, href: str, origin: object, release: str | None) -> None:
        where = {"file": getattr(origin, "file", None), "line": getattr(origin, "line", None)}
        try:
            self.code_lists[name] = read_code_list(href).codes_as_of(release)
        except OSError:
            raise SchematronError(f"code list not found: {href}", **where) from None
        except ValueError as error:
            raise SchematronError(f"code list {href}: {error}", **where) from None
        self.element(self.root, "param", origin, name=name, as_="map(xs:string, xs:boolean)", required="yes")

    def guarded(self, pattern: str, origin: object, scope: etree._Element | None = None) -> str:
        """The pattern with its predicates guarded, and their guard functions written.

        `scope` is the copied foreign element the pattern belongs to: its
        guard functions take its namespaces and default element namespace.
        Without one, the pattern is a rule's context, matched only in our
        own modes, against the nodes of the validated document: a document
        node is their root, so paths from the root need no guard.
        """

        def write_guard(predicate: Predicate) -> str:
            self.guards += 1
            name = f"jpi:predicate{self.guards}"
            self.write_guard_function(name, predicate, origin, scope)
            return name

        return guard_pattern(pattern, write_guard, rooted=scope is None)

    def write_guard_function(
        self, name: str, predicate: Predicate, origin: object, scope: etree._Element | None
    ) -> None:
        """A function that says whether a predicate can be evaluated for an item, with the item's focus.

        The focus's position and size are made by iterating over the item
        repeated, when the predicate may use them. A global variable the
        predicate names that failed (see `write_globals`) makes it false.
        """
        function = etree.SubElement(self.root, _x("function"), nsmap=scope.nsmap if scope is not None else None)
        function.set("name", name)
        function.set("as", "xs:boolean")
        function.set(f"{{{SOURCE}}}at", str(origin))
        default_namespace = scope.get("xpath-default-namespace") if scope is not None else None
        if default_namespace is not None:
            function.set("xpath-default-namespace", default_namespace)
        self.element(function, "param", name="jpi:item", as_="item()")
        for parameter, kind in predicate.parameters:
            self.element(function, "param", name=f"jpi:{parameter}", as_=kind)
        attempt = self.element(function, "try")
        body = attempt
        hidden = sorted(f"${self.globals[variable]}" for variable in predicate.variables & self.globals.keys())
        if hidden:
            choose = self.element(attempt, "choose")
            failed = self.element(choose, "when", test=f"exists(({', '.join(hidden)})?error)")
            self.element(failed, "sequence", select="false()")
            body = self.element(choose, "otherwise")
        if predicate.position or predicate.last:
            size = "$jpi:last" if predicate.last else "$jpi:position"
            repeated = self.element(body, "for-each", select=f"(1 to {size}) ! $jpi:item")
            at = "$jpi:position" if predicate.position else "1"
            focus = self.element(repeated, "if", test=f"position() eq {at}")
        else:
            focus = self.element(body, "for-each", select="$jpi:item")
        self.element(focus, "variable", origin, name="jpi:value", select=predicate.expression)
        # A single number selects by position, and the pattern compares it; anything else must have
        # an effective boolean value, or the predicate raises.
        self.element(focus, "sequence", select="$jpi:value instance of xs:numeric or boolean($jpi:value)")
        self.element(attempt, "catch", select="false()")

    def write_globals(self) -> None:
        """The schema's lets and the rule file's own global `xsl:variable`s, each guarded.

        No `xsl:try` may catch an error raised while a global variable is
        evaluated, and Saxon reports it on stderr when it stops the
        transformation. So each global variable's declaration is evaluated
        under `xsl:try` in a hidden global (`jpi:globalN`), a map holding its
        value or its error, which never raises; a variable that failed
        because another did fails with that one's error. The variable itself
        keeps its name and gives the value, or, when it failed, a `stopped`
        message, which makes the engine treat the whole run as stopped, as
        the error did before; guarded predicates look at the hidden map
        instead, so that in a pattern the error still only means "no match".
        """
        declarations: list[tuple[str, etree._Element, object]] = []
        for let in self.schema.lets:
            holder = etree.Element(_x("sequence"))
            self.write_let(holder, replace(let, name="jpi:value"))
            declarations.append((let.name, holder[0], let.origin))
        for copied, origin in self.foreign_variables:
            name = copied.get("name", "")
            copied.set("name", "jpi:value")
            copied.attrib.pop("visibility", None)
            declarations.append((name, copied, origin))
        for number, (name, _, _) in enumerate(declarations, start=1):
            self.globals[name] = f"jpi:global{number}"
        references = {
            name: sorted(_references_in(declaration) & self.globals.keys() - {name})
            for name, declaration, _ in declarations
        }
        for name, declaration, origin in declarations:
            self.write_global(name, declaration, origin, _without_cycles(name, references))

    def write_global(self, name: str, declaration: etree._Element, origin: object, references: tuple[str, ...]) -> None:
        hidden = self.globals[name]
        holder = etree.SubElement(self.root, _x("variable"), nsmap=declaration.nsmap)
        holder.set("name", hidden)
        holder.set("as", "map(*)")
        holder.set(f"{{{SOURCE}}}at", str(origin))
        attempt_parent = holder
        if references:
            others = "(" + ", ".join(f"${self.globals[other]}" for other in references) + ")"
            choose = self.element(holder, "choose")
            failed = self.element(choose, "when", test=f"exists({others}?error)")
            self.element(failed, "sequence", select=f"{others}[exists(?error)][1]")
            attempt_parent = self.element(choose, "otherwise")
        attempt = self.element(attempt_parent, "try")
        attempt.append(declaration)
        self.element(attempt, "sequence", select="map{'value': $jpi:value}")
        self.element(attempt, "catch", select="map{'error': normalize-space($err:description)}")

        variable = etree.SubElement(self.root, _x("variable"), nsmap=declaration.nsmap)
        variable.set("name", name)
        variable.set("as", "item()*")
        variable.set(f"{{{SOURCE}}}at", str(origin))
        choose = self.element(variable, "choose")
        failed = self.element(choose, "when", test=f"exists(${hidden}?error)")
        self.element(
            failed, "message", select=f"string-join(({_string_literal(RECORD_STOPPED)}, ${hidden}?error), '\t')"
        )
        self.element(self.element(choose, "otherwise"), "sequence", select=f"${hidden}?value")

    def write_let(self, parent: etree._Element, let: Let) -> None:
        variable = self.element(parent, "variable", let.origin, name=let.name)
        if let.as_type is not None:
            variable.set("as", let.as_type)
        if let.value is not None:
            variable.set("select", let.value)
        elif let.content is not None:
            if let.content.text:
                variable.text = let.content.text
            for child in let.content:
                copied = _copy(child)
                variable.append(copied)
                for node in copied.iter(f"{{{XSL}}}*"):
                    node.tag = f"{{{XSL_ALIAS}}}{etree.QName(node).localname}"
                    self.write_namespace_alias()

    def write_namespace_alias(self) -> None:
        if self.root.find(_x("namespace-alias")) is None:
            self.element(self.root, "namespace-alias", stylesheet_prefix="jpixsl", result_prefix="xsl")

    def write_rule(self, pattern: Pattern, rule: Rule, mode: str, priority: int) -> None:
        match = self.guarded(rule.context or "", rule.origin)
        template = self.element(self.root, "template", rule.origin, match=match, mode=mode, priority=str(priority))
        self.write_fired_rule(template, rule)
        lets = pattern.lets + rule.lets
        if not self.careful:
            for let in lets:
                self.write_let(template, let)
        for item in rule.body:
            assert isinstance(item, Assertion)  # resolve_schema inlined every extends
            self.write_assertion(template, pattern, rule, item, lets if self.careful else ())

    def write_assertion(
        self, parent: etree._Element, pattern: Pattern, rule: Rule, assertion: Assertion, lets: tuple[Let, ...]
    ) -> None:
        index = len(self.assertions)
        self.assertions.append(
            AssertionEntry(
                index=index,
                id=assertion.id,
                kind=assertion.kind,
                flag=assertion.flag,  # SVRL: a rule's flag is the fired rule's, not its assertions'
                role=assertion.role or rule.role,
                test=assertion.test,
                context=rule.context or "",
                pattern=pattern.id,
                file=assertion.origin.file,
                line=assertion.origin.line,
                diagnostics=assertion.diagnostics,
                message=_static_message(assertion.message),
                values=tuple(
                    self.property(reference, assertion).role or reference for reference in assertion.properties
                ),
            )
        )
        guard = self.element(parent, "try", assertion.origin) if self.careful else parent
        for let in lets:
            self.write_let(guard, let)
        if assertion.kind == "assert":
            choose = self.element(guard, "choose", assertion.origin)
            self.element(choose, "when", assertion.origin, test=assertion.test)
            body = self.element(choose, "otherwise")
        else:
            body = self.element(guard, "if", assertion.origin, test=assertion.test)
        self.write_failed_record(body, index, assertion)
        if self.careful:
            self.write_error_record(self.element(guard, "catch"), index)

    def write_message(
        self, parent: etree._Element, name: str, parts: tuple[MessagePart, ...], *, guarded: bool = False
    ) -> None:
        """A message as a string variable; `guarded`, a value that cannot be computed is empty, not an error."""
        variable = self.element(parent, "variable", name=name, as_="xs:string")
        if guarded:
            attempt = self.element(variable, "try")
            value = self.element(attempt, "value-of")
            self.element(attempt, "catch", select="''")
        else:
            value = self.element(variable, "value-of")
        for part in parts:
            if isinstance(part, Text):
                text = self.element(value, "text")
                text.text = part.text
            elif isinstance(part, ValueOf):
                self.element(value, "value-of", select=part.select)
            elif isinstance(part, Name):
                self.element(value, "value-of", select=name_expression(part.path))
        if not parts:
            value.set("select", "''")

    def property(self, reference: str, assertion: Assertion) -> Property:
        found = self.properties.get(reference)
        if found is None:
            raise SchematronError(
                f"unknown property '{reference}'", file=assertion.origin.file, line=assertion.origin.line
            )
        return found

    def write_failed_record(self, parent: etree._Element, index: int, assertion: Assertion) -> None:
        """The record of a failed assertion: its message, then each diagnostic's and each property's text.

        Diagnostics and properties are evaluated here, only when the
        assertion fails, so the values they report cost nothing on a valid
        document. A fixed message is left empty: the engine takes it from the
        assertion table, and Saxon has less to compile.
        """
        fields = [_string_literal(RECORD_FAILED), str(index), "jpi:path(.)"]
        if _static_message(assertion.message) is not None and not assertion.diagnostics and not assertion.properties:
            self.write_record(parent, fields)
            return
        if _static_message(assertion.message) is not None:
            fields.append("''")
        else:
            self.write_message(parent, "jpi:message", assertion.message)
            fields.append("normalize-space($jpi:message)")
        for number, reference in enumerate(assertion.diagnostics):
            diagnostic = self.diagnostics.get(reference)
            if diagnostic is None:
                raise SchematronError(
                    f"unknown diagnostic '{reference}'", file=assertion.origin.file, line=assertion.origin.line
                )
            name = f"jpi:diagnostic{number}"
            self.write_message(parent, name, diagnostic.message)
            fields.append(f"normalize-space(${name})")
        for number, reference in enumerate(assertion.properties):
            name = f"jpi:property{number}"
            # A property only reports: it must not turn the assertion's failure into an error.
            self.write_message(parent, name, self.property(reference, assertion).message, guarded=True)
            fields.append(f"normalize-space(${name})")
        self.write_record(parent, fields)

    def write_error_record(self, parent: etree._Element, index: int) -> None:
        fields = [
            _string_literal(RECORD_ERROR),
            str(index),
            "jpi:path(.)",
            "normalize-space(string($err:code) || ' ' || $err:description)",
        ]
        self.write_record(parent, fields)

    def write_stopped_record(self, parent: etree._Element) -> None:
        """What an error outside every assertion's guard leaves: the output so far is rolled back."""
        self.write_record(parent, [_string_literal(RECORD_STOPPED), "normalize-space($err:description)"])

    def write_record(self, parent: etree._Element, fields: list[str]) -> None:
        record = self.element(parent, "value-of", select="(" + ", ".join(fields) + ")")
        record.set("separator", "\t")
        newline = self.element(parent, "text")
        newline.text = "\n"


def name_expression(path: str | None) -> str:
    """What `<name path="..."/>` writes: the name of each node the path selects (as the ISO
    skeleton does), the string of anything else, the context's name without a path."""
    if not path:
        return "name(.)"
    return (
        f"string-join(for $jpi:named in ({path}) return "
        "if ($jpi:named instance of node()) then name($jpi:named) else string($jpi:named), ' ')"
    )


def _references_in(declaration: etree._Element) -> frozenset[str]:
    """The names of the variables a declaration's expressions may refer to."""
    found: set[str] = set()
    for element in declaration.iter():
        if isinstance(element.tag, str):
            for value in element.attrib.values():
                found |= variable_references(value)
    return frozenset(found)


def _without_cycles(name: str, references: dict[str, list[str]]) -> tuple[str, ...]:
    """`name`'s references, less those that lead back to it.

    References are found by name only, so a local variable that shares a
    global's name may look like a reference; a cycle of such can only be
    such a mistake, and following it would be a circular definition.
    """
    kept = []
    for other in references[name]:
        seen: set[str] = set()
        stack = [other]
        while stack:
            current = stack.pop()
            if current == name:
                break
            if current not in seen:
                seen.add(current)
                stack.extend(references.get(current, ()))
        else:
            kept.append(other)
    return tuple(kept)


def _static_message(parts: tuple[MessagePart, ...]) -> str | None:
    """The message, whitespace-normalised, when it has no part to evaluate."""
    if all(isinstance(part, Text) for part in parts):
        return " ".join("".join(part.text for part in parts if isinstance(part, Text)).split())
    return None


def _copy(element: etree._Element) -> etree._Element:
    from copy import deepcopy

    copied = deepcopy(element)
    copied.tail = None
    return copied


def write_stylesheet(schema: Schema, *, careful: bool = False) -> CompiledText:
    """Compile a resolved schema to XSLT text plus the table of its assertions.

    Two stylesheets come from one schema, with the same assertion table:
    the default one is plain and fast (a rule's `let`s evaluated once per
    context, no error handling), and stops at the first dynamic error. The
    `careful` one guards every assertion with its own `xsl:try`, with the
    rule's `let`s declared inside the guard, so an error (an amount that is
    not a number, a value that occurs twice) becomes an error record for
    that assertion alone and every other assertion still runs. It costs more
    to compile and to run, so the engine uses it only for documents on
    which the plain one stopped.
    """
    return _Writer(schema, careful).write()
