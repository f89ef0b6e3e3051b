"""``build.py deploy``: real servers on 127.0.0.1 (rclone serve sftp/ftp/s3), a bare git repository
and a folder; only what changed moves, in order; foreign files stay; a killed deploy is finished
by the next; secrets stay out of config.yaml and out of every output; ``--watch`` publishes a
scheduled article on time (with a clock whose hours pass at once)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from deploykit import (
    FOREIGN,
    FOREIGN_OLD,
    PASSWORD,
    SECRET_KEY,
    Server,
    expected,
    held,
    put_foreign,
    sftp_key_env,
    stamps,
    start_server,
    tree,
    without_own,
)
from PIL import Image
from sitekit import NOW, ROOT, article, build_ok, run_cli_in_process, write_site

from newsroom.deploy import MANIFEST, PENDING, cache_control, content_type, watch
from newsroom.deploy.plan import PARTIAL_SUFFIX

KINDS = ["file", "sftp", "ftp", "s3", "git"]


def make_site(root: Path, server: Server | None, articles: int = 3, photos: int = 1, **config) -> Path:
    """A small site with photos (assets), a few articles, and the server as its deploy target."""
    files = {}
    for i in range(articles):
        body = f"Nội dung bài số {i}.\n\n![Ảnh {i}](images/anh-{i % max(photos, 1)}.jpg)\n" if photos else ""
        files[f"2024/bai-{i}.md"] = article(f"Bài viết số {i}", date=f"2024-05-{1 + i % 28:02d} 08:00", body=body)
    deploy = [server.target()] if server is not None else [{"name": "web", "url": f"file://{root}/www/"}]
    site = write_site(root, files, deploy=deploy, **config)
    for i in range(photos):
        path = site / "content" / "2024" / "images" / f"anh-{i}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (900, 600), (40 * i % 255, 120, 200)).save(path, quality=80)
    return site


def deploy_cli(site: Path, server: Server | None, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python build.py deploy --site SITE ARGS``: in this process when the target needs no environment of
    its own (a folder, a git repository, none), else in a process given the server's passwords and keys."""
    if server is None or not server.env:
        return run_cli_in_process("deploy", "--site", str(site), *args)
    env = {**os.environ, "PYTHONPATH": str(ROOT), **server.env}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "deploy", "--site", str(site), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(params=KINDS)
def server(request, tmp_path):
    started = start_server(request.param, tmp_path / "server")
    request.addfinalizer(started.stop)
    return started


def _sftp(tmp_path: Path, request) -> Server:
    started = start_server("sftp", tmp_path / "server")
    request.addfinalizer(started.stop)
    return started


# --- the whole round: first deploy, nothing changed, one edit, one deletion ----------------------


@pytest.mark.slow
def test_deploy_moves_only_changes_and_keeps_foreign_files(server, tmp_path):
    site = make_site(tmp_path / "site", server)
    foreign = {**FOREIGN, **FOREIGN_OLD}
    put_foreign(server, foreign)
    first = ok(deploy_cli(site, server))
    output = site / "output"
    assert "uploaded" in first and "0 deleted" in first
    assert without_own(held(server)) == expected(output, foreign)
    assert json.loads(held(server)[MANIFEST])["files"].keys() == expected(output, {}).keys()
    assert PENDING not in held(server)

    again = ok(deploy_cli(site, server))
    assert "0 files uploaded" in again and "0 deleted" in again

    # Edit one article's text: its page and the listings that show its summary move, nothing else.
    before_output = tree(output)
    before = stamps(server)
    source = site / "content" / "2024" / "bai-1.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Nội dung bài số 1.", "Nội dung đã sửa."), "utf-8")
    dry = ok(deploy_cli(site, server, "--dry-run"))
    assert stamps(server) == before, "--dry-run changed the target"
    after_output = tree(output)
    differing = {p for p in after_output if before_output.get(p) != after_output[p]} - {".newsroom"}
    assert "2024/05/bai-1/index.html" in differing
    would = {line.split(": ", 1)[1] for line in dry.splitlines() if line.startswith("  would upload")}
    assert would == differing
    ok(deploy_cli(site, server, "--no-build"))
    now = stamps(server)
    moved = {p for p in now if before.get(p) != now[p]} - {MANIFEST, PENDING}
    assert moved == differing
    assert "2024/05/bai-0/index.html" not in moved and not any(p.endswith(".jpg") for p in moved)
    assert without_own(held(server)) == expected(output, foreign)

    # Delete an article: gone from the target; the files newsroom never uploaded stay.
    (site / "content" / "2024" / "bai-2.md").unlink()
    done = ok(deploy_cli(site, server))
    assert "0 deleted" not in done
    files = held(server)
    assert "2024/05/bai-2/index.html" not in files
    assert without_own(files) == expected(output, foreign)
    for rel, data in foreign.items():
        assert files[rel] == data
    if server.kind not in ("git", "s3"):  # folders: the deleted article's is gone too
        assert not (server.root / "2024/05/bai-2").exists()


