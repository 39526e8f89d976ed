"""The real-world JP PINT invoices in ../shared/realworld, with the official verdict of each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.conformance.corpus import SHARED, Item

REALWORLD = SHARED / "realworld"


@dataclass(frozen=True)
class RealInvoice:
    path: Path
    spec: str
    items: tuple[Item, ...]
    valid: bool

    @property
    def id(self) -> str:
        return self.path.name


def realworld_available() -> bool:
    return (REALWORLD / "expected.json").is_file()


def real_invoices() -> list[RealInvoice]:
    if not realworld_available():
        return []
    expected = json.loads((REALWORLD / "expected.json").read_text(encoding="utf-8"))
    return [
        RealInvoice(
            REALWORLD / "cases" / name,
            verdict["spec"],
            tuple((i["id"], i["flag"], i["location"], i["kind"], i["source"]) for i in verdict["items"]),
            verdict["valid"],
        )
        for name, verdict in sorted(expected.items())
    ]
