"""Every refusal as one JSON error, never a traceback.

    {"error": {"type": "not-well-formed", "reason": "...", "line": 3, "column": 17}}

`reason`, `line` and `column` are what the command line prints for the same
input (`jppint: upload.xml:3:17: <reason>`); `type` is a stable word a
client can branch on, and the HTTP status says the class of the problem:
400 unreadable or unsafe input, 413 too large, 415 wrong content type,
422 readable but not something we can validate (not a UBL invoice, unknown
specification, a parameter out of range), 503 busy, 504 out of time.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jppint.errors import (
    DocumentError,
    DocumentTooLargeError,
    EngineError,
    JppintError,
    NotUBLDocumentError,
    UnknownSpecError,
    UnsafeDocumentError,
    ValidationTimeoutError,
)

log = logging.getLogger("jppint.serve")


@dataclass(eq=False)
class Problem(Exception):
    """An HTTP error answer: status, type, the reason text and where in the document, when known."""

    status: int
    type: str
    reason: str
    line: int | None = None
    column: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.reason)

    def body(self) -> dict[str, object]:
        return {"error": {"type": self.type, "reason": self.reason, "line": self.line, "column": self.column}}


def problem_of(error: JppintError, *, timeout: float) -> Problem:
    """The answer for an error of the library; `timeout` is the service's time limit, for its message."""
    if isinstance(error, ValidationTimeoutError):
        return timed_out(timeout)
    if isinstance(error, DocumentError):
        status, kind = _DOCUMENT_ERRORS.get(type(error), (400, "unreadable-document"))
        return Problem(status, kind, error.reason, error.line, error.column)
    if isinstance(error, UnknownSpecError):
        return Problem(422, "unknown-spec", str(error))
    if isinstance(error, EngineError):
        return Problem(500, "engine-error", str(error))
    return Problem(500, "internal-error", f"{type(error).__name__}: {error}")


_DOCUMENT_ERRORS: dict[type[DocumentError], tuple[int, str]] = {
    UnsafeDocumentError: (400, "unsafe-document"),
    DocumentTooLargeError: (413, "too-large"),
    NotUBLDocumentError: (422, "not-ubl"),
}


def timed_out(timeout: float) -> Problem:
    return Problem(504, "timeout", f"no answer within the time limit of {timeout:g} s (--timeout): validation stopped")


def too_large(limit: int) -> Problem:
    return Problem(413, "too-large", f"the request body is larger than the limit of {limit} bytes (--max-size)")


def busy(retry_after: int) -> Problem:
    return Problem(
        503,
        "busy",
        "every worker is busy and the queue is full: try again shortly",
        headers={"Retry-After": str(retry_after)},
    )


class InternalErrorsAsJSON:
    """ASGI middleware: an unexpected exception becomes a JSON 500, logged without its message.

    Its message could quote the document, so the log gets the exception's
    type and stack only; the client gets neither.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the lifespan reports its own failures to the server
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as error:
            stack = "".join(traceback.format_tb(error.__traceback__))
            log.error("internal error, %s, in %s %s\n%s", type(error).__name__, scope["method"], scope["path"], stack)
            if started:
                return
            problem = Problem(500, "internal-error", "internal error: the service logged it; please report it")
            await JSONResponse(problem.body(), problem.status)(scope, receive, send)
