"""Validating many inputs in worker processes, in input order, each within a time limit.

saxonche holds the interpreter lock while it transforms, so threads do not
run validations in parallel; processes do. Each worker has its own Saxon
processor and compiles the rules it needs once, on first use. Results come
back in the order of the inputs whatever the number of workers, so
`--jobs 4` prints exactly what `--jobs 1` prints.

A worker is also what makes a time limit possible: nothing stops Saxon
half-way inside a process, but a process can be killed. So every batch runs
in workers, one for a small batch (a worker costs about as much as
validating a hundred invoices: see `worker_count`), and a worker that runs
past the limit, is stopped (SIGSTOP) or dies (the kernel's OOM killer, a
crash) costs only the input it was validating: that input is reported as
an input error, the worker is replaced and the batch goes on. Only without
a time limit does a small batch run in this process.

Each worker has at most two inputs at a time, the one it validates and the
next, so it never waits for this process; the clock of the next starts
when the answer for the first arrives. Compiling a rule set is not counted
against a document's limit: the worker says when it compiles.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from jppint.cli.inputs import Input, Item, UnreadableError, ValidatedFile, digest_of, read_file
from jppint.document import DEFAULT_MAX_BYTES, Document
from jppint.engine import saxon_started
from jppint.errors import DocumentError, EngineError, SchemaError, SchematronError, UnknownSpecError
from jppint.reporters.batch_result import BatchResult, FailOn, InputProblem, Outcome, Readable
from jppint.results import ValidationReport
from jppint.rule_entries import Language

# Below this many inputs per worker, another worker costs more than it saves.
FILES_PER_WORKER = 40
DEFAULT_TIMEOUT = 120.0
# Compiling a rule set happens once per worker and is bounded on its own, generously.
COMPILE_TIMEOUT = 600.0
_INPUTS_PER_WORKER = 2
_STOP_SECONDS = 2.0


@dataclass(frozen=True)
class Settings:
    """What every validation of a batch shares; sent once to each worker."""

    schematron: tuple[str, ...] = ()
    spec: str | None = None
    rules_version: str | None = None
    lang: Language = "en"
    max_bytes: int = DEFAULT_MAX_BYTES
    schema: bool = True
    stop_on_schema_error: bool = False
    ubl_schemas: str | None = None
    advice: bool = True
    # --format svrl: each report also carries the full SVRL of the rules (fired rules, diagnostics, properties).
    svrl: bool = False

    @property
    def built_in(self) -> bool:
        """True when the built-in rules run (no `--schematron`)."""
        return not self.schematron


class RulesError(Exception):
    """The rules themselves could not be compiled: no input can be validated."""


class WorkerError(Exception):
    """No worker process could be started: no input can be validated."""


@dataclass(frozen=True)
class Answer:
    """What became of one input in a worker; crosses the pipe, so it holds plain values.

    `kind` is "report" (with the size and digest of the bytes validated,
    for quoting them later), "problem" (an input error, with its place when
    it has one) or "rules" (the rules cannot be compiled: the batch stops).
    """

    kind: Literal["report", "problem", "rules"]
    report: ValidationReport | None = None
    reason: str = ""
    line: int | None = None
    column: int | None = None
    size: int = 0
    digest: bytes = b""
    svrl: str | None = None


def validate_one(
    source: str | bytes, label: str, settings: Settings, notify: Callable[[str], None] | None = None
) -> Answer:
    """Validate one input and turn every failure into an answer, never an exception.

    A document we cannot read or whose specification we cannot tell is a
    problem of that input. Rules that cannot be compiled, for whatever
    reason, are a problem of the whole batch: checked before the first
    document that needs them, so the batch stops with one message instead
    of repeating it for every file. `notify` hears "compiling" and
    "compiled" around a rule set's compilation.
    """
    from jppint.document import read_document
    from jppint.validation import rule_set_paths, validate

    try:
        data = read_file(source, settings.max_bytes) if isinstance(source, str) else source
        document = read_document(
            data, source_name=label, max_bytes=settings.max_bytes, any_root=bool(settings.schematron)
        )
        if isinstance(source, str):  # the file's place, for the relative URIs a user's rules resolve
            document = replace(document, uri=Path(source).resolve().as_uri())
        _, paths = rule_set_paths(
            document, schematron=settings.schematron, spec=settings.spec, rules_version=settings.rules_version
        )
        broken = _check_rules([str(path) for path in paths], notify)
        if broken is not None:
            return Answer("rules", reason=broken)
        report = validate(
            document,
            schematron=list(settings.schematron) or None,
            spec=settings.spec,
            rules_version=settings.rules_version,
            lang=settings.lang,
            schema=settings.schema,
            stop_on_schema_error=settings.stop_on_schema_error,
            ubl_schemas=settings.ubl_schemas,
            advice=settings.advice,
        )
        svrl = _full_svrl(document, settings) if settings.svrl else None
    except UnreadableError as error:
        return Answer("problem", reason=str(error))
    except DocumentError as error:
        return Answer("problem", reason=error.reason, line=error.line, column=error.column)
    except UnknownSpecError as error:
        return Answer("problem", reason=str(error))
    except (SchematronError, SchemaError) as error:
        return Answer("rules", reason=str(error))
    except EngineError as error:
        return Answer("problem", reason=str(error))
    except RecursionError:
        return Answer("problem", reason="document too deeply nested to validate")
    except Exception as error:  # a bug must not stop the batch or show a traceback
        return Answer("problem", reason=f"internal error, please report it: {type(error).__name__}: {error}")
    return Answer(
        "report", report.model_copy(update={"source": label}), size=len(data), digest=digest_of(data), svrl=svrl
    )


def _full_svrl(document: Document, settings: Settings) -> str | None:
    """The rules' full SVRL, or None when an error stopped them (the SVRL is then built from the findings)."""
    from jppint.validator import Validator

    validator = Validator(
        schematron=settings.schematron or None, spec=settings.spec, rules_version=settings.rules_version
    )
    try:
        return validator.svrl(document)
    except EngineError:
        return None


