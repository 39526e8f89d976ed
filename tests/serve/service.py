"""The real service in a subprocess on a loopback port, and a plain HTTP client for it.

`jppint serve --port 0` picks a free port and logs it; `Service` reads that
line, waits for readiness (rules compiled in every worker), and stops the
process with SIGTERM at the end. The client is http.client, so the tests
see exactly the bytes a Java or .NET client would.
"""

from __future__ import annotations

import copy
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*/*/*.xml"))
SAMPLE = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"
INVALID = ROOT / "samples" / "invalid" / "jp" / "totals-do-not-add-up.xml"
WITHOUT_TIMES = {"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}
_LISTENING = re.compile(r"listening on http://([^ ]+):(\d+) ")
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = self.json()["error"]
        return error


class Service:
    """`jppint serve ARGUMENTS` until `stop()`; its log lines collected in `log`."""

    def __init__(self, *arguments: str, wait_ready: bool = True) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jppint", "serve", "--port", "0", *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.lines: list[str] = []
        self._port_known = threading.Event()
        self.host = "127.0.0.1"
        self.port = 0
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        if not self._port_known.wait(60):
            self.stop()
            raise RuntimeError("the service did not start:\n" + self.log)
        if wait_ready:
            self.wait_ready()

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            found = _LISTENING.search(line)
            if found and not self._port_known.is_set():
                self.host, self.port = found.group(1), int(found.group(2))
                self._port_known.set()
        self._port_known.set()

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.get("/health/ready").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the service did not get ready:\n" + self.log)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def validate(self, data: bytes, query: str = "", headers: dict[str, str] | None = None) -> Answer:
        return self.request("POST", "/validate" + query, data, {"Content-Type": "application/xml", **(headers or {})})

    def batch(self, parts: list[tuple[str, str | None, bytes]], query: str = "") -> Answer:
        body, content_type = multipart(parts)
        return self.request("POST", "/validate/batch" + query, body, {"Content-Type": content_type})

    def metrics(self) -> dict[str, float]:
        """Every sample of /metrics by its name and labels, as written."""
        samples: dict[str, float] = {}
        for line in self.get("/metrics").body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(5)
        return code

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of (field, filename or None, content) parts, as curl -F writes it."""
    boundary = uuid.uuid4().hex
    chunks: list[bytes] = []
    for field, filename, content in parts:
        disposition = f'form-data; name="{field}"' + (f'; filename="{filename}"' if filename else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if filename:
            chunks.append(b"Content-Type: application/xml\r\n")
        chunks.append(b"\r\n" + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def long_invoice(lines: int) -> bytes:
    """The sample invoice with `lines` more invoice lines: validation time grows with them (about 0.1 ms each)."""
    root = etree.parse(str(SAMPLE)).getroot()
    last = root.findall(f"{{{_CAC}}}InvoiceLine")[-1]
    for _ in range(lines):
        last.addnext(copy.deepcopy(last))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def without_times(report: dict[str, Any]) -> dict[str, Any]:
    """A report's JSON without its timings, which differ from run to run."""
    copied = dict(report)
    copied.pop("elapsed_ms", None)
    copied["layers"] = [{k: v for k, v in layer.items() if k != "elapsed_ms"} for layer in report["layers"]]
    return copied
