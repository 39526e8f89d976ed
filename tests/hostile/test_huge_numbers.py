"""Numbers with absurdly many digits: answered in linear time, as one fatal finding per value.

Saxon converts a text to a number in time quadratic in its digits (one
1,000,000-digit amount took 17-36 s, holding the interpreter lock). Such a
value never reaches the rules: they read a token that is no number, as they
read "abc", and one `jppint-number-too-long` finding names the value, its
place and the rules it kept from being checked. Every other rule still runs:
the rules' findings equal those on the same document with "abc" there.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from lxml import etree

import jppint
from jppint.document import read_document, serialize_for_engine
from jppint.locations import Locator
from jppint.long_numbers import MAX_DIGITS, RULE_ID, TOKEN_PREFIX, has_long_run, screen_long_numbers
from tests.hostile.documents import (
    ABSENT_REASON,
    INVOICE,
    NAMESPACES,
    edited,
    official_example,
    official_schematron,
    shared_available,
)

# Generous: the real figures are about 0.1 s for one value and 0.3 s for five (the first
# such document in a process also compiles the careful stylesheet, about 0.2 s).
SECONDS = 5.0
MILLION = 1_000_000
PAYABLE = "//cac:LegalMonetaryTotal/cbc:PayableAmount"
AMOUNTS = (
    "//cac:TaxTotal/cbc:TaxAmount",
    "//cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    PAYABLE,
    "//cac:InvoiceLine/cbc:LineExtensionAmount",
)
# An unrelated fault: its findings must survive the huge value elsewhere.
UNRELATED = ("/*/cbc:InvoiceTypeCode", "999")
SPECS = ("jp", "jp-sb", "jp-ntr")

official = pytest.mark.skipif(not shared_available(), reason=ABSENT_REASON)


def _base() -> bytes:
    return official_example("jp").read_bytes() if shared_available() else INVOICE.read_bytes()


def _timed(data: object, **options: object) -> tuple[jppint.ValidationReport, float]:
    started = time.perf_counter()
    report = jppint.validate(data, **options)  # type: ignore[arg-type]
    return report, time.perf_counter() - started


def _element(data: bytes, xpath: str) -> tuple[str, int]:
    """The canonical location and line of the first element at `xpath`."""
    root = read_document(data).root
    element = root.xpath(xpath, namespaces=NAMESPACES)[0]
    return Locator(root).location_of(element), element.sourceline


def _ours(report: jppint.ValidationReport) -> list[jppint.Finding]:
    return [finding for finding in report.findings if finding.rule_id == RULE_ID]


def _rules_items(report: jppint.ValidationReport) -> Counter[tuple[str, str, str]]:
    return Counter((f.rule_id, f.location, f.kind) for f in report.findings if f.layer == "rules")


def _with_attribute(data: bytes, xpath: str, name: str, value: str) -> bytes:
    root = etree.fromstring(data)
    root.xpath(xpath, namespaces=NAMESPACES)[0].set(name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_a_million_digit_amount_is_one_fatal_finding_naming_it_in_well_under_a_second() -> None:
    data = edited(_base(), PAYABLE, "1" * MILLION)

    report, seconds = _timed(data)

    assert seconds < SECONDS
    (finding,) = _ours(report)
    location, line = _element(data, PAYABLE)
    assert (finding.kind, finding.severity, finding.location, finding.line) == ("error", "fatal", location, line)
    assert finding.message.startswith('cbc:PayableAmount holds "11111111111111111111… (1,000,000 digits)": ')
    assert "「11111111111111111111…（1,000,000 桁）」" in finding.messages["ja"]
    assert not report.valid


def test_five_million_digit_amounts_are_five_findings_in_well_under_a_second() -> None:
    data = _base()
    for xpath in AMOUNTS:
        data = edited(data, xpath, "7" * MILLION)

    report, seconds = _timed(data)

    assert seconds < SECONDS
    expected = sorted(_element(data, xpath)[0] for xpath in AMOUNTS)
    assert sorted(finding.location for finding in _ours(report)) == expected


def test_an_attribute_of_800000_digits_is_a_finding_at_the_attribute() -> None:
    data = _with_attribute(_base(), PAYABLE, "currencyID", "9" * 800_000)

    report, seconds = _timed(data)

    assert seconds < SECONDS
    (finding,) = _ours(report)
    location, line = _element(data, PAYABLE)
    assert (finding.location, finding.line) == (f"{location}/@currencyID", line)
    assert finding.message.startswith('the attribute currencyID of cbc:PayableAmount holds "99999999999999999999… ')
    assert "(800,000 digits)" in finding.message


def test_a_value_split_over_child_elements_is_one_finding_at_the_element_a_rule_reads() -> None:
    root = etree.fromstring(_base())
    payable = root.xpath(PAYABLE, namespaces=NAMESPACES)[0]
    payable.text = None
    for _ in range(5000):
        etree.SubElement(payable, "{urn:example:split}digits").text = "7" * 200
    data = etree.tostring(root)

    report, seconds = _timed(data)

    assert seconds < SECONDS
    (finding,) = _ours(report)
    assert finding.location == _element(data, PAYABLE)[0]
    assert "(1,000,000 digits)" in finding.message


def test_a_value_split_by_comments_in_a_callers_tree_is_one_finding() -> None:
    root = etree.fromstring(_base())
    payable = root.xpath(PAYABLE, namespaces=NAMESPACES)[0]
    payable.text = "7" * 200
    for _ in range(5000):
        comment = etree.Comment("split")
        comment.tail = "7" * 200
        payable.append(comment)

    report, seconds = _timed(root.getroottree())

    assert seconds < SECONDS
    (finding,) = _ours(report)
    assert finding.location == _element(etree.tostring(root), PAYABLE)[0]
    assert "(1,000,200 digits)" in finding.message


@official
@pytest.mark.parametrize("spec", SPECS)
def test_every_other_official_rule_fires_as_with_an_invalid_amount(spec: str) -> None:
    rules = official_schematron(spec)
    base = edited(official_example(spec).read_bytes(), *UNRELATED)
    with_fault = jppint.validate(base, schematron=rules)
    invalid = jppint.validate(edited(base, PAYABLE, "abc"), schematron=rules)

    huge = jppint.validate(edited(base, PAYABLE, "1" * MILLION), schematron=rules)

    (finding,) = _ours(huge)
    errors = {f.rule_id for f in invalid.findings if f.kind == "error"}
    assert errors, "the official rules convert cbc:PayableAmount"
    named = finding.message.partition("The rules that read it could not be checked: ")[2].partition(".")[0]
    assert set(named.split(", ")) == errors
    without_errors = Counter({item: n for item, n in _rules_items(invalid).items() if item[2] != "error"})
    assert _rules_items(huge) - Counter({(RULE_ID, finding.location, "error"): 1}) == without_errors
    original = jppint.validate(official_example(spec).read_bytes(), schematron=rules)
    unrelated = _rules_items(with_fault) - _rules_items(original)
    assert unrelated and not unrelated - _rules_items(huge), "the unrelated fault must still be reported"


def test_the_built_in_rules_give_the_findings_they_give_an_invalid_amount() -> None:
    base = edited(_base(), *UNRELATED)
    invalid = jppint.validate(edited(base, PAYABLE, "abc"))

    huge = jppint.validate(edited(base, PAYABLE, "1" * MILLION))

    (finding,) = _ours(huge)
    without_errors = Counter({item: n for item, n in _rules_items(invalid).items() if item[2] != "error"})
    assert _rules_items(huge) - Counter({(RULE_ID, finding.location, "error"): 1}) == without_errors
    assert not any(TOKEN_PREFIX in f.message for f in huge.findings), "no finding may show the token"


@pytest.mark.parametrize("digits", [13, 50, MAX_DIGITS])
def test_a_long_identifier_is_given_to_the_rules_untouched(digits: int) -> None:
    identifier = "4" * digits
    data = edited(_base(), "/*/cbc:ID", identifier)
    document = read_document(data)

    screened = screen_long_numbers(document)

    assert screened.text == serialize_for_engine(document)
    assert screened.findings == ()
    assert not _ours(jppint.validate(data))


def test_one_digit_more_than_the_limit_is_a_finding() -> None:
    data = edited(_base(), "/*/cbc:ID", "4" * (MAX_DIGITS + 1))

    (finding,) = _ours(jppint.validate(data))

    assert finding.location == _element(data, "/*/cbc:ID")[0]
    assert f"({MAX_DIGITS + 1} digits)" in finding.message


def test_equal_values_read_as_one_token_and_different_values_as_different_ones() -> None:
    long_value = "5" * 400
    data = edited(_base(), "/*/cbc:ID", long_value)
    data = edited(data, PAYABLE, long_value)
    data = edited(data, "//cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "6" * 400)

    screened = screen_long_numbers(read_document(data))

    assert screened.text.count(f"{TOKEN_PREFIX}1<") == 2
    assert screened.text.count(f"{TOKEN_PREFIX}2<") == 1
    assert not has_long_run(screened.text)


@pytest.mark.parametrize(
    "value",
    [
        "7" * 5000 + "x",
        "-" + "7" * 5000,
        "1." + "3" * 5000,
        "1e" + "7" * 5000,
        " \n" + "0" * 5000 + "1 ",
        "Note: " + "7" * 5000,
        "７" * 5000,  # full-width digits: Saxon's xs:integer reads them as digits
    ],
)
def test_every_shape_of_a_long_run_of_digits_is_kept_from_the_rules(value: str) -> None:
    document = read_document(edited(_base(), PAYABLE, value))

    screened = screen_long_numbers(document)

    assert len(screened.findings) == 1
    assert not has_long_run(screened.text)


def test_past_max_findings_the_long_values_are_counted_in_one_more_finding() -> None:
    root = etree.fromstring(_base())
    issue_date = root.xpath("/*/cbc:IssueDate", namespaces=NAMESPACES)[0]
    for number in range(30):
        twin = etree.Element(issue_date.tag)
        twin.text = str(number) * 400
        issue_date.addnext(twin)
    data = etree.tostring(root)

    report = jppint.validate(data, max_findings=10, schema=False)

    ours = _ours(report)
    assert len(ours) == 11
    assert ours[-1].message.startswith("20 more values with more than 300 digits in a row are not listed")
    assert not report.valid


def test_the_scan_is_linear_even_for_runs_just_under_the_limit() -> None:
    text = " ".join(["7" * MAX_DIGITS] * 20_000)  # 6 MB: a search for r"\d{301}" takes seconds here
    started = time.perf_counter()
    assert not has_long_run(text)
    assert has_long_run(text + " " + "7" * (MAX_DIGITS + 1))
    assert time.perf_counter() - started < SECONDS / 5
