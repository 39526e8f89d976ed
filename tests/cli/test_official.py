"""The official JP PINT rules through the command line: examples pass, corpus cases fail as expected."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import SHARED, needs_shared, official_examples, official_schematron

pytestmark = needs_shared
SPECS = ("jp", "jp-sb", "jp-ntr")


def _schematron_options(spec: str) -> list[str]:
    options: list[str] = []
    for path in official_schematron(spec):
        options += ["--schematron", str(path)]
    return options


@pytest.mark.parametrize("spec", SPECS)
def test_official_examples_are_valid_with_the_official_rules(cli, spec: str) -> None:
    examples = official_examples(spec)
    run = cli("validate", "--quiet", "--jobs", "1", *_schematron_options(spec), *examples)
    assert run.code == 0, run.out + run.err
    assert run.out.startswith(f"files: {len(examples)}, valid: {len(examples)}, invalid: 0, errors: 0")


@pytest.mark.parametrize("spec", SPECS)
def test_corpus_cases_report_the_official_items(cli, spec: str) -> None:
    folder = SHARED / "conformance" / spec
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    names = sorted(name for name, verdict in expected.items() if not verdict["valid"])[:5]
    run = cli("validate", "--format", "json", *_schematron_options(spec), *(folder / "cases" / name for name in names))
    assert run.code == 1
    for name, entry in zip(names, json.loads(run.out)["files"], strict=True):
        found = sorted((f["rule_id"], f["location"]) for f in entry["report"]["findings"] if f["layer"] == "rules")
        assert found == sorted((item["id"], item["location"]) for item in expected[name]["items"]), name
        assert all(f["line"] for f in entry["report"]["findings"]), "every finding should carry a line"
