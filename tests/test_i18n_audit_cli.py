"""Issue 16, the audit of every command in Vietnamese: the command line, the templates, the preview.

Each case goes through the real command line (``python build.py …`` in a process of its own, whose
language is chosen at start-up from the environment) or the real preview server, and checks what an
editor reads: the site's language once config.yaml is read, template and theme.po problems located
and explained, the preview's address and port refused in words, the operating system's errors in the
editor's language, the preview saying what it keeps, and hints of several lines laid out under ``gợi ý:``.
"""

from __future__ import annotations

import errno
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import ROOT, article, write_site

from newsroom import i18n
from newsroom.errors import ContentError

CATEGORIES = ["Tin tức - Sự kiện", "Thông báo"]


def cli(*args: str, lang_env: str | None = None, locale: str = "C.UTF-8") -> subprocess.CompletedProcess:
    """``python build.py ARGS`` with the language chosen as an editor's computer would: no NEWSROOM_LANG
    (unless given), the locale variables saying ``locale`` (English for C), so only config.yaml says Vietnamese."""
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSROOM_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(PYTHONPATH=str(ROOT), LANG=locale)
    if lang_env:
        env["NEWSROOM_LANG"] = lang_env
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def vi_site(tmp_path) -> Path:
    """A site whose config.yaml says ``language: vi``, with one article."""
    return write_site(tmp_path / "site", {"2024/tin.md": article("Tin")}, language="vi")


# --- 1. errors raised after config.yaml is read speak the site's language ---------------------------


def test_new_with_an_unknown_category_speaks_the_site_language(vi_site):
    result = cli("new", "Bài mới", "--category", "Chuyên mục lạ", "--site", str(vi_site))
    assert result.returncode == 1
    assert "lỗi: chuyên mục 'Chuyên mục lạ'" in result.stderr, result.stderr
    assert "error:" not in result.stderr


def test_build_with_a_bad_base_url_speaks_the_site_language(vi_site):
    result = cli("build", "--site", str(vi_site), "--base-url", "notaurl")
    assert result.returncode == 1
    assert ": lỗi: " in result.stderr and "gợi ý: " in result.stderr, result.stderr
    assert "error:" not in result.stderr and "hint:" not in result.stderr


def test_an_error_in_config_yaml_itself_keeps_the_language_before_it(tmp_path):
    site = write_site(tmp_path / "site", {}, language="vi", per_pag=3)
    result = cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "config.yaml" in result.stderr and ": error: " in result.stderr, result.stderr


# --- 2. template errors: a translated sentence, a hint, the file that is not UTF-8 -------------------


def _theme(site: Path, name: str, body: bytes) -> Path:
    templates = site / "themes" / "hong" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / name).write_bytes(body)
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: hong\n", encoding="utf-8")
    return templates


@pytest.mark.parametrize(
    "source, detail",
    [
        (b"<p>\n{% if %}\n{% endif %}</p>\n", "Expected an expression, got 'end of statement block'"),
        (b"<p>\n{{ page_url | nofilter }}\n</p>\n", "No filter named 'nofilter'."),
    ],
)
def test_a_template_syntax_error_is_a_sentence_with_a_hint(vi_site, source, detail):
    templates = _theme(vi_site, "article.html", source)
    result = cli("build", "--site", str(vi_site))
    assert result.returncode == 1
    where = f"{templates}/article.html:2"
    assert f"{where}: lỗi: mẫu trang có lỗi, không đọc được: '{detail}'" in result.stderr, result.stderr
    assert "    gợi ý: " in result.stderr
    english = cli("build", "--site", str(vi_site), "--lang", "en").stderr
    assert f"{where}: error: the template cannot be read: '{detail}'" in english, english
    assert "    hint: check the tags" in english


def test_a_template_not_saved_as_utf8_is_named_with_its_line(vi_site):
    templates = _theme(vi_site, "article.html", "<p>\nđây là\n".encode("cp1258") + b"\xe0\xe1\n</p>\n")
    result = cli("build", "--site", str(vi_site))
    assert result.returncode == 1
    assert f"{templates}/article.html:2: lỗi: mẫu trang article.html không được lưu ở dạng UTF-8" in result.stderr, (
        result.stderr
    )
    assert "UnicodeDecodeError" not in result.stderr
    assert "gợi ý: " in result.stderr and "UTF-8" in result.stderr.split("gợi ý: ")[1]


