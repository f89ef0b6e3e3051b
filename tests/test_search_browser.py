"""Search in a real browser against a plain static server: accents, đ, phrases, filters, no match."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitekit import article, build_ok, write_site

from newsroom.search import decode_postings, fnv1a, shard_group

pytestmark = pytest.mark.slow  # drives Chromium: the whole suite runs it, the quick run does not


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    files = {
        "2024/dang-uy.md": article(
            "Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ",
            "Đảng, đoàn thể",
            "2024-05-01 08:00",
            "Đảng ủy xã bàn nhiệm vụ.",
        ),
        "2023/dang-uy-tin.md": article(
            "Hội nghị đăng uy tín doanh nghiệp", "Tin tức - Sự kiện", "2023-03-01 08:00", "Doanh nghiệp đăng ký uy tín."
        ),
        "2025/nong-thon-moi.md": article(
            "Xã Tam Hiệp đạt chuẩn nông thôn mới nâng cao",
            "Nông thôn mới",
            "2025-06-01 08:00",
            "Nông thôn mới khởi sắc.",
        ),
        "2026/moi.md": article(
            "Tuyển sinh lớp 1 năm học mới",
            "Thông báo",
            "2026-06-01 08:00",
            "Hội nông dân thôn Đông hỗ trợ phụ huynh. Năm học mới bắt đầu.",
        ),
        "2022/dan-van.md": article(
            "Khai mạc lớp tập huấn công tác Dân vận", "Đảng, đoàn thể", "2022-10-15 13:50", "Công tác dân vận khéo."
        ),
        "2024/nhap.md": article("Bài nháp bí mật về dân vận", "Thông báo", "2024-06-01 08:00", draft=True),
        # The phrase in the body only, and the same syllables scattered in a title (which ranked first before).
        "2021/tong-ket.md": article(
            "Hội nghị tổng kết năm",
            "Thông báo",
            "2021-12-20 08:00",
            "Hội nghị tổng kết năm.\n\nCác đại biểu đánh giá cao công tác dân vận của xã.",
        ),
        "2025/rai-rac.md": article(
            "Người dân hào hứng vận động hiến đất", "Nông thôn mới", "2025-03-01 08:00", "Làm đường làng."
        ),
    }
    yield from serve(
        build_ok(write_site(root / "site", files, base_url="https://example.test/tin-tuc/"), root / "www" / "tin-tuc")
    )


@pytest.fixture(scope="module")
def sample_site(sample_built_under_sub_path):
    """The shipped sample site built by the real command line for /tin-tuc/ (conftest), served."""
    out = sample_built_under_sub_path
    for url in serve(out):
        yield url, out


def serve(out: Path):
    """A plain static server for a built site (its parent folder, so a sub-path works), as a fixture body."""
    handler = functools.partial(_QuietHandler, directory=str(out.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{out.name}/"
    server.shutdown()
    server.server_close()


def results(page, base, query: str, **filters) -> list[str]:
    """The titles shown first (phrase matches, or loose ones when there is nothing better)."""
    page.goto(base)
    page.fill("#header-q", query)
    page.press("#header-q", "Enter")
    page.wait_for_url("**/tim-kiem/**")
    for name, value in filters.items():
        page.select_option(f"#search-{name}", value)
    page.wait_for_function(
        "() => { const t = document.getElementById('search-status').textContent; return t && !t.startsWith('Đang'); }"
    )
    if filters:
        page.wait_for_timeout(300)
    return titles(page, "#search-results")


def titles(page, where: str) -> list[str]:
    return [a.inner_text() for a in page.query_selector_all(f"{where} .search-result-title a")]


def open_loose(page) -> list[str]:
    """Click "Xem … bài gần đúng" and return the loose matches it shows under their heading."""
    page.click("#search-show-loose")
    page.wait_for_selector("#search-loose-results .search-result")
    assert page.is_visible("#search-loose-title") and page.inner_text("#search-loose-title") == "Kết quả gần đúng"
    assert page.evaluate("document.activeElement.id") == "search-loose-title"
    return titles(page, "#search-loose-results")


def test_queries_with_and_without_diacritics(static_site, browser_page):
    phrase = ["Khai mạc lớp tập huấn công tác Dân vận", "Hội nghị tổng kết năm"]
    assert results(browser_page, static_site, "dan van") == phrase
    assert results(browser_page, static_site, "Dân vận") == phrase
    marks = [m.inner_text() for m in browser_page.query_selector_all(".search-result h2 mark")]
    assert marks == ["Dân vận"]  # a phrase is one mark, not one per syllable


def test_a_phrase_in_the_body_ranks_above_syllables_scattered_in_a_title(static_site, browser_page):
    assert results(browser_page, static_site, "dan van") == [
        "Khai mạc lớp tập huấn công tác Dân vận",  # in the title
        "Hội nghị tổng kết năm",  # in the body only
    ]
    assert not browser_page.is_visible("#search-loose")
    assert browser_page.inner_text("#search-show-loose") == "Xem 1 bài gần đúng (có đủ các từ nhưng không liền nhau)"
    assert open_loose(browser_page) == ["Người dân hào hứng vận động hiến đất"]
    assert "search-result-loose" in browser_page.get_attribute("#search-loose-results li", "class")
    assert not browser_page.is_visible("#search-show-loose") and not browser_page.is_visible("#search-more")


def test_only_loose_matches_are_shown_at_once_under_their_heading(static_site, browser_page):
    assert results(browser_page, static_site, "nguoi hao hung") == []
    assert browser_page.is_visible("#search-loose-title") and not browser_page.is_visible("#search-show-loose")
    assert titles(browser_page, "#search-loose-results") == ["Người dân hào hứng vận động hiến đất"]
    assert browser_page.inner_text("#search-status").startswith("Không có bài nào chứa đúng cụm từ “nguoi hao hung”.")


def test_d_with_stroke_and_exact_accents_rank_first(static_site, browser_page):
    found = results(browser_page, static_site, "dang uy")
    assert set(found) == {"Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ", "Hội nghị đăng uy tín doanh nghiệp"}
    assert results(browser_page, static_site, "Đảng ủy")[0] == "Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ"


def test_phrases_come_first_and_scattered_syllables_only_on_request(static_site, browser_page):
    assert results(browser_page, static_site, "nong thon moi") == ["Xã Tam Hiệp đạt chuẩn nông thôn mới nâng cao"]
    assert (
        browser_page.inner_text("#search-status") == "Tìm thấy 1 bài viết có cụm từ “nong thon moi”, và 1 bài gần đúng."
    )
    assert open_loose(browser_page) == ["Tuyển sinh lớp 1 năm học mới"]


def test_filters_and_newest_first(static_site, browser_page):
    assert results(browser_page, static_site, "xa", muc="dang-doan-the") == [
        "Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ"
    ]
    found = results(browser_page, static_site, "dang uy", **{"sap-xep": "moi"})
    assert found == ["Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ", "Hội nghị đăng uy tín doanh nghiệp"]
    assert results(browser_page, static_site, "hoi nghi", nam="2024") == []


def test_no_match_says_so_kindly_and_drafts_are_not_indexed(static_site, browser_page):
    assert results(browser_page, static_site, "khongcotukhoanay") == []
    assert "Không tìm thấy bài viết nào" in browser_page.inner_text("#search-status")
    assert results(browser_page, static_site, "bi mat") == []
    for word in ("constructor", "toString", "__proto__"):  # names every JavaScript object has are words too
        assert results(browser_page, static_site, word) == []
        assert "Không tìm thấy bài viết nào" in browser_page.inner_text("#search-status"), word


def test_sample_site_dan_van_phrase_matches_first_loose_ones_after_their_heading(sample_site, browser_page):
    """Issue 12, item 16, on the shipped sample: "dan van" used to list 29 of 34 articles alike."""
    base, out = sample_site
    titles_of = index_reader(out)
    in_phrase, candidates = titles_of("b:dan van"), titles_of("dan") & titles_of("van")
    fetched: list[str] = []
    browser_page.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path))
    phrase = results(browser_page, base, "dan van")
    assert phrase[:2] == [
        "Thanh Trì biểu dương 45 mô hình “Dân vận khéo” tiêu biểu năm 2023",  # in the title: first
        "Huyện Thanh Trì: Khai mạc lớp tập huấn về công tác Dân vận",
    ]
    assert set(phrase) == in_phrase and len(phrase) >= 5  # test_search.py checks which, from the files
    loose_count = len(candidates) - len(phrase)
    assert loose_count > 2 * len(phrase)  # most articles only have the syllables apart
    status = browser_page.inner_text("#search-status")
    assert status == f"Tìm thấy {len(phrase)} bài viết có cụm từ “dan van”, và {loose_count} bài gần đúng."
    # One shard per syllable and per pair, and only the result chunks shown: a small download.
    index = [p.split("/tim-kiem/index/")[1] for p in fetched if "/tim-kiem/index/" in p]
    assert len([p for p in index if p.startswith("t/")]) <= 3 and "meta.json" in index
    assert len([p for p in index if p.startswith("d/")]) <= len(phrase)
    loose = open_loose(browser_page)
    assert len(loose) == 10 and set(loose) <= candidates - in_phrase  # a first page of them
    browser_page.click("#search-more")
    browser_page.wait_for_function(
        f"document.querySelectorAll('#search-loose-results li').length === {min(20, loose_count)}"
    )
    order = browser_page.evaluate(
        "Array.from(document.querySelectorAll('.search-result-title a, #search-loose-title')).map(e => e.textContent)"
    )
    assert order.index("Kết quả gần đúng") == len(phrase) and order[: len(phrase)] == phrase


def index_reader(out: Path):
    """The titles of the articles holding a term, read from the built index files as search.js reads them."""
    folder = out / "tim-kiem/index"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def titles_of(term: str) -> set[str]:
        shard = json.loads((folder / f"t/{fnv1a(shard_group(term)) % meta['shards']}.json").read_text(encoding="utf-8"))
        found = set()
        for doc in decode_postings(shard.get(term, "")):
            chunk = json.loads((folder / f"d/{doc // meta['chunk']}.json").read_text(encoding="utf-8"))
            found.add(chunk[doc % meta["chunk"]][1])
        return found

    return titles_of


@pytest.fixture(scope="module")
def segmented_site(tmp_path_factory):
    """Forty articles a day apart in segments of 16 (ids 0–15, 16–31, 32–39): every one about "dân vận";
    "Bát Tràng" in three of the oldest (a common term, three being more than 16 // 8); "OCOP" in two, one old
    and one recent (a rare term, kept whole)."""
    root = tmp_path_factory.mktemp("segments")
    files = {}
    for n in range(40):
        extra = (
            " Làng gốm Bát Tràng đón khách."
            if n in (2, 5, 9)
            else " Sản phẩm OCOP được công nhận."
            if n in (1, 30)
            else ""
        )
        files[f"2024/tin-{n}.md"] = article(
            f"Tin số {n}",
            "Thông báo",
            f"{(date(2024, 1, 1) + timedelta(days=n)).isoformat()} 08:00",
            f"Công tác dân vận ở thôn.{extra}",
        )
    site = write_site(root / "site", files, base_url="https://example.test/tin-tuc/", search_segment=16)
    yield from serve(build_ok(site, root / "www" / "tin-tuc"))


def test_a_search_looks_through_the_newest_articles_first_then_older_ones_on_request(segmented_site, browser_page):
    found = results(browser_page, segmented_site, "dân vận")
    assert found == [f"Tin số {n}" for n in range(39, 29, -1)]  # alike in rank: newest first
    status = browser_page.inner_text("#search-status")
    assert (
        status
        == "Tìm thấy 24 bài viết cho “dân vận”. Đã tìm trong các bài đăng từ ngày 17/01/2024 đến nay; các bài cũ hơn chưa được tìm."
    )
    assert not browser_page.is_visible("#search-older")  # not while newer results are left to show
    for shown in (20, 24):
        browser_page.click("#search-more")
        browser_page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {shown}")
    assert (
        not browser_page.is_visible("#search-more")
        and browser_page.inner_text("#search-older") == "Tìm tiếp trong các bài đăng trước ngày 17/01/2024"
    )
    browser_page.click("#search-older")
    browser_page.wait_for_function("document.querySelectorAll('#search-results li').length === 34")
    assert (
        browser_page.evaluate("document.activeElement.textContent") == "Tin số 15"
    )  # the reader's place: the first older one
    assert (
        browser_page.inner_text("#search-status") == "Tìm thấy 40 bài viết cho “dân vận”."
    )  # every article looked through
    assert not browser_page.is_visible("#search-older") and browser_page.is_visible("#search-more")


def test_a_search_finding_less_than_a_page_looks_further_back_by_itself(segmented_site, browser_page):
    assert results(browser_page, segmented_site, "Bát Tràng") == ["Tin số 9", "Tin số 5", "Tin số 2"]
    assert browser_page.inner_text("#search-status") == "Tìm thấy 3 bài viết cho “Bát Tràng”."
    # A rare word, kept whole: every match is known at once, so the whole site is ranked (no "since").
    assert results(browser_page, segmented_site, "ocop") == ["Tin số 30", "Tin số 1"]
    assert browser_page.inner_text("#search-status") == "Tìm thấy 2 bài viết cho “ocop”."
    assert not browser_page.is_visible("#search-older")
    assert results(browser_page, segmented_site, "khongcotukhoanay") == []
    assert "Không tìm thấy bài viết nào" in browser_page.inner_text("#search-status")


def test_a_new_search_takes_away_the_older_button_and_a_crafted_year_finds_nothing(segmented_site, browser_page):
    results(browser_page, segmented_site, "dân vận")
    for shown in (20, 24):
        browser_page.click("#search-more")
        browser_page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {shown}")
    assert browser_page.is_visible("#search-older")
    for query in ("khongcotukhoanay", "!!!"):  # no match; no word at all
        browser_page.fill("#search-q", query)
        browser_page.press("#search-q", "Enter")
        browser_page.wait_for_function("!document.getElementById('search-status').textContent.startsWith('Đang')")
        assert not browser_page.is_visible("#search-older"), query
    # ?nam= names a year; "2024@1" would have read segment 1's ids as if they counted from the start
    browser_page.goto(segmented_site + "tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn&nam=2024%401")
    browser_page.wait_for_function("!document.getElementById('search-status').textContent.startsWith('Đang')")
    assert titles(browser_page, "#search-results") == []
    assert "Không tìm thấy bài viết nào" in browser_page.inner_text("#search-status")


def test_a_search_filtered_by_year_looks_through_that_year_at_once(segmented_site, browser_page):
    """A year's articles are one run of ids (meta.json: year_ids): they are ranked together, whatever the segments."""
    browser_page.goto(segmented_site + "tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn&nam=2024")
    browser_page.wait_for_function("!document.getElementById('search-status').textContent.startsWith('Đang')")
    assert browser_page.inner_text("#search-status") == "Tìm thấy 40 bài viết cho “dân vận”."  # all three segments
    assert len(titles(browser_page, "#search-results")) == 10 and not browser_page.is_visible("#search-older")
