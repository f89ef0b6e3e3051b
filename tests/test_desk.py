"""The desk without a browser: its write API's safety (CSRF, paths, uploads, passwords), saving that
never loses work (hash check, atomic write, drafts with errors, trash), and the front-matter writer."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image
from servekit import DeskClient, running_preview, wait_for
from sitekit import ROOT, article, build_ok, parse_html, write_site

from newsroom import frontmatter
from newsroom.desk import MAX_UPLOAD_BYTES, PASSWORD_VARIABLE


@pytest.fixture
def site(tmp_path):
    files = {
        "2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00", "Nội dung một.", tags=["Dân vận khéo"]),
        "2024/hai.md": article("Bài hai", "Nông thôn mới", "2024-05-02 08:00", "Xem [bài một](mot.md)."),
        "pages/gioi-thieu.md": '---\ntitle: "Giới thiệu"\n---\nVề huyện.\n',
    }
    return write_site(tmp_path / "site", files)


@pytest.fixture
def desk(site):
    with running_preview(site) as preview:
        yield DeskClient(preview)


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def upload(desk, name: str, data: bytes, folder: str = "content/2024"):
    """Send a file as the desk's page does: its name and folder in the query, its bytes as the body."""
    return desk.api("POST", f"upload?folder={quote(folder, safe='/')}&name={quote(name, safe='')}", data)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- front matter written as a person writes it ---------------------------------------------------


def test_frontmatter_round_trips_every_sample_article_byte_for_byte():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        parts = frontmatter.split(text)
        assert frontmatter.write(dict(frontmatter.read(text).values), parts.body, text) == text, path


def test_frontmatter_new_file_has_the_usual_order_and_the_body_as_typed():
    body = "\n**Lead**  \ntrailing spaces   \n\n---\nnot front matter\n\n\n"
    values = {
        "draft": True,
        "tags": ["Dân vận khéo", 'say "hi"'],
        "title": "Thanh Trì: khai mạc # lớp",
        "date": "2024-05-01 08:00",
        "category": "Thông báo",
        "author": "",
        "featured": False,
        "summary": "Một dòng\u2028tách",
    }
    text = frontmatter.write(values, body)
    assert text == (
        "---\n"
        'title: "Thanh Trì: khai mạc # lớp"\n'
        'category: "Thông báo"\n'
        "date: 2024-05-01 08:00\n"
        'tags: ["Dân vận khéo", "say \\"hi\\""]\n'
        'summary: "Một dòng\\u2028tách"\n'
        "draft: true\n"
        "---\n" + body
    )
    assert frontmatter.split(text).body == body
    assert frontmatter.read(text).values["title"] == "Thanh Trì: khai mạc # lớp"


def test_frontmatter_changes_only_the_fields_that_changed():
    original = (
        "---\n# a comment kept\n"
        "title: 'Single quoted'\n"
        "category:    Thông báo\n"
        "date: 2024-05-01T08:00+07:00\n"
        "legacy_views: 1366\n"
        'document:\n  number: "45/KH"\n  issued: 2024-03-15\n  issuer: "UBND"\n  file: "files/a.pdf"\n'
        "---\nBody\r\n"
    )
    values = dict(frontmatter.read(original).values)
    values.update(title="New title", author="Thanh Hồng", draft=True)
    text = frontmatter.write(values, "Body\r\n", original)
    assert text == (
        "---\n# a comment kept\n"
        'title: "New title"\n'
        "category:    Thông báo\n"
        "date: 2024-05-01T08:00+07:00\n"
        'author: "Thanh Hồng"\n'
        "draft: true\n"
        "legacy_views: 1366\n"
        'document:\n  number: "45/KH"\n  issued: 2024-03-15\n  issuer: "UBND"\n  file: "files/a.pdf"\n'
        "---\nBody\r\n"
    )


# --- CSRF -------------------------------------------------------------------------------------------


