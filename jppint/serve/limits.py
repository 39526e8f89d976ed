"""The request size limit: 413, keeping no byte past the limit.

A declared `Content-Length` over the limit is refused before the body is
read; a body sent in chunks is counted as it arrives and refused at the
first chunk past the limit. Either way nothing past the limit is kept.

Before answering, the rest of the body the client is sending is read and
thrown away (at most as much again as the limit, for at most a few
seconds): a server that closes a connection with unread data makes the
kernel reset it, and the client, still sending, then loses the answer and
sees only "connection reset". A client that sends `Expect: 100-continue`
(curl does for large bodies) gets the 413 before it sends the body at all.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jppint.serve.problems import too_large

_DRAIN_SECONDS = 10.0


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
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            # Reading would make the server send "100 Continue" to a client that waits for it.
            if headers.get("expect", "").lower() != "100-continue":
                await self._drain(receive)
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False
        body_ended = False

        async def counting_receive() -> Message:
            nonlocal received, body_ended
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_ended = not message.get("more_body", False)
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            if not body_ended:
                await self._drain(receive)
            await self._refuse(scope, receive, send)

    async def _drain(self, receive: Receive) -> None:
        """Read and drop what the client is still sending, within bounds."""
        drained = 0
        try:
            async with asyncio.timeout(_DRAIN_SECONDS):
                while drained <= self.limit:
                    message = await receive()
                    if message["type"] != "http.request":
                        return
                    drained += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        return
        except TimeoutError:
            return

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = too_large(self.limit)
        await JSONResponse(problem.body(), problem.status, {"Connection": "close"})(scope, receive, send)
