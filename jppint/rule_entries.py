"""What the catalogue says of one rule id, whatever layer reports it.

Its own module so that every layer's catalogue (the rules', the schema's,
the advice's) can build entries without importing the module that joins
them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")


@dataclass(frozen=True)
class RuleEntry:
    rule_id: str
    flag: str
    business_terms: tuple[str, ...]
    specs: tuple[str, ...]
    messages: dict[str, str]
    layer: str = "rules"
    # The sentence that says what this document holds, filled with a finding's values (jppint.values).
    value_messages: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The entry as `jppint rules show --format json` and the service's `/rules` write it."""
        return {
            "id": self.rule_id,
            "layer": self.layer,
            "flag": self.flag,
            "specs": list(self.specs),
            "business_terms": list(self.business_terms),
            "messages": dict(self.messages),
        }
