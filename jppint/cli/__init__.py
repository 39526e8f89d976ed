"""The command line (`jppint`), kept apart from the library it drives.

The library never imports this package: options, the batch of worker
processes, input expansion, report files and the progress bar belong to the
command line only.
"""

from jppint.cli.main import main

__all__ = ["main"]
