"""`build.py new`: the file it starts is a draft that is never published as it is.

Each test makes a real site in a temporary folder, runs `new` (through the command line where the
messages matter, through ``new_article`` with a fixed clock where the date matters), then reads
the file back as the build does, runs `check` or builds the site.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from sitekit import article, build_ok, run_cli_in_process, write_site

from newsroom.config import load_config
from newsroom.content import parse_article
from newsroom.errors import ConfigError
from newsroom.scaffold import new_article

FIXED = datetime.fromisoformat("2024-05-03T09:30:00+07:00")


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "site", {})


def run_new(site: Path, *args: str):
    result = run_cli_in_process("new", *args, "--site", str(site))
    path = Path(result.stdout.strip()) if result.returncode == 0 else None
    return result, path


def test_the_new_file_is_a_draft_without_filler_and_is_never_published(site):
    result, path = run_new(site, "Thông báo lịch tiếp công dân tháng 5", "--category", "Thông báo")
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    front, _, body = text.partition("\n---\n")
    assert "draft: true" in front.splitlines()
    assert body.strip() == ""  # no sample lead or text that would pass as written
    assert "author:" not in front and '""' not in front  # no empty fields that silence warnings
    assert "change 'draft: true' to 'draft: false'" in result.stderr

    rel = path.relative_to(site).as_posix()
    parsed = parse_article(rel, path.read_bytes(), load_config(site))
    assert parsed.article.draft and [str(p.message) for p in parsed.problems] == ["no author given"]

    check = run_cli_in_process("check", "--site", str(site))
    assert f"{rel}: not published yet: draft" in check.stdout
    assert f"{rel}:1: warning: no author given" in check.stderr
    assert "1 draft/scheduled" in check.stdout

    url = parsed.article.url.strip("/")
    assert not (build_ok(site, now=datetime.now().astimezone()) / url).exists()
    assert (
        build_ok(site, site / "preview", drafts=True, now=datetime.now().astimezone()) / url / "index.html"
    ).is_file()


def test_author_and_source_unit_are_written_when_given(site):
    new = new_article(site, "Tin mới", "Thông báo", author=" Thanh  Hồng ", source_unit="Trung tâm Văn hóa", now=FIXED)
    text = new.path.read_text(encoding="utf-8")
    assert 'author: "Thanh Hồng"\nsource_unit: "Trung tâm Văn hóa"\n' in text
    parsed = parse_article("content/x.md", new.path.read_bytes(), load_config(site))
    assert parsed.problems == () and parsed.article.author == "Thanh Hồng"
    assert new.warnings == []


def test_the_same_title_and_date_is_a_warning_naming_the_other_file(tmp_path):
    site = write_site(
        tmp_path / "site", {"2024/viet-tay.md": article("HỘI NGHỊ  tổng kết năm", "Thông báo", "2024-05-03 07:00")}
    )
    new = new_article(site, "Hội nghị tổng kết năm", "Thông báo", now=FIXED)
    assert new.path.is_file()  # still written
    [warning] = new.warnings
    assert warning.warning and warning.path == "content/2024/hoi-nghi-tong-ket-nam.md"
    assert "same title and date already exists: content/2024/viet-tay.md" in warning.message
    other_day = new_article(site, "Hội nghị tổng kết năm", "Thông báo", now=FIXED.replace(day=4))
    assert other_day.warnings == []


def test_the_warning_on_the_command_line(site):
    first, first_path = run_new(site, "Họp báo quý II", "--category", "Thông báo")
    second, second_path = run_new(site, "Họp báo quý II", "--category", "Thông báo")
    assert first.returncode == second.returncode == 0
    if first_path.parent != second_path.parent:  # the two ran either side of midnight
        pytest.skip("the year changed between the two runs")
    assert second_path.name == "hop-bao-quy-ii-2.md"
    rel, other = (p.relative_to(site).as_posix() for p in (second_path, first_path))
    assert f"{rel}:2: warning: an article with the same title and date already exists: {other}" in second.stderr
    assert "warning" not in first.stderr


@pytest.mark.parametrize("title", ["!!! ???", "新闻发布会", "—"])
def test_a_title_without_a_usable_slug_is_a_warning(site, title):
    new = new_article(site, title, "Thông báo", now=FIXED)
    assert new.path.name == "bai-viet.md"
    [warning] = new.warnings
    assert "no plain letters or digits" in warning.message and 'slug: "ten-bai-viet"' in warning.hint
    assert parse_article("content/x.md", new.path.read_bytes(), load_config(site)).article.title == title


def test_a_title_that_slugs_to_the_fallback_name_is_not_warned(site):
    assert new_article(site, "Bài viết", "Thông báo", now=FIXED).warnings == []


def test_never_writes_outside_content(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "content").mkdir()
    (site / "content/2024").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="content/2024 leads outside content/"):
        new_article(site, "Tin mới", "Thông báo", now=FIXED)
    assert list(elsewhere.iterdir()) == []
    (site / "content/2024").unlink()
    (site / "content/2024").symlink_to(tmp_path / "nowhere")  # dangling: mkdir would follow it
    with pytest.raises(ConfigError, match="leads outside content/"):
        new_article(site, "Tin mới", "Thông báo", now=FIXED)
    assert not (tmp_path / "nowhere").exists()


def test_a_year_folder_linked_inside_content_is_fine(site):
    (site / "content/luu-tru/2024").mkdir(parents=True)
    (site / "content/2024").symlink_to(site / "content/luu-tru/2024")
    assert new_article(site, "Tin mới", "Thông báo", now=FIXED).path.resolve().parent == site / "content/luu-tru/2024"


def test_a_file_in_place_of_the_year_folder_is_a_plain_error(site):
    (site / "content").mkdir()
    (site / "content/2024").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match="content/2024 is a file, not a folder"):
        new_article(site, "Tin mới", "Thông báo", now=FIXED)


def test_never_over_a_file_a_link_or_another_articles_url(site):
    folder = site / "content/2024"
    folder.mkdir(parents=True)
    (folder / "tin-moi.md").symlink_to(site / "nowhere.md")  # a dangling link: exists() says no
    same_url = article("Khác", "Thông báo", "2024-05-20 08:00", slug="tin-moi-2")  # /2024/05/tin-moi-2/
    (folder / "khac.md").write_text(same_url, encoding="utf-8")
    new = new_article(site, "Tin mới", "Thông báo", now=FIXED)
    assert new.path.name == "tin-moi-3.md"
    assert not (site / "nowhere.md").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_decomposed_and_invisible_characters_are_cleaned(site):
    title = unicodedata.normalize("NFD", "Đảng ủy\u200b  xã\u2028Tả Thanh Oai")
    category = unicodedata.normalize("NFD", "Đảng, đoàn thể")  # as a macOS terminal may pass it
    new = new_article(site, title, category, now=FIXED)
    parsed = parse_article("content/x.md", new.path.read_bytes(), load_config(site))
    assert parsed.article.title == "Đảng ủy xã Tả Thanh Oai"
    assert parsed.article.category.name == "Đảng, đoàn thể"
    assert new.path.name == "dang-uy-xa-ta-thanh-oai.md"


def test_an_unknown_category_or_empty_title_writes_nothing(site):
    result, _ = run_new(site, "Tin", "--category", "Thong bao khan")
    assert result.returncode == 1 and "did you mean 'Thông báo'" in result.stderr and "Traceback" not in result.stderr
    result, _ = run_new(site, " \u200b ", "--category", "Thông báo")
    assert result.returncode == 1 and "the title is empty" in result.stderr
    assert not (site / "content").exists() or not any((site / "content").rglob("*.md"))


def test_help_says_the_file_is_a_draft():
    usage = run_cli_in_process("new", "--help").stdout
    assert "draft: true" in usage and "same title and date" in usage


def test_a_draft_with_the_fixed_clock_is_left_out_of_the_build(site):
    new = new_article(site, "Tin nháp", "Thông báo", now=FIXED)
    output = build_ok(site)
    assert not (output / "2024/05/tin-nhap").exists()
    new.path.write_text(
        new.path.read_text(encoding="utf-8").replace("draft: true", "draft: false") + "Nội dung đã viết.\n",
        encoding="utf-8",
    )
    assert (build_ok(site) / "2024/05/tin-nhap/index.html").is_file()
