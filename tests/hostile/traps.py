"""Tripwires that notice a fetch or a file read even when it happens in native code.

libxml2 and Saxon run outside Python, so monkeypatching `socket` would not
see them. Instead: a real TCP listener on 127.0.0.1 that records every
connection, and a FIFO that records whether anyone opened it for reading.
A document that points at them and is handled safely leaves both untouched.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Traps:
    """`url` (http://127.0.0.1:PORT) and `file` (a FIFO path) to put in hostile documents."""

    directory: Path
    url: str = ""
    file: Path = field(default_factory=Path)
    connections: list[tuple[str, int]] = field(default_factory=list)
    file_opened: bool = False
    _server: socket.socket | None = None
    _closing: bool = False
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> Traps:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.file = self.directory / "secret-fifo"
        os.mkfifo(self.file)
        for target in (self._accept, self._watch_fifo):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _accept(self) -> None:
        assert self._server is not None
        while not self._closing:
            try:
                connection, address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(address)
            connection.close()

    def _watch_fifo(self) -> None:
        # Opening a FIFO for writing blocks until someone opens it for reading.
        descriptor = os.open(self.file, os.O_WRONLY)
        if not self._closing:
            self.file_opened = True
        os.close(descriptor)

    def stop(self) -> None:
        self._closing = True
        if self._server is not None:
            try:
                self._server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread at once
            except OSError:
                pass
        # Release the FIFO watcher with our own, expected, reader.
        reader = os.open(self.file, os.O_RDONLY | os.O_NONBLOCK)
        for thread in self._threads:
            thread.join(timeout=5)
        os.close(reader)
        if self._server is not None:
            self._server.close()

    @property
    def untouched(self) -> bool:
        return not self.connections and not self.file_opened
