"""A one-shot build whose only edits are bodies renders from the stored page plan (``body_edit``), and goes
the long way whenever the plan cannot vouch for the result: every case below ends equal to a clean build.

``test_patched.py`` runs the same edits through the command line's way (``EDITS``); here are the rows
of the plan damaged, forged, missing or outdated, the output folder touched, themes that show bodies on
listings, and saves that change nothing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from datetime import timedelta

import pytest
from sitekit import NOW, article, tree_bytes, tree_differences
from test_patched import PAST, Editor, build_options, clean_build, site_with

from newsroom import BuildOptions, build
from newsroom.build import STEPS
from newsroom.builtin import BUILTIN_THEMES
from newsroom.cache import FILE, _sealed, cache_dir
from newsroom.codec import encode

EDITED = "content/2024/bai-05.md"
EDITED_PAGE = "2024/06/bai-05/index.html"


def body_edit(editor: Editor, n: int = 1) -> None:
    editor.replace(EDITED, "Đoạn ba", f"Đoạn ba (lần {n})")


def memo(site, out) -> sqlite3.Connection:
    return sqlite3.connect(cache_dir(site, out) / FILE, isolation_level=None)


def assert_as_clean(site, out, tmp_path, report, name="clean"):
    clean, clean_report = clean_build(site, tmp_path, name)
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []
    assert report.warnings == clean_report.warnings
    assert (report.articles, report.pages) == (clean_report.articles, clean_report.pages)


@pytest.fixture
def built(tmp_path):
    site = site_with(tmp_path)
    out = tmp_path / "out"
    build(site, build_options(out))
    return site, out, Editor(site)


def test_a_body_edit_renders_only_the_pages_showing_it_and_the_next_one_too(built, tmp_path):
    site, out, editor = built
    for n in (1, 2, 3):
        body_edit(editor, n)
        report = build(site, build_options(out))
        assert report.bodies_only
        assert 0 < report.rendered <= 12  # its page, and the pages of articles showing it as a neighbour
        assert f"Đoạn ba (lần {n})" in (out / EDITED_PAGE).read_text(encoding="utf-8")
    assert_as_clean(site, out, tmp_path, report)
    db = memo(site, out)
    [(row,)] = db.execute("SELECT value FROM item WHERE source = ?", (EDITED,)).fetchall()
    assert "Đoạn ba".encode() not in row  # an article's row holds its fields, never its body's HTML


def test_a_save_that_changes_nothing_but_the_files_time_keeps_every_file(built, tmp_path):
    site, out, _editor = built
    path = site / EDITED
    os.utime(path, (PAST + 500, PAST + 500))
    report = build(site, build_options(out))
    assert report.bodies_only and report.written == 0
    assert_as_clean(site, out, tmp_path, report)


def test_a_body_edit_of_the_newest_article_reaches_its_feeds(tmp_path):
    site = site_with(tmp_path)
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "feed_full_content: true\n", encoding="utf-8")
    os.utime(config, (PAST, PAST))
    out = tmp_path / "out"
    build(site, build_options(out))
    editor = Editor(site)
    editor.replace("content/2024/bai-11.md", "Đoạn hai", "Đoạn hai, có trong nguồn tin")
    report = build(site, build_options(out))
    assert report.bodies_only
    assert "có trong nguồn tin" in (out / "feed.xml").read_text(encoding="utf-8")
    assert_as_clean(site, out, tmp_path, report)


def _garbage_plan(db):
    db.execute("UPDATE plan SET value = x'00112233' WHERE path = ?", (EDITED_PAGE,))


def _forged_plan(db):
    """A well-sealed row that is not a plan: a hostile file must not become a page."""
    value = _sealed(encode(["x", "article.html", EDITED_PAGE[: -len("index.html")], {"title": "giả mạo"}]))
    db.execute("UPDATE plan SET value = ? WHERE path = ?", (value, EDITED_PAGE))


def _missing_plan(db):
    db.execute("DELETE FROM plan WHERE path = ?", (EDITED_PAGE,))


def _missing_listing_plan(db):
    db.execute("DELETE FROM plan WHERE path = 'chuyen-muc/dang-doan-the/index.html'")
    db.execute("DELETE FROM plan WHERE path LIKE 'chuyen-muc/%'")


def _garbage_item(db):
    db.execute("UPDATE item SET value = x'00' WHERE source = ?", (EDITED,))


def _outdated_item(db):
    """A row made for another digest (a build that failed after writing it)."""
    [(row,)] = db.execute("SELECT value FROM item WHERE source = ?", (EDITED,)).fetchall()
    from newsroom.codec import decode

    _digest, item, recipe = decode(row[16:])
    db.execute("UPDATE item SET value = ? WHERE source = ?", (_sealed(encode(["khác", item, recipe])), EDITED))


def _item_without_recipe(db):
    """Well sealed, the right digest, but no recipe: the body cannot be filled."""
    [(row,)] = db.execute("SELECT value FROM item WHERE source = ?", (EDITED,)).fetchall()
    from newsroom.codec import decode

    digest, item, _recipe = decode(row[16:])
    db.execute("UPDATE item SET value = ? WHERE source = ?", (_sealed(encode([digest, item, None])), EDITED))


def _record_with_odd_racy(db):
    from newsroom.codec import decode

    [(row,)] = db.execute("SELECT value FROM info WHERE name = 'bodies_plan'").fetchall()
    record = decode(row[16:])
    record["racy"] = [1]
    db.execute("UPDATE info SET value = ? WHERE name = 'bodies_plan'", (_sealed(encode(record)),))


def _context_the_theme_cannot_render(db):
    [(row,)] = db.execute("SELECT value FROM plan WHERE path = ?", (EDITED_PAGE,)).fetchall()
    from newsroom.codec import decode

    fingerprint, template, url, context, shows_bodies = decode(row[16:])
    context["neighbours"] = 5
    value = _sealed(encode([fingerprint, template, url, context, shows_bodies]))
    db.execute("UPDATE plan SET value = ? WHERE path = ?", (value, EDITED_PAGE))


def _outdated_plan(db):
    db.execute("UPDATE page SET fingerprint = 'khác' WHERE path = ?", (EDITED_PAGE,))


def _garbage_record(db):
    db.execute("UPDATE info SET value = x'0011' WHERE name = 'bodies_plan'")


def _no_record(db):
    db.execute("DELETE FROM info WHERE name = 'bodies_plan'")


def _record_with_odd_stats(db):
    """File facts that are not what ``_stats_text`` writes (a count of fields not a multiple of three)."""
    from newsroom.codec import decode

    [(row,)] = db.execute("SELECT value FROM info WHERE name = 'bodies_plan'").fetchall()
    record = decode(row[16:])
    record["articles"] = record["articles"] + "\0" + "7"
    db.execute("UPDATE info SET value = ? WHERE name = 'bodies_plan'", (_sealed(encode(record)),))


def _missing_page_row(db):
    """The page table lost the edited article's page: the build cannot tell what that page was made of."""
    db.execute("DELETE FROM page WHERE path = ?", (EDITED_PAGE,))


