"""--format concise (and the editor problem matchers in editors/), --statistics, --color."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from jppint.cli.streams import colour_wanted
from jppint.reporters import render_reports
from jppint.results import Finding, ValidationReport
from tests.cli.conftest import DATA, ROOT, RULES

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"  # t-003 warning, t-004 information, t-010 fatal
MISSING_ID = DATA / "invalid" / "missing-id.xml"
NOT_XML = DATA / "errors" / "not-xml.xml"
GITHUB_MATCHER = ROOT / "editors" / "github-problem-matcher.json"
VSCODE_TASKS = ROOT / "editors" / "vscode-tasks.json"


def test_concise_is_one_line_per_finding_and_input_error(cli) -> None:
    run = cli("validate", "--format", "concise", "--schematron", RULES, VALID, INVALID, NOT_XML, "missing.xml")
    assert run.code == 2
    invalid, not_xml = INVALID.relative_to(ROOT), NOT_XML.relative_to(ROOT)  # relative to the working directory
    assert run.out.splitlines() == [
        f'{invalid}:2:1: warning t-003 The note "Discount: 5%, payable now second line" contains a percent sign.',
        f"{invalid}:2:1: information t-004 The invoice has a buyer reference.",
        f"{invalid}:16:1: fatal t-010 Each invoice line must have a net amount other than zero.",
        f"{not_xml}:1:1: error input-error not XML: no root element where the document should start "
        "(Start tag expected, '<' not found)",
        "missing.xml:1:1: error input-error no such file or directory",
    ]


def test_concise_paths_are_relative_to_the_working_directory(cli, monkeypatch) -> None:
    monkeypatch.chdir(DATA)
    run = cli("validate", "--format", "concise", "--schematron", RULES, MISSING_ID)
    assert run.out == "invalid/missing-id.xml:2:1: fatal t-001 An invoice must have an identifier.\n"


def test_concise_has_the_column_when_known_and_never_colour(cli, monkeypatch) -> None:
    finding = Finding(
        rule_id="r-1",
        severity="warning",
        message="two\nlines\r\tand a tab",
        location="/ubl:Invoice[1]",
        line=7,
        column=12,
        test="t",
        kind="assert",
        source="s",
    )
    report = ValidationReport.build(findings=[finding], source="a\nb.xml", document_type="Invoice")
    assert render_reports([report], "concise") == "a b.xml:7:12: warning r-1 two lines and a tab\n"
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = cli("validate", "--format", "concise", "--color", "always", "--schematron", RULES, INVALID)
    assert "\x1b[" not in run.out


def _github_patterns() -> list[tuple[re.Pattern[str], dict[str, int], str]]:
    matchers = json.loads(GITHUB_MATCHER.read_text(encoding="utf-8"))["problemMatcher"]
    return [
        (re.compile(pattern["regexp"]), pattern, matcher["severity"])
        for matcher in matchers
        for pattern in matcher["pattern"]
    ]


def _vscode_patterns() -> list[tuple[re.Pattern[str], dict[str, int], str]]:
    task = json.loads(VSCODE_TASKS.read_text(encoding="utf-8"))["tasks"][0]
    return [
        (re.compile(matcher["pattern"]["regexp"]), matcher["pattern"], matcher["severity"])
        for matcher in task["problemMatcher"]
    ]


@pytest.mark.parametrize(
    ("patterns", "severities"),
    [
        (_github_patterns, {"fatal": "error", "error": "error", "warning": "warning", "information": "warning"}),
        (_vscode_patterns, {"fatal": "error", "error": "error", "warning": "warning", "information": "info"}),
    ],
    ids=["github", "vscode"],
)
def test_the_problem_matchers_read_every_concise_line(cli, tmp_path: Path, patterns, severities) -> None:
    odd = tmp_path / "name with spaces: and 12:3: colons.xml"
    odd.write_bytes(INVALID.read_bytes())
    run = cli("validate", "--format", "concise", "--schematron", RULES, INVALID, odd, NOT_XML)
    lines = run.out.splitlines()
    assert len(lines) == 7
    for line in lines:
        found = [
            (match, fields, severity)
            for expression, fields, severity in patterns()
            if (match := expression.match(line)) is not None
        ]
        assert len(found) == 1, line  # exactly one matcher, so no finding is annotated twice
        match, fields, severity = found[0]
        _, number, column, word, rule_id, message = re.fullmatch(r"(.+?):(\d+):(\d+): (\S+) (\S+) (.*)", line).groups()  # type: ignore[union-attr]
        files = (str(INVALID.relative_to(ROOT)), str(odd), str(NOT_XML.relative_to(ROOT)))
        assert match.group(fields["file"]) in files
        assert (match.group(fields["line"]), match.group(fields["column"])) == (number, column)
        assert (match.group(fields["code"]), match.group(fields["message"])) == (rule_id, message)
        assert severity == severities[word]


def test_the_github_matcher_file_is_the_one_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert GITHUB_MATCHER.read_text(encoding="utf-8").strip() in readme
    task = json.loads(VSCODE_TASKS.read_text(encoding="utf-8"))
    assert task["tasks"][0]["command"].startswith("jppint validate --format concise")


def test_statistics_count_findings_per_rule_most_frequent_first(cli) -> None:
    run = cli("validate", "--statistics", "--schematron", RULES, INVALID, MISSING_ID, MISSING_ID.with_name("x.xml"))
    lines = run.out.splitlines()
    assert run.code == 2
    assert re.split(r"\s{2,}", lines[0].strip()) == ["count", "rule id", "severity", "message"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[1:5]]
    assert [row[:3] for row in rows] == [
        ["1", "t-001", "fatal"],
        ["1", "t-003", "warning"],
        ["1", "t-004", "information"],
        ["1", "t-010", "fatal"],
    ]
    assert rows[0][3] == "An invoice must have an identifier."
    assert lines[5] == "" and lines[6].startswith("files: 3, valid: 0, invalid: 2, errors: 1")


def test_statistics_in_japanese_and_with_concise(cli) -> None:
    run = cli("validate", "--statistics", "--lang", "ja", "--format", "concise", "--schematron", RULES, INVALID)
    assert run.out.split()[:4] == ["件数", "ルール", "ID", "重大度"]


def test_statistics_with_a_machine_format_is_a_usage_error(cli) -> None:
    run = cli("validate", "--statistics", "--format", "json", "--schematron", RULES, INVALID)
    assert run.code == 2 and run.out == ""
    assert "--statistics is a table for --format text or concise, not json" in run.err


@pytest.mark.parametrize(
    ("mode", "environment", "terminal", "expected"),
    [
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),  # NO_COLOR wins, as in Python 3.13
        ("auto", {"NO_COLOR": ""}, True, True),  # set but empty: ignored (no-color.org)
        ("auto", {"TERM": "dumb"}, True, False),
        ("auto", {"TERM": "dumb", "FORCE_COLOR": "1"}, False, True),
    ],
)
def test_colour_precedence(mode: str, environment: dict[str, str], terminal: bool, expected: bool) -> None:
    class Stream:
        def isatty(self) -> bool:
            return terminal

    assert colour_wanted(Stream(), mode, environment) is expected  # type: ignore[arg-type]


def test_color_always_colours_a_pipe_and_never_a_file(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[31;1minvalid\x1b[0m" in cli("validate", "--color", "always", "--schematron", RULES, INVALID).out
    assert "\x1b[" not in cli("validate", "--schematron", RULES, INVALID).out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("validate", "--schematron", RULES, INVALID).out
    assert "\x1b[" not in cli("validate", "--color", "never", "--schematron", RULES, INVALID).out
    report = tmp_path / "report.txt"
    cli("validate", "--color", "always", "--schematron", RULES, "-o", report, INVALID)
    assert "\x1b[" not in report.read_text(encoding="utf-8")


def test_color_on_a_terminal(cli, monkeypatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "\x1b[" in cli("validate", "--schematron", RULES, INVALID).out
    assert "\x1b[" not in cli("validate", "--color", "never", "--schematron", RULES, INVALID).out
