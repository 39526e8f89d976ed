"""Validating many inputs, in this process or in worker processes, in input order.

saxonche holds the interpreter lock while it transforms, so threads do not
run validations in parallel; processes do. Each worker has its own Saxon
processor and compiles the rules it needs once, on first use (or at start
when the rule set is known in advance). Results come back in the order of
the inputs whatever the number of workers, so `--jobs 4` prints exactly what
`--jobs 1` prints.

A worker costs about as much as validating a hundred invoices before it
validates any (compiling the rules; importing jppint too when it cannot be
forked), so small batches run in this process: see `worker_count`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import cast

from jppint.catalogue import Language
from jppint.document import DEFAULT_MAX_BYTES
from jppint.engine import saxon_started
from jppint.errors import DocumentError, EngineError, SchemaError, SchematronError, UnknownSpecError
from jppint.inputs import Input, Item
from jppint.reporters.batch_result import BatchResult, FailOn, InputProblem, Outcome

# Below this many inputs per worker, a worker costs more than it saves.
FILES_PER_WORKER = 40
_CHUNK_LIMIT = 32


@dataclass(frozen=True)
class Settings:
    """What every validation of a batch shares; sent once to each worker."""

    schematron: tuple[str, ...] = ()
    spec: str | None = None
    lang: Language = "en"
    max_bytes: int = DEFAULT_MAX_BYTES
    schema: bool = True
    stop_on_schema_error: bool = False
    ubl_schemas: str | None = None

    @property
    def built_in(self) -> bool:
        """True when the built-in rules run (no `--schematron`)."""
        return not self.schematron


class RulesError(Exception):
    """The rules themselves could not be compiled: no input can be validated."""


# A worker's answer for one input: ("report", ValidationReport),
# ("problem", (reason, line, column)) or ("rules", message).
_Answer = tuple[str, object]


def validate_one(source: str | bytes, label: str, settings: Settings) -> _Answer:
    """Validate one input and turn every failure into an answer, never an exception.

    A document we cannot read or whose specification we cannot tell is a
    problem of that input. Rules that cannot be compiled, for whatever
    reason, are a problem of the whole batch: checked before the first
    document that needs them, so the batch stops with one message instead
    of repeating it for every file.
    """
    from jppint.document import read_document
    from jppint.validation import rule_set_paths, validate

    try:
        document = read_document(source, max_bytes=settings.max_bytes)
        _, paths = rule_set_paths(document, schematron=settings.schematron, spec=settings.spec)
        broken = _check_rules([str(path) for path in paths])
        if broken is not None:
            return "rules", broken
        report = validate(
            document,
            schematron=list(settings.schematron) or None,
            spec=settings.spec,
            lang=settings.lang,
            schema=settings.schema,
            stop_on_schema_error=settings.stop_on_schema_error,
            ubl_schemas=settings.ubl_schemas,
        )
    except DocumentError as error:
        return "problem", (error.reason, error.line, error.column)
    except UnknownSpecError as error:
        return "problem", (str(error), None, None)
    except (SchematronError, SchemaError) as error:
        return "rules", str(error)
    except EngineError as error:
        return "problem", (str(error), None, None)
    except RecursionError:
        return "problem", ("document too deeply nested to validate", None, None)
    except Exception as error:  # a bug must not stop the batch or show a traceback
        return "problem", (f"internal error, please report it: {type(error).__name__}: {error}", None, None)
    return "report", report.model_copy(update={"source": label})


_checked_rules: set[str] = set()


def _check_rules(paths: list[str]) -> str | None:
    """Compile each rule file once per process; the reason when one cannot be compiled."""
    from jppint.engine import load_rule_set

    for path in paths:
        if path in _checked_rules:
            continue
        try:
            load_rule_set(path)
        except SchematronError as error:
            return str(error)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
            return f"{path}: cannot compile the rules (internal error, please report it): {problem}"
        _checked_rules.add(path)
    return None


_worker_settings = Settings()


def _start_worker(settings: Settings) -> None:
    """Remember the settings and compile the rules now, before the first document arrives.

    Ctrl-C reaches every process of the terminal's process group: workers
    ignore it and let the parent stop them, so the user sees one line, not
    a traceback per worker.
    """
    global _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_settings = settings
    warm(settings)


def warm(settings: Settings) -> None:
    """Compile the rule sets known in advance; errors surface on first use instead."""
    from jppint.engine import load_rule_set
    from jppint.rulesets import rule_set_path
    from jppint.specs import spec_named

    try:
        if settings.schematron:
            for path in settings.schematron:
                load_rule_set(path)
        elif settings.spec:
            load_rule_set(rule_set_path(spec_named(settings.spec)))
    except Exception:
        return


def _validate_in_worker(job: tuple[str | bytes, str]) -> _Answer:
    source, label = job
    return validate_one(source, label, _worker_settings)


def worker_count(jobs: int, inputs: int) -> int:
    """How many worker processes `inputs` documents deserve; 0 means "in this process"."""
    workers = min(jobs, inputs // FILES_PER_WORKER)
    return workers if workers >= 2 else 0


def _context() -> multiprocessing.context.BaseContext:
    """How to start workers: fork when it is safe, as it costs nothing.

    A fork shares the modules this process has imported, so a worker only
    has to compile its rules. Forking is safe on Linux while this process has
    one thread and has not started Saxon (the command line starts Saxon only
    in the workers). Otherwise (a library caller that validated already,
    other platforms) a fork server or fresh interpreters are used, which
    import jppint again (about 0.2 s).
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1 and not saxon_started():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["jppint.validation", "jppint.batch"])
        return context
    return multiprocessing.get_context("spawn")


