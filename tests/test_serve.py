"""The preview server against real sockets: watcher cases, safety rules, errors, Ctrl-C."""

from __future__ import annotations

import errno
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading

import pytest
from servekit import copy_builtin_css, get, raw_request, running_preview, save_like_an_editor, wait_for
from sitekit import ROOT, article, build_ok, write_site

from newsroom.serve import ChangeQueue, folder_location, is_relevant, safe_target, start_watching


@pytest.fixture
def site(tmp_path):
    files = {
        "2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00", "Nội dung gốc."),
        "2024/hai.md": article("Bài hai", "Thông báo", "2024-05-02 08:00", "Nội dung hai."),
        "2024/nhap.md": article("Bài nháp", "Thông báo", "2024-05-03 08:00", draft=True),
        "2099/sau.md": article("Bài hẹn giờ", "Thông báo", "2099-01-01 08:00"),
    }
    return write_site(tmp_path / "site", files)


def page_text(preview, path):
    status, _, body = get(preview, path)
    return status, body.decode("utf-8")


def test_preview_shows_drafts_and_scheduled_with_badges_and_never_writes_output(site):
    with running_preview(site) as preview:
        status, text = page_text(preview, "/2024/05/nhap/")
        assert status == 200 and "Bản nháp" in text
        status, text = page_text(preview, "/2099/01/sau/")
        assert status == 200 and "Hẹn giờ đăng" in text
        assert '<script src="/__newsroom/reload.js"></script></body>' in text
    assert not (site / "output").exists()
    on_disk = (site / ".cache/preview/2024/05/mot/index.html").read_text(encoding="utf-8")
    assert "__newsroom" not in on_disk
    deploy = build_ok(site)
    assert "__newsroom" not in "".join(p.read_text(encoding="utf-8") for p in deploy.rglob("*.html"))


def test_rebuilds_after_write_temp_then_rename(site):
    source = site / "content/2024/mot.md"
    with running_preview(site) as preview:
        save_like_an_editor(source, source.read_text(encoding="utf-8").replace("Nội dung gốc.", "Nội dung mới sửa."))
        wait_for(lambda: "Nội dung mới sửa." in page_text(preview, "/2024/05/mot/")[1])


def test_rebuilds_after_sed_in_place(site):
    with running_preview(site) as preview:
        subprocess.run(
            ["sed", "-i", "s/Nội dung hai./Nội dung do sed sửa./", str(site / "content/2024/hai.md")], check=True
        )
        wait_for(lambda: "Nội dung do sed sửa." in page_text(preview, "/2024/05/hai/")[1])


def test_new_deleted_renamed_and_nested_files(site):
    with running_preview(site) as preview:
        nested = site / "content/2025/thang-mot/moi.md"
        nested.parent.mkdir(parents=True)
        nested.write_text(article("Bài trong thư mục mới", "Thông báo", "2025-01-05 08:00"), encoding="utf-8")
        wait_for(lambda: page_text(preview, "/2025/01/moi/")[0] == 200)
        (site / "content/2024/hai.md").unlink()
        wait_for(lambda: page_text(preview, "/2024/05/hai/")[0] == 404)
        os.rename(site / "content/2024/mot.md", site / "content/2024/mot-doi-ten.md")
        wait_for(lambda: page_text(preview, "/2024/05/mot-doi-ten/")[0] == 200)
        assert page_text(preview, "/2024/05/mot/")[0] == 404


@pytest.mark.slow  # 500 files written and watched (~3 s)
def test_a_burst_of_500_files_is_one_rebuild(site):
    texts = {
        site / f"content/2023/loat-{i:03d}.md": article(f"Bài loạt {i}", "Thông báo", "2023-03-03 08:00").encode(
            "utf-8"
        )
        for i in range(500)
    }
    with running_preview(site, quiet=0.5) as preview:
        before = preview.builds
        (site / "content/2023").mkdir()
        for path, data in texts.items():
            path.write_bytes(data)
        wait_for(lambda: page_text(preview, "/2023/03/loat-499/")[0] == 200, timeout=30)
        wait_for(lambda: preview.builds > before, timeout=5)
        threading.Event().wait(1.0)  # time for a second rebuild, if one were coming
        assert preview.builds - before == 1