def test_every_write_without_the_right_csrf_token_is_refused_with_403(desk, site):
    opened = desk.open("content/2024/mot.md")
    form = {"path": "content/2024/mot.md", "hash": opened["hash"], "values": opened["values"], "body": "Đã sửa.\n"}
    before = snapshot(site / "content")
    writes = [
        ("save", form),
        ("save", {**form, "path": None, "folder": "content/2024"}),
        ("preview", form),
        ("delete", {"path": "content/2024/mot.md", "hash": opened["hash"]}),
        ("restore", {"id": "20240101-000000/2024/mot.md"}),
        ("upload?folder=content/2024&name=a.jpg", jpeg()),
    ]
    for name, body in writes:
        for token in ("", "wrong-token", desk.token + "x"):
            status, answer = desk.api("POST", name, body, token=token)
            assert status == 403, (name, token, answer)
            assert "security token" in answer["error"]
    assert snapshot(site / "content") == before
    # and a GET cannot write: the API has no GET that changes anything
    assert desk.api("GET", "save")[0] == 405  # refused as a method the address does not take


def test_the_preview_host_check_guards_the_desk_too(desk):
    evil = {"Host": "evil.example", "X-CSRF-Token": desk.token}
    assert desk.request("POST", "/_desk/api/save", b"{}", evil)[0] == 403
    status, _, page = desk.request("GET", "/_desk/", None, {"Host": "evil.example"})
    assert status == 403 and b"csrf" not in page  # a rebinding DNS name never gets the token
    assert desk.request("GET", "/_desk/api/list", None, {"Host": "evil.example"})[0] == 403


# --- paths --------------------------------------------------------------------------------------------


BAD_PATHS = [
    "../config.yaml",
    "content/../config.yaml",
    "content/2024/../../config.yaml",
    "/etc/passwd",
    "content//2024/mot.md",
    "content/./2024/mot.md",
    "content\\2024\\mot.md",
    "content/2024/mot.md\0.md",
    "content/.trash/mot.md",
    "content/2024/.hidden.md",
    "content/outside/escape.md",  # a symbolic link to a folder outside the site
    "config.yaml",
    "output/index.md",
    123,
]


@pytest.fixture
def escape(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "escape.md").write_text(article("Ngoài", "Thông báo"), encoding="utf-8")
    (site / "content/outside").symlink_to(outside)
    return outside


def test_path_traversal_in_every_field_that_names_a_file_is_refused(desk, site, escape):
    opened = desk.open("content/2024/mot.md")
    before = {**snapshot(site), **{"outside/" + k: v for k, v in snapshot(escape).items()}}
    for bad in BAD_PATHS:
        shown = json.dumps(bad)
        status, answer = desk.api(
            "GET", "article?path=" + (bad if isinstance(bad, str) else str(bad)).replace("\0", "%00")
        )
        assert status in (400, 404), (shown, answer)
        form = {"path": bad, "hash": opened["hash"], "values": opened["values"], "body": "x\n"}
        for name in ("save", "preview", "delete"):
            status, answer = desk.api("POST", name, form if name != "delete" else {"path": bad, "hash": ""})
            assert status in (400, 404), (name, shown, answer)
            assert "error" in answer
        status, answer = desk.api("POST", "save", {**form, "path": None, "folder": bad})
        assert status in (400, 404), ("save folder", shown, answer)
        if isinstance(bad, str):
            folder = bad.replace("\0", "%00").replace("\\", "%5C")
            status, answer = desk.api("POST", f"upload?folder={folder}&name=a.jpg", jpeg())
            assert status in (400, 404), ("upload", shown, answer)
        status, answer = desk.api("POST", "restore", {"id": bad})
        assert status in (400, 404), ("restore", shown, answer)
    assert desk.api("GET", "article?path=")[0] == 400
    for bad_id in ("20240101-000000/../../config.yaml", "../2024/mot.md", "x/2024/mot.md", "20240101-000000/.x.md"):
        status, answer = desk.api("POST", "restore", {"id": bad_id})
        assert status in (400, 404), (bad_id, answer)
    after = {**snapshot(site), **{"outside/" + k: v for k, v in snapshot(escape).items()}}
    after = {k: v for k, v in after.items() if not k.startswith((".cache/", "output/"))}
    assert after == {k: v for k, v in before.items() if not k.startswith((".cache/", "output/"))}


def test_an_uploaded_file_name_is_never_used_as_given(desk, site):
    for name in ("../../config.yaml.jpg", "..%2F..%2Fx.jpg", "Ảnh Hội Nghị (1).JPEG", ".htaccess.jpg", "a/b\\c.jpg"):
        status, answer = upload(desk, name, jpeg())
        assert status == 200, (name, answer)
        assert answer["path"].startswith("images/") and "/" not in answer["path"].removeprefix("images/")
        assert not answer["path"].removeprefix("images/").startswith(".")
    names = sorted(p.name for p in (site / "content/2024/images").iterdir())
    assert "anh-hoi-nghi-1.jpg" in names
    assert all(n.endswith(".jpg") and not n.startswith(".") for n in names)
    assert not (site / "config.yaml.jpg").exists()


