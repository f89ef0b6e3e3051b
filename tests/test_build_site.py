"""End-to-end: build small real sites and check every page kind through parsed HTML."""

from __future__ import annotations

import pytest
from sitekit import NOW, all_pages, article, build_ok, crawl, links, page, resolve, write_site

from newsroom import BuildFailed


@pytest.fixture
def site(tmp_path):
    articles = {
        "2024/khai-mac.md": article(
            "Khai mạc lớp tập huấn công tác Dân vận",
            "Đảng, đoàn thể",
            "2024-10-15 13:50",
            "**Ngày 15/10/2024, lớp tập huấn khai mạc.**\n\nXem thêm [bài nông thôn mới](../2023/nong-thon-moi.md).",
            source_unit="Trung tâm Văn hóa - TT&TT",
            tags=["Dân vận khéo", "Quy chế dân chủ"],
        ),
        "2024/hoi-nghi.md": article(
            "Hội nghị sơ kết 6 tháng",
            "Đảng, đoàn thể",
            "2024-07-01 08:00",
            tags=["Dân vận khéo"],
            author="Minh Anh",
            source_unit="Ban Dân vận Huyện ủy",
        ),
        "2024/thong-bao.md": article("Thông báo lịch tiếp công dân", "Thông báo", "2024-07-20 09:00"),
        "2023/nong-thon-moi.md": article(
            "Xã Tả Thanh Oai đạt chuẩn nông thôn mới nâng cao",
            "Nông thôn mới",
            "2023-12-05 10:00",
            tags=["Nông thôn mới"],
        ),
        "2022/dai-hoi.md": article("Đại hội Đảng bộ xã", "Đảng, đoàn thể", "2022-03-10 07:30", author="Đức Thắng"),
        "2024/nhap.md": article("Bài còn nháp", "Thông báo", "2024-08-01 08:00", draft=True),
        "2027/sap-dang.md": article("Bài hẹn giờ đăng", "Thông báo", "2027-01-01 08:00"),
    }
    return write_site(tmp_path / "site", articles, per_page=2)


def test_every_page_kind_exists_with_the_right_articles_in_order(site):
    out = build_ok(site)
    home = page(out, "")
    home_titles = [a.text for a in home.find_all("h3", class_="card-title")]
    assert home_titles[0] == "Khai mạc lớp tập huấn công tác Dân vận"  # newest first

    category = page(out, "chuyen-muc/dang-doan-the/")
    assert [h.text for h in category.find_all("h2", class_="card-title")] == [
        "Khai mạc lớp tập huấn công tác Dân vận",
        "Hội nghị sơ kết 6 tháng",
    ]
    second = page(out, "chuyen-muc/dang-doan-the/trang/2/")
    assert [h.text for h in second.find_all("h2", class_="card-title")] == ["Đại hội Đảng bộ xã"]
    assert second.find("nav", class_="pagination").find("a", rel="prev")

    year = page(out, "2024/")
    months = [li.text for li in year.find("nav", class_="month-index").find_all("li")]
    assert months == ["Tháng 10/2024 1 bài", "Tháng 7/2024 2 bài"]
    month = page(out, "2024/07/")
    assert [h.text for h in month.find_all("h2", class_="card-title")] == [
        "Thông báo lịch tiếp công dân",
        "Hội nghị sơ kết 6 tháng",
    ]
    archive = page(out, "luu-tru/")
    assert [h.find("a").text for h in archive.find_all("h2")] == ["Năm 2024", "Năm 2023", "Năm 2022"]

    tag = page(out, "the/dan-van-kheo/")
    assert len(tag.find_all("h2", class_="card-title")) == 2
    assert page(out, "tac-gia/minh-anh/").find("h1").text == "Tác giả: Minh Anh"
    assert page(out, "don-vi/ban-dan-van-huyen-uy/").find("h2", class_="card-title").text == "Hội nghị sơ kết 6 tháng"
    tags_index = [a.text for a in page(out, "the/").find("ul", class_="term-list").find_all("a")]
    assert tags_index == ["Dân vận khéo", "Nông thôn mới", "Quy chế dân chủ"]
    assert (out / "404.html").is_file()


def test_article_page_shows_what_the_portal_shows(site):
    out = build_ok(site)
    doc = page(out, "2024/10/khai-mac/")
    assert doc.find("html").attrs["lang"] == "vi"
    assert doc.find("h1").text == "Khai mạc lớp tập huấn công tác Dân vận"
    assert "Ngày đăng 15/10/2024 | 13:50" in doc.find("p", class_="meta").text
    assert doc.find("time").attrs["datetime"] == "2024-10-15T13:50:00+07:00"
    byline = doc.find("p", class_="byline")
    assert byline.find("a", class_="author").attrs["href"] == "/tac-gia/thanh-hong/"
    assert byline.find("a", class_="source-unit").text == "Trung tâm Văn hóa - TT&TT"
    assert [a.text for a in doc.find("div", class_="tags").find_all("a")] == ["Dân vận khéo", "Quy chế dân chủ"]
    nav = doc.find("nav", class_="prev-next")
    assert nav.find("a", class_="prev").attrs["href"] == "/2024/07/hoi-nghi/"
    assert nav.find("a", class_="next") is None
    body_link = doc.find("div", class_="article-body").find("a")
    assert body_link.attrs["href"] == "/2023/12/nong-thon-moi/"
    assert doc.find("aside", class_="related").find("a", href="/2024/07/hoi-nghi/")
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.find(landmark), landmark


