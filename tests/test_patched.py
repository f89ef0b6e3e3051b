"""A process that builds again (the preview) puts edited bodies into its last analysis instead of
reading every article again (``build.patched``), and only when nothing but bodies changed.

Each edit below says which way the build must go: ``patched`` (the site not analysed again: the test
counts calls of ``build.analyse``) or analysed anew. Either way the output, the warnings and the
search index must equal a clean build's. File times are set in the past, as an editor's saves a few
seconds apart would leave them: a file saved within two seconds of a build is "racy" and sends the
next build the long way, which would hide what is tested here.
"""

from __future__ import annotations

import importlib
import os
import shutil
import threading
import time

import pytest
from sitekit import CATEGORIES, NOW, article, tree_bytes, tree_differences, write_site

from newsroom import BuildOptions, build
from newsroom.build import open_cache
from newsroom.errors import BuildFailed

build_module = importlib.import_module("newsroom.build")  # the package exports the function build as that name
PAST = time.time() - 1000  # every file's time: long settled


def site_with(tmp_path):
    files = {}
    for i in range(12):
        files[f"2024/bai-{i:02d}.md"] = article(
            f"Bài số {i} về phong trào thi đua",
            CATEGORIES[i % len(CATEGORIES)],
            f"2024-{1 + i % 12:02d}-{1 + i:02d} 08:00",
            f"**Mở đầu bài {i}.**\n\nĐoạn hai của bài {i}.\n\nĐoạn ba của bài {i}."
            + ("\n\n![Ảnh chưa có](anh-thieu.jpg)" if i == 3 else ""),
            tags=["Dân vận khéo"],
        )
    files["pages/gioi-thieu.md"] = "---\ntitle: Giới thiệu\n---\n\nVề huyện.\n\nĐoạn hai.\n"
    files["2024/co-anh.md"] = article(
        "Bài có ảnh đại diện", CATEGORIES[0], "2024-03-15 08:00", "Mở đầu.\n\nĐoạn hai.", image="anh-dai-dien.jpg"
    )
    site = write_site(tmp_path / "site", files, per_page=4)
    for path in site.rglob("*"):
        os.utime(path, (PAST, PAST))
    return site


@pytest.fixture
def analysed(monkeypatch):
    """How many times the site was analysed the long way."""
    calls = []
    original = build_module.analyse

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, "analyse", counting)
    return calls


