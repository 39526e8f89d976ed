"""`python -m jppint`: the same command line as the `jppint` script."""

from jppint.cli import main

raise SystemExit(main())
