"""The `jppint serve` subcommand: its options, and starting the service.

Only argparse is imported here, so the command line lists `serve` without
the `serve` extra; running it without the extra says how to install it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from jppint.cli.texts import Texts, text
from jppint.rule_entries import Language
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


def add_serve_parser(commands: Any, language: Language = "en") -> None:
    """Add `serve` to the command line's subcommands (`commands` is argparse's subparsers object).

    Its help texts are entries of jppint/cli/texts/help.toml, in `language`.
    """
    words = Texts(language)
    serve = commands.add_parser("serve", help=words("serve.help"), description=words("serve.description"))
    serve.add_argument("--host", default=DEFAULT_HOST, help=words("serve.host"))
    serve.add_argument("--port", type=_port(words), default=DEFAULT_PORT, help=words("serve.port"))
    serve.add_argument("--workers", type=_positive(words), default=1, metavar="N", help=words("serve.workers"))
    serve.add_argument("--token-file", metavar="FILE", help=words("serve.token_file"))
    serve.add_argument(
        "--timeout",
        type=_seconds(words),
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=words("serve.timeout"),
    )
    serve.add_argument(
        "--max-size",
        type=_positive(words),
        default=DEFAULT_MAX_MEGABYTES,
        metavar="MB",
        help=words("serve.max_size"),
    )
    serve.add_argument(
        "--queue",
        type=_not_negative(words),
        metavar="N",
        help=words("serve.queue", per_worker=QUEUE_PER_WORKER),
    )
    serve.add_argument(
        "--max-batch",
        type=_positive(words),
        default=DEFAULT_MAX_BATCH,
        metavar="N",
        help=words("serve.max_batch"),
    )
    serve.set_defaults(run=run_serve)


def run_serve(arguments: argparse.Namespace) -> int:
    language: Language = "ja" if getattr(arguments, "lang", "en") == "ja" else "en"
    try:
        from jppint.serve.server import serve
    except ImportError as error:
        print(f"jppint: {text(language, 'serve.needs_extra', module=error.name)}", file=sys.stderr)
        return EXIT_ERROR
    from jppint.cli.reasons import translate_reason
    from jppint.serve.config import ServiceConfig, TokenFileError, read_token

    try:
        token = read_token(arguments.token_file) if arguments.token_file else None
    except TokenFileError as error:
        print(f"jppint: {translate_reason(str(error), language)}", file=sys.stderr)
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


def _number(text: str, kind: type[int] | type[float], words: Texts) -> int | float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words("argument.not_a_number", value=text)) from None


def _positive(words: Texts) -> Callable[[str], int]:
    def positive(text: str) -> int:
        number = int(_number(text, int, words))
        if number < 1:
            raise argparse.ArgumentTypeError(words("argument.at_least_one"))
        return number

    return positive


def _not_negative(words: Texts) -> Callable[[str], int]:
    def not_negative(text: str) -> int:
        number = int(_number(text, int, words))
        if number < 0:
            raise argparse.ArgumentTypeError(words("argument.zero_or_more"))
        return number

    return not_negative


def _port(words: Texts) -> Callable[[str], int]:
    def port(text: str) -> int:
        number = int(_number(text, int, words))
        if not 0 <= number <= 65535:
            raise argparse.ArgumentTypeError(words("argument.port"))
        return number

    return port


def _seconds(words: Texts) -> Callable[[str], float]:
    def seconds(text: str) -> float:
        number = float(_number(text, float, words))
        if not 0 < number < float("inf"):
            raise argparse.ArgumentTypeError(words("argument.positive_seconds"))
        return number

    return seconds
