"""[tool.jppint] in pyproject.toml, jppint.toml, --config and --isolated: every option of validate, checked."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from jppint.cli.configuration import NOT_KEYS, keys_of
from jppint.cli.parser import build_parser
from tests.cli.conftest import DATA, RULES

INVALID = DATA / "invalid" / "missing-line-amount.xml"  # t-003 warning, t-004 information, t-010 fatal


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with its rules and an invoice, and a subdirectory to run from."""
    shutil.copy(RULES, tmp_path / "rules.sch")
    (tmp_path / "out").mkdir()
    shutil.copy(INVALID, tmp_path / "out" / "a.xml")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    return tmp_path


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_pyproject_is_found_upward_and_its_paths_are_its_own(cli, project: Path) -> None:
    write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.jppint]\nformat = "concise"\nschematron = ["rules.sch"]\nignore = ["t-004"]\n',
    )
    run = cli("validate", "../out/a.xml")
    assert run.code == 1
    assert [line.split(" ")[2] for line in run.out.splitlines()] == ["t-003", "t-010"]


def test_the_command_line_wins_and_replaces_lists(cli, project: Path) -> None:
    write(
        project / "jppint.toml",
        'format = "concise"\nschematron = ["rules.sch"]\nignore = ["t-004"]\nfail-on = "warning"\n',
    )
    run = cli("validate", "--format", "json", "--ignore", "t-003", "../out/a.xml")
    findings = json.loads(run.out)["files"][0]["report"]["findings"]
    assert [finding["rule_id"] for finding in findings] == ["t-004", "t-010"]


def test_jppint_toml_wins_over_pyproject_in_the_same_directory(cli, project: Path) -> None:
    write(project / "pyproject.toml", '[tool.jppint]\nformat = "json"\nschematron = ["rules.sch"]\n')
    write(project / "jppint.toml", 'format = "concise"\nschematron = ["rules.sch"]\n')
    assert cli("validate", "../out/a.xml").out.startswith("../out/a.xml:")


def test_a_pyproject_without_the_table_is_passed_over(cli, project: Path) -> None:
    write(project / "pyproject.toml", 'format = "concise"\nschematron = ["rules.sch"]\n')
    write(project / "sub" / "pyproject.toml", '[project]\nname = "inner"\n')
    assert cli("validate", "../out/a.xml").out.startswith("../out/a.xml:")


def test_config_names_the_file_and_isolated_reads_none(cli, project: Path) -> None:
    write(project / "jppint.toml", 'format = "concise"\nschematron = ["rules.sch"]\n')
    write(project / "other.toml", 'format = "json"\nschematron = ["rules.sch"]\n')
    assert json.loads(cli("validate", "--config", "../other.toml", "../out/a.xml").out)["files"]
    run = cli("validate", "--isolated", "--schematron", "../rules.sch", "../out/a.xml")
    assert "../out/a.xml: invalid" in run.out
    assert cli("validate", "--config", "../other.toml", "--isolated", "../out/a.xml").code == 2


def test_flags_booleans_numbers_and_tables(cli, project: Path) -> None:
    write(
        project / "jppint.toml",
        'schematron = ["rules.sch"]\nschema = false\nadvice = false\nexit-zero = true\nquiet = true\n'
        "jobs = 1\ntimeout = 30.5\nmax-size = 5\n"
        '[per-file-ignores]\n"out/*.xml" = ["t-010"]\n',
    )
    run = cli("validate", "../out/a.xml")
    assert run.code == 0
    assert run.out.startswith("files: 1, valid: 1") and "left out: 1 ignored" in run.out


