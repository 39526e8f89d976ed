"""Where the built-in rule sets live, in a checkout and in an installed package.

In a checkout the rules are the top-level `rules/` folder; an installed
wheel carries the same folder as the package `jppint.rules` (see
pyproject.toml). Data stays data either way.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def rules_directory() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if (checkout / "codelists").is_dir():
        return checkout
    return Path(__file__).resolve().parent / "rules"


def built_in_name(path: str | os.PathLike[str]) -> str:
    """A built-in rule file's place under the rules folder (`jp-pint-<version>/jp.sch`).

    Reports name built-in rules this way, so that they read the same from
    any checkout or installation and do not show where it lies on a machine.
    """
    return Path(path).relative_to(rules_directory()).as_posix()
