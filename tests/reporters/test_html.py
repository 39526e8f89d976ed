"""The HTML report (`--format html`): what the page says, how it links, what it escapes, how much source it shows."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import jppint
from jppint.reporters import REPORTERS, render_reports
from jppint.reporters.common import labels
from jppint.reporters.html import CONTEXT_LINES, FULL_SOURCE_BUDGET, PLACES_LIMIT
from tests.cli.conftest import DATA, RULES
from tests.reporters.pages import finding, invoice_lines, outcome, page_of, problem, select, tree_of

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TOTALS = SAMPLES / "invalid" / "jp" / "totals-do-not-add-up.xml"
VALID = SAMPLES / "valid" / "jp" / "standard-mixed-rates.xml"
HOSTILE = "<script>alert('x')</script>\"&amp;"


def test_html_is_a_format_of_the_command_line_and_the_library() -> None:
    from jppint.cli.parser import FORMATS

    assert "html" in FORMATS and "html" in REPORTERS


def test_the_page_summarises_every_file_groups_findings_by_rule_and_links_them_to_highlighted_lines() -> None:
    source = invoice_lines(40)
    findings = [finding("r-1", 5), finding("r-2", 9, severity="warning"), finding("r-1", 20)]
    page = tree_of(
        page_of(outcome("a.xml", findings, source), outcome("b.xml", [], b"<Invoice/>"), problem("c.xml", "not XML"))
    )
    rows = select(page, "table.files tbody tr")
    assert [row.get("class") for row in rows] == ["invalid", "valid", "error"]
    assert [cell.text_content() for cell in select(rows[0], "td.number")] == ["2", "1", "0", "0", "3", "0"]
    # a valid file without findings has no section; a file that could not be validated says why
    assert [link.get("href") for link in select(page, "table.files a")] == ["#file-1", "#file-3"]
    assert "c.xml:1:1: not XML" in page.get_element_by_id("file-3").text_content()
    groups = select(page, "#file-1 article.group")
    assert [select(group, "code.rule")[0].text for group in groups] == ["r-1", "r-2"]  # fatal first
    first = groups[0]
    assert select(first, "p.lead")[0].text == "r-1 is broken" and select(first, "p.lead")[0].get("lang") == "en"
    assert select(first, "p.other")[0].text == "r-1 が壊れています"
    assert [link.get("href") for link in select(first, "a.line-link")] == ["#file-1-line-5", "#file-1-line-20"]
    for link in select(page, "a[href^='#']"):
        assert page.get_element_by_id(link.get("href")[1:]) is not None, link.get("href")
    assert page.get_element_by_id("file-1-line-5").get("class") == "line hit fatal"
    assert page.get_element_by_id("file-1-line-9").get("class") == "line hit warning"
    assert page.get_element_by_id("file-1-line-6").get("class") == "line"
    back = select(page.get_element_by_id("file-1-line-20"), "a.mark")[0]
    assert back.get("href") == "#file-1-rule-1" and back.text == "r-1"


def test_the_lead_language_comes_from_lang_and_the_other_follows() -> None:
    page = tree_of(page_of(outcome("a.xml", [finding("r-1", 2)], invoice_lines(3)), lang="ja"))
    assert page.get("lang") == "ja"
    assert select(page, "p.lead")[0].get("lang") == "ja" and select(page, "p.lead")[0].text == "r-1 が壊れています"
    assert select(page, "p.other")[0].get("lang") == "en"
    assert select(page, "span.verdict")[0].text == labels("ja")["invalid"]


def test_business_terms_values_detail_and_layer_badges_are_shown() -> None:
    found = finding(
        "ibr-co-13",
        2,
        layer="schema",
        business_terms=("ibt-109", "ibg-23"),
        values={"found": "228400", "expected": "234400"},
        detail="expected cbc:TaxExclusiveAmount",
    )
    group = select(tree_of(page_of(outcome("a.xml", [found], invoice_lines(3)))), "article.group")[0]
    assert [term.text for term in select(group, "span.term")] == ["ibg-23", "ibt-109"]
    assert [value.text_content() for value in select(group, "span.value")] == ["found 228400", "expected 234400"]
    assert "expected cbc:TaxExclusiveAmount" in select(group, "p.detail")[0].text_content()
    assert select(group, "span.layer")[0].get("class") == "layer schema"


def test_a_finding_without_a_line_or_without_the_source_is_listed_without_a_link() -> None:
    page = tree_of(page_of(outcome("a.xml", [finding("r-1", None), finding("r-2", 7)], None)))
    assert select(page, "a.line-link") == []
    assert [place.text for place in select(page, "span.line-link")] == ["line 7", "no line"]
    assert "bytes are not at hand" in select(page, "div.source p.note")[0].text


def _page_about(text: str, label: str) -> str:
    bad = finding(
        f"rule-{text}",
        2,
        message=text,
        messages={"en": text, "ja": f"<img src=x onerror=alert(1)>{text}"},
        location=f'/x[@a="{text}"]',
        business_terms=(text,),
        values={text: text},
        detail=text,
    )
    source = f"<?xml version='1.0'?>\n<Invoice><!-- {text} -->\n</Invoice>".encode() + b"\xff\xfe \x00\n"
    return page_of(outcome(label, [bad], source), problem(label, text))


def test_hostile_names_messages_and_sources_are_text_never_markup() -> None:
    label = f"{HOSTILE}\udcff.xml"  # a file name that was not UTF-8, as os.fsdecode gives it
    page = _page_about(HOSTILE, label)
    page.encode("utf-8")  # no lone surrogate left: the page is UTF-8
    tree = tree_of(page)
    assert select(tree, "script, img, [onerror]") == []
    # the same elements as a page about plain words: nothing hostile became markup
    assert re.findall(r"<\w+", page) == re.findall(r"<\w+", _page_about("plain words", "plain.xml"))
    shown = tree.text_content()
    assert HOSTILE in shown and f"{HOSTILE}\ufffd.xml" in shown and "<img src=x onerror=alert(1)>" in shown
    assert "\x00" not in page


def test_the_page_loads_nothing_from_anywhere() -> None:
    page = page_of(outcome("a.xml", [finding("r-1", 2)], invoice_lines(3)), problem("b.xml", "not XML"))
    tree = tree_of(page)
    policy = select(tree, "meta[http-equiv='Content-Security-Policy']")[0].get("content")
    assert policy.startswith("default-src 'none';")
    assert select(tree, "script, link, img, iframe, object, embed") == []
    assert all(element.get("href").startswith("#") for element in select(tree, "[href]"))
    assert select(tree, "[src]") == []
    assert "url(" not in "".join(style.text for style in select(tree, "style")).replace("url(#", "")
    assert "@import" not in page


def test_sources_are_shown_in_full_until_the_page_budget_then_around_each_finding() -> None:
    large = FULL_SOURCE_BUDGET - 100
    page = tree_of(
        page_of(
            outcome("large.xml", [finding("r-1", 10)], invoice_lines(large)),
            outcome("second.xml", [finding("r-1", 500), finding("r-2", 502), finding("r-3", 900)], invoice_lines(1000)),
        )
    )
    assert len(select(page, "#file-1 div.line")) == large
    assert f"The whole document, {large:,} lines." in page.get_element_by_id("file-1").text_content()
    second = page.get_element_by_id("file-2")
    numbers = [int(select(line, "span.number")[0].text) for line in select(second, "div.line")]
    context = CONTEXT_LINES
    assert numbers == [*range(500 - context, 502 + context + 1), *range(900 - context, 900 + context + 1)]
    assert [gap.text for gap in select(second, "div.gap")] == [
        f"lines 1–{500 - context - 1} not shown",
        f"lines {502 + context + 1}–{900 - context - 1} not shown",
        f"lines {900 + context + 1}–1000 not shown",
    ]
    assert f"{len(numbers)} of 1,000 lines" in select(second, "div.source p.note")[0].text
    assert "20,000 source lines" in select(page, "header p.note")[0].text


def test_a_message_lists_its_first_places_in_full_and_the_others_by_line() -> None:
    many = [finding("r-1", line) for line in range(2, PLACES_LIMIT + 52)]
    whole = tree_of(page_of(outcome("a.xml", many, invoice_lines(PLACES_LIMIT + 60))))
    assert len(select(whole, "ul.places li")) == PLACES_LIMIT + 1
    more = select(whole, "ul.places li.more")[0]
    assert more.text.startswith("and 50 more places")
    assert [link.text for link in select(more, "a")] == [
        str(line) for line in range(PLACES_LIMIT + 2, PLACES_LIMIT + 52)
    ]
    assert len(select(whole, "div.hit")) == len(many)  # the whole source: every finding highlighted

    spread = [finding("r-1", line) for line in range(10, 10 * (PLACES_LIMIT + 51), 10)]
    windowed = tree_of(page_of(outcome("b.xml", spread, invoice_lines(FULL_SOURCE_BUDGET + 10_000))))
    more = select(windowed, "ul.places li.more")[0]
    assert select(more, "a") == [] and more.text_content().endswith(f"{10 * (PLACES_LIMIT + 50)}")
    assert len(select(windowed, "div.hit")) == PLACES_LIMIT  # the source shows the places listed in full
    assert select(windowed, "#file-1-line-1010") == [] and select(windowed, "#file-1-line-1000")


def test_a_tag_over_several_lines_is_highlighted_from_its_first_line() -> None:
    source = b'<?xml version="1.0"?>\n<Invoice\n  xmlns="urn:x"\n  xmlns:cbc="urn:y">\n</Invoice>\n'
    page = tree_of(page_of(outcome("a.xml", [finding("r-1", 4)], source)))
    assert select(page, "a.line-link")[0].get("href") == "#file-1-line-2"
    assert [line.get("id") for line in select(page, "div.hit")] == [f"file-1-line-{n}" for n in (2, 3, 4)]


def test_the_rules_table_counts_files_and_findings_across_the_batch() -> None:
    page = tree_of(
        page_of(
            outcome("a.xml", [finding("r-1", 2), finding("r-1", 3)], invoice_lines(5)),
            outcome("b.xml", [finding("r-1", 2), finding("r-2", 3, severity="warning")], invoice_lines(5)),
        )
    )
    rows = [[cell.text_content() for cell in select(row, "td")] for row in select(page, "table.rules tbody tr")]
    assert [row[:5] for row in rows] == [["r-1", "rules", "fatal", "2", "3"], ["r-2", "rules", "warning", "1", "1"]]


def test_render_reports_writes_html_from_real_reports() -> None:
    reports = [jppint.validate(VALID), jppint.validate(TOTALS)]
    page = tree_of(render_reports(reports, "html", lang="en", working_directory=SAMPLES.parent))
    assert [row.get("class") for row in select(page, "table.files tbody tr")] == ["valid", "invalid"]
    link = select(page, "#file-2 a.line-link")[0]
    line = page.get_element_by_id(link.get("href")[1:])
    assert "hit fatal" in line.get("class") and "<cac:LegalMonetaryTotal>" in line.text_content()
    assert {term.text for term in select(page, "#file-2 span.term")} >= {"ibt-109"}


def test_the_command_line_writes_the_page_to_a_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    inputs = (
        DATA / "valid" / "minimal.xml",
        DATA / "invalid" / "missing-line-amount.xml",
        DATA / "errors" / "not-xml.xml",
    )
    run = cli("validate", "--format", "html", "--schematron", RULES, "-o", target, *inputs)
    assert run.code == 2
    page = tree_of(target.read_text(encoding="utf-8"))
    assert [row.get("class") for row in select(page, "table.files tbody tr")] == ["valid", "invalid", "error"]
    assert select(page, "#file-2 code.rule")[0].text == "t-010"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_word_of_the_page_exists_in_both_languages(lang: str) -> None:
    from jppint.reporters.html import _words

    assert set(_words(lang)) == set(_words("en"))


def test_findings_left_out_by_the_command_line_are_counted_on_the_page(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    run = cli(
        "validate",
        "--format",
        "html",
        "--schematron",
        RULES,
        "--ignore",
        "t-003",
        "-o",
        target,
        DATA / "invalid" / "missing-line-amount.xml",
    )
    assert run.code == 1
    page = tree_of(target.read_text(encoding="utf-8"))
    assert select(page, "span.total.left-out")[0].text == "left out: 1 ignored"
    assert [code.text for code in select(page, "article.group code.rule")] == ["t-010", "t-004"]


def test_the_page_words_do_not_shadow_the_report_labels() -> None:
    import tomllib

    own = tomllib.loads((Path(__file__).resolve().parents[2] / "jppint/reporters/page/words.toml").read_text("utf-8"))
    for lang in ("en", "ja"):
        assert not set(own[lang]) & set(labels(lang)), lang


def test_a_file_name_that_is_not_utf8_and_looks_like_markup_is_shown_as_text(cli, tmp_path: Path) -> None:
    name = os.fsdecode(b"<img src=x onerror='alert(1)'>\xff.xml")
    (tmp_path / name).write_bytes((DATA / "invalid" / "missing-line-amount.xml").read_bytes())
    target = tmp_path / "report.html"
    run = cli("validate", "--format", "html", "--schematron", RULES, "-o", target, tmp_path / name)
    assert run.code == 1
    data = target.read_bytes()
    page = tree_of(data.decode("utf-8"))
    assert select(page, "img, [onerror]") == []
    assert "<img src=x onerror='alert(1)'>\ufffd.xml" in select(page, "table.files td.path")[0].text_content()
