"""Writing a resolved schema as a stylesheet whose output is full SVRL, as the ISO skeleton gives it.

The stylesheets of `xslt` write compact text records, which are all that
findings need. Tools that read SVRL want more: which patterns were active,
every rule that fired (with or without a failure), and each assertion's
diagnostics and properties with their markup (`xsl:copy-of` in a property
copies nodes of the document). This variant shares the rule matching, the
lets and the locations of the plain stylesheet and writes, per document,
one `svrl:schematron-output`:

    active-pattern (id)            before the rules of each pattern
    fired-rule (context, id, role, flag)
    failed-assert | successful-report (test, location, id, role, flag, xml:lang)
        diagnostic-reference (diagnostic) / text (xml:lang)
        property-reference (property, role, scheme) / text (xml:lang)
        text

An error that stops the run leaves one `jpi:stopped` element with Saxon's
description instead, which `engine` turns into an error.
"""

from __future__ import annotations

from lxml import etree

from jppint.errors import SchematronError
from jppint.namespaces import LOCATION_PREFIXES
from jppint.schematron.model import Assertion, Diagnostic, Param, Pattern, Property, Rule, Schema
from jppint.schematron.parse import SCH, XSL
from jppint.schematron.resolve import substitute_parameters
from jppint.schematron.xslt import INTERNAL, XML, CompiledText, _copy, _Writer, name_expression

SVRL = "http://purl.oclc.org/dsdl/svrl"
STOPPED = f"{{{INTERNAL}}}stopped"


def _svrl(local: str) -> str:
    return f"{{{SVRL}}}{local}"


def _literal(text: str) -> str:
    """Text for an attribute of a literal result element, where braces start an expression."""
    return text.replace("{", "{{").replace("}", "}}")


class _SvrlWriter(_Writer):
    def __init__(self, schema: Schema, phase: str | None) -> None:
        super().__init__(schema, careful=False)
        self.phase = phase

    def write_output(self) -> None:
        self.element(self.root, "output", method="xml", encoding="UTF-8", indent="no")

    def open_results(self, start: etree._Element) -> etree._Element:
        output = etree.SubElement(start, _svrl("schematron-output"), nsmap={"svrl": SVRL})
        output.set("schemaVersion", "iso")
        if self.phase is not None:
            output.set("phase", _literal(self.phase))
        # The schema's prefixes, as the ISO skeleton declares them, then those of our locations.
        declared = dict(self.schema.namespaces)
        for prefix, uri in [
            *self.schema.namespaces,
            *((p, u) for u, p in LOCATION_PREFIXES.items() if p not in declared),
        ]:
            etree.SubElement(output, _svrl("ns-prefix-in-attribute-values"), uri=_literal(uri), prefix=prefix)
        return output

    def write_active_pattern(self, parent: etree._Element, pattern: Pattern) -> None:
        active = etree.SubElement(parent, _svrl("active-pattern"))
        if pattern.id:
            active.set("id", _literal(pattern.id))
            active.set("name", _literal(pattern.id))

    def write_fired_rule(self, template: etree._Element, rule: Rule) -> None:
        fired = etree.SubElement(
            template, _svrl("fired-rule"), context=_literal(rule.context or ""), nsmap={"svrl": SVRL}
        )
        for name, value in (("id", rule.id), ("role", rule.role), ("flag", rule.flag)):
            if value:
                fired.set(name, _literal(value))

    def write_failed_record(self, parent: etree._Element, index: int, assertion: Assertion) -> None:
        name = "failed-assert" if assertion.kind == "assert" else "successful-report"
        result = etree.SubElement(
            parent, _svrl(name), test=_literal(assertion.test), location="{jpi:path(.)}", nsmap={"svrl": SVRL}
        )
        for attribute, value in (("id", assertion.id), ("role", assertion.role), ("flag", assertion.flag)):
            if value:
                result.set(attribute, _literal(value))
        if assertion.lang:
            result.set(f"{{{XML}}}lang", _literal(assertion.lang))
        for reference in assertion.diagnostics:
            diagnostic = self.diagnostic(reference, assertion)
            holder = etree.SubElement(result, _svrl("diagnostic-reference"), diagnostic=_literal(reference))
            self.write_text(holder, diagnostic, assertion.parameters)
        for reference in assertion.properties:
            found = self.property(reference, assertion)
            holder = etree.SubElement(result, _svrl("property-reference"), property=_literal(reference))
            for attribute, value in (("role", found.role), ("scheme", found.scheme)):
                if value:
                    holder.set(attribute, _literal(value))
            self.write_text(holder, found, assertion.parameters)
        text = etree.SubElement(result, _svrl("text"))
        self.write_message(text, "jpi:message", assertion.message)
        self.element(text, "value-of", select="$jpi:message")

    def write_stopped_record(self, parent: etree._Element) -> None:
        stopped = etree.SubElement(parent, STOPPED)
        self.element(stopped, "value-of", select="normalize-space($err:description)")

    def diagnostic(self, reference: str, assertion: Assertion) -> Diagnostic:
        found = self.diagnostics.get(reference)
        if found is None:
            raise SchematronError(
                f"unknown diagnostic '{reference}'", file=assertion.origin.file, line=assertion.origin.line
            )
        return found

    def write_text(self, parent: etree._Element, source: Diagnostic | Property, parameters: tuple[Param, ...]) -> None:
        text = etree.SubElement(parent, _svrl("text"))
        if source.lang:
            text.set(f"{{{XML}}}lang", _literal(source.lang))
        if source.content is not None:
            self.write_content(text, source.content, parameters)

    def write_content(self, parent: etree._Element, element: etree._Element, parameters: tuple[Param, ...]) -> None:
        """Mixed content as written: text, `value-of` and `name` evaluated, foreign XSLT run, other markup kept."""
        self.write_literal_text(parent, element.text)
        for child in element:
            if isinstance(child.tag, str):
                namespace = etree.QName(child).namespace
                if child.tag == f"{{{SCH}}}value-of":
                    select = substitute_parameters(parameters, child.get("select", ""))
                    self.element(parent, "value-of", select=select)
                elif child.tag == f"{{{SCH}}}name":
                    path = child.get("path")
                    select = name_expression(substitute_parameters(parameters, path) if path else None)
                    self.element(parent, "value-of", select=select)
                elif namespace == SCH:  # emph, dir, span: their content
                    self.write_content(parent, child, parameters)
                elif namespace == XSL:
                    copied = _copy(child)
                    for node in copied.iter():
                        for attribute, value in node.attrib.items():
                            node.set(attribute, substitute_parameters(parameters, value))
                    parent.append(copied)
                else:
                    literal = etree.SubElement(parent, child.tag)
                    for attribute, value in child.attrib.items():
                        literal.set(attribute, _literal(value))
                    self.write_content(literal, child, parameters)
            self.write_literal_text(parent, child.tail)

    def write_literal_text(self, parent: etree._Element, text: str | None) -> None:
        if text:
            self.element(parent, "text").text = text


def write_svrl_stylesheet(schema: Schema, *, phase: str | None = None) -> CompiledText:
    """Compile a resolved schema to a stylesheet that writes full SVRL (see the module's docstring).

    It runs like the plain stylesheet of `write_stylesheet`, lets and all,
    and has the same assertion table; `phase` is only reported.
    """
    return _SvrlWriter(schema, phase).write()
