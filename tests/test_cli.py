"""The command line as editors use it: help texts, `new`, exit codes, the summary line."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sitekit import run_cli_in_process, write_site

from newsroom.config import load_config
from newsroom.content import parse_article
from newsroom.scaffold import new_article


def test_help_explains_every_command():
    top = run_cli_in_process("--help")
    assert top.returncode == 0
    for word in ("build", "check", "new"):
        assert word in top.stdout
    sub = run_cli_in_process("build", "--help")
    for option in ("--site", "--output", "--base-url", "--drafts", "--future", "--strict", "--force"):
        assert option in sub.stdout


def test_new_writes_a_complete_article_that_builds(tmp_path):
    site = write_site(tmp_path / "s", {}, categories=["Đảng, đoàn thể", "Thông báo"])
    result = run_cli_in_process(
        "new", "Khai mạc lớp tập huấn: công tác Dân vận", "--category", "Đảng, đoàn thể", "--site", str(site)
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert re.search(r"content/\d{4}/khai-mac-lop-tap-huan-cong-tac-dan-van\.md$", path.as_posix())
    parsed = parse_article("content/x.md", path.read_bytes(), load_config(site))
    assert [p for p in parsed.problems if not p.warning] == []
    assert parsed.article.title == "Khai mạc lớp tập huấn: công tác Dân vận"
    assert parsed.article.category.name == "Đảng, đoàn thể"
    assert parsed.article.date.utcoffset().total_seconds() == 7 * 3600
    again = run_cli_in_process(
        "new", "Khai mạc lớp tập huấn: công tác Dân vận", "--category", "Đảng, đoàn thể", "--site", str(site)
    )
    assert again.stdout.strip().endswith("-2.md")
    assert run_cli_in_process("build", "--site", str(site)).returncode == 0


def test_new_suggests_the_closest_category(tmp_path):
    site = write_site(tmp_path / "s", {}, categories=["Đảng, đoàn thể"])
    result = run_cli_in_process("new", "Tin", "--category", "dang doan the", "--site", str(site))
    assert result.returncode == 1
    assert "did you mean 'Đảng, đoàn thể'" in result.stderr


def test_new_uses_the_site_time_zone(tmp_path):
    site = write_site(tmp_path / "s", {}, categories=["Thông báo"])
    path = new_article(site, "Tin đêm", "Thông báo", now=datetime.fromisoformat("2024-12-31T20:30:00+00:00")).path
    assert path.parent.name == "2025"  # 03:30 on 1 January in Hà Nội
    assert "date: 2025-01-01 03:30" in path.read_text(encoding="utf-8")


def test_sample_site_builds_with_a_summary_line(sample_built):
    _, stdout = sample_built  # built by the command line, once per session (conftest)
    assert re.search(r"built \d+ articles into \d+ pages .* in \d+\.\d\d s; 0 warnings", stdout)


def test_config_errors_are_located_and_suggest(tmp_path):
    site = write_site(tmp_path / "s", {})
    (site / "config.yaml").write_text(
        (site / "config.yaml").read_text(encoding="utf-8") + "per-page: 10\n", encoding="utf-8"
    )
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert "config.yaml:" in result.stderr and "unknown setting 'per-page'" in result.stderr
    assert "did you mean 'per_page'?" in result.stderr
    missing = run_cli_in_process("build", "--site", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "no config.yaml" in missing.stderr and "--site" in missing.stderr


def test_a_permalink_with_unpaired_braces_is_a_located_config_error(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": "---\ntitle: T\ncategory: Thông báo\ndate: 2024-01-01\n---\nx\n"})
    config = site / "config.yaml"
    for pattern in ("{year/{slug}/", "{slug}}/"):
        config.write_text(
            config.read_text(encoding="utf-8").split("permalinks:")[0] + f"permalinks:\n  article: '{pattern}'\n",
            encoding="utf-8",
        )
        result = run_cli_in_process("build", "--site", str(site))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "config.yaml:" in result.stderr and "out of place" in result.stderr
