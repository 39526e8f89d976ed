"""The text of our assertions: the catalogue's English message, written into the .sch files.

    python -m tests.rules.assert_texts          # rewrite the texts that differ
    python -m tests.rules.assert_texts --check  # list them, exit 1 if any

Each message has one place: the rule catalogue (rules/jp-pint-<version>/
catalogue.toml), in English and Japanese, with its value sentence. jppint
describes every finding of our rule files from it, built in or given with
`--schematron`. The text inside an assertion is a copy of the English
message, for anyone who runs our .sch with another Schematron processor;
this tool writes it and tests/rules/test_assert_texts.py checks it, so the
two never drift apart. Files shared by several releases take the latest
release's catalogue; a release's own files take its own.
"""

from __future__ import annotations

import argparse
import re
from html import escape
from pathlib import Path

from jppint.catalogue import load_catalogue
from jppint.rulesets import rules_directory
from jppint.specs import latest_version, releases

# An assertion with an id and plain text (our assertions have no value-of: their values are properties).
# Attribute values may hold '>' (XPath comparisons), so the start tag is read attribute by attribute.
ASSERTION = re.compile(
    r'(?P<start><(?P<kind>assert|report)(?P<attributes>(?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*>)'
    r"(?P<text>[^<]*)(?P<end></(?P=kind)>)"
)
IDENTIFIER = re.compile(r'\sid\s*=\s*"([^"]*)"')


def rule_files() -> dict[Path, str]:
    """Each of our .sch files with assertions, and the release whose catalogue words them."""
    files: dict[Path, str] = {}
    for version in releases():
        for path in sorted((rules_directory() / f"jp-pint-{version}").rglob("*.sch")):
            files[path] = version
    shared = rules_directory() / f"jp-pint-{latest_version()}" / "shared"
    for path in shared.glob("*.sch"):
        files[path] = latest_version()
    return files


def _text_of(rule_id: str, version: str) -> str | None:
    entry = load_catalogue(version).get(rule_id)
    if entry is None:
        return None
    return escape(entry.messages["en"], quote=False)


def rewritten(path: Path, version: str) -> tuple[str, list[str]]:
    """The file with each assertion's text set to its catalogue message, and the ids that changed."""
    source = path.read_text(encoding="utf-8")
    changed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        found = IDENTIFIER.search(match.group("attributes"))
        if found is None:
            return match.group(0)
        text = _text_of(found.group(1), version)
        if text is None or " ".join(match.group("text").split()) == text:
            return match.group(0)
        changed.append(found.group(1))
        leading = match.group("text")[: len(match.group("text")) - len(match.group("text").lstrip())]
        return f"{match.group('start')}{leading}{text}{match.group('end')}"

    return ASSERTION.sub(replace, source), changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list the assertions whose text differs")
    options = parser.parse_args()
    differing = 0
    for path, version in rule_files().items():
        text, changed = rewritten(path, version)
        if changed:
            differing += len(changed)
            print(f"{path.relative_to(rules_directory())}: {', '.join(changed)}")
            if not options.check:
                path.write_text(text, encoding="utf-8")
    return 1 if options.check and differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
