"""UBL 2.1 namespace URIs and the prefixes of canonical locations.

The prefixes are those the conformance corpus uses for canonical XPaths, so
our locations compare equal to the official ones.
"""

from __future__ import annotations

from typing import Literal

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"

# A root named Invoice or CreditNote in either document namespace is read: the
# official rules give such half-converted documents a verdict, and so must we.
UBL_ROOTS: dict[tuple[str | None, str], Literal["Invoice", "CreditNote"]] = {
    (namespace, local): local for namespace in (INVOICE, CREDIT_NOTE) for local in ("Invoice", "CreditNote")
}

LOCATION_PREFIXES: dict[str, str] = {
    INVOICE: "ubl",
    CREDIT_NOTE: "cn",
    CAC: "cac",
    CBC: "cbc",
    EXT: "ext",
}

# The other way round: the namespace of each prefix of canonical locations (and of rules/versions.toml).
URI_OF_PREFIX: dict[str, str] = {prefix: uri for uri, prefix in LOCATION_PREFIXES.items()}
