"""The schema layer rejects exactly the documents the OASIS UBL 2.1 XSD rejects, and changes no rules verdict.

Measured when the layer was built, with the unmodified OASIS schemas: 207 of the 1,214 corpus cases fail
the XSD (15 of them officially valid: the official validation runs only the Schematron), 17 of the 51
real-world invoices, none of the official examples.
"""

from __future__ import annotations

import pytest
from lxml import etree

from jppint.document import read_document
from jppint.xsd import check_schema, schema_for
from tests.conformance.corpus import ABSENT_REASON, cases, shared_available
from tests.conformance.realworld import real_invoices

pytestmark = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)


def _rejected_by_the_xsd(path: object) -> bool:
    """The reference: lxml's XMLSchema on the file as written, nothing of ours in between."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    kind = etree.QName(tree.getroot()).localname
    compiled = schema_for("CreditNote" if kind == "CreditNote" and "CreditNote-2" in tree.getroot().tag else "Invoice")
    with compiled.lock:
        return not compiled.schema.validate(tree)


def test_schema_findings_appear_exactly_where_the_oasis_xsd_rejects(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = [case for case in cases() if case.path.parent.name == "cases"]
    examples = [case for case in cases() if case.path.parent.name == "example"]
    disagreeing: list[str] = []
    counts = {"corpus": 0, "corpus, officially valid": 0, "real-world": 0, "official examples": 0}
    for label, paths in (
        ("corpus", [(case.path, case.valid) for case in corpus]),
        ("real-world", [(invoice.path, invoice.valid) for invoice in real_invoices()]),
        ("official examples", [(case.path, True) for case in examples]),
    ):
        for path, officially_valid in paths:
            found = bool(check_schema(read_document(path)).findings)
            if found != _rejected_by_the_xsd(path):
                disagreeing.append(str(path))
            counts[label] += found
            if label == "corpus" and found and officially_valid:
                counts["corpus, officially valid"] += 1
    with capsys.disabled():
        print(
            f"\nschema layer: {counts['corpus']} of {len(corpus)} corpus cases rejected "
            f"({counts['corpus, officially valid']} officially valid), {counts['real-world']} of "
            f"{len(real_invoices())} real-world invoices, "
            f"{counts['official examples']} of {len(examples)} official examples"
        )
    assert disagreeing == []
    assert counts == {"corpus": 207, "corpus, officially valid": 15, "real-world": 17, "official examples": 0}
