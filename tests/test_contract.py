"""The published output contract: reports read the same on every machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import jppint
from jppint.reporters import REPORTERS, render_reports
from jppint.rulesets import rules_directory

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "invalid" / "jp" / "impossible-due-date.xml"
DATA = Path(__file__).parent / "schematron" / "data"


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
