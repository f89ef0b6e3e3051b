"""The memo layer (cache.py) between CLI builds: the search index is updated from its stored record,
never rebuilt for a one-article edit, and always equals a clean build's (issue 14)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from sitekit import article, build_ok, run_cli_in_process, tree_bytes, tree_differences, write_site

from newsroom.builtin import BUILTIN_THEMES

ARTICLES = {
    f"2024/bai-{n}.md": article(
        f"Tin số {n}: Dân vận khéo ở xã {n}",
        "Thông báo" if n % 2 else "Tin tức",
        f"2024-0{1 + n % 9}-1{n % 10} 08:00",
        tags=["Dân vận"] if n % 3 else [],
        body=f"Ngày {n}, Ban Dân vận huyện tổ chức hội nghị. Nông thôn mới ở xã số {n} phát triển.",
    )
    for n in range(30)
}


def _site(tmp_path: Path, **config) -> Path:
    return write_site(tmp_path / "site", ARTICLES, categories=["Thông báo", "Tin tức"], **config)


def _cli_build(site: Path) -> str:
    done = run_cli_in_process("build", "--site", str(site))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _same_as_clean(site: Path, tmp_path: Path, name: str) -> None:
    clean = build_ok(site, tmp_path / name, clean=True)
    assert tree_differences(tree_bytes(site / "output"), tree_bytes(clean)) == []
    shutil.rmtree(clean)


def _index_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "output/tim-kiem/index").rglob("*.json")}


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def test_the_search_index_after_each_kind_of_edit_equals_a_clean_build(tmp_path):
    site = _site(tmp_path)
    _cli_build(site)
    edits = [
        ("body", lambda: _edit(site, "2024/bai-4.md", "tổ chức hội nghị", "tổ chức hội thảo chuyên đề")),
        ("title", lambda: _edit(site, "2024/bai-7.md", "Tin số 7:", "Tin số bảy:")),
        ("category", lambda: _edit(site, "2024/bai-8.md", "category: Tin tức", "category: Thông báo")),
        ("two at once", lambda: (_edit(site, "2024/bai-1.md", "Nông thôn", "Đô thị"), _edit(site, "2024/bai-2.md", "Ngày", "Hôm"))),
        ("new article", lambda: (site / "content/2024/moi.md").write_text(article("Bài mới về dân vận", "Tin tức", "2024-03-03 09:00"), encoding="utf-8")),
        ("deleted article", lambda: (site / "content/2024/bai-5.md").unlink()),
        ("body again", lambda: _edit(site, "2024/bai-4.md", "hội thảo chuyên đề", "hội nghị")),
    ]  # fmt: skip
    for n, (name, edit) in enumerate(edits):
        edit()
        _cli_build(site)
        _same_as_clean(site, tmp_path, f"clean-{n}")
        assert name


@pytest.mark.slow
def test_segmented_postings_after_each_edit_equal_a_clean_build(tmp_path, monkeypatch):
    """With segments of 16 ids, a term in more than two articles is common (its count, and its ids by segment);
    edits move terms across that line both ways, in one segment and in two, and the index is updated in place
    (never made anew) and stays a clean one's."""
    from newsroom.search import SearchIndexer

    site = _site(tmp_path, search_segment=16)
    _cli_build(site)
    made_anew = []
    rebuild = SearchIndexer._stored_rebuild
    monkeypatch.setattr(SearchIndexer, "_stored_rebuild", lambda *args: made_anew.append(1) or rebuild(*args))
    meta = json.loads((site / "output/tim-kiem/index/meta.json").read_text(encoding="utf-8"))
    assert meta["segment"] == 16 and len(meta["since"]) == 2 and meta["since"][1]
    keys = {key for path, shard in _index_files(site).items() if "/t/" in path for key in json.loads(shard)}
    assert "dan@0" in keys and "dan@1" in keys, sorted(keys)[:20]  # "Dân vận" is in every article: common
    word = "Khẩnấp"
    add = lambda n: _edit(site, f"2024/bai-{n}.md", "tổ chức hội nghị", f"tổ chức hội nghị {word}")  # noqa: E731
    drop = lambda n: _edit(site, f"2024/bai-{n}.md", f"tổ chức hội nghị {word}", "tổ chức hội nghị")  # noqa: E731
    steps = [  # what it does; then "khanap"'s own key (a count when common) and its segments' keys
        ("rare in one article", lambda: add(1), None, []),
        ("rare in two", lambda: add(2), None, []),
        ("common: three, in two segments", lambda: add(8), "*3", ["khanap@0", "khanap@1"]),  # ids are by date
        ("rare again", lambda: drop(8), None, []),
        ("common in two segments", lambda: (add(3), add(4)), "*4", ["khanap@0", "khanap@1"]),
        ("still common: one segment read", lambda: drop(1), "*3", ["khanap@0", "khanap@1"]),
        ("rare: from every segment read", lambda: (drop(2), drop(3)), None, []),
    ]
    for n, (name, edit, count, segments) in enumerate(steps):
        edit()
        _cli_build(site)
        assert not made_anew, name
        postings = {
            k: v for path, shard in _index_files(site).items() if "/t/" in path for k, v in json.loads(shard).items()
        }
        assert "khanap" in postings and postings["khanap"].startswith("*") == bool(count), name
        assert (
            count in (None, postings["khanap"]) and sorted(k for k in postings if k.startswith("khanap@")) == segments
        )
        _same_as_clean(site, tmp_path, f"clean-{n}")
        made_anew.clear()  # the clean build's own