# --- uploads ---------------------------------------------------------------------------------------


def test_oversize_and_wrong_type_uploads_are_refused_with_a_message(desk, site):
    status, answer = desk.api(
        "POST", "upload?folder=content/2024&name=big.jpg", b"\xff\xd8\xff" + b"0" * (MAX_UPLOAD_BYTES + 2**20)
    )
    assert status == 413 and "too large (21.0 MB); at most 20 MB" in answer["error"]
    status, answer = desk.api("POST", "upload?folder=content/2024&name=virus.exe", b"MZ\x90\x00")
    assert status == 415 and "not a picture or document" in answer["error"]
    status, answer = desk.api("POST", "upload?folder=content/2024&name=IMG_1.HEIC", b"\x00\x00\x00\x18ftypheic")
    assert status == 415 and "HEIC" in answer["error"]
    status, answer = desk.api("POST", "upload?folder=content/2024&name=photo.jpg", b"%PDF-1.4 not a photo")
    assert status == 415 and "not really a JPG" in answer["error"]
    status, answer = desk.api("POST", "upload?folder=content/2024&name=doc.pdf", jpeg())
    assert status == 415 and "not really a PDF" in answer["error"]
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    status, answer = desk.api("POST", "upload?folder=content/2024&name=logo.svg", hostile)
    assert status == 415 and "not safe to publish" in answer["error"]
    status, answer = desk.api("POST", "upload?folder=content/2024&name=empty.png", b"")
    assert status == 400 and "empty" in answer["error"]
    assert not (site / "content/2024/images").exists() and not (site / "content/2024/files").exists()
    # what is allowed goes beside the article, pictures in images/, documents in files/
    assert upload(desk, "Kế hoạch 45.pdf", b"%PDF-1.4\n")[1]["path"] == ("files/ke-hoach-45.pdf")
    assert desk.api("POST", "upload?folder=content/2024&name=a.jpg", jpeg())[1]["path"] == "images/a.jpg"
    assert desk.api("POST", "upload?folder=content/2024&name=a.jpg", jpeg())[1]["path"] == "images/a.jpg"  # same bytes
    assert desk.api("POST", "upload?folder=content/2024&name=a.jpg", jpeg(30, 30))[1]["path"] == "images/a-2.jpg"


# --- saving never loses work ---------------------------------------------------------------------------


def test_a_file_changed_on_disk_is_not_overwritten_and_both_versions_come_back(desk, site):
    path = site / "content/2024/mot.md"
    opened = desk.open("content/2024/mot.md")
    theirs = path.read_text(encoding="utf-8").replace("Nội dung một.", "Sửa trong trình soạn thảo khác.")
    path.write_text(theirs, encoding="utf-8")
    form = {"path": "content/2024/mot.md", "hash": opened["hash"], "values": opened["values"], "body": "Bản của tôi.\n"}
    status, answer = desk.api("POST", "save", form)
    assert status == 409
    assert answer["theirs"] == theirs and "Bản của tôi." in answer["mine"]
    assert path.read_text(encoding="utf-8") == theirs
    # keeping mine after seeing both is a save against the version seen
    status, answer = desk.api("POST", "save", {**form, "hash": answer["theirs_hash"]})
    assert status == 200 and path.read_text(encoding="utf-8").endswith("---\nBản của tôi.\n")