def test_swap_and_backup_files_are_ignored(site):
    folder = site / "content/2024"
    assert not is_relevant(str(folder / ".mot.md.swp"), site)
    assert not is_relevant(str(folder / "mot.md~"), site)
    assert not is_relevant(str(folder / "#mot.md#"), site)
    assert not is_relevant(str(folder / ".DS_Store"), site)
    assert not is_relevant(str(site / ".cache/preview/index.html"), site)
    assert not is_relevant(str(site / "output/index.html"), site)
    assert is_relevant(str(folder / "mot.md"), site)
    assert is_relevant(str(site / "config.yaml"), site)
    with running_preview(site) as preview:
        before = preview.builds
        for name in (".mot.md.swp", "mot.md~", "#mot.md#", ".DS_Store", "4913"):
            (folder / name).write_text("x")
        threading.Event().wait(0.8)
        assert preview.builds == before


def test_css_change_is_announced_as_css_only(site):
    css = copy_builtin_css(site)
    with running_preview(site) as preview, EventStream(preview) as events:
        assert events.next() == ("ok", "")
        css.write_text(css.read_text(encoding="utf-8") + "\nbody { color: rgb(1, 2, 3); }\n", encoding="utf-8")
        kind, _ = events.next()
        assert kind == "css"
        save_like_an_editor(site / "content/2024/mot.md", article("Bài một sửa", "Thông báo", "2024-05-01 08:00"))
        assert events.next()[0] == "reload"


def test_build_error_keeps_last_good_site_and_is_reported_then_cleared(site):
    source = site / "content/2024/mot.md"
    good = source.read_text(encoding="utf-8")
    with running_preview(site) as preview, EventStream(preview) as events:
        assert events.next()[0] == "ok"
        save_like_an_editor(source, good.replace("category: Thông báo", "category: Không có"))
        kind, data = events.next()
        assert kind == "build-error"
        assert "content/2024/mot.md:3:" in data and "not declared" in data and "hint:" in data
        assert page_text(preview, "/2024/05/mot/")[0] == 200  # the last good site is still served
        with EventStream(preview) as late:  # a page opened now sees the error at once
            assert late.next()[0] == "build-error"
        save_like_an_editor(source, good)
        assert events.next()[0] == "reload"
        assert not preview.broadcast.errors


def test_host_header_must_be_the_servers_own(site):
    with running_preview(site) as preview:
        port = preview.server.server_address[1]
        assert get(preview, "/")[0] == 200
        assert get(preview, "/", host=f"localhost:{port}")[0] == 200
        assert get(preview, "/", host=f"evil.example:{port}")[0] == 403
        assert get(preview, "/", host="127.0.0.1.evil.example")[0] == 403
        assert get(preview, "/", host="")[0] == 403
        _status, headers, _ = get(preview, "/")
        assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize(
    "path",
    [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/css/..\\..\\x",
    ],
)
def test_requests_cannot_leave_the_preview_folder(site, path):
    with running_preview(site) as preview:
        status, _, body = get(preview, path)
        assert status == 404
        assert b"root:" not in body


def test_symlinks_out_of_the_preview_are_not_served(site):
    with running_preview(site) as preview:
        (preview.root / "leak.txt").symlink_to("/etc/passwd")
        status, _, body = get(preview, "/leak.txt")
        assert status == 404 and b"root:" not in body


def test_folder_without_index_gets_the_404_page(site):
    with running_preview(site) as preview:
        status, headers, body = get(preview, "/css/")
        assert status == 404
        assert "Không tìm thấy trang" in body.decode("utf-8")
        status, headers, _ = get(preview, "/2024")
        assert status == 301 and headers["location"] == "/2024/"


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory):
    """One running preview for the tests that only send requests (a preview takes a second to start)."""
    files = {"2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00", "Nội dung gốc.")}
    with running_preview(write_site(tmp_path_factory.mktemp("odd") / "site", files)) as preview:
        yield preview


