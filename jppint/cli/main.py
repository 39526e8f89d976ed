"""The command line: parse options, run the command, one exit-code path.

    jppint validate [OPTIONS] INPUT...
    jppint rules list [--spec SPEC]
    jppint rules show RULE_ID
    jppint serve [OPTIONS]
    jppint --version

`main(argv)` returns the exit code instead of exiting, so tests drive the
real command line in-process. No input, however broken, produces a
traceback: what cannot be validated is reported on one line of stderr and
counted, and the exit code says so. Diagnostics go to standard error only;
with standard error closed they are dropped, never written into the report
on standard output.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from jppint.cli.configuration import ConfigurationError, configuration_of, defaults_from
from jppint.cli.exit_codes import EXIT_ERROR, EXIT_INTERRUPTED, SIGNAL_EXIT_BASE
from jppint.cli.parser import build_parser
from jppint.cli.reasons import translate_reason
from jppint.cli.signals import Stopped
from jppint.cli.streams import error, fill_closed_standard_descriptors, silence_standard_output
from jppint.cli.texts import language_of, text


def _configured(
    parser: argparse.ArgumentParser, arguments: argparse.Namespace, argv: Sequence[str] | None
) -> argparse.Namespace:
    """The options again, with the configuration file's values as defaults: the command line still wins.

    Parsed twice because argparse has no other way to tell an option given
    on the command line from its default.
    """
    command_parser = getattr(arguments, "command_parser", None)
    if command_parser is None:
        return arguments
    configuration = configuration_of(arguments)
    if configuration is None:
        return arguments
    command_parser.set_defaults(**defaults_from(configuration, command_parser))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    fill_closed_standard_descriptors()
    language = language_of(sys.argv[1:] if argv is None else argv)
    parser = build_parser(language)
    try:
        arguments = parser.parse_args(argv)
        arguments = _configured(parser, arguments, argv)
    except SystemExit as stop:  # argparse exits on --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    except ConfigurationError as problem:
        error(translate_reason(str(problem), language))
        return EXIT_ERROR
    try:
        code: int = arguments.run(arguments)
        return code
    except KeyboardInterrupt:
        error(text(language, "interrupted"))
        return EXIT_INTERRUPTED
    except Stopped as stop:
        error(text(language, "stopped", signal=signal.Signals(stop.signal_number).name))
        return SIGNAL_EXIT_BASE + stop.signal_number
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without Python's own complaint at exit.
        silence_standard_output()
        return EXIT_ERROR
