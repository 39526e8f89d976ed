"""The exit statuses of the command line and the one place that turns a batch into one."""

from __future__ import annotations

from typing import Any

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
SIGNAL_EXIT_BASE = 128

EXIT_CODES_HELP = """\
exit status:
  0  every input was validated and none fails (no finding at or above --fail-on;
     advice never fails a document unless --fail-on-advice)
  1  at least one document fails: a fatal finding (or, with --fail-on warning,
     a warning; with --fail-on-advice, an advice warning)
  2  usage error, broken --schematron rules, a report that cannot be written,
     or at least one input could not be validated (missing or unreadable file,
     not a regular file, not well-formed XML, not a UBL Invoice or CreditNote,
     unknown specification, longer than --timeout, its worker process died);
     every other input is still validated and reported, and each input error
     gets one line on stderr
  128+N  stopped by signal N: 130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP;
     the workers are stopped and no report is written
"""


def exit_code(batch: Any) -> int:
    """The one place that turns a batch into an exit status (see EXIT_CODES_HELP)."""
    if batch.count("error"):
        return EXIT_ERROR
    if batch.count("invalid"):
        return EXIT_INVALID
    return EXIT_VALID
