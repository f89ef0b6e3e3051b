"""Names and dates as Vietnamese editors type them (issue 12, items 6, 7 and 8).

Composed and decomposed letters are one category; names that differ in one mark are different
people with stable, readable URLs of their own; and the day in an article's URL is the day the
page prints, in the site's time zone.
"""

from __future__ import annotations

import unicodedata

from sitekit import article, build_ok, page, write_site

from newsroom.cli import main

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731 - what Unikey's decomposed mode types


def test_a_category_typed_decomposed_matches_the_declared_one(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "2024/a.md": article("Tin một", NFD("Thông báo")),
            "2024/b.md": article("Tin hai", "Thông  báo"),  # two spaces
            "2024/c.md": article("Tin ba", "Nông thôn\u200b mới"),  # a zero-width space pasted in
        },
        categories=["Thông báo", NFD("Nông thôn mới")],
    )
    out = build_ok(site)
    listing = page(out, "chuyen-muc/thong-bao/")
    assert {"Tin một", "Tin hai"} <= {a.text for a in listing.find_all("a")}
    assert "Tin ba" in {a.text for a in page(out, "chuyen-muc/nong-thon-moi/").find_all("a")}


def test_a_look_alike_category_says_what_differs(tmp_path, capsys):
    site = write_site(
        tmp_path / "site",
        {"2024/a.md": article("Tin", "Tin tức \u2013 Sự kiện")},  # an en dash, from Word
        categories=["Tin tức - Sự kiện"],
    )
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/a.md:3: error: category 'Tin tức – Sự kiện' is not declared" in err
    assert "did you mean 'Tin tức - Sự kiện'?" in err
    assert "'–' (en dash) where config.yaml has '-' (hyphen-minus)" in err


def _people(tmp_path, articles):
    return write_site(tmp_path / "site", articles, categories=["Thông báo"])


def heading(out, url):
    """The name a term page is about (its heading reads "Tác giả: …" or "Chủ đề: …")."""
    return page(out, url).find("h1").text.split(": ", 1)[-1]


def _author_links(doc):
    return {a.text: a.attrs["href"] for a in doc.find_all("a") if "/tac-gia/" in a.attrs.get("href", "")}


def test_names_that_differ_only_in_diacritics_get_their_own_pages(tmp_path):
    site = _people(
        tmp_path,
        {
            "2024/a.md": article("Tin của anh Hùng", "Thông báo", "2024-05-01 08:00", author="Lê Văn Hùng"),
            "2024/b.md": article("Tin của anh Hưng", "Thông báo", "2024-06-01 08:00", author="Lê Văn Hưng"),
            "2024/c.md": article("Tin viết thường", "Thông báo", "2024-07-01 08:00", author="lê văn  hùng"),
        },
    )
    out = build_ok(site)
    assert heading(out, "tac-gia/le-van-hung/") == "Lê Văn Hùng"
    assert heading(out, "tac-gia/le-van-hung-2/") == "Lê Văn Hưng"
    hung = {a.text for a in page(out, "tac-gia/le-van-hung/").find_all("a")}
    assert {"Tin của anh Hùng", "Tin viết thường"} <= hung and "Tin của anh Hưng" not in hung
    assert _author_links(page(out, "2024/06/b/"))["Lê Văn Hưng"].endswith("/tac-gia/le-van-hung-2/")
    authors = _author_links(page(out, "tac-gia/"))
    assert authors["Lê Văn Hùng"] != authors["Lê Văn Hưng"]


def test_adding_a_new_name_never_moves_an_existing_page(tmp_path):
    site = _people(tmp_path, {"2024/b.md": article("Tin anh Hưng", "Thông báo", "2024-06-01", author="Lê Văn Hưng")})
    out = build_ok(site)
    assert heading(out, "tac-gia/le-van-hung/") == "Lê Văn Hưng"
    (site / "content/2024/c.md").write_text(
        article("Tin anh Hùng", "Thông báo", "2024-07-01", author="Lê Văn Hùng"), encoding="utf-8"
    )
    build_ok(site)
    assert heading(out, "tac-gia/le-van-hung/") == "Lê Văn Hưng"
    assert heading(out, "tac-gia/le-van-hung-2/") == "Lê Văn Hùng"


def test_tags_and_source_units_that_differ_in_one_mark_are_apart(tmp_path):
    site = _people(
        tmp_path,
        {
            "2024/a.md": article("Một", "Thông báo", "2024-05-01", tags=["Bão"], source_unit="Phòng Văn hóa"),
            "2024/b.md": article("Hai", "Thông báo", "2024-06-01", tags=["Báo"], source_unit="Phòng Văn Hóa"),
            "2024/c.md": article("Ba", "Thông báo", "2024-07-01", tags=["bão"], source_unit="Phòng Văn hoá"),
        },
    )
    out = build_ok(site)
    assert heading(out, "the/bao/") == "Bão"
    assert heading(out, "the/bao-2/") == "Báo"
    assert {"Một", "Ba"} <= {a.text for a in page(out, "the/bao/").find_all("a")}
    # "Văn hóa" and "Văn Hóa" are one office; "Văn hoá" (the old tone placement) is spelt otherwise.
    assert {"Một", "Hai"} <= {a.text for a in page(out, "don-vi/phong-van-hoa/").find_all("a")}
    assert "Ba" in {a.text for a in page(out, "don-vi/phong-van-hoa-2/").find_all("a")}


def test_the_day_in_the_url_is_the_day_in_the_site_time_zone(tmp_path):
    # 23:30 UTC on 31 December is 06:30 on 1 January in Hà Nội.
    site = _people(tmp_path, {"2024/giao-thua.md": article("Giao thừa", "Thông báo", "2024-12-31T23:30+00:00")})
    out = build_ok(site, output=tmp_path / "out")
    doc = page(out, "2025/01/giao-thua/")
    assert "01/01/2025" in doc.text and "06:30" in doc.text
    assert (out / "2025/01/index.html").is_file() and not (out / "2024").exists()
    site_dir = write_site(
        tmp_path / "site2",
        {"2024/x.md": article("Ngày", "Thông báo", "2024-03-01T01:00+09:00")},  # 23:00 on 29 Feb here
        categories=["Thông báo"],
        permalinks={"article": "{year}/{month}/{day}/{slug}/"},
    )
    out2 = build_ok(site_dir)
    assert "29/02/2024" in page(out2, "2024/02/29/x/").text
