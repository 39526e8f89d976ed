"""Values written for people: jppint.values fills the catalogue's value sentences."""

from __future__ import annotations

import pytest

from jppint.values import values_sentence, with_values


@pytest.mark.parametrize(
    ("template", "values", "language", "expected"),
    [
        ("{found:amount}", {"found": "228400", "currency": "JPY"}, "en", "JPY 228,400"),
        ("{found:amount}", {"found": "228400", "currency": "JPY"}, "ja", "228,400円"),
        ("{found:amount}", {"found": "1234.50", "currency": "USD"}, "en", "USD 1,234.50"),
        ("{found:amount}", {"found": "1234.50", "currency": "USD"}, "ja", "USD 1,234.50"),
        ("{found:amount}", {"found": "-3000", "currency": "JPY"}, "ja", "-3,000円"),
        ("{found:amount}", {"found": "3649.920"}, "en", "3,649.920"),  # decimals as written, no currency known
        ("{found:amount}", {"found": "1,000", "currency": "JPY"}, "en", "JPY 1,000"),  # not a number: as written
        ("{found:amount}", {"found": "", "currency": "JPY"}, "en", "not given"),
        ("{found:amount}", {"found": "", "currency": "JPY"}, "ja", "記載なし"),
        ("{expected:amount}", {"expected": "6900 6901", "currency": "JPY"}, "en", "JPY 6,900 or JPY 6,901"),
        ("{expected:amount}", {"expected": "6900 6901", "currency": "JPY"}, "ja", "6,900円または6,901円"),
        ("{found:amounts}", {"found": "1.005 2.125", "currency": "JPY"}, "en", "JPY 1.005, JPY 2.125"),
        ("{rate:percent}", {"rate": "10"}, "en", "10 %"),
        ("{rate:percent}", {"rate": "8"}, "ja", "8%"),
        ("{count:number}", {"count": "12000"}, "en", "12,000"),
        ("{found}", {"found": "2026/04/03"}, "en", "2026/04/03"),  # dates and codes as written
        ("{found:codes}", {"found": "USD JPY"}, "en", '"USD", "JPY"'),  # several codes, each quoted
        ("{found:codes}", {"found": "USD JPY"}, "ja", "「USD」、「JPY」"),
        ("{found:codes}", {"found": "C62"}, "ja", "「C62」"),
    ],
)
def test_a_value_is_written_for_people(template: str, values: dict[str, str], language: str, expected: str) -> None:
    assert values_sentence(template, values, language) == expected


def test_a_sentence_needing_a_value_the_finding_lacks_is_left_out() -> None:
    assert values_sentence("{found:amount} {expected:amount}", {"found": "1"}, "en") is None
    messages = {"en": "Message.", "ja": "メッセージ。"}
    assert with_values(messages, {"en": "{nope}", "ja": "{nope}"}, {"found": "1"}) == messages


def test_the_sentence_comes_before_the_rule_message() -> None:
    messages = with_values(
        {"en": "Recalculate it.", "ja": "再計算してください。"},
        {"en": "It is {found:amount}.", "ja": "{found:amount}です。"},
        {"found": "5", "currency": "JPY"},
    )
    assert messages == {"en": "It is JPY 5. Recalculate it.", "ja": "5円です。再計算してください。"}


def test_a_rule_reporting_only_the_offending_value_gets_the_common_sentence() -> None:
    messages = {"en": "Not a unit code.", "ja": "単位コードではありません。"}
    assert with_values(messages, {}, {"value": "PCS"}) == {
        "en": 'The document has "PCS". Not a unit code.',
        "ja": "記載されている値は「PCS」です。単位コードではありません。",
    }
    assert with_values(messages, {}, {"value": " "})["en"] == "The document gives no value here. Not a unit code."


def test_an_unknown_format_leaves_the_sentence_out() -> None:
    assert values_sentence("{found:money}", {"found": "1"}, "en") is None