def _search_key_not_a_key(db):
    from newsroom.codec import decode

    [(row,)] = db.execute("SELECT value FROM info WHERE name = 'search'").fetchall()
    _key, files = decode(row[16:])
    db.execute("UPDATE info SET value = ? WHERE name = 'search'", (_sealed(encode(["khóa lạ", files])),))


def _neighbour_without_card(db):
    """The article shown beside the edited one lost its card: what its row was made for cannot be told."""
    db.execute("DELETE FROM card WHERE source = 'content/2024/bai-04.md'")


def _page_index_gone(db):
    db.execute("DELETE FROM shown")


@pytest.mark.parametrize(
    "spoil",
    [
        _garbage_plan,
        _forged_plan,
        _missing_plan,
        _missing_listing_plan,
        _garbage_item,
        _outdated_item,
        _item_without_recipe,
        _record_with_odd_racy,
        _record_with_odd_stats,
        _missing_page_row,
        _search_key_not_a_key,
        _neighbour_without_card,
        _context_the_theme_cannot_render,
        _outdated_plan,
        _garbage_record,
        _no_record,
    ],
)
def test_a_plan_it_cannot_trust_sends_the_build_the_long_way(built, tmp_path, spoil):
    _spoiled_then_edited_twice(built, tmp_path, spoil, body_edit)


