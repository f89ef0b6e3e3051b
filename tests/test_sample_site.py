"""The shipped sample site shows what the portal does (issue 13, "Sample site").

Built once, as an editor would (``python build.py build --strict``), then read through its HTML:
pages and the menu, featured stories, documents with their PDFs, photos with captions, a video,
the publisher's footer; and its media: small, made by ``tools/make_sample_media.py`` (CC0).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sitekit import ROOT, crawl, page, resolve, run_cli_in_process

from newsroom.config import load_config
from newsroom.content import find_sources, parse_article, read_source
from newsroom.model import Article

PAGES = {
    "gioi-thieu/": "Giới thiệu",
    "gioi-thieu/lich-su-hinh-thanh/": "Lịch sử hình thành",
    "gioi-thieu/dieu-kien-tu-nhien/": "Điều kiện tự nhiên",
    "lien-he/": "Liên hệ",
    "co-cau-to-chuc/": "Cơ cấu tổ chức",
}
ISSUERS = {"UBND huyện Thanh Trì", "Huyện ủy Thanh Trì", "HĐND huyện Thanh Trì", "Phòng Giáo dục và Đào tạo"}
MEDIA_TOOL = ROOT / "tools" / "make_sample_media.py"


@pytest.fixture
def built(sample_built) -> tuple[Path, str]:
    """The sample site built by the CLI with --strict, once per session (conftest): (output folder, stdout)."""
    return sample_built


def articles_of_the_sample() -> list[Article]:
    """The sample's articles as the build reads them."""
    config = load_config(ROOT)
    found = []
    for rel, path in find_sources(config):
        item = parse_article(rel, read_source(path, config.max_file_kb * 1024), config).article
        if isinstance(item, Article):
            found.append(item)
    return found