def test_save_is_atomic_and_keeps_unchanged_lines(desk, site):
    path = site / "content/2024/mot.md"
    original = path.read_text(encoding="utf-8")
    inode = path.stat().st_ino
    opened = desk.open("content/2024/mot.md")
    values = {**opened["values"], "title": "Bài một đã sửa"}
    status, answer = desk.api(
        "POST", "save", {"path": opened["path"], "hash": opened["hash"], "values": values, "body": opened["body"]}
    )
    assert status == 200, answer
    assert path.read_text(encoding="utf-8") == original.replace("title: Bài một\n", 'title: "Bài một đã sửa"\n')
    assert path.stat().st_ino != inode  # a new file renamed over the old one, never written in place
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_errors_are_at_their_fields_and_block_saving_unless_draft(desk, site):
    opened = desk.open("content/2024/mot.md")
    bad = {**opened["values"], "title": "", "slug": "Bài Một", "date": "2024-02-30T08:00"}
    form = {"path": opened["path"], "hash": opened["hash"], "values": bad, "body": opened["body"]}
    status, answer = desk.api("POST", "preview", form)
    fields = {p["field"] for p in answer["problems"] if p["severity"] == "error"}
    assert {"title", "slug", "date"} <= fields, answer["problems"]
    assert answer["html"] is None
    status, answer = desk.api("POST", "save", form)
    assert status == 422 and "draft" in answer["error"]
    assert {p["field"] for p in answer["problems"]} >= {"title", "slug", "date"}
    status, answer = desk.api("POST", "save", {**form, "values": {**bad, "draft": True}})
    assert status == 200 and answer["saved"]
    assert {p["field"] for p in answer["problems"] if p["severity"] == "error"} >= {"title", "slug", "date"}
    assert "draft: true" in (site / "content/2024/mot.md").read_text(encoding="utf-8")


def test_a_file_broken_on_disk_is_shown_with_its_problems(desk, site):
    (site / "content/2024/ngay.md").write_text(article("Ngày sai", "Thông báo", "15/10/2020"), encoding="utf-8")
    answer = desk.open("content/2024/ngay.md")
    [problem] = [p for p in answer["problems"] if p["severity"] == "error"]
    assert problem["field"] == "date" and "2020-10-15" in problem["hint"]
    assert answer["values"]["date"] == "15/10/2020"
    (site / "content/2024/yaml.md").write_text(
        '---\ntitle: "Không đóng\ncategory: x\n---\nThân bài\n', encoding="utf-8"
    )
    answer = desk.open("content/2024/yaml.md")
    assert answer["raw"] is True and answer["text"].startswith("---\ntitle:")
    assert any(p["line"] == 2 for p in answer["problems"])
    listed = {i["path"]: i for i in desk.api("GET", "list")[1]["items"]}
    assert listed["content/2024/yaml.md"]["status"] == "error"
    assert listed["content/2024/ngay.md"]["status"] == "error"
    assert listed["content/2024/mot.md"]["status"] == "published"


def test_a_new_article_gets_a_clean_free_name_and_the_list_shows_it(desk, site):
    values = {
        "title": "Bài một",
        "category": "Thông báo",
        "date": "2024-05-01T08:00",
        "author": "Thu Hà",
        "tags": ["Mới"],
    }
    status, answer = desk.api(
        "POST", "save", {"path": None, "folder": "content/2024", "values": values, "body": "Mới.\n"}
    )
    assert status == 200, answer
    assert answer["path"] == "content/2024/bai-mot.md"
    again = desk.api("POST", "save", {"path": None, "folder": "content/2024", "values": values, "body": "Mới.\n"})
    assert again[1]["path"] == "content/2024/bai-mot-2.md"  # never over a file
    other = {**values, "title": "Một"}  # 2024/05/mot/ is content/2024/mot.md's address
    assert desk.api("POST", "save", {"folder": "content/2025", "values": other, "body": "x\n"})[1]["path"] == (
        "content/2025/mot-2.md"
    )
    assert (site / answer["path"]).read_text(encoding="utf-8") == (
        '---\ntitle: "Bài một"\ncategory: "Thông báo"\ndate: 2024-05-01 08:00\nauthor: "Thu Hà"\ntags: ["Mới"]\n---\nMới.\n'
    )
    listed = desk.api("GET", "list")[1]
    assert [i["date"] for i in listed["items"] if i["kind"] == "article"] == sorted(
        (i["date"] for i in listed["items"] if i["kind"] == "article"), reverse=True
    )
    assert "Thu Hà" in listed["authors"] and "Mới" in listed["tags"] and "Dân vận khéo" in listed["tags"]
    assert [i["kind"] for i in listed["items"]][-1] == "page"


