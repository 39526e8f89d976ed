"""The advice layer on the command line: shown, never failing a document unless --fail-on-advice, --no-advice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jppint.advice.catalogue import advice_rules

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
WITH_TAX_ID = "/ubl:Invoice[1]/cac:AccountingSupplierParty[1]/cac:Party[1]/cac:PartyTaxScheme[1]/cbc:CompanyID[1]"


@pytest.fixture
def advised(tmp_path: Path) -> Path:
    """A valid invoice whose only finding is advice: the seller's registration number has a wrong check digit."""
    path = tmp_path / "mistyped.xml"
    text = (SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("<cbc:CompanyID>T7645801988294<", "<cbc:CompanyID>T1645801988294<", 1), "utf-8")
    return path


@pytest.fixture
def invalid() -> Path:
    return SAMPLES / "invalid" / "jp" / "totals-do-not-add-up.xml"


def test_advice_is_shown_with_its_layer_and_does_not_fail_a_valid_document(cli, advised: Path) -> None:
    run = cli("validate", "--lang", "en", advised)
    assert run.code == 0
    assert f"{advised}: valid: 1 warning" in run.out
    assert f"  warning  [advice]  advice-registration-number-check-digit  {advised}:54  {WITH_TAX_ID}" in run.out
    assert "The registration number of the seller, T1645801988294, cannot be right" in run.out
    japanese = cli("validate", "--lang", "ja", advised)
    assert japanese.code == 0 and "[助言]  advice-registration-number-check-digit" in japanese.out
    assert "売手の登録番号 T1645801988294 は誤っていると考えられます。" in japanese.out


def test_fail_on_warning_counts_the_rules_warnings_not_advice(cli, advised: Path) -> None:
    run = cli("validate", "--fail-on", "warning", "--format", "json", advised)
    assert run.code == 0
    entry = json.loads(run.out)["files"][0]
    assert entry["status"] == "valid" and entry["report"]["valid"] is True


@pytest.mark.parametrize("fail_on", ["fatal", "warning"])
def test_fail_on_advice_fails_a_document_with_advice(cli, advised: Path, fail_on: str) -> None:
    run = cli("validate", "--fail-on-advice", "--fail-on", fail_on, "--format", "json", advised)
    assert run.code == 1
    entry = json.loads(run.out)["files"][0]
    assert entry["status"] == "invalid" and entry["report"]["valid"] is True, "the verdict itself is unchanged"
    text = cli("validate", "--fail-on-advice", "--lang", "en", advised)
    assert text.code == 1 and f"{advised}: invalid: 1 warning" in text.out
    assert "files: 1, valid: 0, invalid: 1, errors: 0" in text.out


def test_a_document_invalid_by_the_rules_fails_whatever_the_advice_options(cli, invalid: Path) -> None:
    for options in ([], ["--no-advice"], ["--fail-on-advice"]):
        assert cli("validate", *options, invalid).code == 1, options


def test_no_advice_leaves_the_layer_out(cli, advised: Path) -> None:
    run = cli("validate", "--no-advice", "--fail-on", "warning", "--format", "json", advised)
    assert run.code == 0
    report = json.loads(run.out)["files"][0]["report"]
    assert [layer["layer"] for layer in report["layers"]] == ["schema", "rules"] and report["findings"] == []


def test_no_advice_and_fail_on_advice_contradict_each_other(cli, advised: Path) -> None:
    run = cli("validate", "--no-advice", "--fail-on-advice", advised)
    assert run.code == 2
    assert "not allowed with argument" in run.err


def test_advice_options_are_explained_in_help(cli) -> None:
    run = cli("validate", "--help")
    assert "--no-advice" in run.out and "--fail-on-advice" in run.out
    assert "advice never fails a document unless --fail-on-advice" in run.out


def test_rules_list_and_show_describe_the_advice(cli) -> None:
    listing = cli("rules", "list", "--lang", "ja").out
    for rule_id, rule in advice_rules().items():
        line = next(line for line in listing.splitlines() if line.startswith(f"{rule_id} "))
        assert " 助言 " in line and " 警告 " in line
        assert rule.descriptions["ja"] in listing
    shown = json.loads(cli("rules", "show", "advice-jpy-tax-amount-decimals", "--format", "json").out)
    assert (shown["layer"], shown["flag"]) == ("advice", "warning")
    assert shown["business_terms"] == ["ibt-110", "ibt-111", "ibt-117", "ibt-190"]
    assert "aligned-ibr-jp-06" in shown["messages"]["en"] and "aligned-ibr-jp-06" in shown["messages"]["ja"]