@pytest.mark.parametrize(
    ("message", "again"),
    [
        ('update stor: 1 error occurred:\n\t* 450 "error during transfer: file does not exist"\n', True),
        ("421 Service not available, closing control connection", True),
        ("couldn't connect: 426 Connection closed; transfer aborted", True),
        ("update stor: 550 Permission denied", False),
        ("530 Login incorrect", False),
        ("failed to copy chuyen-muc/450-nguoi/index.html: 550 No such directory", False),
        ("dial tcp 127.0.0.1:4500: connect: connection refused", False),
    ],
)
def test_only_a_hosts_try_again_replies_are_retried(message, again):
    """An upload is tried again (all or nothing: a temporary name, then renamed) only when the host says
    "not now" (FTP's 4xx replies); a refusal is reported at once. rclone's FTP server answered a STOR
    with 450 now and then while four uploads made the same new folder (seen once in a full test run)."""
    from newsroom.deploy.rclone import transient

    assert transient(message) is again


def test_file_target_round_trip(tmp_path):
    """The quick version of the round above, on a folder, for runs without slow tests."""
    server = start_server("file", tmp_path / "server")
    site = make_site(tmp_path / "site", server)
    put_foreign(server, FOREIGN_OLD)
    ok(deploy_cli(site, server))
    (site / "content" / "2024" / "bai-0.md").unlink()
    ok(deploy_cli(site, server))
    files = held(server)
    assert "2024/05/bai-0/index.html" not in files
    assert without_own(files) == expected(site / "output", FOREIGN_OLD)
    assert not list(server.root.parent.glob(".*newsroom-staging"))


# --- order ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_order_assets_then_new_pages_then_pages_then_listings_then_record(tmp_path, request):
    """Each file is renamed into place on the server when complete: its ctime is when readers could see it."""
    server = _sftp(tmp_path, request)
    site = make_site(tmp_path / "site", server, photos=1)
    ok(deploy_cli(site, server))
    before = stamps(server)
    new = site / "content" / "2024" / "bai-moi.md"
    photo = site / "content" / "2024" / "images" / "moi.jpg"
    Image.new("RGB", (1000, 700), (200, 30, 30)).save(photo)
    new.write_text(article("Bài mới có ảnh", date="2024-06-01 08:00", body="Bài mới.\n\n![Ảnh](images/moi.jpg)\n"))
    ok(deploy_cli(site, server))
    after = stamps(server)
    moved = {p for p in after if before.get(p) != after[p]}

    def ctimes(paths):
        return [(server.root / p).stat().st_ctime_ns for p in paths]

    assets = [p for p in moved if p.startswith("2024/images/moi")]
    new_page = [p for p in moved if p.endswith(".html") and p not in before]  # the article, its month
    pages = [p for p in moved if p.endswith(".html") and p in before]  # listings that now show it
    listings = [p for p in moved if p.endswith((".xml", ".json")) and p != MANIFEST]
    assert assets and pages and listings and "2024/06/bai-moi/index.html" in new_page
    assert max(ctimes(assets)) <= min(ctimes(new_page))
    assert max(ctimes(new_page)) <= min(ctimes(pages))
    assert max(ctimes(pages)) <= min(ctimes(listings))
    assert max(ctimes(listings)) <= min(ctimes([MANIFEST]))


