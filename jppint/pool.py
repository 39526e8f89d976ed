"""Validations in worker processes: for hosts whose threads must never wait on Saxon.

Saxon holds the interpreter lock for the whole of a transformation, so a
validation in a web server's process stalls every other thread of it (HTTP
handlers, health checks, the asyncio loop's executors) until it ends, and
nothing can stop it half-way. A `ValidatorPool` runs validations in worker
processes instead: the calling thread waits on a pipe, which releases the
lock, and a document that runs past its time limit is stopped by ending its
worker, which is then replaced. Results are the reports `Validator.validate`
gives in-process.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from lxml import etree

from jppint import errors
from jppint.document import Document, Source
from jppint.errors import EngineError, JppintError, ValidationTimeoutError
from jppint.results import ValidationReport
from jppint.validator import Validator

DEFAULT_TIMEOUT = 60.0
_STOP = None


@dataclass(frozen=True)
class _Job:
    """What crosses the pipe: a path to read there, or the bytes or text read here."""

    path: str | None = None
    data: bytes | None = None
    text: str | None = None
    source_name: str | None = None
    validator: Validator | None = None


class ValidatorPool:
    """`workers` processes, each validating with `validator`; safe to share between threads.

    Each call waits for a free worker, so at most `workers` documents are
    validated at once; `timeout` (seconds, None for none) bounds each
    document. Close the pool (or use it as a context manager) to end the
    workers. Workers start when the pool does, each importing jppint
    (about 0.3 s) and compiling its rules on first use, or before with
    `warm_up`: documents each worker validates when it starts, before its
    first call (a worker that replaces a stopped one too). A call may give its
    own `validator` (another language, spec or layers): it crosses the pipe
    with the document, and the worker's compiled rules serve it too.
    """

    def __init__(
        self,
        validator: Validator | None = None,
        *,
        workers: int = 1,
        timeout: float | None = DEFAULT_TIMEOUT,
        start_method: str = "spawn",
        warm_up: Sequence[bytes] = (),
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive or None, not {timeout}")
        self.validator = validator or Validator()
        self.timeout = timeout
        self.warm_up = tuple(warm_up)
        # Spawned workers share nothing with the host: no inherited threads, locks or Saxon state.
        self._context = multiprocessing.get_context(start_method)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._closed = False
        for _ in range(workers):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker.start(self._context, self.validator, self.warm_up)
        with self._lock:
            self._workers.append(worker)
        self._idle.put(worker)

    def validate(
        self,
        source: Source | Document | None = None,
        *,
        text: str | None = None,
        source_name: str | None = None,
        timeout: float | object | None = ...,
        validator: Validator | None = None,
    ) -> ValidationReport:
        """As `Validator.validate`, in a worker; raises `ValidationTimeoutError` past the time limit.

        `validator` replaces the pool's for this call.
        """
        if self._closed:
            raise RuntimeError("the pool is closed")
        job = replace(self._job(source, text, source_name), validator=validator)
        limit = self.timeout if timeout is ... else timeout
        worker = self._idle.get()
        try:
            answer = worker.ask(job, limit)  # type: ignore[arg-type]
        except ValidationTimeoutError:
            self._replace(worker)
            raise
        except EngineError:
            self._replace(worker)
            raise
        self._idle.put(worker)
        return _result(answer)

    async def validate_async(
        self,
        source: Source | Document | None = None,
        *,
        text: str | None = None,
        source_name: str | None = None,
        timeout: float | object | None = ...,
        validator: Validator | None = None,
    ) -> ValidationReport:
        """`validate` for asyncio: the event loop goes on while a worker validates."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None,
            lambda: self.validate(source, text=text, source_name=source_name, timeout=timeout, validator=validator),
        )

    def _job(self, source: Source | Document | None, text: str | None, source_name: str | None) -> _Job:
        """Read here what only this process can read (streams, trees); paths are read by the worker."""
        if text is not None:
            if source is not None:
                raise ValueError("give either a source or text=, not both")
            return _Job(text=text, source_name=source_name)
        if isinstance(source, Document):
            data = etree.tostring(source.tree, encoding="UTF-8", xml_declaration=True)
            return _Job(data=data, source_name=source_name or source.name)
        if isinstance(source, (str, os.PathLike)):
            return _Job(path=os.fspath(source), source_name=source_name)
        if isinstance(source, (bytes, bytearray, memoryview)):
            return _Job(data=bytes(source), source_name=source_name)
        if isinstance(source, (etree._ElementTree, etree._Element)):
            data = etree.tostring(source, encoding="UTF-8", xml_declaration=True)
            return _Job(data=data, source_name=source_name)
        document = self.validator.read(source, source_name=source_name)
        data = etree.tostring(document.tree, encoding="UTF-8", xml_declaration=True)
        return _Job(data=data, source_name=source_name or document.name)

    def _replace(self, worker: _Worker) -> None:
        worker.stop(at_once=True)
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        if not self._closed:
            self._add_worker()

    def close(self) -> None:
        """End every worker; calls in flight finish first."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop(at_once=False)

    def __enter__(self) -> ValidatorPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection

    @classmethod
    def start(cls, context: Any, validator: Validator, warm_up: tuple[bytes, ...] = ()) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, validator, warm_up), daemon=True, name="jppint-worker")
        process.start()
        theirs.close()
        return cls(process, ours)

    def ask(self, job: _Job, timeout: float | None) -> tuple[str, Any]:
        try:
            self.connection.send(job)
            if not self.connection.poll(timeout):
                raise ValidationTimeoutError(
                    f"validation took longer than {timeout:g} s (timeout): the worker was stopped",
                    source=job.source_name or job.path,
                )
            answer: tuple[str, Any] = self.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self.process.exitcode
            raise EngineError(
                f"the worker process ended while validating (exit code {code}): out of memory, or killed"
            ) from None
        return answer

    def stop(self, *, at_once: bool) -> None:
        if not at_once and self.process.is_alive():
            try:
                self.connection.send(_STOP)
            except (OSError, BrokenPipeError):
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


def _serve(connection: Connection, validator: Validator, warm_up: tuple[bytes, ...] = ()) -> None:
    """A worker's life: validate each job, answer with the report or the error, until told to stop.

    Ctrl-C reaches every process of the terminal's group: the host decides
    what it means (a server finishes the validations in flight), so a worker
    ignores it and ends when its pool stops it or its pipe closes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for document in warm_up:
        try:
            validator.validate(document)
        except JppintError:
            pass  # a warm-up document need not be valid, nor even readable: it only compiles what it reaches
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is _STOP:
            return
        chosen = job.validator or validator
        try:
            if job.path is not None:
                report = chosen.validate(Path(job.path), source_name=job.source_name)
            elif job.text is not None:
                report = chosen.validate(text=job.text, source_name=job.source_name)
            else:
                report = chosen.validate(job.data, source_name=job.source_name)
            answer: tuple[str, Any] = ("report", report)
        except JppintError as error:
            answer = ("error", (type(error).__name__, _error_fields(error)))
        except (ValueError, RecursionError, MemoryError) as error:
            answer = ("error", ("EngineError", {"message": f"{type(error).__name__}: {error}"}))
        connection.send(answer)


def _error_fields(error: JppintError) -> dict[str, Any]:
    """An error's own fields: its class's constructor takes them back on the other side."""
    if isinstance(error, errors.DocumentError):
        return {"reason": error.reason, "source": error.source, "line": error.line, "column": error.column}
    if isinstance(error, errors.SchematronError):
        return {"problem": error.problem, "file": error.file, "line": error.line}
    return {"message": str(error)}


def _result(answer: tuple[str, Any]) -> ValidationReport:
    kind, value = answer
    if kind == "report":
        return value  # type: ignore[no-any-return]
    name, fields = value
    error_class: type[JppintError] = getattr(errors, name, EngineError)
    if issubclass(error_class, errors.DocumentError):
        raise error_class(fields["reason"], source=fields["source"], line=fields["line"], column=fields["column"])
    if issubclass(error_class, errors.SchematronError):
        raise error_class(fields["problem"], file=fields["file"], line=fields["line"])
    raise error_class(fields["message"])