class Editor:
    """Edits files of the site the way a save does, each with a time of its own in the past."""

    def __init__(self, site):
        self.site = site
        self.saves = 0

    def write(self, rel: str, text: str) -> None:
        path = self.site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.saves += 1
        os.utime(path, (PAST + self.saves, PAST + self.saves))

    def replace(self, rel: str, old: str, new: str) -> None:
        text = (self.site / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        self.write(rel, text.replace(old, new, 1))


def build_options(out):
    return BuildOptions(output=out, now=NOW)


def clean_build(site, tmp_path, name):
    out = tmp_path / name
    report = build(site, BuildOptions(output=out, now=NOW, clean=True))
    return out, report


# (what the edit is, the edit, whether the preview patches it in (only bodies changed), whether a command-line
# build redoes it from the stored plan (only bodies, titles or summaries changed))
EDITS = [
    (
        "a sentence appended",
        lambda e: e.replace("content/2024/bai-05.md", "Đoạn ba của bài 5.", "Đoạn ba, sửa lại."),
        True,
        True,
    ),
    (
        "a middle paragraph",
        lambda e: e.replace("content/2024/bai-06.md", "Đoạn hai của bài 6.", "Đoạn hai mới."),
        True,
        True,
    ),
    ("two articles at once", lambda e: _two(e), True, True),
    (
        "an info page's body",
        lambda e: e.replace("content/pages/gioi-thieu.md", "Đoạn hai.", "Đoạn hai, mới."),
        True,
        True,
    ),
    ("a body below a warning", lambda e: e.replace("content/2024/bai-03.md", "jpg)", "jpg)\n\nThêm câu."), True, True),
    (
        "the first paragraph (the summary)",
        lambda e: e.replace("content/2024/bai-07.md", "Mở đầu bài 7", "Mở đầu khác"),
        False,
        True,
    ),
    ("front matter reordered (the missing picture's line moves)", lambda e: _reordered(e), False, False),
    ("the title", lambda e: e.replace("content/2024/bai-08.md", "Bài số 8", "Bài số tám"), False, True),
    (
        "the title of an article with a featured picture",
        lambda e: e.replace("content/2024/co-anh.md", "Bài có ảnh", "Bài có hình"),
        False,
        True,
    ),
    (
        "a summary written in, and the title",
        lambda e: e.replace("content/2024/bai-02.md", "title: ", 'summary: "Tóm tắt mới."\ntitle: '),
        False,
        False,  # a line more: every field below it moves
    ),
    (
        "the title and a body at once, with another article's body",
        lambda e: _title_and_body(e),
        False,
        True,
    ),
    (
        "an info page's title",
        lambda e: e.replace("content/pages/gioi-thieu.md", "Giới thiệu", "Về chúng tôi"),
        False,
        False,
    ),
    (
        "a link added",
        lambda e: e.replace("content/2024/bai-09.md", "Đoạn hai", "[Xem](bai-01.md) Đoạn hai"),
        False,
        False,
    ),
    (
        "a line above a warning",
        lambda e: e.replace("content/2024/bai-03.md", "Đoạn hai", "Mới.\n\nĐoạn hai"),
        False,
        False,
    ),
    (
        "a new article",
        lambda e: e.write("content/2024/moi.md", article("Bài mới", CATEGORIES[0], "2024-06-30 08:00", "Mới.")),
        False,
        False,
    ),
    ("a body and a static file", lambda e: _body_and_static(e), False, False),
    (
        "an article made a draft",
        lambda e: e.replace("content/2024/bai-10.md", "---\n", "---\ndraft: true\n"),
        False,
        False,
    ),
    ("back to words only", lambda e: e.replace("content/2024/bai-11.md", "Đoạn ba", "Đoạn ba (sửa)"), True, True),
]


def _title_and_body(editor):
    editor.replace("content/2024/bai-01.md", "Bài số 1 ", "Bài thứ nhất ")
    editor.replace("content/2024/bai-01.md", "Đoạn hai của bài 1.", "Đoạn hai, viết lại.")
    editor.replace("content/2024/bai-06.md", "Đoạn hai mới.", "Đoạn hai mới, lần nữa.")


def _reordered(editor):
    """The same fields in another order, and a body edit: the warning about the featured picture (which the
    photo step finds in the file itself) moves to another line."""
    rel = "content/2024/co-anh.md"
    text = (editor.site / rel).read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = head.split("\n")
    image = next(line for line in lines if line.startswith("image:"))
    lines.remove(image)
    lines.insert(1, image)
    editor.write(rel, "\n".join(lines) + "\n---\n" + body.replace("Đoạn hai.", "Đoạn hai, sửa."))


def _two(editor):
    editor.replace("content/2024/bai-01.md", "Đoạn ba của bài 1.", "Đoạn ba khác.")
    editor.replace("content/2024/bai-02.md", "Đoạn hai của bài 2.", "Đoạn hai khác.")


def _body_and_static(editor):
    editor.replace("content/2024/bai-04.md", "Đoạn ba của bài 4.", "Đoạn ba khác.")
    editor.write("static/ghi-chu.txt", "tệp tĩnh\n")


def test_body_edits_are_patched_in_and_the_rest_analysed_anew_always_as_a_clean_build(tmp_path, analysed):
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    editor = Editor(site)
    for number, (what, edit, only_bodies, _one_shot) in enumerate(EDITS):
        analysed.clear()
        edit(editor)
        report = build(site, build_options(out), cache=cache)
        assert (not analysed) == only_bodies, f"{what}: analysed {len(analysed)} times"
        clean, clean_report = clean_build(site, tmp_path, f"clean-{number}")
        assert tree_differences(tree_bytes(out), tree_bytes(clean)) == [], what
        assert report.warnings == clean_report.warnings, what
        assert (report.articles, report.pages) == (clean_report.articles, clean_report.pages), what
        shutil.rmtree(clean)
    assert "Đoạn ba (sửa)" in (out / "2024/12/bai-11/index.html").read_text(encoding="utf-8")
    # A build from the command line reads the record the patched builds left: nothing changed, same warnings.
    report = build(site, build_options(out))
    assert report.rendered == 0 and report.warnings == clean_report.warnings


def test_command_line_builds_put_body_edits_in_from_the_stored_plan_and_analyse_the_rest(tmp_path, analysed):
    """Without a cache kept in memory, a build whose only edits are bodies, titles or summaries takes the stored
    plan (``body_edit``): the site is not analysed, and the output, warnings and search index equal a clean build's."""
    site = site_with(tmp_path)
    out = tmp_path / "out"
    build(site, build_options(out))
    editor = Editor(site)
    for number, (what, edit, _only_bodies, one_shot) in enumerate(EDITS):
        analysed.clear()
        edit(editor)
        report = build(site, build_options(out))
        assert report.bodies_only == one_shot, what
        assert (not analysed) == one_shot, f"{what}: analysed {len(analysed)} times"
        clean, clean_report = clean_build(site, tmp_path, f"clean-{number}")
        assert tree_differences(tree_bytes(out), tree_bytes(clean)) == [], what
        assert report.warnings == clean_report.warnings, what
        assert report.skipped == clean_report.skipped, what
        assert (report.articles, report.pages) == (clean_report.articles, clean_report.pages), what
        shutil.rmtree(clean)
        again = build(site, build_options(out))  # the record it left says nothing changed
        assert again.rendered == 0 and again.written == 0 and not again.bodies_only, what
    assert "Đoạn ba (sửa)" in (out / "2024/12/bai-11/index.html").read_text(encoding="utf-8")


def test_a_failed_build_forgets_the_kept_analysis(tmp_path, analysed):
    """A build that fails has read the broken file into the cache: the fix must not be compared with it."""
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    editor = Editor(site)
    editor.replace("content/2024/bai-05.md", "category: ", "category: Không có chuyên mục này ")
    with pytest.raises(BuildFailed):
        build(site, build_options(out), cache=cache)
    editor.replace("content/2024/bai-05.md", "category: Không có chuyên mục này ", "category: ")
    editor.replace("content/2024/bai-06.md", "Đoạn hai của bài 6.", "Đoạn hai mới.")
    analysed.clear()
    build(site, build_options(out), cache=cache)
    assert len(analysed) == 1
    clean, _ = clean_build(site, tmp_path, "clean")
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []
    # and the next body edit is patched again
    analysed.clear()
    editor.replace("content/2024/bai-06.md", "Đoạn hai mới.", "Đoạn hai mới hơn.")
    build(site, build_options(out), cache=cache)
    assert not analysed


def test_a_file_saved_within_the_racy_window_is_read_again_next_time(tmp_path, analysed):
    """Two same-size saves within one tick of the file clock: the second must still be seen."""
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    path = site / "content/2024/bai-05.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Đoạn ba của bài 5.", "Đoạn ba của bài X."), encoding="utf-8")
    stamp = os.stat(path).st_mtime_ns
    build(site, build_options(out), cache=cache)  # the file is racy now: its size and time vouch for nothing
    path.write_text(text.replace("Đoạn ba của bài 5.", "Đoạn ba của bài Y."), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # same size, same time
    analysed.clear()
    build(site, build_options(out), cache=cache)
    assert "bài Y" in (out / "2024/06/bai-05/index.html").read_text(encoding="utf-8")
    assert not analysed  # it was read again and patched in, not missed


def test_the_staging_tree_is_levelled_after_the_first_build_and_the_next_build_still_equals_a_clean_one(tmp_path):
    """The preview's first build leaves staging empty; ``level_staging`` links every output file into it
    (so the editor's first save does not pay for that), once, and the builds after it are unharmed."""
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    staging = tmp_path / ".out.staging"
    assert not staging.exists()  # a first build leaves none
    linked = build_module.level_staging(site, build_options(out), cache)
    files = [path for path in out.rglob("*") if path.is_file()]
    assert linked == len(files) > 20
    for path in files:
        assert os.stat(path).st_ino == os.stat(staging / path.relative_to(out)).st_ino, path
    assert build_module.level_staging(site, build_options(out), cache) == 0  # level already
    # The next process (here the command line's, in place of a preview started again) reads the levelled tree's record from the memo: its build writes only what changed.
    editor = Editor(site)
    editor.replace("content/2024/bai-06.md", "Đoạn hai của bài 6.", "Đoạn hai mới.")
    report = build(site, build_options(out))
    assert 0 < report.written < 10 and report.unchanged == len(files) - report.written, report
    clean, _ = clean_build(site, tmp_path, "clean")
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []


def test_levelling_stops_when_asked_and_the_next_build_starts_staging_afresh(tmp_path):
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    stop = threading.Event()
    stop.set()
    assert build_module.level_staging(site, build_options(out), cache, stop) == 0
    assert cache.staging_manifest is None  # nothing recorded: staging is unknown, not level
    Editor(site).replace("content/2024/bai-05.md", "Đoạn ba của bài 5.", "Đoạn ba, sửa lại.")
    build(site, build_options(out), cache=cache)
    clean, _ = clean_build(site, tmp_path, "clean")
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []


def test_an_article_read_again_with_the_same_bytes_keeps_its_body(tmp_path, analysed):
    """The preview's rhythm: a save is racy at the build right after it, so the next build reads the file
    again. Same bytes: its cached body (whose HTML is in the memo, not in memory) must be kept as it is, not
    put back as new with an empty HTML (found by a helper trying to break the patched path)."""
    site = site_with(tmp_path)
    out = tmp_path / "out"
    cache = open_cache(site, out)
    build(site, build_options(out), cache=cache)
    path = site / "content/2024/bai-05.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Đoạn ba của bài 5.", "Đoạn ba, sửa."), encoding="utf-8")
    build(site, build_options(out), cache=cache)  # racy now: read again by the next build
    editor = Editor(site)
    editor.replace("content/2024/bai-06.md", "Đoạn ba của bài 6.", "Đoạn ba sáu.")
    analysed.clear()
    build(site, build_options(out), cache=cache)
    assert not analysed
    editor.replace("content/2024/bai-04.md", "Bài số 4", "Bài số bốn")  # the neighbours' pages are rendered again
    build(site, build_options(out), cache=cache)
    assert "Đoạn ba, sửa." in (out / "2024/06/bai-05/index.html").read_text(encoding="utf-8")
    clean, _ = clean_build(site, tmp_path, "clean")
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []
    build(site, build_options(out))  # and from the memo on disk, as the command line reads it
    editor.replace("content/2024/bai-03.md", "Bài số 3", "Bài số ba")
    build(site, build_options(out))
    clean, _ = clean_build(site, tmp_path, "clean-2")
    assert tree_differences(tree_bytes(out), tree_bytes(clean)) == []
