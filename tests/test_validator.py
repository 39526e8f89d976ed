"""A `Validator` inside a long-running host: unambiguous inputs, options checked, caches that stay correct."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import jppint
from jppint import engine

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"
RULE = """<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="ubl" uri="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
  {include}
  <pattern><rule context="/ubl:Invoice"><report id="{rule_id}" test="true()">seen</report></rule></pattern>
</schema>
"""


def _rules(folder: Path, rule_id: str, include: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rules.sch"
    path.write_text(RULE.format(rule_id=rule_id, include=include), encoding="utf-8")
    return path


def _rule_ids(report: jppint.ValidationReport) -> list[str]:
    return [finding.rule_id for finding in report.findings if finding.layer == "rules"]


def _touch_later(path: Path) -> None:
    """A new modification time even on file systems with coarse timestamps."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))


@pytest.mark.parametrize("lang", ["jp", "EN", "", "de"])
def test_an_unknown_language_is_a_value_error(lang: str) -> None:
    with pytest.raises(ValueError, match="lang must be one of en, ja"):
        jppint.validate(SAMPLE, lang=lang)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        jppint.Validator(lang=lang)  # type: ignore[arg-type]


def test_negative_limits_are_value_errors() -> None:
    with pytest.raises(ValueError, match="max_findings"):
        jppint.Validator(max_findings=-1)


def test_a_str_is_always_a_path_even_when_the_name_starts_with_a_bracket(tmp_path: Path) -> None:
    odd = tmp_path / "<inv>.xml"
    odd.write_bytes(SAMPLE.read_bytes())
    report = jppint.validate(str(odd))
    assert report.valid and report.source == str(odd)


def test_xml_in_a_str_goes_in_text_and_a_str_of_xml_says_so() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert jppint.validate(text=text).valid
    with pytest.raises(
        jppint.DocumentError, match=r"a str is always a path; to validate XML held in a str, pass text="
    ):
        jppint.validate(text)
    with pytest.raises(ValueError, match="not both"):
        jppint.validate(SAMPLE, text=text)


def test_source_name_names_an_in_memory_document_in_the_report_and_its_errors() -> None:
    assert jppint.validate(SAMPLE.read_bytes(), source_name="upload-17.xml").source == "upload-17.xml"
    with pytest.raises(jppint.DocumentError) as raised:
        jppint.validate(b"<Invoice", source_name="upload-18.xml")
    assert str(raised.value).startswith("upload-18.xml:")


def test_a_relative_rule_path_names_the_file_of_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rules(tmp_path / "a", "from-a")
    _rules(tmp_path / "b", "from-b")
    monkeypatch.chdir(tmp_path / "a")
    assert _rule_ids(jppint.validate(SAMPLE, schematron=["rules.sch"])) == ["from-a"]
    monkeypatch.chdir(tmp_path / "b")
    assert _rule_ids(jppint.validate(SAMPLE, schematron=["rules.sch"])) == ["from-b"]


def test_an_edited_rule_file_is_compiled_again(tmp_path: Path) -> None:
    path = _rules(tmp_path, "before")
    validator = jppint.Validator(schematron=(path,))
    assert _rule_ids(validator.validate(SAMPLE)) == ["before"]
    _rules(tmp_path, "after")
    _touch_later(path)
    assert _rule_ids(validator.validate(SAMPLE)) == ["after"]


def test_an_edited_included_file_is_compiled_again(tmp_path: Path) -> None:
    part = tmp_path / "part.sch"
    part.write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"><rule context="/*">'
        '<report id="part-1" test="true()">x</report></rule></pattern>',
        encoding="utf-8",
    )
    path = _rules(tmp_path, "main", include='<include href="part.sch"/>')
    assert sorted(_rule_ids(jppint.validate(SAMPLE, schematron=[path]))) == ["main", "part-1"]
    part.write_text(part.read_text(encoding="utf-8").replace("part-1", "part-2"), encoding="utf-8")
    _touch_later(part)
    assert sorted(_rule_ids(jppint.validate(SAMPLE, schematron=[path]))) == ["main", "part-2"]


def test_the_rule_cache_is_bounded(tmp_path: Path) -> None:
    for number in range(engine.RULE_SET_CACHE_SIZE + 5):
        jppint.validate(SAMPLE, schematron=[_rules(tmp_path / str(number), f"r{number}")], schema=False)
    assert len(engine._cache) <= engine.RULE_SET_CACHE_SIZE


def test_one_validator_shared_by_threads_gives_each_the_same_report() -> None:
    validator = jppint.Validator(lang="ja")
    broken = SAMPLE.read_bytes().replace(b"<cbc:IssueDate>2026-04-15<", b"<cbc:IssueDate>2026-04-31<", 1)
    expected = validator.validate(broken).model_dump(
        exclude={"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}
    )
    results: list[object] = []

    def work() -> None:
        for _ in range(5):
            report = validator.validate(broken)
            results.append(report.model_dump(exclude={"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20 and all(result == expected for result in results)
