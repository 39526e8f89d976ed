"""The official JP PINT Schematron of every release, compiled by our compiler, must give the official verdicts."""

from __future__ import annotations

import pytest

import jppint
from jppint.specs import releases
from tests.conformance.corpus import (
    ABSENT_REASON,
    CORPUS_VERSION,
    Case,
    cases,
    difference,
    official_schematron,
    shared_available,
)
from tests.conftest import record_conformance

pytestmark = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)

CASES = [case for version in releases() for case in cases(version)]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_official_schematron_gives_the_official_verdict(case: Case) -> None:
    report = jppint.validate(case.path, schematron=official_schematron(case.spec, case.version))
    problem = difference(case, report)
    suite = "official .sch on our engine" + ("" if case.version == CORPUS_VERSION else f" {case.version}")
    record_conformance(suite, case.spec, problem is None)
    assert problem is None, problem
