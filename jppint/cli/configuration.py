"""`jppint validate`'s options from a configuration file: `jppint.toml`, or `[tool.jppint]` in `pyproject.toml`.

Found as ruff finds its own: from the working directory upward, the first
directory holding a `jppint.toml`, or a `pyproject.toml` with a
`[tool.jppint]` table (a `pyproject.toml` without one is passed over); in
one directory `jppint.toml` wins. `--config FILE` names the file instead,
`--isolated` reads none.

Every option of `validate` is a key, named after the long option without
its dashes (`fail-on`, `max-size`, `select`); a `--no-X` option is the
boolean key `X` (`schema = false`). Repeatable options are arrays, and
`per-file-ignores` is a table of glob to rule ids. What the command line
says wins over the file; for repeatable options the command line's values
replace the file's. Not keys: `--config`, `--isolated` and
`--write-baseline` (an action, not a setting: a configuration that wrote
the baseline would accept every new finding on every run).

The keys are read from the parser itself, so an option added to
`validate` is a key at once, and checked the way the option is: an
unknown key or a value of the wrong type is a usage error (exit 2) naming
the file and the key. Relative paths (`baseline`, `schematron`,
`output`, `ubl-schemas`) and path globs (`exclude`, `per-file-ignores`)
are relative to the file's directory.
"""

from __future__ import annotations

import argparse
import difflib
import os
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jppint.cli.globs import escape

OWN_FILE = "jppint.toml"
PYPROJECT = "pyproject.toml"
# Options about the configuration itself, or actions rather than settings.
NOT_KEYS = frozenset({"help", "config", "isolated", "write_baseline"})
_PATH_METAVARS = frozenset({"FILE", "DIR"})
_MAX_BYTES = 1024 * 1024


class ConfigurationError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Configuration:
    """The file a configuration came from, its table, and how messages name it."""

    path: Path
    table: Mapping[str, Any]

    @property
    def name(self) -> str:
        shown = os.path.relpath(self.path) if not self.path.is_absolute() or _below_cwd(self.path) else str(self.path)
        return f"{shown} [tool.jppint]" if self.path.name == PYPROJECT else shown


def _below_cwd(path: Path) -> bool:
    try:
        path.relative_to(Path.cwd())
    except ValueError:
        return False
    return True


def find_configuration(start: Path) -> Configuration | None:
    """The configuration that applies in `start`: the nearest, going up (see the module's docstring)."""
    for directory in (start, *start.parents):
        own = directory / OWN_FILE
        if own.is_file():
            return Configuration(own, _load(own))
        pyproject = directory / PYPROJECT
        if pyproject.is_file():
            table = _tool_table(pyproject, _load(pyproject))
            if table is not None:
                return Configuration(pyproject, table)
    return None


def read_configuration(path: Path) -> Configuration:
    """The configuration in the file `--config` names."""
    data = _load(path, named="--config ")
    if path.name == PYPROJECT:
        table = _tool_table(path, data)
        if table is None:
            raise ConfigurationError(f"{path}: no [tool.jppint] table")
        return Configuration(path, table)
    return Configuration(path, data)


