"""What a running service was told: one frozen object built from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_MEGABYTES = 50
DEFAULT_MAX_BATCH = 100
# Requests allowed to wait for a worker per worker: a queue that drains within a few validations.
QUEUE_PER_WORKER = 16


@dataclass(frozen=True)
class ServiceConfig:
    """`timeout` bounds a request from its arrival (waiting for a worker included);
    `max_bytes` bounds a request's body; `queue` is how many validations may wait
    for a worker before new ones are refused with 503; `token`, when set, is the
    bearer token every request but the health checks must carry."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    max_bytes: int = DEFAULT_MAX_MEGABYTES * 1024 * 1024
    queue: int = QUEUE_PER_WORKER
    max_batch: int = DEFAULT_MAX_BATCH
    token: str | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        if not self.timeout > 0:
            raise ValueError(f"timeout must be positive, not {self.timeout}")
        if self.max_bytes < 1 or self.queue < 0 or self.max_batch < 1:
            raise ValueError("max_bytes and max_batch must be positive, queue not negative")
        if self.token is not None and not self.token:
            raise ValueError("the token is empty")


class TokenFileError(ValueError):
    """The token file cannot be used: missing, unreadable, empty or more than one line."""


def read_token(path: str | Path) -> str:
    """The bearer token written in `path`: one line, surrounding white space ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise TokenFileError(f"cannot read the token file {path}: {reason}") from None
    token = text.strip()
    if not token:
        raise TokenFileError(f"the token file {path} is empty")
    if any(character.isspace() for character in token):
        raise TokenFileError(f"the token file {path} must hold one token without spaces or line breaks")
    if not token.isascii() or not token.isprintable():
        raise TokenFileError(f"the token in {path} must be printable ASCII, as HTTP headers carry it")
    return token
