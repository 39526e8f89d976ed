"""The `jppint serve` subcommand: its options, and starting the service.

Only argparse is imported here, so the command line lists `serve` without
the `serve` extra; running it without the extra says how to install it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jppint.serve.config import (
    DEFAULT_HOST,
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_MEGABYTES,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT_SECONDS,
    QUEUE_PER_WORKER,
)

EXIT_OK = 0
EXIT_ERROR = 2


def add_serve_parser(commands: Any) -> None:
    """Add `serve` to the command line's subcommands (`commands` is argparse's subparsers object)."""
    serve = commands.add_parser(
        "serve",
        help="validate over HTTP (needs the serve extra: pip install 'jppint[serve]')",
        description=(
            "Run the validation service: POST /validate, POST /validate/batch, GET /rules, /health, /metrics, "
            "/openapi.json. Stops gracefully on SIGTERM or Ctrl-C: requests in flight are answered first."
        ),
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s, this machine)")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default: %(default)s; 0: any free one)")
    serve.add_argument(
        "--workers", type=_positive, default=1, metavar="N", help="validation worker processes (default: 1)"
    )
    serve.add_argument(
        "--token-file",
        metavar="FILE",
        help="require 'Authorization: Bearer <token>' with the token in FILE (health checks stay open)",
    )
    serve.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="answer 504 when a request has no answer after SECONDS, waiting included (default: %(default)g)",
    )
    serve.add_argument(
        "--max-size",
        type=_positive,
        default=DEFAULT_MAX_MEGABYTES,
        metavar="MB",
        help="refuse request bodies larger than MB megabytes with 413 (default: %(default)s)",
    )
    serve.add_argument(
        "--queue",
        type=_not_negative,
        metavar="N",
        help=f"validations that may wait for a worker before 503 (default: {QUEUE_PER_WORKER} per worker)",
    )
    serve.add_argument(
        "--max-batch",
        type=_positive,
        default=DEFAULT_MAX_BATCH,
        metavar="N",
        help="documents in one POST /validate/batch (default: %(default)s)",
    )
    serve.set_defaults(run=run_serve)


def run_serve(arguments: argparse.Namespace) -> int:
    try:
        from jppint.serve.server import serve
    except ImportError as error:
        print(
            f"jppint: serve needs the serve extra ({error.name} is missing): pip install 'jppint[serve]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    from jppint.serve.config import ServiceConfig, TokenFileError, read_token

    try:
        token = read_token(arguments.token_file) if arguments.token_file else None
    except TokenFileError as error:
        print(f"jppint: {error}", file=sys.stderr)
        return EXIT_ERROR
    config = ServiceConfig(
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        timeout=arguments.timeout,
        max_bytes=arguments.max_size * 1024 * 1024,
        queue=QUEUE_PER_WORKER * arguments.workers if arguments.queue is None else arguments.queue,
        max_batch=arguments.max_batch,
        token=token,
    )
    return serve(config)


def _number(text: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _positive(text: str) -> int:
    number = int(_number(text, int))
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _not_negative(text: str) -> int:
    number = int(_number(text, int))
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _port(text: str) -> int:
    number = int(_number(text, int))
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return number


def _seconds(text: str) -> float:
    number = float(_number(text, float))
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return number