# --- object storage headers -------------------------------------------------------------------


def test_content_type_and_cache_rules():
    assert content_type("2024/05/x/index.html") == "text/html; charset=utf-8"
    assert content_type("feed.xml") == "application/xml; charset=utf-8"
    assert content_type("tim-kiem/index/meta.json") == "application/json; charset=utf-8"
    assert content_type("2024/images/a-480.1a2b3c4d.webp") == "image/webp"
    assert cache_control("2024/05/x/index.html") == "public, max-age=300"
    assert cache_control("sitemap.xml") == "public, max-age=300"
    assert cache_control("2024/images/a-480.1a2b3c4d.webp") == "public, max-age=31536000, immutable"
    assert cache_control("css/site.css") == "public, max-age=31536000, immutable"
    assert cache_control("2024/images/a.jpg") == "public, max-age=604800"


@pytest.mark.slow
def test_s3_objects_carry_content_type_and_cache_headers(tmp_path, request):
    server = start_server("s3", tmp_path / "server")
    request.addfinalizer(server.stop)
    site = make_site(tmp_path / "site", server)
    ok(deploy_cli(site, server))
    from newsroom.deploy.rclone import find_rclone

    remote = f":s3,provider=Other,env_auth=true,endpoint='{server.endpoint}':bucket/site"
    listing = subprocess.run(
        [find_rclone(), "lsjson", "-R", "-M", "--files-only", remote],
        env={**os.environ, **server.env, "RCLONE_CONFIG": str(tmp_path / "server" / "rclone.conf")},
        capture_output=True,
        text=True,
        check=True,
    )
    meta = {item["Path"]: item.get("Metadata", {}) for item in json.loads(listing.stdout)}
    page = meta["2024/05/bai-0/index.html"]
    assert page["content-type"] == "text/html; charset=utf-8" and page["cache-control"] == "public, max-age=300"
    assert meta["feed.xml"]["content-type"] == "application/xml; charset=utf-8"
    assert meta["tim-kiem/index/meta.json"]["content-type"] == "application/json; charset=utf-8"
    hashed = [p for p in meta if p.startswith("2024/images/anh-0-") and p.endswith(".webp")]
    assert hashed and meta[hashed[0]]["cache-control"] == "public, max-age=31536000, immutable"
    assert meta["2024/images/anh-0.jpg"]["cache-control"] == "public, max-age=604800"


