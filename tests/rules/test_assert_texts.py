"""The text of each of our assertions is its catalogue message (see tests/rules/assert_texts.py)."""

from __future__ import annotations

from tests.rules.assert_texts import rewritten, rule_files


def test_every_assertion_text_is_the_catalogue_message() -> None:
    differing = {
        str(path.name): changed
        for path, version in rule_files().items()
        for _, changed in [rewritten(path, version)]
        if changed
    }
    assert not differing, f"run python -m tests.rules.assert_texts: {differing}"


def test_the_files_with_assertions_are_all_read() -> None:
    names = {path.name for path in rule_files()}
    assert {"model-part1.sch", "model-part2.sch", "codes.sch", "aligned.sch", "release.sch"} <= names
