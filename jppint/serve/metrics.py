"""What `/metrics` shows (Prometheus text format), and one log line per request.

Counted per request: route, method and status, and the time to answer; per
document validated: its verdict (valid, invalid, or error when it could not
be validated) and the time it took, waiting for a worker included. The
queue, the busy workers and readiness are read at each scrape. Log lines
name the route, status, size and verdict, never the document's contents or
names.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Verdict = Literal["valid", "invalid", "error"]
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

log = logging.getLogger("jppint.serve.access")


class Metrics:
    """The service's own registry (not the process-wide default), so each app counts for itself."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "jppint_http_requests", "HTTP requests answered", ("route", "method", "status"), registry=self.registry
        )
        self.request_seconds = Histogram(
            "jppint_http_request_duration_seconds",
            "Time from a request's arrival to its answer",
            ("route",),
            buckets=_SECONDS,
            registry=self.registry,
        )
        self.validations = Counter(
            "jppint_validations",
            "Documents by verdict (error: could not be validated)",
            ("verdict",),
            registry=self.registry,
        )
        self.validation_seconds = Histogram(
            "jppint_validation_duration_seconds",
            "Time to validate one document, waiting for a worker included",
            buckets=_SECONDS,
            registry=self.registry,
        )
        for verdict in ("valid", "invalid", "error"):
            self.validations.labels(verdict)  # each verdict shown from the start, at 0

    def watch(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        """A gauge read at each scrape."""
        Gauge(name, documentation, registry=self.registry).set_function(read)

    def count_document(self, verdict: Verdict, seconds: float) -> None:
        self.validations.labels(verdict).inc()
        self.validation_seconds.observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestRecorder:
    """ASGI middleware: counts and times every HTTP request, and logs it on one line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before answering

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "other"
            self.metrics.requests.labels(template, scope["method"], str(status)).inc()
            self.metrics.request_seconds.labels(template).observe(elapsed)
            state = scope.get("state") or {}
            client = scope.get("client")
            log.info(
                "%s %s %s %d %.1f ms%s",
                client[0] if client else "-",
                scope["method"],
                template,
                status,
                elapsed * 1000,
                state.get("log_detail", ""),
            )
