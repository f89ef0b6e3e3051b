"""The words scripts write into a page follow the site's language too (issue 16): search.js's status lines and
buttons and the documents page's quick filter take their texts from the page (search.html's #search-texts,
documents.html's inline script), rendered through the theme's catalogues, so an English site's search page does
not turn Vietnamese once the script runs. Real sites built by the command line, served, read in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import article, run_cli_in_process, write_site
from test_search_browser import serve
from test_theme_i18n import vietnamese

pytestmark = pytest.mark.slow

_DOCUMENT = '\ndocument:\n  number: "{number}"\n  issued: 2024-03-01\n  issuer: "{issuer}"\n  file: "{file}"'


def _with_document(text: str, number: str, issuer: str, file: str) -> str:
    return text.replace("\n---\n\n", _DOCUMENT.format(number=number, issuer=issuer, file=file) + "\n---\n\n", 1)


def _built(root: Path, files: dict[str, str], **settings) -> Path:
    """A site built by ``build.py build`` for https://example.test/output/ (served as /output/), its output."""
    site = write_site(root, files, base_url="https://example.test/output/", **settings)
    for name in ("plan.pdf", "budget.pdf"):
        (site / "content" / "2024" / name).write_bytes(b"%PDF-1.4\n" + b"x" * 2000)
    done = run_cli_in_process("build", "--site", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    return site / "output"


def _english_files() -> dict[str, str]:
    def story(title: str, body: str, date: str, category: str = "News") -> str:
        return article(title, category, date, body, author="Anna Tran")

    return {
        # "road works": side by side in one, apart (across a full stop) in another
        "2024/road.md": story("Road works begin", "Road works begin on Monday.", "2024-03-04 08:00"),
        "2024/bus.md": story("School bus", "The bus takes a new road. Works start later.", "2024-03-05 08:00"),
        "2024/market.md": story("Market day", "Market day is on Sunday.", "2024-03-06 08:00"),
        "2024/prices.md": story("Market prices", "Prices at the market rose.", "2024-03-07 08:00"),
        "2024/plan.md": _with_document(
            story("Plan 45", "The plan of the year.", "2024-03-01 08:00", "Notices"), "45/KH-UBND", "Office", "plan.pdf"
        ),
        "2024/budget.md": _with_document(
            story("Budget 12", "The budget of the year.", "2024-03-02 08:00", "Notices"),
            "12/QD-UBND",
            "Office",
            "budget.pdf",
        ),
    }


@pytest.fixture(scope="module")
def english_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("en-browser")
    settings = {"title": "Test District Portal", "language": "en", "categories": ["News", "Notices"]}
    yield from serve(_built(root / "site", _english_files(), **settings))


@pytest.fixture(scope="module")
def vietnamese_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("vi-browser")
    files = {
        "2024/cho.md": article("Phiên chợ quê", "Tin tức - Sự kiện", "2024-03-06 08:00", "Chợ họp sáng chủ nhật."),
        "2024/plan.md": _with_document(
            article("Kế hoạch 45", "Thông báo", "2024-03-01 08:00"), "45/KH-UBND", "UBND huyện", "plan.pdf"
        ),
        "2024/budget.md": _with_document(
            article("Quyết định 12", "Thông báo", "2024-03-02 08:00"), "12/QD-UBND", "UBND huyện", "budget.pdf"
        ),
    }
    yield from serve(_built(root / "site", files))


def search(page, base: str, query: str) -> str:
    """Search from the search page's own form; the status line once the search has finished."""
    page.goto(base + "tim-kiem/")
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")  # the index is loaded
    searching = page.evaluate("JSON.parse(document.getElementById('search-texts').textContent).searching")
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function(
        "([q, busy]) => new URLSearchParams(location.search).get('q') === q"
        " && !['', busy].includes(document.getElementById('search-status').textContent)",
        arg=[query, searching],
    )
    return page.inner_text("#search-status")


def _english(text: str) -> str:
    assert text and vietnamese(text) == [], f"Vietnamese in {text!r}"
    return text


def test_an_english_sites_search_speaks_english(english_site, browser_page):
    page = browser_page
    page.goto(english_site + "tim-kiem/")
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert _english(page.inner_text("#search-status")) == "Type a word or phrase to search the articles."

    assert search(page, english_site, "day") == "Found 1 article for “day”."
    assert search(page, english_site, "market") == "Found 2 articles for “market”."
    assert search(page, english_site, "zzzz") == (
        "No articles found for “zzzz”. Try other words, fewer words, or fewer filters."
    )
    assert _english(search(page, english_site, "!!!")) == "Please type at least one word or number to search for."

    status = search(page, english_site, "road works")
    assert status == "Found 1 article with the phrase “road works”, and 1 close match."
    assert page.inner_text("#search-show-loose") == "Show 1 close match (all the words, but not side by side)"
    page.click("#search-show-loose")
    page.wait_for_selector("#search-loose-results .search-result")
    assert page.inner_text("#search-loose-title") == "Close matches"

    status = search(page, english_site, "works road")
    assert (
        status == "No article has the exact phrase “works road”. 2 articles have all the words, but not side by side."
    )
    assert page.is_visible("#search-loose-title")
    # everything the page shows now, scripts' words included, is English
    _english(page.inner_text("main"))


def test_an_english_sites_quick_filter_counts_in_english(english_site, browser_page):
    page = browser_page
    page.goto(english_site + "van-ban/")
    page.fill("#doc-q", "45/KH")
    assert _english(page.inner_text("#doc-q-status")) == "1 document"
    page.fill("#doc-q", "UBND")
    assert page.inner_text("#doc-q-status") == "2 documents"
    page.fill("#doc-q", "zzzz")
    assert page.inner_text("#doc-q-status") == "0 documents"
    assert page.is_visible(".quick-filter-empty")
    _english(page.inner_text("main"))


def test_a_vietnamese_site_keeps_its_words(vietnamese_site, browser_page):
    page = browser_page
    assert search(page, vietnamese_site, "cho que") == "Tìm thấy 1 bài viết cho “cho que”."
    page.goto(vietnamese_site + "van-ban/")
    page.fill("#doc-q", "45/KH")
    assert page.inner_text("#doc-q-status") == "1 văn bản"
    page.fill("#doc-q", "UBND")
    assert page.inner_text("#doc-q-status") == "2 văn bản"
