"""Many inputs in worker processes give exactly what one process gives, in input order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import jppint.cli.batch
from jppint.cli.batch import FILES_PER_WORKER, Settings, validate_items, worker_count
from jppint.cli.inputs import expand_inputs
from tests.cli.conftest import DATA, RULES

SOURCES = [
    DATA / "valid" / "minimal.xml",
    DATA / "invalid" / "missing-line-amount.xml",
    DATA / "valid" / "warning-only.xml",
    DATA / "errors" / "malformed.xml",
    DATA / "invalid" / "missing-id.xml",
]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough copies of good, bad and broken documents for two workers to start."""
    folder = tmp_path_factory.mktemp("many")
    for number in range(3 * FILES_PER_WORKER):
        source = SOURCES[number % len(SOURCES)]
        shutil.copy(source, folder / f"{number:04d}-{source.name}")
    return folder


@pytest.mark.parametrize(
    ("jobs", "inputs", "workers"),
    [(1, 10_000, 1), (2, 1, 1), (2, FILES_PER_WORKER, 1), (2, 2 * FILES_PER_WORKER, 2), (8, 3 * FILES_PER_WORKER, 3)],
)
def test_one_worker_for_the_time_limit_more_when_the_batch_is_worth_it(jobs: int, inputs: int, workers: int) -> None:
    assert worker_count(jobs, inputs) == workers


@pytest.mark.parametrize(
    ("jobs", "inputs", "workers"),
    [(1, 10_000, 0), (2, 1, 0), (2, FILES_PER_WORKER, 0), (2, 2 * FILES_PER_WORKER, 2), (4, 0, 0)],
)
def test_without_a_time_limit_small_batches_run_in_this_process(jobs: int, inputs: int, workers: int) -> None:
    assert worker_count(jobs, inputs, timeout=None) == workers


def _without_times(document: dict) -> dict:
    document["summary"].pop("elapsed_seconds")
    for entry in document["files"]:
        if entry["report"]:
            entry["report"].pop("elapsed_ms")
            for layer in entry["report"]["layers"]:
                layer.pop("elapsed_ms")
    return document


def test_jobs_2_gives_the_same_report_as_jobs_1(cli, many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real_start = jppint.cli.batch._Worker.start

    def counting_start(context: object, settings: Settings):
        started.append(1)
        return real_start(context, settings)

    monkeypatch.setattr(jppint.cli.batch._Worker, "start", staticmethod(counting_start))
    # This test process may run Saxon already, so workers come from a fork server;
    # tests/cli/test_process.py covers the forked workers of the command line.
    monkeypatch.setattr(jppint.cli.batch, "saxon_started", lambda: True)
    one = cli("validate", "--format", "json", "--schematron", RULES, "--jobs", "1", many)
    assert len(started) == 1, "--jobs 1 should have used one worker process"
    two = cli("validate", "--format", "json", "--schematron", RULES, "--jobs", "2", many)
    assert len(started) == 3, "--jobs 2 should have used two worker processes"
    assert (one.code, one.err) == (two.code, two.err)
    assert one.code == 2
    first, second = _without_times(json.loads(one.out)), _without_times(json.loads(two.out))
    assert [entry["input"] for entry in second["files"]] == sorted(str(path) for path in many.iterdir())
    assert first == second


def test_broken_rules_in_workers_stop_the_batch(many: Path) -> None:
    items = expand_inputs([str(many)])
    with pytest.raises(jppint.cli.batch.RulesError, match=r"broken-rules\.sch"):
        validate_items(items, Settings(schematron=(str(DATA / "broken-rules.sch"),)), jobs=2)


def test_progress_is_reported_for_every_document(many: Path) -> None:
    seen: list[tuple[int, int]] = []
    items = expand_inputs([str(many)])
    validate_items(items, Settings(schematron=(str(RULES),)), jobs=1, on_progress=lambda *step: seen.append(step))
    assert seen == [(done, len(items)) for done in range(1, len(items) + 1)]