# --- 3. a broken theme.po: located at its line, site-relative, the reason translated -------------------


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ('msgid "Tin mới nhất"\nmsgstr Tin mới\n', 2, "ở đây phải là một đoạn chữ đặt trong dấu ngoặc kép"),
        ('msgid "a"\nmsgstr "b"\nnonsense "c"\n', 3, "không đọc được 'nonsense'"),
        ('"lạc"\n', 1, "đoạn chữ trong ngoặc kép đứng ngoài một mục"),
        ('msgid "a"\nmsgstr "b \\"\n', 2, "đoạn chữ trong ngoặc kép bị hỏng"),
    ],
)
def test_a_broken_theme_po_is_located_and_explained(vi_site, text, line, reason):
    folder = vi_site / "themes" / "default" / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "theme.po").write_text(text, encoding="utf-8")
    result = cli("build", "--site", str(vi_site))
    assert result.returncode == 1
    where = f"themes/default/locale/vi/LC_MESSAGES/theme.po:{line}"
    assert f"{where}: lỗi: không đọc được tệp bản dịch của giao diện: {reason}" in result.stderr, result.stderr
    assert str(vi_site) not in result.stderr  # the path as the editor sees it in the site folder
    assert "gợi ý: " in result.stderr


# --- 4. serve: an address this computer does not have, a port out of range ----------------------------


@pytest.mark.parametrize("host", ["nosuch.invalid", "10.9.9.9"])
def test_serve_on_an_address_this_computer_cannot_use(vi_site, host):
    result = cli("serve", "--site", str(vi_site), "--host", host, "--port", "0", "--no-desk")
    assert result.returncode == 1
    assert f"lỗi: không dùng được địa chỉ {host} trên máy này" in result.stderr, result.stderr
    assert "gợi ý: " in result.stderr and "127.0.0.1" in result.stderr
    assert "dung lượng" not in result.stderr  # not the disk's advice


@pytest.mark.parametrize("port", ["70000", "-1", "tám"])
def test_serve_refuses_a_port_out_of_range(vi_site, port):
    result = cli("serve", "--site", str(vi_site), "--port", port, lang_env="vi")
    assert result.returncode == 2
    assert f"--port: '{port}' không phải là số cổng (số nguyên từ 0 đến 65535)" in result.stderr, result.stderr


# --- 5. the operating system's errors in the editor's language --------------------------------------


def test_os_errors_are_worded_by_errno_in_the_language():
    vi = i18n.translator("vi")
    assert vi(i18n.os_error_text(PermissionError(errno.EACCES, "Permission denied", "x"))) == "không có quyền truy cập"
    assert vi(i18n.os_error_text(OSError(errno.ENOSPC, "No space left on device"))) == "ổ đĩa đã hết chỗ trống"
    assert i18n.ENGLISH(i18n.os_error_text(OSError(errno.EROFS, "Read-only file system"))) == "Read-only file system"
    assert vi(i18n.os_error_text(OSError(errno.EHOSTDOWN, "Host is down"))) == "Host is down"  # unknown: as it is


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_the_command_line_says_a_refused_folder_in_vietnamese(vi_site):
    content = vi_site / "content"
    for folder in (content, *content.iterdir()):
        folder.chmod(0o500)  # no new year folder, no new file in 2024/
    try:
        result = cli("new", "Bài mới", "--category", "Thông báo", "--site", str(vi_site))
    finally:
        for folder in (content, *content.iterdir()):
            folder.chmod(0o700)
    assert result.returncode == 1
    assert "lỗi: không có quyền truy cập" in result.stderr, result.stderr
    assert "Permission denied" not in result.stderr


