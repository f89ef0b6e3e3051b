"""Odd things in content/: file names that are not UTF-8, FIFOs, huge files and huge tag lists.

Each is skipped or refused with a located message, never a traceback or a hang, and the other
articles still build (issue 12, items 3 and 10).
"""

from __future__ import annotations

import os
import time

import pytest
from sitekit import article, build_ok, page, run_cli, run_cli_in_process, write_site

from newsroom.cli import main


def _site(tmp_path, **config):
    return write_site(
        tmp_path / "site",
        {"2024/tot.md": article("Bài bình thường", "Thông báo")},
        categories=["Thông báo"],
        **config,
    )


def test_a_file_name_that_is_not_utf8_is_reported_and_the_others_build(tmp_path):
    site = _site(tmp_path)
    folder = os.fsencode(site / "content/2024")
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as handle:
        handle.write(article("Bài tên hỏng", "Thông báo").encode())
    for command in ("build", "check"):
        done = run_cli_in_process(command, "--site", str(site))
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 0, done.stderr
        assert "content/2024/caf\\xe9.md: warning: file skipped: its name is not UTF-8 text" in done.stderr
        assert "rename it" in done.stderr and "cafe.md" in done.stderr
    assert page(site / "output", "2024/05/tot/").find("h1").text == "Bài bình thường"
    assert main(["build", "--site", str(site), "--strict"]) == 1


def test_a_folder_name_that_is_not_utf8_is_reported_once(tmp_path, capsys):
    site = _site(tmp_path)
    bad = os.path.join(os.fsencode(site / "content"), b"Tin t\xfcc")
    os.mkdir(bad)
    with open(os.path.join(bad, b"bai.md"), "wb") as handle:
        handle.write(article("Trong thư mục hỏng", "Thông báo").encode())
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert err.count("not UTF-8") == 1 and "content/Tin t\\xfcc: warning: folder skipped" in err


def test_a_fifo_in_content_is_skipped_with_a_warning_not_read(tmp_path):
    site = _site(tmp_path)
    os.mkfifo(site / "content/2024/ong.md")
    started = time.monotonic()
    done = run_cli("build", "--site", str(site), timeout=60)
    assert done.returncode == 0, done.stderr
    assert "content/2024/ong.md: warning: skipped: this is not a regular file" in done.stderr
    assert time.monotonic() - started < 30
    assert run_cli("check", "--site", str(site), timeout=60).returncode == 0


def test_the_size_limit_is_checked_before_reading(tmp_path, capsys):
    site = _site(tmp_path, max_file_kb=1)
    big = site / "content/2024/lon.md"
    with open(big, "wb") as handle:  # a sparse 4 GiB file: reading it would take the memory
        handle.truncate(4 * 1024**3)
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/lon.md: error: file is 4194304 KB, over the 1 KB limit" in err


@pytest.mark.parametrize("layout", ["flow", "block"])
def test_a_hundred_thousand_tags_are_read_in_linear_time(tmp_path, layout):
    tags = [f"Chủ đề {i}" for i in range(100_000)]
    if layout == "flow":
        tag_text = "tags: [" + ", ".join(f'"{t}"' for t in tags) + "]\n"
    else:
        tag_text = "tags:\n" + "".join(f'  - "{t}"\n' for t in tags)
    text = '---\ntitle: "Nhiều thẻ"\ncategory: "Thông báo"\ndate: 2024-05-01 08:00\nauthor: "A"\n' + tag_text
    text += "---\nNội dung.\n"
    site = _site(tmp_path, max_file_kb=8192)
    (site / "content/2024/the.md").write_text(text, encoding="utf-8")
    from newsroom.config import load_config
    from newsroom.content import parse_article

    config = load_config(site)
    started = time.process_time()
    parsed = parse_article("content/2024/the.md", text.encode(), config)
    assert time.process_time() - started < 5  # quadratic de-duplication took minutes
    assert parsed.article is not None and len(parsed.article.tags) == 100_000


def test_repeated_tags_keep_their_first_order(tmp_path):
    site = write_site(
        tmp_path / "site",
        {"2024/a.md": article("Tin", "Thông báo", tags=["Một", "Hai", "Một", " Hai ", "Ba"])},
        categories=["Thông báo"],
    )
    out = build_ok(site)
    tags = [a.text for a in page(out, "2024/05/a/").find_all("a") if "/the/" in a.attrs.get("href", "")]
    assert tags[:3] == ["Một", "Hai", "Ba"]
