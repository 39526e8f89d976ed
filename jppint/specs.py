"""The JP PINT releases and specifications, and how a document says which it follows.

Everything here comes from `rules/versions.toml`, the one place that names
a version: each release lists its specifications, the CustomizationIDs they
accept (prefixes: the official rules compare with starts-with, so longer
identifiers match too), its rule files and its catalogue. A new release is
a new entry there and a new folder of rules, not a change of code.
"""

from __future__ import annotations

import datetime
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jppint.errors import JppintError, UnknownSpecError
from jppint.namespaces import URI_OF_PREFIX
from jppint.rulesets import rules_directory

VERSIONS_FILE = "versions.toml"


@dataclass(frozen=True)
class Spec:
    """One specification as one release defines it."""

    key: str
    title: str
    version: str
    customization_ids: tuple[str, ...]
    rules: Path


@dataclass(frozen=True)
class Release:
    """One JP PINT release: its date, specifications, catalogue files and provenance file."""

    version: str
    released: datetime.date
    specs: dict[str, Spec]
    catalogues: tuple[Path, ...]
    provenance: Path
    # Clark names of the elements whose text none of the release's rules reads.
    text_not_read: tuple[str, ...] = ()


@cache
def releases() -> dict[str, Release]:
    """Every release of rules/versions.toml, oldest first (by release date)."""
    path = rules_directory() / VERSIONS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        titles = {key: str(entry["title"]) for key, entry in data["specs"].items()}
        found = [_release(version, entry, titles, path.parent) for version, entry in data["releases"].items()]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise JppintError(f"{path}: cannot read the list of releases: {error!r}") from None
    if not found:
        raise JppintError(f"{path}: lists no release")
    return {release.version: release for release in sorted(found, key=lambda release: release.released)}


def _release(version: str, entry: dict[str, object], titles: dict[str, str], folder: Path) -> Release:
    released = entry["released"]
    if not isinstance(released, datetime.date):
        raise ValueError(f"release {version}: released must be a date, not {released!r}")
    specs_table = entry["specs"]
    catalogues = entry["catalogue"]
    not_read = entry.get("text-not-read", [])
    if not isinstance(specs_table, dict) or not isinstance(catalogues, list) or not isinstance(not_read, list):
        raise ValueError(f"release {version}: specs must be a table, catalogue and text-not-read lists")
    specs = {
        key: Spec(
            key=key,
            title=titles[key],
            version=version,
            customization_ids=tuple(str(identifier) for identifier in spec["customization-ids"]),
            rules=folder / str(spec["rules"]),
        )
        for key, spec in specs_table.items()
    }
    return Release(
        version=version,
        released=released,
        specs=specs,
        catalogues=tuple(folder / str(catalogue) for catalogue in catalogues),
        provenance=folder / str(entry["provenance"]),
        text_not_read=tuple(_clark_name(str(name)) for name in not_read),
    )


def _clark_name(prefixed: str) -> str:
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{URI_OF_PREFIX[prefix]}}}{local}"


def latest_version() -> str:
    """The default release: the latest by date."""
    return next(reversed(releases()))


def release_named(version: str | None = None) -> Release:
    """A release by version (the latest when None); ValueError names the known ones."""
    known = releases()
    chosen = latest_version() if version is None else version
    try:
        return known[chosen]
    except (KeyError, TypeError):
        raise ValueError(f"unknown rules version {version!r}: choose one of {', '.join(known)}") from None


def specs_of(version: str | None = None) -> dict[str, Spec]:
    """The specifications of a release (the latest when None), by key."""
    return release_named(version).specs


SPECS: dict[str, Spec] = specs_of()


def supported_identifiers(version: str | None = None) -> str:
    return ", ".join(f"{cid} ({spec.key})" for spec in specs_of(version).values() for cid in spec.customization_ids)


def spec_of_customization_id(customization_id: str | None, version: str | None = None) -> Spec | None:
    """The spec whose accepted identifiers start the given CustomizationID, if any."""
    if not customization_id:
        return None
    value = " ".join(customization_id.split())
    for spec in specs_of(version).values():
        if any(value.startswith(prefix) for prefix in spec.customization_ids):
            return spec
    return None


def spec_named(key: str, version: str | None = None) -> Spec:
    specs = specs_of(version)
    try:
        return specs[key]
    except KeyError:
        raise UnknownSpecError(f"unknown specification '{key}': choose one of {', '.join(specs)}") from None


def release_of_rule_file(path: str | os.PathLike[str]) -> str | None:
    """The release whose top-level rule file `path` is, wherever it was named from; None for any other file.

    Our rule files given as a user's Schematron (`--schematron
    rules/jp-pint-<version>/jp.sch`) are still described by their catalogue,
    the one place of their messages (the assertions hold an English copy).
    """
    wanted = os.path.realpath(path)
    for release in releases().values():
        if any(os.path.realpath(spec.rules) == wanted for spec in release.specs.values()):
            return release.version
    return None
