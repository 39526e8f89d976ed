"""The published output contract: JSON Schemas generated from the models, output that meets them, no machine paths.

The schemas in schemas/ are what users validate our JSON against; these
tests keep them equal to what the models generate and check real output,
from the API and from the command line, against the committed files.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import jppint
from jppint.cli import main as cli_main
from jppint.contract import SCHEMAS, schema_texts
from jppint.contract import main as contract_main
from jppint.reporters import REPORTERS, render_reports
from jppint.reporters.json_envelope import BatchReport
from jppint.results import SCHEMA_VERSION, ValidationReport
from jppint.rulesets import rules_directory

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "schemas"
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "invalid" / "jp" / "impossible-due-date.xml"
DATA = Path(__file__).parent / "schematron" / "data"

REPORT_SCHEMA = "validation-report.schema.json"
CLI_SCHEMA = "cli-report.schema.json"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((PUBLISHED / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, document: object) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator(name).iter_errors(document)]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_published_schema_is_what_the_models_generate(name: str) -> None:
    published = PUBLISHED / name
    generated = schema_texts()[name]
    how = "run `python -m jppint.contract` in the checkout's top folder and commit schemas/"
    assert published.is_file(), f"schemas/{name} is missing: {how}"
    assert published.read_text(encoding="utf-8") == generated, f"schemas/{name} differs from the models: {how}"


def test_the_generator_writes_every_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert contract_main([str(tmp_path / "out")]) == 0
    assert {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "out").iterdir()} == schema_texts()


def test_the_schemas_folder_holds_only_generated_schemas() -> None:
    assert sorted(path.name for path in PUBLISHED.iterdir()) == sorted(SCHEMAS)


REPORTS = {
    "valid": lambda: jppint.validate(SAMPLES / "valid" / "jp" / "allowances-and-charges.xml"),
    "invalid-in-japanese": lambda: jppint.validate(SAMPLE, lang="ja"),
    "schema-findings": lambda: jppint.validate(SAMPLES / "invalid" / "jp" / "schema-header-out-of-order.xml"),
    "rules-skipped": lambda: jppint.validate(
        SAMPLES / "invalid" / "jp" / "schema-misspelled-element.xml", stop_on_schema_error=True
    ),
    "user-rules": lambda: jppint.validate(DATA / "invoice.xml", schematron=[DATA / "features.sch"], schema=False),
    "in-memory": lambda: jppint.validate(SAMPLE.read_bytes(), advice=False),
}


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_api_reports_meet_the_published_schema(kind: str) -> None:
    report: ValidationReport = REPORTS[kind]()
    document = json.loads(report.model_dump_json())
    assert document["schema_version"] == SCHEMA_VERSION
    assert errors(REPORT_SCHEMA, document) == []
    assert errors(REPORT_SCHEMA, report.model_dump(mode="json")) == []


def cli_json(capsys: pytest.CaptureFixture[str], *inputs: str | Path, options: tuple[str, ...] = ()) -> Any:
    capsys.readouterr()
    cli_main(["validate", "--format", "json", *options, *map(str, inputs)])
    return json.loads(capsys.readouterr().out)


def test_command_line_json_meets_the_published_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Invoice")
    document = cli_json(
        capsys,
        SAMPLES / "valid" / "jp" / "allowances-and-charges.xml",
        SAMPLE,
        SAMPLES / "invalid" / "jp" / "schema-header-out-of-order.xml",
        broken,
        options=("--lang", "ja"),
    )
    assert document["schema_version"] == SCHEMA_VERSION
    assert [entry["status"] for entry in document["files"]] == ["valid", "invalid", "invalid", "error"]
    assert errors(CLI_SCHEMA, document) == []


def test_command_line_json_with_user_rules_meets_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    document = cli_json(capsys, DATA / "invoice.xml", options=("--schematron", str(DATA / "features.sch")))
    assert errors(CLI_SCHEMA, document) == []


def test_the_schemas_accept_fields_added_later_and_refuse_another_version() -> None:
    document = json.loads(REPORTS["invalid-in-japanese"]().model_dump_json())
    document["added_later"] = True
    document["findings"][0]["added_later"] = 1
    assert errors(REPORT_SCHEMA, document) == []
    document["schema_version"] = SCHEMA_VERSION + 1
    assert errors(REPORT_SCHEMA, document)


def test_the_schema_catches_a_broken_document(capsys: pytest.CaptureFixture[str]) -> None:
    document = cli_json(capsys, SAMPLE)
    document["files"][0]["status"] = "unsure"
    del document["files"][0]["report"]["findings"][0]["rule_id"]
    assert len(errors(CLI_SCHEMA, document)) == 2


def test_command_line_json_reads_back_into_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    document = cli_json(capsys, SAMPLE)
    document["added_later"] = {"by": "a later jppint"}
    batch = BatchReport.model_validate(document)
    report = batch.files[0].report
    assert report is not None
    assert report.findings == jppint.validate(SAMPLE).findings


def test_built_in_rules_are_named_by_their_place_under_the_rules_folder() -> None:
    report = jppint.validate(SAMPLE)
    assert [(info.name, info.path) for info in report.rule_sets] == [("jp.sch", "jp-pint-1.1.3/jp.sch")]


def test_user_rules_keep_the_path_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    relative = jppint.validate("invoice.xml", schematron=["features.sch"])
    absolute = jppint.validate("invoice.xml", schematron=[DATA / "features.sch"])
    assert [info.path for info in relative.rule_sets] == ["features.sch"]
    assert [info.path for info in absolute.rule_sets] == [os.fspath(DATA / "features.sch")]


@pytest.mark.parametrize("format", sorted(REPORTERS))
def test_no_report_shows_where_the_built_in_rules_lie(format: str) -> None:
    report = jppint.validate(SAMPLE)
    assert report.findings
    output = render_reports([report], format)
    for folder in {rules_directory(), rules_directory().resolve()}:
        assert str(folder) not in output
        assert folder.as_uri() not in output