def test_delete_moves_to_the_trash_which_the_build_never_reads_and_restore_brings_it_back(desk, site):
    path = site / "content/2024/hai.md"
    original = path.read_bytes()
    opened = desk.open("content/2024/hai.md")
    status, answer = desk.api("POST", "delete", {"path": "content/2024/hai.md", "hash": opened["hash"]})
    assert status == 200 and not path.exists()
    trashed = site / "content/.trash" / answer["trashed"]
    assert trashed.read_bytes() == original
    out = build_ok(site)
    assert not (out / "2024/05/hai").exists() and (out / "2024/05/mot/index.html").is_file()
    assert not [p for p in out.rglob("*") if ".trash" in p.parts or "_desk" in p.as_posix()]
    [item] = desk.api("GET", "trash")[1]["items"]
    assert item["title"] == "Bài hai" and item["path"] == "content/2024/hai.md"
    status, answer = desk.api("POST", "restore", {"id": item["id"]})
    assert status == 200 and path.read_bytes() == original
    assert desk.api("GET", "trash")[1]["items"] == []
    assert (build_ok(site) / "2024/05/hai/index.html").is_file()


def test_restore_never_overwrites_a_file_that_took_the_place(desk, site):
    opened = desk.open("content/2024/hai.md")
    trashed = desk.api("POST", "delete", {"path": "content/2024/hai.md", "hash": opened["hash"]})[1]["trashed"]
    (site / "content/2024/hai.md").write_text(article("Bài hai mới", "Thông báo"), encoding="utf-8")
    status, answer = desk.api("POST", "restore", {"id": trashed})
    assert status == 409 and "exists again" in answer["error"]
    assert "Bài hai mới" in (site / "content/2024/hai.md").read_text(encoding="utf-8")


def test_preview_is_the_theme_page_with_photos_from_the_cache(desk, site):
    desk.api("POST", "upload?folder=content/2024&name=hoi-nghi.jpg", jpeg(900, 600))
    opened = desk.open("content/2024/mot.md")
    body = "Mở đầu.\n\n![Hội nghị](images/hoi-nghi.jpg)\n*Quang cảnh. Ảnh: Thu Hà*\n\nXem [bài hai](hai.md).\n"
    status, answer = desk.api("POST", "preview", {**opened, "body": body})
    assert status == 200, answer
    html = parse_html(answer["html"])
    assert html.find("h1").text == "Bài một"
    assert html.find("figcaption").text == "Quang cảnh. Ảnh: Thu Hà"
    img = html.find("figure").find("img")
    assert img.attrs["alt"] == "Hội nghị"
    assert any(a.attrs.get("href") == "/2024/05/hai/" for a in html.find_all("a"))
    status, headers, _ = desk.request("GET", img.attrs["src"])
    assert status == 200 and headers["content-type"].startswith("image/")  # served before any build published it


def test_the_desk_is_never_in_output(site):
    out = build_ok(site)
    assert not [p for p in out.rglob("*") if "desk" in p.name]
    assert b"_desk" not in b"".join(p.read_bytes() for p in out.rglob("*.html"))


