"""The last good output survives everything: kills, template crashes, concurrent builds.

Also: stale files go, preserved files stay, dangerous output folders are refused, and
content/ is byte- and mtime-identical after any build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitekit import ROOT, article, build_ok, run_cli, run_cli_in_process, write_site

from newsroom import BuildOptions, OutputError, build
from newsroom.output import BuildLock, check_output_dir
from newsroom.render import ThemeError


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def content_state(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((site / "content").rglob("*"))
        if p.is_file()
    }


def many_articles(n: int) -> dict[str, str]:
    return {
        f"{2015 + i % 10}/bai-{i:04d}.md": article(
            f"Bài số {i} về công tác dân vận",
            "Tin tức - Sự kiện",
            f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d} 08:{i % 60:02d}",
            "Đoạn văn dài. " * 200,
            tags=[f"Chủ đề {i % 40}"],
        )
        for i in range(n)
    }


def staged_with(staging: Path, rel: str, text: str) -> bool:
    """Whether the staging tree already holds the new version of ``rel`` (it has ``text``)."""
    try:
        return text.encode("utf-8") in (staging / rel).read_bytes()
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_sigkill_during_write_leaves_previous_output_intact(tmp_path):
    site = write_site(tmp_path / "site", many_articles(150))
    out = build_ok(site)
    before = snapshot(out)
    config = site / "config.yaml"  # a new site title changes every page: a long write to kill
    config.write_text(config.read_text(encoding="utf-8").replace("Thử Nghiệm", "Đã Đổi Tên"), encoding="utf-8")
    staging = out.parent / ".output.staging"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--future"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill as soon as the first new page is staged (pages are staged in plan order, the home page
    # first): the kill lands mid-write however fast or loaded the machine is, no fixed sleep.
    deadline = time.monotonic() + 120
    while not staged_with(staging, "index.html", "Đã Đổi Tên") and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never staged its first page"
        time.sleep(0.001)
    assert proc.poll() is None, "the build finished before it could be killed; make the site larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot(out) == before
    build_ok(site)  # the next build starts staging afresh and succeeds
    assert not (out.parent / ".output.staging-dirty").exists()
    assert "Đã Đổi Tên" in (out / "index.html").read_text(encoding="utf-8")
    assert snapshot(out) == snapshot(build_ok(site, tmp_path / "clean", clean=True))


def test_template_error_on_the_last_page_leaves_output_intact(tmp_path):
    site = write_site(tmp_path / "site", many_articles(30))
    out = build_ok(site)
    before = snapshot(out)
    override = site / "themes/default/templates/404.html"  # 404 is planned last
    override.parent.mkdir(parents=True)
    override.write_text("{% extends 'base.html' %}{% block main %}{{ 1 // 0 }}{% endblock %}", encoding="utf-8")
    with pytest.raises(ThemeError) as info:
        build_ok(site)
    assert "404.html" in info.value.render() and "ZeroDivisionError" in info.value.render()
    assert snapshot(out) == before


def test_template_error_is_reported_with_file_and_line(tmp_path, capsys):
    site = write_site(tmp_path / "site", many_articles(2))
    override = site / "themes/default/templates/article.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ article.no_such_field }}\n{% endblock %}\n", encoding="utf-8"
    )
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert "article.html:3" in result.stderr and "no_such_field" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_two_builds_at_once_both_finish_and_output_is_whole(tmp_path):
    site = write_site(tmp_path / "site", many_articles(120))
    results = []

    def run():
        results.append(run_cli("build", "--site", str(site)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    reference = build_ok(site, tmp_path / "ref")
    assert snapshot(site / "output") == snapshot(reference)


@contextmanager
def lock_held_elsewhere(output: Path):
    """The output's build lock, held by another process (as a running build would) until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from newsroom.output import BuildLock\n"
            "with BuildLock(Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.read()",
            str(output),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_a_held_lock_makes_the_lock_wait_then_stop_clearly(tmp_path):
    out = tmp_path / "site/output"
    told = []
    with lock_held_elsewhere(out):
        started = time.monotonic()
        with pytest.raises(OutputError) as info, BuildLock(out, wait_seconds=0.3, on_wait=lambda: told.append(1)):
            pass
        waited = time.monotonic() - started
    assert told == [1]  # the person is told once that the build waits
    assert waited >= 0.3  # it waited its time (a lower bound only: a loaded machine may take longer)
    assert "another build is still writing" in info.value.render() and "hint:" in info.value.render()
    with BuildLock(out, wait_seconds=0):  # the lock went with the process that held it
        pass


