"""`python -m tests.cli.fault_driver ARGS`: the real command line, with workers that misbehave on cue.

A document whose name says so makes the worker validating it misbehave
the way the outside world makes workers misbehave:

- `*sleep*`: writes the worker's process id to the file `$JPPINT_TEST_MARK`
  names, then sleeps (for the test to signal the worker or the command line);
- `*stop*`: stops itself with SIGSTOP, as a debugger or `kill -STOP` does;
- `*die*`: kills itself with SIGKILL, as the kernel's OOM killer does.

Workers are forked from this process, so they inherit the patch.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import jppint.cli.batch
from jppint.cli import main

_validate_one = jppint.cli.batch.validate_one


def misbehaving_validate_one(source: str | bytes, label: str, *args: object, **kwargs: object) -> object:
    name = Path(label).name
    if "sleep" in name:
        mark = Path(os.environ["JPPINT_TEST_MARK"])
        mark.with_suffix(".tmp").write_text(str(os.getpid()))
        mark.with_suffix(".tmp").rename(mark)
        time.sleep(60)
    elif "stop" in name:
        os.kill(os.getpid(), signal.SIGSTOP)
    elif "die" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    return _validate_one(source, label, *args, **kwargs)  # type: ignore[arg-type]


if __name__ == "__main__":
    jppint.cli.batch.validate_one = misbehaving_validate_one  # type: ignore[assignment]
    sys.exit(main(sys.argv[1:]))
