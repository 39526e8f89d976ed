"""The service under load: size limit (413), full queue (503), time limit (504), graceful shutdown."""

from __future__ import annotations

import http.client
import signal
import socket
import threading
import time
from collections.abc import Callable

import pytest

from tests.serve.service import INVALID, SAMPLE, Answer, Service, long_invoice


def in_background(call: Callable[[], Answer]) -> tuple[threading.Thread, list[Answer]]:
    answers: list[Answer] = []
    thread = threading.Thread(target=lambda: answers.append(call()))
    thread.start()
    return thread, answers


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_a_body_over_the_limit_is_413_and_the_client_gets_the_answer() -> None:
    with Service("--max-size", "1") as small:
        too_big = b"<" + b"x" * (1024 * 1024)
        declared = small.validate(too_big)
        assert declared.status == 413 and declared.error["type"] == "too-large"
        assert "larger than the limit of 1048576 bytes (--max-size)" in declared.error["reason"]
        # Sent in chunks, without Content-Length: counted as it arrives.
        connection = http.client.HTTPConnection(small.host, small.port, timeout=30)
        chunks = [too_big[start : start + 65536] for start in range(0, len(too_big), 65536)]
        connection.request(
            "POST", "/validate", body=iter(chunks), headers={"Content-Type": "application/xml"}, encode_chunked=True
        )
        response = connection.getresponse()
        assert response.status == 413 and b'"too-large"' in response.read()
        connection.close()
        assert small.batch([("d", "a.xml", too_big)]).status == 413
        assert small.validate(INVALID.read_bytes()).status == 200  # and the service goes on


def test_a_client_that_expects_100_continue_gets_413_before_sending_the_body() -> None:
    with Service("--max-size", "1") as small, socket.create_connection((small.host, small.port), timeout=30) as raw:
        raw.sendall(
            b"POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\n"
            b"Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"
        )
        answer = b""
        while chunk := raw.recv(65536):  # the service closes the connection after its answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert b'"too-large"' in answer


def test_a_full_queue_is_503_with_retry_after() -> None:
    slow = long_invoice(8000)
    with Service("--workers", "1", "--queue", "1") as service:
        running, first = in_background(lambda: service.validate(slow))
        wait_until(lambda: service.get("/health").json()["busy"] == 1)
        waiting, second = in_background(lambda: service.validate(SAMPLE.read_bytes()))
        wait_until(lambda: service.get("/health").json()["waiting"] == 1)
        refused = service.validate(SAMPLE.read_bytes())
        assert refused.status == 503, refused.body
        assert refused.error["type"] == "busy" and refused.headers["retry-after"] == "1"
        running.join()
        waiting.join()
        assert first[0].status == 200 and second[0].status == 200 and second[0].json()["valid"]
        metrics = service.metrics()
    assert metrics['jppint_http_requests_total{method="POST",route="/validate",status="503"}'] == 1


def test_a_request_past_the_time_limit_is_504_and_the_next_one_is_answered() -> None:
    with Service("--workers", "1", "--timeout", "1") as service:
        started = time.monotonic()
        answer = service.validate(long_invoice(25000))
        assert time.monotonic() - started < 5
        assert answer.status == 504, answer.body
        assert answer.json() == {
            "error": {
                "type": "timeout",
                "reason": "no answer within the time limit of 1 s (--timeout): validation stopped",
                "line": None,
                "column": None,
            }
        }
        assert service.get("/health").json()["ready"] is True
        time.sleep(2)  # the stopped worker's successor starts and compiles the rules before its first call
        after = service.validate(INVALID.read_bytes())
        assert after.status == 200 and after.json()["valid"] is False
        metrics = service.metrics()
    assert metrics['jppint_validations_total{verdict="error"}'] == 1


def test_sigterm_lets_the_requests_in_flight_finish_then_exits_0() -> None:
    slow = long_invoice(2500)
    service = Service("--workers", "1")
    try:
        threads = [in_background(lambda: service.validate(slow)) for _ in range(3)]
        wait_until(lambda: service.get("/health").json()["waiting"] == 2)
        service.process.send_signal(signal.SIGTERM)
        for thread, _ in threads:
            thread.join(60)
        answers = [answers[0] for _, answers in threads]
        assert [answer.status for answer in answers] == [200, 200, 200]
        assert all(answer.json()["document_id"] == "WF-2026-0415-017" for answer in answers)
        assert service.process.wait(30) == 0
        with pytest.raises(OSError):
            service.get("/health")
    finally:
        service.stop()
    assert "Shutting down" in service.log and "stopped" in service.log
    assert "Traceback" not in service.log