_checked_rules: set[str] = set()


def _check_rules(paths: list[str], notify: Callable[[str], None] | None = None) -> str | None:
    """Compile each rule file once per process; the reason when one cannot be compiled."""
    from jppint.engine import load_rule_set

    for path in paths:
        if path in _checked_rules:
            continue
        if notify is not None:
            notify("compiling")
        try:
            load_rule_set(path)
        except SchematronError as error:
            return str(error)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
            return f"{path}: cannot compile the rules (internal error, please report it): {problem}"
        finally:
            if notify is not None:
                notify("compiled")
        _checked_rules.add(path)
    return None


def worker_count(jobs: int, inputs: int, *, timeout: float | None = DEFAULT_TIMEOUT) -> int:
    """How many worker processes `inputs` documents deserve; 0 means "in this process".

    One worker at least while there is a time limit, as only a worker can be stopped.
    """
    if inputs == 0:
        return 0
    workers = min(jobs, inputs // FILES_PER_WORKER)
    if workers >= 2:
        return workers
    return 1 if timeout is not None else 0


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
        context.set_forkserver_preload(["jppint.validation", "jppint.cli.batch"])
        return context
    return multiprocessing.get_context("spawn")


def validate_items(
    items: Sequence[Item],
    settings: Settings,
    *,
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    fail_on: FailOn = "fatal",
    fail_on_advice: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Validate every input and keep every input problem, in input order.

    `timeout` bounds each document in seconds (None: no bound). `fail_on`
    and `fail_on_advice` say which findings fail a document (see
    `fails_on`). Raises `RulesError` when the rules cannot be compiled.
    """
    started = time.perf_counter()
    documents = [item for item in items if isinstance(item, Input)]
    answers = _answers(documents, settings, jobs, timeout, on_progress)
    outcomes: list[Outcome] = []
    try:
        for item in items:
            if isinstance(item, InputProblem):
                outcomes.append(Outcome(None, item.label, problem=item))
                continue
            answer = next(answers)
            if answer.kind == "rules":
                raise RulesError(answer.reason)
            if answer.report is not None:
                validated = _as_validated(item, answer)
                outcomes.append(
                    Outcome(
                        validated, item.label, report=answer.report, fail_on_advice=fail_on_advice, svrl=answer.svrl
                    )
                )
            else:
                problem = InputProblem(item.label, answer.reason, answer.line, answer.column)
                outcomes.append(Outcome(item, item.label, problem=problem))
    finally:
        answers.close()  # stops the workers at once when the rules are broken, on Ctrl-C or a signal
    return BatchResult(tuple(outcomes), fail_on, time.perf_counter() - started, settings.built_in)


def _as_validated(item: Input, answer: Answer) -> Readable:
    """What the text report quotes lines from: the bytes validated, never a file edited since."""
    if item.path is None:
        return item
    return ValidatedFile(item.path, answer.size, answer.digest)


def _answers(
    documents: list[Input],
    settings: Settings,
    jobs: int,
    timeout: float | None,
    on_progress: Callable[[int, int], None] | None,
) -> Generator[Answer, None, None]:
    workers = worker_count(jobs, len(documents), timeout=timeout)
    if workers == 0:
        for done, item in enumerate(documents, start=1):
            answer = validate_one(item.source, item.label, settings)
            if on_progress is not None:
                on_progress(done, len(documents))
            yield answer
        return
    yield from _Batch(documents, settings, workers, timeout, on_progress).answers()


class _Batch:
    """The inputs of a batch shared out to worker processes, their answers gathered in order."""

    def __init__(
        self,
        documents: list[Input],
        settings: Settings,
        workers: int,
        timeout: float | None,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self.documents = documents
        self.settings = settings
        self.size = workers
        self.timeout = timeout
        self.on_progress = on_progress
        self.waiting: deque[int] = deque(range(len(documents)))
        self.answered: dict[int, Answer] = {}
        self.done = 0
        self.workers: list[_Worker] = []
        self.context = _context()

    def answers(self) -> Generator[Answer, None, None]:
        if self.context.get_start_method() == "fork":
            import jppint.validation  # noqa: F401  (imported once here, shared by every forked worker)
        finished = False
        try:
            for index in range(len(self.documents)):
                while index not in self.answered:
                    self._step()
                yield self.answered.pop(index)
            finished = True
        finally:
            for worker in self.workers:
                worker.stop(at_once=not finished)

    def _step(self) -> None:
        """Give out inputs, wait for something to happen, and handle it."""
        self.workers = [worker for worker in self.workers if worker.alive]
        while len(self.workers) < self.size and self.waiting:
            try:
                self.workers.append(_Worker.start(self.context, self.settings))
            except OSError as error:
                if not self.workers:
                    raise WorkerError(f"cannot start a worker process: {error.strerror or error}") from None
                break
        for worker in self.workers:
            while len(worker.inputs) < _INPUTS_PER_WORKER and self.waiting and self._may_queue(worker):
                index = self.waiting.popleft()
                worker.give(index, self.documents[index], self.timeout)
        busy = [worker for worker in self.workers if worker.inputs]
        deadlines = [worker.deadline for worker in busy if worker.deadline is not None]
        wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        # Every worker's sentinel: one that dies idle is replaced without blaming the next input.
        handles = [worker.connection for worker in busy] + [worker.process.sentinel for worker in self.workers]
        ready = set(wait(handles, wait_for))
        for worker in list(self.workers):
            if worker.connection in ready and worker.inputs:
                self._hear(worker)
            if worker.process.sentinel in ready:
                self._bury(worker)
            elif worker.inputs and worker.deadline is not None and time.monotonic() >= worker.deadline:
                worker.stop(at_once=True)
                self._fail_first(worker, f"validation took longer than {_seconds(worker.limit)} s (--timeout)")

    def _may_queue(self, worker: _Worker) -> bool:
        """Bytes (standard input) go only to an idle worker, which reads them at once; a queued
        input larger than the pipe's buffer would hold this process until the worker reads it."""
        return not worker.inputs or isinstance(self.documents[self.waiting[0]].source, str)

    def _hear(self, worker: _Worker) -> bool:
        """Take one message (the next wait says at once when there is another); False when the worker is gone."""
        try:
            kind, value = worker.connection.recv()
        except (EOFError, OSError):
            return False  # its sentinel says so too
        if kind == "answer":
            self._record(worker.inputs.popleft(), value)
            worker.started(self.timeout)
        elif kind == "compiling":
            worker.pause()
        elif kind == "compiled":
            worker.resume()
        return True

    def _bury(self, worker: _Worker) -> None:
        """A worker that ended: what it answered before counts; the input it was validating fails."""
        try:
            while worker.inputs and worker.connection.poll() and self._hear(worker):
                pass
        except OSError:
            pass
        worker.process.join()
        worker.stop(at_once=True)
        if worker.inputs:
            self._fail_first(worker, f"the worker validating it died ({_death(worker.process.exitcode)})")

    def _fail_first(self, worker: _Worker, reason: str) -> None:
        """The input the worker was validating is an input error; the next goes back in the queue."""
        self._record(worker.inputs.popleft(), Answer("problem", reason=reason))
        self.waiting.extendleft(reversed(worker.inputs))
        worker.inputs.clear()

    def _record(self, index: int, answer: Answer) -> None:
        self.answered[index] = answer
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(self.done, len(self.documents))


@dataclass
class _Worker:
    """A worker process, its end of the pipe and the inputs it holds (the first being validated)."""

    process: BaseProcess
    connection: Connection
    inputs: deque[int]
    deadline: float | None = None
    limit: float | None = None
    left: float | None = None
    alive: bool = True

    @classmethod
    def start(cls, context: Any, settings: Settings) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, settings), daemon=True, name="jppint-worker")
        process.start()
        theirs.close()
        return cls(process, ours, deque())

    @property
    def handles(self) -> tuple[Connection, int]:
        return self.connection, self.process.sentinel

    def give(self, index: int, item: Input, timeout: float | None) -> None:
        try:
            self.connection.send((item.source, item.label))
        except OSError:
            pass  # the worker died: its sentinel says so, and this input goes back in the queue or fails
        self.inputs.append(index)
        if len(self.inputs) == 1:
            self.started(timeout)

    def started(self, timeout: float | None) -> None:
        """The first input starts now (the worker reads the next as soon as it has answered)."""
        self.limit = timeout
        self.left = None
        self.deadline = time.monotonic() + timeout if timeout is not None and self.inputs else None

    def pause(self) -> None:
        """Compiling rules: the document's clock stops, the compile's own starts."""
        if self.deadline is not None:
            self.left = max(0.0, self.deadline - time.monotonic())
            self.deadline = time.monotonic() + max(COMPILE_TIMEOUT, self.limit or 0.0)

    def resume(self) -> None:
        if self.left is not None:
            self.deadline = time.monotonic() + self.left
            self.left = None

    def stop(self, *, at_once: bool) -> None:
        """End the process: asked politely at the end of a batch, killed when stopped or failing."""
        if not self.alive:
            return
        self.alive = False
        if not at_once:
            try:
                self.connection.send(None)
            except OSError:
                pass
            self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()  # SIGKILL ends a stopped (SIGSTOP) process too
        self.process.join()
        self.connection.close()


