"""Running the service: bind, serve with uvicorn, stop gracefully.

SIGTERM or Ctrl-C (SIGINT), and SIGHUP, stop the service as uvicorn does:
it stops accepting connections, answers every request in flight (each is
bounded by the time limit), then ends the worker processes; the command
then exits 0. The workers ignore Ctrl-C sent to the whole process group, so
requests in flight still get their answers.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from jppint.serve.app import create_app
from jppint.serve.config import ServiceConfig

EXIT_OK = 0
EXIT_ERROR = 2
_GRACE_SECONDS = 5

log = logging.getLogger("jppint.serve")


def serve(config: ServiceConfig) -> int:
    """Serve until told to stop; the exit code for the command line."""
    _configure_logging()
    try:
        listener = _listen(config.host, config.port)
    except OSError as error:
        log.error("cannot listen on %s:%d: %s", config.host, config.port, error.strerror or error)
        return EXIT_ERROR
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            log_config=None,
            access_log=False,  # the service logs each request itself, without the query string
            server_header=False,
            lifespan="on",
            # Requests in flight end within the time limit: wait for them, and not forever.
            timeout_graceful_shutdown=math.ceil(config.timeout) + _GRACE_SECONDS,
        )
    )
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    log.info(
        "listening on http://%s:%d with %d worker(s), queue %d, time limit %g s, max %d MB%s",
        shown,
        port,
        config.workers,
        config.queue,
        config.timeout,
        config.max_bytes // (1024 * 1024),
        ", bearer token required" if config.token else "",
    )
    if not _is_loopback(host) and config.token is None:
        log.warning("listening beyond this machine without --token-file: anyone who reaches the port may use it")
    try:
        with _stop_signals(server):
            server.run(sockets=[listener])
    except SystemExit as stop:  # uvicorn's way out when the application cannot start
        log.error("the service could not start (exit %s)", stop.code)
        return EXIT_ERROR
    finally:
        listener.close()
    log.info("stopped")
    return EXIT_OK


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say it (else Nagle adds 40 ms)
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)  # connections made before uvicorn starts accepting wait in the backlog
    except OSError:
        listener.close()
        raise
    return listener


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@contextmanager
def _stop_signals(server: uvicorn.Server) -> Iterator[None]:
    """While the server runs, uvicorn handles SIGINT and SIGTERM, and SIGHUP asks it to stop too.

    After a graceful stop uvicorn raises the signal it caught again, for the
    handler it found: that handler is a no-op here, so the command ends with
    its own exit code instead of dying by the signal it has already obeyed.
    """

    def stop(_: int, __: object) -> None:
        server.should_exit = True

    def already_obeyed(_: int, __: object) -> None:
        return None

    handlers = {signal.SIGINT: already_obeyed, signal.SIGTERM: already_obeyed}
    if hasattr(signal, "SIGHUP"):
        handlers[signal.SIGHUP] = stop
    previous = {number: signal.signal(number, handler) for number, handler in handlers.items()}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
