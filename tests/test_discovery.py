"""Feeds, sitemap, robots.txt and sharing metadata: valid, complete and escaped, whatever articles hold."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from sitekit import article, build_ok, page, resolve, write_site

from newsroom.discovery import sitemap_pages
from newsroom.model import Page

NASTY_TITLE = 'Tin "nóng" & <b>đậm</b> </script><script>alert(1)</script> ]]> \x01\x0b ký tự lạ 😀'
NASTY_BODY = "Đoạn có & và < và > và \x0c ký tự điều khiển \x1b[31m và ]]> và <![CDATA[ x ]]>.\n\n" + "Đảng " * 200
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site with hostile titles and bodies, built once: every test here only reads it."""
    files = {
        "2024/nguy-hiem.md": article(
            NASTY_TITLE.replace("\x01", "").replace("\x0b", ""),
            "Thông báo",
            "2024-06-01 09:30",
            NASTY_BODY,
            summary="Tóm tắt có \x01 ký tự cấm & dấu < lớn",
            author='Thu "Hà" <x>',
            updated="2024-06-03 10:00",
            image="https://anh.example/hinh.jpg",
        ),
        "2024/binh-thuong.md": article(
            "Tin bình thường", "Đảng, đoàn thể", "2024-05-01 08:00", "Nội dung.", source_unit="Ban Dân vận Huyện ủy"
        ),
        "2023/cu.md": article(
            "Tin cũ", "Đảng, đoàn thể", "2023-01-02 07:05", "Cũ.", source_unit="Ban Dân vận Huyện ủy"
        ),
        "2024/nhap.md": article("Bản nháp", "Thông báo", "2024-06-02 08:00", draft=True),
    }
    # A JSON string is a YAML double-quoted scalar: its escapes put real control characters in the title.
    text = files["2024/nguy-hiem.md"]
    title_line = text.split("\n")[1]
    files["2024/nguy-hiem.md"] = text.replace(title_line, "title: " + json.dumps(NASTY_TITLE, ensure_ascii=False), 1)
    root = tmp_path_factory.mktemp("discovery")
    site = write_site(root / "s", files, base_url="https://example.test/tin-tuc/", feed_full_content=True)
    return build_ok(site)


FEEDS = [
    "feed.xml",
    "rss.xml",
    "chuyen-muc/dang-doan-the/feed.xml",
    "chuyen-muc/dang-doan-the/rss.xml",
    "don-vi/ban-dan-van-huyen-uy/feed.xml",
]


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_are_well_formed_and_parse_without_bozo(built, feed):
    data = (built / feed).read_bytes()
    ET.fromstring(data)  # raises on any XML error
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    for entry in parsed.entries:
        link = entry.link
        assert link.startswith("https://example.test/tin-tuc/")
        assert resolve(built, link.removeprefix("https://example.test"), "/tin-tuc/").is_file()


def test_site_feed_entries_order_dates_and_fields(built):
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    titles = [e.title for e in parsed.entries]
    assert titles[1:] == ["Tin bình thường", "Tin cũ"]
    assert titles[0].startswith('Tin "nóng" & <b>đậm</b> </script>')
    assert "Bản nháp" not in titles
    first = parsed.entries[0]
    root = ET.fromstring((built / "feed.xml").read_bytes())
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2024-06-01T09:30:00+07:00"
    assert entry.findtext(f"{ATOM}updated") == "2024-06-03T10:00:00+07:00"
    assert first.author == 'Thu "Hà" <x>'
    assert first.tags[0].label == "Thông báo"
    assert first.summary.startswith("Tóm tắt có")
    assert "ký tự điều khiển" in first.content[0].value
    rss = ET.fromstring((built / "rss.xml").read_bytes())
    assert rss.find("channel/item/pubDate").text == "Sat, 01 Jun 2024 09:30:00 +0700"


def test_category_and_unit_feeds_hold_only_their_articles(built):
    category = feedparser.parse((built / "chuyen-muc/dang-doan-the/feed.xml").read_bytes())
    assert [e.title for e in category.entries] == ["Tin bình thường", "Tin cũ"]
    unit = feedparser.parse((built / "don-vi/ban-dan-van-huyen-uy/rss.xml").read_bytes())
    assert [e.title for e in unit.entries] == ["Tin bình thường", "Tin cũ"]