# --- secrets ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_secret_in_any_output(tmp_path, request):
    """A deploy that works and two that are refused: the password and the secret key are never printed."""
    sftp = _sftp(tmp_path, request)
    site = make_site(tmp_path / "site", sftp)
    done = deploy_cli(site, sftp)
    wrong = deploy_cli(
        site, Server("sftp", sftp.root, sftp.url, {**sftp.env, "NEWSROOM_DEPLOY_PASSWORD": PASSWORD + "x"})
    )
    assert wrong.returncode == 1 and "refused the login" in wrong.stderr
    s3 = start_server("s3", tmp_path / "s3")
    request.addfinalizer(s3.stop)
    config = yaml.safe_load((site / "config.yaml").read_text(encoding="utf-8"))
    config["deploy"] = [s3.target()]
    (site / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    denied = deploy_cli(site, Server("s3", s3.root, s3.url, {**s3.env, "AWS_SECRET_ACCESS_KEY": SECRET_KEY + "x"}))
    assert denied.returncode == 1 and "refused the login" in denied.stderr, denied.stderr
    for run in (done, wrong, denied):
        text = run.stdout + run.stderr
        for secret in (PASSWORD, SECRET_KEY, "s3cr3t"):
            assert secret not in text
    logs = [p for p in (site / ".cache").rglob("*") if p.is_file()]
    assert not any(b"s3cr3t" in p.read_bytes() for p in logs)


@pytest.mark.slow
def test_sftp_logs_in_with_a_key_in_home_ssh(tmp_path, request):
    server = _sftp(tmp_path, request)
    site = make_site(tmp_path / "site", server)
    keyed = Server("sftp", server.root, server.url, sftp_key_env(server))
    ok(deploy_cli(site, keyed))
    assert without_own(held(server)) == expected(site / "output", {})
    unknown = {**keyed.env, "NEWSROOM_KNOWN_HOSTS": str(tmp_path / "empty_known_hosts")}
    (tmp_path / "empty_known_hosts").write_text("")
    refused = deploy_cli(site, Server("sftp", server.root, server.url, unknown))
    assert refused.returncode == 1 and "is not one this computer knows" in refused.stderr, refused.stderr


@pytest.mark.parametrize(
    ("entry", "line", "where"),
    [
        ({"name": "web", "url": "sftp://deploy:s3cr3t-x@10.0.0.5/var/www/"}, "NEWSROOM_DEPLOY_PASSWORD", "url"),
        (
            {"name": "web", "url": "ftp://deploy@10.0.0.5/www/", "password": "s3cr3t-x"},
            "NEWSROOM_DEPLOY_PASSWORD",
            "password",
        ),
        (
            {"name": "s3", "url": "s3://b/p", "secret_access_key": "s3cr3t-x"},
            "AWS_SECRET_ACCESS_KEY",
            "secret_access_key",
        ),
        ({"name": "gh", "url": "git+https://u:s3cr3t-x@github.com/o/r.git"}, "credential helper", "url"),
    ],
)
def test_secret_in_config_is_a_located_error(tmp_path, entry, line, where):
    site = write_site(tmp_path / "site", {"2024/a.md": article("A")}, deploy=[entry])
    done = deploy_cli(site, None)
    assert done.returncode == 1
    text = done.stdout + done.stderr
    assert "s3cr3t" not in text
    config_lines = (site / "config.yaml").read_text(encoding="utf-8").splitlines()
    first = text.splitlines()[0]
    number = int(first.split(":")[1])
    assert where in config_lines[number - 1], (first, config_lines)
    assert "must not be written in config.yaml" in first and line in text
    assert "Traceback" not in text


def test_top_level_secret_is_refused(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("A")}, ftp_password="s3cr3t-x")
    done = deploy_cli(site, None)
    assert done.returncode == 1 and "s3cr3t" not in done.stderr
    number = int(done.stderr.split(":")[1])
    assert (site / "config.yaml").read_text(encoding="utf-8").splitlines()[number - 1].startswith("ftp_password:")


def test_target_names(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("A")})
    done = deploy_cli(site, None)
    assert done.returncode == 1 and "names no place to deploy to" in done.stderr and "deploy:" in done.stderr
    site = make_site(tmp_path / "other", None)
    done = deploy_cli(site, None, "--target", "wbe", "--no-build")
    assert done.returncode == 1 and "did you mean 'web'?" in done.stderr


