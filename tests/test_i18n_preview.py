"""Issue 16, fourth part: photos, Markdown, the preview and the desk speak the editor's language.

Photo and Markdown problems through the real command line in Vietnamese and English; the words an
article body carries (document sizes, video labels) in the site's language; the preview server started
by the real CLI, whose terminal lines, build errors and error overlay follow the site's language or
--lang; the desk's pages and their script's words in the desk's language. Every Vietnamese output is
also checked for English left over: no piece of an English msgid that the Vietnamese catalogue words
differently may appear in it.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from servekit import DeskClient, get, running_preview
from sitekit import ROOT, article, build_ok, page, parse_html, run_cli, untranslated_pieces, write_site

from newsroom import i18n

UNSAFE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>\n'
MB_1_4 = int(1.4 * 1024 * 1024)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


# --- no English left in a Vietnamese output --------------------------------------------------------


ENGLISH_PIECES = untranslated_pieces()


def assert_no_english(text: str) -> None:
    left = sorted(piece for piece in ENGLISH_PIECES if piece in text)
    assert left == [], f"English left in a Vietnamese output: {left}\n{text}"
    assert not re.search(r"(^|\s)(error|warning|hint): ", text), text


# --- photo and Markdown problems through the command line --------------------------------------------


@pytest.fixture
def photo_site(tmp_path):
    body = (
        "Ảnh hỏng:\n\n![Ảnh hỏng](images/hong.jpg)\n\n"
        "Hình vẽ:\n\n![Hình vẽ](images/ve.svg)\n\n"
        "Ảnh lớn:\n\n![Ảnh lớn](images/lon.png)\n\n"
        "Ảnh thiếu:\n\n![Thiếu](images/khong-co.jpg)\n\n"
        "Văn bản: [Kế hoạch](files/khong-co.pdf)\n\n"
        "https://www.youtube.com/watch?v=abc\n"
    )
    site = write_site(
        tmp_path / "site",
        {"2024/anh.md": article("Bài có ảnh", "Thông báo", body=body, image="images/thieu.jpg")},
        max_image_pixels=10000,
    )
    images = site / "content/2024/images"
    images.mkdir()
    (images / "hong.jpg").write_bytes(b"this is not a picture at all")
    (images / "ve.svg").write_text(UNSAFE_SVG, encoding="utf-8")
    (images / "lon.png").write_bytes(png(200, 100))
    return site


def _problem(text: str, severity: str, message: str) -> str:
    """The line of ``message`` at its place in anh.md, with the severity word of the output's language."""
    match = re.search(rf"content/2024/anh\.md:\d+(:\d+)?: {severity}: {re.escape(message)}[^\n]*", text)
    assert match, f"{severity}: {message!r} not found in:\n{text}"
    return match.group(0)


def test_photo_and_markdown_problems_in_vietnamese(photo_site):
    result = run_cli("check", "--site", str(photo_site), "--lang", "vi")
    err = result.stderr
    assert result.returncode == 1, err
    _problem(err, "lỗi", "ảnh 'images/hong.jpg' không phải ảnh mà newsroom đọc được (JPEG, PNG, WebP, GIF hoặc SVG)")
    assert "gợi ý: hãy mở ảnh rồi lưu lại dưới dạng JPEG" in err
    # svg.describe's reason was flattened into English by images.py before: now it stays a message
    _problem(err, "lỗi", "ảnh 'images/ve.svg' không an toàn để đăng: trong đó có")
    _problem(err, "lỗi", "ảnh 'images/lon.png' có kích thước 200×100 = 20.000 điểm ảnh, vượt mức max_image_pixels")
    assert "cho phép (10.000)" in err  # numbers the Vietnamese way
    _problem(err, "cảnh báo", "không tìm thấy ảnh 'images/khong-co.jpg' (đã tìm ở content/2024/images/khong-co.jpg)")
    _problem(err, "cảnh báo", "không tìm thấy ảnh 'images/thieu.jpg' (đã tìm ở content/2024/images/thieu.jpg)")
    _problem(err, "lỗi", "không tìm thấy tệp của liên kết 'files/khong-co.pdf'")
    # markdown.py's wording around media.youtube's reason flattened it into English before
    _problem(err, "cảnh báo", "địa chỉ YouTube này không hiện được thành video: ")
    assert "gợi ý: hãy chép lại địa chỉ bằng nút Chia sẻ" in err
    assert_no_english(err)


