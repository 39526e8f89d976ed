"""Every report format says which layer a finding comes from, and the schema options reach the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tests.cli.conftest import DATA, RULES

MINIMAL = DATA / "valid" / "minimal.xml"


@pytest.fixture
def bad_date(tmp_path: Path) -> Path:
    path = tmp_path / "bad-date.xml"
    path.write_bytes(MINIMAL.read_bytes().replace(b"2024-04-01", b"2024-04-31"))
    return path


def _validate(cli, fmt: str, path: Path, *options: str):
    return cli("validate", "--schematron", RULES, "--format", fmt, *options, path)


def test_text_marks_schema_findings_in_both_languages(cli, bad_date: Path) -> None:
    english = _validate(cli, "text", bad_date)
    assert english.code == 1
    assert f"  fatal  [schema]  ubl-schema-datatype  {bad_date}:8  /ubl:Invoice[1]/cbc:IssueDate[1]" in english.out
    japanese = _validate(cli, "text", bad_date, "--lang", "ja")
    assert "エラー  [スキーマ]  ubl-schema-datatype" in japanese.out
    assert "cbc:IssueDate の値「2024-04-31」は" in japanese.out


def test_json_carries_the_layer_of_each_finding_and_the_layers_that_ran(cli, bad_date: Path) -> None:
    report = json.loads(_validate(cli, "json", bad_date).out)["files"][0]["report"]
    assert [finding["layer"] for finding in report["findings"]] == ["schema"]
    assert [(layer["layer"], layer["status"]) for layer in report["layers"]] == [
        ("schema", "failed"),
        ("rules", "passed"),
        ("advice", "passed"),
    ]
    assert report["findings"][0]["detail"].startswith("Element 'cbc:IssueDate'")


def test_sarif_junit_github_and_svrl_carry_the_layer(cli, bad_date: Path) -> None:
    sarif = json.loads(_validate(cli, "sarif", bad_date).out)
    result = sarif["runs"][0]["results"][0]
    assert result["properties"]["layer"] == "schema"
    rule = sarif["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["properties"]["layer"] == "schema" and "schema" in rule["properties"]["tags"]
    assert "date" in rule["shortDescription"]["text"]
    junit = _validate(cli, "junit", bad_date).out
    assert "fatal [schema] ubl-schema-datatype" in junit
    github = _validate(cli, "github", bad_date).out
    assert "title=ubl-schema-datatype (schema)::" in github
    svrl = etree.fromstring(_validate(cli, "svrl", bad_date).out.encode("utf-8"))
    pattern = svrl.find("{http://purl.oclc.org/dsdl/svrl}active-pattern")
    assert pattern is not None and pattern.get("id") == "schema" and pattern.get("name") == "UBL-Invoice-2.1.xsd"


def test_no_schema_and_stop_on_schema_error(cli, bad_date: Path) -> None:
    assert _validate(cli, "text", bad_date, "--no-schema").code == 0
    stopped = json.loads(_validate(cli, "json", bad_date, "--stop-on-schema-error").out)["files"][0]["report"]
    assert [(layer["layer"], layer["status"]) for layer in stopped["layers"]] == [
        ("schema", "failed"),
        ("rules", "skipped"),
        ("advice", "skipped"),
    ]


def test_ubl_schemas_must_name_an_oasis_folder(cli, bad_date: Path, tmp_path: Path) -> None:
    run = _validate(cli, "text", bad_date, "--ubl-schemas", str(tmp_path))
    assert run.code == 2
    assert run.err.startswith(f"jppint: --ubl-schemas {tmp_path}: not an OASIS UBL 2.1 'xsd' folder")


def test_text_groups_identical_findings_with_their_lines(cli, tmp_path: Path) -> None:
    """One mistake repeated on every amount: one entry, the places listed, in both languages."""
    path = tmp_path / "dollars.xml"
    lines = MINIMAL.read_text(encoding="utf-8").replace('currencyID="JPY"', 'currencyID="USD"')
    path.write_text(lines, encoding="utf-8")
    rules = tmp_path / "yen.sch"
    rules.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>'
        '<pattern><rule context="cbc:*[@currencyID]"><assert id="y-1" test="@currencyID = \'JPY\'">'
        "Amounts are in yen.</assert></rule></pattern></schema>",
        encoding="utf-8",
    )
    english = cli("validate", "--schematron", rules, path)
    assert english.out.count("Amounts are in yen.") == 1
    assert "      the same at 1 more places, lines 12" in english.out
    japanese = cli("validate", "--schematron", rules, "--lang", "ja", path)
    assert "ほか 1 か所で同じ指摘（12 行目）" in japanese.out
