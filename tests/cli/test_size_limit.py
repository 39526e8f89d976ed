"""`--max-size`: documents over the limit are refused, from files and from stdin, and the batch goes on."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import ROOT

SAMPLE = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"


def test_a_file_over_the_limit_is_an_input_error_and_the_others_are_validated(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    large = tmp_path / "large.xml"
    with large.open("wb") as stream:
        stream.truncate(2 * 1024 * 1024)
    run = cli("validate", "--max-size", "1", "--lang", "en", large, SAMPLE)
    assert run.code == 2
    assert "larger than the limit of 1048576 bytes" in run.err
    assert "valid: 1" in run.out and "errors: 1" in run.out


def test_stdin_over_the_limit_is_refused_without_reading_it_all(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("validate", "--max-size", "1", "--lang", "en", "-", stdin=b" " * (3 * 1024 * 1024))
    assert run.code == 2
    assert "larger than the limit of 1048576 bytes" in run.err


def test_a_document_under_the_limit_validates(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("validate", "--max-size", "1", "--lang", "en", "-", stdin=SAMPLE.read_bytes())
    assert run.code == 0, run.err