LONG_PATHS = [
    "/" + "a" * 256,  # one segment longer than a file name may be
    "/" + "a" * 300 + "/",
    "/2024/" + "%E1%BA%A1" * 100,  # 100 letters, 300 bytes: the limit is in bytes
    "/" + "b/" * 2100,  # short segments, but longer than any path the system accepts
    "/" + "c" * 200 + ("/" + "%E1%BA%A1" * 80) * 30,  # 7 KB of letters: each segment fits, the whole does not
]
# (A request line over 64 KB gets 414 from http.server itself, which then closes the connection
# with the rest of the request unread; the client may see that as a reset, so it is not tested here.)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_very_long_paths_are_answered_not_dropped(shared_preview, method):
    for path in LONG_PATHS:
        status, headers, body = raw_request(shared_preview, path, method)
        assert status == 404, path[:40]
        assert "location" not in headers
        assert (body == b"") == (method == "HEAD")
    assert raw_request(shared_preview, "/")[0] == 200  # and the server goes on answering


ON_THIS_HOST = [
    ("//2024", "/2024/"),
    ("///2024", "/2024/"),
    ("/%2F2024", "/2024/"),
    ("/2024?trang=2", "/2024/?trang=2"),
    ("/2024%2F05", "/2024/05/"),
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_folder_without_its_slash_is_redirected_on_this_host(shared_preview, method):
    port = shared_preview.server.server_address[1]
    # A request may name the whole URL ("GET http://host//2024"): the HTTP layer does not tidy
    # its path, which used to come back as "Location: //2024/", a host called 2024.
    cases = [*ON_THIS_HOST, (f"http://127.0.0.1:{port}//2024", "/2024/"), (f"http://127.0.0.1:{port}/2024", "/2024/")]
    for target, location in cases:
        status, headers, _ = raw_request(shared_preview, target, method)
        assert (status, headers.get("location")) == (301, location), target


@pytest.mark.parametrize(
    "target",
    [
        "/\\evil.com",
        "/\\evil.com/",
        "/%5Cevil.com",
        "/%2F%2Fevil.com",
        "/%2F%2Fevil.com/",
        "//evil.com/..",
        "//evil.com/%2e%2e",
        "/.%2e/evil.com",
        "/a%00b",
        "/%00",
        "/%zz",
        "/%ff%fe",
        "/%C0%AE%C0%AE/etc/passwd",
        "/%E1%BA",
        "*",
    ],
)
def test_odd_paths_get_a_404_and_never_a_redirect(shared_preview, target):
    for method in ("GET", "HEAD"):
        status, headers, body = raw_request(shared_preview, target, method)
        assert status == 404 and "location" not in headers
        assert b"root:" not in body


def test_a_full_url_naming_another_host_is_refused(shared_preview):
    port = shared_preview.server.server_address[1]
    assert raw_request(shared_preview, "http://evil.example/2024")[0] == 403
    assert raw_request(shared_preview, f"http://evil.example:{port}/")[0] == 403
    assert raw_request(shared_preview, f"http://127.0.0.1:{port}/")[0] == 200


def test_head_answers_headers_only_and_at_once(shared_preview):
    status, headers, body = raw_request(shared_preview, "/", "HEAD")
    assert status == 200 and int(headers["content-length"]) > 0 and body == b""
    status, headers, body = raw_request(shared_preview, "/__newsroom/events", "HEAD")  # used to stream forever
    assert status == 200 and headers["content-type"].startswith("text/event-stream") and body == b""
    status, _, body = raw_request(shared_preview, "/khong-co/", "HEAD")
    assert status == 404 and body == b""


def test_folder_location_always_stays_on_this_host():
    assert folder_location("//2024") == "/2024/"
    assert folder_location("http://127.0.0.1:8000//evil.com") == "/evil.com/"
    assert folder_location("/t%C3%A1c-gi%E1%BA%A3?x=1") == "/t%C3%A1c-gi%E1%BA%A3/?x=1"
    assert folder_location("/%2F%2Fevil.com") == "/evil.com/"
    assert folder_location("/a%5Cb") == "/"  # refused paths never get this far; if they did, home


def test_safe_target_rules(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.html").write_text("x")
    assert safe_target(root, "/a.html") == root / "a.html"
    assert safe_target(root, "/x/../../etc/passwd") is None
    assert safe_target(root, "/%2e%2e/etc") is None
    assert safe_target(root, "/a\\b") is None
    assert safe_target(root, "/a%00b") is None
    assert safe_target(root, "/" + "a" * 256) is None
    assert safe_target(root, "/" + "ạ" * 85) == root / ("ạ" * 85)  # 255 bytes: a possible file name…
    assert safe_target(root, "/" + "ạ" * 86) is None  # … 258 bytes: none can be


def test_watcher_falls_back_to_polling_when_inotify_runs_out(site):
    class ExhaustedObserver:
        def schedule(self, *args, **kwargs):
            pass

        def start(self):
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    messages = []
    queue = ChangeQueue(quiet=0.1)
    observer = start_watching(site, queue, messages.append, ExhaustedObserver)
    try:
        assert "ran out of file watches" in messages[0] and "max_user_watches" in messages[0]
        (site / "content/2024/mot.md").write_text(article("Đổi", "Thông báo"), encoding="utf-8")
        stop = threading.Event()
        timer = threading.Timer(5, stop.set)
        timer.start()
        batch = queue.next_batch(stop)
        timer.cancel()
        assert batch and any(p.endswith("mot.md") for p in batch)
    finally:
        observer.stop()
        observer.join()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serve_stops_cleanly_on_ctrl_c(site):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130  # the status of a command ended by Ctrl-C
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_serve_warns_when_not_on_loopback(site):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--site",
            str(site),
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--no-desk",  # with the desk, a host off loopback needs a password (test_desk)
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        assert "other computers on the network" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


class EventStream:
    """A Server-Sent Events client for the preview's reload channel."""

    def __init__(self, preview):
        self.preview = preview

    def __enter__(self):
        port = self.preview.server.server_address[1]
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        self.conn.request("GET", "/__newsroom/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        return self

    def next(self) -> tuple[str, str]:
        kind, data = "", []
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if line == "":
                raise AssertionError("event stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif line == "" and kind:
                return kind, "\n".join(data).strip()

    def __exit__(self, *exc):
        self.conn.close()


def test_an_unexpected_error_is_shown_and_the_preview_keeps_rebuilding(site, monkeypatch):
    import importlib

    serve_module = importlib.import_module("newsroom.serve")
    real_build = serve_module.build
    with running_preview(site) as preview:

        def broken(*args, **kwargs):
            raise RuntimeError("đĩa bị lỗi")

        monkeypatch.setattr(serve_module, "build", broken)
        save_like_an_editor(site / "content/2024/mot.md", article("Bài một sửa", "Thông báo", "2024-05-01 08:00"))
        wait_for(lambda: "RuntimeError: đĩa bị lỗi" in preview.broadcast.errors)
        monkeypatch.setattr(serve_module, "build", real_build)
        save_like_an_editor(site / "content/2024/mot.md", article("Bài một sửa lại", "Thông báo", "2024-05-01 08:00"))
        wait_for(lambda: "Bài một sửa lại" in page_text(preview, "/2024/05/mot/")[1])
        # The new page is on disk a moment before the preview announces the good build: wait for that too.
        wait_for(lambda: not preview.broadcast.errors)


def test_the_staging_tree_is_levelled_right_after_the_first_build(site):
    """So the editor's first save does not pay for linking every file of the preview into staging."""
    with running_preview(site) as preview:
        root = preview.root
        staging = root.parent / f".{root.name}.staging"

        def level() -> bool:
            files = [path for path in root.rglob("*") if path.is_file()]
            twins = [staging / path.relative_to(root) for path in files]
            return bool(files) and all(
                twin.is_file() and twin.stat().st_ino == path.stat().st_ino
                for path, twin in zip(files, twins, strict=True)
            )

        wait_for(level)
        (site / "content/2024/mot.md").write_text(
            article("Bài một", "Thông báo", "2024-05-01 08:00", "Nội dung đã sửa."), encoding="utf-8"
        )
        wait_for(lambda: "Nội dung đã sửa" in page_text(preview, "/2024/05/mot/")[1])