def test_a_body_edit_rewrites_only_the_index_files_its_terms_are_in(tmp_path):
    site = _site(tmp_path)
    _cli_build(site)
    before = _index_files(site)
    shards = [p for p in before if "/t/" in p]
    assert len(shards) >= 1
    _edit(site, "2024/bai-4.md", "tổ chức hội nghị", "tổ chức hội nghị Khẩnấp")  # one new word, one new pair
    _cli_build(site)
    after = _index_files(site)
    rewritten = {p for p in after if before.get(p) != after[p]}
    # meta.json and the result chunk are made again on each build but equal, so only new terms' shards change
    assert rewritten and "output/tim-kiem/index/meta.json" not in rewritten, rewritten
    assert len([p for p in rewritten if "/d/" in p]) <= 1, rewritten  # the edited article's summary
    assert len([p for p in rewritten if "/t/" in p]) <= max(2, len(shards) // 2), (rewritten, len(shards))
    _same_as_clean(site, tmp_path, "clean")


@pytest.mark.parametrize("when", ["2024-12-30 09:00", "2023-01-05 09:00"])
def test_a_new_article_updates_the_index_in_place_when_it_is_the_newest(tmp_path, when):
    """Ids are pages, then articles oldest first: a new newest article takes the next id, so only the
    shards of its own terms, the last result chunk and meta.json are written again. A back-dated one
    moves every later id: the index is rebuilt (most shards written again). Both equal a clean build."""
    site = _site(tmp_path)
    _cli_build(site)
    before = _index_files(site)
    shards = [p for p in before if "/t/" in p]
    text = article("Bài mới: Khẩnấp tổ chức hội nghị", "Tin tức", when, body="Ngày mới, Khẩnấp phát triển.")
    (site / "content/2024/moi.md").write_text(text, encoding="utf-8")
    _cli_build(site)
    after = _index_files(site)
    rewritten = {p for p in after if before.get(p) != after[p] and "/t/" in p}
    if when.startswith("2024"):
        assert rewritten and len(rewritten) <= max(3, len(shards) // 2), (len(rewritten), len(shards))
        assert [p for p in after if "/d/" in p and before.get(p) != after[p]] == ["output/tim-kiem/index/d/3.json"]
    else:
        assert len(rewritten) > len(shards) // 2, (len(rewritten), len(shards))
    _same_as_clean(site, tmp_path, "clean")


def test_a_damaged_search_record_means_a_rebuilt_index_equal_to_a_clean_one(tmp_path):
    import sqlite3

    from newsroom.cache import FILE, cache_dir

    site = _site(tmp_path)
    _cli_build(site)
    db = sqlite3.connect(cache_dir(site, site / "output") / FILE)
    with db:
        db.execute("UPDATE search_doc SET terms = x'00'")  # every article's record unreadable
        db.execute("DELETE FROM posting WHERE rowid % 2 = 0")
    db.close()
    _edit(site, "2024/bai-4.md", "tổ chức hội nghị", "tổ chức hội thảo")
    _cli_build(site)
    _same_as_clean(site, tmp_path, "clean")
    assert os.path.isdir(site / "output/tim-kiem/index/t")


def test_unreadable_search_terms_in_the_memo_mean_a_build_from_a_clean_memo(tmp_path):
    import sqlite3

    from newsroom.cache import FILE, cache_dir

    site = _site(tmp_path)
    _cli_build(site)
    db = sqlite3.connect(cache_dir(site, site / "output") / FILE)
    with db:
        db.execute("UPDATE body SET terms = x'00'")  # the bodies themselves stay valid
    db.close()
    new = article("Bài mới về dân vận", "Tin tức", "2024-03-03 09:00")
    (site / "content/2024/moi.md").write_text(new, encoding="utf-8")  # a new order: the index is rebuilt
    _cli_build(site)
    _same_as_clean(site, tmp_path, "clean")


def test_files_saved_again_with_the_same_bytes_keep_their_bodies(tmp_path, monkeypatch):
    """A checkout, a copy or an unzip saves every file again unchanged: each body is the memo's own, which
    holds its HTML in the store. A worker's copy of it (the files read on all cores) once came back without
    its HTML and was written over the row, and a later template edit rendered every article empty."""
    build_module = importlib.import_module("newsroom.build")
    monkeypatch.setattr(build_module, "READ_IN_WORKERS_FROM", 2)  # the forked workers, as on a large site
    site = _site(tmp_path)
    past = time.time() - 1000
    for path in site.rglob("*"):
        os.utime(path, (past, past))
    build_ok(site)
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (past + 10, past + 10))  # saved again, same bytes
    build_ok(site)
    theme = site / "themes/default/templates"
    theme.mkdir(parents=True)
    base = (BUILTIN_THEMES / "default/templates/base.html").read_text(encoding="utf-8")
    (theme / "base.html").write_text(base + "<!-- sửa giao diện -->\n", encoding="utf-8")
    os.utime(theme / "base.html", (past + 20, past + 20))
    build_ok(site)  # every page rendered again, every body read back from the memo
    assert "Ban Dân vận huyện tổ chức hội nghị" in (site / "output/2024/01/bai-0/index.html").read_text(
        encoding="utf-8"
    )
    _same_as_clean(site, tmp_path, "clean")
