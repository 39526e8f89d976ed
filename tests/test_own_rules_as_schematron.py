"""Our rule files given as a user's Schematron speak as they do built in: their messages are in the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.specs import release_of_rule_file, specs_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "invalid" / "jp" / "totals-do-not-add-up.xml"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_our_rule_file_as_schematron_gives_the_catalogue_messages_with_values(lang: str) -> None:
    built_in = jppint.validate(SAMPLE, lang=lang, schema=False, advice=False)
    as_schematron = jppint.validate(
        SAMPLE, schematron=[ROOT / "rules" / "jp-pint-1.1.3" / "jp.sch"], lang=lang, schema=False, advice=False
    )
    assert [(f.rule_id, f.message, f.messages, f.values) for f in as_schematron.findings] == [
        (f.rule_id, f.message, f.messages, f.values) for f in built_in.findings
    ]
    (finding,) = as_schematron.findings
    assert ("228,400円" if lang == "ja" else "JPY 228,400") in finding.message


def test_only_the_top_level_files_of_a_release_are_ours() -> None:
    for version in ("1.1.2", "1.1.3"):
        for spec in specs_of(version).values():
            assert release_of_rule_file(spec.rules) == version
    assert release_of_rule_file(ROOT / "rules" / "jp-pint-1.1.3" / "shared" / "codes.sch") is None
    assert release_of_rule_file(ROOT / "tests" / "schematron" / "data" / "properties.sch") is None