def test_photo_and_markdown_problems_in_english(photo_site):
    result = run_cli("check", "--site", str(photo_site), "--lang", "en")
    err = result.stderr
    assert result.returncode == 1, err
    _problem(err, "error", "image 'images/hong.jpg' is not a picture newsroom can read (JPEG, PNG, WebP, GIF or SVG)")
    assert "hint: open it and save it again as JPEG" in err
    _problem(err, "error", "image 'images/ve.svg' is not safe to publish: it holds")
    _problem(err, "error", "image 'images/lon.png' is 200×100 = 20,000 pixels, more than max_image_pixels (10,000)")
    _problem(err, "warning", "image 'images/khong-co.jpg' not found (looked for content/2024/images/khong-co.jpg)")
    _problem(err, "warning", "image 'images/thieu.jpg' not found (looked for content/2024/images/thieu.jpg)")
    _problem(err, "error", "link to 'files/khong-co.pdf' not found (looked for content/2024/files/khong-co.pdf)")
    _problem(err, "warning", "this YouTube address cannot be shown as a video: ")
    assert not re.search("[ạảấầẩậắằẳặẹẻếềểệịọỏốồổộớờởợụủứừửựỳỵỷỹđ]", err.replace("Bài có ảnh", ""))


# --- the words a body carries: the site's language ------------------------------------------------


def _media_site(root: Path, language: str) -> Path:
    body = (
        "Tải [kế hoạch](files/ke-hoach.pdf) về.\n\n![](videos/le.mp4)\n\n[Lễ ra quân](https://youtu.be/dQw4w9WgXcQ)\n"
    )
    site = write_site(root, {"2024/video.md": article("Bài video", "Thông báo", body=body)}, language=language)
    (site / "content/2024/files").mkdir()
    (site / "content/2024/files/ke-hoach.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (MB_1_4 - 9))
    (site / "content/2024/videos").mkdir()
    (site / "content/2024/videos/le.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    return site


def _body_words(doc) -> tuple[str, str, str, str]:
    """(document size label, local video's fallback link, YouTube play label, YouTube note) of a page."""
    play = doc.find("a", class_="video-play")
    return (
        doc.find("span", class_="file-meta").text,
        doc.find("video").find("a").text,
        play.attrs["aria-label"],
        doc.find("span", class_="video-note").text,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ("(PDF, 1,4 MB)", "Tải video", "Phát video: Lễ ra quân (YouTube)", "YouTube · bấm để xem")),
        (
            "en",
            ("(PDF, 1.4 MB)", "Download the video", "Play the video: Lễ ra quân (YouTube)", "YouTube · click to watch"),
        ),
    ],
)
def test_a_body_carries_its_words_in_the_site_language(tmp_path, language, expected):
    site = _media_site(tmp_path / "site", language)
    out = build_ok(site)
    assert _body_words(page(out, "2024/05/video/")) == expected


def test_the_desk_preview_carries_the_body_words_in_the_site_language(tmp_path):
    site = _media_site(tmp_path / "site", "en")
    with running_preview(site) as preview:
        desk = DeskClient(preview)
        opened = desk.open("content/2024/video.md")
        status, answer = desk.api("POST", "preview", opened)
        assert status == 200, answer
        words = _body_words(parse_html(answer["html"]))
    assert words == (
        "(PDF, 1.4 MB)",
        "Download the video",
        "Play the video: Lễ ra quân (YouTube)",
        "YouTube · click to watch",
    )


# --- the preview server, started by the command line ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_event(port: int) -> tuple[str, str]:
    """The preview's first Server-Sent Event: (kind, data)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/__newsroom/events")
    response = conn.getresponse()
    kind, data = "", []
    try:
        while True:
            line = response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif line == "" and kind:
                return kind, "\n".join(data).strip()
    finally:
        conn.close()


def _overlay_words(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/__newsroom/reload.js")
    script = conn.getresponse().read().decode("utf-8")
    conn.close()
    return json.loads(re.search(r"var TEXTS = (\{.*?\});", script).group(1))


def _serve(site: Path, *args: str) -> tuple[str, str, str, dict]:
    """Run ``build.py serve`` on a free port until it is up: (first output lines, first event's data,
    its kind, the overlay's words), then Ctrl-C; returns also what it said on stopping (in the first part)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_LANG"}  # the site's language decides
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port), *args]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = proc.stdout.readline() + proc.stdout.readline()
        kind, data = _first_event(port)
        words = _overlay_words(port)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return lines + out + err, kind, data, words


