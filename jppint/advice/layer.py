"""The advice layer: jppint's own checks, run after the rules, that never decide `valid`.

Each check is Python over the lxml tree (`Document.tree`) and finds what the
official rules accept but a reader would want to fix; its words and the facts
it reads are in rules/advice/catalogue.toml. Advice runs after the rules
because it does not repeat what they said (see `jpy_tax_amounts`).

When the rules were skipped (`stop_on_schema_error` after schema findings),
advice is skipped too, with the same reason: the user asked for the root
cause only, and a document the schema rejects may hold its elements where no
check looks for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from jppint.advice import jpy_tax_amounts, registration_numbers
from jppint.advice.catalogue import advice_rules
from jppint.catalogue import Language, in_language
from jppint.document import Document
from jppint.locations import Locator
from jppint.results import Finding, LayerResult

Check = Callable[[Document, Locator, Sequence[Finding]], Iterator[Finding]]

# In the order they run; each has its entry (and severity) in the catalogue under its RULE_ID.
CHECKS: dict[str, Check] = {
    registration_numbers.RULE_ID: registration_numbers.check,
    jpy_tax_amounts.RULE_ID: jpy_tax_amounts.check,
}
TOO_MANY_ID = "advice-too-many-findings"


def advice_layer(
    document: Document, findings: Sequence[Finding], rules_layer: LayerResult, *, lang: Language, limit: int
) -> tuple[list[Finding], LayerResult]:
    """The advice on `document`, whose schema and rules `findings` are given, and the layer's result.

    At most `limit` findings are listed; one more counts the rest.
    """
    if rules_layer.status == "skipped":
        return [], LayerResult.skipped(
            "advice", rules_layer.reason or "the rules were skipped", artefacts=tuple(CHECKS)
        )
    started = time.perf_counter()
    locator = Locator(document.root)
    listed: list[Finding] = []
    omitted = 0
    for check in CHECKS.values():
        for finding in check(document, locator, findings):
            if len(listed) < limit:
                listed.append(in_language(finding, lang))
            else:
                omitted += 1
    if omitted:
        listed.append(in_language(_more(omitted, locator), lang))
    elapsed = (time.perf_counter() - started) * 1000
    return listed, LayerResult.of("advice", listed, artefacts=tuple(CHECKS), elapsed_ms=elapsed)


def _more(count: int, locator: Locator) -> Finding:
    text = f"{count:,}"
    return advice_rules()[TOO_MANY_ID].finding(None, locator, "finding", {"count": {"en": text, "ja": text}})
