"""Our own JP PINT rules of every release must give exactly the official verdict on every case."""

from __future__ import annotations

import pytest

import jppint
from jppint.specs import releases
from tests.conformance.corpus import ABSENT_REASON, CORPUS_VERSION, Case, cases, difference, shared_available
from tests.conftest import record_conformance

pytestmark = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)

CASES = [case for version in releases() for case in cases(version)]


def test_every_release_has_official_verdicts() -> None:
    missing = [version for version in releases() if not cases(version)]
    assert not missing, f"no expected verdicts in ../shared/conformance for releases {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_our_rules_give_the_official_verdict(case: Case) -> None:
    report = jppint.validate(case.path, spec=case.spec, rules_version=case.version)
    assert report.spec_version == case.version
    problem = difference(case, report, compare_source=False)
    suite = "our rules" + ("" if case.version == CORPUS_VERSION else f" {case.version}")
    record_conformance(suite, case.spec, problem is None)
    assert problem is None, problem
