"""site.py in isolation: published articles grouped into a ``Site``, with no file read or written.

Order (newest first, ties by file), term pages (spellings merged, look-alike names apart, URLs
kept by whoever came first), the archive, neighbours and the default menu, checked on
hand-made ``Article`` values in milliseconds.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sitekit import model_article

from newsroom.config import Category, Config, MenuItem
from newsroom.site import is_published, make_site, newest_first, related_key, resolve_menu

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = Category("Tin tức - Sự kiện", "tin-tuc-su-kien")
PARTY = Category("Đảng, đoàn thể", "dang-doan-the")
NOTICES = Category("Thông báo", "thong-bao")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=HANOI)


def config(**settings) -> Config:
    return Config(Path("site"), "Thử", "https://host.example/", (NEWS, PARTY, NOTICES), **settings)


def day(n: int, hour: int = 8) -> datetime:
    return datetime(2024, 5, 1, hour, tzinfo=HANOI) + timedelta(days=n)


def test_newest_first_with_the_file_as_tie_breaker_whatever_the_reading_order():
    same_time = [model_article(slug, NEWS, day(3)) for slug in ("c", "a", "b")]
    articles = [model_article("old", NEWS, day(1)), *same_time, model_article("new", NEWS, day(9))]
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert [a.slug for a in newest_first(shuffled)] == ["new", "a", "b", "c", "old"]


def test_drafts_and_future_articles_stay_out_unless_asked_for():
    draft = model_article("nhap", NEWS, day(1), draft=True)
    later = model_article("hen-gio", NEWS, NOW + timedelta(minutes=1))
    due = model_article("dung-gio", NEWS, NOW)
    assert not is_published(draft, NOW) and is_published(draft, NOW, drafts=True)
    assert not is_published(later, NOW) and is_published(later, NOW, future=True)
    assert is_published(due, NOW)  # dated exactly now is published


def test_categories_keep_config_order_and_empty_ones_stay():
    site = make_site([model_article("a", NOTICES, day(1)), model_article("b", NEWS, day(2))], config())
    assert [(s.category.slug, s.url, [a.slug for a in s.articles]) for s in site.categories] == [
        ("tin-tuc-su-kien", "chuyen-muc/tin-tuc-su-kien/", ["b"]),
        ("dang-doan-the", "chuyen-muc/dang-doan-the/", []),
        ("thong-bao", "chuyen-muc/thong-bao/", ["a"]),
    ]


def test_spellings_of_one_tag_share_a_page_named_by_the_most_used_spelling():
    site = make_site(
        [
            model_article("a", NEWS, day(1), tags=("dân vận khéo",)),
            model_article("b", NEWS, day(2), tags=("Dân vận khéo",)),
            model_article("c", NEWS, day(3), tags=("Dân  vận khéo",)),
            model_article("d", NEWS, day(4), tags=("Dân vận khéo",)),
        ],
        config(),
    )
    [tag] = site.tags
    assert (tag.name, tag.slug, tag.url) == ("Dân vận khéo", "dan-van-kheo", "the/dan-van-kheo/")
    assert [a.slug for a in tag.articles] == ["d", "c", "b", "a"]
    assert site.terms_by_name[("tag", "Dân  vận khéo")] is tag


def test_names_differing_in_one_mark_are_two_people_and_the_first_keeps_the_url():
    hung = model_article("a", NEWS, day(1), author="Lê Văn Hùng")
    hung_horn = model_article("b", NEWS, day(2), author="Lê Văn Hưng")
    authors = {t.name: t.url for t in make_site([hung, hung_horn], config()).authors}
    assert authors == {"Lê Văn Hùng": "tac-gia/le-van-hung/", "Lê Văn Hưng": "tac-gia/le-van-hung-2/"}
    # A third spelling arriving later never takes a URL already published.
    later = model_article("c", NEWS, day(3), author="Lê Văn Hứng")
    again = {t.name: t.url for t in make_site([later, hung_horn, hung], config()).authors}
    assert again == {**authors, "Lê Văn Hứng": "tac-gia/le-van-hung-3/"}


def test_terms_are_listed_in_vietnamese_dictionary_order():
    names = ["Xây dựng", "Đoàn thanh niên", "An ninh", "Dân vận", "Ăn uống", "Đảng bộ"]
    articles = [model_article(f"b{i}", NEWS, day(i), tags=(name,)) for i, name in enumerate(names)]
    site = make_site(articles, config())
    assert [t.name for t in site.tags] == ["An ninh", "Ăn uống", "Dân vận", "Đảng bộ", "Đoàn thanh niên", "Xây dựng"]


def test_source_units_and_authors_left_empty_get_no_page():
    site = make_site([model_article("a", NEWS, day(1))], config())
    assert site.authors == () and site.source_units == () and site.tags == ()


def test_years_and_months_newest_first_with_their_articles():
    dates = [datetime(2023, 12, 31, 23, tzinfo=HANOI), datetime(2024, 1, 2, tzinfo=HANOI), day(0), day(1)]
    site = make_site([model_article(f"b{i}", NEWS, when) for i, when in enumerate(dates)], config())
    summary = [(y.year, y.url, [(m.month, m.url, len(m.articles)) for m in y.months]) for y in site.years]
    assert summary == [
        (2024, "2024/", [(5, "2024/05/", 2), (1, "2024/01/", 1)]),
        (2023, "2023/", [(12, "2023/12/", 1)]),
    ]
    assert [a.slug for a in site.years[0].articles] == ["b3", "b2", "b1"]


def test_previous_and_next_stay_in_the_category_and_related_prefer_shared_tags():
    articles = [
        model_article("n1", NEWS, day(1)),
        model_article("p1", PARTY, day(2), tags=("Dân vận",)),
        model_article("n2", NEWS, day(3)),
        model_article("n3", NEWS, day(4), tags=("Dân vận",)),
    ]
    site = make_site(articles, config(related_count=2))
    middle = site.neighbours["content/2024/n2.md"]
    assert (middle.previous.slug, middle.next.slug) == ("n1", "n3")  # older, newer: same category only
    first = site.neighbours["content/2024/n1.md"]
    assert first.previous is None and first.next.slug == "n2"
    tagged = site.neighbours["content/2024/n3.md"]
    assert tagged.related[0].slug == "p1"  # the shared tag outranks the category
    assert len(tagged.related) == 2
    assert "n3" not in [a.slug for a in tagged.related]  # never related to itself


def test_related_key_follows_what_neighbours_depend_on_and_a_match_reuses_them():
    articles = [model_article(f"b{i}", NEWS, day(i), tags=("A",) if i % 2 else ()) for i in range(6)]
    first = make_site(articles, config())
    retagged = [*articles[:-1], model_article("b5", NEWS, day(5), tags=("B",))]
    assert related_key(newest_first(retagged), 4) != first.related_key
    assert related_key(newest_first(articles), 5) != first.related_key  # the count matters too
    table = {s: (n.previous and n.previous.source, n.next and n.next.source, tuple(a.source for a in n.related))
             for s, n in first.neighbours.items()}  # fmt: skip
    reused = make_site(list(reversed(articles)), config(), known=(first.related_key, table))
    assert reused.neighbours == first.neighbours


def test_default_menu_is_the_categories_then_the_archive():
    menu, problems = resolve_menu(config(), [])
    assert problems == []
    assert [(m.name, m.url) for m in menu] == [
        ("Tin tức - Sự kiện", "chuyen-muc/tin-tuc-su-kien/"),
        ("Đảng, đoàn thể", "chuyen-muc/dang-doan-the/"),
        ("Thông báo", "chuyen-muc/thong-bao/"),
        (("archive",), "luu-tru/"),
    ]


def test_more_than_six_categories_fold_the_rest_under_one_entry():
    many = tuple(Category(f"Mục {i}", f"muc-{i}") for i in range(9))
    menu, _ = resolve_menu(Config(Path("site"), "Thử", "https://host.example/", many), [])
    assert [m.name for m in menu] == ["Mục 0", "Mục 1", "Mục 2", "Mục 3", "Mục 4", ("more",), ("archive",)]
    assert [c.name for c in menu[5].children] == [f"Mục {i}" for i in range(5, 9)]
    assert menu[5].url == ""


def test_a_menu_entry_naming_an_undeclared_category_is_located_in_config_yaml():
    spaced = "Tin tức  -  Sự kiện"  # extra spaces, as an editor may type them
    items = (MenuItem("Tin", "category", spaced, line=7), MenuItem("Sai", "category", "Thong bao", line=9))
    menu, problems = resolve_menu(config(menu=items), [])
    assert [(m.name, m.url) for m in menu] == [("Tin", "chuyen-muc/tin-tuc-su-kien/")]
    [problem] = problems
    assert (problem.path, problem.line) == ("config.yaml", 9)
    assert "'Thong bao' is not declared" in problem.message and "Thông báo" in problem.hint