def _spoiled_then_edited_twice(built, tmp_path, spoil, edit) -> None:
    """The memo spoiled, then an edit: the long way, as a clean build; then another edit, which the plan the
    long way wrote serves again."""
    site, out, editor = built
    db = memo(site, out)
    spoil(db)
    db.close()
    edit(editor, 1)
    report = build(site, build_options(out))
    assert not report.bodies_only
    assert_as_clean(site, out, tmp_path, report)
    edit(editor, 2)
    report = build(site, build_options(out))
    assert report.bodies_only
    assert_as_clean(site, out, tmp_path, report, "clean-2")


def test_a_page_index_that_lost_its_rows_is_not_taken_for_pages_showing_nothing(built, tmp_path):
    """With no row saying which pages show the article, the build cannot tell them: it goes the long way."""
    site, out, editor = built
    db = memo(site, out)
    _page_index_gone(db)
    db.close()
    body_edit(editor)
    report = build(site, build_options(out))
    assert "Đoạn ba (lần 1)" in (out / EDITED_PAGE).read_text(encoding="utf-8")
    assert_as_clean(site, out, tmp_path, report)


def test_an_output_folder_changed_by_an_interrupted_build_goes_the_long_way(built, tmp_path):
    site, out, editor = built
    dirty = out.parent / f".{out.name}.staging-dirty"
    dirty.touch()  # what a build stopped between its swap and its record leaves
    body_edit(editor)
    report = build(site, build_options(out))
    assert not report.bodies_only
    assert_as_clean(site, out, tmp_path, report)


def test_a_scheduled_article_come_due_goes_the_long_way(tmp_path):
    site = site_with(tmp_path)
    editor = Editor(site)
    editor.write("content/2024/sap-dang.md", article("Bài hẹn giờ", "Đảng, đoàn thể", "2026-12-20 08:00", "Sắp đăng."))
    out = tmp_path / "out"
    build(site, build_options(out))
    assert not (out / "2026/12/sap-dang/index.html").exists()
    body_edit(editor)
    later = NOW + timedelta(days=40)
    report = build(site, BuildOptions(output=out, now=later))
    assert not report.bodies_only
    assert (out / "2026/12/sap-dang/index.html").is_file()
    clean = tmp_path / "clean"
    build(site, BuildOptions(output=clean, now=later, clean=True))
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []


def test_a_theme_whose_lists_show_bodies_has_them_rendered_again(tmp_path):
    """A list that prints each article's body is a page that shows bodies: the body edit renders it too."""
    site = site_with(tmp_path)
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    builtin = BUILTIN_THEMES / "default/templates"
    text = (builtin / "list.html").read_text(encoding="utf-8")
    marker = "{% block main %}"
    assert marker in text
    text = text.replace(
        marker, marker + "{% for a in pager.items %}<div class=toan-van>{{ a.body_html }}</div>{% endfor %}", 1
    )
    (templates / "list.html").write_text(text, encoding="utf-8")
    stamp = time.time() - 900
    os.utime(templates / "list.html", (stamp, stamp))
    out = tmp_path / "out"
    build(site, build_options(out))
    body_edit(Editor(site))
    report = build(site, build_options(out))
    assert report.bodies_only and report.rendered > 8
    category = (out / "chuyen-muc").rglob("index.html")
    assert any("Đoạn ba (lần 1)" in p.read_text(encoding="utf-8") for p in category)
    assert_as_clean(site, out, tmp_path, report)


def test_a_build_without_search_keeps_to_itself(built, tmp_path):
    """Options are part of what the plan was made with: a build without the search index goes the long way,
    and its own plan serves its next body edit."""
    site, out, editor = built
    body_edit(editor)
    report = build(site, BuildOptions(output=out, now=NOW, search=False))
    assert not report.bodies_only
    body_edit(editor, 2)
    report = build(site, BuildOptions(output=out, now=NOW, search=False))
    assert report.bodies_only
    clean = tmp_path / "clean"
    build(site, BuildOptions(output=clean, now=NOW, search=False, clean=True))
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []


class _Stop(BaseException):
    """Stands for Ctrl-C or a kill at a step boundary."""


