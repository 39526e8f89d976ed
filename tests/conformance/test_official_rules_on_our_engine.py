"""The official JP PINT Schematron, compiled by our compiler, must give the official verdicts."""

from __future__ import annotations

import pytest

import jppint
from tests.conformance.corpus import (
    ABSENT_REASON,
    Case,
    cases,
    difference,
    official_schematron,
    shared_available,
)
from tests.conftest import record_conformance

pytestmark = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
def test_official_schematron_gives_the_official_verdict(case: Case) -> None:
    report = jppint.validate(case.path, schematron=official_schematron(case.spec))
    problem = difference(case, report)
    record_conformance("official .sch on our engine", case.spec, problem is None)
    assert problem is None, problem
