"""A build stopped at any moment never leaves output that a later build trusts wrongly (issue 12.1).

Two kinds of stop: a fault-injection point at every boundary between the build's steps
(``BuildOptions.checkpoint``, used only here), where the build either dies (SIGKILL, in a forked
child) or is interrupted (Ctrl-C); and real SIGKILLs at random moments of ``build.py build``
runs with alternating option sets. After each, the next build's output must equal, byte for
byte, a clean build's with the same options.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import NOW, ROOT, article, build_ok, stamp_ahead, write_site

from newsroom.build import STEPS

# Option sets that change what is published: each must be undone by the next plain build.
VARIANTS = {
    "plain": {},
    "drafts": {"drafts": True},
    "future": {"future": True},
    "base-url": {"base_url": "https://staging.example.test/ban-thu/"},
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def small_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "2024/tin-mot.md": article("Tin một", "Thông báo", date="2024-05-01 08:00"),
            "2024/tin-hai.md": article("Tin hai", "Nông thôn mới", date="2024-06-01 08:00", tags=["Dân vận"]),
            "2024/nhap.md": article("Bài nháp chưa duyệt", "Thông báo", draft=True),
            "2099/hen-gio.md": article("Bài hẹn giờ", "Thông báo", date="2099-01-01 08:00"),
        },
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """A clean plain build's output: what every build after a stopped one must write."""
    root = tmp_path_factory.mktemp("reference")
    return snapshot(build_ok(small_site(root / "site"), root / "out", clean=True))


def _killed_at(site: Path, output: Path, step: str, options: dict) -> None:
    """Build in a forked child that SIGKILLs itself when the build reaches ``step``."""

    def die(name: str) -> None:
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)

    pid = os.fork()
    if pid == 0:  # the child: build, and never return into pytest
        try:
            build_ok(site, output, checkpoint=die, **options)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) or step not in STEPS, f"the build never reached {step}"


def _interrupted_at(site: Path, output: Path, step: str, options: dict) -> None:
    """Build in this process, with Ctrl-C arriving when the build reaches ``step``."""

    def interrupt(name: str) -> None:
        if name == step:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_ok(site, output, checkpoint=interrupt, **options)


def _stops() -> list:
    """Every step × both ways of stopping × each option set that must be undone: 60 cases of four builds.

    The quick run (``-m "not slow"``) keeps one option set per step and way of stopping, a different
    one from case to case, so it still stops the build at every step both ways; the whole suite runs all.
    """
    cases = []
    for i, step in enumerate(STEPS):
        for j, (how, stop) in enumerate({"SIGKILL": _killed_at, "Ctrl-C": _interrupted_at}.items()):
            for k, variant in enumerate(("drafts", "future", "base-url")):
                marks = () if k == (i + j) % 3 else (pytest.mark.slow,)
                cases.append(pytest.param(step, stop, variant, id=f"{step}-{how}-{variant}", marks=marks))
    return cases


@pytest.mark.parametrize(("step", "stop", "variant"), _stops())
def test_a_build_stopped_at_any_step_is_never_trusted(tmp_path, reference, step, stop, variant):
    site = small_site(tmp_path / "site")
    out = tmp_path / "output"
    build_ok(site, out)
    stop(site, out, step, VARIANTS[variant])
    build_ok(site, out)
    assert snapshot(out) == reference, f"after a {variant} build stopped at {step}"
    # And the build after that, which may take the "nothing changed" shortcut, agrees too.
    build_ok(site, out)
    assert snapshot(out) == reference


def test_the_checkpoints_name_every_step_in_order(tmp_path):
    site = small_site(tmp_path / "site")
    # Files saved a moment ago may still change within the same mtime, so the build after them looks
    # again (cache.RACY_NS); sources untouched for a while let the second build take the shortcut.
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    seen: list[str] = []
    build_ok(site, checkpoint=seen.append)
    assert tuple(seen) == STEPS
    seen.clear()
    build_ok(site, checkpoint=seen.append)
    assert seen == ["locked"]  # nothing changed: the shortcut, after the lock


def _cli_args(site: Path, variant: str) -> list[str]:
    options = VARIANTS[variant]
    args = ["build", "--site", str(site)]
    if options.get("drafts"):
        args.append("--drafts")
    if options.get("future"):
        args.append("--future")
    if "base_url" in options:
        args += ["--base-url", options["base_url"]]
    return args


def _cli(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_random_kills_while_alternating_option_sets(tmp_path):
    """Real processes, SIGKILLed at random moments; the next build always equals a clean one."""
    articles = {
        f"{2020 + i % 5}/bai-{i:03d}.md": article(
            f"Bài số {i} về công tác dân vận",
            ["Thông báo", "Nông thôn mới", "Đảng, đoàn thể"][i % 3],
            date=f"{2020 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d} 08:00",
            body="\n\n".join(f"Đoạn {j} của bài {i}: nội dung tin tức." for j in range(20)),
            tags=[f"Chủ đề {i % 7}"],
            draft=i % 17 == 0,
        )
        for i in range(250)
    }
    articles["2099/hen-gio.md"] = article("Bài hẹn giờ", "Thông báo", date="2099-01-01 08:00")
    site = write_site(tmp_path / "site", articles)
    references: dict[str, dict[str, bytes]] = {}
    for variant in VARIANTS:
        folder = tmp_path / f"ref-{variant}"
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *_cli_args(site, variant), "--output", str(folder)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        references[variant] = snapshot(folder)

    rng = random.Random(1212)
    names = list(VARIANTS)
    kills = 0
    for round_ in range(14):
        killed_variant = names[round_ % len(names)]
        process = _cli(_cli_args(site, killed_variant))
        time.sleep(rng.uniform(0.0, 1.2))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        next_variant = names[(round_ + 1 + rng.randrange(len(names) - 1)) % len(names)]
        done = _cli(_cli_args(site, next_variant))
        assert done.wait(timeout=120) == 0, done.stderr.read()
        assert snapshot(site / "output") == references[next_variant], (
            f"round {round_}: {next_variant} build after a killed {killed_variant} build"
        )
    assert kills >= 8, "the builds were too quick to be killed: make the site larger"


def test_fixed_clock_reference_is_what_a_build_writes(tmp_path, reference):
    """The reference above is a build's real output (guards the fixture itself)."""
    site = small_site(tmp_path / "site")
    assert snapshot(build_ok(site, now=NOW)) == reference


def test_a_same_size_save_in_the_same_clock_tick_is_seen_without_any_other_edit(tmp_path):
    """The "nothing changed" shortcut compares sizes and mtimes; a file saved just before a build may
    be saved again within the same mtime (Hùng → Hưng: as many bytes), so that build's signature is
    never trusted by the next one. (The file is stamped a minute ahead: just saved, for the first build,
    however slow a loaded machine makes it.)"""
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", body="Ông Hùng phát biểu.")})
    source = site / "content/2024/a.md"
    stamp_ahead([source])
    out = build_ok(site)
    stat = source.stat()
    source.write_bytes(source.read_bytes().replace("Hùng".encode(), "Hưng".encode()))
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert source.stat().st_size == stat.st_size
    build_ok(site)
    page = next(out.glob("2024/*/*/index.html")).read_text(encoding="utf-8")
    assert "Ông Hưng phát biểu." in page
