"""Where the built-in rule sets live, in a checkout and in an installed package.

In a checkout the rules are the top-level `rules/` folder; an installed
wheel carries the same folder as the package `jppint.rules` (see
pyproject.toml). Data stays data either way.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from jppint.errors import JppintError


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


def own_catalogue_section(name: str) -> dict[str, Any]:
    """One table of rules/jppint/catalogue.toml: the words jppint adds around the rules (`rules`, `values`, ...)."""
    section: dict[str, Any] = _own_catalogue().get(name, {})
    return section


@cache
def _own_catalogue() -> dict[str, Any]:
    """Read once per process: the findings, value words and unreadable-value sentences all live in this file."""
    path = rules_directory() / "jppint" / "catalogue.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise JppintError(f"{path}: cannot read jppint's own catalogue: {error}") from None
