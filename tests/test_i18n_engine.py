"""The build engine's messages in Vietnamese (issue 16): build.py, pages.py, render.py and output.py's
texts, checked through the real command line in ``--lang vi`` and ``--lang en``.

Each case runs the same site twice. The Vietnamese run must report the same problems at the same
``file:line`` as the English one, in the ``lỗi: …`` / ``gợi ý: …`` layout, with no English sentence of
the catalogue left in it; the English run must still say today's English text (the msgid).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import article, run_cli, untranslated_pieces, write_site

from newsroom import i18n

CATEGORIES = ["Tin tức - Sự kiện", "Thông báo"]
# ``where: error: message`` / ``where: lỗi: message``; ``where`` is a file with an optional line and column.
LOCATED = re.compile(
    r"^(?P<where>\S+?)(?::(?P<line>\d+))?(?::(?P<column>\d+))?: (?P<severity>error|lỗi): (?P<message>.*)$"
)
# The English layout's words: a Vietnamese run says lỗi: / gợi ý: / cảnh báo: instead.
ENGLISH_MARKS = ("error:", "hint:", "warning:")


def _run(*args: str) -> dict[str, str]:
    """The command in both languages: language -> stdout + stderr, no traceback in either."""
    said = {}
    for language in ("vi", "en"):
        result = run_cli(*args, "--lang", language)
        assert "Traceback" not in result.stderr, result.stderr
        said[language] = result.stdout + result.stderr
    return said


def _places(text: str) -> list[tuple[str, str | None]]:
    """Where each reported problem is: (file, line)."""
    return [(m["where"], m["line"]) for m in map(LOCATED.match, text.splitlines()) if m]


def _vietnamese_only(said: dict[str, str]) -> None:
    """The Vietnamese run: same places as the English one, Vietnamese layout, no English sentence left."""
    vi, en = said["vi"], said["en"]
    assert _places(vi) == _places(en), (vi, en)
    for line in vi.splitlines():
        assert not any(mark in line for mark in ENGLISH_MARKS), line
    left = [sentence for sentence in untranslated_pieces() if sentence in vi]
    assert left == [], f"English left in the Vietnamese text: {left}\n{vi}"
    if _places(en):
        assert "\n    gợi ý: " in vi and "\n    hint: " in en


def _located(text: str, where: str, line: int | None = None) -> str:
    """The message reported at ``where`` (and ``line``), with its hint line."""
    lines = text.splitlines()
    for i, row in enumerate(lines):
        match = LOCATED.match(row)
        if match and match["where"] == where and (line is None or match["line"] == str(line)):
            hint = lines[i + 1] if i + 1 < len(lines) else ""
            return match["message"] + "\n" + hint
    raise AssertionError(f"nothing reported at {where}:{line}\n{text}")


def test_a_theme_template_error(tmp_path):
    site = write_site(
        tmp_path / "site", {"2024/tin.md": article("Tin", "Thông báo")}, categories=CATEGORIES, theme="hong"
    )
    templates = site / "themes" / "hong" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text("<p>\n{{ khong_co.gi_ca.o_day }}\n</p>\n", encoding="utf-8")
    said = _run("build", "--site", str(site))
    where = f"{templates}/article.html:2"
    # Jinja's own detail ('khong_co' is undefined) is not ours to translate: the sentence around it is.
    assert f"{where}: error: rendering /2024/05/tin/ failed: UndefinedError: 'khong_co' is undefined" in said["en"]
    assert "    hint: check the template near this line" in said["en"]
    assert f"{where}: lỗi: không tạo được trang /2024/05/tin/: UndefinedError: 'khong_co' is undefined" in said["vi"]
    assert "    gợi ý: hãy xem lại mẫu trang quanh dòng này" in said["vi"]
    assert not (site / "output").exists()
    _vietnamese_only(said)


def test_a_theme_that_is_not_there(tmp_path):
    site = write_site(tmp_path / "site", {"2024/tin.md": article("Tin", "Thông báo")}, theme="khong-co")
    said = _run("build", "--site", str(site))
    assert "config.yaml: error: theme 'khong-co' not found" in said["en"]
    assert "config.yaml: lỗi: không tìm thấy giao diện (theme) 'khong-co'" in said["vi"]
    assert "gợi ý: hãy tạo thư mục themes/khong-co/templates/ trong trang, hoặc đặt  theme: default" in said["vi"]
    _vietnamese_only(said)


def test_url_clashes_between_articles_and_between_generated_pages(tmp_path):
    files = {
        "2024/a.md": article("Trùng một", "Thông báo", slug="trung"),
        "2024/b.md": article("Trùng hai", "Thông báo", slug="trung"),
    }
    site = write_site(tmp_path / "site", files, categories=CATEGORIES, permalinks={"archive": "2024/"})
    said = _run("check", "--site", str(site))
    assert (
        "content/2024/b.md:1: error: '2024/05/trung/index.html' would have the same URL as content/2024/a.md"
        in said["en"]
    )
    assert (
        "config.yaml: error: '2024/index.html' (the year page) would have the same URL as the archive page"
        in (said["en"])
    )
    assert "content/2024/b.md:1: lỗi: '2024/05/trung/index.html' sẽ trùng địa chỉ với content/2024/a.md" in said["vi"]
    assert "config.yaml: lỗi: '2024/index.html' (trang của một năm) sẽ trùng địa chỉ với trang lưu trữ" in said["vi"]
    assert "gợi ý: hãy cho mỗi loại trang một mẫu địa chỉ (permalink) riêng trong config.yaml" in said["vi"]
    _vietnamese_only(said)


def test_a_url_that_differs_only_in_letter_case_and_a_file_where_a_folder_must_go(tmp_path):
    files = {"2024/a.md": article("Tin", "Lưu trữ"), "2024/c.md": article("Ba", "Lưu trữ", slug="feed")}
    permalinks = {"archive": "Luu-tru/", "category": "{slug}/", "article": "{slug}.xml/"}
    site = write_site(tmp_path / "site", files, categories=["Lưu trữ", "Thông báo"], permalinks=permalinks)
    said = _run("check", "--site", str(site))
    assert (
        "config.yaml: error: 'Luu-tru/index.html' (the archive page) would have a URL that differs only in letter"
        " case or accents (luu-tru/index.html) as the list page" in said["en"]
    )
    assert (
        "content/2024/c.md:1: error: 'feed.xml/index.html' needs a folder 'feed.xml/' where the atom.xml page"
        in (said["en"])
    )
    assert (
        "config.yaml: lỗi: 'Luu-tru/index.html' (trang lưu trữ) sẽ có địa chỉ chỉ khác địa chỉ của trang danh"
        in (said["vi"])
    )
    assert "ở chữ hoa/chữ thường hoặc dấu (luu-tru/index.html)" in said["vi"]
    assert (
        "content/2024/c.md:1: lỗi: 'feed.xml/index.html' cần một thư mục 'feed.xml/' nhưng trang atom.xml"
        in (said["vi"])
    )
    _vietnamese_only(said)


def test_a_too_long_address(tmp_path):
    files = {"2024/dai.md": article("Tin dài", "Thông báo", slug="b" * 150)}
    site = write_site(tmp_path / "site", files, categories=CATEGORIES, permalinks={"article": "{year}/{slug}-{slug}/"})
    said = _run("check", "--site", str(site))
    assert "content/2024/dai.md:1: error: the address of this page has a part 301 bytes long" in said["en"]
    assert "file systems and web servers stop at 255" in said["en"]
    assert "content/2024/dai.md:1: lỗi: địa chỉ của trang này có một phần dài 301 byte" in said["vi"]
    assert "chỉ nhận tối đa 255 byte" in said["vi"]
    _vietnamese_only(said)


def test_a_missing_logo_and_a_missing_document_file(tmp_path):
    doc = '\ndocument:\n  number: "10/KH-UBND"\n  issued: 2024-01-05\n  issuer: "UBND huyện"\n  file: "files/vb.pdf"'
    files = {"2024/vb.md": article("Kế hoạch", "Thông báo").replace("\n---\n\n", doc + "\n---\n\n", 1)}
    site = write_site(tmp_path / "site", files, categories=CATEGORIES, publisher={"logo": "logo.png"})
    said = _run("build", "--site", str(site))
    assert "config.yaml: error: the publisher's logo 'logo.png' is not there (looked for static/logo.png)" in said["en"]
    assert "content/2024/vb.md:6: error: the document file 'files/vb.pdf' is not there" in said["en"]
    assert "config.yaml: lỗi: không thấy logo của cơ quan 'logo.png' (đã tìm static/logo.png)" in said["vi"]
    assert (
        "content/2024/vb.md:6: lỗi: không thấy tệp văn bản 'files/vb.pdf' (đã tìm content/2024/files/vb.pdf)"
        in (said["vi"])
    )
    assert "tạo trang thất bại: 2 lỗi" in said["vi"]
    assert not (site / "output").exists()
    _vietnamese_only(said)


@pytest.mark.parametrize("where", ["site", "site/content/2024", "foreign"])
def test_an_output_folder_refused(tmp_path, where):
    site = write_site(tmp_path / "site", {"2024/tin.md": article("Tin", "Thông báo")}, categories=CATEGORIES)
    target = tmp_path / where
    if where == "foreign":
        target.mkdir()
        (target / "ghi-chu.txt").write_text("của người khác")
    said = _run("build", "--site", str(site), "--output", str(target))
    for language, text in said.items():
        assert f"{target}" in text, (language, text)
    if where == "foreign":
        assert f"error: {target} already holds files that newsroom did not write" in said["en"]
        assert f"lỗi: {target} đang chứa những tệp không phải do newsroom tạo ra" in said["vi"]
        assert "gợi ý: hãy làm trống thư mục đó, chọn --output khác, hoặc thêm --force" in said["vi"]
        assert (target / "ghi-chu.txt").read_text() == "của người khác"
    elif where == "site":
        assert f"error: refusing to use {target} as the output folder: it is the site folder" in said["en"]
        assert f"lỗi: không dùng {target} làm thư mục kết quả: thư mục này là thư mục của trang" in said["vi"]
    else:
        assert f"it is inside the site's articles folder ({site}/content)" in said["en"]
        assert f"thư mục này nằm trong thư mục bài viết của trang ({site}/content)" in said["vi"]
    assert "    gợi ý: " in said["vi"] and "    hint: " in said["en"]
    _vietnamese_only(said)


def test_the_build_summary_and_the_drafts_and_scheduled_lines(tmp_path):
    files = {
        "2024/tin.md": article("Tin", "Thông báo"),
        "2024/nhap.md": article("Bản nháp", "Thông báo", draft=True),
        "2099/sau.md": article("Bài hẹn giờ", "Thông báo", date="2099-01-02 07:30"),
    }
    site = write_site(tmp_path / "site", files, categories=CATEGORIES)
    built = _run("build", "--site", str(site))
    assert re.search(r"built 1 article into \d+ pages in .*; 0 warnings; 2 drafts/scheduled left out", built["en"])
    assert re.search(r"; 2 bản nháp/bài hẹn giờ chưa đăng", built["vi"]), built["vi"]
    assert not re.search(r"\b(built|pages|warnings|left out)\b", built["vi"]), built["vi"]
    checked = _run("check", "--site", str(site))
    assert "content/2024/nhap.md: not published yet: draft" in checked["en"]
    assert "content/2099/sau.md: not published yet: scheduled for 2099-01-02 07:30" in checked["en"]
    assert "content/2024/nhap.md: chưa đăng: bản nháp" in checked["vi"]
    assert "content/2099/sau.md: chưa đăng: hẹn giờ đăng lúc 2099-01-02 07:30" in checked["vi"]
    assert "draft" not in checked["vi"].replace("draft: true", "") and "scheduled" not in checked["vi"]
    _vietnamese_only(built)
    _vietnamese_only(checked)


def test_the_unchanged_shortcut_says_the_skipped_reasons_in_the_language_of_the_second_build(tmp_path):
    """The last build's skipped reasons are kept in the memo as Messages (data, through the cache's codec):
    a build that changes nothing reads them back and speaks the language asked for now."""
    files = {"2024/tin.md": article("Tin", "Thông báo"), "2024/nhap.md": article("Nháp", "Thông báo", draft=True)}
    site = write_site(tmp_path / "site", files, categories=CATEGORIES)
    first = run_cli("build", "--site", str(site), "--lang", "en")
    assert first.returncode == 0, first.stderr
    again = run_cli("build", "--site", str(site), "--lang", "vi")
    assert again.returncode == 0 and "1 bản nháp/bài hẹn giờ chưa đăng" in again.stdout, again.stdout
    assert "left out" not in again.stdout


def test_every_engine_message_has_a_vietnamese_translation_that_differs_where_words_are_said():
    """The engine's sentences are in the vi catalogue in Vietnamese words (placeholders-only ones may match)."""
    catalogue = i18n.read_po(i18n.catalogue_path("vi"))
    ours = [
        "scheduled for {date}",
        "the document file '{file}' is not there (looked for {path})",
        "{output} would have the same URL as {other}",
        "rendering /{url} failed: {kind}: {problem}",
        "a worker process stopped unexpectedly ({why})",
        "refusing to use {output} as the output folder{through}: it {relation} {what}",
        "the site's articles folder",
    ]
    for msgid in ours:
        assert msgid in catalogue and catalogue[msgid][0] != msgid, msgid
    assert Path(i18n.catalogue_path("en")).is_file()
