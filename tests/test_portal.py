"""The portal's content kinds: pages, the menu, featured stories and the document register (issue 13)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sitekit import article, build_ok, crawl, page, write_site

from newsroom.cli import main

CATEGORIES = ["Tin tức - Sự kiện", "Thông báo"]


def page_text(title: str, body: str = "", **fields) -> str:
    head = [f'title: "{title}"', *(f"{k}: {v}" for k, v in fields.items())]
    return "---\n" + "\n".join(head) + "\n---\n\n" + (body or f"Nội dung trang {title}.") + "\n"


def portal(tmp_path, extra=None, **config):
    files = {
        "pages/gioi-thieu/index.md": page_text("Giới thiệu", "Huyện Thanh Trì. [Lịch sử](lich-su.md)"),
        "pages/gioi-thieu/lich-su.md": page_text("Lịch sử hình thành", order=2),
        "pages/gioi-thieu/dieu-kien-tu-nhien.md": page_text("Điều kiện tự nhiên", order=1),
        "pages/lien-he.md": page_text("Liên hệ", "Xem [tin mới](../2024/tin.md)."),
        "2024/tin.md": article(
            "Tin có liên kết", "Tin tức - Sự kiện", body="Xem [giới thiệu](../pages/gioi-thieu/index.md)."
        ),
        **(extra or {}),
    }
    return write_site(tmp_path / "site", files, **{"categories": CATEGORIES, **config})


@pytest.fixture(scope="module")
def portal_built(tmp_path_factory) -> Path:
    """The portal with the default menu, built once for the tests that only read it."""
    return build_ok(portal(tmp_path_factory.mktemp("portal")))


def test_pages_are_published_at_their_path_with_children_and_breadcrumbs(portal_built):
    out = portal_built
    intro = page(out, "gioi-thieu/")
    assert intro.find("h1").text == "Giới thiệu"
    children = [a.text for a in intro.find("nav", class_="sub-pages").find_all("a")]
    assert children == ["Điều kiện tự nhiên", "Lịch sử hình thành"]  # by order, then title
    history = page(out, "gioi-thieu/lich-su/")
    crumbs = [li.text for li in history.find("nav", class_="breadcrumbs").find_all("li")]
    assert crumbs == ["Trang chủ", "Giới thiệu", "Lịch sử hình thành"]
    # Links by .md path, both ways.
    assert any(a.attrs.get("href") == "/gioi-thieu/lich-su/" for a in intro.find_all("a"))
    assert any(a.attrs.get("href") == "/2024/05/tin/" for a in page(out, "lien-he/").find_all("a"))
    assert any(a.attrs.get("href") == "/gioi-thieu/" for a in page(out, "2024/05/tin/").find_all("a"))


def test_pages_are_in_the_sitemap_but_not_in_feeds_or_archives(portal_built):
    out = portal_built
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")]
    assert "https://example.test/gioi-thieu/lich-su/" in locs
    feed = (out / "feed.xml").read_text(encoding="utf-8") + (out / "rss.xml").read_text(encoding="utf-8")
    assert "Giới thiệu" not in feed and "Liên hệ" not in feed
    assert "Lịch sử hình thành" not in (out / "2024/index.html").read_text(encoding="utf-8")


def test_a_page_needs_no_date_or_category_and_warns_about_article_fields(tmp_path, capsys):
    site = portal(tmp_path, {"pages/sai.md": page_text("Trang", category='"Thông báo"')})
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "content/pages/sai.md:3: warning: unknown front-matter field 'category'" in err
    assert "pages (content/pages/) have no date, category or author" in err


@pytest.mark.parametrize(
    "path,clashes_with",
    [("pages/luu-tru.md", "archive"), ("pages/tim-kiem.md", "search"), ("pages/the.md", "terms")],
)
def test_a_page_on_a_generated_url_is_an_error_naming_it(tmp_path, capsys, path, clashes_with):
    site = portal(tmp_path, {path: page_text("Trùng")})
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"content/{path}:1: error:" in err and clashes_with in err, err


def test_two_pages_on_one_url_name_both_files(tmp_path, capsys):
    site = portal(tmp_path, {"pages/lien-he/index.md": page_text("Liên hệ 2")})
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/pages/lien-he.md" in err and "content/pages/lien-he/index.md" in err


def _nav(doc):
    return doc.find("nav", class_="main-nav")


def test_without_a_menu_the_categories_make_it(portal_built):
    out = portal_built
    labels = [a.text for a in _nav(page(out, "")).find_all("a")]
    assert labels == ["Trang chủ", "Tin tức - Sự kiện", "Thông báo", "Lưu trữ"]


def test_many_categories_keep_one_row_with_the_rest_in_a_dropdown(tmp_path):
    names = [f"Mục {i}" for i in range(1, 13)]
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", "Mục 1")}, categories=names)
    nav = _nav(page(build_ok(site), ""))
    top = [li for li in nav.find("ul", class_="nav-list").children if getattr(li, "tag", "") == "li"]
    assert len(top) <= 8
    more = nav.find("li", class_="has-sub")
    assert more.find("button").text == "Chuyên mục khác"
    assert [a.text for a in more.find_all("a")] == names[5:]


MENU = [
    {"name": "Giới thiệu", "page": "gioi-thieu/index.md", "children": [{"page": "gioi-thieu/lich-su.md"}]},
    {"category": "Tin tức - Sự kiện"},
    {"name": "Văn bản", "url": "van-ban/"},
    {"name": "Dịch vụ công", "url": "https://dichvucong.gov.vn/"},
    {"name": "Liên hệ", "page": "lien-he.md"},
]


def test_a_configured_menu_orders_pages_categories_and_links(tmp_path):
    out = build_ok(portal(tmp_path, menu=MENU))
    nav = _nav(page(out, "gioi-thieu/lich-su/"))
    links = [(a.text, a.attrs["href"]) for a in nav.find_all("a")]
    assert links == [
        ("Trang chủ", "/"),
        ("Giới thiệu", "/gioi-thieu/"),
        ("Lịch sử hình thành", "/gioi-thieu/lich-su/"),
        ("Tin tức - Sự kiện", "/chuyen-muc/tin-tuc-su-kien/"),
        ("Văn bản", "/van-ban/"),
        ("Dịch vụ công", "https://dichvucong.gov.vn/"),
        ("Liên hệ", "/lien-he/"),
    ]
    current = [a.text for a in nav.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert current == ["Lịch sử hình thành"]
    assert [a.text for a in nav.find_all("a") if a.attrs.get("aria-current") == "true"] == ["Giới thiệu"]
    assert nav.find("input", id="nav-toggle") is not None and nav.find("label", class_="nav-button") is not None
    assert crawl(out) >= {
        "gioi-thieu/index.html",
        "gioi-thieu/lich-su/index.html",
        "lien-he/index.html",
        "van-ban/index.html",
    }


def test_a_menu_page_that_does_not_exist_is_an_error_at_its_line(tmp_path, capsys):
    site = portal(tmp_path, menu=[{"name": "Lịch", "page": "lich-cong-tac.md"}])
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "config.yaml:" in err and "menu page 'lich-cong-tac.md' does not exist" in err


def test_featured_stories_lead_the_home_page_and_are_not_repeated(tmp_path):
    files = {
        f"2024/tin-{i}.md": article(
            f"Tin số {i}", CATEGORIES[i % 2], f"2024-05-{i + 1:02d} 08:00", featured=(i in (2, 5, 7)) or None
        )
        for i in range(10)
    }
    out = build_ok(write_site(tmp_path / "site", files, categories=CATEGORIES, home_featured=2, home_latest=3))
    home = page(out, "")
    featured = [h.text for h in home.find("section", class_="featured").find_all("h3")]
    assert featured == ["Tin số 7", "Tin số 5"]  # newest featured first, home_featured of them
    titles = [a.text for a in home.find("main").find_all("a") if a.attrs.get("href", "").startswith("/2024/")]
    shown = [t for t in titles if t.startswith("Tin số")]
    assert len(shown) == len(set(shown)), f"a story is repeated: {shown}"
    assert "Tin số 2" in shown  # an older featured story beyond home_featured still appears below


def _documents(tmp_path, n=4, **config):
    files, data = {}, {}
    issuers = ["UBND huyện Thanh Trì", "Huyện ủy Thanh Trì"]
    for i in range(n):
        doc = (
            f'\ndocument:\n  number: "{i + 10}/KH-UBND"\n  issued: 202{3 + i % 2}-0{1 + i}-15\n'
            f'  issuer: "{issuers[i % 2]}"\n  file: "files/vb-{i}.pdf"'
        )
        text = article(f"Kế hoạch số {i + 10}", "Thông báo", f"2024-0{1 + i}-16 08:00")
        files[f"2024/vb-{i}.md"] = text.replace("\n---\n\n", doc + "\n---\n\n", 1)
        data[f"2024/files/vb-{i}.pdf"] = b"%PDF-1.4\n" + b"x" * (1000 * (i + 1))
    site = write_site(tmp_path / "site", files, categories=CATEGORIES, **config)
    for rel, blob in data.items():
        (site / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / rel).write_bytes(blob)
    return site


def _rows(doc):
    return [
        [td.text for td in tr.find_all("td")]
        for tr in doc.find("table", class_="doc-table").find("tbody").find_all("tr")
    ]


def test_the_document_register_is_sorted_filtered_and_sized(tmp_path):
    out = build_ok(_documents(tmp_path))
    rows = _rows(page(out, "van-ban/"))
    assert [r[0] for r in rows] == ["13/KH-UBND", "11/KH-UBND", "12/KH-UBND", "10/KH-UBND"]  # newest issued first
    assert rows[0][1] == "15/04/2024" and rows[0][2] == "Kế hoạch số 13" and rows[0][3] == "Huyện ủy Thanh Trì"
    assert rows[0][4] == "PDF, 4 KB"
    assert (out / "2024/files/vb-3.pdf").read_bytes().startswith(b"%PDF")
    assert [r[0] for r in _rows(page(out, "van-ban/2023/"))] == ["12/KH-UBND", "10/KH-UBND"]
    assert [r[0] for r in _rows(page(out, "van-ban/huyen-uy-thanh-tri/"))] == ["13/KH-UBND", "11/KH-UBND"]
    filters = page(out, "van-ban/2023/").find("nav", class_="doc-filters")
    assert [a.attrs["href"] for a in filters.find_all("a") if a.attrs.get("aria-current")] == ["/van-ban/2023/"]


def test_the_document_register_is_paginated(tmp_path):
    out = build_ok(_documents(tmp_path, per_page=3))
    assert len(_rows(page(out, "van-ban/"))) == 3 and len(_rows(page(out, "van-ban/trang/2/"))) == 1


def test_a_missing_document_file_is_a_located_error(tmp_path, capsys):
    site = _documents(tmp_path, n=1)
    (site / "content/2024/files/vb-0.pdf").unlink()
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/vb-0.md:6: error: the document file 'files/vb-0.pdf' is not there" in err


@pytest.mark.parametrize(
    "document,message",
    [
        ('document: "45/KH-UBND"', "'document' must be a group of fields"),
        ('document:\n  number: "1/TB"\n  issued: 2024-01-01\n  issuer: "UBND"', "the document has no 'file'"),
        ('document:\n  numbr: "1"', "unknown document field 'numbr'"),
        ('document:\n  number: "1"\n  issued: 15/01/2024\n  issuer: "U"\n  file: "a.pdf"', "2024-01-15"),
        ('document:\n  number: "1"\n  issued: 2024-01-15\n  issuer: "U"\n  file: "a.exe"', "must be a PDF"),
    ],
)
def test_document_mistakes_are_located(tmp_path, capsys, document, message):
    text = article("Văn bản", "Thông báo").replace("\n---\n\n", "\n" + document + "\n---\n\n", 1)
    site = write_site(tmp_path / "site", {"2024/vb.md": text}, categories=CATEGORIES)
    assert main(["build", "--site", str(site)]) == 1
    assert message in capsys.readouterr().err


def test_a_menu_heading_without_a_page_only_opens_its_children(tmp_path):
    menu = [{"name": "Chuyên mục", "children": [{"category": "Thông báo"}, {"category": "Tin tức - Sự kiện"}]}]
    nav = _nav(page(build_ok(portal(tmp_path, menu=menu)), ""))
    group = nav.find("li", class_="has-sub")
    assert group.find("button") is not None and group.find("button").text == "Chuyên mục"
    assert [a.text for a in group.find_all("a")] == ["Thông báo", "Tin tức - Sự kiện"]


def test_a_menu_heading_needs_children(tmp_path, capsys):
    site = portal(tmp_path, menu=[{"name": "Chuyên mục"}])
    assert main(["build", "--site", str(site)]) == 1
    assert "a menu entry needs exactly one of" in capsys.readouterr().err


def test_a_document_article_shows_its_register_entry_and_download(tmp_path):
    out = build_ok(_documents(tmp_path, n=1))
    box = page(out, "2024/01/vb-0/").find("dl", class_="document-box")
    assert [dd.text for dd in box.find_all("dd")] == [
        "10/KH-UBND",
        "15/01/2023",
        "UBND huyện Thanh Trì",
        "Tải về (PDF, 1009 B)",
    ]
    assert box.find("a").attrs["href"] == "/2024/files/vb-0.pdf"