@pytest.fixture
def broken_site(tmp_path):
    files = {
        "2024/mot.md": article("Bài một", "Thông báo"),
        "2024/hong.md": article("Bài hỏng", "Chuyên mục không có"),
    }
    return write_site(tmp_path / "site", files)


def test_the_preview_speaks_the_site_language_in_the_terminal_and_the_overlay(broken_site):
    said, kind, data, words = _serve(broken_site)
    assert kind == "build-error"
    assert re.search(r"content/2024/hong\.md:\d+(:\d+)?: lỗi: ", data), data
    assert "gợi ý: " in data
    assert words == {
        "heading": "Lỗi khi tạo trang",
        "note": "Trang đang hiển thị là lần tạo trang thành công gần nhất. Sửa lỗi dưới đây và lưu lại tệp.",
        "nothing_yet": "Chưa tạo được trang nào. Sửa lỗi dưới đây và lưu lại tệp.",
    }
    assert re.search(r"xem trước: http://127\.0\.0\.1:\d+/  \(Ctrl-C để dừng\)", said), said
    assert "bàn biên tập: http://127.0.0.1:" in said and "đang dừng bản xem trước…" in said
    assert "content/2024/hong.md:" in said and ": lỗi: " in said  # the build error in the terminal too
    assert_no_english(data + "\n" + said)
    assert_no_english("\n".join(words.values()))


def test_the_preview_speaks_english_with_lang_en(broken_site):
    said, kind, data, words = _serve(broken_site, "--lang", "en")
    assert kind == "build-error"
    assert re.search(r"content/2024/hong\.md:\d+(:\d+)?: error: ", data) and "hint: " in data, data
    assert words == {
        "heading": "Error building the site",
        "note": "The page shown is the last good build. Fix the error below and save the file.",
        "nothing_yet": "Nothing could be built yet. Fix the error below and save the file.",
    }
    assert re.search(r"preview: http://127\.0\.0\.1:\d+/  \(Ctrl-C to stop\)", said), said
    assert "stopping the preview…" in said


# --- the desk's pages -------------------------------------------------------------------------------


def _desk_texts(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="desk-texts">(.*?)</script>', html, re.S)
    assert match, html
    return json.loads(match.group(1))


def _desk_page(site: Path, monkeypatch, language: str | None, **options) -> str:
    """The desk's page (or its login page) from a running preview; ``language`` None: the site's."""
    if language is None:
        monkeypatch.delenv("NEWSROOM_LANG", raising=False)
    else:
        monkeypatch.setenv("NEWSROOM_LANG", language)
    with running_preview(site, **options) as preview:
        return get(preview, "/_desk/")[2].decode("utf-8")


def test_the_desk_page_and_its_script_speak_the_site_language(broken_site, monkeypatch):
    vietnamese = _desk_page(broken_site, monkeypatch, None)
    doc = parse_html(vietnamese)
    assert doc.find("html").attrs["lang"] == "vi" and doc.find("title").text == "Bàn biên tập"
    assert [a.text for a in doc.find("nav").find_all("a")] == ["Bài viết", "Thùng rác", "Xem trang ↗"]
    texts = _desk_texts(vietnamese)
    assert texts["save"] == "Lưu" and texts["status_scheduled"] == "Hẹn đăng" and texts["locale"] == "vi-VN"
    assert texts["count"] == ["{shown} / {n} bài", "{shown} / {n} bài"]
    assert texts["errors_left"] == [" (bản nháp còn {n} lỗi)", " (bản nháp còn {n} lỗi)"]

    english = _desk_page(broken_site, monkeypatch, "en")
    doc = parse_html(english)
    assert doc.find("html").attrs["lang"] == "en" and doc.find("title").text == "Editing desk"
    words = _desk_texts(english)
    assert words["save"] == "Save" and words["locale"] == "en-GB"
    assert words["count"] == ["{shown} / {n} article", "{shown} / {n} articles"]

    assert set(texts) == set(words)
    same = sorted(key for key in texts if texts[key] == words[key])
    assert same == [], f"not translated into Vietnamese: {same}"
    assert_no_english(json.dumps(texts, ensure_ascii=False) + "\n" + vietnamese)


def test_every_word_desk_js_uses_is_in_the_page_and_none_is_written_in_it(broken_site, monkeypatch):
    script = (ROOT / "newsroom/desk_assets/desk.js").read_text(encoding="utf-8")
    texts = _desk_texts(_desk_page(broken_site, monkeypatch, None))
    used = set(re.findall(r'\bt\("(\w+)"', script)) - {"key"}  # "key" is the comment's example
    assert used and used <= set(texts)
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(line for line in script.splitlines() if "//" not in line))
    assert [s for s in strings if re.search("[ạảấầẩậắằẳặẹẻếềểệịọỏốồổộớờởợụủứừửựỳỵỷỹđư]", s)] == []


