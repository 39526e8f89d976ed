"""ISO Schematron semantics our compiler keeps, on small schemas written for each behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from jppint import Validator
from jppint.errors import SchematronError

SCH = 'xmlns="http://purl.oclc.org/dsdl/schematron"'
SVRL = "http://purl.oclc.org/dsdl/svrl"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fired(schematron: Path, document: Path) -> list[tuple[str, str | None]]:
    report = Validator(schematron=(schematron,), schema=False, advice=False).validate(document)
    return sorted((f.rule_id, f.flag) for f in report.findings if f.layer == "rules")


@pytest.fixture
def document(tmp_path: Path) -> Path:
    return write(tmp_path, "document.xml", '<order><line code="A"/><line code="Z"/></order>')


def test_a_pattern_let_is_global_and_evaluated_with_the_document_as_context(tmp_path: Path, document: Path) -> None:
    schematron = write(
        tmp_path,
        "rules.sch",
        f"""<schema {SCH} queryBinding="xslt2">
          <pattern><let name="lines" value="count(//line)"/></pattern>
          <pattern><rule context="order"><assert id="two-lines" test="$lines = 2">two</assert>
            <report id="seen" test="$lines">seen</report></rule></pattern>
        </schema>""",
    )
    assert fired(schematron, document) == [("seen", None)]


@pytest.mark.parametrize(
    "lets",
    [
        '<let name="a" value="1"/><pattern><let name="a" value="2"/><rule context="/"><assert test="1"/></rule>'
        "</pattern>",
        '<pattern><rule context="/"><let name="a" value="1"/><let name="a" value="2"/><assert test="1"/></rule>'
        "</pattern>",
    ],
    ids=["schema and pattern", "one rule"],
)
def test_a_let_name_defined_twice_in_one_scope_is_an_error(tmp_path: Path, document: Path, lets: str) -> None:
    schematron = write(tmp_path, "rules.sch", f'<schema {SCH} queryBinding="xslt2">{lets}</schema>')
    with pytest.raises(SchematronError, match="variable 'a' is defined twice"):
        fired(schematron, document)


@pytest.mark.parametrize("binding", ["xslt", "xpath", "exslt"])
def test_xpath_1_bindings_are_refused_not_run_with_xpath_3(tmp_path: Path, document: Path, binding: str) -> None:
    schematron = write(tmp_path, "rules.sch", f'<schema {SCH} queryBinding="{binding}"><pattern/></schema>')
    with pytest.raises(SchematronError, match=r"XPath 1\.0"):
        fired(schematron, document)


def test_a_rules_flag_stays_on_the_rule(tmp_path: Path, document: Path) -> None:
    schematron = write(
        tmp_path,
        "rules.sch",
        f"""<schema {SCH} queryBinding="xslt2"><pattern><rule context="order" flag="fatal">
          <report id="plain" test="true()">no flag of its own</report>
          <report id="flagged" flag="warning" test="true()">its own flag</report></rule></pattern></schema>""",
    )
    assert fired(schematron, document) == [("flagged", "warning"), ("plain", None)]


def test_relative_uris_resolve_against_the_schematron_file_not_the_working_directory(
    tmp_path: Path, document: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "rules/codes.xml", "<codes><code>A</code></codes>")
    schematron = write(
        tmp_path,
        "rules/rules.sch",
        f"""<schema {SCH} queryBinding="xslt2"><pattern><rule context="line">
          <assert id="known-code" test="@code = document('codes.xml')//code">unknown code</assert>
        </rule></pattern></schema>""",
    )
    monkeypatch.chdir(tmp_path)
    report = Validator(schematron=(schematron,), schema=False, advice=False).validate(document)
    assert [(f.rule_id, f.location) for f in report.findings if f.layer == "rules"] == [
        ("known-code", "/order[1]/line[2]")
    ]


def test_a_pattern_checks_its_subordinate_documents(tmp_path: Path) -> None:
    write(tmp_path, "parts/part.xml", "<part><name/></part>")
    main = write(tmp_path, "main.xml", '<main><include href="parts/part.xml"/></main>')
    schematron = write(
        tmp_path,
        "rules.sch",
        f"""<schema {SCH} queryBinding="xslt2"><pattern documents="//include/@href">
          <rule context="name"><assert id="named" test="normalize-space()">a name is empty</assert></rule>
        </pattern></schema>""",
    )
    report = Validator(schematron=(schematron,), schema=False, advice=False).validate(main)
    assert [(f.rule_id, f.location) for f in report.findings] == [("named", "/part[1]/name[1]")]


def test_full_svrl_lists_fired_rules_and_references_with_their_markup(tmp_path: Path, document: Path) -> None:
    schematron = write(
        tmp_path,
        "rules.sch",
        f"""<schema {SCH} queryBinding="xslt2" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <pattern id="lines"><rule context="line" id="line-rule" flag="fatal">
            <assert id="code-a" test="@code = 'A'" diagnostics="found" properties="code">code is not A</assert>
          </rule></pattern>
          <diagnostics><diagnostic id="found" xml:lang="en">found <value-of select="@code"/></diagnostic></diagnostics>
          <properties><property id="code" role="found"><xsl:copy-of select="."/></property></properties>
        </schema>""",
    )
    svrl = etree.fromstring(Validator(schematron=(schematron,)).svrl(document).encode("utf-8"))
    rules = svrl.findall(f"{{{SVRL}}}fired-rule")
    assert [(r.get("context"), r.get("id"), r.get("flag")) for r in rules] == [("line", "line-rule", "fatal")] * 2
    (failed,) = svrl.findall(f"{{{SVRL}}}failed-assert")
    assert (failed.get("id"), failed.get("location"), failed.get("flag")) == ("code-a", "/order[1]/line[2]", None)
    diagnostic = failed.find(f"{{{SVRL}}}diagnostic-reference")
    assert diagnostic is not None and diagnostic.get("diagnostic") == "found"
    assert "".join(diagnostic.itertext()).strip() == "found Z"
    copied = failed.find(f"{{{SVRL}}}property-reference/{{{SVRL}}}text/line")
    assert copied is not None and copied.get("code") == "Z"
