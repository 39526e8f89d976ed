"""The public Schematron conformance cases (../shared/schematron-suite/conformance), run by our compiler.

Each case holds its schema(s), its documents and its expectation; the
driver rules are those of the schxslt test suite: take the schema for the
query binding under test (we run xslt2/xslt3, and a schema without
@queryBinding), `valid` means no failed assert and no successful report,
`error` means compiling or running fails, and every XPath expectation must
be true of the SVRL. The cases we do not pass on purpose are skipped by
name, with the reason (also listed in the README).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from jppint import Validator
from jppint.errors import JppintError
from jppint.schematron import DEFAULT_PHASE
from tests.conftest import record_conformance
from tests.schematron.suite import ABSENT_REASON, SUITE, suite_available

CONFORMANCE = SUITE / "conformance"
SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
DMAUS = "tag:dmaus@dmaus.name,2019:Schematron:Testsuite"
ZENODO = "https://doi.org/10.5281/zenodo.5679629#"
OUR_BINDINGS = (None, "xslt2", "xslt3")

NOT_SUPPORTED = {
    "let-scope-pattern-01": "expects a pattern's let to be local to its pattern; ISO Schematron 2016 (5.4.5) makes it "
    "global and a second definition of its name an error, which let-name-collision-error-06 checks: we follow ISO",
    "let-scope-phase-01": "expects a phase's let to shadow a schema let of the same name; ISO Schematron 2016 makes "
    "that an error (let-name-collision-error-04): we follow ISO",
    "svrl-name-path-01": "expects <name path='@attribute'/> to write the attribute's value; the ISO skeleton, whose "
    "output the suite's official verdicts and messages are, writes the name of the node the path selects, as we do",
    "let-value-element-content-01": "its schema for our bindings tests count(html:p) on the validated document, which "
    "has none, not the let's value (SchXslt, the suite's reference, fails it too)",
    "rule-abstract-02": "expects an error when a rule extends an abstract rule of another pattern; the ISO skeleton "
    "and SchXslt accept that, and rule sets in use may rely on it (SchXslt fails this case too)",
    "schep-001-typed-variables-01": "reads a phase's let while running without a phase; a phase's lets exist only in "
    "that phase (ISO), so the reference (variable not declared) is right to refuse it; typed lets (@as) themselves "
    "are supported",
    "svrl-metadata": "svrl:metadata is SchXslt's own extension of SVRL, not ISO SVRL",
    "svrl-suppressed-rule": "svrl:suppressed-rule is SchXslt's own extension of SVRL, not ISO SVRL",
}

pytestmark = pytest.mark.skipif(not suite_available(), reason=ABSENT_REASON)


@dataclass(frozen=True)
class ConformanceCase:
    id: str
    file: Path
    expect: str
    phase: str | None

    def __str__(self) -> str:
        return self.id


def conformance_cases() -> list[ConformanceCase]:
    if not suite_available():
        return []
    index = json.loads((CONFORMANCE / "index.json").read_text(encoding="utf-8"))
    return [
        ConformanceCase(case["id"], CONFORMANCE / case["file"], case["expect"], case["phase"])
        for case in index["cases"]
    ]


def _standalone(element: etree._Element) -> bytes:
    """An element of the case file as a document of its own, its in-scope namespaces kept."""
    return bytes(etree.tostring(element, encoding="UTF-8", xml_declaration=True, with_tail=False))


def _content(holder: etree._Element) -> etree._Element:
    (element,) = [child for child in holder if isinstance(child.tag, str)]
    return element


def write_case(case: ConformanceCase, folder: Path) -> tuple[Path, Path, list[str]]:
    """The case's schema and documents as files in `folder`: (schema, validated document, SVRL expectations)."""
    root = etree.parse(str(case.file)).getroot()
    namespace = etree.QName(root).namespace
    schemas = root.findall(f"{{{namespace}}}schemas/{{{SCH}}}schema")
    chosen = next(schema for schema in schemas if schema.get("queryBinding") in OUR_BINDINGS)
    schema = folder / "schema.sch"
    schema.write_bytes(_standalone(chosen))
    if namespace == DMAUS:
        documents = root.findall(f"{{{DMAUS}}}documents/*")
        expectations = [e.get("test", "") for e in root.iterfind(f"{{{DMAUS}}}expectations/{{{DMAUS}}}expectation")]
    else:
        documents = root.findall(f"{{{ZENODO}}}documents/{{{ZENODO}}}document")
        expectations = [a.get("assert", "") for a in root.iterfind(f"{{{ZENODO}}}assertions/{{{ZENODO}}}assertion")]
    for document in documents:
        target = folder / document.get("filename", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_standalone(_content(document)))
    primary = folder / documents[0].get("filename", "")
    return schema, primary, expectations


def outcome(case: ConformanceCase, folder: Path) -> str | None:
    """What differs from the case's expectation, or None."""
    schema, document, expectations = write_case(case, folder)
    validator = Validator(schematron=(schema,), phase=case.phase or DEFAULT_PHASE, schema=False, advice=False)
    try:
        report = validator.validate(document)
        svrl = validator.svrl(document) if expectations else None
    except JppintError as error:
        return None if case.expect == "error" else f"expected {case.expect}, got {type(error).__name__}: {error}"
    failed = [f for f in report.findings if f.layer == "rules" and f.kind in ("assert", "report")]
    errors = [f for f in report.findings if f.kind == "error"]
    if case.expect == "error":
        return None if errors else f"expected an error, got {len(failed)} failed assertions and no error"
    if errors:
        return f"expected {case.expect}, got an error: {errors[0].message}"
    if (case.expect == "valid") != (not failed):
        return f"expected {case.expect}, got {[f.rule_id for f in failed]}"
    if svrl is not None:
        tree = etree.fromstring(svrl.encode("utf-8"))
        for expectation in expectations:
            if not tree.xpath(f"boolean({expectation})", namespaces={"svrl": SVRL}):
                return f"SVRL expectation is false: {expectation}\n{svrl}"
    return None


@pytest.mark.parametrize("case", conformance_cases(), ids=str)
def test_conformance_case(case: ConformanceCase, tmp_path: Path) -> None:
    if case.id in NOT_SUPPORTED:
        pytest.skip(f"deliberately not supported: {NOT_SUPPORTED[case.id]}")
    problem = outcome(case, tmp_path)
    record_conformance("Schematron conformance cases", case.file.parent.parent.name, problem is None)
    assert problem is None, problem
