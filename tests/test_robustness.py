"""Failures found in review: each now ends in a correct build or a clear message, never stale output."""

from __future__ import annotations

import importlib

import pytest
from sitekit import article, build_ok, page, run_cli_in_process, write_site

from newsroom import BuildOptions, OutputError, build
from newsroom.cli import main


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_interrupted_after_the_swap_the_next_build_trusts_no_manifest(tmp_path, monkeypatch):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Phiên bản một", "Thông báo", body="v1")})
    source = site / "content/2024/a.md"
    out = build_ok(site)
    source.write_text(article("Phiên bản hai", "Thông báo", body="v2"), encoding="utf-8")
    build_ok(site)
    source.write_text(article("Phiên bản ba", "Thông báo", body="v3"), encoding="utf-8")

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module("newsroom.build"), "save_cache", fail)
    with pytest.raises(KeyboardInterrupt):
        build_ok(site)  # swapped, but the cache was never saved
    monkeypatch.undo()
    source.write_text(article("Phiên bản hai", "Thông báo", body="v2"), encoding="utf-8")
    build_ok(site)
    assert page(out, "2024/05/a/").find("h1").text == "Phiên bản hai"
    assert snapshot(out) == snapshot(build_ok(site, tmp_path / "clean", clean=True))


def test_no_search_then_search_builds_the_index(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")})
    out = build_ok(site, search=False)
    assert not (out / "tim-kiem/index").exists()
    build_ok(site)
    assert (out / "tim-kiem/index/meta.json").is_file()


def test_a_preserve_entry_never_hides_generated_pages(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")}, preserve=["2024"])
    out = build_ok(site)
    build_ok(site, clean=True)
    assert (out / "2024/05/a/index.html").is_file()


def test_a_file_deleted_from_output_by_hand_gives_a_clear_message(tmp_path):
    site = write_site(
        tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo"), "2024/b.md": article("Hai", "Thông báo")}
    )
    out = build_ok(site)
    (out / "404.html").unlink()
    (site / "content/2024/a.md").write_text(article("Tin đã sửa", "Thông báo"), encoding="utf-8")
    with pytest.raises(OutputError) as info:
        build(site, BuildOptions(output=out))
    assert "--clean" in info.value.render()
    build_ok(site, clean=True)
    assert (out / "404.html").is_file()


def test_an_image_linked_from_outside_the_site_is_not_published(tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg>bí mật</svg>")
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo", body="![sơ đồ](images/so-do.svg)")})
    (site / "content/2024/images").mkdir()
    (site / "content/2024/images/so-do.svg").symlink_to(secret)
    out = build_ok(site)
    assert not any("bí mật" in p.read_text(errors="ignore") for p in out.rglob("*.svg"))


def test_editing_a_theme_behind_a_linked_folder_rebuilds(tmp_path):
    theme = tmp_path / "theme-elsewhere"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Một</h1>{% endblock %}')
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")})
    (site / "themes").mkdir()
    (site / "themes/default").symlink_to(theme)
    out = build_ok(site)
    assert page(out, "404.html").find("h1").text == "Một"
    (theme / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Hai</h1>{% endblock %}')
    build_ok(site)
    assert page(out, "404.html").find("h1").text == "Hai"


def test_a_dangling_link_in_content_is_a_located_error(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")})
    (site / "content/2024/b.md").symlink_to(site / "content/2024/khong-co.md")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/b.md: error: the file cannot be read" in err and "Traceback" not in err


def test_odd_numbers_yaml_accepts_are_warnings_not_crashes(tmp_path, capsys):
    site = write_site(
        tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo").replace("---\n\n", "legacy_views: 1:30\n---\n\n", 1)}
    )
    assert main(["build", "--site", str(site)]) == 0
    assert "'legacy_views' must be a plain whole number" in capsys.readouterr().err


def test_a_disk_error_is_a_message_not_a_traceback(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")})
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run_cli_in_process("build", "--site", str(site), "--output", str(blocker / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "hint:" in result.stderr
