"""The default theme in Chromium (issue 13): what only the browser decides, at 390 px and 1280 px.

The desktop menu stays on one row and its dropdowns open for the keyboard; the phone menu opens
from its "Menu" label with JavaScript off; nothing is wider than a phone; the footer reaches the
bottom of short pages; main keeps its padding; one font family; the lone "next" card sits on the
right; the header search box keeps the query; the print stylesheet; the copy-link button.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from sitekit import article, build_ok, write_site
from test_theme import CATEGORIES, MENU, PUBLISHER, portal_files

pytestmark = pytest.mark.slow  # drives Chromium: the whole suite runs it, the quick run does not

# The sample site's sections: twelve, the menu that used to wrap onto two rows.
SAMPLE_CATEGORIES = [
    "Tin tức - Sự kiện",
    "Đảng, đoàn thể",
    "Văn hóa - Xã hội",
    "Kinh tế",
    "An ninh - Quốc phòng",
    "Giáo dục",
    "Y tế",
    "Nông thôn mới",
    "Cải cách hành chính",
    "Thông báo",
    "Chuyển đổi số",
    "Tài nguyên - Môi trường",
]
LONG_MENU = [
    *MENU[:3],
    {
        "name": "Kinh tế - Xã hội",
        "category": "Tin tức - Sự kiện",
        "children": [{"category": "Tin tức - Sự kiện"}, {"category": "Thông báo"}],
    },
    *MENU[3:],
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Two built sites served on 127.0.0.1: /portal/ (a long configured menu) and /sample/ (no menu, 12 sections)."""
    root = tmp_path_factory.mktemp("theme-browser")
    www = root / "www"
    portal = write_site(
        root / "portal",
        portal_files(),
        categories=CATEGORIES,
        per_page=2,
        menu=LONG_MENU,
        publisher=PUBLISHER,
        base_url="https://example.test/portal/",
    )
    build_ok(portal, www / "portal")
    files = {f"2024/tin-{i}.md": article(f"Tin số {i}", name) for i, name in enumerate(SAMPLE_CATEGORIES)}
    sample = write_site(root / "sample", files, categories=SAMPLE_CATEGORIES, base_url="https://example.test/sample/")
    build_ok(sample, www / "sample")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def top_items(page) -> list[dict]:
    return [li.bounding_box() for li in page.locator(".nav-list > li").all()]


@pytest.mark.parametrize("width", [960, 1280])
@pytest.mark.parametrize("site", ["portal/", "sample/"])
def test_the_desktop_menu_is_one_row(browser, base, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base + site)
    boxes = top_items(page)
    assert len(boxes) >= 7
    assert len({round(box["y"]) for box in boxes}) == 1, "every entry on the same row"
    assert boxes[-1]["x"] + boxes[-1]["width"] <= width, "the last entry inside the window"
    assert page.locator(".main-nav").bounding_box()["height"] < 60
    assert not page.locator(".nav-button").is_visible()
    context.close()


def test_a_dropdown_sub_item_is_reached_with_the_keyboard(desktop, base):
    desktop.goto(base + "portal/")
    first_child = desktop.locator(".has-sub .sub-menu a").first
    assert first_child.bounding_box()["x"] < 0, "closed dropdowns are off the screen"
    desktop.focus(".nav-home a")
    for _ in range(6):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.closest('.sub-menu') !== null"):
            break
    focused = desktop.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Lịch sử hình thành", "/portal/gioi-thieu/lich-su/"]
    box = desktop.locator(".sub-menu a:focus").bounding_box()
    parent = desktop.locator(".nav-list > li.has-sub").first.bounding_box()
    assert box["x"] >= parent["x"] - 1 and box["y"] >= parent["y"] + parent["height"] - 1, "open, under its entry"
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/gioi-thieu/lich-su/")


def test_a_dropdown_opens_on_hover_and_stays_inside_the_window(desktop, base):
    desktop.goto(base + "portal/")
    for item in desktop.locator(".nav-list > li.has-sub").all():
        item.hover()
        menu = item.locator(".sub-menu").bounding_box()
        assert menu["x"] >= 0 and menu["x"] + menu["width"] <= DESKTOP["width"]
        assert item.locator(".sub-menu a").first.is_visible()


def test_the_phone_menu_opens_without_javascript(browser, base):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "portal/")
    assert page.locator(".nav-button").is_visible()
    assert not page.locator(".nav-list").is_visible()
    page.click("label[for=nav-toggle]")
    assert page.locator(".nav-list").is_visible()
    boxes = top_items(page)
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes) and len({b["y"] for b in boxes}) == len(boxes)
    assert all(b["x"] + b["width"] <= PHONE["width"] for b in boxes), "a vertical list, nothing cut off"
    top = page.locator(".nav-list > li > a", has_text="Giới thiệu").bounding_box()
    sub = page.locator(".sub-menu a", has_text="Lịch sử hình thành").bounding_box()
    assert sub["x"] > top["x"] + 8 and sub["y"] > top["y"], "sub-items indented under their entry"
    page.click("label[for=nav-toggle]")
    assert not page.locator(".nav-list").is_visible()
    context.close()