def test_feed_full_content_links_are_absolute(tmp_path):
    files = {
        "2024/a.md": article("A", date="2024-01-01 08:00", body="[B](b.md)"),
        "2024/b.md": article("B", date="2024-01-02 08:00"),
    }
    out = build_ok(write_site(tmp_path / "s", files, base_url="https://example.test/sub/", feed_full_content=True))
    entry = next(e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries if e.title == "A")
    assert 'href="https://example.test/sub/2024/01/b/"' in entry.content[0].value


def test_pages_link_their_feeds(built):
    home_feeds = [link.attrs["href"] for link in page(built, "").find_all("link", rel="alternate")]
    assert home_feeds == ["/tin-tuc/feed.xml", "/tin-tuc/rss.xml"]
    category = [
        link.attrs["href"] for link in page(built, "chuyen-muc/dang-doan-the/").find_all("link", rel="alternate")
    ]
    assert "/tin-tuc/chuyen-muc/dang-doan-the/feed.xml" in category
    for href in category:
        assert resolve(built, href, "/tin-tuc/").is_file()


def test_sitemap_lists_exactly_the_published_pages(built):
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    expected = {
        "https://example.test/tin-tuc/" + p.relative_to(built).as_posix().removesuffix("index.html")
        for p in built.rglob("*.html")
        if p.name != "404.html" and p.parent.name != "tim-kiem"  # not content: the 404 and search pages
    }
    assert set(urls) == expected
    assert urls["https://example.test/tin-tuc/2024/06/nguy-hiem/"] == "2024-06-03T10:00:00+07:00"
    assert urls["https://example.test/tin-tuc/chuyen-muc/dang-doan-the/"] == "2024-05-01T08:00:00+07:00"
    assert not any("nhap" in u for u in urls)
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.test/tin-tuc/sitemap.xml" in robots


def test_sitemap_index_past_the_limit(tmp_path):
    from newsroom.config import Config

    config = Config(site_dir=Path("/x"), title="t", base_url="https://example.test/", categories=())
    when = datetime.fromisoformat("2024-01-01T00:00:00+07:00")
    pages = [Page(f"p{i}/", "list.html", {}, lastmod=when) for i in range(5)]
    planned = sitemap_pages(pages, config, limit=2)
    assert [p.url for p in planned] == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert planned[0].template == "sitemap-index.xml"
    assert [len(p.context["entries"]) for p in planned[1:]] == [2, 2, 1]


def test_article_head_metadata(built):
    doc = page(built, "2024/06/nguy-hiem/")
    head = doc.find("head")
    meta = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"]
        for m in head.find_all("meta")
        if "content" in m.attrs
    }
    url = "https://example.test/tin-tuc/2024/06/nguy-hiem/"
    assert head.find("link", rel="canonical").attrs["href"] == url
    title = doc.find("h1").text
    assert meta["og:title"] == meta["twitter:title"]
    assert meta["og:url"] == url and meta["og:type"] == "article"
    assert meta["og:image"] == "https://anh.example/hinh.jpg" and meta["twitter:card"] == "summary_large_image"
    assert meta["article:published_time"] == "2024-06-01T09:30:00+07:00"
    assert meta["article:section"] == "Thông báo"
    assert meta["description"].startswith("Tóm tắt có")
    scripts = head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads("".join(scripts[0].children))
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith('Tin "nóng" & <b>đậm</b> </script><script>alert(1)</script>')
    assert data["headline"] == title == " ".join(NASTY_TITLE.replace("\x01", "").replace("\x0b", "").split())
    assert data["datePublished"] == "2024-06-01T09:30:00+07:00" and data["dateModified"] == "2024-06-03T10:00:00+07:00"
    assert data["author"] == {"@type": "Person", "name": 'Thu "Hà" <x>'}
    assert data["publisher"]["name"] == "Cổng thông tin huyện Thử Nghiệm"
    # The theme's own scripts (copy link) may be there; none holds the editor's text.
    others = [s for s in doc.find_all("script") if s.attrs.get("type") != "application/ld+json"]
    assert all("alert(1)" not in s.text and "nóng" not in s.text for s in others)


def test_updated_is_shown_on_the_article_page(built):
    doc = page(built, "2024/06/nguy-hiem/")
    assert "Cập nhật 03/06/2024 | 10:00" in doc.find("p", class_="meta").text


def test_every_page_has_canonical_and_description(built):
    for path in built.rglob("*.html"):
        head = page(built, path.relative_to(built).as_posix()).find("head")
        assert head.find("link", rel="canonical"), path
        assert head.find("meta", name="description").attrs["content"], path
        assert head.find("meta", property="og:title"), path
