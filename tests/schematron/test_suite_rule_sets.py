"""Real-world rule sets compiled by our compiler give the official verdict on every document.

44 rule sets (EN 16931 UBL and CII, Peppol BIS Billing 3 and post-award,
XRechnung, every PINT jurisdiction, eLife JATS), 2,330 documents, 17,937
(document, rule set) pairs. Where the official XSLT stopped with a dynamic
error there is no verdict to match: the report must then hold an error
finding, and no exception may escape.
"""

from __future__ import annotations

import pytest

from jppint import Validator
from jppint.errors import JppintError
from tests.conftest import record_conformance
from tests.schematron.suite import (
    ABSENT_REASON,
    SUITE,
    RuleSetCase,
    official_verdict,
    our_verdict,
    rule_set_cases,
    suite_available,
)
from tests.verdicts import verdict_difference

pytestmark = pytest.mark.skipif(not suite_available(), reason=ABSENT_REASON)

_SHOWN_DIFFERENCES = 5


@pytest.mark.parametrize("case", rule_set_cases(), ids=lambda case: case.id)
def test_rule_set_gives_the_official_verdict_on_every_document(case: RuleSetCase) -> None:
    # Only the rules layer is compared: the schema and advice layers are not part of the verdicts.
    validator = Validator(schematron=(case.schematron,), schema=False, advice=False)
    problems = []
    for document, official in case.documents.items():
        try:
            report = validator.validate(SUITE / document)
        except JppintError as error:
            problem: str | None = f"{document}: {type(error).__name__}: {error}"
        else:
            if isinstance(official, dict):
                stopped = any(f.kind == "error" and f.layer == "rules" for f in report.findings)
                problem = None if stopped else f"{document}: the official XSLT stopped, our report has no error"
            else:
                expected = official_verdict(official, case.prefixes)
                problem = verdict_difference(
                    document, expected, our_verdict(report), not expected, not our_verdict(report)
                )
        record_conformance("Schematron suite", case.name, problem is None)
        if problem is not None:
            problems.append(problem)
    assert not problems, f"{len(problems)} of {len(case.documents)} differ:\n" + "\n".join(
        problems[:_SHOWN_DIFFERENCES]
    )
