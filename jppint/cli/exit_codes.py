"""The exit statuses of the command line and the one place that turns a batch into one."""

from __future__ import annotations

from typing import Any

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
SIGNAL_EXIT_BASE = 128


def exit_code(batch: Any) -> int:
    """The one place that turns a batch into an exit status (see `exit_status` in texts/help.toml)."""
    if batch.count("error"):
        return EXIT_ERROR
    if batch.count("invalid"):
        return EXIT_INVALID
    return EXIT_VALID