def test_a_held_lock_makes_the_build_wait_then_stop_clearly(tmp_path):
    site = write_site(tmp_path / "site", many_articles(2))
    out = site / "output"
    with lock_held_elsewhere(out), pytest.raises(OutputError) as info:
        build(site, BuildOptions(output=out, lock_wait=0.3))
    assert "another build" in info.value.render()
    assert not out.exists()
    build(site, BuildOptions(output=out, lock_wait=0.3))


def test_stale_files_go_and_preserved_files_stay(tmp_path):
    files = many_articles(3)
    site = write_site(tmp_path / "site", files, preserve=["CNAME", ".well-known/"])
    out = build_ok(site)
    (out / "CNAME").write_text("tin.example.vn\n")
    (out / ".well-known").mkdir()
    (out / ".well-known/security.txt").write_text("Contact: x\n")
    gone = sorted(out.glob("20*/*/bai-*/index.html"))[0]
    source = site / "content" / next(rel for rel in files if gone.parent.name in rel)
    source.unlink()
    build_ok(site)
    assert not gone.exists()
    assert (out / "CNAME").read_text() == "tin.example.vn\n"
    assert (out / ".well-known/security.txt").is_file()


def test_content_is_untouched_by_builds(tmp_path):
    site = write_site(tmp_path / "site", many_articles(10))
    before = content_state(site)
    build_ok(site)
    run_cli_in_process("check", "--site", str(site))
    (site / "content/2015/bai-0000.md").chmod(0o644)
    assert content_state(site) == before


def test_unchanged_rebuild_does_not_swap(tmp_path):
    site = write_site(tmp_path / "site", many_articles(5))
    out = build_ok(site)
    inode = out.stat().st_ino
    build_ok(site)
    assert out.stat().st_ino == inode


SYSTEM_FOLDERS = [
    "/", "/home", "/root", "/tmp", "/var", "/opt", "/srv", "/mnt", "/media", "/etc", "/etc/nginx", "/usr", "/usr/share",
    "/usr/local/bin", "/bin", "/sbin", "/lib", "/boot", "/dev", "/proc", "/sys", "/sys/kernel", "/run", "/var/lib",
    "/var/log/nginx",
]  # fmt: skip


@pytest.mark.parametrize("folder", SYSTEM_FOLDERS)
def test_system_folders_are_refused_even_with_force(tmp_path, folder):
    # check_output_dir alone: were it ever to let one through, this test must not go on to build there.
    site = write_site(tmp_path / "site", many_articles(1))
    with pytest.raises(OutputError) as info:
        check_output_dir(Path(folder), site, force=True)
    assert f"refusing to use {folder} as the output folder" in info.value.render()
    assert "--output output" in info.value.render()


@pytest.mark.parametrize("where", ["home", "home parent", "home .ssh", "site ancestors", "builtin themes"])
def test_home_and_newsroom_folders_are_refused_even_with_force(tmp_path, where):
    site = write_site(tmp_path / "site", many_articles(1))
    home = Path.home().resolve()
    targets = {
        "home": [home],
        "home parent": list(home.parents),
        "home .ssh": [home / ".ssh", home / ".ssh/keys"],
        "site ancestors": list(site.parents),
        "builtin themes": [ROOT / "themes", ROOT / "themes/default", ROOT / "themes/default/static", ROOT / "newsroom"],
    }[where]
    for target in targets:
        with pytest.raises(OutputError) as info:
            check_output_dir(target, site, force=True)
        assert str(target) in info.value.render()


