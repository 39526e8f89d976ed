"""Debian's chromium, headless, for looking at the HTML report as a reader's browser does.

Every request the browser would send to the network goes to a proxy on the
loopback that only counts and refuses, so a test can prove a page loaded
nothing. Also a reader of the PNG screenshots (zlib and the filters of the
PNG format) so that the tests need no imaging library.
"""

from __future__ import annotations

import shutil
import socketserver
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)"
)
_TIMEOUT_SECONDS = 120


@dataclass
class RefusingProxy:
    """A proxy on the loopback that writes down each request line and answers 403."""

    port: int = 0
    requests: list[str] = field(default_factory=list)


@contextmanager
def refusing_proxy() -> Iterator[RefusingProxy]:
    proxy = RefusingProxy()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(5)
            line = self.rfile.readline(4096).decode("latin-1").strip()
            if line:
                proxy.requests.append(line)
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as server:
        server.daemon_threads = True
        proxy.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            yield proxy
        finally:
            server.shutdown()
            thread.join(timeout=10)


def chromium(page: Path, profile: Path, proxy: RefusingProxy, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    """Chromium headless on `page` with a fresh profile, its requests sent to the refusing proxy."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.port}",
        # loopback addresses go through the proxy too (Chromium bypasses them by default)
        "--proxy-bypass-list=<-loopback>",
        *arguments,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, timeout=_TIMEOUT_SECONDS, check=True)


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    pixels: bytes  # RGB, row after row

    def colours(self) -> set[tuple[int, int, int]]:
        data = self.pixels
        return {(data[index], data[index + 1], data[index + 2]) for index in range(0, len(data), 3)}


def read_png(data: bytes) -> Picture:
    """An 8-bit RGB or RGBA PNG (what Chromium writes) as RGB pixels."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    position = 8
    compressed = bytearray()
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in (2, 6), (depth, colour_type)
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            compressed += body
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for index in range(stride):
            left = line[index - channels] if index >= channels else 0
            up = previous[index]
            corner = previous[index - channels] if index >= channels else 0
            if kind == 1:
                line[index] = (line[index] + left) & 0xFF
            elif kind == 2:
                line[index] = (line[index] + up) & 0xFF
            elif kind == 3:
                line[index] = (line[index] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[index] = (line[index] + _paeth(left, up, corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = bytearray()
    for line in rows:
        for index in range(0, stride, channels):
            pixels += line[index : index + 3]
    return Picture(width, height, bytes(pixels))


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    if distances[0] <= distances[1] and distances[0] <= distances[2]:
        return left
    return up if distances[1] <= distances[2] else corner