def test_the_command_line_says_a_disk_error_in_vietnamese(vi_site, tmp_path):
    """An output folder under a file: the system's 'File exists', worded in the site's language (root too)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("build", "--site", str(vi_site), "--output", str(blocker / "out"))
    assert result.returncode == 1
    assert f"lỗi: tệp đã có sẵn ({blocker})" in result.stderr, result.stderr
    assert "File exists" not in result.stderr


# --- 6. the preview: what it keeps, the first build failing, its warnings -----------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8")
    conn.close()
    return response.status, body


def _serve(site: Path, ask: str = "/") -> tuple[str, int, str]:
    """Run ``build.py serve`` (the site's language), GET ``ask`` once it is up, then Ctrl-C:
    (everything it printed, the status and body of the answer)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_LANG"}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        status, body = _get(port, ask)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return first + out + err, status, body


def test_a_first_preview_build_that_fails_shows_its_errors_at_the_root(tmp_path):
    site = write_site(tmp_path / "site", {"2024/hong.md": article("Bài hỏng", "Chuyên mục không có")}, language="vi")
    said, _status, body = _serve(site)
    assert "content/2024/hong.md:" in body and ": lỗi: " in body, body
    assert "Lỗi khi tạo trang" in body
    assert body.strip() != "Không tìm thấy"
    assert "output/" not in said and "output/" not in body  # the preview never touches output/
    assert "bản xem trước" in said or "xem trước" in said


def test_the_preview_prints_its_warnings(tmp_path):
    site = write_site(tmp_path / "site", {"2024/tin.md": article("Tin", legacy_views="nhiều")}, language="vi")
    said, status, _body = _serve(site)
    assert status == 200
    assert re.search(r"content/2024/tin\.md:\d+(:\d+)?: cảnh báo: ", said), said


# --- 7. hints of several lines stay under the hint ---------------------------------------------------


def test_a_hint_of_several_lines_is_indented_under_it():
    error = ContentError("a.md", 3, "bad", "write it like this:\ndocument:\n  number: 1")
    assert error.render() == (
        "a.md:3: error: bad\n    hint: write it like this:\n        document:\n          number: 1"
    )
    vi = i18n.translator("vi")
    lines = error.render(vi).splitlines()
    assert lines[1].startswith("    gợi ý: ") and all(line.startswith("        ") for line in lines[2:])


# --- 7. the Vietnamese wordings the audit settled ------------------------------------------------------


def test_the_build_summary_says_pages_from_articles(vi_site):
    result = cli("build", "--site", str(vi_site))
    assert result.returncode == 0, result.stderr
    assert re.match(r"đã tạo \d+ trang từ 1 bài viết trong .* \(làm mới \d+ trang; tệp: ", result.stdout), result.stdout
    assert "dựng" not in result.stdout


def test_a_permalink_with_an_unknown_part_is_worded_plainly(tmp_path):
    site = write_site(tmp_path / "site", {}, language="vi", permalinks={"article": "{year}/{foo}/{slug}/"})
    result = cli("build", "--site", str(site), lang_env="vi")
    assert "mẫu địa chỉ của 'article' có {foo}, nhưng không có phần nào tên như vậy" in result.stderr, result.stderr


def test_an_unknown_option_is_named_as_one(vi_site):
    result = cli("build", "--site", str(vi_site), "--bogus", lang_env="vi")
    assert result.returncode == 2
    assert "lỗi: không có tùy chọn --bogus" in result.stderr, result.stderr


def test_the_catalogue_uses_the_settled_words():
    """The words the audit replaced are gone from every Vietnamese text (config keys are 'mục', SSH keys stay 'khóa')."""
    texts = [form for forms in i18n.read_po(i18n.catalogue_path("vi")).values() for form in forms]
    assert not [t for t in texts if "dựng" in t or "xoá" in t.lower() or "trang tĩnh" in t.lower()]
    keys = ("unknown menu key '{key}'", "unknown publisher key '{key}'", "unknown deploy key '{key}'")
    said = i18n.translator("vi")
    assert all(k in i18n.read_po(i18n.catalogue_path("vi")) for k in keys)
    assert not [k for k in keys if "khóa" in said(i18n._(k, key="x"))]
    assert not [t for t in texts if t.startswith("không hiểu")]


def test_a_menu_hint_of_several_lines_in_vietnamese_is_indented(tmp_path):
    site = write_site(tmp_path / "site", {}, language="vi", menu="Tin tức")
    result = cli("build", "--site", str(site), lang_env="vi")
    lines = result.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    gợi ý: "))
    assert len(lines) > start + 1 and all(line.startswith("        ") for line in lines[start + 1 :]), result.stderr
