"""python -m jppint.porting: what a new official JP PINT release changes for our rules.

A maintainer's tool, kept out of the `jppint` command: it needs the
official OpenPeppol files, which jppint does not ship, and it is run once
per release, not per invoice. Exit status: 0 nothing to port, 1 differences
listed, 2 could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from jppint.porting.compare import compare_release
from jppint.porting.provenance import record_provenance
from jppint.specs import latest_version, release_named, releases


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jppint.porting",
        description="Compare a new official JP PINT release with the release our rules were written from.",
        epilog="Exit status: 0 nothing to port, 1 differences listed, 2 could not run. See docs/porting.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "compare",
        help="list the official assertions and code lists that changed against our recorded provenance",
        description="OFFICIAL is a folder of the official layout: <spec>/schematron/*.sch for jp, jp-sb and jp-ntr.",
    )
    compare.add_argument("official", type=Path, metavar="OFFICIAL", help="folder of the new official release")
    compare.add_argument(
        "--from",
        dest="release",
        choices=tuple(releases()),
        default=latest_version(),
        help="our release to compare with (default: %(default)s)",
    )
    compare.add_argument("--format", choices=("text", "json"), default="text")
    record = commands.add_parser(
        "record",
        help="write the provenance file of one of our releases from the official files it implements",
    )
    record.add_argument("release", choices=tuple(releases()), help="our release")
    record.add_argument("official", type=Path, metavar="OFFICIAL", help="folder of that official release")
    record.add_argument("--output", type=Path, help="where to write (default: the file rules/versions.toml names)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        if arguments.command == "record":
            text = record_provenance(arguments.release, arguments.official)
            output = arguments.output or release_named(arguments.release).provenance
            output.write_text(text, encoding="utf-8")
            print(f"wrote {output}")
            return 0
        comparison = compare_release(arguments.official, arguments.release)
    except (OSError, ValueError, etree.LxmlError) as error:
        print(f"python -m jppint.porting: {error}", file=sys.stderr)
        return 2
    if arguments.format == "json":
        print(json.dumps(comparison.to_json(), indent=1, ensure_ascii=False))
    else:
        sys.stdout.write(comparison.to_text())
    return 0 if comparison.empty else 1


if __name__ == "__main__":
    sys.exit(main())
