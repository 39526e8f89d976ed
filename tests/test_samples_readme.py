"""samples/README.md shows messages before and after; its `now` lines are what the validator says today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import jppint

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "samples" / "README.md"
EXAMPLE = re.compile(r"<!-- message (?P<options>.*?) -->\n```text\n(?P<lines>.*?)\n```", re.DOTALL)
KINDS = {"ibr-co-13", "ibr-cl-23", "ibr-co-16", "ubl-schema-datatype", "advice-registration-number-check-digit"}


def _examples() -> list[tuple[dict[str, str], dict[str, str]]]:
    found = []
    for match in EXAMPLE.finditer(README.read_text(encoding="utf-8")):
        options = dict(item.split("=", 1) for item in shlex.split(match.group("options")))
        now = {}
        for line in match.group("lines").splitlines():
            label, _, message = line.partition(": ")
            if label.startswith("now "):
                now[label.removeprefix("now ")] = message
        found.append((options, now))
    return found


EXAMPLES = _examples()


def test_one_example_per_kind_of_message() -> None:
    assert {options["rule"] for options, _ in EXAMPLES} == KINDS


@pytest.mark.parametrize(("options", "now"), EXAMPLES, ids=[options["rule"] for options, _ in EXAMPLES])
def test_the_now_messages_are_what_the_validator_says(options: dict[str, str], now: dict[str, str]) -> None:
    data = (ROOT / options["sample"]).read_bytes()
    if "replace" in options:
        old, new = options["replace"].encode(), options["with"].encode()
        assert data.count(old) == 1
        data = data.replace(old, new)
    finding = next(f for f in jppint.validate(data).findings if f.rule_id == options["rule"])
    assert set(now) == {"en", "ja"}
    assert now == {language: finding.messages[language] for language in now}
