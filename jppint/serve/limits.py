"""The request size limit: 413 before a byte more than the limit is read.

A declared `Content-Length` over the limit is refused at once, without
reading the body; a body sent in chunks is counted as it arrives, and
reading stops at the first chunk past the limit (`BodyTooLarge`, answered
413 by the application).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jppint.serve.problems import too_large


class BodyTooLarge(Exception):
    """The body went past the limit while it was read."""


class BodyLimit:
    """ASGI middleware bounding every request body to `limit` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            problem = too_large(self.limit)
            # The unread body makes the connection unusable: the server closes it after this answer.
            await JSONResponse(problem.body(), problem.status, {"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        await self.app(scope, counting_receive, send)
