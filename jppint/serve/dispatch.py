"""Validations in worker processes, behind a bounded queue and a time limit.

Saxon holds the interpreter lock while it runs, so the service validates in
a `ValidatorPool` and its event loop only waits. A request takes a worker
slot (an asyncio semaphore as large as the pool), so that waiting happens
here, where it can be bounded and cancelled: when `queue` validations are
already waiting, a new one is refused at once (503); a validation that has
not finished `timeout` seconds after its request arrived is answered 504,
and the pool stops the worker if it is still validating. Every worker
compiles the rules when it starts, before its first document (a worker
that replaces a stopped one too); the service is ready once every worker
has (`warm`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from jppint.errors import ValidationTimeoutError
from jppint.namespaces import CBC, CREDIT_NOTE, INVOICE
from jppint.pool import ValidatorPool
from jppint.results import ValidationReport
from jppint.serve.problems import busy
from jppint.specs import SPECS
from jppint.validator import Validator

log = logging.getLogger("jppint.serve")
_START_SECONDS = 300.0  # a worker's start and warm-up, on a slow or busy machine


class Dispatcher:
    """The pool, its slots and the queue before them; one per service, used from its event loop."""

    def __init__(self, *, workers: int, timeout: float, queue: int) -> None:
        self.workers = workers
        self.timeout = timeout
        self.queue = queue
        self.waiting = 0
        self.busy = 0
        self.ready = False
        self.warm_up_problem: str | None = None
        self._pool: ValidatorPool | None = None
        self._slots = asyncio.Semaphore(workers)
        # One thread per worker: a thread only ever runs with a slot taken, so it never waits for a worker.
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jppint-serve")

    def start(self) -> None:
        """Start the worker processes (each imports jppint, about 0.3 s; this call does not wait for that)."""
        self._pool = ValidatorPool(Validator(), workers=self.workers, timeout=self.timeout, warm_up=warm_up_documents())

    def close(self) -> None:
        """End the workers after the validations in flight."""
        if self._pool is not None:
            self._pool.close()
        self._threads.shutdown(wait=True)

    def admit(self) -> None:
        """Refuse a request (503) when the queue is full; otherwise it may wait for a worker."""
        if self.waiting >= self.queue and self._slots.locked():
            raise busy(retry_after=1)

    async def validate(
        self,
        data: bytes,
        validator: Validator,
        *,
        source_name: str | None,
        arrived: float,
        timeout: float | None = None,
    ) -> ValidationReport:
        """Validate in a worker; `ValidationTimeoutError` when no answer came `timeout` s after `arrived`.

        `arrived` is the request's `time.monotonic()`; `timeout` replaces the service's time limit.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = arrived + limit
        self.waiting += 1
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                await self._slots.acquire()
        except TimeoutError:
            raise ValidationTimeoutError(f"no worker was free within {limit:g} s") from None
        finally:
            self.waiting -= 1
        self.busy += 1
        remaining = max(0.001, deadline - time.monotonic())
        assert self._pool is not None, "start() first"
        call = partial(self._pool.validate, data, source_name=source_name, timeout=remaining, validator=validator)
        future = asyncio.get_running_loop().run_in_executor(self._threads, call)
        future.add_done_callback(self._release)
        # Shielded: a request cancelled meanwhile (client gone) leaves the worker to finish and free its slot.
        return await asyncio.shield(future)

    def _release(self, _: object) -> None:
        self.busy -= 1
        self._slots.release()

    async def warm(self) -> None:
        """Wait until every worker has compiled the rules, then say ready.

        A worker validates its warm-up documents before its first call, so
        it answers a call only once warm; `workers` calls at once reach every
        worker (each holds its worker until it answers). The wait is not the
        requests' time limit, which may be shorter than a start.
        """
        started = time.monotonic()
        document = warm_up_documents()[0]
        try:
            await asyncio.gather(
                *(
                    self.validate(document, Validator(), source_name="warm-up", arrived=started, timeout=_START_SECONDS)
                    for _ in range(self.workers)
                )
            )
        except Exception as error:  # the service stays up, not ready, and says why
            self.warm_up_problem = f"{type(error).__name__}: {error}"
            log.error("warm-up failed, not ready: %s", self.warm_up_problem)
            return
        self.ready = True
        log.info("ready: %d worker(s) warm in %.1f s", self.workers, time.monotonic() - started)


def warm_up_documents() -> list[bytes]:
    """The smallest document of each specification, and a credit note: each compiles what it needs."""
    documents = [_skeleton(INVOICE, "Invoice", spec.customization_ids[0]) for spec in SPECS.values()]
    first = next(iter(SPECS.values()))
    documents.append(_skeleton(CREDIT_NOTE, "CreditNote", first.customization_ids[0]))
    return documents


def _skeleton(namespace: str, root: str, customization_id: str) -> bytes:
    return (
        f'<{root} xmlns="{namespace}" xmlns:cbc="{CBC}"><cbc:CustomizationID>{customization_id}'
        f"</cbc:CustomizationID></{root}>"
    ).encode()
