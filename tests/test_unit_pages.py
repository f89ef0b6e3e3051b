"""pages.py in isolation: a ``Site`` planned into ``Page`` values, before anything is rendered.

Pagination counts and links, the home page's blocks (no story twice), titles and breadcrumbs of
later pages, the register of documents and URL clash detection, on hand-made values.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import model_article

from newsroom.config import Category, Config
from newsroom.model import Document, Page
from newsroom.pages import paginate, plan_pages, url_clashes
from newsroom.site import make_site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = Category("Tin tức - Sự kiện", "tin-tuc-su-kien")
NOTICES = Category("Thông báo", "thong-bao")


def config(**settings) -> Config:
    return Config(Path("site"), "Cổng thử", "https://host.example/", (NEWS, NOTICES), **settings)


def articles(n: int, category: Category = NEWS, **fields) -> list:
    start = datetime(2024, 5, 1, 8, tzinfo=HANOI)
    return [model_article(f"{category.slug}-{i:03d}", category, start + timedelta(hours=i), **fields) for i in range(n)]


def by_url(pages: list[Page]) -> dict[str, Page]:
    return {p.url: p for p in pages}


@pytest.mark.parametrize(
    ("items", "per_page", "pages"),
    [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (40, 20, 2), (41, 20, 3), (7, 1, 7)],
)
def test_paginate_counts(items, per_page, pages):
    result = list(paginate(list(range(items)), per_page, "chuyen-muc/x/", "trang/{n}/"))
    assert len(result) == pages
    assert [len(pager.items) for _, pager in result][:-1] == [per_page] * (pages - 1)
    assert sum(len(pager.items) for _, pager in result) == items
    assert all(pager.total == pages and pager.count == items for _, pager in result)


def test_paginate_links_every_page_to_its_neighbours():
    result = list(paginate(list(range(45)), 20, "the/x/", "trang/{n}/"))
    assert [url for url, _ in result] == ["the/x/", "the/x/trang/2/", "the/x/trang/3/"]
    first, second, last = (pager for _, pager in result)
    assert (first.previous_url, first.next_url) == (None, "the/x/trang/2/")
    assert (second.previous_url, second.next_url) == ("the/x/", "the/x/trang/3/")
    assert (last.previous_url, last.next_url) == ("the/x/trang/2/", None)
    assert first.items == tuple(range(20)) and last.items == tuple(range(40, 45))


@pytest.mark.parametrize("total", [1, 2, 5, 7, 8, 12, 40])
def test_the_pagination_bar_shows_the_ends_and_two_each_side_with_a_gap_three_away(total):
    """``links`` gives what the bar always showed when it went through every URL: first, last, two pages on
    each side of this one, and "…" for a page three away, in the same order."""
    result = list(paginate(list(range(total)), 1, "the/x/", "trang/{n}/"))
    urls = [url for url, _ in result]
    for _, pager in result:
        expected = []
        for n, url in enumerate(urls, 1):
            if n == 1 or n == total or abs(n - pager.number) <= 2:
                expected.append((n, url))
            elif abs(n - pager.number) == 3:
                expected.append((n, None))
        assert list(pager.links) == expected
        assert pager.urls == tuple(urls)


def test_a_page_of_a_long_list_carries_no_more_than_a_page_of_a_short_one():
    """Every page's context is fingerprinted and stored: were each page to carry all the list's URLs, a list of
    n pages would cost n² (a 100,000-article portal's lists run to a thousand pages)."""
    from newsroom import codec
    from newsroom.body_edit import Ref  # noqa: F401 - registers Pager with the codec

    def stored(pages: int) -> int:
        *_, (_, pager) = paginate([0] * (pages * 20), 20, "the/x/", "trang/{n}/")
        return len(codec.encode(pager))

    assert stored(1000) - stored(10) < 20


def test_a_category_list_has_as_many_pages_as_it_needs_and_later_pages_say_which():
    cfg = config(per_page=10)
    pages = by_url(plan_pages(make_site(articles(25), cfg), cfg))
    lists = sorted(url for url in pages if url.startswith("chuyen-muc/tin-tuc-su-kien/") and url.endswith("/"))
    assert lists == ["chuyen-muc/tin-tuc-su-kien/", "chuyen-muc/tin-tuc-su-kien/trang/2/", "chuyen-muc/tin-tuc-su-kien/trang/3/"]  # fmt: skip
    first, third = pages["chuyen-muc/tin-tuc-su-kien/"].context, pages["chuyen-muc/tin-tuc-su-kien/trang/3/"].context
    assert first["title"] == "Tin tức - Sự kiện" and len(first["pager"].items) == 10
    assert third["title"] == ("paged", "Tin tức - Sự kiện", 3) and len(third["pager"].items) == 5
    assert third["breadcrumbs"][-1] == (("page", 3), "chuyen-muc/tin-tuc-su-kien/trang/3/")
    assert "chuyen-muc/thong-bao/" in pages  # an empty category still has its page
    assert len(pages["chuyen-muc/thong-bao/"].context["pager"].items) == 0


def test_the_home_page_never_shows_a_story_twice():
    cfg = config(home_featured=2, home_latest=3, home_per_category=2)
    news = articles(8)
    featured = [model_article(f"noi-bat-{i}", NOTICES, datetime(2024, 4, 1 + i, tzinfo=HANOI), featured=True) for i in range(3)]  # fmt: skip
    site = make_site([*news, *featured, *articles(4, NOTICES)], cfg)
    home = by_url(plan_pages(site, cfg))[""].context
    shown = [a.slug for a in home["featured"]] + [a.slug for a in home["latest"]]
    shown += [a.slug for block in home["sections"] for a in block["articles"]]
    assert len(shown) == len(set(shown))
    assert [a.slug for a in home["featured"]] == ["noi-bat-2", "noi-bat-1"]  # newest first, at most 2
    assert len(home["latest"]) == 3
    assert [len(block["articles"]) for block in home["sections"]] == [2, 2]


def test_every_article_gets_its_page_and_no_two_pages_share_an_output_path():
    cfg = config()
    site = make_site([*articles(5, tags=("Dân vận",), author="Thu Hà"), *articles(3, NOTICES)], cfg)
    pages = plan_pages(site, cfg)
    assert {a.url for a in site.articles} <= {p.url for p in pages}
    assert url_clashes(pages) == []
    urls = {p.url for p in pages}
    assert {"", "404.html", "tim-kiem/", "feed.xml", "rss.xml", "sitemap.xml", "robots.txt", "luu-tru/"} <= urls
    assert {"the/", "the/dan-van/", "tac-gia/", "tac-gia/thu-ha/", "2024/", "2024/05/"} <= urls


def test_the_register_of_documents_has_a_page_per_year_and_per_issuer_never_a_bare_number():
    def doc(slug: str, issued: date, issuer: str):
        when = datetime(issued.year, issued.month, issued.day, tzinfo=HANOI)
        return model_article(slug, NOTICES, when, document=Document(f"{slug}/KH-UBND", issued, issuer, "x.pdf"))

    cfg = config()
    issued = [
        ("1", date(2023, 3, 1), "UBND huyện"),
        ("2", date(2024, 1, 5), "2024"),
        ("3", date(2024, 2, 1), "UBND huyện"),
    ]
    site = make_site([doc(*entry) for entry in issued], cfg)
    pages = by_url(plan_pages(site, cfg))
    registers = sorted(url for url in pages if url.startswith("van-ban/"))
    assert registers == ["van-ban/", "van-ban/2023/", "van-ban/2024/", "van-ban/co-quan-2024/", "van-ban/ubnd-huyen/"]
    assert [a.slug for a in pages["van-ban/"].context["pager"].items] == ["3", "2", "1"]  # newest issued first
    assert [a.slug for a in pages["van-ban/ubnd-huyen/"].context["pager"].items] == ["3", "1"]


def test_url_clashes_name_both_files_also_for_case_and_unicode_form():
    a = Page("2024/05/tin/", "article.html", {}, ("content/2024/tin.md",))
    b = Page("2024/05/tin/", "article.html", {}, ("content/2024/tin-2.md",))
    upper = Page("2024/05/TIN/", "article.html", {}, ("content/2024/Tin.md",))
    [same] = url_clashes([a, b])
    assert same.path == "content/2024/tin-2.md" and "content/2024/tin.md" in same.message
    [case] = url_clashes([a, upper])
    assert "differs only in letter case" in case.message and case.path == "content/2024/Tin.md"
    nfc, nfd = (
        Page("the/dân/", "list.html", {}, ("content/a.md",)),
        Page("the/da\u0302n/", "list.html", {}, ("content/b.md",)),
    )
    assert len(url_clashes([nfc, nfd])) == 1


def test_a_file_where_a_folder_is_needed_is_a_clash_and_generated_pages_blame_config_yaml():
    feed = Page("feed.xml", "atom.xml", {})
    inside = Page("feed.xml/", "list.html", {})
    [problem] = url_clashes([feed, inside])
    assert problem.path == "config.yaml" and "needs a folder 'feed.xml/'" in problem.message
    assert url_clashes([Page("a/", "list.html", {}), Page("a/b/", "list.html", {})]) == []
