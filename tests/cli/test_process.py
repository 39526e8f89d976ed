"""The command line as users and pipelines run it: `python -m jppint` in a fresh process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jppint.cli.batch import FILES_PER_WORKER
from tests.cli.conftest import DATA, RULES, run_process

VALID = DATA / "valid" / "minimal.xml"
INVALID = DATA / "invalid" / "missing-line-amount.xml"


def test_version_in_a_fresh_process() -> None:
    run = run_process("--version")
    assert run.code == 0
    assert run.out.startswith("jppint ")


def test_stdin_pipe_and_json_on_stdout() -> None:
    run = run_process("validate", "--format", "json", "--schematron", RULES, "-", stdin=INVALID.read_bytes())
    assert run.code == 1
    [entry] = json.loads(run.out)["files"]
    assert (entry["input"], entry["status"]) == ("<stdin>", "invalid")


def test_mixed_inputs_exit_2_with_one_line_per_input_error_and_no_traceback() -> None:
    run = run_process("validate", "--schematron", RULES, VALID, DATA / "errors", INVALID, "missing.xml")
    assert run.code == 2
    assert "Traceback" not in run.err
    # malformed, not-xml, missing (unknown-spec and not-ubl, an Order, are fine with --schematron)
    assert len(run.err.splitlines()) == 3
    assert run.err.splitlines()[-1] == "jppint: missing.xml: no such file or directory"
    assert f"{VALID}: valid" in run.out and f"{INVALID}: invalid" in run.out


def test_japanese_locale_gives_japanese_output_by_default() -> None:
    run = run_process("validate", "--schematron", RULES, INVALID, env={"LANG": "ja_JP.UTF-8", "LC_ALL": ""})
    assert "不適合" in run.out


def test_usage_error_in_a_fresh_process() -> None:
    run = run_process("validate", "--format", "yaml", VALID)
    assert run.code == 2
    assert "invalid choice: 'yaml'" in run.err


def test_forked_workers_of_the_command_line_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    sources = [VALID, INVALID, DATA / "errors" / "not-xml.xml"]
    for number in range(2 * FILES_PER_WORKER + 1):
        shutil.copy(sources[number % 3], tmp_path / f"{number:04d}.xml")
    runs = [
        run_process("validate", "--format", "json", "--schematron", RULES, "--jobs", jobs, tmp_path)
        for jobs in ("1", "2")
    ]
    documents = []
    for run in runs:
        assert run.code == 2
        document = json.loads(run.out)
        document["summary"].pop("elapsed_seconds")
        for entry in document["files"]:
            if entry["report"]:
                entry["report"].pop("elapsed_ms")
                for layer in entry["report"]["layers"]:
                    layer.pop("elapsed_ms")
        documents.append(document)
    assert runs[0].err == runs[1].err
    assert documents[0] == documents[1]
    assert [entry["status"] for entry in documents[1]["files"][:3]] == ["valid", "invalid", "error"]