def test_the_desk_login_says_a_wrong_password_in_the_desk_language(broken_site, monkeypatch):
    for language, page_word, wrong in (
        (None, "Đăng nhập", "Mật khẩu không đúng."),
        ("en", "Log in", "Wrong password."),
    ):
        if language is None:
            monkeypatch.delenv("NEWSROOM_LANG", raising=False)
        else:
            monkeypatch.setenv("NEWSROOM_LANG", language)
        with running_preview(broken_site, password="mật-khẩu") as preview:
            login = get(preview, "/_desk/")[2].decode("utf-8")
            assert parse_html(login).find("button").text == page_word
            desk = DeskClient(preview)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            status, _, answer = desk.request("POST", "/_desk/login", b"password=sai", headers)
            assert status == 401 and parse_html(answer.decode("utf-8")).find("p", class_="error").text == wrong


def test_an_upload_over_the_limit_is_refused_in_the_desk_language(broken_site, monkeypatch):
    monkeypatch.delenv("NEWSROOM_LANG", raising=False)
    with running_preview(broken_site) as preview:
        conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=30)
        conn.putrequest("POST", "/_desk/api/upload?folder=content/2024&name=x.jpg")
        conn.putheader("Content-Length", str(100 * 2**20))
        conn.endheaders()
        response = conn.getresponse()
        answer = json.loads(response.read())
        conn.close()
    assert response.status == 413
    assert answer["error"].startswith("tệp quá lớn (100,0 MB); chỉ gửi được tối đa 20 MB."), answer
    assert_no_english(answer["error"])


# --- deploy --watch: its errors reach the command line as errors, shown in the command's language -----


@pytest.fixture
def broken_deploy_site(tmp_path):
    files = {"2024/mot.md": article("Bài một", "Thông báo"), "2024/hong.md": article("Bài hỏng", "Không có")}
    return write_site(tmp_path / "site", files, deploy=[{"name": "web", "url": f"file://{tmp_path}/www/"}])


def test_the_deploy_watcher_hands_its_errors_to_the_edge_untranslated(broken_deploy_site):
    from newsroom.deploy import watch
    from newsroom.errors import NewsroomError

    said: list = []
    watch(broken_deploy_site, None, said.append, watch_files=False, rounds=1)
    errors = [line for line in said if isinstance(line, NewsroomError)]
    assert errors, said  # not a text already rendered in English
    vietnamese = errors[0].render(i18n.translator("vi"))
    assert re.search(r"content/2024/hong\.md:\d+(:\d+)?: lỗi: ", vietnamese) and "tạo trang thất bại" in vietnamese
    assert_no_english(vietnamese)
    assert "content/2024/hong.md" in errors[0].render(i18n.translator("en"))


def test_deploy_watch_prints_a_failed_round_in_the_command_language(broken_deploy_site):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(ROOT / "build.py"), "deploy", "--site", str(broken_deploy_site), "--watch"]
    proc = subprocess.Popen(
        [*command, "--lang", "vi"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = []
        while not any("đang theo dõi thay đổi" in line for line in lines):
            line = proc.stdout.readline()
            assert line, (lines, proc.stderr.read())
            lines.append(line)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = "".join(lines)
    assert re.search(r"content/2024/hong\.md:\d+(:\d+)?: lỗi: ", said), said
    assert_no_english(said)
