"""--baseline and --write-baseline: accept today's findings, fail on new ones only."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from jppint.cli.baseline import BaselineError, Fingerprint, baseline_text, file_key, merged, read_baseline
from jppint.cli.suppression import against_baseline
from jppint.reporters.batch_result import BatchResult
from jppint.results import Finding, ValidationReport
from tests.cli.conftest import DATA, RULES

INVALID = DATA / "invalid" / "missing-line-amount.xml"  # t-003 warning, t-004 information, t-010 fatal
MISSING_ID = DATA / "invalid" / "missing-id.xml"  # t-001 fatal


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "out").mkdir()
    shutil.copy(INVALID, tmp_path / "out" / "a.xml")
    shutil.copy(MISSING_ID, tmp_path / "out" / "b.xml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_writing_a_baseline_accepts_every_finding_of_the_run(cli, project: Path) -> None:
    run = cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out")
    assert run.code == 0
    assert "wrote 4 findings of this run to the baseline baseline.json (4 in all)" in run.err
    assert "left out: 4 in baseline" in run.out
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert document["format"] == "jppint-baseline" and document["version"] == 1
    assert [(entry["file"], entry["rule_id"], entry["count"]) for entry in document["findings"]] == [
        ("out/a.xml", "t-003", 1),
        ("out/a.xml", "t-004", 1),
        ("out/a.xml", "t-010", 1),
        ("out/b.xml", "t-001", 1),
    ]
    assert document["findings"][2]["location"] == "/ubl:Invoice[1]/cac:InvoiceLine[2]"


def test_with_the_baseline_only_new_findings_are_reported_and_fail(cli, project: Path) -> None:
    cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out/a.xml")
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--baseline", "baseline.json", "out")
    assert run.code == 1
    assert run.out == "out/b.xml:2:1: fatal t-001 An invoice must have an identifier.\n"
    run = cli("validate", "--format", "json", "--schematron", RULES, "--baseline", "baseline.json", "out/a.xml")
    document = json.loads(run.out)
    assert run.code == 0
    assert document["files"][0]["report"]["findings"] == [] and document["files"][0]["report"]["valid"] is True
    assert document["summary"]["left_out"] == {"ignored": 0, "baseline": 3}


def test_fingerprints_survive_lines_shifting(cli, project: Path) -> None:
    cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out")
    source = (project / "out" / "a.xml").read_text(encoding="utf-8")
    shifted = source.replace("?>", "?>\n<!-- a generator now writes a header -->\n\n", 1)
    (project / "out" / "a.xml").write_text(shifted, encoding="utf-8")
    run = cli("validate", "--schematron", RULES, "--baseline", "baseline.json", "out")
    assert run.code == 0, run.out


def test_more_findings_of_a_fingerprint_than_counted_are_new(tmp_path: Path) -> None:
    finding = Finding(
        rule_id="r-1", severity="fatal", message="m", location="/ubl:Invoice[1]", test="t", kind="assert", source="s"
    )
    report = ValidationReport.build(
        findings=[finding, finding, finding], source=str(tmp_path / "a.xml"), document_type="Invoice"
    )
    batch = BatchResult.of_reports([report])
    left, unused = against_baseline(batch, Counter({Fingerprint("a.xml", "r-1", "/ubl:Invoice[1]"): 2}), tmp_path)
    assert unused == Counter()
    outcome = left.outcomes[0]
    assert outcome.report is not None and len(outcome.report.findings) == 1 and outcome.baselined == 2
    assert outcome.report.valid is False and left.count("invalid") == 1


def test_the_baseline_works_from_another_working_directory(cli, project: Path, monkeypatch) -> None:
    cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out")
    monkeypatch.chdir(project / "out")
    run = cli("validate", "--schematron", RULES, "--baseline", "../baseline.json", "a.xml", "b.xml")
    assert run.code == 0, run.out


def test_rewriting_keeps_the_entries_of_files_not_validated_and_drops_fixed_ones(cli, project: Path) -> None:
    cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out")
    shutil.copy(DATA / "valid" / "minimal.xml", project / "out" / "a.xml")  # a.xml fixed
    run = cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out/a.xml")
    assert "wrote 0 findings of this run to the baseline baseline.json (1 in all)" in run.err
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in document["findings"]] == ["out/b.xml"]


def test_the_file_is_stable_sorted_and_one_finding_per_line() -> None:
    fingerprints = Counter(
        {
            Fingerprint("b.xml", "r-1", "/x[1]"): 2,
            Fingerprint("a.xml", "r-2", "/x[1]"): 1,
            Fingerprint("a.xml", "r-1", "/y[1]"): 1,
        }
    )
    text = baseline_text(fingerprints)
    assert text == baseline_text(Counter(dict(reversed(list(fingerprints.items())))))
    assert text.splitlines()[4:7] == [
        '    {"file": "a.xml", "rule_id": "r-1", "location": "/y[1]", "count": 1},',
        '    {"file": "a.xml", "rule_id": "r-2", "location": "/x[1]", "count": 1},',
        '    {"file": "b.xml", "rule_id": "r-1", "location": "/x[1]", "count": 2}',
    ]
    assert text.endswith("}\n")


def test_reading_back_what_was_written(tmp_path: Path) -> None:
    fingerprints = Counter({Fingerprint("日本/請求書.xml", "ibr-co-13", "/ubl:Invoice[1]"): 3})
    path = tmp_path / "baseline.json"
    path.write_text(baseline_text(fingerprints), encoding="utf-8")
    assert read_baseline(path) == fingerprints


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"findings": []}', 'no "format"'),
        ('{"format": "jppint-baseline", "version": 2, "findings": []}', "baseline version 2"),
        ('{"format": "jppint-baseline", "version": 1, "findings": {}}', "must be a list"),
        ('{"format": "jppint-baseline", "version": 1, "findings": [{"file": 1}]}', "finding 1 needs"),
        (
            '{"format": "jppint-baseline", "version": 1, "findings": '
            '[{"file": "a", "rule_id": "r", "location": "/", "count": 0}]}',
            '"count" must be',
        ),
    ],
)
def test_a_broken_baseline_is_a_usage_error_naming_the_file(cli, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=message):
        read_baseline(path)
    run = cli("validate", "--schematron", RULES, "--baseline", path, INVALID)
    assert run.code == 2 and run.out == ""
    assert f"jppint: {path}: " in run.err and message in run.err


def test_a_missing_baseline_is_a_usage_error(cli, tmp_path: Path) -> None:
    run = cli("validate", "--schematron", RULES, "--baseline", tmp_path / "none.json", INVALID)
    assert run.code == 2 and "cannot read the baseline" in run.err
    japanese = cli("validate", "--lang", "ja", "--schematron", RULES, "--baseline", tmp_path / "none.json", INVALID)
    assert japanese.code == 2
    assert japanese.err.endswith("ベースラインを読めません: ファイルまたはディレクトリがありません\n"), japanese.err


def test_write_baseline_never_overwrites_a_file_that_is_no_baseline(cli, tmp_path: Path) -> None:
    other = tmp_path / "notes.json"
    other.write_text('{"mine": true}', encoding="utf-8")
    run = cli("validate", "--schematron", RULES, "--write-baseline", other, INVALID)
    assert run.code == 2 and "not a baseline" in run.err
    assert other.read_text(encoding="utf-8") == '{"mine": true}'


def test_write_baseline_into_a_missing_directory_fails_before_validating(cli, tmp_path: Path) -> None:
    run = cli("validate", "--schematron", RULES, "--write-baseline", tmp_path / "no" / "b.json", INVALID)
    assert run.code == 2 and run.out == "" and "cannot write the baseline" in run.err


def test_input_errors_are_never_accepted_by_a_baseline(cli, project: Path) -> None:
    run = cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out", "missing.xml")
    assert run.code == 2
    run = cli("validate", "--schematron", RULES, "--baseline", "baseline.json", "out", "missing.xml")
    assert run.code == 2 and "missing.xml: no such file or directory" in run.err


def test_file_keys_are_relative_to_the_baseline_and_posix(tmp_path: Path) -> None:
    assert file_key(str(tmp_path / "a" / "b.xml"), tmp_path) == "a/b.xml"
    assert file_key("<stdin>", tmp_path) == "<stdin>"
    assert file_key("/elsewhere/x.xml", tmp_path) == "/elsewhere/x.xml"


def test_merging_replaces_the_files_of_the_run() -> None:
    old = Counter({Fingerprint("a", "r", "/"): 1, Fingerprint("b", "r", "/"): 2})
    new = Counter({Fingerprint("a", "s", "/"): 1})
    assert merged(new, old, {"a"}) == Counter({Fingerprint("a", "s", "/"): 1, Fingerprint("b", "r", "/"): 2})


def test_a_fifo_given_as_baseline_is_refused_without_waiting(cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "baseline.json")
    run = cli("validate", "--schematron", RULES, "--baseline", tmp_path / "baseline.json", INVALID)
    assert run.code == 2 and "cannot read the baseline: not a regular file (a FIFO)" in run.err


def test_findings_gone_from_the_baseline_are_pointed_out(cli, project: Path) -> None:
    cli("validate", "--schematron", RULES, "--write-baseline", "baseline.json", "out")
    shutil.copy(DATA / "valid" / "minimal.xml", project / "out" / "a.xml")  # its three findings fixed
    run = cli("validate", "--schematron", RULES, "--baseline", "baseline.json", "out")
    assert run.code == 0
    assert run.err == (
        "jppint: 3 findings of the baseline are gone from these files (fixed?); "
        "--write-baseline with the same file drops them\n"
    )
    assert cli("validate", "--schematron", RULES, "--baseline", "baseline.json", "out/b.xml").err == ""
