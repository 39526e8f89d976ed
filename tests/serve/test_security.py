"""Bearer token, the loopback default, logs without contents, and no traceback ever."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from jppint.serve.problems import InternalErrorsAsJSON
from jppint.serve.server import _listen
from tests.serve.service import ROOT, SAMPLE, Service

TOKEN = "s3cret-Token_with.punctuation~1"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Service:
    token_file = tmp_path_factory.mktemp("token") / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with Service("--token-file", str(token_file)) as service:
        yield service


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN],
)
def test_a_request_without_the_token_is_401(guarded: Service, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for answer in (guarded.validate(SAMPLE.read_bytes(), headers=headers), guarded.get("/metrics", headers)):
        assert answer.status == 401
        assert answer.error["type"] == "unauthorized"
        assert answer.headers["www-authenticate"] == 'Bearer realm="jppint"'


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
def test_the_token_opens_every_endpoint(guarded: Service, scheme: str) -> None:
    headers = {"Authorization": f"{scheme} {TOKEN}"}
    assert guarded.validate(SAMPLE.read_bytes(), headers=headers).json()["valid"] is True
    for path in ("/rules", "/rules/ibr-co-13", "/metrics", "/openapi.json"):
        assert guarded.get(path, headers).status == 200, path
    document = guarded.get("/openapi.json", headers).json()
    assert document["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}


def test_health_checks_need_no_token(guarded: Service) -> None:
    assert guarded.get("/health").status == 200
    assert guarded.get("/health/ready").status == 200


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("two words", "one token without spaces"), ("a\nb", "one token without spaces")],
)
def test_a_token_file_that_cannot_be_used_stops_the_command(tmp_path: Path, content: str, message: str) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(content, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "jppint", "serve", "--port", "0", "--token-file", str(token_file)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert completed.returncode == 2
    assert message in completed.stderr


def test_the_service_listens_on_loopback_by_default(service: Service) -> None:
    assert service.host == "127.0.0.1"
    assert "beyond this machine" not in service.log


def test_the_listening_socket_says_tcp_so_that_answers_are_not_held_back_by_nagle() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose protocol is IPPROTO_TCP; without it each answer waited 40 ms."""
    listener = _listen("127.0.0.1", 0)
    try:
        assert listener.proto == socket.IPPROTO_TCP
    finally:
        listener.close()


def test_the_log_names_no_document_content_nor_name(service: Service) -> None:
    marker = "MARKER-7f3a9c"
    data = SAMPLE.read_bytes().replace(b"WF-2026-0415-017", marker.encode())
    assert service.validate(data, f"?source_name={marker}-name.xml").status == 200
    assert service.validate(b"<Invoice><" + marker.encode()).status == 400
    assert service.batch([("d", f"{marker}.xml", data)]).status == 200
    assert service.get("/health").status == 200  # the access log line of the batch is written by now
    assert "POST /validate 200" in service.log and "POST /validate/batch 200" in service.log
    assert marker not in service.log


def test_an_unexpected_exception_is_a_json_500_without_its_message(caplog: pytest.LogCaptureFixture) -> None:
    document_text = "secret invoice text"

    async def failing(scope: object, receive: object, send: object) -> None:
        raise RuntimeError(document_text)

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "POST", "path": "/validate", "headers": []}
    asyncio.run(InternalErrorsAsJSON(failing)(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 500
    body = b"".join(message.get("body", b"") for message in sent)  # type: ignore[misc]
    reason = "internal error: the service logged it; please report it"
    assert json.loads(body) == {"error": {"type": "internal-error", "reason": reason, "line": None, "column": None}}
    assert "RuntimeError" in caplog.text and document_text not in caplog.text
