"""The HTML report in a real browser: Debian's chromium, headless, with every request sent to a refusing proxy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.cli.conftest import DATA, RULES
from tests.reporters.browser import RefusingProxy, chromium, needs_chromium, read_png, refusing_proxy
from tests.reporters.pages import finding, outcome, page_of, select, tree_of

pytestmark = needs_chromium

CSS = Path(__file__).resolve().parents[2] / "jppint" / "reporters" / "page" / "report.css"
INPUTS = (DATA / "valid" / "minimal.xml", DATA / "invalid" / "missing-line-amount.xml", DATA / "errors" / "not-xml.xml")
# Chromium's own services (clock, updates, accounts): the browser's traffic, not the page's.
_BROWSER_HOSTS = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com)$")


def colour_of(name: str) -> tuple[int, int, int]:
    """A colour of the report's style sheet, read from it (`--fatal-line: #ffd8d4;`)."""
    match = re.search(rf"--{name}: #([0-9a-f]{{6}});", CSS.read_text(encoding="utf-8"))
    assert match, name
    value = match.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def page_requests(proxy: RefusingProxy) -> list[str]:
    """The requests that reached the proxy, less the browser's own."""
    requests = []
    for request in proxy.requests:
        target = request.split(" ")[1]
        host = urlsplit(target).hostname if "://" in target else target.rpartition(":")[0]
        if not _BROWSER_HOSTS.search(host or ""):
            requests.append(request)
    return requests


@pytest.fixture
def report_page(cli, tmp_path: Path) -> Path:
    """The command line's page for a valid file, an invalid one and one that is not XML."""
    target = tmp_path / "report.html"
    run = cli("validate", "--format", "html", "--schematron", RULES, "-o", target, *INPUTS)
    assert run.code == 2, run.err
    return target


def test_the_browser_builds_the_summary_the_groups_and_links_that_land_on_highlighted_lines(
    report_page: Path, tmp_path: Path
) -> None:
    with refusing_proxy() as proxy:
        dom = chromium(report_page, tmp_path / "profile", proxy, "--dump-dom").stdout.decode("utf-8")
    page = tree_of(dom)
    assert [row.get("class") for row in select(page, "table.files tbody tr")] == ["valid", "invalid", "error"]
    assert [code.text for code in select(page, "#file-2 article.group code.rule")] == ["t-010", "t-003", "t-004"]
    links = select(page, "a.line-link")
    assert links
    for link in links:
        line = page.get_element_by_id(link.get("href")[1:])
        assert "hit" in line.get("class").split()
    for link in select(page, "a[href^='#']"):
        assert page.get_element_by_id(link.get("href")[1:]) is not None
    assert "not XML" in page.get_element_by_id("file-3").text_content()
    assert page_requests(proxy) == []


def test_the_screenshot_shows_the_page_with_a_highlighted_line(report_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    with refusing_proxy() as proxy:
        chromium(report_page, tmp_path / "profile", proxy, "--window-size=1000,2200", f"--screenshot={shot}")
    picture = read_png(shot.read_bytes())
    assert (picture.width, picture.height) == (1000, 2200)
    assert len(picture.colours()) > 100  # text, badges and tables, not a blank page
    highlight = colour_of("fatal-line")
    stride = picture.width * 3
    widest = max(
        sum(
            1
            for index in range(row * stride, (row + 1) * stride, 3)
            if tuple(picture.pixels[index : index + 3]) == highlight
        )
        for row in range(picture.height)
    )
    assert widest > picture.width // 2  # a source line's background, not only a badge
    assert page_requests(proxy) == []


def test_the_page_prints_each_file_on_its_own_pages(report_page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    with refusing_proxy() as proxy:
        chromium(report_page, tmp_path / "profile", proxy, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3  # the overview, then each of the two files with something to say from a new page


def test_a_page_with_hostile_content_loads_nothing_while_a_page_that_loads_is_seen(tmp_path: Path) -> None:
    hostile = '<img src="http://example.invalid/from-message.png"><link rel="stylesheet" href="https://example.invalid/s.css">'
    source = f"<Invoice>{hostile}</Invoice>\n<script src='http://example.invalid/x.js'></script>".encode()
    report = tmp_path / "hostile.html"
    report.write_text(page_of(outcome(hostile, [finding(hostile, 1, message=hostile)], source)), encoding="utf-8")
    loading = tmp_path / "loading.html"
    loading.write_text('<!DOCTYPE html><img src="http://example.invalid/control.png">', encoding="utf-8")
    with refusing_proxy() as proxy:
        chromium(report, tmp_path / "profile-1", proxy, "--dump-dom")
        assert page_requests(proxy) == []
        chromium(loading, tmp_path / "profile-2", proxy, "--dump-dom")
        assert page_requests(proxy) == ["GET http://example.invalid/control.png HTTP/1.1"]