PAGES = [
    "",
    "2024/05/tin-3/",
    "chuyen-muc/tin-tuc-su-kien/",
    "chuyen-muc/tin-tuc-su-kien/trang/2/",
    "gioi-thieu/",
    "van-ban/",
    "tim-kiem/?q=tin",
    "404.html",
    "luu-tru/",
]


def test_no_page_is_wider_than_a_phone(phone, base):
    for url in PAGES:
        phone.goto(base + "portal/" + url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


def test_the_register_rows_are_cards_on_a_phone(phone, desktop, base):
    phone.goto(base + "portal/van-ban/")
    assert (
        not phone.locator(".doc-table thead").is_visible()
        or phone.locator(".doc-table thead").bounding_box()["height"] <= 1
    )
    row = phone.locator(".doc-table tbody tr").first
    number, title = row.locator(".doc-number").bounding_box(), row.locator(".doc-title").bounding_box()
    assert title["y"] > number["y"] and title["width"] > PHONE["width"] * 0.6, "the title on its own line, full width"
    assert (
        phone.locator(".doc-issuer")
        .first.evaluate("e => getComputedStyle(e, '::before').content")
        .startswith('"Cơ quan')
    )
    desktop.goto(base + "portal/van-ban/")
    assert desktop.locator(".doc-table thead").is_visible()
    cells = [c.bounding_box()["y"] for c in desktop.locator(".doc-table tbody tr").first.locator("td").all()]
    assert len({round(y) for y in cells}) == 1, "one table row on a desktop"


def test_main_keeps_its_padding_and_the_footer_reaches_the_bottom(desktop, base):
    desktop.goto(base + "portal/lien-he/")
    padding = desktop.locator("main").evaluate(
        "e => [getComputedStyle(e).paddingTop, getComputedStyle(e).paddingBottom]"
    )
    assert all(float(p.removesuffix("px")) >= 16 for p in padding), padding
    footer = desktop.locator(".site-footer").bounding_box()
    assert abs(footer["y"] + footer["height"] - DESKTOP["height"]) <= 1, "the footer ends at the window's bottom"


def test_the_headline_uses_the_same_family_as_the_text(desktop, base):
    desktop.goto(base + "portal/2024/05/tin-3/")
    families = desktop.evaluate(
        "['h1', '.article-body p', 'body'].map(s => getComputedStyle(document.querySelector(s)).fontFamily)"
    )
    assert len(set(families)) == 1 and "serif" not in families[0].replace("sans-serif", ""), families


def test_a_lone_next_card_sits_on_the_right(desktop, base):
    desktop.goto(base + "portal/2023/01/ntm-cu/")
    assert desktop.locator(".prev-next .prev").count() == 0
    card = desktop.locator(".prev-next .next").bounding_box()
    box = desktop.locator(".prev-next").bounding_box()
    assert card["x"] > box["x"] + box["width"] / 3, "in the right half, under 'Bài sau ›'"


def test_the_header_search_box_keeps_the_query_on_the_results_page(desktop, base):
    desktop.goto(base + "portal/tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn")
    assert desktop.input_value("#header-q") == "dân vận"
    desktop.goto(base + "portal/")
    assert desktop.input_value("#header-q") == ""


def test_the_404_heading_is_set_tight_on_a_phone(phone, base):
    phone.goto(base + "portal/404.html")
    size, height = phone.locator("h1").evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), parseFloat(getComputedStyle(e).lineHeight)]"
    )
    assert height <= size * 1.35


def test_an_article_prints_without_navigation_and_with_its_address(desktop, base):
    desktop.goto(base + "portal/2024/05/tin-3/")
    assert not desktop.locator(".print-url").is_visible()
    desktop.emulate_media(media="print")
    for hidden in (".main-nav", ".header-search", ".share", ".related", ".footer-nav", ".breadcrumbs", ".prev-next"):
        assert not desktop.locator(hidden).first.is_visible(), hidden
    address = desktop.locator(".print-url")
    assert address.is_visible() and address.inner_text().endswith("https://example.test/portal/2024/05/tin-3/")
    title, date, url = (desktop.locator(s).bounding_box()["y"] for s in ("h1", ".article-header .meta", ".print-url"))
    assert title < date < url, "date and address under the title"


def test_the_copy_link_button_copies_the_address(browser, base):
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base + "portal/2024/05/tin-3/")
    page.click(".share-copy")
    # The clipboard answers asynchronously: wait for the message instead of reading it at once.
    page.wait_for_function("document.querySelector('.share-status').textContent.trim() !== ''", timeout=10_000)
    assert page.locator(".share-status").inner_text() == "Đã sao chép liên kết"
    assert page.evaluate("navigator.clipboard.readText()") == "https://example.test/portal/2024/05/tin-3/"
    context.close()
