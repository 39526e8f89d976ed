"""Comparing a report with an expected verdict, shared by the corpus and sample suites."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable


def verdict_difference(
    label: str,
    expected: Counter[Hashable],
    actual: Counter[Hashable],
    expected_valid: bool,
    actual_valid: bool,
) -> str | None:
    """A readable account of what is missing and what is extra, or None when both agree."""
    if expected == actual and expected_valid == actual_valid:
        return None
    lines = [f"{label}: valid expected {expected_valid}, got {actual_valid}"]
    lines += [f"  missing {item} x{count}" for item, count in (expected - actual).items()]
    lines += [f"  extra   {item} x{count}" for item, count in (actual - expected).items()]
    return "\n".join(lines)