def test_drafts_and_future_articles_are_left_out_unless_asked(site):
    out = build_ok(site)
    assert not (out / "2024/08/nhap").exists()
    assert not (out / "2027").exists()
    assert "Bài còn nháp" not in (out / "chuyen-muc/thong-bao/index.html").read_text(encoding="utf-8")
    out2 = build_ok(site, site.parent / "out2", drafts=True, future=True)
    assert (out2 / "2024/08/nhap/index.html").is_file()
    assert (out2 / "2027/01/sap-dang/index.html").is_file()
    assert page(out2, "2024/08/nhap/").find("span", class_="badge-draft")


@pytest.mark.parametrize(
    "base_url,base_path", [("https://example.test/", "/"), ("https://example.test/tin-tuc/", "/tin-tuc/")]
)
def test_every_internal_link_resolves_and_every_article_is_reachable(site, base_url, base_path):
    out = build_ok(site, base_url=base_url)
    for path in all_pages(out):
        doc = page(out, path.relative_to(out).as_posix())
        for url in links(doc):
            target = resolve(out, url, base_path)
            assert target is None or target.is_file(), f"{path.relative_to(out)} links to missing {url}"
    reached = crawl(out, base_path)
    for url in (
        "2024/10/khai-mac/",
        "2024/07/hoi-nghi/",
        "2024/07/thong-bao/",
        "2023/12/nong-thon-moi/",
        "2022/03/dai-hoi/",
    ):
        assert url + "index.html" in reached


def test_same_input_gives_byte_identical_output(site, tmp_path):
    a = build_ok(site, tmp_path / "a")
    b = build_ok(site, tmp_path / "b")
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_two_articles_on_one_url_stop_the_build_naming_both(tmp_path):
    site = write_site(
        tmp_path / "s",
        {
            "2024/a.md": article("Bài một", date="2024-05-01 08:00", slug="trung-ten"),
            "2024/b.md": article("Bài hai", date="2024-05-09 08:00", slug="trung-ten"),
        },
    )
    with pytest.raises(BuildFailed) as info:
        build_ok(site)
    text = info.value.render()
    assert "content/2024/a.md" in text and "content/2024/b.md" in text
    assert "same URL" in text
    assert not (site / "output").exists()


def test_site_theme_overrides_builtin_templates_file_by_file(site):
    override = site / "themes/default/templates/404.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lạc đường rồi</h1>{% endblock %}', encoding="utf-8"
    )
    out = build_ok(site)
    assert page(out, "404.html").find("h1").text == "Lạc đường rồi"
    assert page(out, "").find("h2", class_="section-title")  # other templates still built in


def test_custom_permalinks(site):
    config = (site / "config.yaml").read_text(encoding="utf-8")
    (site / "config.yaml").write_text(config + "permalinks:\n  article: 'bai-viet/{slug}/'\n", encoding="utf-8")
    out = build_ok(site)
    assert (out / "bai-viet/khai-mac/index.html").is_file()
    assert page(out, "bai-viet/khai-mac/").find("a", class_="prev").attrs["href"] == "/bai-viet/hoi-nghi/"


def test_clock_is_the_site_timezone(site):
    assert NOW.utcoffset().total_seconds() == 7 * 3600


def test_shipped_sample_site_is_complete_and_fully_linked(sample_built_under_sub_path):
    out = sample_built_under_sub_path  # built by the command line for /tin-tuc/, once per session (conftest)
    articles = sorted(p.relative_to(out).as_posix() for p in out.glob("20*/*/*/index.html"))
    assert len(articles) >= 30
    assert len({a.split("/")[0] for a in articles}) >= 3
    reached = crawl(out, "/tin-tuc/")
    assert set(articles) <= reached
    for path in all_pages(out):
        for url in links(page(out, path.relative_to(out).as_posix())):
            target = resolve(out, url, "/tin-tuc/")
            assert target is None or target.is_file(), f"{path.relative_to(out)} links to missing {url}"
    legacy = page(out, "2020/10/huyen-thanh-tri-khai-mac-lop-tap-huan-ve-cong-tac-dan-van/")
    assert legacy.find("h1").text == "Huyện Thanh Trì: Khai mạc lớp tập huấn về công tác Dân vận"
    assert "Ngày đăng 15/10/2020 | 13:50" in legacy.find("p", class_="meta").text
    assert legacy.find("p", class_="byline").text == "Thanh Hồng - Trung tâm Văn hóa - TT&TT"
    # Category blocks leave out stories shown above them, so a small section may have none left;
    # every section is still one click away, in the menu.
    categories = {s.find("a").text for s in page(out, "").find_all("section", class_="section-block")}
    assert len(categories) >= 8
    assert len([p for p in reached if p.startswith("chuyen-muc/") and p.count("/") == 2]) == 12
