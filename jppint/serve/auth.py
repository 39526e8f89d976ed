"""The optional bearer token: `Authorization: Bearer <token>` on every request but the health checks.

The token is compared in constant time (`hmac.compare_digest`), so the
answer's timing tells nothing about how much of a guess was right. Health
checks stay open for load balancers and process managers; they show no
data.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from jppint.serve.problems import Problem

OPEN_PATHS = frozenset({"/health", "/health/ready"})


class BearerToken:
    """ASGI middleware: 401 with a JSON error unless the request carries the token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = token.encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or self.carries_token(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        problem = Problem(
            401,
            "unauthorized",
            "this service needs a bearer token: send the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="jppint"'},
        )
        await JSONResponse(problem.body(), problem.status, problem.headers)(scope, receive, send)

    def carries_token(self, headers: Headers) -> bool:
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode("latin-1", errors="replace"), self.expected)
