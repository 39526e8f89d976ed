"""Reading `.sch` files into the frozen model, following `include` as we go.

Parsing is strict about what a rule author can get wrong (a rule without a
context, an assert without a test, an include that points nowhere) and
quiet about documentation elements (`title`, `p`) it has no use for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree

from jppint.errors import SchematronError
from jppint.schematron.model import (
    Assertion,
    CodeList,
    Diagnostic,
    Extends,
    Let,
    MessagePart,
    Name,
    Origin,
    Param,
    Pattern,
    Phase,
    Property,
    Rule,
    Schema,
    Text,
    ValueOf,
)

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
JPPINT = "urn:jppint:schematron"

QUERY_BINDINGS = {"xslt2", "xslt3", "xpath2", "xpath3", "xpath31"}
# XPath 1.0 bindings: XPath 3.1 gives some of their expressions other results (numbers compared as
# strings, a sequence where 1.0 took the first node), so they are refused rather than run differently.
XPATH_1_BINDINGS = {"xslt", "xpath", "exslt"}
# A schema without @queryBinding is taken as written for XPath 2 or later: the author chose none,
# and the ISO default (XPath 1.0) would be refused.
DEFAULT_QUERY_BINDING = "xslt2"
_IGNORED = {"title", "p"}
_MAX_INCLUDE_DEPTH = 50


def _sch(local: str) -> str:
    return f"{{{SCH}}}{local}"


def _load(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.parse(str(path), parser).getroot()
    except OSError:
        raise SchematronError("cannot read file", file=str(path)) from None
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise SchematronError(f"not well-formed XML: {error.msg}", file=str(path), line=line) from None


class _Reader:
    """One parse of one top-level schema; tracks open includes to stop cycles."""

    def __init__(self) -> None:
        self.include_stack: list[Path] = []
        self.files: list[str] = []

    def origin(self, element: etree._Element, file: Path) -> Origin:
        return Origin(str(file), element.sourceline)

    def fail(self, problem: str, element: etree._Element, file: Path) -> SchematronError:
        return SchematronError(problem, file=str(file), line=element.sourceline)

    def children(self, element: etree._Element, file: Path) -> Iterator[tuple[etree._Element, Path]]:
        """Children with every `include` replaced by what it points to."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == _sch("include"):
                yield from self.included(child, file)
            else:
                yield child, file

    def included(self, include: etree._Element, file: Path) -> Iterator[tuple[etree._Element, Path]]:
        href = include.get("href")
        if not href:
            raise self.fail("include without href", include, file)
        root, target = self.referenced(href, include, file, "included")
        self.files.append(str(target))
        self.include_stack.append(target)
        try:
            if root.tag == _sch("schema"):
                # Including a whole schema splices its top-level content.
                yield from list(self.children(root, target))
            else:
                yield root, target
        finally:
            self.include_stack.pop()

    def referenced(self, href: str, reference: etree._Element, file: Path, verb: str) -> tuple[etree._Element, Path]:
        """The element an include or extends points to: a file's root, or with `#id` the element of that id.

        The element takes the including element's xml:lang when it has none
        in its own file (language fixup, as XInclude does).
        """
        path, _, fragment = href.partition("#")
        target = (file.parent / path).resolve() if path else file
        if (path and target in self.include_stack) or len(self.include_stack) > _MAX_INCLUDE_DEPTH:
            raise self.fail(f"include cycle through {target}", reference, file)
        if not target.is_file():
            raise self.fail(f"{verb} file not found: {path}", reference, file)
        root = _load(target)
        if fragment:
            found = root.xpath("//*[@id = $id or @xml:id = $id][1]", id=fragment)
            if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
                raise self.fail(f"no element with id '{fragment}' in {target.name}", reference, file)
            root = found[0]
        _inherit_language(root, reference)
        return root, target

    def required(self, element: etree._Element, name: str, file: Path) -> str:
        value = element.get(name)
        if value is None or not value.strip():
            local = etree.QName(element).localname
            raise self.fail(f"<{local}> needs a non-empty @{name}", element, file)
        return str(value)

    def let(self, element: etree._Element, file: Path) -> Let:
        name = self.required(element, "name", file)
        value = element.get("value")
        content = None
        if value is None:
            if len(element) == 0 and not (element.text or "").strip():
                raise self.fail(f"<let name='{name}'> has neither @value nor content", element, file)
            content = element
        return Let(
            name=name, value=value, content=content, origin=self.origin(element, file), as_type=element.get("as")
        )

    def message(self, element: etree._Element, file: Path) -> tuple[MessagePart, ...]:
        parts: list[MessagePart] = []
        if element.text:
            parts.append(Text(element.text))
        for child in element:
            if isinstance(child.tag, str):
                if child.tag == _sch("value-of"):
                    parts.append(ValueOf(self.required(child, "select", file)))
                elif child.tag == _sch("name"):
                    parts.append(Name(child.get("path")))
                else:
                    # emph, dir, span and foreign markup: their text is the message.
                    parts.extend(self.message(child, file))
            if child.tail:
                parts.append(Text(child.tail))
        return tuple(parts)

    def assertion(self, element: etree._Element, file: Path) -> Assertion:
        kind = etree.QName(element).localname
        return Assertion(
            kind="assert" if kind == "assert" else "report",
            test=self.required(element, "test", file),
            id=element.get("id"),
            flag=element.get("flag"),
            role=element.get("role"),
            message=self.message(element, file),
            diagnostics=tuple((element.get("diagnostics") or "").split()),
            origin=self.origin(element, file),
            properties=tuple((element.get("properties") or "").split()),
            lang=_language_of(element),
        )

    def rule(self, element: etree._Element, file: Path) -> Rule:
        abstract = element.get("abstract") == "true"
        context = element.get("context")
        if abstract and context:
            raise self.fail("an abstract rule must not have a context", element, file)
        if not abstract and not (context and context.strip()):
            raise self.fail("<rule> needs a non-empty @context", element, file)
        if abstract and not element.get("id"):
            raise self.fail("an abstract rule needs an @id", element, file)
        lets: list[Let] = []
        body: list[Assertion | Extends] = []
        for child, child_file in self.children(element, file):
            self.rule_child(child, child_file, lets, body)
        return Rule(
            context=context,
            id=element.get("id"),
            abstract=abstract,
            flag=element.get("flag"),
            role=element.get("role"),
            lets=tuple(lets),
            body=tuple(body),
            origin=self.origin(element, file),
        )

    def rule_child(
        self,
        child: etree._Element,
        file: Path,
        lets: list[Let],
        body: list[Assertion | Extends],
    ) -> None:
        local = etree.QName(child).localname if child.tag.startswith(f"{{{SCH}}}") else None
        if local == "let":
            lets.append(self.let(child, file))
        elif local in ("assert", "report"):
            body.append(self.assertion(child, file))
        elif local == "extends":
            if child.get("href"):
                root, target = self.referenced(child.get("href", ""), child, file, "extended")
                self.files.append(str(target))
                for grandchild, grandchild_file in self.children(root, target):
                    self.rule_child(grandchild, grandchild_file, lets, body)
            else:
                body.append(Extends(self.required(child, "rule", file), self.origin(child, file)))
        elif local is None or local in _IGNORED:
            return
        else:
            raise self.fail(f"<{local}> is not allowed in a rule", child, file)

    def pattern(self, element: etree._Element, file: Path) -> Pattern:
        params: list[Param] = []
        lets: list[Let] = []
        rules: list[Rule] = []
        for child, child_file in self.children(element, file):
            local = etree.QName(child).localname if child.tag.startswith(f"{{{SCH}}}") else None
            if local == "rule":
                rules.append(self.rule(child, child_file))
            elif local == "pattern" and child is not element and child.getparent() is None:
                # An included file whose root is a pattern is a fragment of this
                # pattern: its rules keep their order, so first-match still holds.
                fragment = self.pattern(child, child_file)
                lets.extend(fragment.lets)
                rules.extend(fragment.rules)
            elif local == "let":
                lets.append(self.let(child, child_file))
            elif local == "param":
                params.append(
                    Param(self.required(child, "name", child_file), self.required(child, "value", child_file))
                )
            elif local is None or local in _IGNORED:
                continue
            else:
                raise self.fail(f"<{local}> is not allowed in a pattern", child, child_file)
        is_a = element.get("is-a")
        if is_a and rules:
            raise self.fail("a pattern with @is-a must not contain rules", element, file)
        return Pattern(
            id=element.get("id"),
            abstract=element.get("abstract") == "true",
            is_a=is_a,
            params=tuple(params),
            lets=tuple(lets),
            rules=tuple(rules),
            origin=self.origin(element, file),
            documents=element.get("documents"),
        )

    def phase(self, element: etree._Element, file: Path) -> Phase:
        active: list[str] = []
        lets: list[Let] = []
        for child, child_file in self.children(element, file):
            local = etree.QName(child).localname if child.tag.startswith(f"{{{SCH}}}") else None
            if local == "active":
                active.append(self.required(child, "pattern", child_file))
            elif local == "let":
                lets.append(self.let(child, child_file))
        return Phase(self.required(element, "id", file), tuple(active), tuple(lets), self.origin(element, file))

    def schema(self, root: etree._Element, file: Path) -> Schema:
        if root.tag != _sch("schema"):
            raise self.fail(f"the root element must be sch:schema, not {root.tag}", root, file)
        binding = (root.get("queryBinding") or DEFAULT_QUERY_BINDING).strip().lower()
        if binding in XPATH_1_BINDINGS:
            raise self.fail(
                f"query binding '{binding}' means XPath 1.0, which jppint does not run: it evaluates "
                "XPath 3.1, where some XPath 1.0 expressions give other results; if the rules are "
                'valid XPath 2.0, declare queryBinding="xslt2"',
                root,
                file,
            )
        if binding not in QUERY_BINDINGS:
            raise self.fail(f"query binding '{binding}' is not supported (use xslt2 or xslt3)", root, file)
        namespaces: list[tuple[str, str]] = []
        lets: list[Let] = []
        patterns: list[Pattern] = []
        phases: list[Phase] = []
        diagnostics: list[Diagnostic] = []
        properties: list[Property] = []
        foreign: list[tuple[etree._Element, Origin]] = []
        code_lists: list[CodeList] = []
        self.include_stack.append(file)
        for child, child_file in self.children(root, file):
            namespace = etree.QName(child).namespace
            local = etree.QName(child).localname
            if namespace == SCH:
                if local == "ns":
                    namespaces.append(
                        (self.required(child, "prefix", child_file), self.required(child, "uri", child_file))
                    )
                elif local == "let":
                    lets.append(self.let(child, child_file))
                elif local == "pattern":
                    patterns.append(self.pattern(child, child_file))
                elif local == "phase":
                    phases.append(self.phase(child, child_file))
                elif local == "diagnostics":
                    for item, item_file in self.children(child, child_file):
                        if item.tag == _sch("diagnostic"):
                            diagnostics.append(
                                Diagnostic(
                                    self.required(item, "id", item_file),
                                    self.message(item, item_file),
                                    self.origin(item, item_file),
                                    content=item,
                                    lang=_language_of(item),
                                )
                            )
                elif local == "properties":
                    for item, item_file in self.children(child, child_file):
                        if item.tag == _sch("property"):
                            properties.append(
                                Property(
                                    self.required(item, "id", item_file),
                                    item.get("role"),
                                    self.message(item, item_file),
                                    self.origin(item, item_file),
                                    content=item,
                                    lang=_language_of(item),
                                    scheme=item.get("scheme"),
                                )
                            )
                elif local in _IGNORED:
                    continue
                else:
                    raise self.fail(f"<{local}> is not allowed at the top of a schema", child, child_file)
            elif namespace == XSL:
                foreign.append((child, self.origin(child, child_file)))
            elif namespace == JPPINT and local == "code-list":
                href = (child_file.parent / self.required(child, "href", child_file)).resolve()
                self.files.append(str(href))
                code_lists.append(
                    CodeList(
                        self.required(child, "name", child_file),
                        str(href),
                        self.origin(child, child_file),
                        root.get(f"{{{JPPINT}}}release"),
                    )
                )
        return Schema(
            origin=self.origin(root, file),
            query_binding=binding,
            default_phase=root.get("defaultPhase"),
            namespaces=tuple(namespaces),
            lets=tuple(lets),
            patterns=tuple(patterns),
            phases=tuple(phases),
            diagnostics=tuple(diagnostics),
            foreign=tuple(foreign),
            code_lists=tuple(code_lists),
            properties=tuple(properties),
        )


_LANGUAGE = "{http://www.w3.org/XML/1998/namespace}lang"


def _language_of(element: etree._Element) -> str | None:
    """The xml:lang in scope: the nearest one on the element or an ancestor."""
    found = element.xpath("ancestor-or-self::*[@xml:lang][1]/@xml:lang")
    return str(found[0]) if isinstance(found, list) and found else None


def _inherit_language(root: etree._Element, reference: etree._Element) -> None:
    """Language fixup (as XInclude does): an included root without xml:lang takes the including element's."""
    language = _language_of(reference)
    if language is not None and _language_of(root) is None:
        root.set(_LANGUAGE, language)


def parse_schematron(path: str | Path) -> Schema:
    """Read a `.sch` file and everything it includes into a `Schema`."""
    file = Path(path).resolve()
    if not file.is_file():
        raise SchematronError("no such Schematron file", file=str(path))
    reader = _Reader()
    reader.files.append(str(file))
    schema = reader.schema(_load(file), file)
    return replace(schema, files=tuple(dict.fromkeys(reader.files)))
