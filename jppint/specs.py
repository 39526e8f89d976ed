"""The three JP PINT specifications and how a document says which it follows.

A document names its specification in `cbc:CustomizationID`; the prefixes
below are the identifiers the official rules of each specification accept
(they compare with starts-with, so longer identifiers match too).
"""

from __future__ import annotations

from dataclasses import dataclass

from jppint.errors import UnknownSpecError


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    version: str
    customization_ids: tuple[str, ...]


SPECS: dict[str, Spec] = {
    "jp": Spec(
        "jp",
        "JP PINT invoice (qualified invoice)",
        "1.1.3",
        ("urn:peppol:pint:billing-1@jp-1", "urn:fdc:peppol:jp:billing:3.0"),
    ),
    "jp-sb": Spec("jp-sb", "JP PINT self-billing invoice", "1.1.3", ("urn:peppol:pint:selfbilling-1@jp-1",)),
    "jp-ntr": Spec(
        "jp-ntr",
        "JP PINT invoice for non-tax-registered businesses",
        "1.1.3",
        ("urn:peppol:pint:nontaxinvoice-1@jp-1",),
    ),
}


def supported_identifiers() -> str:
    return ", ".join(f"{cid} ({spec.key})" for spec in SPECS.values() for cid in spec.customization_ids)


def spec_of_customization_id(customization_id: str | None) -> Spec | None:
    """The spec whose accepted identifiers start the given CustomizationID, if any."""
    if not customization_id:
        return None
    value = " ".join(customization_id.split())
    for spec in SPECS.values():
        if any(value.startswith(prefix) for prefix in spec.customization_ids):
            return spec
    return None


def spec_named(key: str) -> Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise UnknownSpecError(f"unknown specification '{key}': choose one of {', '.join(SPECS)}") from None
