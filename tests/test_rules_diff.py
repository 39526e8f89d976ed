"""`jppint rules diff`: what our rules of two releases differ in, read from the rules themselves."""

from __future__ import annotations

import pytest

from jppint.rules_diff import diff_releases
from jppint.specs import latest_version, releases

EVERY_SPEC = ["jp", "jp-sb", "jp-ntr"]

DIFF_1_1_2_TO_1_1_3 = {
    "old": "1.1.2",
    "new": "1.1.3",
    "rules": {
        "added": [],
        "removed": [{"id": "ibr-sr-45", "specs": EVERY_SPEC}],
        "changed": [
            {"id": "ibr-004", "specs": EVERY_SPEC, "changes": ["message"]},
            {"id": "ibr-126", "specs": EVERY_SPEC, "changes": ["test"]},
            # 1.1.2's jp list never matched ICD 0244 (rules/jp-pint-1.1.2/spec-jp.sch)
            {"id": "ibr-cl-26", "specs": ["jp"], "changes": ["test"]},
        ],
    },
    "code_lists": [
        {
            "code_list": "EAS-endpoint-scheme",
            "used_by": ["ibr-cl-25"],
            "added": ["0242", "0245", "0246", "0248"],
            "removed": [],
        },
        {
            "code_list": "ICD-identifier-scheme",
            "used_by": ["ibr-cl-10", "ibr-cl-11", "ibr-cl-21", "ibr-cl-26"],
            "added": ["0245", "0246", "0247", "0248"],
            "removed": [],
        },
        {
            "code_list": "ISO4217-currency",
            "used_by": ["ibr-cl-03", "ibr-cl-04", "ibr-cl-05"],
            "added": ["XCG"],
            "removed": ["ANG", "BGN"],
        },
    ],
}


def test_1_1_2_to_1_1_3_lists_exactly_the_differences_of_the_releases() -> None:
    assert diff_releases("1.1.2", "1.1.3").to_json() == DIFF_1_1_2_TO_1_1_3


def test_the_text_names_each_difference_on_its_own_line() -> None:
    assert diff_releases("1.1.2", "1.1.3").to_text().splitlines() == [
        "JP PINT rules 1.1.2 -> 1.1.3",
        "  removed  ibr-sr-45 (jp jp-sb jp-ntr)",
        "  changed  ibr-004 message (jp jp-sb jp-ntr)",
        "  changed  ibr-126 test (jp jp-sb jp-ntr)",
        "  changed  ibr-cl-26 test (jp)",
        "  codes    EAS-endpoint-scheme (ibr-cl-25): added 0242 0245 0246 0248",
        "  codes    ICD-identifier-scheme (ibr-cl-10 ibr-cl-11 ibr-cl-21 ibr-cl-26): added 0245 0246 0247 0248",
        "  codes    ISO4217-currency (ibr-cl-03 ibr-cl-04 ibr-cl-05): added XCG; removed ANG BGN",
    ]


def test_going_back_swaps_added_and_removed() -> None:
    forward, backward = diff_releases("1.1.2", "1.1.3"), diff_releases("1.1.3", "1.1.2")
    assert backward.added == forward.removed and backward.removed == forward.added
    assert [(c.code_list, c.added, c.removed) for c in backward.code_lists] == [
        (c.code_list, c.removed, c.added) for c in forward.code_lists
    ]


@pytest.mark.parametrize("release", tuple(releases()))
def test_a_release_against_itself_has_no_difference(release: str) -> None:
    diff = diff_releases(release, release)
    assert diff.empty and diff.to_text().endswith("no difference\n")


def test_an_unknown_release_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=f"choose one of .*{latest_version()}"):
        diff_releases("0.9", latest_version())
