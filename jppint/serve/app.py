"""The HTTP application: XML in, the API's JSON report out.

`POST /validate` answers 200 with `ValidationReport.model_dump(mode="json")`
whether the invoice is valid or not (read `valid`); anything that keeps a
document from being validated is a JSON error (see `problems`). The body is
only ever handed to the validator as bytes: no endpoint reads a file of the
server or fetches a URL, whatever the request says.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import time
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jppint import __version__
from jppint.catalogue import all_rules
from jppint.errors import JppintError, UnknownSpecError
from jppint.reporters.batch_result import BatchResult, InputProblem, Outcome
from jppint.reporters.common import ReportOptions
from jppint.reporters.json import render as render_json
from jppint.results import ValidationReport
from jppint.serve.auth import BearerToken
from jppint.serve.config import ServiceConfig
from jppint.serve.dispatch import Dispatcher
from jppint.serve.limits import BodyLimit
from jppint.serve.metrics import CONTENT_TYPE, Metrics, RequestRecorder, Verdict
from jppint.serve.openapi import openapi_document
from jppint.serve.parameters import Options, read_options
from jppint.serve.problems import InternalErrorsAsJSON, Problem, problem_of
from jppint.specs import releases, spec_named

_XML_TYPES = frozenset({"application/xml", "text/xml"})
_NAME_LIMIT = 255


class Service:
    """The handlers and what they share: configuration, the dispatcher, the metrics."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.dispatcher = Dispatcher(workers=config.workers, timeout=config.timeout, queue=config.queue)
        self.metrics = Metrics()
        self.metrics.watch("jppint_queue_waiting", "Validations waiting for a worker", lambda: self.dispatcher.waiting)
        self.metrics.watch("jppint_workers_busy", "Workers validating now", lambda: self.dispatcher.busy)
        self.metrics.watch("jppint_workers", "Worker processes", lambda: self.config.workers)
        self.metrics.watch("jppint_ready", "1 once the rules are compiled in every worker", self._ready)
        self._warming: asyncio.Task[None] | None = None

    def _ready(self) -> float:
        return 1.0 if self.dispatcher.ready else 0.0

    @contextlib.asynccontextmanager
    async def lifespan(self, _: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(self.dispatcher.start)
        self._warming = asyncio.create_task(self.dispatcher.warm())
        try:
            yield
        finally:
            if not self._warming.done():
                self._warming.cancel()
            await asyncio.to_thread(self.dispatcher.close)

    async def validate(self, request: Request) -> Response:
        arrived = time.monotonic()
        _require_xml(request.headers.get("content-type"))
        options = self._options(request)
        self.dispatcher.admit()
        data = await request.body()
        try:
            report = await self._validate(data, options, arrived)
        except JppintError as error:
            problem = problem_of(error, timeout=self.config.timeout)
            request.state.log_detail = f" {len(data)} bytes: {problem.type}"
            raise problem from None
        request.state.log_detail = f" {len(data)} bytes: {_verdict(report)}, spec {report.spec}, {_counts(report)}"
        return Response(report.model_dump_json(), media_type="application/json")

    async def validate_batch(self, request: Request) -> Response:
        arrived = time.monotonic()
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "multipart/form-data":
            raise Problem(
                415,
                "unsupported-media-type",
                f"a batch is multipart/form-data with one file part per document, not {media or 'no content type'}",
            )
        options = self._options(request, batch=True)
        self.dispatcher.admit()
        limit = self.config.max_batch
        async with request.form(max_files=limit, max_fields=limit, max_part_size=self.config.max_bytes) as form:
            parts = form.multi_items()
            if not parts:
                raise Problem(422, "empty-batch", "no documents: send each as a file part (curl -F 'doc=@a.xml')")
            documents: list[tuple[str, bytes | None]] = []
            for number, (field, value) in enumerate(parts, 1):
                label = _part_name(value.filename if isinstance(value, UploadFile) else None, field, number)
                documents.append((label, await value.read() if isinstance(value, UploadFile) else None))
        turns = asyncio.Semaphore(self.config.workers)  # a batch takes at most every worker, never the queue

        async def one(label: str, data: bytes | None) -> Outcome:
            if data is None:
                reason = "not a file part: send each document as a file (Content-Disposition with a filename)"
                return Outcome(None, label, problem=InputProblem(label, reason))
            async with turns:
                try:
                    named = Options(options.validator, label, options.lang)
                    return Outcome(None, label, report=await self._validate(data, named, time.monotonic()))
                except JppintError as error:
                    problem = problem_of(error, timeout=self.config.timeout)
                    found = InputProblem(label, problem.reason, problem.line, problem.column)
                    return Outcome(None, label, problem=found)

        outcomes = await asyncio.gather(*(one(label, data) for label, data in documents))
        batch = BatchResult(tuple(outcomes), "fatal", time.monotonic() - arrived)
        request.state.log_detail = (
            f" {len(outcomes)} documents: {batch.count('valid')} valid, {batch.count('invalid')} invalid, "
            f"{batch.count('error')} errors"
        )
        return Response(render_json(batch, ReportOptions(lang=options.lang)), media_type="application/json")

    def _options(self, request: Request, *, batch: bool = False) -> Options:
        options = read_options(request.query_params.multi_items(), request.headers, max_bytes=self.config.max_bytes)
        if batch and options.source_name is not None:
            raise Problem(422, "bad-parameter", "source_name names one document: a batch's parts are named by filename")
        return options

    async def _validate(self, data: bytes, options: Options, arrived: float) -> ValidationReport:
        """One document in a worker, counted in the metrics whatever the outcome."""
        try:
            report = await self.dispatcher.validate(
                data, options.validator, source_name=options.source_name, arrived=arrived
            )
        except JppintError:
            self.metrics.count_document("error", time.monotonic() - arrived)
            raise
        self.metrics.count_document(_verdict(report), time.monotonic() - arrived)
        return report

    async def rules(self, request: Request) -> Response:
        spec = request.query_params.get("spec")
        unknown = set(request.query_params) - {"spec"}
        if unknown:
            raise Problem(422, "bad-parameter", f"unknown parameter {sorted(unknown)[0]!r}: /rules takes spec")
        if spec is not None:
            try:
                spec_named(spec)
            except UnknownSpecError as error:
                raise Problem(422, "unknown-spec", str(error)) from None
        entries = [entry.to_json() for entry in all_rules().values() if spec is None or spec in entry.specs]
        return JSONResponse(entries)

    async def rule(self, request: Request) -> Response:
        rule_id: str = request.path_params["rule_id"]
        catalogue = all_rules()
        entry = catalogue.get(rule_id) or catalogue.get(rule_id.lower())
        if entry is None:
            close = difflib.get_close_matches(rule_id.lower(), list(catalogue), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see GET /rules"
            raise Problem(404, "unknown-rule", f"unknown rule id {rule_id[:100]!r}{hint}")
        return JSONResponse(entry.to_json())

    async def health(self, _: Request) -> Response:
        return JSONResponse(self._health())

    async def ready(self, _: Request) -> Response:
        return JSONResponse(self._health(), 200 if self.dispatcher.ready else 503)

    def _health(self) -> dict[str, object]:
        dispatcher = self.dispatcher
        status = {
            "status": "ok",
            "ready": dispatcher.ready,
            "version": __version__,
            "rules_versions": list(releases()),
            "workers": self.config.workers,
            "busy": dispatcher.busy,
            "waiting": dispatcher.waiting,
        }
        if dispatcher.warm_up_problem:
            status["problem"] = dispatcher.warm_up_problem
        return status

    async def metrics_text(self, _: Request) -> Response:
        return Response(self.metrics.exposition(), media_type=CONTENT_TYPE)

    async def openapi(self, _: Request) -> Response:
        return JSONResponse(openapi_document(version=__version__, bearer=self.config.token is not None))


def create_app(config: ServiceConfig) -> Starlette:
    """The service as an ASGI application; its workers start with the application's lifespan."""
    service = Service(config)
    middleware = [Middleware(InternalErrorsAsJSON), Middleware(RequestRecorder, metrics=service.metrics)]
    if config.token is not None:
        middleware.append(Middleware(BearerToken, token=config.token))
    middleware.append(Middleware(BodyLimit, limit=config.max_bytes))
    app = Starlette(
        routes=[
            Route("/validate", service.validate, methods=["POST"]),
            Route("/validate/batch", service.validate_batch, methods=["POST"]),
            Route("/rules", service.rules, methods=["GET"]),
            Route("/rules/{rule_id}", service.rule, methods=["GET"]),
            Route("/health", service.health, methods=["GET"]),
            Route("/health/ready", service.ready, methods=["GET"]),
            Route("/metrics", service.metrics_text, methods=["GET"]),
            Route("/openapi.json", service.openapi, methods=["GET"]),
        ],
        middleware=middleware,
        exception_handlers={
            Problem: _problem_response,
            HTTPException: _http_error,
        },
        lifespan=service.lifespan,
    )
    app.state.service = service
    return app


def _problem_response(_: Request, error: Exception) -> Response:
    assert isinstance(error, Problem)
    return JSONResponse(error.body(), error.status, error.headers or None)


def _http_error(_: Request, error: Exception) -> Response:
    """Starlette's own refusals (no such route, wrong method, a broken multipart body) in our shape."""
    assert isinstance(error, HTTPException)
    kinds = {404: "not-found", 405: "method-not-allowed"}
    problem = Problem(error.status_code, kinds.get(error.status_code, "bad-request"), str(error.detail))
    return JSONResponse(problem.body(), problem.status, dict(error.headers or {}))


def _require_xml(content_type: str | None) -> None:
    """A body without a content type is taken as XML; one that names another type is refused (415)."""
    if content_type is None:
        return
    media = content_type.split(";")[0].strip().lower()
    if media in _XML_TYPES or (media.startswith("application/") and media.endswith("+xml")):
        return
    hint = " (curl -d sends form data: use --data-binary @invoice.xml -H 'Content-Type: application/xml')"
    if media == "multipart/form-data":
        hint = " (several documents as multipart go to /validate/batch)"
    raise Problem(415, "unsupported-media-type", f"the body must be XML (application/xml), not {media}{hint}")


def _part_name(filename: str | None, field: str, number: int) -> str:
    for name in (filename, field):
        if name and len(name) <= _NAME_LIMIT and name.isprintable():
            return name
    return f"<part {number}>"


def _verdict(report: ValidationReport) -> Verdict:
    return "valid" if report.valid else "invalid"


def _counts(report: ValidationReport) -> str:
    return ", ".join(f"{number} {severity}" for severity, number in report.counts.items())
