"""Our own JP PINT rules must give exactly the official verdict on every case."""

from __future__ import annotations

import pytest

import jppint
from tests.conformance.corpus import ABSENT_REASON, Case, cases, difference, shared_available
from tests.conftest import record_conformance

pytestmark = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
def test_our_rules_give_the_official_verdict(case: Case) -> None:
    report = jppint.validate(case.path, spec=case.spec)
    problem = difference(case, report, compare_source=False)
    record_conformance("our rules", case.spec, problem is None)
    assert problem is None, problem
