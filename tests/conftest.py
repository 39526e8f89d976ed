"""Shared pytest wiring: the conformance tally printed at the end of a run."""

from __future__ import annotations

from collections import defaultdict

import pytest

# suite name -> spec -> [identical, total]
CONFORMANCE_TALLY: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))


def record_conformance(suite: str, spec: str, identical: bool) -> None:
    tally = CONFORMANCE_TALLY[suite][spec]
    tally[0] += int(identical)
    tally[1] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for suite, specs in CONFORMANCE_TALLY.items():
        for spec, (identical, total) in sorted(specs.items()):
            terminalreporter.write_line(f"conformance ({suite}) {spec}: {identical}/{total} identical")
        identical = sum(v[0] for v in specs.values())
        total = sum(v[1] for v in specs.values())
        terminalreporter.write_line(f"conformance ({suite}): {identical}/{total} identical")
