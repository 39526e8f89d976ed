"""`jppint validate`: exit codes, inputs, options and the text report, through the real CLI."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from jppint.cli.texts import default_language, text
from jppint.specs import releases
from tests.cli.conftest import DATA, RULES

VALID = DATA / "valid" / "minimal.xml"
WARNING_ONLY = DATA / "valid" / "warning-only.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"
NOT_XML = DATA / "errors" / "not-xml.xml"


@pytest.mark.parametrize(
    ("inputs", "code"),
    [
        ([VALID], 0),
        ([VALID, WARNING_ONLY], 0),
        ([VALID, INVALID], 1),
        ([DATA / "invalid"], 1),
        ([VALID, NOT_XML], 2),
        ([INVALID, NOT_XML], 2),
        ([DATA / "errors" / "malformed.xml"], 2),
        ([DATA / "errors" / "not-ubl.xml"], 0),
        ([DATA / "nothing-here.xml"], 2),
    ],
    ids=[
        "valid",
        "warning-only",
        "one-invalid",
        "invalid-dir",
        "valid+not-xml",
        "invalid+not-xml",
        "malformed",
        "not-ubl-own-rules-validate-any-xml",
        "missing",
    ],
)
def test_exit_code_is_0_valid_1_invalid_2_input_error(cli, inputs: list[Path], code: int) -> None:
    assert cli("validate", "--schematron", RULES, *inputs).code == code


def test_the_built_in_rules_refuse_a_document_that_is_no_ubl_invoice(cli) -> None:
    run = cli("validate", DATA / "errors" / "not-ubl.xml")
    assert run.code == 2
    assert run.err.splitlines() == [
        f"jppint: {DATA}/errors/not-ubl.xml:2: not a UBL Invoice or CreditNote: the root element is "
        "{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order, a UBL Order",
    ]


def test_fail_on_warning_makes_warnings_fail(cli) -> None:
    assert cli("validate", "--schematron", RULES, WARNING_ONLY).code == 0
    run = cli("validate", "--schematron", RULES, "--fail-on", "warning", WARNING_ONLY)
    assert run.code == 1
    assert f"{WARNING_ONLY}: invalid: 1 warning" in run.out


def test_every_input_error_gets_one_line_on_stderr_and_the_rest_is_still_reported(cli) -> None:
    run = cli("validate", "--schematron", RULES, DATA)
    assert run.code == 2
    assert run.err.splitlines() == [
        f"jppint: {DATA}/errors/malformed.xml:2:17: not well-formed XML: Namespace prefix cbc on ID is not defined",
        f"jppint: {DATA}/errors/not-xml.xml:1:1: not XML: no root element where the document should start "
        "(Start tag expected, '<' not found)",
    ]
    # A user's Schematron reads any XML: the UBL Order is validated by it, not refused.
    assert f"{DATA}/errors/not-ubl.xml: valid (Order without ID)" in run.out
    assert f"{DATA}/valid/minimal.xml: valid (Invoice INV-1, jp)" in run.out
    assert f"{DATA}/invalid/missing-id.xml: invalid: 1 fatal (Invoice without ID, jp)" in run.out
    assert "Traceback" not in run.out + run.err


def test_text_report_locates_each_finding_and_quotes_the_source_line(cli) -> None:
    run = cli("validate", "--schematron", RULES, INVALID)
    assert run.code == 1
    lines = run.out.splitlines()
    start = lines.index(f"{INVALID}: invalid: 1 fatal, 1 warning, 1 information (Invoice INV-3, jp)")
    assert lines[start + 7 : start + 10] == [
        f"  fatal  t-010  {INVALID}:16  /ubl:Invoice[1]/cac:InvoiceLine[2]",
        "      Each invoice line must have a net amount other than zero.",
        "      16 | <cac:InvoiceLine>",
    ]
    # a multi-line start tag is quoted from its first line
    assert '      2 | <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"' in lines


def test_text_summary_counts_files_statuses_and_findings(cli) -> None:
    run = cli("validate", "--schematron", RULES, DATA / "valid", DATA / "invalid", NOT_XML)
    summary = run.out.splitlines()[-1]
    assert re.fullmatch(
        r"files: 5, valid: 2, invalid: 2, errors: 1 \| findings: 2 fatal, 2 warning, 1 information \| \d+\.\d\d s",
        summary,
    ), summary


def test_quiet_prints_only_the_summary(cli) -> None:
    run = cli("validate", "--quiet", "--schematron", RULES, DATA / "valid", DATA / "invalid")
    assert run.code == 1
    assert len(run.out.splitlines()) == 1
    assert run.out.startswith("files: 4, valid: 2, invalid: 2, errors: 0")


def test_no_colour_when_stdout_is_not_a_terminal(cli) -> None:
    assert "\x1b[" not in cli("validate", "--schematron", RULES, INVALID).out


def test_colour_on_a_terminal_unless_no_color(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert "\x1b[31;1minvalid\x1b[0m" in cli("validate", "--schematron", RULES, INVALID).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("validate", "--schematron", RULES, INVALID).out


def test_stdin_is_validated_as_one_more_input(cli) -> None:
    run = cli("validate", "--schematron", RULES, "-", VALID, stdin=INVALID.read_bytes())
    assert run.code == 1
    assert "<stdin>: invalid: 1 fatal, 1 warning, 1 information (Invoice INV-3, jp)" in run.out
    assert "  fatal  t-010  <stdin>:16  /ubl:Invoice[1]/cac:InvoiceLine[2]" in run.out
    assert "      16 | <cac:InvoiceLine>" in run.out


def test_garbage_on_stdin_is_an_input_error(cli) -> None:
    run = cli("validate", "--schematron", RULES, "-", stdin=b"\x00\x01 nothing")
    assert run.code == 2
    assert run.err.startswith("jppint: <stdin>")


def test_glob_patterns_are_expanded_by_jppint(cli) -> None:
    run = cli("validate", "--schematron", RULES, f"{DATA}/*/*.xml", "--quiet")
    assert run.out.startswith("files: 8, valid: 4, invalid: 2, errors: 2")


def test_an_unreadable_file_is_an_input_error(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    locked = tmp_path / "locked.xml"
    locked.write_bytes(VALID.read_bytes())
    real_open = os.open

    def refusing_open(path: str, *args: int) -> int:  # chmod 000 does not stop root
        if Path(path).name == "locked.xml":
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    # --timeout 0: in this process, where the monkeypatch holds (a worker from the fork server would not see it).
    run = cli("validate", "--schematron", RULES, VALID, locked, INVALID, "--timeout", "0")
    assert run.code == 2
    assert run.err == f"jppint: {locked}: permission denied\n"
    assert f"{VALID}: valid" in run.out and f"{INVALID}: invalid" in run.out


def test_a_symlink_loop_in_a_directory_is_an_input_error(cli, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.xml").write_bytes(VALID.read_bytes())
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    run = cli("validate", "--schematron", RULES, tmp_path)
    assert run.code == 2
    assert "symbolic link loop" in run.err
    assert f"{tmp_path}/sub/a.xml: valid" in run.out


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}, "ja"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ja_JP", "LANG": "en_GB"}, "ja"),
        ({}, "en"),
    ],
)
def test_default_language_follows_the_locale(environment: dict[str, str], language: str) -> None:
    assert default_language(environment) == language


def test_lang_ja_translates_the_report(cli) -> None:
    run = cli("validate", "--lang", "ja", "--schematron", RULES, INVALID)
    assert f"{INVALID}: 不適合: エラー 1件、警告 1件、情報 1件 (Invoice INV-3, jp)" in run.out
    assert run.out.splitlines()[-1].startswith(
        "1件中 0件 適合、1件 不適合、0件 検証不能 | 指摘: エラー 1件、警告 1件、情報 1件"
    )


def test_built_in_rules_unknown_specification_is_an_input_error(cli) -> None:
    run = cli("validate", DATA / "errors" / "unknown-spec.xml")
    assert run.code == 2
    assert "cannot tell which JP PINT specification applies" in run.err
    assert "--spec" in run.err


def test_broken_schematron_stops_with_exit_2_and_names_the_file(cli) -> None:
    run = cli("validate", "--schematron", DATA / "broken-rules.sch", VALID, INVALID)
    assert run.code == 2
    assert run.err.startswith("jppint: cannot use the rules: ")
    assert "broken-rules.sch:5" in run.err
    assert run.out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["validate", "--format", "pdf", "a.xml"],
        ["validate", "--spec", "eu", "a.xml"],
        ["validate", "--jobs", "0", "a.xml"],
        ["validate", "--schematron", "no-such.sch", "a.xml"],
        ["validate", "--output", "/no/such/dir/report.txt", "a.xml"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2_without_traceback(cli, argv: list[str]) -> None:
    run = cli(*argv)
    assert run.code == 2
    assert run.err.strip()
    assert "Traceback" not in run.err


def test_help_documents_the_exit_codes(cli) -> None:
    run = cli("validate", "--help")
    assert run.code == 0
    assert text("en", "exit_status") in run.out
    for option in ("--format", "--lang", "--spec", "--schematron", "--fail-on", "--quiet", "--output", "--jobs"):
        assert option in run.out


def test_version(cli) -> None:
    run = cli("--version")
    assert run.code == 0
    rules = re.escape(", ".join(releases()))
    assert re.fullmatch(rf"jppint \d+\.\d+\.\d+\S* \(JP PINT {rules}; saxonche \S+\)\n", run.out)


def test_rules_that_crash_the_compiler_stop_the_batch_with_one_message(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import jppint.engine

    rules = tmp_path / "rules.sch"
    rules.write_bytes(RULES.read_bytes())

    def crashing_compiler(path: object, **options: object) -> None:
        raise AttributeError("'_Writer' object has no attribute 'code_lists'")

    monkeypatch.setattr(jppint.engine, "load_rule_set", crashing_compiler)
    # --timeout 0: in this process, where the monkeypatch holds (a worker from the fork server would not see it).
    run = cli("validate", "--schematron", rules, DATA / "valid", DATA / "invalid", "--timeout", "0")
    assert run.code == 2
    assert run.err == (
        f"jppint: cannot use the rules: {rules}: cannot compile the rules (internal error, please report it): "
        "AttributeError: '_Writer' object has no attribute 'code_lists'\n"
    )


def test_rules_version_picks_the_release_whose_rules_run(cli, tmp_path: Path) -> None:
    from tests.rules.test_release_differences import DIFFERENCES

    (two_due_dates,) = [d for d in DIFFERENCES if d.rule == "ibr-sr-45" and d.spec == "jp"]
    invoice = tmp_path / "two-due-dates.xml"
    invoice.write_bytes(two_due_dates.document())
    latest = cli("validate", "--no-schema", "--lang", "en", str(invoice))
    assert latest.code == 0 and "ibr-sr-45" not in latest.out
    earlier = cli("validate", "--no-schema", "--lang", "en", "--rules-version", "1.1.2", str(invoice))
    assert earlier.code == 1 and "ibr-sr-45" in earlier.out
    report = cli("validate", "--no-schema", "--rules-version", "1.1.2", "--format", "json", str(invoice)).out
    assert '"spec_version": "1.1.2"' in report and '"path": "jp-pint-1.1.2/jp.sch"' in report
    unknown = cli("validate", "--rules-version", "1.0", str(invoice))
    assert unknown.code == 2 and "invalid choice: '1.0'" in unknown.err
