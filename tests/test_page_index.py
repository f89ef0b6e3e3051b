"""The page index: a build whose edits changed only what pages show of articles (bodies, titles, summaries)
looks at the pages showing the edited articles, not at every page, and its output still equals a clean
build's.

Which pages a build looked at is seen through ``Fingerprinter.page_and_shown``, the one door every
page goes through to be compared with the last build (a site this small is fingerprinted in the
build process itself, so the calls are counted here).
"""

from __future__ import annotations

import random
import shutil
import sqlite3

import pytest
from sitekit import CATEGORIES, NOW, article, build_ok, tree_bytes, tree_differences, write_site

from newsroom import BuildOptions, build
from newsroom.build import open_cache
from newsroom.cache import FILE, cache_dir
from newsroom.fingerprint import Fingerprinter

TAGS = ["Dân vận khéo", "Nông thôn mới", "Chuyển đổi số"]


def site_with(tmp_path, n: int = 30):
    files = {}
    for i in range(n):
        files[f"{2022 + i % 3}/bai-{i:02d}.md"] = article(
            f"Bài số {i} về phong trào thi đua",
            CATEGORIES[i % len(CATEGORIES)],
            f"{2022 + i % 3}-{1 + i % 12:02d}-{1 + i % 27:02d} 08:{i:02d}",
            f"**Mở đầu bài {i}.**\n\nNội dung chi tiết của bài {i}."
            + (f"\n\nXem thêm [bài trước](../{2022 + (i - 1) % 3}/bai-{i - 1:02d}.md)." if i % 4 == 1 else ""),
            tags=[TAGS[i % 3]],
        )
    files["pages/gioi-thieu.md"] = "---\ntitle: Giới thiệu\n---\n\nVề huyện.\n"
    return write_site(tmp_path / "site", files, per_page=4)


@pytest.fixture
def looked_at(monkeypatch):
    """The URLs of the pages each build compared with the last one (appended to, per call)."""
    seen: list[str] = []
    original = Fingerprinter.page_and_shown

    def counting(self, context):
        seen.append(context["url"])
        return original(self, context)

    monkeypatch.setattr(Fingerprinter, "page_and_shown", counting)
    return seen


def same_as_clean(site, out, tmp_path) -> None:
    clean = build_ok(site, tmp_path / "clean", clean=True)
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []
    shutil.rmtree(clean)


def edit_body(site, rel: str, words: str) -> None:
    path = site / "content" / rel
    path.write_text(path.read_text(encoding="utf-8").replace("Nội dung chi tiết", words, 1), encoding="utf-8")


def test_a_body_edit_looks_only_at_the_pages_showing_the_article(tmp_path, looked_at):
    site = site_with(tmp_path)
    out = build_ok(site)
    every = len(looked_at)
    looked_at.clear()
    edit_body(site, "2023/bai-07.md", "Nội dung đã sửa")
    build_ok(site, out)
    assert 0 < len(looked_at) < every / 4, (len(looked_at), every)
    assert "2023/08/bai-07/" in looked_at  # the article's own page
    assert "gioi-thieu/" not in looked_at
    html = (out / "2023/08/bai-07/index.html").read_text(encoding="utf-8")
    assert "Nội dung đã sửa" in html
    same_as_clean(site, out, tmp_path)


def test_a_summary_or_title_edit_looks_only_at_the_pages_showing_the_article(tmp_path, looked_at):
    """No summary in the front matter: the body's first paragraph is the summary listings show. A summary
    or a title is shown where the article is, never used to place it: the pages showing it are enough."""
    site = site_with(tmp_path)
    out = build_ok(site)
    every = len(looked_at)
    path = site / "content/2023/bai-07.md"
    for old, new in (("Mở đầu bài 7.", "Mở đầu mới của bài 7."), ("Bài số 7 về", "Bài số bảy về")):
        looked_at.clear()
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        build_ok(site, out)
        assert 0 < len(looked_at) < every / 4, (old, len(looked_at), every)
        assert "2023/08/bai-07/" in looked_at and "gioi-thieu/" not in looked_at
        same_as_clean(site, out, tmp_path)
    listing = [p for p in (out / "chuyen-muc").rglob("index.html") if "Bài số bảy về" in p.read_text(encoding="utf-8")]
    assert listing  # its category's list shows the new title


