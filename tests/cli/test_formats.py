"""Every report format, parsed back and checked: JSON, JUnit, SARIF, GitHub commands, SVRL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from jppint.reporters import REPORTERS
from jppint.reporters.github import command, escape_data, escape_property
from jppint.results import ValidationReport
from tests.cli.conftest import DATA, RULES, SHARED

VALID = DATA / "valid" / "minimal.xml"
WARNING_ONLY = DATA / "valid" / "warning-only.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"
NOT_XML = DATA / "errors" / "not-xml.xml"
MIXED = (VALID, WARNING_ONLY, INVALID, NOT_XML)
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SVRL = "http://purl.oclc.org/dsdl/svrl"


def report_of(cli, fmt: str, *inputs: Path, options: tuple[str, ...] = ()) -> tuple[int, str]:
    run = cli("validate", "--format", fmt, "--schematron", RULES, *options, *inputs)
    return run.code, run.out


def test_every_format_is_in_the_table() -> None:
    assert set(REPORTERS) == {"text", "json", "junit", "sarif", "github", "svrl", "html", "concise"}


def test_json_lists_every_file_in_order_with_the_api_model(cli) -> None:
    code, out = report_of(cli, "json", *MIXED)
    document = json.loads(out)
    assert code == 2
    assert [entry["input"] for entry in document["files"]] == [str(path) for path in MIXED]
    assert [entry["status"] for entry in document["files"]] == ["valid", "valid", "invalid", "error"]
    report = ValidationReport.model_validate(document["files"][2]["report"])
    assert report.source == str(INVALID)
    assert [(f.rule_id, f.severity, f.line) for f in report.findings] == [
        ("t-003", "warning", 2),
        ("t-004", "information", 2),
        ("t-010", "fatal", 16),
    ]
    assert document["files"][3]["report"] is None
    assert document["files"][3]["error"] == {
        "reason": "not XML: no root element where the document should start (Start tag expected, '<' not found)",
        "line": 1,
        "column": 1,
    }
    summary = document["summary"]
    assert {key: summary[key] for key in ("files", "valid", "invalid", "errors", "findings")} == {
        "files": 4,
        "valid": 2,
        "invalid": 1,
        "errors": 1,
        "findings": {"fatal": 1, "warning": 2, "information": 1},
    }
    assert document["fail_on"] == "fatal"


def test_junit_has_one_testcase_per_file_with_failures_and_errors(cli) -> None:
    _, out = report_of(cli, "junit", *MIXED)
    root = etree.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [str(path) for path in MIXED]
    assert [child.tag for child in cases[0]] == []
    assert [child.tag for child in cases[1]] == ["system-out"]  # a warning does not fail by default
    [failure] = cases[2].findall("failure")
    assert failure.get("message") == "1 fatal, 1 warning, 1 information"
    assert f"fatal t-010 {INVALID}:16 /ubl:Invoice[1]/cac:InvoiceLine[2]" in failure.text
    assert "t-003" not in failure.text  # below --fail-on: listed in system-out instead
    assert "t-003" in cases[2].find("system-out").text
    [error] = cases[3].findall("error")
    assert error.get("message").startswith("not XML")


def test_junit_with_fail_on_warning_fails_warnings_too(cli) -> None:
    _, out = report_of(cli, "junit", WARNING_ONLY, options=("--fail-on", "warning"))
    [case] = etree.fromstring(out.encode("utf-8")).iter("testcase")
    assert "t-002" in case.find("failure").text


def _sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent: the SARIF 2.1.0 schema lives outside the repository")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    return validator(schema)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(cli) -> None:
    _, out = report_of(cli, "sarif", *MIXED)
    errors = sorted(_sarif_validator().iter_errors(json.loads(out)), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_sarif_has_rule_metadata_and_located_results(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    _, out = report_of(cli, "sarif", *MIXED)
    [run] = json.loads(out)["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["t-002", "t-003", "t-004", "t-010"]
    assert rules[3]["shortDescription"]["text"] == "Each invoice line must have a net amount other than zero."
    assert rules[3]["defaultConfiguration"]["level"] == "error"
    assert "help" in rules[3]
    located = [
        (
            result["ruleId"],
            result["level"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        )
        for result in run["results"]
    ]
    assert located == [
        ("t-002", "warning", "valid/warning-only.xml", 2, "/ubl:Invoice[1]"),
        ("t-003", "warning", "invalid/missing-line-amount.xml", 2, "/ubl:Invoice[1]"),
        ("t-004", "note", "invalid/missing-line-amount.xml", 2, "/ubl:Invoice[1]"),
        ("t-010", "error", "invalid/missing-line-amount.xml", 16, "/ubl:Invoice[1]/cac:InvoiceLine[2]"),
    ]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "errors/not-xml.xml"


@pytest.mark.skipif(not (Path(__file__).parents[2] / "rules").is_dir(), reason="no built-in rules")
def test_sarif_rules_of_the_built_in_catalogue_speak_the_chosen_language(cli) -> None:
    from jppint.catalogue import load_catalogue

    invoice = DATA / "valid" / "minimal.xml"  # the built-in rules find plenty wrong with this tiny invoice
    run = cli("validate", "--format", "sarif", "--lang", "ja", invoice)
    [sarif_run] = json.loads(run.out)["runs"]
    catalogue = load_catalogue()
    rules = sarif_run["tool"]["driver"]["rules"]
    assert rules, "the built-in rules should report something on a ten-line invoice"
    for rule in rules:
        entry = catalogue.get(rule["id"])
        if entry is not None:
            assert rule["shortDescription"]["text"] == entry.messages["ja"]
            assert entry.messages["en"] in rule["help"]["text"]
    errors = list(_sarif_validator().iter_errors(json.loads(run.out)))
    assert not errors


def test_github_annotations_one_per_finding_and_input_error(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    _, out = report_of(cli, "github", *MIXED)
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands == [
        "::warning file=valid/warning-only.xml,line=2,title=t-002::An invoice should have a note. (/ubl:Invoice[1])",
        "::warning file=invalid/missing-line-amount.xml,line=2,title=t-003::"
        'The note "Discount: 5%25, payable now second line" contains a percent sign. (/ubl:Invoice[1])',
        "::notice file=invalid/missing-line-amount.xml,line=2,title=t-004::"
        "The invoice has a buyer reference. (/ubl:Invoice[1])",
        "::error file=invalid/missing-line-amount.xml,line=16,title=t-010::"
        "Each invoice line must have a net amount other than zero. (/ubl:Invoice[1]/cac:InvoiceLine[2])",
        "::error file=errors/not-xml.xml,line=1,col=1,title=jppint%3A input error::"
        "not XML: no root element where the document should start (Start tag expected, '<' not found)",
    ]


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("50% off\r\nnext") == "50%25 off%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    assert command("error", "x::y", file="dir/a,b.xml", line=3, title="r:1") == (
        "::error file=dir/a%2Cb.xml,line=3,title=r%3A1::x::y"
    )
    assert command("warning", "m", file="a.xml", line=None) == "::warning file=a.xml::m"


def test_svrl_of_one_document_is_a_plain_schematron_output(cli) -> None:
    _, out = report_of(cli, "svrl", INVALID)
    root = etree.fromstring(out.encode("utf-8"))
    assert root.tag == f"{{{SVRL}}}schematron-output"
    asserts = root.findall(f"{{{SVRL}}}failed-assert")
    reports = root.findall(f"{{{SVRL}}}successful-report")
    assert [(a.get("id"), a.get("flag"), a.get("location")) for a in asserts] == [
        ("t-003", "warning", "/ubl:Invoice[1]"),
        ("t-010", "fatal", "/ubl:Invoice[1]/cac:InvoiceLine[2]"),
    ]
    assert [(r.get("id"), r.get("flag")) for r in reports] == [("t-004", "information")]
    assert asserts[1].findtext(f"{{{SVRL}}}text") == "Each invoice line must have a net amount other than zero."
    prefixes = {n.get("prefix") for n in root.findall(f"{{{SVRL}}}ns-prefix-in-attribute-values")}
    assert {"ubl", "cac", "cbc"} <= prefixes


def test_svrl_of_several_documents_wraps_one_output_per_document(cli) -> None:
    _, out = report_of(cli, "svrl", *MIXED)
    root = etree.fromstring(out.encode("utf-8"))
    assert root.tag == "{urn:jppint:svrl-reports}svrl-reports"
    documents = root.findall("{urn:jppint:svrl-reports}document")
    assert [(d.get("source"), d.get("status")) for d in documents] == [
        (str(VALID), "valid"),
        (str(WARNING_ONLY), "valid"),
        (str(INVALID), "invalid"),
        (str(NOT_XML), "error"),
    ]
    assert [len(d.findall(f"{{{SVRL}}}schematron-output")) for d in documents] == [1, 1, 1, 0]
    assert documents[3].get("reason").startswith("not XML")


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github", "svrl", "html"])
def test_every_format_keeps_the_exit_code(cli, fmt: str) -> None:
    assert report_of(cli, fmt, VALID)[0] == 0
    assert report_of(cli, fmt, VALID, INVALID)[0] == 1
    assert report_of(cli, fmt, VALID, INVALID, NOT_XML)[0] == 2


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "svrl"])
def test_machine_formats_carry_japanese_messages_as_utf8(cli, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / "report"
    run = cli("validate", "--format", fmt, "--lang", "ja", "--schematron", RULES, "--output", target, INVALID)
    assert run.code == 1
    text = target.read_bytes().decode("utf-8")
    if fmt in ("junit", "svrl"):
        etree.fromstring(target.read_bytes())
    else:
        json.loads(text)


def test_svrl_is_the_full_svrl_of_the_rules_with_every_fired_rule(cli) -> None:
    _, out = report_of(cli, "svrl", INVALID)
    root = etree.fromstring(out.encode("utf-8"))
    fired = root.findall(f"{{{SVRL}}}fired-rule")
    # Every rule whose context matched is listed, with or without a failure, as the ISO skeleton does.
    assert len(fired) > len(root.findall(f"{{{SVRL}}}failed-assert"))
    assert all(rule.get("context") for rule in fired)
    assert root.findall(f"{{{SVRL}}}active-pattern")


def test_a_users_schematron_validates_xml_that_is_no_invoice(cli) -> None:
    schematron = Path(__file__).resolve().parents[1] / "schematron" / "data"
    run = cli("validate", "--format", "svrl", "--schematron", schematron / "any-document.sch", schematron / "order.xml")
    root = etree.fromstring(run.out.encode("utf-8"))
    failed = root.findall(f"{{{SVRL}}}failed-assert")
    assert run.code == 1
    assert [a.get("id") for a in failed] == ["order-line-quantity"]
    assert [r.get("context") for r in root.findall(f"{{{SVRL}}}fired-rule")] == ["cbc:Note", *["cac:OrderLine"] * 2]