@pytest.mark.parametrize("level", [False, True], ids=["staging-empty", "staging-level"])
@pytest.mark.parametrize("where", STEPS)
def test_a_body_edit_stopped_at_any_step_is_finished_by_the_next_build(built, tmp_path, where, level):
    """A body edit brings a word the search index never had: stopped anywhere, the next build must still
    leave an output equal to a clean build's (the search record may be saved before the swap: it must not
    then pass for what the output holds). With staging level (an edit before it), the edit reads only the
    tree rows it writes: stopped, neither tree's record is trusted, and the builds after it are right too."""
    site, out, editor = built
    if level:
        editor.replace("content/2024/bai-09.md", "Đoạn hai", "Đoạn hai đã sửa")
        assert build(site, build_options(out)).bodies_only
    editor.replace(EDITED, "Đoạn ba", "Đoạn ba nhắc tới xoàidừahấu")

    def stop(name):
        if name == where:
            raise _Stop(name)

    with pytest.raises(_Stop):
        build(site, BuildOptions(output=out, now=NOW, checkpoint=stop))
    report = build(site, build_options(out))
    assert_as_clean(site, out, tmp_path, report)
    if level:
        editor.replace("content/2024/bai-09.md", "Đoạn hai đã sửa", "Đoạn hai sửa lần nữa")
        report = build(site, build_options(out))
        assert_as_clean(site, out, tmp_path, report, "clean-after")


def test_the_files_edited_are_told_from_the_facts_as_text():
    from newsroom.body_edit import _edited, _stats_text

    before = {"content/a.md": (10, 111), "content/b.md": (20, 222), "content/c.md": (30, 333)}
    text = _stats_text(before)
    assert _edited(text, text) == []
    assert _edited(text, _stats_text({**before, "content/b.md": (20, 999)})) == ["content/b.md"]
    assert _edited(text, _stats_text({**before, "content/a.md": (11, 111), "content/c.md": (30, 334)})) == [
        "content/a.md",
        "content/c.md",
    ]
    assert _edited(text, _stats_text({**before, "content/d.md": (1, 1)})) is None  # an article came
    assert _edited(text, _stats_text(dict(reversed(before.items())))) is None  # not as the scan lists them
    assert _edited(text + "\0x", text) is None and _edited(None, text) is None and _edited("", text) is None


def _trees_record(site, out) -> dict:
    from newsroom.cache import Store

    return Store(cache_dir(site, out)).info("trees")


def _staging_apart(out) -> list[str]:
    """The files where the staging tree and output differ, as found on disk."""
    staging = tree_bytes(out.parent / f".{out.name}.staging")
    live = tree_bytes(out)
    return sorted(p for p in staging.keys() | live.keys() if not p.endswith("/") and staging.get(p) != live.get(p))


def test_body_edits_read_only_the_tree_rows_they_write_and_the_record_says_where_the_trees_differ(built, tmp_path):
    """At 100,000 articles the two trees' manifests are 320,000 rows: a body edit reads the rows of the files
    it writes and of the paths where staging and output differ, which the record lists. Edits of one article,
    then of another, then a long build: the record tells the truth at every step and the output equals a clean one."""
    site, out, editor = built
    body_edit(editor, 1)  # the first after a fresh build: it fills staging, so it reads every row
    assert build(site, build_options(out)).bodies_only
    for n, (rel, old) in enumerate([(EDITED, "Đoạn ba"), ("content/2024/bai-09.md", "Đoạn hai"), (EDITED, "Đoạn ba")]):
        editor.replace(rel, old, f"{old} ({n})")
        report = build(site, build_options(out))
        assert report.bodies_only
        record = _trees_record(site, out)
        assert record["apart"] == _staging_apart(out) and 0 < len(record["apart"]) < 10
        assert record["count"] == report.written + report.unchanged == len([p for p in out.rglob("*") if p.is_file()])
        assert_as_clean(site, out, tmp_path, report, f"clean-{n}")
    editor.replace(EDITED, "title: ", "source_unit: Ban Tuyên giáo\ntitle: ")  # the long way reads every row
    report = build(site, build_options(out))
    # Files whose record changed but not their bytes (the clean builds above made the icons again) are listed too.
    assert not report.bodies_only and set(_trees_record(site, out)["apart"]) >= set(_staging_apart(out))
    assert_as_clean(site, out, tmp_path, report, "clean-title")


