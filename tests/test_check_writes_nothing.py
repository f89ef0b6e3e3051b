"""``check`` writes nothing, photos included: not in the site, not in .cache/ (issue 14).

It may read the photo cache; a photo the cache lacks is decoded and checked in memory, and its
problems are the ones a build would report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import copy_sample_site, picture, run_cli_in_process


def _state(site: Path) -> dict[str, tuple]:
    """Every file's bytes and mtime, every folder's mtime (a file made and removed again changes it)."""
    state: dict[str, tuple] = {".": ("dir", site.stat().st_mtime_ns)}
    for folder, dirs, files in os.walk(site):
        for name in dirs:
            path = Path(folder, name)
            state[path.relative_to(site).as_posix()] = ("dir", path.lstat().st_mtime_ns)
        for name in files:
            path = Path(folder, name)
            state[path.relative_to(site).as_posix()] = ("file", path.read_bytes(), path.lstat().st_mtime_ns)
    return state


def _with_new_photos(site: Path) -> str:
    """A new photo (not in any cache) and a damaged one, used by a sample article; returns that article."""
    [source] = sorted((site / "content/2023").glob("thanh-tri-bieu-duong-45-*.md"))
    (source.parent / "images").mkdir(exist_ok=True)
    (source.parent / "images/moi-chup.jpg").write_bytes(picture(2000, 1500, seed=9))
    (source.parent / "images/hong.jpg").write_bytes(picture(900, 600, seed=3)[:700])
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\n\n![Ảnh mới](images/moi-chup.jpg)\n\n![Ảnh hỏng](images/hong.jpg)\n", encoding="utf-8")
    return source.relative_to(site).as_posix()


def _errors(text: str) -> set[str]:
    return {line.split("/site/", 1)[-1] for line in text.splitlines() if ": error:" in line}


@pytest.mark.slow
@pytest.mark.parametrize("built_before", [False, True], ids=["no-cache-yet", "after-a-build"])
def test_check_changes_no_file_and_makes_none(tmp_path, built_before, request):
    if built_before:  # the sample's photos processed once for the session, not once more here
        request.getfixturevalue("sample_built")
    site = copy_sample_site(tmp_path / "site", photo_cache=built_before)
    if built_before:  # the photo cache, icons and build cache exist: check may read them
        assert run_cli_in_process("build", "--site", str(site)).returncode == 0
    rel = _with_new_photos(site)
    before = _state(site)
    checked = run_cli_in_process("check", "--site", str(site))
    assert "Traceback" not in checked.stderr, checked.stderr
    assert _state(site) == before, "check wrote into the site folder"
    assert checked.returncode == 1 and f"{rel}:" in checked.stderr + checked.stdout
    built = run_cli_in_process("build", "--site", str(site))
    assert built.returncode == 1
    assert _errors(built.stderr) == _errors(checked.stderr + checked.stdout)  # the damaged photo, located alike


def test_check_finds_a_photo_problem_without_the_cache(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    _with_new_photos(site)
    checked = run_cli_in_process("check", "--site", str(site))
    assert "hong.jpg" in checked.stderr + checked.stdout and "moi-chup.jpg" not in _errors(checked.stderr)
    assert not (site / ".cache").exists()


@pytest.mark.parametrize(("size", "kind"), [((2000, 1500), "JPEG"), ((300, 200), "PNG"), ((1200, 900), "WEBP")])
def test_what_check_works_out_for_a_photo_is_what_the_build_makes(tmp_path, size, kind):
    from newsroom.images import Settings, process

    path = tmp_path / f"anh.{kind.lower()}"
    path.write_bytes(picture(*size, kind=kind))
    folder = tmp_path / "made"
    folder.mkdir()
    settings = Settings((480, 800, 1200, 1600), False, 50_000_000)
    assert process(path, None, settings) == process(path, folder, settings)
    assert sorted(os.listdir(tmp_path)) == sorted([path.name, "made"])
