"""Validation in worker processes: the same reports as in-process, time limits, and workers that die."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import jppint

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*/*/*.xml"))
SAMPLE = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"
WITHOUT_TIMES = {"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}
SLOW_RULES = """<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern><rule context="/*"><report id="slow" test="string-length(string-join(
    for $i in 1 to 100000000 return string($i), '')) gt 0">counted far</report></rule></pattern>
</schema>
"""


@pytest.fixture(scope="module")
def pool() -> jppint.ValidatorPool:
    with jppint.ValidatorPool(jppint.Validator(lang="ja"), workers=2, timeout=60) as shared:
        yield shared


def test_workers_give_the_reports_of_in_process_validation(pool: jppint.ValidatorPool) -> None:
    here = jppint.Validator(lang="ja")
    for path in SAMPLES:
        expected = here.validate(path).model_dump(exclude=WITHOUT_TIMES)
        assert pool.validate(path).model_dump(exclude=WITHOUT_TIMES) == expected, path.name
    data = SAMPLES[0].read_bytes()
    from_bytes = pool.validate(data, source_name="upload.xml")
    assert from_bytes.source == "upload.xml"
    assert from_bytes.findings == here.validate(data).findings


def test_errors_come_back_as_the_same_exceptions(pool: jppint.ValidatorPool) -> None:
    with pytest.raises(jppint.DocumentError, match="not well-formed") as raised:
        pool.validate(b"<Invoice>", source_name="broken.xml")
    assert raised.value.source == "broken.xml" and raised.value.line == 1
    with pytest.raises(jppint.DocumentError, match="no such file"):
        pool.validate(ROOT / "no-such-invoice.xml")
    assert pool.validate(SAMPLE).valid  # the worker that answered with an error is still there


def test_async_callers_share_the_pool(pool: jppint.ValidatorPool) -> None:
    async def many() -> list[bool]:
        reports = await asyncio.gather(*(pool.validate_async(SAMPLE) for _ in range(6)))
        return [report.valid for report in reports]

    assert asyncio.run(many()) == [True] * 6


def test_a_call_may_bring_its_own_validator(pool: jppint.ValidatorPool) -> None:
    invalid = ROOT / "samples" / "invalid" / "jp" / "totals-do-not-add-up.xml"
    data = invalid.read_bytes()
    english = jppint.Validator(lang="en", schema=False)
    report = pool.validate(data, validator=english)
    assert report.model_dump(exclude=WITHOUT_TIMES) == english.validate(data).model_dump(exclude=WITHOUT_TIMES)
    assert [layer.layer for layer in report.layers] == ["rules", "advice"]
    assert pool.validate(data).findings[0].message == report.findings[0].messages["ja"]  # the pool's own: ja


def test_workers_validate_the_warm_up_documents_before_their_first_call() -> None:
    """The first report's time, measured in the worker, holds no compilation of rules or schema."""
    with jppint.ValidatorPool(workers=1) as cold:
        first_cold = cold.validate(SAMPLE)
    with jppint.ValidatorPool(workers=1, warm_up=[b"<Invoice", SAMPLE.read_bytes()]) as warm:
        first_warm = warm.validate(SAMPLE)  # the broken warm-up document did not stop the worker
    assert first_warm.model_dump(exclude=WITHOUT_TIMES) == first_cold.model_dump(exclude=WITHOUT_TIMES)
    assert first_warm.elapsed_ms < first_cold.elapsed_ms / 2, (first_warm.elapsed_ms, first_cold.elapsed_ms)


def test_ctrl_c_to_the_process_group_leaves_the_workers_to_the_host(pool: jppint.ValidatorPool) -> None:
    async def both_workers_serving() -> None:  # two calls at once hold both workers: each has started
        await asyncio.gather(pool.validate_async(SAMPLE), pool.validate_async(SAMPLE))

    asyncio.run(both_workers_serving())
    for worker in pool._workers:
        os.kill(worker.process.pid, signal.SIGINT)
    time.sleep(0.2)
    assert all(worker.process.is_alive() for worker in pool._workers)
    assert pool.validate(SAMPLE).valid


def test_a_timeout_stops_a_slow_document_and_the_pool_goes_on(tmp_path: Path) -> None:
    rules = tmp_path / "slow.sch"
    rules.write_text(SLOW_RULES, encoding="utf-8")
    with jppint.ValidatorPool(jppint.Validator(schematron=(rules,), schema=False), timeout=1.0) as slow:
        (first,) = slow._workers
        started = time.perf_counter()
        with pytest.raises(jppint.ValidationTimeoutError, match=r"longer than 1 s \(timeout\)"):
            slow.validate(SAMPLE)
        assert time.perf_counter() - started < 5
        assert not first.process.is_alive()
        # The stopped worker was replaced by a fresh one, which answers the next call.
        (second,) = slow._workers
        assert second.process.is_alive() and second.process.pid != first.process.pid
        with pytest.raises(jppint.ValidationTimeoutError):
            slow.validate(SAMPLE, timeout=0.5)


def test_other_threads_run_while_a_worker_validates(tmp_path: Path) -> None:
    """In-process, Saxon holds the interpreter lock; waiting on a worker does not."""
    rules = tmp_path / "slow.sch"
    rules.write_text(SLOW_RULES.replace("100000000", "8000000"), encoding="utf-8")
    ticks = 0
    done = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.01)

    with jppint.ValidatorPool(jppint.Validator(schematron=(rules,), schema=False), timeout=60) as slow:
        slow.validate(SAMPLE)  # warm: the worker has imported and compiled
        ticker = threading.Thread(target=tick)
        ticker.start()
        started = time.perf_counter()
        slow.validate(SAMPLE)
        elapsed = time.perf_counter() - started
        done.set()
        ticker.join()
    assert ticks >= 0.5 * elapsed / 0.01, f"{ticks} ticks in {elapsed:.2f} s"


def test_a_killed_worker_is_an_engine_error_and_is_replaced() -> None:
    with jppint.ValidatorPool(timeout=60) as pool:
        assert pool.validate(SAMPLE).valid
        (worker,) = pool._workers
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        with pytest.raises(jppint.EngineError, match="worker process ended"):
            pool.validate(SAMPLE)
        assert pool.validate(SAMPLE).valid


def test_validate_with_a_timeout_runs_in_a_worker() -> None:
    report = jppint.validate(SAMPLE, timeout=60, lang="ja")
    assert report.model_dump(exclude=WITHOUT_TIMES) == jppint.validate(SAMPLE, lang="ja").model_dump(
        exclude=WITHOUT_TIMES
    )