def _seconds(limit: float | None) -> str:
    return f"{limit:g}" if limit is not None else "?"


def _death(exit_code: int | None) -> str:
    """How a worker ended, in words: a SIGKILL is most often the kernel's out-of-memory killer."""
    if exit_code is None:
        return "it stopped answering"
    if exit_code < 0:
        number = -exit_code
        if number == signal.SIGKILL:
            return f"killed by signal {number}: out of memory?"
        try:
            name = signal.Signals(number).name
        except ValueError:
            return f"killed by signal {number}"
        return f"killed by signal {number}, {name}"
    return f"it exited with status {exit_code}"


def _serve(connection: Connection, settings: Settings) -> None:
    """A worker's life: validate each input it is given and answer, until told to stop."""
    _become_worker()
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        source, label = job
        answer = validate_one(source, label, settings, lambda news: connection.send((news, None)))
        connection.send(("answer", answer))


def _become_worker() -> None:
    """Leave signals and the terminal to the command line's process, and die with it.

    Ctrl-C and a hang-up reach every process of the terminal's process
    group: workers ignore them and let the parent stop them, so the user
    sees one line, not a traceback per worker. SIGTERM keeps its default,
    whatever handler the parent process had. Standard output is the
    report's: whatever a library prints here goes to standard error.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.dup2(2, 1)
    except OSError:
        pass
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when its parent dies, even by SIGKILL."""
    if sys.platform != "linux":
        return
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def default_jobs() -> int:
    """The CPUs this process may use (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