def validate_items(
    items: Sequence[Item],
    settings: Settings,
    *,
    jobs: int = 1,
    fail_on: FailOn = "fatal",
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Validate every input and keep every input problem, in input order.

    Raises `RulesError` when the rules cannot be compiled.
    """
    started = time.perf_counter()
    documents = [item for item in items if isinstance(item, Input)]
    answers = _answers(documents, settings, jobs, on_progress)
    outcomes: list[Outcome] = []
    try:
        for item in items:
            if isinstance(item, InputProblem):
                outcomes.append(Outcome(None, item.label, problem=item))
                continue
            kind, value = next(answers)
            if kind == "rules":
                raise RulesError(str(value))
            if kind == "report":
                outcomes.append(Outcome(item, item.label, report=value))  # type: ignore[arg-type]
            else:
                reason, line, column = cast(tuple[str, int | None, int | None], value)
                outcomes.append(Outcome(item, item.label, problem=InputProblem(item.label, reason, line, column)))
    finally:
        answers.close()  # stops the workers at once when the rules are broken or on Ctrl-C
    return BatchResult(tuple(outcomes), fail_on, time.perf_counter() - started, settings.built_in)


def _answers(
    documents: list[Input],
    settings: Settings,
    jobs: int,
    on_progress: Callable[[int, int], None] | None,
) -> Generator[_Answer, None, None]:
    total = len(documents)
    workers = worker_count(jobs, total)
    if workers == 0:
        results: Iterator[_Answer] = (validate_one(item.source, item.label, settings) for item in documents)
        yield from _counted(results, total, on_progress)
        return
    chunk = max(1, min(_CHUNK_LIMIT, total // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(settings,),
    ) as pool:
        try:
            jobs_of = ((item.source, item.label) for item in documents)
            yield from _counted(pool.map(_validate_in_worker, jobs_of, chunksize=chunk), total, on_progress)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _counted(
    answers: Iterator[_Answer], total: int, on_progress: Callable[[int, int], None] | None
) -> Iterator[_Answer]:
    for done, answer in enumerate(answers, start=1):
        if on_progress is not None:
            on_progress(done, total)
        yield answer


def default_jobs() -> int:
    """The CPUs this process may use (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
