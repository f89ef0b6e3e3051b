"""urls.py in isolation: permalink patterns filled in, and site URLs turned into links.

The model keeps every URL relative to the site root; these functions alone add the base_url's
path, so a site served under a sub-path (``https://host/tin-tuc/``) is pinned down here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom.config import Category, Config, Permalinks
from newsroom.urls import absolute, article_url, href, paginated

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOTICES = Category("Thông báo", "thong-bao")


def config(base_url: str) -> Config:
    return Config(site_dir=Path("site"), title="Thử", base_url=base_url, categories=(NOTICES,))


@pytest.mark.parametrize(
    ("base_url", "url", "link"),
    [
        ("https://host.example/", "2020/10/x/", "/2020/10/x/"),
        ("https://host.example/", "", "/"),
        ("https://host.example/tin-tuc/", "2020/10/x/", "/tin-tuc/2020/10/x/"),
        ("https://host.example/tin-tuc/", "", "/tin-tuc/"),
        ("https://host.example/tin-tuc/", "feed.xml", "/tin-tuc/feed.xml"),
        ("https://host.example/a/b/", "the/x/", "/a/b/the/x/"),
        ("https://host.example", "x/", "/x/"),  # no path at all is the root
        ("https://host.example/tin-tuc", "x/", "/tin-tuc/x/"),  # a missing last slash is implied
    ],
)
def test_href_puts_the_base_path_in_front(base_url, url, link):
    assert href(config(base_url), url) == link


def test_href_escapes_what_a_link_cannot_carry_and_keeps_the_rest():
    site = config("https://host.example/tin-tuc/")
    assert href(site, "the/dân vận/") == "/tin-tuc/the/d%C3%A2n%20v%E1%BA%ADn/"
    assert href(site, "tim-kiem/?q=1&p=2#ket-qua") == "/tin-tuc/tim-kiem/?q=1&p=2#ket-qua"
    assert href(site, "a%20b/") == "/tin-tuc/a%20b/"  # already escaped: not escaped twice


def test_absolute_adds_the_origin_once():
    site = config("https://host.example:8443/tin-tuc/")
    assert absolute(site, "2020/10/x/") == "https://host.example:8443/tin-tuc/2020/10/x/"
    assert absolute(site, "") == "https://host.example:8443/tin-tuc/"
    assert absolute(config("http://host.example/"), "rss.xml") == "http://host.example/rss.xml"


def test_article_url_fills_every_token_with_fixed_widths():
    when = datetime(2020, 3, 5, 9, 30, tzinfo=HANOI)
    assert article_url(Permalinks().article, "khai-mac", when, NOTICES) == "2020/03/khai-mac/"
    pattern = "{category}/{year}/{month}/{day}/{slug}/"
    assert article_url(pattern, "khai-mac", when, NOTICES) == "thong-bao/2020/03/05/khai-mac/"
    assert article_url("bai-viet/{slug}/", "khai-mac", when, NOTICES) == "bai-viet/khai-mac/"
    assert article_url("{year}/{slug}/", "x", datetime(987, 1, 1, tzinfo=HANOI), NOTICES) == "0987/x/"


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("chuyen-muc/thong-bao/", 1, "chuyen-muc/thong-bao/"),  # page 1 is the list's own URL
        ("chuyen-muc/thong-bao/", 2, "chuyen-muc/thong-bao/trang/2/"),
        ("chuyen-muc/thong-bao/", 12, "chuyen-muc/thong-bao/trang/12/"),
        ("", 2, "trang/2/"),
    ],
)
def test_paginated_urls(url, page, expected):
    assert paginated(url, page, Permalinks().page) == expected


def test_paginated_then_href_under_a_sub_path():
    site = config("https://host.example/tin-tuc/")
    assert href(site, paginated("the/dan-van/", 3, "p{n}/")) == "/tin-tuc/the/dan-van/p3/"