def article_pages(out: Path) -> list[Path]:
    return sorted(out.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_it_builds_and_checks_with_no_warnings(built):
    _, stdout = built
    assert re.search(r"built \d+ articles into \d+ pages .*; 0 warnings", stdout), stdout
    check = run_cli_in_process("check", "--site", str(ROOT))
    assert check.returncode == 0, check.stderr
    assert re.search(r"0 errors, 0 warnings", check.stdout + check.stderr), check.stdout + check.stderr


def test_pages_are_published_listed_and_reachable(built):
    out, _ = built
    for url, title in PAGES.items():
        assert page(out, url).find("h1").text == title, url
    intro = page(out, "gioi-thieu/")
    listed = {a.attrs.get("href") for a in intro.find("main").find_all("a")}
    assert {"/gioi-thieu/lich-su-hinh-thanh/", "/gioi-thieu/dieu-kien-tu-nhien/"} <= listed
    contact = page(out, "lien-he/")
    rows = [tr for table in contact.find_all("table") for tr in table.find_all("tr")]
    assert len(rows) >= 10, "Liên hệ has a table of the departments' phone numbers"
    assert any("Phòng Giáo dục và Đào tạo" in tr.text for tr in rows)
    chart = page(out, "co-cau-to-chuc/").find("main").text
    for body in ("Huyện ủy", "Hội đồng nhân dân", "Ủy ban nhân dân", "Phòng Tài nguyên và Môi trường"):
        assert body in chart
    reached = crawl(out)
    assert {f"{url}index.html" for url in PAGES} | {"van-ban/index.html"} <= reached
    assert {p.relative_to(out).as_posix() for p in article_pages(out)} <= reached


def test_the_menu_fits_one_row_and_leads_everywhere(built):
    out, _ = built
    nav = page(out, "").find("nav", class_="main-nav")
    top = [li for li in nav.find("ul").children if getattr(li, "tag", "") == "li"]
    assert len(top) <= 8, "one row at 1280 px: at most 8 entries with Trang chủ"
    text = nav.text
    for name in (
        "Giới thiệu",
        "Tin tức - Sự kiện",
        "Đảng, đoàn thể",
        "Chuyên mục",
        "Văn bản",
        "Liên hệ",
        "Dịch vụ công",
    ):
        assert name in text, name
    hrefs = [a.attrs["href"] for a in nav.find_all("a")]
    assert "https://dichvucong.gov.vn/" in hrefs
    assert {"/gioi-thieu/", "/gioi-thieu/lich-su-hinh-thanh/", "/co-cau-to-chuc/", "/van-ban/", "/lien-he/"} <= set(
        hrefs
    )
    config = load_config(ROOT)
    categories = {"/" + config.permalinks.category.format(slug=c.slug) for c in config.categories}
    assert categories <= set(hrefs), "every category is in the menu or under Chuyên mục"
    for href in hrefs:
        target = resolve(out, href)
        assert target is None or target.is_file(), href


def test_featured_stories_top_the_home_page_with_their_photos(built):
    out, _ = built
    featured = [a for a in articles_of_the_sample() if a.featured]
    assert len(featured) >= 3
    block = page(out, "").find("section", class_="featured")
    titles = [h.text for h in block.find_all("h3")]
    newest = sorted(featured, key=lambda a: a.date, reverse=True)[:3]
    assert titles == [a.title for a in newest]
    assert len(block.find_all("img")) == 3, "each featured story has its photo"


def test_documents_are_listed_with_their_pdfs(built):
    out, _ = built
    register = page(out, "van-ban/")
    rows = [tr for tr in register.find("table").find_all("tr") if tr.find("td")]
    assert len(rows) >= 5
    issuers, years = set(), set()
    for row in rows:
        pdf = next(a for a in row.find_all("a") if a.attrs.get("href", "").endswith(".pdf"))
        path = resolve(out, pdf.attrs["href"])
        assert path.is_file() and path.read_bytes()[:5] == b"%PDF-", pdf.attrs["href"]
        assert path.stat().st_size < 150 * 1024
        assert re.search(r"PDF, \d+ KB", row.text), row.text
        issuers.add(row.find("td", class_="doc-issuer").text)
        years.add(row.find("time").attrs["datetime"][:4])
    assert issuers >= ISSUERS
    assert len(years) >= 3 and years <= {"2023", "2024", "2025", "2026"}
    linked = [
        p for p in article_pages(out) if re.search(r'href="[^"]*/files/[^"]+\.pdf"', p.read_text(encoding="utf-8"))
    ]
    assert linked, "one article links its PDF in the body text"


def test_at_least_twelve_articles_have_captioned_photos(built):
    out, _ = built
    with_photos, several = 0, 0
    for path in article_pages(out):
        body = page(out, path.relative_to(out).as_posix()).find("main")
        figures = [f for f in body.find_all("figure") if f.find("img") is not None]
        for figure in figures:
            img = figure.find("img")
            assert img.attrs.get("alt", "").strip(), f"{path}: a photo without alt text"
            assert figure.find("figcaption") is not None and "Ảnh:" in figure.find("figcaption").text
            assert resolve(out, img.attrs["src"]).is_file()
        with_photos += bool(figures)
        several += len(figures) >= 2
    assert with_photos >= 12
    assert several >= 2, "some articles have two or three photos"


def test_one_article_has_a_video_and_nothing_loads_from_youtube(built):
    out, _ = built
    pages_with_video = [
        p for p in article_pages(out) if "https://www.youtube.com/watch?v=" in p.read_text(encoding="utf-8")
    ]
    assert pages_with_video
    for path in pages_with_video:
        assert "<iframe" not in path.read_text(encoding="utf-8"), "the player loads only on a click"


def test_the_footer_names_the_publisher_with_the_logo(built):
    out, _ = built
    footer = page(out, "").find("footer").text
    for part in ("UBND huyện Thanh Trì", "GP-TTĐT", "024 0000 0000", "vanphong@thanhtri.example", "Văn Điển"):
        assert part in footer, part
    logo = out / "logo.png"
    assert logo.is_file() and logo.stat().st_size < 30 * 1024


def test_every_media_file_is_generated_small_and_licensed():
    listed = subprocess.run(
        [sys.executable, str(MEDIA_TOOL), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    on_disk = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "content").rglob("*")
        if p.is_file() and p.suffix.lower() not in (".md",)
    ] + [p.relative_to(ROOT).as_posix() for p in (ROOT / "static").rglob("*") if p.is_file()]
    assert sorted(on_disk) == sorted(listed), "every picture and document is made by tools/make_sample_media.py"
    total = 0
    for rel in listed:
        path = ROOT / rel
        size = path.stat().st_size
        total += size
        if rel.endswith(".jpg"):
            with Image.open(path) as img:
                assert img.format == "JPEG" and img.size == (1600, 1067), rel
            assert size < 250 * 1024, rel
        elif rel.endswith(".pdf"):
            assert path.read_bytes()[:5] == b"%PDF-" and size < 150 * 1024, rel
        else:
            with Image.open(path) as img:
                assert img.format == "PNG", rel
            assert size < 30 * 1024, rel
    assert total < 6 * 1024 * 1024
    licence = (ROOT / "MEDIA-LICENSE.md").read_text(encoding="utf-8")
    assert "CC0" in licence and "tools/make_sample_media.py" in licence


def test_the_media_script_makes_the_same_bytes_each_run(tmp_path):
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.skip("needs the DejaVu fonts (apt-get install fonts-dejavu-core)")
    chosen = ["2024/images/hoi-cho-ocop-1.jpg", "2024/files/45-kh-ubnd.pdf", "static/logo.png"]
    runs = []
    for name in ("a", "b"):
        result = subprocess.run(
            [sys.executable, str(MEDIA_TOOL), "--out", str(tmp_path / name), "--only", *chosen],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        runs.append({p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in (tmp_path / name).rglob("*.*")})
    assert runs[0] == runs[1] and len(runs[0]) == 3
    with Image.open(tmp_path / "a/content/2024/images/hoi-cho-ocop-1.jpg") as img:
        img.verify()


def test_unknown_only_names_are_refused_with_a_hint(tmp_path):
    result = subprocess.run(
        [sys.executable, str(MEDIA_TOOL), "--out", str(tmp_path), "--only", "khong-co.jpg"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "see --list" in result.stderr
    assert not any(tmp_path.iterdir())


def test_new_article_in_a_copy_of_the_sample_site(tmp_path):
    """``new`` reads every article for duplicates: the sample's pages (no date) must not break it."""
    site = tmp_path / "sample"
    site.mkdir()
    shutil.copy(ROOT / "config.yaml", site / "config.yaml")
    for folder in ("content", "static"):
        shutil.copytree(ROOT / folder, site / folder)
    result = run_cli_in_process("new", "Tin thử nghiệm", "--category", "Thông báo", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
