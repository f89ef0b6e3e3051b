"""Photos: real pictures made by Pillow (each kind once per run), built into a site, read back from output/.

What a district newsroom sends: phone photos 4000 px wide, turned by an EXIF flag, with GPS in
them; PNG logos with transparency; and now and then a damaged file or a picture too big to open.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from PIL import ExifTags, Image, ImageCms
from sitekit import NOW, ROOT, article, build_ok, page, parse_html, resolve, run_cli_in_process, write_site

from newsroom import BuildFailed, BuildOptions, build
from newsroom.images import CACHE

RED, BLUE = (255, 0, 0), (0, 0, 255)
ARTIST, COPYRIGHT = 0x013B, 0x8298


def phone_photo(path: Path, size=(1200, 800), orientation=6, quality=92) -> Path:
    """A camera JPEG: stored sideways (left half red, right half blue) with orientation 6, GPS,
    maker, artist and copyright in EXIF, an ICC profile, XMP and a comment."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ARTIST] = "Thanh Hong"  # EXIF text is ASCII
    exif[COPYRIGHT] = "Trung tam Van hoa - TT&TT"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (20.0, 57.0, 10.5), 3: "E", 4: (105.0, 50.0, 1.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=quality, exif=exif, icc_profile=icc, comment=b"GPS 20.95N 105.83E", xmp=xmp)
    return path


def big_photo(path: Path, size=(4000, 3000)) -> Path:
    """A 4000 px phone-sized photo: smooth colour with some sensor-like noise, JPEG quality 92."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_big_photo_bytes(size))
    return path


@functools.cache
def _big_photo_bytes(size: tuple[int, int]) -> bytes:
    """Made once per size and test run: drawing and encoding 12 megapixels takes a second or more."""
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.effect_noise(size, 24)
    photo = Image.merge("RGB", (red, green, blue))
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (20.0, 57.0, 10.5)})
    encoded = io.BytesIO()
    photo.save(encoded, "JPEG", quality=92, exif=exif)
    return encoded.getvalue()


def transparent_png(path: Path, size=(640, 480)) -> Path:
    """A logo: transparent left half, opaque red right half."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def pictures_in(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"))


def candidates(srcset: str) -> list[tuple[str, int]]:
    pairs = [c.strip().rsplit(" ", 1) for c in srcset.split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def assert_clean(path: Path, keep: dict | None = None) -> None:
    """No metadata in a published picture: only the kept EXIF fields, and nothing else at all."""
    with Image.open(path) as image:
        exif = dict(image.getexif())
        assert exif == (keep or {}), (path, exif)
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), path
        if not keep:
            assert "exif" not in image.info, path
        for key in ("icc_profile", "xmp", "XML:com.adobe.xmp", "comment"):
            assert key not in image.info, (path, key)
    data = path.read_bytes()
    assert b"PhoneMaker" not in data and b"GPS 20.95N" not in data and b"xmpmeta" not in data, path


def body_pictures(doc) -> list:
    return doc.find("div", class_="article-body").find_all("picture")


def make_photo_site(root: Path) -> Path:
    """An article with a 4000 px photo, a transparent logo and a turned phone photo, and one without."""
    body = (
        "**Sáng 15/10, huyện khai mạc hội nghị.**\n\n"
        "![Quang cảnh hội nghị](images/quang-canh.jpg)\n"
        "*Quang cảnh hội nghị. Ảnh: Thanh Hồng*\n\n"
        "Các đại biểu thảo luận.\n\n"
        "![Logo](images/logo.png)\n\n"
        "_Biểu trưng của chương trình_\n\n"
        "Ảnh chụp từ điện thoại: ![Đại biểu](images/dien-thoai.jpg) trong hội trường.\n"
    )
    site = write_site(
        root / "site",
        {
            "2024/hoi-nghi.md": article("Hội nghị có ảnh", "Đảng, đoàn thể", "2024-10-15 13:50", body),
            "2024/khong-anh.md": article("Tin không ảnh", "Đảng, đoàn thể", "2024-10-01 08:00"),
        },
    )
    images = site / "content/2024/images"
    big_photo(images / "quang-canh.jpg")
    transparent_png(images / "logo.png", (300, 200))
    phone_photo(images / "dien-thoai.jpg")
    return site