def test_exclude_and_baseline_paths_are_relative_to_the_file(cli, project: Path) -> None:
    cli("validate", "--isolated", "--schematron", "../rules.sch", "--write-baseline", "../baseline.json", "../out")
    shutil.copy(INVALID, project / "out" / "b.xml")
    write(
        project / "jppint.toml",
        'schematron = ["rules.sch"]\nbaseline = "baseline.json"\nexclude = ["out/b.xml"]\nformat = "concise"\n',
    )
    run = cli("validate", "../out")
    assert (run.code, run.out) == (0, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selct = ["t-003"]', "unknown key 'selct' (did you mean 'select'?)"),
        ('fail_on = "warning"', "unknown key 'fail_on' (did you mean 'fail-on'?)"),
        ('jobs = "4"', "jobs: expected a whole number, found a string ('4')"),
        ("jobs = 0", "jobs: must be 1 or more"),
        ("jobs = true", "jobs: expected a whole number, found a boolean"),
        ('timeout = "soon"', "timeout: expected a number, found a string ('soon')"),
        ('format = "xml"', "format: 'xml' is not one of"),
        ("quiet = 1", "quiet: expected true or false, found a whole number (1)"),
        ('ignore = "t-003,"', "ignore: "),
        ("ignore = [1]", "ignore: expected an array of strings, found a whole number (1) in it"),
        ('per-file-ignores = ["x:t-1"]', "per-file-ignores: expected a table of glob"),
        ('write-baseline = "b.json"', "unknown key 'write-baseline'"),
        ('config = "x.toml"', "unknown key 'config'"),
        ("format = ", "not valid TOML"),
    ],
)
def test_a_wrong_key_or_value_is_a_usage_error_naming_file_and_key(
    cli, project: Path, content: str, message: str
) -> None:
    write(project / "jppint.toml", content + "\n")
    run = cli("validate", "../out/a.xml")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith(f"jppint: {project / 'jppint.toml'}") and message in run.err, run.err
    assert "Traceback" not in run.err


def test_a_pyproject_error_names_the_table(cli, project: Path) -> None:
    write(project / "pyproject.toml", "[tool.jppint]\nlang = 1\n")
    run = cli("validate", "../out/a.xml")
    assert run.code == 2 and f"{project / 'pyproject.toml'} [tool.jppint]: lang: expected a string" in run.err


def test_a_missing_config_file_is_a_usage_error(cli, project: Path) -> None:
    run = cli("validate", "--config", "nowhere.toml", "../out/a.xml")
    assert run.code == 2 and "--config nowhere.toml: no such file or directory" in run.err


def test_every_option_of_validate_is_a_key_but_the_configuration_and_write_baseline() -> None:
    parser = build_parser("en")
    validate = next(
        action.choices["validate"] for action in parser._actions if isinstance(action.choices, dict)
    )  # the subcommands
    options = {action.dest for action in validate._actions if action.option_strings and action.dest not in NOT_KEYS}
    keys = keys_of(validate)
    assert {key.action.dest for key in keys.values()} == options
    assert {"schema", "advice", "fail-on", "max-size", "select", "per-file-ignores", "color"} <= set(keys)
    assert not {"no-schema", "config", "isolated", "write-baseline", "help"} & set(keys)


def test_a_removed_working_directory_is_an_error_not_a_traceback(cli, tmp_path: Path, monkeypatch) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    run = cli("validate", str(INVALID))
    assert (run.code, run.out) == (2, "")
    assert run.err == "jppint: cannot read the working directory: No such file or directory\n"


def test_a_fifo_given_as_configuration_is_refused_without_waiting(cli, project: Path) -> None:
    os.mkfifo(project / "fifo.toml")
    run = cli("validate", "--config", "../fifo.toml", "../out/a.xml")
    assert run.code == 2 and "--config ../fifo.toml: not a regular file (a FIFO)" in run.err


def test_output_dash_in_the_configuration_is_standard_output(cli, project: Path) -> None:
    write(project / "jppint.toml", 'schematron = ["rules.sch"]\noutput = "-"\nformat = "concise"\n')
    run = cli("validate", "../out/a.xml")
    assert run.out.startswith("../out/a.xml:2:1: warning t-003")
    assert not (project / "-").exists()
