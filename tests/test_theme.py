"""The default theme's markup (issue 13): menu, footer, sharing, print, breadcrumbs, counts, pages,
documents, the imported byline, and the icons and manifest made by newsroom/icons.py.

One portal is built with the real command line and its pages are parsed; layout that only CSS
decides (one menu row, dropdowns by keyboard, the phone menu) is checked in Chromium by
test_theme_browser.py.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sitekit import article, build_ok, page, run_cli_in_process, write_site

from newsroom.config import load_config
from newsroom.errors import ContentError
from newsroom.icons import ICON_FILES, make_icons, manifest, short_name

CATEGORIES = ["Tin tức - Sự kiện", "Đảng, đoàn thể", "Nông thôn mới", "Thông báo"]
BYLINE = "**Thanh Hồng** - Trung tâm Văn hóa - TT&TT"
PUBLISHER = {
    "name": "Ủy ban nhân dân huyện Thử Nghiệm",
    "governing_body": "UBND huyện Thử Nghiệm, thành phố Hà Nội",
    "responsible": "Nguyễn Văn A, Chánh Văn phòng",
    "licence": "Giấy phép số 12/GP-TTĐT ngày 01/01/2024",
    "address": "Số 1 đường Ngọc Hồi, thị trấn Văn Điển",
    "phone": "024 3861 2345",
    "email": "vanphong@thunghiem.example",
}
MENU = [
    {"category": "Tin tức - Sự kiện"},
    {
        "name": "Giới thiệu",
        "page": "gioi-thieu/index.md",
        "children": [{"page": "gioi-thieu/lich-su.md"}, {"page": "gioi-thieu/dia-ly.md"}],
    },
    {
        "name": "Chính quyền",
        "category": "Đảng, đoàn thể",
        "children": [{"category": "Đảng, đoàn thể"}, {"category": "Nông thôn mới"}],
    },
    {"name": "Văn bản", "url": "van-ban/"},
    {"name": "Dịch vụ công", "url": "https://dichvucong.gov.vn/"},
    {"name": "Liên hệ", "page": "lien-he.md"},
]


def info_page(title: str, body: str = "", **fields) -> str:
    head = [f'title: "{title}"', *(f"{k}: {v}" for k, v in fields.items())]
    return "---\n" + "\n".join(head) + "\n---\n\n" + (body or f"Nội dung trang {title}.") + "\n"


def portal_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        f"2024/tin-{n}.md": article(f"Tin số {n}", "Tin tức - Sự kiện", f"2024-05-0{n} 08:00", featured=n == 5)
        for n in range(1, 6)
    }
    files["2020/tap-huan.md"] = article(
        "Khai mạc lớp tập huấn về công tác Dân vận",
        "Đảng, đoàn thể",
        "2020-10-15 13:50",
        f"**Ngày 15/10/2020, lớp tập huấn khai mạc.**\n\nNội dung lớp học.\n\n{BYLINE}",
        source_unit="Trung tâm Văn hóa - TT&TT",
    )
    files["2023/ntm-cu.md"] = article("Xã đạt chuẩn nông thôn mới", "Nông thôn mới", "2023-01-10 08:00")
    files["2023/ntm-moi.md"] = article("Xã đạt chuẩn nông thôn mới nâng cao", "Nông thôn mới", "2023-06-10 08:00")
    doc = '\ndocument:\n  number: "45/KH-UBND"\n  issued: 2024-03-15\n  issuer: "UBND huyện"\n  file: "files/kh.pdf"'
    files["2024/ke-hoach.md"] = article("Kế hoạch chuyển đổi số", "Thông báo", "2024-03-16 08:00").replace(
        "\n---\n\n", doc + "\n---\n\n", 1
    )
    files["2024/files/kh.pdf"] = b"%PDF-1.4\n" + b"x" * 3000
    files["pages/gioi-thieu/index.md"] = info_page("Giới thiệu", "Huyện Thử Nghiệm.")
    files["pages/gioi-thieu/lich-su.md"] = info_page("Lịch sử hình thành", order=1)
    files["pages/gioi-thieu/dia-ly.md"] = info_page("Vị trí địa lý", order=2)
    files["pages/lien-he.md"] = info_page("Liên hệ")
    return files


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    """The portal built by ``python build.py build``, as an editor would: its output folder."""
    root = tmp_path_factory.mktemp("theme")
    site = write_site(root / "site", portal_files(), categories=CATEGORIES, per_page=2, menu=MENU, publisher=PUBLISHER)
    out = root / "out"
    result = run_cli_in_process("build", "--site", str(site), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


def nav(doc):
    return doc.find("nav", class_="main-nav")


def crumbs(doc) -> list[str]:
    return [li.text for li in doc.find("nav", class_="breadcrumbs").find_all("li")]


def head_links(doc) -> dict[str, str]:
    return {link.attrs["rel"]: link.attrs["href"] for link in doc.find_all("link") if "rel" in link.attrs}


def ld_json(doc) -> dict:
    script = doc.find("script", type="application/ld+json")
    return json.loads(script.text)


# --- the main menu ---------------------------------------------------------------------------------


def test_the_menu_has_dropdown_lists_a_phone_toggle_and_marks_where_the_reader_is(portal):
    doc = page(portal, "gioi-thieu/lich-su/")
    menu = nav(doc)
    toggle = menu.find("input", id="nav-toggle")
    assert toggle.attrs["type"] == "checkbox"
    assert menu.find("label", class_="nav-button").attrs["for"] == "nav-toggle"
    top = [li for li in menu.find("ul", class_="nav-list").children if getattr(li, "tag", "") == "li"]
    assert [li.find("a").text for li in top] == [
        "Trang chủ",
        "Tin tức - Sự kiện",
        "Giới thiệu",
        "Chính quyền",
        "Văn bản",
        "Dịch vụ công",
        "Liên hệ",
    ]
    dropdowns = {
        li.find("a").text: [a.text for a in li.find("ul", class_="sub-menu").find_all("a")]
        for li in top[1:]
        if li.find("ul")
    }
    assert dropdowns == {
        "Giới thiệu": ["Lịch sử hình thành", "Vị trí địa lý"],
        "Chính quyền": ["Đảng, đoàn thể", "Nông thôn mới"],
    }
    current = {a.text: a.attrs["aria-current"] for a in menu.find_all("a") if "aria-current" in a.attrs}
    assert current == {"Giới thiệu": "true", "Lịch sử hình thành": "page"}  # the page itself, and its section
    assert "in-section" in top[2].attrs["class"].split()
    external = menu.find("a", href="https://dichvucong.gov.vn/")
    assert external.attrs["rel"] == "noopener"


def test_an_article_marks_its_category_in_the_menu_and_its_group(portal):
    menu = nav(page(portal, "2023/06/ntm-moi/"))
    current = {a.text: a.attrs["aria-current"] for a in menu.find_all("a") if "aria-current" in a.attrs}
    assert current == {"Nông thôn mới": "true"}  # its category: not the page itself
    group = next(li for li in menu.find_all("li", class_="has-sub") if li.find("a").text == "Chính quyền")
    assert "in-section" in group.attrs["class"].split()
    home = nav(page(portal, ""))
    assert [a.text for a in home.find_all("a") if a.attrs.get("aria-current") == "page"] == ["Trang chủ"]


def test_without_a_menu_the_categories_overflow_into_a_dropdown_button(tmp_path):
    names = [f"Chuyên mục số {i}" for i in range(1, 11)]
    out = build_ok(write_site(tmp_path / "site", {"2024/a.md": article("Tin", names[0])}, categories=names))
    menu = nav(page(out, ""))
    more = menu.find("li", class_="has-sub")
    assert more.find("button", class_="sub-button").text == "Chuyên mục khác"
    inside = [a.text for a in more.find("ul", class_="sub-menu").find_all("a")]
    assert inside and [a.text for a in menu.find_all("a")] == ["Trang chủ", *names, "Lưu trữ"]  # in order
    assert menu.find("input", id="nav-toggle") is not None


# --- footer, JSON-LD, icons in <head> -------------------------------------------------------------


def test_the_footer_shows_the_publisher_with_phone_and_email_links(portal):
    footer = page(portal, "lien-he/").find("footer", class_="site-footer")
    lines = [p.text for p in footer.find_all("p")]
    assert f"Cơ quan chủ quản: {PUBLISHER['governing_body']}" in lines
    assert f"Chịu trách nhiệm chính: {PUBLISHER['responsible']}" in lines
    assert f"Giấy phép: {PUBLISHER['licence']}" in lines
    assert f"Địa chỉ: {PUBLISHER['address']}" in lines
    assert footer.find("a", class_="footer-phone").attrs["href"] == "tel:02438612345"
    assert footer.find("a", class_="footer-email").attrs["href"] == f"mailto:{PUBLISHER['email']}"
    assert PUBLISHER["name"] in footer.find("p", class_="footer-bottom").text


def test_the_footer_shows_only_the_publisher_fields_given(tmp_path):
    site = write_site(
        tmp_path / "site",
        {"2024/a.md": article("Tin")},
        description="Tin tức huyện.",
        publisher={"phone": "024 111 222; 0912 345 678"},
    )
    footer = page(build_ok(site), "").find("footer", class_="site-footer")
    text = footer.text
    assert "Cơ quan chủ quản" not in text and "Giấy phép" not in text and "Email" not in text
    assert [a.attrs["href"] for a in footer.find_all("a", class_="footer-phone")] == ["tel:024111222", "tel:0912345678"]
    # No publisher name: the notice names the site itself, and asks republishers to credit it.
    notice = footer.find("p", class_="footer-bottom").text
    assert (
        notice.startswith("© Cổng thông tin huyện Thử Nghiệm")
        and "Ghi rõ nguồn “Cổng thông tin huyện Thử Nghiệm”" in notice
    )
    bare = page(build_ok(write_site(tmp_path / "bare", {"2024/a.md": article("Tin")}, description="Tin huyện.")), "")
    assert "Tin huyện." in bare.find("footer").text  # without a publisher, the site's description


def test_the_json_ld_publisher_is_the_configured_organisation(portal, tmp_path):
    ld = ld_json(page(portal, "2024/05/tin-1/"))
    assert ld["publisher"]["name"] == PUBLISHER["name"]
    assert ld["publisher"]["logo"]["url"] == "https://example.test/icon-512.png"  # the icon made for the site
    (tmp_path / "site" / "static").mkdir(parents=True)
    Image.new("RGB", (64, 64), "navy").save(tmp_path / "site" / "static" / "logo.png")
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin")}, publisher={"logo": "logo.png"})
    out = build_ok(site)
    ld = ld_json(page(out, "2024/05/a/"))
    assert ld["publisher"] == {
        "@type": "Organization",
        "name": "Cổng thông tin huyện Thử Nghiệm",  # no name: the site's title
        "url": "https://example.test/",
        "logo": {"@type": "ImageObject", "url": "https://example.test/logo.png"},
    }
    logo = page(out, "").find("img", class_="brand-logo")
    assert logo.attrs["src"].startswith("/logo.png?v=") and logo.attrs["width"] == logo.attrs["height"] == "56"


def test_every_page_links_the_favicon_touch_icon_and_manifest_under_the_base_path(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin")}, base_url="https://example.test/tin-tuc/")
    for url in ("", "2024/05/a/", "404.html"):
        links = head_links(page(build_ok(site), url))
        assert links["icon"] == "/tin-tuc/favicon.ico"
        assert links["apple-touch-icon"] == "/tin-tuc/apple-touch-icon.png"
        assert links["manifest"] == "/tin-tuc/site.webmanifest"


# --- articles: sharing, print, byline, breadcrumbs -------------------------------------------------


def test_share_links_carry_the_encoded_article_address(portal):
    doc = page(portal, "2024/05/tin-3/")
    share = doc.find("div", class_="share")
    address = "https://example.test/2024/05/tin-3/"
    facebook = urlsplit(share.find("a", class_="share-facebook").attrs["href"])
    assert (facebook.scheme, facebook.netloc, facebook.path) == ("https", "www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query) == {"u": [address]}
    assert "%2F" in facebook.query and "/" not in facebook.query  # fully encoded, not only the ':'
    zalo = urlsplit(share.find("a", class_="share-zalo").attrs["href"])
    assert zalo.netloc == "sp.zalo.me" and parse_qs(zalo.query) == {"url": [address]}
    copy = share.find("button", class_="share-copy")
    assert "hidden" in copy.attrs and copy.attrs["data-url"] == address  # shown by the script only
    assert doc.find("p", class_="print-url").text.endswith(address)


def test_the_print_stylesheet_hides_navigation_and_shows_the_address(portal):
    css = (portal / "css" / "site.css").read_text(encoding="utf-8")
    start = css.index("@media print")
    block = css[start : css.index("\n}\n", start)]
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none\s*!important;?\s*\}", block)
    assert hidden, "the print block hides the page's furniture with one rule"
    for selector in (".main-nav", ".header-search", ".share", ".footer-nav", ".related", ".breadcrumbs"):
        assert selector in hidden[1].split(", ") or selector in [s.strip() for s in hidden[1].split(",")]
    assert re.search(r"\.print-only\s*\{\s*display:\s*block", block)


def test_an_imported_byline_is_shown_once(portal):
    doc = page(portal, "2020/10/tap-huan/")
    main = doc.find("main").text
    assert main.count("Trung tâm Văn hóa - TT&TT") == 1
    assert [p.text for p in doc.find("div", class_="article-body").find_all("p")][-1] == "Nội dung lớp học."
    byline = doc.find("p", class_="byline")
    assert byline.text == "Thanh Hồng - Trung tâm Văn hóa - TT&TT"
    assert byline.find("a", class_="author").attrs["href"] == "/tac-gia/thanh-hong/"


def test_a_last_paragraph_that_is_not_the_byline_stays(tmp_path):
    body = "Nội dung.\n\n**Thanh Hồng** - Trung tâm khác"
    out = build_ok(write_site(tmp_path / "site", {"2024/a.md": article("Tin", body=body, source_unit="Đơn vị A")}))
    paragraphs = [p.text for p in page(out, "2024/05/a/").find("div", class_="article-body").find_all("p")]
    assert paragraphs == ["Nội dung.", "Thanh Hồng - Trung tâm khác"]


def test_an_article_trail_ends_at_its_category_as_a_link(portal):
    trail = page(portal, "2024/05/tin-1/").find("nav", class_="breadcrumbs")
    assert [li.text for li in trail.find_all("li")] == ["Trang chủ", "Tin tức - Sự kiện"]
    assert trail.find("span", aria_current="page") is None
    assert trail.find_all("a")[-1].attrs["href"] == "/chuyen-muc/tin-tuc-su-kien/"


# --- lists: counts, page numbers, breadcrumbs --------------------------------------------------------


def test_a_list_says_its_total_and_page_two_is_in_the_breadcrumbs_once(portal):
    first = page(portal, "chuyen-muc/tin-tuc-su-kien/")
    second = page(portal, "chuyen-muc/tin-tuc-su-kien/trang/2/")
    for doc in (first, second):
        assert doc.find("p", class_="list-count").text == "5 bài viết"
    assert crumbs(first) == ["Trang chủ", "Tin tức - Sự kiện"]
    assert crumbs(second) == ["Trang chủ", "Tin tức - Sự kiện", "Trang 2"]
    trail = second.find("nav", class_="breadcrumbs")
    assert trail.find("a", href="/chuyen-muc/tin-tuc-su-kien/").text == "Tin tức - Sự kiện"
    assert trail.find("span", aria_current="page").text == "Trang 2"
    assert second.find("title").text.startswith("Tin tức - Sự kiện - Trang 2 |")
    main = second.find("main").text
    assert main.count("Trang 2/3") == 1 and "trên trang này" not in main


def test_the_archive_index_and_term_indexes_have_breadcrumbs(portal):
    assert crumbs(page(portal, "luu-tru/")) == ["Trang chủ", "Lưu trữ"]
    assert crumbs(page(portal, "tac-gia/")) == ["Trang chủ", "Tác giả"]
    assert crumbs(page(portal, "2024/")) == ["Trang chủ", "Lưu trữ", "Năm 2024"]


# --- pages and documents ---------------------------------------------------------------------------


def test_an_info_page_lists_its_sub_pages_in_order(portal):
    doc = page(portal, "gioi-thieu/")
    assert doc.find("h1").text == "Giới thiệu"
    links = doc.find("nav", class_="sub-pages").find_all("a")
    assert [(a.text, a.attrs["href"]) for a in links] == [
        ("Lịch sử hình thành", "/gioi-thieu/lich-su/"),
        ("Vị trí địa lý", "/gioi-thieu/dia-ly/"),
    ]
    assert page(portal, "lien-he/").find("nav", class_="sub-pages") is None
    assert crumbs(page(portal, "gioi-thieu/lich-su/")) == ["Trang chủ", "Giới thiệu", "Lịch sử hình thành"]


def test_document_rows_label_their_cells_for_phones(portal):
    doc = page(portal, "van-ban/")
    rows = doc.find("table", class_="doc-table").find("tbody").find_all("tr")
    assert len(rows) == 1
    cells = rows[0].find_all("td")
    assert [td.attrs["data-label"] for td in cells] == [
        "Số ký hiệu",
        "Ngày ban hành",
        "Trích yếu",
        "Cơ quan ban hành",
        "Tải về",
    ]
    assert [td.text for td in cells] == [
        "45/KH-UBND",
        "15/03/2024",
        "Kế hoạch chuyển đổi số",
        "UBND huyện",
        "PDF, 3 KB",
    ]
    assert cells[4].find("a").attrs["href"] == "/2024/files/kh.pdf"
    assert doc.find("p", class_="list-count").text == "1 văn bản"
    chips = doc.find("nav", class_="doc-filters").find_all("a", class_="chip")
    assert [(a.text, a.attrs.get("aria-current")) for a in chips] == [
        ("Tất cả 1", "page"),
        ("2024 1", None),
        ("UBND huyện 1", None),
    ]
    assert "hidden" in doc.find("p", class_="quick-filter").attrs  # without JavaScript there is nothing to type in


def test_the_featured_block_leads_with_a_large_card(portal):
    home = page(portal, "")
    featured = home.find("section", class_="featured")
    lead = featured.find("div", class_="featured-lead").find("article")
    assert "card-lead" in lead.attrs["class"].split()
    assert lead.find("h3").text == "Tin số 5"


# --- icons and manifest (newsroom/icons.py) ------------------------------------------------------------


def _opened(path: Path) -> Image.Image:
    image = Image.open(io.BytesIO(path.read_bytes()))
    image.load()
    return image


def test_without_a_logo_the_icons_are_the_star_emblem(tmp_path):
    made = make_icons(None, "Cổng thông tin huyện", tmp_path / "cache")
    assert set(made) == set(ICON_FILES)
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        image = _opened(made[name])
        assert (image.format, image.size) == ("PNG", (size, size))
    big = _opened(made["icon-512.png"]).convert("RGB")
    assert big.getpixel((4, 4)) == (0xB0, 0x12, 0x1B)  # red corner
    red, green, blue = big.getpixel((256, 270))
    assert red > 240 and green > 200 and blue < 40  # yellow star in the middle
    ico = Image.open(made["favicon.ico"])
    assert ico.format == "ICO" and set(ico.info["sizes"]) == {(16, 16), (32, 32), (48, 48)}


def test_a_wide_transparent_logo_is_centred_on_white_and_never_cut(tmp_path):
    logo = tmp_path / "logo.png"
    wide = Image.new("RGBA", (400, 100), (0, 0, 0, 0))
    wide.paste((0, 0, 160, 255), (0, 0, 400, 100))
    wide.save(logo)
    made = make_icons(logo, "Huyện", tmp_path / "cache")
    square = _opened(made["icon-512.png"]).convert("RGB")
    assert square.getpixel((5, 256)) == (255, 255, 255)  # the margin
    assert square.getpixel((256, 5)) == (255, 255, 255)  # white above the wide logo, not stretched
    assert square.getpixel((256, 256)) == (0, 0, 160)
    assert square.getpixel((50, 256)) == (0, 0, 160)  # the logo's ends are inside the square
    assert square.getpixel((462, 256)) == (0, 0, 160)


def test_icons_are_cached_by_the_logo_bytes(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), "navy").save(logo)
    cache = tmp_path / "cache"
    first = make_icons(logo, "Huyện", cache)
    stamps = {name: path.stat().st_mtime_ns for name, path in first.items()}
    again = make_icons(logo, "Huyện", cache)
    assert again == first and {n: p.stat().st_mtime_ns for n, p in again.items()} == stamps
    Image.new("RGB", (64, 64), "green").save(logo)
    changed = make_icons(logo, "Huyện", cache)
    assert changed["icon-192.png"] != first["icon-192.png"]
    assert _opened(changed["icon-192.png"]).convert("RGB").getpixel((96, 96)) == (0, 128, 0)
    first["favicon.ico"].unlink()  # a damaged cache entry is made again
    Image.new("RGB", (64, 64), "navy").save(logo)
    assert make_icons(logo, "Huyện", cache)["favicon.ico"].is_file()
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.png", b"not a picture", "not a picture newsroom can read"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "logo"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
        ("missing.png", None, "is not there"),
    ],
)
def test_a_logo_that_cannot_be_used_is_an_error_at_its_file(tmp_path, name, data, message):
    logo = tmp_path / "static" / name
    if data is not None:
        logo.parent.mkdir(parents=True)
        logo.write_bytes(data)
    with pytest.raises(ContentError) as caught:
        make_icons(logo, "Huyện", tmp_path / "cache")
    assert caught.value.path == str(logo) and message in caught.value.message and caught.value.hint


def test_a_cache_folder_that_cannot_be_written_is_an_error_naming_it(tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be")
    with pytest.raises(ContentError) as caught:
        make_icons(None, "Huyện", cache)
    assert caught.value.path == str(cache) and "cannot be saved" in caught.value.message


def test_the_manifest_names_the_site_its_icons_and_start_under_the_base_path(tmp_path):
    site = write_site(
        tmp_path / "site",
        {},
        title="Cổng thông tin điện tử huyện Thanh Trì",
        base_url="https://example.test/tin-tuc/",
        description="Tin tức huyện.",
    )
    data = json.loads(manifest(load_config(site)))
    assert data["name"] == "Cổng thông tin điện tử huyện Thanh Trì"
    assert data["short_name"] == "Thanh Trì"
    assert data["start_url"] == data["scope"] == "/tin-tuc/"
    assert data["display"] == "standalone" and data["theme_color"] == "#b0121b" and data["lang"] == "vi"
    assert [(i["src"], i["sizes"]) for i in data["icons"]] == [
        ("/tin-tuc/icon-192.png", "192x192"),
        ("/tin-tuc/icon-512.png", "512x512"),
    ]


def test_a_short_title_is_its_own_short_name():
    assert short_name("Tin Thanh Trì") == "Tin Thanh Trì"
    assert short_name("Cổng thông tin điện tử Thành phố Hồ Chí Minh") == "Hồ Chí Minh"
    assert short_name("Trang thông tin của một cơ quan rất dài") == "Trang thông tin của một cơ quan rất dài"


def test_only_templates_that_show_bodies_have_them_put_in(tmp_path):
    """The build puts article bodies into the pages whose templates show them (``BodyReaders``): in the
    default theme the article, page and feed templates, never the listings."""
    from newsroom.render import BodyReaders, find_theme, make_environment

    config = load_config(write_site(tmp_path / "site", {}))
    readers = BodyReaders(make_environment(config, find_theme(config), {}, {"menu": ()}))
    shown = {name for name in ("article.html", "page.html", "rss.xml", "atom.xml") if readers(name)}
    hidden = {name for name in ("home.html", "list.html", "archive.html", "terms.html", "search.html") if readers(name)}
    assert shown == {"article.html", "page.html", "rss.xml", "atom.xml"} and not hidden


@pytest.mark.parametrize(
    "text, shows",
    [
        ('{{ article["body" ~ "_html"] }}', True),
        ('{{ article | attr("body_" ~ "html") }}', True),
        ("{{ pager.items | map(attribute=field) | join }}", True),
        ("{{ pager.items[1:] | length }} {{ article['title'] }} {{ article.title }}", False),
    ],
    ids=["a computed key", "attr with a computed name", "map with a variable", "slices and fixed names"],
)
def test_a_template_that_looks_fields_up_by_a_computed_name_counts_as_showing_bodies(tmp_path, text, shows):
    """The name may be ``body_html`` without the text saying so: such a template gets the bodies."""
    from newsroom.render import BodyReaders, find_theme, make_environment

    site = write_site(tmp_path / "site", {})
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "list.html").write_text('{% extends "base.html" %}{% block main %}' + text + "{% endblock %}")
    config = load_config(site)
    readers = BodyReaders(make_environment(config, find_theme(config), {}, {"menu": ()}))
    assert readers("list.html") == shows


def test_a_theme_listing_that_shows_bodies_through_an_include_gets_them(tmp_path, monkeypatch):
    """A site's own list.html includes a partial that prints each article's body: its category page shows
    every body. One page per rendering round, so no other page's template can have put them in."""
    monkeypatch.setattr(importlib.import_module("newsroom.build"), "RENDER_CHUNK", 1)  # the package exports build()
    articles = {
        f"2024/bai-{i:02d}.md": article(
            f"Tin số {i}", "Thông báo", f"2024-05-{1 + i:02d} 08:00", f"Nội dung riêng {i}."
        )
        for i in range(6)
    }
    site = write_site(tmp_path / "site", articles)
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "list.html").write_text(
        '{% extends "base.html" %}{% block main %}{% for article in pager.items %}'
        '{% include "full-body.html" %}{% endfor %}{% endblock %}',
        encoding="utf-8",
    )
    (templates / "full-body.html").write_text(
        '<div class="full">{{ article.body_html | safe }}</div>', encoding="utf-8"
    )
    out = build_ok(site)
    [category] = [p for p in out.rglob("index.html") if "/thong-bao/" in p.as_posix() and "/trang/" not in p.as_posix()]
    html = category.read_text(encoding="utf-8")
    assert all(f"Nội dung riêng {i}" in html for i in range(6)), "a body is missing from the listing"
    assert "Nội dung riêng 2" in (out / "2024/05/bai-02/index.html").read_text(encoding="utf-8")


