"""--select, --ignore, --per-file-ignores, --exclude and --exit-zero: what a run reports, validates and fails on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jppint.cli.globs import PathPattern
from jppint.cli.selection import Selection, SelectorError, matches, parse_per_file_ignore, parse_selectors
from tests.cli.conftest import DATA, ROOT, RULES

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"  # t-003 warning, t-004 information, t-010 fatal
MISSING_ID = DATA / "invalid" / "missing-id.xml"  # t-001 fatal
SCHEMA_SAMPLE = ROOT / "samples" / "invalid" / "jp" / "schema-misspelled-element.xml"


def rule_ids(out: str) -> list[str]:
    return [line.split(" ")[2] for line in out.splitlines()]


@pytest.mark.parametrize(
    ("selector", "rule_id", "expected"),
    [
        ("ibr-co-13", "ibr-co-13", True),
        ("ibr-co-", "ibr-co-13", True),
        ("ubl-schema-", "ubl-schema-datatype", True),
        ("ibr-co-1", "ibr-co-13", False),  # a prefix ends with '-': ibr-co-1 is one rule
        ("ibr-co", "ibr-co-13", False),
        ("aligned-", "ibr-co-13", False),
    ],
)
def test_a_selector_is_a_rule_id_or_a_prefix_ending_in_a_dash(selector: str, rule_id: str, expected: bool) -> None:
    assert matches(selector, rule_id) is expected


def test_selectors_are_comma_separated_and_never_empty() -> None:
    assert parse_selectors("ibr-co-13, aligned-") == ["ibr-co-13", "aligned-"]
    with pytest.raises(ValueError, match="empty"):
        parse_selectors("ibr-co-13,,x")
    assert parse_per_file_ignore("legacy/**:ibr-co-13,aligned-") == ("legacy/**", ("ibr-co-13", "aligned-"))
    with pytest.raises(ValueError, match="GLOB:RULE_ID"):
        parse_per_file_ignore("ibr-co-13")


def test_an_unknown_selector_suggests_a_rule_or_the_missing_dash() -> None:
    known = {"ibr-co-13": None, "ibr-co-14": None, "aligned-ibr-jp-01": None}
    with pytest.raises(SelectorError, match="did you mean ibr-co-13"):
        Selection(select=("ibr-co-133",)).check(known)
    with pytest.raises(SelectorError, match="a prefix ends with '-': ibr-co-"):
        Selection(ignore=("ibr-co",)).check(known)
    Selection(select=("ibr-co-",), ignore=("aligned-ibr-jp-01",)).check(known)


def test_select_keeps_only_the_rules_named(cli) -> None:
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--select", "t-010", INVALID)
    assert (run.code, rule_ids(run.out)) == (1, ["t-010"])


def test_select_by_prefix_and_repeated(cli) -> None:
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--select", "t-00", INVALID)
    assert rule_ids(run.out) == []  # 't-00' is no rule and no prefix: nothing selected
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--select", "t-", "--select", "x-", INVALID)
    assert rule_ids(run.out) == ["t-003", "t-004", "t-010"]


def test_an_ignored_finding_is_not_shown_and_does_not_fail(cli) -> None:
    run = cli("validate", "--schematron", RULES, "--ignore", "t-010,t-004", INVALID)
    assert run.code == 0
    assert "t-010" not in run.out and "t-004" not in run.out and "t-003" in run.out
    assert "left out: 2 ignored" in run.out


def test_ignore_wins_over_select(cli) -> None:
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--select", "t-", "--ignore", "t-010", INVALID)
    assert (run.code, rule_ids(run.out)) == (0, ["t-003", "t-004"])


def test_json_recomputes_the_report_and_counts_what_was_left_out(cli) -> None:
    run = cli("validate", "--format", "json", "--schematron", RULES, "--ignore", "t-010", INVALID)
    document = json.loads(run.out)
    entry = document["files"][0]
    assert entry["status"] == "valid"
    assert entry["report"]["valid"] is True
    assert entry["report"]["counts"] == {"fatal": 0, "warning": 1, "information": 1}
    rules_layer = next(layer for layer in entry["report"]["layers"] if layer["layer"] == "rules")
    assert rules_layer["status"] == "passed" and rules_layer["counts"]["fatal"] == 0
    assert document["summary"]["left_out"] == {"ignored": 1, "baseline": 0}


def test_per_file_ignores_apply_to_the_files_their_glob_matches(cli, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "legacy").mkdir()
    shutil.copy(INVALID, tmp_path / "legacy" / "old.xml")
    shutil.copy(INVALID, tmp_path / "new.xml")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "--format", "concise", "--schematron", RULES, "--per-file-ignores", "legacy/*.xml:t-010", ".")
    assert run.code == 1
    assert [line.split(":")[0] for line in run.out.splitlines() if " t-010 " in line] == ["new.xml"]
    assert sum(" t-003 " in line for line in run.out.splitlines()) == 2


def test_selection_acts_on_the_schema_layer_too(cli) -> None:
    run = cli("validate", "--format", "concise", "--ignore", "ubl-schema-", SCHEMA_SAMPLE)
    assert run.out and not any(rule_id.startswith("ubl-schema-") for rule_id in rule_ids(run.out))
    run = cli("validate", "--format", "concise", "--select", "ubl-schema-", SCHEMA_SAMPLE)
    assert rule_ids(run.out) == ["ubl-schema-unknown-element"]


def test_schema_findings_that_stopped_the_rules_are_never_left_out(cli) -> None:
    run = cli("validate", "--format", "json", "--stop-on-schema-error", "--ignore", "ubl-schema-", SCHEMA_SAMPLE)
    entry = json.loads(run.out)["files"][0]
    assert run.code == 1 and entry["report"]["valid"] is False
    assert [finding["rule_id"] for finding in entry["report"]["findings"]] == ["ubl-schema-unknown-element"]


def test_an_unknown_rule_id_is_a_usage_error_with_the_built_in_rules(cli) -> None:
    run = cli("validate", "--ignore", "ibr-co-133", VALID)
    assert run.code == 2 and run.out == ""
    assert "jppint: no rule id is or starts with 'ibr-co-133'; did you mean ibr-co-13?" in run.err


@pytest.mark.parametrize("argv", [["--select", ""], ["--ignore", "a,,b"], ["--per-file-ignores", "t-010"]])
def test_malformed_selectors_are_usage_errors(cli, argv: list[str]) -> None:
    run = cli("validate", "--schematron", RULES, *argv, VALID)
    assert run.code == 2 and "Traceback" not in run.err


def test_exit_zero_turns_invalid_into_success_but_not_input_errors(cli) -> None:
    assert cli("validate", "--schematron", RULES, "--exit-zero", INVALID).code == 0
    assert cli("validate", "--schematron", RULES, "--exit-zero", INVALID, DATA / "errors" / "not-xml.xml").code == 2
    assert cli("validate", "--schematron", RULES, INVALID).code == 1


def test_exclude_leaves_out_named_files_found_files_and_whole_directories(cli, tmp_path: Path, monkeypatch) -> None:
    for name in ("keep/a.xml", "keep/b.draft.xml", "drafts/c.xml", "old/d.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(MISSING_ID, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    exclude = ["--exclude", "*.draft.xml", "--exclude", "drafts", "--exclude", "old/*.xml"]
    run = cli("validate", "--format", "concise", "--schematron", RULES, *exclude, ".", "old/d.xml")
    assert [line.split(":")[0] for line in run.out.splitlines()] == ["keep/a.xml"]
    run = cli("validate", "--format", "concise", "--schematron", RULES, *exclude, "**/*.xml")
    assert [line.split(":")[0] for line in run.out.splitlines()] == ["keep/a.xml"]


def test_a_directory_emptied_by_exclude_is_not_an_error(cli, tmp_path: Path) -> None:
    shutil.copy(MISSING_ID, tmp_path / "only.xml")
    run = cli("validate", "--schematron", RULES, "--exclude", "only.xml", tmp_path)
    assert run.code == 0 and run.err == ""
    assert "files: 0" in run.out


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("drafts", "a/drafts/x.xml", True),
        ("*.draft.xml", "deep/down/x.draft.xml", True),
        ("old/*.xml", "old/x.xml", True),
        ("old/*.xml", "a/old/x.xml", False),  # a path pattern starts where it is anchored
        ("old/*.xml", "old/sub/x.xml", False),  # * stays within one directory
        ("old/**/*.xml", "old/sub/deeper/x.xml", True),
        ("**/x.xml", "x.xml", True),
        ("old", "older/x.xml", False),
        ("[!a]*.xml", "b.xml", True),
        ("[!a]*.xml", "a.xml", False),
        ("./old/?.xml", "old/x.xml", True),
    ],
)
def test_path_patterns(pattern: str, path: str, expected: bool) -> None:
    assert PathPattern(pattern).matches(path, "/work") is expected


def test_an_absolute_pattern_is_anchored_at_its_own_directory() -> None:
    assert PathPattern("/repo/legacy/*.xml").matches("legacy/a.xml", "/repo")
    assert not PathPattern("/repo/legacy/*.xml").matches("legacy/a.xml", "/elsewhere")