def test_a_staging_tree_removed_by_hand_is_never_taken_as_level(built, tmp_path):
    """Staging is filled from output's rows only where the record says they differ: with the staging tree
    gone, that would swap in a tree holding only the files written. The build must see it and fill it all."""
    import shutil

    site, out, editor = built
    body_edit(editor, 1)
    build(site, build_options(out))
    body_edit(editor, 2)
    build(site, build_options(out))
    assert _trees_record(site, out)["apart"] is not None
    shutil.rmtree(out.parent / f".{out.name}.staging")
    body_edit(editor, 3)
    report = build(site, build_options(out))
    assert report.written + report.unchanged == len([p for p in out.rglob("*") if p.is_file()]) > 50
    assert_as_clean(site, out, tmp_path, report)


def _damage_a_parse_page(memo_path, keep: str) -> None:
    """Overwrite the header of one leaf page of the ``parse`` table that does not hold ``keep``'s row: the
    file opens, that row reads, and reading every row (the long way) fails halfway."""
    db = sqlite3.connect(memo_path)
    size = db.execute("PRAGMA page_size").fetchone()[0]
    leaves = [n for (n,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'parse' AND pagetype = 'leaf'")]
    db.close()
    original = memo_path.read_bytes()
    for n in leaves:
        data = bytearray(original)
        data[(n - 1) * size : (n - 1) * size + 16] = b"\xff" * 16
        memo_path.write_bytes(bytes(data))
        try:
            sqlite3.connect(memo_path).execute("SELECT value FROM parse WHERE source = ?", (keep,)).fetchone()
            return
        except sqlite3.DatabaseError:
            continue
    pytest.skip("no parse page could be damaged apart from the kept row")


def test_a_body_edit_that_gave_up_after_reading_some_tree_rows_leaves_no_part_of_them_to_the_long_way(built, tmp_path):
    """Found by a cold attack: a body edit read part of the trees' manifests, then gave up (staging was gone);
    the long way then found the memo damaged, started it afresh, and saved those partial manifests as the
    whole. The build after it (an article deleted) left the article's page in output."""
    import shutil

    site, out, editor = built
    body_edit(editor, 1)
    assert build(site, build_options(out)).bodies_only  # staging level, and the record says where the trees differ
    editor.replace("content/2024/bai-09.md", "Đoạn hai", "Đoạn hai đã sửa")
    shutil.rmtree(out.parent / f".{out.name}.staging")
    _damage_a_parse_page(cache_dir(site, out) / FILE, "content/2024/bai-09.md")
    report = build(site, build_options(out))
    assert not report.bodies_only
    assert_as_clean(site, out, tmp_path, report)
    (site / "content/2024/bai-03.md").unlink()
    report = build(site, build_options(out))
    assert_as_clean(site, out, tmp_path, report, "clean-deleted")


# --- titles and summaries ------------------------------------------------------------------------

OLD_TITLE = "Bài số 5 về phong trào thi đua"


def title_edit(editor: Editor, title: str) -> None:
    text = (editor.site / EDITED).read_text(encoding="utf-8")
    editor.write(EDITED, re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M))


def search_rows(out) -> list[list]:
    rows = []
    for chunk in sorted((out / "tim-kiem/index/d").glob("*.json"), key=lambda p: int(p.stem)):
        rows += json.loads(chunk.read_bytes())
    return rows


def test_a_title_edit_renders_every_page_showing_the_article_from_the_plan(built, tmp_path):
    """A title shows on the article's page, its neighbours', the lists, the feeds and the search results, but
    places the article nowhere: the build redoes those pages from their plans and the search files that hold it."""
    site, out, editor = built
    assert OLD_TITLE in (out / "tim-kiem/index/d/0.json").read_text(encoding="utf-8") or any(
        r[1] == OLD_TITLE for r in search_rows(out)
    )
    for n in (1, 2):
        title = f"Bài thứ năm, đặt tên lại lần {n}"
        title_edit(editor, title)
        report = build(site, build_options(out))
        assert report.bodies_only
        assert report.rendered > 4  # its page, its neighbours', its category's, tag's, author's, month's lists
        page = (out / EDITED_PAGE).read_text(encoding="utf-8")
        assert f"<title>{title} | " in page and f'<meta property="og:title" content="{title}">' in page
        showing = [p for p in out.rglob("*") if p.is_file() and title.encode() in p.read_bytes()]
        assert any(p.match("chuyen-muc/*/index.html") for p in showing)
        assert any(p.name == "feed.xml" for p in showing)
        assert not [p for p in out.rglob("*") if p.is_file() and OLD_TITLE.encode() in p.read_bytes()]
        [row] = [r for r in search_rows(out) if r[0].endswith("/bai-05/")]
        assert row[1] == title
        assert_as_clean(site, out, tmp_path, report, f"clean-{n}")


def test_a_summary_edit_reaches_the_lists_and_the_search_results(built, tmp_path):
    site, out, editor = built
    editor.replace(EDITED, "title: ", 'summary: "Tóm tắt đầu tiên."\ntitle: ')  # a line more: the long way
    assert not build(site, build_options(out)).bodies_only
    editor.replace(EDITED, "Tóm tắt đầu tiên.", "Tóm tắt đã viết lại, dài hơn một chút.")
    report = build(site, build_options(out))
    assert report.bodies_only
    [row] = [r for r in search_rows(out) if r[0].endswith("/bai-05/")]
    assert row[5] == "Tóm tắt đã viết lại, dài hơn một chút."
    assert_as_clean(site, out, tmp_path, report)


def _shown_page(db) -> tuple[str, list]:
    """A list page showing the edited article, and its stored plan."""
    from newsroom.codec import decode

    [(path,)] = db.execute(
        "SELECT path FROM shown WHERE source = ? AND path LIKE 'chuyen-muc/%' LIMIT 1", (EDITED,)
    ).fetchall()
    [(row,)] = db.execute("SELECT value FROM plan WHERE path = ?", (path,)).fetchall()
    return path, decode(row[16:])


def _title_copied_into_a_list(db):
    """A plan whose context holds the old title as a text of its own (not through the article): the build
    cannot tell what to put there, so it goes the long way."""
    path, (fingerprint, template, url, context, bodies) = _shown_page(db)
    context["heading"] = OLD_TITLE
    db.execute(
        "UPDATE plan SET value = ? WHERE path = ?",
        (_sealed(encode([fingerprint, template, url, context, bodies])), path),
    )


def _own_page_without_its_title(db):
    from newsroom.codec import decode

    [(row,)] = db.execute("SELECT value FROM plan WHERE path = ?", (EDITED_PAGE,)).fetchall()
    fingerprint, template, url, context, bodies = decode(row[16:])
    context["title"] = "Một tiêu đề khác"
    value = _sealed(encode([fingerprint, template, url, context, bodies]))
    db.execute("UPDATE plan SET value = ? WHERE path = ?", (value, EDITED_PAGE))


def _list_plan_without_context(db):
    path, (fingerprint, template, url, _context, bodies) = _shown_page(db)
    db.execute(
        "UPDATE plan SET value = ? WHERE path = ?", (_sealed(encode([fingerprint, template, url, None, bodies])), path)
    )


def _published_chunk_not_as_recorded(db):
    """The record of the search files says another digest for the chunk holding the article."""
    from newsroom.codec import decode

    [(row,)] = db.execute("SELECT value FROM info WHERE name = 'search'").fetchall()
    key, files = decode(row[16:])
    files = {path: ("0" * 32 if "/d/" in path else digest) for path, digest in files.items()}
    db.execute("UPDATE info SET value = ? WHERE name = 'search'", (_sealed(encode([key, files])),))


@pytest.mark.parametrize(
    "spoil",
    [
        _title_copied_into_a_list,
        _own_page_without_its_title,
        _list_plan_without_context,
        _published_chunk_not_as_recorded,
    ],
)
def test_a_title_edit_the_plan_cannot_vouch_for_goes_the_long_way(built, tmp_path, spoil):
    _spoiled_then_edited_twice(
        built, tmp_path, spoil, lambda editor, n: title_edit(editor, f"Bài thứ năm, tên mới {n}")
    )


@pytest.mark.parametrize("where", STEPS)
def test_a_title_edit_stopped_at_any_step_is_finished_by_the_next_build(built, tmp_path, where):
    site, out, editor = built
    title_edit(editor, "Bài thứ năm nhắc tới xoàidừahấu")

    def stop(name):
        if name == where:
            raise _Stop(name)

    with pytest.raises(_Stop):
        build(site, BuildOptions(output=out, now=NOW, checkpoint=stop))
    report = build(site, build_options(out))
    assert_as_clean(site, out, tmp_path, report)


def test_the_layout_of_a_front_matter_leaves_out_only_the_words_of_its_title_and_summary():
    from newsroom import frontmatter

    def layout(text):
        parts = frontmatter.split(text)
        return frontmatter.layout(parts, frontmatter.fields(parts), frozenset({"title", "summary"}))

    base = layout('---\ntitle: "Một"\nsummary: Hai\nimage: anh.jpg\n---\nThân.\n')
    assert layout('---\ntitle: "Một, sửa"\nsummary: Hai ba\nimage: anh.jpg\n---\nThân khác.\n') == base
    assert layout("---\ntitle: >\n  Một\n  dòng\nsummary: Hai\nimage: anh.jpg\n---\n") != base  # image moved a line
    assert layout('---\ntitle: "Một"\nsummary: Hai\nimage: anh-2.jpg\n---\n') != base
    assert layout('---\ntitle: "Một"  # ghi chú\nsummary: Hai\nimage: anh.jpg\n---\n') == base
    assert layout('---\nsummary: Hai\ntitle: "Một"\nimage: anh.jpg\n---\n') != base  # fields reordered
    # A title over several lines is kept as written: a line of it may read like another field's (``line_of``).
    two_lines = layout('---\ntitle: "Một\n  hai"\nimage: anh.jpg\n---\n')
    assert two_lines != layout('---\ntitle: "Một\nimage: hai"\nimage: anh.jpg\n---\n')


def test_a_title_over_several_lines_is_redone_the_long_way(tmp_path):
    """The photo step finds the featured picture's line in the file itself, without parsing it: a line inside a
    long quoted title that comes to read ``image: …`` moves the warning about a missing picture there in a clean
    build. Only titles and summaries written on one line are redone from the plan, so the warnings stay a clean
    build's (found by a cold attack)."""
    site = site_with(tmp_path)
    editor = Editor(site)
    text = article("Ảnh", "Đảng, đoàn thể", "2024-03-20 08:00", "Mở đầu.", image="thieu.jpg")
    editor.write("content/2024/anh.md", text.replace("title: Ảnh", 'title: "Ảnh đẹp\nvề quê\nhương"'))
    out = tmp_path / "out"
    build(site, build_options(out))
    for old, new in (("\nvề quê", "\nimage: quê"), ("\nimage: quê", "\n  image: quê")):
        editor.replace("content/2024/anh.md", old, new)
        report = build(site, build_options(out))
        assert not report.bodies_only
        assert_as_clean(site, out, tmp_path, report, f"clean-{len(new)}")


def test_a_memo_found_damaged_only_when_written_to_gives_a_clean_build(built, tmp_path):
    """Damage in pages no read touches (here, every page of the ``item`` table) shows only when SQLite writes
    there, halfway through the long way: the build starts again from a clean memo, as it does when a record it
    needs is lost, and the editor sees a whole build, not a traceback. The next edit is quick again."""
    site, out, editor = built
    memo_path = cache_dir(site, out) / FILE
    db = sqlite3.connect(memo_path)
    size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = [n for (n,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'item'")]
    db.close()
    data = bytearray(memo_path.read_bytes())
    for n in pages:
        start = (n - 1) * size + (100 if n == 1 else 0)
        data[start : start + 16] = b"\xff" * 16
    memo_path.write_bytes(bytes(data))
    editor.replace(EDITED, "[Dân vận khéo]", "[Dân vận khéo, Chuyển đổi số]")  # the long way, which writes item rows
    report = build(site, build_options(out))
    assert not report.bodies_only
    assert_as_clean(site, out, tmp_path, report)
    body_edit(editor)
    report = build(site, build_options(out))
    assert report.bodies_only
    assert_as_clean(site, out, tmp_path, report, "clean-2")
