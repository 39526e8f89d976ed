"""`python -m jppint`: the same command line as the `jppint` script."""

import sys

try:
    from jppint.cli import main
except KeyboardInterrupt:  # Ctrl-C while the engine is still being imported
    sys.exit(130)

sys.exit(main())