# --- passwords ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(site: Path, *args: str, password: str | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VARIABLE}
    env["PYTHONPATH"] = str(ROOT)
    if password is not None:
        env[PASSWORD_VARIABLE] = password
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_host_other_than_loopback_without_a_password_refuses_to_start(site):
    port = _free_port()
    proc = _serve(site, "--host", "127.0.0.2", "--port", str(port))
    try:
        assert proc.wait(timeout=30) == 1
        error = proc.stderr.read()
        assert "anyone on the network" in error and PASSWORD_VARIABLE in error and "--no-desk" in error
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.2", port), timeout=1).close()
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_with_a_password_the_desk_asks_for_it_and_keeps_a_strict_cookie(site):
    import http.client

    port = _free_port()
    proc = _serve(site, "--host", "127.0.0.2", "--port", str(port), password="mật-khẩu-dài")
    try:
        assert "preview:" in proc.stdout.readline()

        def request(method, path, body=b"", headers=None):
            conn = http.client.HTTPConnection("127.0.0.2", port, timeout=30)
            conn.request(method, path, body=body, headers={"Host": f"127.0.0.2:{port}", **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            conn.close()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data

        status, _, page = request("GET", "/_desk/")
        assert status == 200 and b'name="password"' in page and b"csrf-token" not in page
        assert request("GET", "/_desk/api/list")[0] == 401
        assert request("POST", "/_desk/api/save", b"{}", {"Content-Type": "application/json"})[0] == 401
        wrong = b"password=sai"
        status, _, page = request("POST", "/_desk/login", wrong, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 401 and "Wrong password." in page.decode()
        right = b"password=m%E1%BA%ADt-kh%E1%BA%A9u-d%C3%A0i"
        status, headers, _ = request(
            "POST", "/_desk/login", right, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 303
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/_desk/" in cookie
        session = cookie.split(";")[0]
        status, _, page = request("GET", "/_desk/", headers={"Cookie": session})
        assert status == 200 and b"csrf-token" in page
        assert request("GET", "/_desk/api/list", headers={"Cookie": session})[0] == 200
        assert request("GET", "/_desk/api/list", headers={"Cookie": session + "x"})[0] == 401
        status, _, _ = request(
            "POST", "/_desk/api/save", b"{}", {"Cookie": session, "Content-Type": "application/json"}
        )
        assert status == 403  # a session is not enough: the token of its page is needed too
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_no_desk_serves_only_the_preview_even_off_loopback(site):
    port = _free_port()
    proc = _serve(site, "--host", "127.0.0.2", "--port", str(port), "--no-desk")
    try:
        assert "preview:" in proc.stdout.readline()
        import http.client

        conn = http.client.HTTPConnection("127.0.0.2", port, timeout=30)
        conn.request("GET", "/_desk/", headers={"Host": f"127.0.0.2:{port}"})
        assert conn.getresponse().status == 404
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_save_rebuilds_the_preview(desk, site):
    preview = desk.preview
    builds = preview.builds
    opened = desk.open("content/2024/mot.md")
    values = {**opened["values"], "title": "Tiêu đề mới"}
    desk.api("POST", "save", {"path": opened["path"], "hash": opened["hash"], "values": values, "body": opened["body"]})
    wait_for(lambda: preview.builds > builds, timeout=15)
    wait_for(
        lambda: (
            b"Ti\xc3\xaau \xc4\x91\xe1\xbb\x81 m\xe1\xbb\x9bi" in (preview.root / "2024/05/mot/index.html").read_bytes()
        )
    )
    time.sleep(0.1)


def test_a_date_the_pickers_cannot_show_is_kept_as_written(desk, site):
    (site / "content/2024/ngay.md").write_text(article("Ngày sai", "Thông báo", "15/10/2020"), encoding="utf-8")
    opened = desk.open("content/2024/ngay.md")
    values = {**opened["values"], "title": "Ngày sai (nháp)", "draft": True}
    status, answer = desk.api("POST", "save", {**opened, "values": values})
    assert status == 200, answer
    text = (site / "content/2024/ngay.md").read_text(encoding="utf-8")
    assert "\ndate: 15/10/2020\n" in text and 'title: "Ngày sai (nháp)"' in text
    offset = article("Giờ khác", "Thông báo", "2024-05-01T08:00+07:00")
    (site / "content/2024/gio.md").write_text(offset, encoding="utf-8")
    opened = desk.open("content/2024/gio.md")
    assert opened["values"]["date"] == "2024-05-01T08:00"
    desk.api("POST", "save", {**opened, "values": {**opened["values"], "author": "Thu Hà"}})
    assert "\ndate: 2024-05-01T08:00+07:00\n" in (site / "content/2024/gio.md").read_text(encoding="utf-8")


def test_pages_are_listed_and_edited_like_articles(desk, site):
    listed = {i["path"]: i for i in desk.api("GET", "list")[1]["items"]}
    assert listed["content/pages/gioi-thieu.md"]["kind"] == "page"
    opened = desk.open("content/pages/gioi-thieu.md")
    assert opened["kind"] == "page" and set(opened["values"]) == {
        "title",
        "summary",
        "updated",
        "image",
        "order",
        "draft",
    }
    values = {**opened["values"], "title": "Giới thiệu huyện", "order": "2"}
    status, answer = desk.api("POST", "preview", {**opened, "values": values})
    assert parse_html(answer["html"]).find("h1").text == "Giới thiệu huyện"
    status, answer = desk.api("POST", "save", {**opened, "values": values})
    assert status == 200
    assert (site / "content/pages/gioi-thieu.md").read_text(encoding="utf-8") == (
        '---\ntitle: "Giới thiệu huyện"\norder: 2\n---\nVề huyện.\n'
    )
    new = {"title": "Liên hệ", "draft": False}
    status, answer = desk.api("POST", "save", {"kind": "page", "values": new, "body": "Điện thoại.\n"})
    assert status == 200 and answer["path"] == "content/pages/lien-he.md"
    status, answer = desk.api("POST", "save", {"kind": "page", "folder": "content/2024", "values": new, "body": ""})
    assert status == 400 and "content/pages" in answer["error"]
