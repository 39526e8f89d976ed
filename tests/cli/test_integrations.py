"""The pre-commit hook and the documentation stay in step with the command line."""

from __future__ import annotations

import re
import tomllib

from jppint.cli.parser import FORMATS, build_parser
from tests.cli.conftest import ROOT


def _validate_options() -> list[str]:
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    validate = commands.choices["validate"]  # type: ignore[attr-defined]
    return [
        option
        for action in validate._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def test_pre_commit_hook_runs_the_installed_console_script_on_xml_files() -> None:
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert re.search(r"^- id: jppint$", hook, re.MULTILINE)
    entry = re.search(r"^  entry: (\S+) validate\b", hook, re.MULTILINE)
    assert entry and entry.group(1) in scripts
    assert re.search(r"^  language: python$", hook, re.MULTILINE)
    assert re.search(r"^  types: \[xml\]$", hook, re.MULTILINE)


def test_the_command_line_section_documents_every_option_format_and_exit_code() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for option in _validate_options():
        assert f"`{option}" in text, option
    for name in FORMATS:
        assert f"| `{name}` |" in text, name
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text
    assert "upload-sarif" in text and "reports:\n      junit:" in text