@pytest.mark.parametrize(
    "old, new",
    [("tags: [", "tags: [Tin mới, "), ("2023-08-08 08:07", "2021-01-01 08:07")],
    ids=["a tag added", "the date"],
)
def test_an_edit_that_moves_the_article_looks_at_every_page(tmp_path, looked_at, old, new):
    """Tags and dates place an article (lists, archives, neighbours): every page is looked at again."""
    site = site_with(tmp_path)
    out = build_ok(site)
    every = len(looked_at)
    looked_at.clear()
    path = site / "content/2023/bai-07.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    build_ok(site, out)
    assert len(looked_at) >= every - 2  # a page more or less: the article moved
    same_as_clean(site, out, tmp_path)


def test_the_index_names_every_page_that_shows_an_article(tmp_path):
    site = site_with(tmp_path)
    out = build_ok(site)
    with sqlite3.connect(cache_dir(site, out) / FILE) as db:
        pages = {path for (path,) in db.execute("SELECT path FROM shown WHERE source=?", ("content/2024/bai-23.md",))}
    assert "2024/12/bai-23/index.html" in pages  # its own page
    assert "index.html" in pages  # the newest article is on the home page
    assert "rss.xml" in pages and "feed.xml" in pages  # and in the site's feeds (RSS and Atom)
    assert any(path.startswith("chuyen-muc/") for path in pages)  # its category's first page
    assert "gioi-thieu/index.html" not in pages


@pytest.mark.parametrize("keep_cache_in_memory", [pytest.param(False, marks=pytest.mark.slow), True])
def test_body_edits_in_a_row_match_clean_builds(tmp_path, keep_cache_in_memory):
    """Body edits of every kind the fast way may meet: words only, the first paragraph (the summary),
    a link to another article added or removed, an article unpublished and back, an info page."""
    rng = random.Random(5)
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out) if keep_cache_in_memory else None
    build(site, BuildOptions(output=out, now=NOW), cache=cache)
    sources = sorted(p.relative_to(site / "content").as_posix() for p in (site / "content").rglob("bai-*.md"))
    for step in range(12):
        rel = rng.choice(sources)
        path = site / "content" / rel
        text = path.read_text(encoding="utf-8")
        kind = ["words", "words", "first", "link", "unlink", "draft", "page"][step % 7]
        if kind == "words":
            text = text.rstrip("\n") + f"\n\nCâu thêm lần {step}.\n"
        elif kind == "first":
            text = text.replace("**Mở đầu", f"**Mở đầu ({step})", 1)
        elif kind == "link":
            text += f"\n\nXem [bài khác](../{rng.choice(sources)}).\n"
        elif kind == "unlink":
            text = text.split("\n\nXem")[0] + "\n"
        elif kind == "draft":
            text = text.replace("---\n", "---\ndraft: true\n", 1) if "draft: true" not in text else text
        else:
            path = site / "content/pages/gioi-thieu.md"
            text = path.read_text(encoding="utf-8") + f"\nThêm dòng {step}.\n"
        path.write_text(text, encoding="utf-8")
        if kind == "draft":  # published again at the next step, by the next edit of the file
            sources.remove(rel)
            path.write_text(text, encoding="utf-8")
        build(site, BuildOptions(output=out, now=NOW), cache=cache)
        clean = tmp_path / f"clean-{step}"
        build_ok(site, clean, clean=True)
        assert tree_differences(tree_bytes(out), tree_bytes(clean)) == [], f"step {step}: {kind} {rel}"
        shutil.rmtree(clean)