@pytest.mark.parametrize("where", ["output", "content", "."])
def test_file_target_refuses_the_sites_own_folders(tmp_path, where):
    site = make_site(tmp_path / "site", None)
    url = f"file://{(site / where).resolve()}/"
    config = yaml.safe_load((site / "config.yaml").read_text(encoding="utf-8"))
    config["deploy"] = [{"name": "web", "url": url}]
    (site / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    done = deploy_cli(site, None)
    assert done.returncode == 1 and "refusing to deploy to" in done.stderr, done.stderr
    assert (site / "content" / "2024" / "bai-0.md").is_file()


def test_no_build_refuses_a_missing_build(tmp_path):
    site = make_site(tmp_path / "site", None)
    done = deploy_cli(site, None, "--no-build")
    assert done.returncode == 1 and "holds no finished build" in done.stderr
    assert not (tmp_path / "site" / "www").exists()


# --- killed at random moments ---------------------------------------------------------------------


def test_folders_killed_deploys_left_are_swept_and_others_kept():
    """A killed deploy cannot remove its rclone folder from the temporary folder: the next deploy does,
    but never one a running deploy uses (its socket answers), a new one, or what a link points at."""
    from newsroom.deploy.rclone import sweep_stale_folders

    root = Path(tempfile.mkdtemp(prefix="sweep-", dir="/tmp"))  # short: a socket's path holds 107 bytes
    try:
        long_ago = time.time() - 3600
        dead, live, new = (root / f"newsroom-rclone-{name}" for name in ("dead", "live", "new"))
        for folder in (dead, live, new):
            folder.mkdir()
        target = root / "elsewhere"
        target.mkdir()
        (root / "newsroom-rclone-link").symlink_to(target)
        with socket.socket(socket.AF_UNIX) as gone:  # a socket file nobody listens on any more
            gone.bind(str(dead / "rc.sock"))
        (dead / "rclone.log").write_text("killed\n")
        with socket.socket(socket.AF_UNIX) as listening:
            listening.bind(str(live / "rc.sock"))
            listening.listen()
            for path in (dead, live, target):
                os.utime(path, (long_ago, long_ago))
            assert sweep_stale_folders(root) == 1
        assert not dead.exists() and live.is_dir() and new.is_dir() and target.is_dir()
    finally:
        shutil.rmtree(root)


def _rclone_daemons() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"newsroom-rclone-" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sftp", "file"])
def test_sigkill_at_random_moments_then_one_run_completes(kind, tmp_path, request):
    server = start_server(kind, tmp_path / "server")
    request.addfinalizer(server.stop)
    site = make_site(tmp_path / "site", server, articles=40, photos=6)
    put_foreign(server, FOREIGN_OLD)
    started = time.monotonic()
    ok(deploy_cli(site, server))
    full = time.monotonic() - started
    rng = random.Random(15)
    content = site / "content" / "2024"
    env = {**os.environ, "PYTHONPATH": str(ROOT), **server.env}
    running = site / ".cache" / "deploy" / "web.running"  # from reading the target's record to writing it
    interrupted = 0
    for round_ in range(12):
        # Each round changes the site: one article comes, another goes, a photo is replaced.
        (content / f"bai-{round_}.md").unlink(missing_ok=True)
        (content / f"them-{round_}.md").write_text(article(f"Bài thêm {round_}", date="2024-07-01 08:00"))
        Image.new("RGB", (900, 600), (round_ * 20, 10, 10)).save(content / "images" / f"anh-{round_ % 6}.jpg")
        if round_ % 3 == 0:
            (content / f"them-{round_ - 3}.md").unlink(missing_ok=True)
        build_ok(site)
        before = _mtime(running)  # a mark left by the previous round's kill is older than this run's
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "deploy", "--site", str(site), "--no-build"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if round_ % 2:  # anywhere, from Python starting up to the end
            time.sleep(rng.uniform(0.0, full))
        else:  # while it changes the target: at once after it marks itself running (a folder target
            # changes in a few tens of milliseconds, which a random delay would mostly miss)
            deadline = time.monotonic() + 60
            while _mtime(running) == before and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        mark = _mtime(running)
        interrupted += mark is not None and mark != before  # this run marked itself and never finished
    deadline = time.monotonic() + 5
    while _rclone_daemons() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _rclone_daemons(), "an rclone daemon outlived its killed deploy"
    print(f"{interrupted} of 12 kills hit a deploy while it changed the target")
    assert interrupted >= 3, f"only {interrupted} of 12 kills hit a deploy mid-way"
    ok(deploy_cli(site, server, "--no-build"))
    files = held(server)
    assert without_own(files) == expected(site / "output", FOREIGN_OLD)
    assert not any(p.endswith(PARTIAL_SUFFIX) for p in files) and PENDING not in files
    again = ok(deploy_cli(site, server, "--no-build"))
    assert "0 files uploaded" in again and "0 deleted" in again


# --- watch ----------------------------------------------------------------------------------------


class FakeClock:
    """Time that passes only when the loop sleeps, and then at once."""

    def __init__(self, start):
        self.current = start
        self.waits: list[float] = []

    def now(self):
        return self.current

    def wait(self, event: threading.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        self.current += timedelta(seconds=seconds)
        return False


def test_watch_publishes_a_scheduled_article_on_time_and_not_before(tmp_path):
    due = NOW + timedelta(hours=3, minutes=20)
    site = make_site(tmp_path / "site", None, articles=2, photos=0)
    scheduled = article("Bài hẹn giờ", date=due.strftime("%Y-%m-%d %H:%M"), body="Đăng đúng giờ.")
    (site / "content" / "2026").mkdir()
    (site / "content" / "2026" / "hen-gio.md").write_text(scheduled, encoding="utf-8")
    www = site / "www"
    page = f"{due:%Y/%m}/hen-gio/index.html"
    seen = []

    def on_round(now, built, deployed):
        assert deployed is not None
        seen.append((now, (www / page).exists(), b"hen-gio" in (www / "index.html").read_bytes()))

    clock = FakeClock(NOW)
    lines: list[str] = []
    watch(site, None, lines.append, clock=clock, watch_files=False, rounds=2, on_round=on_round)
    (first, first_page, first_home), (second, second_page, second_home) = seen
    assert first == NOW and not first_page and not first_home
    assert due <= second <= due + timedelta(seconds=5), (second, due)
    assert second_page and second_home, (
        seen,
        sorted(p.relative_to(www).as_posix() for p in www.rglob("*.html"))[:12],
        lines,
    )
    assert any("next scheduled article at" in line for line in lines)


@pytest.mark.slow
def test_watch_deploys_a_saved_change_and_stops_cleanly_on_ctrl_c(tmp_path):
    site = make_site(tmp_path / "site", None, articles=2, photos=0)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "deploy", "--site", str(site), "--watch"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 60
        while sum("watching for changes" in line for line in lines) < count:
            assert time.monotonic() < deadline and process.poll() is None, lines
            time.sleep(0.1)

    try:
        wait_for(1)
        source = site / "content" / "2024" / "bai-0.md"
        source.write_text(source.read_text(encoding="utf-8").replace("Bài viết số 0", "Tiêu đề mới"), "utf-8")
        wait_for(2)
        assert "Tiêu đề mới" in (site / "www" / "2024" / "05" / "bai-0" / "index.html").read_text("utf-8") or (
            "Tiêu đề mới" in (site / "www" / "index.html").read_text("utf-8")
        )
        process.send_signal(signal.SIGINT)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read()
    assert process.returncode == 130
    assert stderr.strip().splitlines() == ["stopped watching (Ctrl-C)"], stderr


# Runs build.py as ``python build.py deploy --watch`` does, plus one thread that, once told on stdin, sends
# SIGINT to itself: Python's C-level handler notes it there, and the main thread, already asleep in the
# loop's wait, is not woken. That is the state a Ctrl-C landing just before the wait began leaves (the
# handler runs between bytecodes; a wait that has not yet entered the kernel is not interrupted).
_CTRL_C_BESIDE_THE_WAIT = """
import runpy, signal, sys, threading

def ctrl_c_beside_the_wait():
    sys.stdin.readline()
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)

threading.Thread(target=ctrl_c_beside_the_wait, daemon=True).start()
sys.argv[0] = sys.argv[1]
del sys.argv[1]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_watch_stops_on_a_ctrl_c_that_arrived_just_before_it_fell_asleep(tmp_path):
    """A Ctrl-C the sleeping loop did not see at once stops it within a moment, not when the nap (60 s) ends."""
    site = write_site(
        tmp_path / "site",
        {"2024/mot.md": article("Bài một")},
        deploy=[{"name": "web", "url": f"file://{tmp_path}/www/"}],
    )
    command = [sys.executable, "-c", _CTRL_C_BESIDE_THE_WAIT, str(ROOT / "build.py"), "deploy", "--site", str(site)]
    process = subprocess.Popen(
        [*command, "--watch"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: list[str] = []
        while not any("watching for changes" in line for line in lines):
            line = process.stdout.readline()
            assert line, (lines, process.stderr.read())
            lines.append(line)
        time.sleep(0.3)  # the loop is asleep in its wait by now
        started = time.monotonic()
        try:
            _out, stderr = process.communicate("\n", timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("the loop slept on through the Ctrl-C")
        waited = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["stopped watching (Ctrl-C)"], stderr
    assert waited < 5, waited
