"""Our Schematron compiler, feature by feature, on small rule sets of our own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import jppint
from jppint.errors import SchematronError
from jppint.schematron import compile_schematron

DATA = Path(__file__).parent / "data"
INVOICE = DATA / "invoice.xml"
LINE_1 = "/ubl:Invoice[1]/cac:InvoiceLine[1]"
LINE_2 = "/ubl:Invoice[1]/cac:InvoiceLine[2]"


def findings(schematron: str, **options: object) -> dict[str, list[jppint.Finding]]:
    report = jppint.validate(INVOICE, schematron=[DATA / schematron], **options)  # type: ignore[arg-type]
    grouped: dict[str, list[jppint.Finding]] = {}
    for finding in report.findings:
        grouped.setdefault(finding.rule_id, []).append(finding)
    return grouped


def test_first_matching_rule_of_a_pattern_wins() -> None:
    found = findings("features.sch")
    assert [f.location for f in found["first-line"]] == [LINE_1]
    assert all(f.location == LINE_2 for f in found["line-currency"])


def test_report_fires_when_its_test_is_true_and_keeps_its_flag() -> None:
    (first,) = findings("features.sch")["first-line"]
    assert (first.kind, first.flag, first.severity, first.message) == (
        "report",
        "information",
        "information",
        "first line seen",
    )


def test_assert_message_evaluates_value_of_name_and_lets_at_every_level() -> None:
    (currency,) = findings("features.sch")["line-currency"]
    assert currency.message == "Line 2 of 2: cbc:LineExtensionAmount must be in JPY."
    assert (currency.flag, currency.role, currency.severity) == ("warning", "warn", "warning")
    assert currency.diagnostics == ("Found currency USD.",)
    assert currency.line == 11
    assert currency.source == "features.sch#lines"


def test_foreign_xsl_key_and_function_are_available_to_tests() -> None:
    found = findings("features.sch")
    assert [f.location for f in found["key-lookup"]] == ["/ubl:Invoice[1]"]
    assert "function-call" not in found


def test_dynamic_error_in_a_test_is_a_finding_and_other_rules_still_run() -> None:
    found = findings("features.sch")
    (error,) = found["line-number"]
    assert error.kind == "error" and error.severity == "fatal" and error.location == LINE_2
    assert "abc" in error.message
    assert "key-lookup" in found and "line-currency" in found


def test_without_a_phase_the_schemas_default_phase_applies() -> None:
    assert set(findings("default-phase.sch", schema=False)) == {"header-seen"}
    assert set(findings("default-phase.sch", schema=False, phase="#DEFAULT")) == {"header-seen"}


def test_phase_selects_patterns() -> None:
    assert set(findings("default-phase.sch", schema=False, phase="#ALL")) == {"header-seen", "line-seen"}
    assert set(findings("default-phase.sch", schema=False, phase="lines")) == {"line-seen"}


def test_unknown_phase_is_a_schematron_error() -> None:
    with pytest.raises(SchematronError, match="no phase 'nope'"):
        compile_schematron(DATA / "features.sch", phase="nope")


def test_abstract_pattern_parameters_abstract_rules_and_includes() -> None:
    found = findings("abstract.sch")
    assert Counter(f.location for f in found["unused"]) == Counter({LINE_1: 1, LINE_2: 1})
    assert "has-id" not in found and "line-amount-present" not in found
    (root,) = found["root-has-note"]
    assert root.location == "/ubl:Invoice[1]" and root.flag == "warning"


def test_xpath_error_names_the_schematron_file_and_line() -> None:
    with pytest.raises(SchematronError) as raised:
        jppint.validate(INVOICE, schematron=[DATA / "broken-xpath.sch"])
    assert raised.value.file is not None and raised.value.file.endswith("broken-xpath.sch")
    assert raised.value.line == 5


def test_structural_error_names_the_schematron_file_and_line() -> None:
    with pytest.raises(SchematronError, match=r"broken-rule\.sch:4: <rule> needs a non-empty @context"):
        compile_schematron(DATA / "broken-rule.sch")


def test_missing_schematron_file_is_a_schematron_error(tmp_path: Path) -> None:
    with pytest.raises(SchematronError, match="no such Schematron file"):
        jppint.validate(INVOICE, schematron=[tmp_path / "absent.sch"])


def test_compiled_rule_set_is_reused() -> None:
    from jppint.engine import load_rule_set

    assert load_rule_set(DATA / "features.sch") is load_rule_set(DATA / "features.sch")