def _load(path: Path, named: str = "") -> dict[str, Any]:
    """The file's TOML; read like an input, so a FIFO or device never blocks, and bounded in size."""
    from jppint.cli.inputs import UnreadableError, read_file  # not at import: it brings lxml, --version needs none

    try:
        return tomllib.loads(read_file(str(path), _MAX_BYTES).decode("utf-8"))
    except UnreadableError as error:
        raise ConfigurationError(f"{named}{path}: {error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from None


def _tool_table(path: Path, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = data.get("tool", {})
    table = tool.get("jppint") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigurationError(f"{path}: tool.jppint must be a table")
    return table


def configuration_of(arguments: argparse.Namespace) -> Configuration | None:
    """The configuration this command line asks for: `--config`, none with `--isolated`, else the nearest."""
    if getattr(arguments, "isolated", False):
        return None
    if getattr(arguments, "config", None):
        return read_configuration(Path(arguments.config))
    try:
        here = Path.cwd()
    except OSError as error:  # the working directory was removed
        raise ConfigurationError(f"cannot read the working directory: {error.strerror or error}") from None
    return find_configuration(here)


@dataclass(frozen=True)
class _Key:
    """One option as a configuration key: how its TOML value is checked and turned into the option's value."""

    name: str
    action: argparse.Action

    @property
    def is_flag(self) -> bool:
        return self.action.nargs == 0 and isinstance(self.action.const, bool)

    @property
    def is_list(self) -> bool:
        return isinstance(self.action.default, list)


def keys_of(parser: argparse.ArgumentParser) -> dict[str, _Key]:
    """Every option of `parser` that a configuration may set, by key name."""
    keys: dict[str, _Key] = {}
    for action in parser._actions:  # argparse has no public list of a parser's options
        long_options = [option for option in action.option_strings if option.startswith("--")]
        if not long_options or action.dest in NOT_KEYS or action.default is argparse.SUPPRESS:
            continue
        name = long_options[0].removeprefix("--")
        if action.nargs == 0 and action.const is False and name.startswith("no-"):
            name = name.removeprefix("no-")
        keys[name] = _Key(name, action)
    return keys


def defaults_from(configuration: Configuration, parser: argparse.ArgumentParser) -> dict[str, Any]:
    """The option values (by argparse destination) the configuration sets; ConfigurationError when one is wrong."""
    keys = keys_of(parser)
    values: dict[str, Any] = {}
    for name, value in configuration.table.items():
        key = keys.get(name)
        if key is None:
            close = difflib.get_close_matches(name.replace("_", "-"), list(keys), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (keys: {', '.join(sorted(keys))})"
            raise ConfigurationError(f"{configuration.name}: unknown key {name!r}{hint}")
        try:
            values[key.action.dest] = _value(key, value, configuration.path.parent)
        except (ValueError, TypeError, argparse.ArgumentTypeError) as problem:
            raise ConfigurationError(f"{configuration.name}: {name}: {problem}") from None
    return values


def _value(key: _Key, value: object, directory: Path) -> Any:
    if key.is_flag:
        if not isinstance(value, bool):
            raise TypeError(f"expected true or false, found {_kind(value)}")
        return value
    if key.is_list:
        if key.name == "per-file-ignores":
            return _per_file_ignores(key, value, directory)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise TypeError(f"expected an array of strings, found {_kind(value)}")
        converted: list[Any] = []
        for item in value:
            if not isinstance(item, str):
                raise TypeError(f"expected an array of strings, found {_kind(item)} in it")
            result = _converted(key, _anchored(key, item, directory))
            converted.extend(result if isinstance(result, list) else [result])
        return converted
    expected = _expected_type(key.action)
    if expected is int and not (isinstance(value, int) and not isinstance(value, bool)):
        raise TypeError(f"expected a whole number, found {_kind(value)}")
    if expected is float and not (isinstance(value, int | float) and not isinstance(value, bool)):
        raise TypeError(f"expected a number, found {_kind(value)}")
    if expected is str and not isinstance(value, str):
        raise TypeError(f"expected a string, found {_kind(value)}")
    return _converted(key, _anchored(key, str(value), directory) if isinstance(value, str) else str(value))


def _per_file_ignores(key: _Key, value: object, directory: Path) -> list[Any]:
    if not isinstance(value, dict):
        raise TypeError(f'expected a table of glob = ["rule-id", ...], found {_kind(value)}')
    entries: list[Any] = []
    for glob, ids in value.items():
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or not all(isinstance(rule_id, str) for rule_id in ids) or not ids:
            raise TypeError(f"{glob}: expected an array of rule ids, found {_kind(ids)}")
        entries.append(_converted(key, f"{_anchored_glob(glob, directory)}:{','.join(ids)}"))
    return entries


def _converted(key: _Key, text: str) -> Any:
    """The value as the option itself would read it: its type and its choices."""
    convert: Callable[[str], Any] | None = key.action.type  # type: ignore[assignment]
    value = convert(text) if convert is not None else text
    choices = key.action.choices
    if choices is not None and value not in choices:
        raise ValueError(f"{value!r} is not one of {', '.join(map(str, choices))}")
    return value


def _anchored(key: _Key, text: str, directory: Path) -> str:
    """A relative path or path glob of the file, made to mean the same from the working directory."""
    metavar = key.action.metavar if isinstance(key.action.metavar, str) else ""
    if metavar in _PATH_METAVARS and text != "-" and not Path(text).is_absolute():  # "-": standard output
        return os.path.relpath(directory / text)
    if metavar.startswith("GLOB"):
        return _anchored_glob(text, directory)
    return text


def _anchored_glob(glob: str, directory: Path) -> str:
    """A glob with a `/` is anchored at the file's directory; a bare name matches anywhere, as it is."""
    if "/" not in glob.rstrip("/") or glob.startswith("/"):
        return glob
    return escape(os.path.abspath(directory).replace(os.sep, "/")) + "/" + glob.removeprefix("./")


def _expected_type(action: argparse.Action) -> type:
    """What TOML type the option takes: the return type its converter declares, or str."""
    if action.type is None:
        return str
    try:
        returned = typing.get_type_hints(action.type).get("return", str)
    except Exception:  # a converter without usable annotations takes its text
        return str
    return returned if returned in (int, float) else str


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a whole number", float: "a number", str: "a string", list: "an array"}
    kind = names.get(type(value), "a table" if isinstance(value, dict) else type(value).__name__)
    return f"{kind} ({value!r})" if isinstance(value, str | int | float) else kind


class ListOption(argparse.Action):
    """A repeatable option (`--select a --select b,c`) whose command-line values replace the configuration's.

    argparse's `append` would add them to the default, which is where the
    configuration's values are; the first use on the command line starts
    the list afresh instead. A value that is itself a list (`a,b`) is
    spread out.
    """

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("default", [])
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | typing.Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        marker = f"_{self.dest}_from_command_line"
        items = list(getattr(namespace, self.dest) or []) if getattr(namespace, marker, False) else []
        items.extend(values if isinstance(values, list) else [values])
        setattr(namespace, self.dest, items)
        setattr(namespace, marker, True)