def test_a_site_rendered_in_workers_ignores_a_broken_template_it_never_uses_and_names_one_it_uses(tmp_path):
    """Before forking its render workers, a build compiles every template of the theme once (each worker would
    compile them again). A broken template no page uses (a syntax error, bytes that are not UTF-8) must not fail
    that build; a broken one that pages use is still reported with its file and line."""
    from sitekit import run_cli

    articles = {
        f"2024/bai-{i:03d}.md": article(f"Bài số {i}", date=f"2024-05-{1 + i % 28:02d} 08:00") for i in range(320)
    }
    site = write_site(tmp_path / "site", articles)
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "nhap.html").write_text("<p>{% if %}</p>\n", encoding="utf-8")
    (templates / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    done = run_cli("build", "--site", str(site))
    assert done.returncode == 0, done.stderr
    assert len(list((site / "output/2024").rglob("index.html"))) > 320  # the articles, their month and lists
    builtin = (importlib.import_module("newsroom.render").BUILTIN_THEMES / "default/templates/article.html").read_text(
        encoding="utf-8"
    )
    (templates / "article.html").write_text(
        builtin.replace("{% block main %}", "{% block main %}\n{% if %}", 1), "utf-8"
    )
    failed = run_cli("build", "--site", str(site))
    assert failed.returncode == 1
    assert re.search(r"themes/default/templates/article\.html:\d+", failed.stderr), failed.stderr
