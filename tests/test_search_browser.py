"""Search in a real browser against a plain static server: accents, đ, phrases, filters, no match."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from sitekit import article, build_ok, write_site


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
    }
    out = build_ok(write_site(root / "site", files, base_url="https://example.test/tin-tuc/"), root / "www" / "tin-tuc")
    handler = functools.partial(_QuietHandler, directory=str(out.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tin-tuc/"
    server.shutdown()
    server.server_close()


def results(page, base, query: str, **filters) -> list[str]:
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
    return [a.inner_text() for a in page.query_selector_all(".search-result h2 a")]


def test_queries_with_and_without_diacritics(static_site, browser_page):
    assert results(browser_page, static_site, "dan van") == ["Khai mạc lớp tập huấn công tác Dân vận"]
    assert results(browser_page, static_site, "Dân vận") == ["Khai mạc lớp tập huấn công tác Dân vận"]
    marks = [m.inner_text() for m in browser_page.query_selector_all(".search-result h2 mark")]
    assert marks == ["Dân", "vận"]


def test_d_with_stroke_and_exact_accents_rank_first(static_site, browser_page):
    found = results(browser_page, static_site, "dang uy")
    assert set(found) == {"Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ", "Hội nghị đăng uy tín doanh nghiệp"}
    assert results(browser_page, static_site, "Đảng ủy")[0] == "Đảng ủy xã Tả Thanh Oai họp phiên thường kỳ"


def test_phrases_rank_above_scattered_syllables(static_site, browser_page):
    found = results(browser_page, static_site, "nong thon moi")
    assert found == ["Xã Tam Hiệp đạt chuẩn nông thôn mới nâng cao", "Tuyển sinh lớp 1 năm học mới"]


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
