"""fingerprint.py in isolation: a page is rendered again exactly when its fingerprint changes.

So a fingerprint must be stable (same inputs, same value, whatever order articles were read in)
and sensitive (any change to the environment, to an article's digest or to what the
page's context holds gives another value), while an article counts only by its digest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sitekit import model_article

from newsroom.config import Category, Config
from newsroom.fingerprint import Fingerprinter, code_fingerprint
from newsroom.model import NamedLink, Term
from newsroom.pages import plan_pages
from newsroom.site import make_site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = Category("Tin tức", "tin-tuc")
NOTICES = Category("Thông báo", "thong-bao")


def sample(n: int = 10):
    cfg = Config(Path("site"), "Thử", "https://host.example/", (NEWS, NOTICES), per_page=3)
    start = datetime(2024, 5, 1, 8, tzinfo=HANOI)
    arts = [
        model_article(
            f"b{i}",
            (NEWS, NOTICES)[i % 2],
            start + timedelta(days=i),
            tags=(f"Chủ đề {i % 3}",),
            author=f"Tác giả {i % 2}",
            source_unit="Ban Dân vận",
        )
        for i in range(n)
    ]
    return arts, cfg


def digests(arts) -> dict[str, str]:
    return {a.source: f"digest-of-{a.source}" for a in arts}


def plan_fingerprints(fingerprinter: Fingerprinter, arts, cfg) -> dict[str, str]:
    return {p.url: fingerprinter.page(p.context) for p in plan_pages(make_site(arts, cfg), cfg)}


def test_the_same_inputs_give_the_same_fingerprints_in_a_fresh_fingerprinter():
    arts, cfg = sample()
    first = plan_fingerprints(Fingerprinter("env", digests(arts)), arts, cfg)
    second = plan_fingerprints(Fingerprinter("env", digests(arts)), list(reversed(arts)), cfg)
    assert first == second


def test_the_environment_changes_every_page():
    arts, cfg = sample()
    before = plan_fingerprints(Fingerprinter("theme v1", digests(arts)), arts, cfg)
    after = plan_fingerprints(Fingerprinter("theme v2", digests(arts)), arts, cfg)
    assert all(before[url] != after[url] for url in before)


def test_an_article_digest_changes_exactly_the_pages_that_show_that_article():
    arts, cfg = sample()
    before = plan_fingerprints(Fingerprinter("env", digests(arts)), arts, cfg)
    edited = {**digests(arts), "content/2024/b4.md": "digest after an edit"}
    after = plan_fingerprints(Fingerprinter("env", edited), arts, cfg)
    changed = {url for url in before if before[url] != after[url]}
    assert "2024/05/b4/" in changed  # its own page
    assert "chuyen-muc/tin-tuc/" in changed or "chuyen-muc/tin-tuc/trang/2/" in changed  # a list showing it
    assert "chuyen-muc/thong-bao/" not in changed  # b4 is not a notice
    assert "2024/05/b5/" not in changed  # a notice with another tag: b4 is not among its neighbours
    assert "luu-tru/" not in changed  # the archive shows only counts


def test_an_article_counts_by_its_digest_not_by_its_fields():
    arts, _ = sample(1)
    [one] = arts
    retitled = model_article("b0", NEWS, one.date, title="Một tiêu đề khác", tags=one.tags)
    fingerprinter = Fingerprinter("env", digests(arts))
    assert fingerprinter.page({"article": one}) == fingerprinter.page({"article": retitled})
    assert fingerprinter.page({"article": one}) != Fingerprinter("env", {one.source: "other"}).page({"article": one})


def test_any_change_in_a_context_value_changes_the_fingerprint():
    fingerprinter = Fingerprinter("env", {})
    base = {"title": "Thông báo", "count": 3, "links": [NamedLink("Dân vận", "the/dan-van/", 2)]}
    variants = [
        {**base, "title": "Thông báo "},
        {**base, "count": 4},
        {**base, "links": [NamedLink("Dân vận", "the/dan-van/", 3)]},
        {**base, "links": []},
        {**base, "extra": None},
    ]
    values = {fingerprinter.page(v) for v in [base, *variants]}
    assert len(values) == 1 + len(variants)


def test_shared_groups_stand_in_by_their_contents():
    arts, _ = sample(3)
    fingerprinter = Fingerprinter("env", digests(arts))
    term = Term("Dân vận", "dan-van", "the/dan-van/", tuple(arts))
    same = Term("Dân vận", "dan-van", "the/dan-van/", tuple(arts))
    fewer = Term("Dân vận", "dan-van", "the/dan-van/", tuple(arts[:2]))
    assert fingerprinter.page({"term": term}) == fingerprinter.page({"term": same})
    assert fingerprinter.page({"term": term}) != fingerprinter.page({"term": fewer})


def test_code_fingerprint_is_stable_within_a_run():
    assert code_fingerprint() == code_fingerprint()
    assert len(code_fingerprint()) == 32