@pytest.fixture
def photo_site(tmp_path):
    """The photo site, to change before building it."""
    return make_photo_site(tmp_path)


@pytest.fixture(scope="module")
def photo_built(tmp_path_factory) -> tuple[Path, Path]:
    """The photo site built once with the defaults, for the tests that only read it: (site, output).

    Resizing the 4000 px photo is most of a build's time, so it is done once per module.
    """
    site = make_photo_site(tmp_path_factory.mktemp("photos"))
    return site, build_ok(site)


def test_photos_are_resized_to_the_configured_widths_in_webp_and_their_own_format(photo_built):
    photo_site, out = photo_built
    doc = page(out, "2024/10/hoi-nghi/")
    big, logo, _ = body_pictures(doc)

    webp = big.find("source")
    img = big.find("img")
    assert webp.attrs["type"] == "image/webp"
    assert [w for _, w in candidates(webp.attrs["srcset"])] == [480, 800, 1200, 1600]
    assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 800, 1200, 1600]
    assert (img.attrs["width"], img.attrs["height"]) == ("1600", "1200")  # the largest variant's
    assert webp.attrs["sizes"] == img.attrs["sizes"] and "100vw" in img.attrs["sizes"]
    for element, kind in ((webp, "WEBP"), (img, "JPEG")):
        for url, width in candidates(element.attrs["srcset"]):
            with Image.open(resolve(out, url)) as variant:
                assert variant.format == kind
                assert variant.size == (width, width * 3 // 4)
    # The full-size copy under the file's own name is re-encoded too, never the upload itself.
    original = photo_site / "content/2024/images/quang-canh.jpg"
    published = out / "2024/images/quang-canh.jpg"
    with Image.open(published) as full:
        assert full.size == (4000, 3000)
    assert published.read_bytes() != original.read_bytes()

    # Never enlarged: a 300 px logo is published at 300 px only, in PNG and WebP.
    assert [w for _, w in candidates(logo.find("img").attrs["srcset"])] == [300]
    assert [w for _, w in candidates(logo.find("source").attrs["srcset"])] == [300]
    assert (logo.find("img").attrs["width"], logo.find("img").attrs["height"]) == ("300", "200")
    with Image.open(resolve(out, logo.find("img").attrs["src"])) as png:
        assert png.format == "PNG" and png.size == (300, 200)
    widths = {Image.open(p).size[0] for p in pictures_in(out) if p.name.startswith("logo")}
    assert widths == {300}


def test_exif_orientation_is_applied(photo_built):
    _, out = photo_built
    phone = body_pictures(page(out, "2024/10/hoi-nghi/"))[2]
    img = phone.find("img")
    # Stored 1200x800 and turned by EXIF: published upright, 800x1200; 1200 and 1600 are dropped.
    assert (img.attrs["width"], img.attrs["height"]) == ("800", "1200")
    assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 800]
    for url, _ in candidates(img.attrs["srcset"]) + candidates(phone.find("source").attrs["srcset"]):
        with Image.open(resolve(out, url)) as variant:
            variant = variant.convert("RGB")
            w, h = variant.size
            assert h > w
            top, bottom = variant.getpixel((w // 2, h // 8)), variant.getpixel((w // 2, h - h // 8))
            assert top[0] > 200 and top[2] < 60, (url, top)  # the red half is on top now
            assert bottom[2] > 200 and bottom[0] < 60, (url, bottom)


def test_no_metadata_is_left_in_any_published_picture(photo_built):
    _, out = photo_built
    published = pictures_in(out)
    # 4 widths x 2 formats + full size; logo 1 x 2; phone 2 x 2; and the site's three PNG icons (icons.py)
    assert len(published) == 18
    for path in published:
        assert_clean(path)


@pytest.mark.slow
def test_keep_copyright_keeps_only_artist_and_copyright(photo_site):
    config = (photo_site / "config.yaml").read_text(encoding="utf-8")
    (photo_site / "config.yaml").write_text(config + "keep_copyright: true\n", encoding="utf-8")
    out = build_ok(photo_site)
    phone = [p for p in pictures_in(out) if p.name.startswith("dien-thoai")]
    assert {p.suffix for p in phone} == {".jpg", ".webp"}
    for path in phone:
        assert_clean(path, keep={ARTIST: "Thanh Hong", COPYRIGHT: "Trung tam Van hoa - TT&TT"})
    for path in pictures_in(out):  # pictures that had neither field have no EXIF at all
        if not path.name.startswith("dien-thoai"):
            assert_clean(path)


def test_transparency_survives_in_png_and_webp(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Biểu trưng", body="![Logo](logo.png)\n")})
    transparent_png(site / "content/2024/logo.png", (1000, 500))
    out = build_ok(site)
    picture = body_pictures(page(out, "2024/05/a/"))[0]
    urls = candidates(picture.find("img").attrs["srcset"]) + candidates(picture.find("source").attrs["srcset"])
    assert sorted(w for _, w in urls) == [480, 480, 800, 800, 1000, 1000]
    for url, width in urls:
        with Image.open(resolve(out, url)) as variant:
            assert variant.format in ("PNG", "WEBP") and variant.width == width
            rgba = variant.convert("RGBA")
            assert rgba.getpixel((width // 8, 10))[3] == 0  # transparent half
            assert rgba.getpixel((width - width // 8, 10))[3] == 255


def test_photo_with_italic_line_under_it_becomes_a_captioned_figure(photo_built):
    _, out = photo_built
    body = page(out, "2024/10/hoi-nghi/").find("div", class_="article-body")
    figures = body.find_all("figure")
    assert len(figures) == 2
    assert figures[0].find("figcaption").text == "Quang cảnh hội nghị. Ảnh: Thanh Hồng"
    assert figures[0].find("img").attrs["alt"] == "Quang cảnh hội nghị"
    assert figures[1].find("figcaption").text == "Biểu trưng của chương trình"  # the next paragraph
    # A picture inside a sentence is no figure, and no caption was left behind as a paragraph.
    inline = body.find_all("picture")[2]
    assert inline not in [p for f in figures for p in f.find_all("picture")]
    assert [p.text for p in body.find_all("p")] == [
        "Sáng 15/10, huyện khai mạc hội nghị.",
        "Các đại biểu thảo luận.",
        "Ảnh chụp từ điện thoại: trong hội trường.",
    ]


def test_first_picture_loads_at_once_the_others_lazily(photo_built):
    _, out = photo_built
    first, *others = [p.find("img") for p in body_pictures(page(out, "2024/10/hoi-nghi/"))]
    assert "loading" not in first.attrs and first.attrs["fetchpriority"] == "high"
    assert first.attrs["decoding"] == "async"
    for img in others:
        assert img.attrs["loading"] == "lazy" and "fetchpriority" not in img.attrs


def test_first_picture_is_the_thumbnail_and_the_shared_image(photo_built):
    _, out = photo_built
    for url in ("", "chuyen-muc/dang-doan-the/", "2024/"):
        card = next(c for c in page(out, url).find_all("article", class_="card") if "has-image" in c.attrs["class"])
        img = card.find("img")
        assert img.attrs["src"] == "/2024/images/quang-canh-480." + img.attrs["src"].split(".")[-2] + ".jpg"
        assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 800, 1200, 1600]
        assert "240px" in img.attrs["sizes"] or url == ""
        assert card.find("source").attrs["type"] == "image/webp"
        assert resolve(out, img.attrs["src"]).is_file()
    plain = [c for c in page(out, "chuyen-muc/dang-doan-the/").find_all("article", class_="card")]
    assert "has-image" not in plain[1].attrs["class"] and plain[1].find("img") is None

    doc = page(out, "2024/10/hoi-nghi/")
    meta = {m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content") for m in doc.find_all("meta")}
    large = meta["og:image"]
    assert urlsplit(large).scheme == "https" and urlsplit(large).netloc == "example.test"
    assert large.endswith(".jpg") and "quang-canh-1600." in large
    assert meta["twitter:image"] == large and meta["twitter:card"] == "summary_large_image"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1600", "1200")
    with Image.open(resolve(out, urlsplit(large).path)) as shared:
        assert shared.size == (1600, 1200)
    data = json.loads("".join(doc.find("script", type="application/ld+json").children))
    assert data["image"] == [large]


@pytest.mark.parametrize("where", ["beside", "static", "web"])
def test_featured_image_from_front_matter(tmp_path, where):
    image = {"beside": "anh/dai-dien.jpg", "static": "/chung/dai-dien.jpg", "web": "https://anh.example/a.jpg"}[where]
    site = write_site(
        tmp_path / "s",
        {"2024/a.md": article("Có ảnh đại diện", body="Chỉ có chữ.\n\n![Khác](khac.png)\n", image=image)},
    )
    transparent_png(site / "content/2024/khac.png", (500, 300))
    if where == "beside":
        big_photo(site / "content/2024/anh/dai-dien.jpg", (2000, 1000))
    elif where == "static":
        big_photo(site / "static/chung/dai-dien.jpg", (2000, 1000))
    out = build_ok(site)
    meta = {m.attrs.get("property"): m.attrs.get("content") for m in page(out, "2024/05/a/").find_all("meta")}
    card = page(out, "").find("article", class_="card")
    if where == "web":
        assert meta["og:image"] == image and card.find("img").attrs["src"] == image
        return
    stem = "/2024/anh/dai-dien" if where == "beside" else "/chung/dai-dien"
    assert meta["og:image"].startswith("https://example.test" + stem + "-1600.")
    assert card.find("img").attrs["src"].startswith(stem + "-480.")
    assert resolve(out, card.find("img").attrs["src"]).is_file()
    # The file under its own name is the processed copy, also for a picture in static/.
    published = out / (stem.lstrip("/") + ".jpg")
    assert_clean(published)
    with Image.open(published) as full:
        assert full.size == (2000, 1000)


def test_links_to_pictures_resolve_under_a_sub_path(photo_built, tmp_path):
    site, _ = photo_built  # built again into an output of its own: its photos come from the site's cache
    out = build_ok(site, tmp_path / "tin-tuc", base_url="https://example.test/tin-tuc/")
    for url in ("2024/10/hoi-nghi/", "", "chuyen-muc/dang-doan-the/"):
        doc = page(out, url)
        for element in doc.find_all("img") + doc.find_all("source"):
            urls = [element.attrs["src"]] if "src" in element.attrs else []
            urls += [u for u, _ in candidates(element.attrs.get("srcset", "x 1w")) if u != "x"]
            for link in urls:
                assert link.startswith("/tin-tuc/"), link
                assert resolve(out, link, "/tin-tuc/").is_file(), link
    meta = {m.attrs.get("property"): m.attrs.get("content") for m in page(out, "2024/10/hoi-nghi/").find_all("meta")}
    assert meta["og:image"].startswith("https://example.test/tin-tuc/2024/images/quang-canh-1600.")


def _build_counting(site: Path, output: Path, **options) -> int:
    """Build; return how many photos were processed (the build reports them as progress)."""
    processed = [0]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "photos":
            processed[0] = total

    build(site, BuildOptions(output=output, now=NOW, **options), progress)
    return processed[0]


def test_an_unchanged_photo_is_never_processed_twice(photo_site, tmp_path):
    assert _build_counting(photo_site, tmp_path / "a") == 3
    cache = photo_site / CACHE
    entries = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and p.name != "index.json"}
    assert len([p for p in entries if p.name == "meta.json"]) == 3

    # Another output folder starts with an empty build cache, but the photo cache is the site's.
    assert _build_counting(photo_site, tmp_path / "b") == 0
    assert _build_counting(photo_site, tmp_path / "b", clean=True) == 0
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and p.name != "index.json"}
    assert after == entries
    files_a = sorted(p.relative_to(tmp_path / "a") for p in pictures_in(tmp_path / "a"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in pictures_in(tmp_path / "b"))
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


@pytest.mark.slow
def test_a_replaced_photo_is_processed_again_and_every_page_follows(photo_site, tmp_path):
    out = tmp_path / "out"
    assert _build_counting(photo_site, out) == 3
    old = {p.name for p in pictures_in(out)}
    big_photo(photo_site / "content/2024/images/quang-canh.jpg", (1000, 1500))  # same name, new picture
    assert _build_counting(photo_site, out) == 1
    img = body_pictures(page(out, "2024/10/hoi-nghi/"))[0].find("img")
    assert (img.attrs["width"], img.attrs["height"]) == ("1000", "1500")
    assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 800, 1000]
    for url in ("2024/10/hoi-nghi/", "", "chuyen-muc/dang-doan-the/"):
        for element in page(out, url).find_all("img"):
            for link, _ in candidates(element.attrs["srcset"]):
                assert resolve(out, link).is_file(), (url, link)
    gone = old - {p.name for p in pictures_in(out)}
    assert gone and all(name.startswith("quang-canh-") for name in gone)  # old variants removed


def _bad_site(tmp_path: Path, **config) -> Path:
    body = (
        "Mở đầu.\n\n"  # line 8
        "![Cắt ngang](images/cat-ngang.jpg)\n\n"  # line 10
        "![Không phải ảnh](images/van-ban.jpg)\n\n"  # line 12
        "![Quá lớn](images/qua-lon.png)\n\n"  # line 14
        "![Rất lớn](images/rat-lon.png)\n\n"  # line 16
        "![Không có](images/khong-co.jpg)\n"  # line 18
    )
    site = write_site(tmp_path / "s", {"2024/bai.md": article("Ảnh hỏng", body=body)}, **config)
    images = site / "content/2024/images"
    whole = big_photo(images / "cat-ngang.jpg", (800, 600)).read_bytes()
    (images / "cat-ngang.jpg").write_bytes(whole[: len(whole) // 2])
    (images / "van-ban.jpg").write_text("Đây là văn bản, không phải ảnh.\n", encoding="utf-8")
    Image.new("L", (1200, 1000)).save(images / "qua-lon.png")  # 1.2 MP: over the limit
    Image.new("L", (1600, 1500)).save(images / "rat-lon.png")  # 2.4 MP: over twice the limit
    return site


def test_bad_pictures_stop_the_build_naming_article_line_and_file(tmp_path):
    site = _bad_site(tmp_path, max_image_pixels=1_000_000)
    with pytest.raises(BuildFailed) as info:
        build_ok(site)
    text = info.value.render()
    where = "content/2024/bai.md"
    assert f"{where}:10: error: image 'images/cat-ngang.jpg' is damaged or cut short" in text
    assert f"{where}:12: error: image 'images/van-ban.jpg' is not a picture" in text
    assert f"{where}:14: error: image 'images/qua-lon.png' is 1200×1000 = 1,200,000 pixels" in text
    assert f"{where}:16: error: image 'images/rat-lon.png' is 1600×1500 = 2,400,000 pixels" in text
    assert "max_image_pixels" in text and "hint:" in text
    assert len(info.value.errors) == 4
    warnings = [w.render() for w in info.value.warnings]
    assert any(w.startswith(f"{where}:18: warning: image 'images/khong-co.jpg' not found") for w in warnings)
    assert not (site / "output").exists()


def test_check_lists_bad_pictures(tmp_path):
    site = _bad_site(tmp_path, max_image_pixels=1_000_000)
    result = run_cli_in_process("check", "--site", str(site))
    assert result.returncode == 1
    for line, name in ((10, "cat-ngang.jpg"), (12, "van-ban.jpg"), (14, "qua-lon.png"), (16, "rat-lon.png")):
        assert f"content/2024/bai.md:{line}: error: image 'images/{name}'" in result.stderr
    assert "content/2024/bai.md:18: warning: image 'images/khong-co.jpg' not found" in result.stderr
    assert not (site / "output").exists()


@pytest.mark.slow
def test_a_lowered_pixel_limit_also_refuses_photos_already_processed(photo_site):
    build_ok(photo_site)
    config = (photo_site / "config.yaml").read_text(encoding="utf-8")
    (photo_site / "config.yaml").write_text(config + "max_image_pixels: 5000000\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build_ok(photo_site)
    assert [e.line for e in info.value.errors] == [10]  # the 4000x3000 photo; the others are small
    assert "12,000,000 pixels" in info.value.errors[0].message


def test_missing_featured_image_is_a_warning_at_its_front_matter_line(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Thiếu ảnh", image="anh/khong-co.jpg")})
    out = build_ok(site)
    # title, category, date, author, image: the image is the front matter's 6th line
    report = build(site, BuildOptions(output=tmp_path / "o2", now=NOW))
    messages = [w.render() for w in report.warnings]
    assert any(m.startswith("content/2024/a.md:6: warning: image 'anh/khong-co.jpg' not found") for m in messages)
    assert page(out, "").find("article", class_="card").find("img") is None


def test_a_picture_in_static_is_published_processed_in_place_of_the_raw_file(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Ảnh chung", body="![Toàn cảnh](/chung/toan-canh.jpg)\n")})
    phone_photo(site / "static/chung/toan-canh.jpg")
    (site / "static/chung/khac.txt").write_text("giữ nguyên\n", encoding="utf-8")
    out = build_ok(site)
    assert_clean(out / "chung/toan-canh.jpg")
    assert (out / "chung/khac.txt").read_text(encoding="utf-8") == "giữ nguyên\n"  # other static files as before
    img = body_pictures(page(out, "2024/05/a/"))[0].find("img")
    assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 800]
    assert all(resolve(out, u).is_file() for u, _ in candidates(img.attrs["srcset"]))


def test_image_widths_setting(tmp_path):
    site = write_site(
        tmp_path / "s", {"2024/a.md": article("Ảnh", body="![Ảnh](a.jpg)\n")}, image_widths=[1000, 320, 640]
    )
    big_photo(site / "content/2024/a.jpg", (1200, 900))
    out = build_ok(site)
    img = body_pictures(page(out, "2024/05/a/"))[0].find("img")
    assert [w for _, w in candidates(img.attrs["srcset"])] == [320, 640, 1000]
    shutil.rmtree(out)
    (site / "config.yaml").write_text(
        (site / "config.yaml").read_text(encoding="utf-8").replace("- 1000", "- 'rộng'"), encoding="utf-8"
    )
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1 and "'image_widths' must be a list of picture widths" in result.stderr


def test_full_content_feeds_link_every_variant_absolutely(photo_site):
    config = (photo_site / "config.yaml").read_text(encoding="utf-8")
    (photo_site / "config.yaml").write_text(config + "feed_full_content: true\n", encoding="utf-8")
    out = build_ok(photo_site, base_url="https://example.test/tin-tuc/")
    atom = ElementTree.parse(out / "feed.xml").getroot()
    content = next(e.text for e in atom.iter("{http://www.w3.org/2005/Atom}content") if e.text and "<picture" in e.text)
    html = parse_html(content)
    urls = [img.attrs["src"] for img in html.find_all("img")]
    for element in html.find_all("img") + html.find_all("source"):
        urls += [url for url, _ in candidates(element.attrs["srcset"])]
    assert len(urls) > 10
    assert all(url.startswith("https://example.test/tin-tuc/2024/images/") for url in urls), urls


# --- pictures WebP cannot hold, GIF metadata, a full disk (issue 12, item 9) -----------------


@pytest.mark.slow
def test_a_picture_too_tall_for_webp_is_published_in_its_own_format(tmp_path):
    body = "![Đồ họa dài](images/dai.jpg)\n\n![Toàn cảnh rộng](images/rong.jpg)\n"
    site = write_site(tmp_path / "s", {"2024/a.md": article("Đồ họa", body=body)})
    images = site / "content/2024/images"
    images.mkdir(parents=True)
    # An infographic 500 x 17,000: even its 500 px version is taller than WebP's 16,383 px.
    Image.new("RGB", (500, 17000), (200, 30, 30)).save(images / "dai.jpg")
    Image.new("RGB", (17000, 400), (10, 120, 200)).save(images / "rong.jpg")  # solid colours: cheap
    out = build_ok(site)
    tall, wide = body_pictures(page(out, "2024/05/a/"))
    assert tall.find("source") is None  # no WebP at all for it: the <picture> is the <img> alone
    img = tall.find("img")
    assert [w for _, w in candidates(img.attrs["srcset"])] == [480, 500]
    assert (img.attrs["width"], img.attrs["height"]) == ("500", "17000")
    for url, width in candidates(img.attrs["srcset"]):
        with Image.open(resolve(out, url)) as variant:
            assert variant.format == "JPEG" and variant.width == width
    assert not [p for p in pictures_in(out) if p.name.startswith("dai") and p.suffix == ".webp"]
    # A wide one has small versions WebP can hold, and its full width in its own format.
    assert [w for _, w in candidates(wide.find("source").attrs["srcset"])] == [480, 800, 1200, 1600]
    with Image.open(out / "2024/images/rong.jpg") as full:
        assert full.format == "JPEG" and full.size == (17000, 400)


GIF_SECRETS = (b"GPS 20.95N 105.83E", b"xmpmeta", b"GPSLatitude", b"PhoneMaker", b"ICC-PROFILE-BYTES")


def _extension(label: int, payload: bytes, ident: bytes = b"") -> bytes:
    """A GIF extension block: label, then the payload in sub-blocks of at most 255 bytes."""
    head = bytes([0x21, label]) + (bytes([len(ident)]) + ident if ident else b"")
    chunks = [payload[i : i + 255] for i in range(0, len(payload), 255)]
    return head + b"".join(bytes([len(c)]) + c for c in chunks) + b"\x00"


def gif_with_metadata(path: Path) -> Path:
    """A 3-frame animation, looping, whose file also holds a comment, XMP with GPS in it, a colour
    profile, another program's block, a plain-text block and data after its end."""
    frames = [Image.new("P", (64, 48), i) for i in (0, 1, 2)]
    for i, frame in enumerate(frames):
        frame.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 759)
        frame.paste((i + 1) % 3, (0, 0, 32, 24))
    path.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(
        path, save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=3, comment=GIF_SECRETS[0]
    )
    data = path.read_bytes()
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>20,57.17N</exif:GPSLatitude></x:xmpmeta>'
    blocks = (
        _extension(0xFF, xmp, b"XMP DataXMP")
        + _extension(0xFF, b"ICC-PROFILE-BYTES" * 20, b"ICCRGBG1012")
        + _extension(0xFF, b"Make=PhoneMaker", b"CAMERA  1.0")
        + _extension(0xFE, b"GPS 20.95N 105.83E again")
        + _extension(0xF9, b"\x04\x00\x0a\x00\x00"[1:])  # the timing of the plain text below
        + _extension(0x01, bytes(12) + b"PhoneMaker")
    )
    path.write_bytes(data[:at] + blocks + data[at:] + b"<x:xmpmeta>after the end</x:xmpmeta>")
    return path


def test_gif_metadata_is_removed_and_its_animation_kept(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Ảnh động", body="![Ảnh động](images/dong.gif)\n")})
    original = gif_with_metadata(site / "content/2024/images/dong.gif")
    assert all(secret in original.read_bytes() for secret in GIF_SECRETS)
    out = build_ok(site)
    img = body_pictures(page(out, "2024/05/a/"))[0].find("img")
    assert img.attrs["src"] == "/2024/images/dong.gif"
    assert (img.attrs["width"], img.attrs["height"]) == ("64", "48")
    published = out / "2024/images/dong.gif"
    data = published.read_bytes()
    for secret in GIF_SECRETS:
        assert secret not in data, secret
    assert data.endswith(b"\x00;")  # nothing after the end
    with Image.open(original) as before, Image.open(published) as after:
        assert after.n_frames == before.n_frames == 3
        assert after.info.get("loop") == before.info.get("loop") == 3
        for key in ("comment", "xmp", "icc_profile"):
            assert key not in after.info, key
        assert after.info["extension"][0] == b"NETSCAPE2.0"  # the loop count, the one block kept
        for n in range(3):
            before.seek(n)
            after.seek(n)
            assert after.info["duration"] == before.info["duration"] == [100, 200, 300][n]
            assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()


def test_a_damaged_gif_is_an_error_at_its_line(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Ảnh động", body="Mở đầu.\n\n![Ảnh động](dong.gif)\n")})
    data = gif_with_metadata(site / "content/2024/dong.gif").read_bytes()
    end = data.index(b"<x:xmpmeta>after")
    (site / "content/2024/dong.gif").write_bytes(data[: end - 20])  # the last frame cut short
    with pytest.raises(BuildFailed) as info:
        build_ok(site)
    assert [e.line for e in info.value.errors] == [10]
    assert "is damaged or cut short" in info.value.errors[0].message


def _mount_allowed(folder: Path) -> bool:
    """Whether this machine lets a test mount a small disk in a private mount namespace."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{folder}'"], capture_output=True
    )
    return probe.returncode == 0


@pytest.mark.parametrize(
    ("options", "says", "hint"),
    [
        ("size=64k", "error: the disk is full: the smaller versions of", "hint: free some space on the disk"),
        (
            "ro",
            "error: the photo cache cannot be written (Read-only file system)",
            "hint: make .cache/images/ writable",
        ),
    ],
    ids=["full", "read-only"],
)
def test_a_full_or_read_only_disk_while_making_versions_says_so(tmp_path, options, says, hint):
    """A real full disk: the photo cache is a 64 KB tmpfs (or a read-only one), mounted in a mount
    namespace of the build's own (``unshare --mount``), so it disappears with the build and never
    shows elsewhere."""
    body = "![Quang cảnh](images/quang-canh.jpg)\n\n![Đại biểu](images/dai-bieu.jpg)\n"
    site = write_site(tmp_path / "s", {"2024/a.md": article("Hội nghị", body=body)})
    big_photo(site / "content/2024/images/quang-canh.jpg", (1600, 1200))
    big_photo(site / "content/2024/images/dai-bieu.jpg", (1200, 900))
    cache = site / CACHE
    cache.mkdir(parents=True)
    if not _mount_allowed(cache):
        pytest.skip("mounting a small tmpfs is not permitted here (needs root or user namespaces)")
    script = f'mount -t tmpfs -o {options} tmpfs "$1" && shift && exec "$@"'
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)]
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", str(cache), *command],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert says in result.stderr and "content/2024/images/quang-canh.jpg and 1 more photo" in result.stderr
    assert hint in result.stderr and "nothing was published" in result.stderr
    assert "save it again" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1  # one message, not one per photo
    assert not (site / "output").exists()
    assert not list(cache.iterdir())  # the small disk is gone with the build: nothing leaked here
