"""Our rules give the official verdict on real invoices written by other people's generators."""

from __future__ import annotations

from collections import Counter

import pytest

import jppint
from tests.conformance.corpus import items_of, rules_valid
from tests.conformance.realworld import REALWORLD, RealInvoice, real_invoices, realworld_available
from tests.conftest import record_conformance
from tests.verdicts import verdict_difference

pytestmark = pytest.mark.skipif(
    not realworld_available(), reason=f"{REALWORLD} is absent: real invoices live outside the repository"
)


@pytest.mark.parametrize("invoice", real_invoices(), ids=lambda invoice: invoice.id)
def test_our_rules_give_the_official_verdict_on_real_invoices(invoice: RealInvoice) -> None:
    report = jppint.validate(invoice.path, spec=invoice.spec)
    problem = verdict_difference(
        invoice.id,
        Counter((*item[:4], "") for item in invoice.items),
        Counter((*item[:4], "") for item in items_of(report)),
        invoice.valid,
        rules_valid(report),
    )
    record_conformance("our rules, real invoices", invoice.spec, problem is None)
    assert problem is None, problem
