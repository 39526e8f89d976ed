"""A run of the command line compiles each rule set once: its up-front check and the validation share it."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint.engine
from jppint.engine import RuleSet

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("extra", [(), ("--select", "ibr-")], ids=["plain", "with-a-selector"])
def test_the_built_in_rules_are_compiled_once_per_run(cli, monkeypatch: pytest.MonkeyPatch, extra) -> None:
    compiled: list[tuple[str, str]] = []
    real_init = RuleSet.__init__

    def counting_init(self: RuleSet, path: Path, phase: str) -> None:
        compiled.append((path.name, phase))
        real_init(self, path, phase)

    monkeypatch.setattr(RuleSet, "__init__", counting_init)
    monkeypatch.setattr(jppint.engine, "_cache", type(jppint.engine._cache)())
    monkeypatch.setattr("jppint.cli.batch._checked_rules", set())
    sample = ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"
    run = cli("validate", "--timeout", "0", "--quiet", *extra, sample)
    assert run.code == 0, run.err
    assert len(compiled) == 1, compiled