def test_a_symbolic_link_to_a_system_folder_is_refused(tmp_path):
    site = write_site(tmp_path / "site", many_articles(1))
    (tmp_path / "etc-link").symlink_to("/etc")
    (tmp_path / "home-link").symlink_to(Path.home())
    for target in (tmp_path / "etc-link", tmp_path / "etc-link/site", tmp_path / "home-link"):
        with pytest.raises(OutputError) as info:
            check_output_dir(target, site, force=True)
        assert "symbolic link" in info.value.render()


@pytest.mark.parametrize(
    "where",
    ["site", "parent", "content", "content/2015", "static", "static/css", "themes", "themes/mine", "shared theme",
     "shared theme/static", ".git", ".cache", ".cache/build", "site link"],
)  # fmt: skip
def test_site_folders_are_refused_even_with_force(tmp_path, where):
    site = write_site(tmp_path / "site", many_articles(2), theme="shared")
    for folder in ("static/css", "themes/mine/templates", ".git", ".cache/build/x"):
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / "keep.txt").write_text("precious")
    shared = tmp_path / "elsewhere/shared"  # a theme kept outside the site, linked into it
    (shared / "static").mkdir(parents=True)
    (shared / "static/style.css").write_text("body{}")
    (site / "themes/shared").symlink_to(shared)
    (tmp_path / "site-link").symlink_to(site)
    target = {"parent": tmp_path, "shared theme": shared, "shared theme/static": shared / "static"}.get(where)
    target = target or {"site": site, "site link": tmp_path / "site-link"}.get(where) or site / where
    before = snapshot(tmp_path)
    result = run_cli_in_process("build", "--site", str(site), "--output", str(target), "--force")
    assert result.returncode == 1, result.stdout
    assert f"refusing to use {target} as the output folder" in result.stderr
    assert "--output output" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_new_folders_inside_tmp_home_and_the_site_stay_allowed(tmp_path):
    site = write_site(tmp_path / "site", many_articles(1))
    for target in (site / "output", site / ".cache/preview", tmp_path / "out", Path.home() / "no-such-folder/site"):
        check_output_dir(target, site, force=True)
    foreign = tmp_path / "public"
    foreign.mkdir()
    (foreign / "old.html").write_text("old")
    assert run_cli_in_process("build", "--site", str(site), "--output", str(foreign), "--force").returncode == 0
    assert (foreign / "index.html").is_file()


def test_foreign_non_empty_folder_needs_force(tmp_path):
    site = write_site(tmp_path / "site", many_articles(1))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = run_cli_in_process("build", "--site", str(site), "--output", str(foreign))
    assert result.returncode == 1 and "--force" in result.stderr
    assert (foreign / "notes.txt").read_text() == "mine"
    assert run_cli_in_process("build", "--site", str(site), "--output", str(foreign), "--force").returncode == 0
    assert (foreign / "index.html").is_file()


def test_symlinks_leading_outside_the_site_are_not_followed(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "leak.md").write_text(article("Bí mật", "Thông báo"), encoding="utf-8")
    site = write_site(tmp_path / "site", many_articles(1))
    (site / "content/outside").symlink_to(secret)
    (site / "static").mkdir()
    (site / "static/passwd").symlink_to("/etc/passwd")
    out = build_ok(site)
    assert "Bí mật" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert not (out / "passwd").exists()


def test_an_output_folder_that_is_a_link_is_written_through_the_link(tmp_path):
    from sitekit import article, build_ok, write_site

    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin một", "Thông báo")})
    served = tmp_path / "www"
    (site / "output").symlink_to(served, target_is_directory=True)
    build_ok(site)
    (site / "content/2024/a.md").write_text(article("Tin một đã sửa", "Thông báo"), encoding="utf-8")
    build_ok(site)
    assert (site / "output").is_symlink()
    assert "Tin một đã sửa" in (served / "2024/05/a/index.html").read_text(encoding="utf-8")
