"""Documents linked from articles, YouTube embeds and local videos (issue 13), through real builds.

Attachments: a link to a PDF, DOCX, XLSX... beside an article publishes the file byte for byte and
shows its type and size; a missing file is an error at the link's line, a file outside the site is
refused, and programs or web pages (.exe, .html) are never published from a link. YouTube links
alone on a line become embeds that put nothing from YouTube in the page but the click-through
link. A local MP4 becomes a ``<video>`` whose size is read from the file; the MP4s here are
written box by box (ftyp, mdat, moov/trak/tkhd), so the test knows the size the reader must find.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest
from sitekit import article, build_ok, page, run_cli_in_process, write_site

from newsroom.errors import BuildFailed
from newsroom.media import YouTube, youtube

VIDEO_ID = "dQw4w9WgXcQ"
THIRD_PARTY = re.compile(r"^(https?:)?//(?!example\.test/)", re.IGNORECASE)  # the test site is example.test


# --- MP4 files written box by box (ISO/IEC 14496-12) ---------------------------------------

IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
TURNED_90 = (0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)  # a phone video filmed upright


def box(kind: bytes, payload: bytes, large: bool = False) -> bytes:
    """One box; ``large`` writes its size in the 64-bit field, as big ``mdat`` boxes do."""
    if large:
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def tkhd(width: int, height: int, version: int = 0, matrix: tuple[int, ...] = IDENTITY) -> bytes:
    """A track header: version/flags, times, reserved, layer..., the 3×3 matrix, width and height (16.16)."""
    # created, modified, track ID, reserved, duration: 32-bit times in version 0, 64-bit in version 1
    times = struct.pack(">IIIII" if version == 0 else ">QQIIQ", 0, 0, 1, 0, 1000)
    head = struct.pack(">B3s", version, b"\x00\x00\x03")
    middle = struct.pack(">8xhhh2x", 0, 0, 0)
    frame = struct.pack(">II", width << 16, height << 16)
    return box(b"tkhd", head + times + middle + struct.pack(">9i", *matrix) + frame)


def mp4(width: int, height: int, version: int = 0, matrix=IDENTITY, large_mdat: bool = False) -> bytes:
    """A small MP4: ftyp, media data, then moov with an audio track (0 × 0) before the video track."""
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")
    mdat = box(b"mdat", bytes(range(256)) * 8, large=large_mdat)
    audio = box(b"trak", tkhd(0, 0) + box(b"mdia", bytes(32)))
    video = box(b"trak", tkhd(width, height, version, matrix) + box(b"mdia", bytes(32)))
    return ftyp + mdat + box(b"moov", box(b"mvhd", bytes(100)) + audio + video)


# --- helpers --------------------------------------------------------------------------------


def site_with(tmp_path: Path, body: str, files: dict[str, bytes] | None = None, **extra) -> Path:
    """A site with one article (content/2024/bai.md, its body starting at line 8) and files beside it."""
    site = write_site(tmp_path / "site", {"2024/bai.md": article("Bài có tệp đính kèm", body=body), **extra})
    for rel, data in (files or {}).items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return site


def body_of(out: Path, url: str = "2024/05/bai/"):
    return page(out, url).find("div", class_="article-body")


def attachments(doc) -> list[tuple[str, str]]:
    """(href, the type and size shown after it) of each attachment link, in order."""
    found = []
    for paragraph in doc.iter():
        children = paragraph.children
        for n, child in enumerate(children):
            if getattr(child, "tag", None) == "a" and "attachment" in child.attrs.get("class", "").split():
                meta = next((c for c in children[n + 1 :] if getattr(c, "tag", None) == "span"), None)
                found.append((child.attrs["href"], meta.text if meta is not None else ""))
    return found


def third_party_urls(doc) -> list[str]:
    """Every address outside the site in a src, srcset, href, poster or data attribute."""
    urls = []
    for element in doc.iter():
        for name, value in element.attrs.items():
            if name == "srcset":
                urls += [part.split()[0] for part in value.split(",") if THIRD_PARTY.match(part.strip())]
            elif name in ("src", "href", "poster", "data", "action") and THIRD_PARTY.match(value):
                urls.append(value)
    return urls


def is_plain_link(doc, url: str) -> bool:
    """Whether ``url`` appears only as the href of an ordinary link (a share link, say), never fetched."""
    return all(
        a.tag == "a" for a in doc.iter() if url in (a.attrs.get("href"), a.attrs.get("src"), a.attrs.get("srcset"))
    )


# --- attachments ----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 1280  # 327,689 bytes: "320 KB"
XLSX = b"PK\x03\x04" + b"\x17" * (1468006 - 4)  # "1,4 MB"


def test_links_to_documents_show_their_type_and_size(tmp_path):
    body = (
        "Xem [Kế hoạch số 45](files/45-kh-ubnd.pdf) và [bảng số liệu](files/so-lieu.XLSX#trang-2).\n\n"
        "Mẫu đơn: [tải về](/mau/don.docx). Trang [giới thiệu](/gioi-thieu/) và [nguồn](https://example.org/a.pdf)."
    )
    site = site_with(
        tmp_path,
        body,
        {
            "content/2024/files/45-kh-ubnd.pdf": PDF,
            "content/2024/files/so-lieu.XLSX": XLSX,
            "static/mau/don.docx": b"PK\x03\x04" + b"d" * 900,
        },
    )
    doc = body_of(build_ok(site))
    assert attachments(doc) == [
        ("/2024/files/45-kh-ubnd.pdf", "(PDF, 320 KB)"),
        ("/2024/files/so-lieu.XLSX#trang-2", "(XLSX, 1,4 MB)"),
        ("/mau/don.docx", "(DOCX, 904 B)"),
    ]
    link = doc.find("a", class_="attachment")
    assert "download" in link.attrs and link.text == "Kế hoạch số 45"
    # Other links are left as they were: a page of the site, a document elsewhere on the web.
    plain = {a.attrs["href"]: a.attrs.get("class", "") for a in doc.find_all("a")}
    assert plain["/gioi-thieu/"] == "" and plain["https://example.org/a.pdf"] == ""


def test_a_page_can_link_documents_too(tmp_path):
    page_text = '---\ntitle: "Liên hệ"\n---\n\nBiểu mẫu: [đơn đề nghị](files/don.odt)\n'
    site = site_with(
        tmp_path, "Nội dung.", {"content/pages/files/don.odt": b"PK" + b"o" * 4000}, **{"pages/lien-he.md": page_text}
    )
    doc = page(build_ok(site), "lien-he/")
    assert attachments(doc) == [("/pages/files/don.odt", "(ODT, 4 KB)")]


def test_linked_documents_are_published_byte_for_byte(tmp_path):
    body = "[Kế hoạch](files/45-kh-ubnd.pdf), [lại lần nữa](files/45-kh-ubnd.pdf), [hồ sơ](ho-so.zip)"
    site = site_with(
        tmp_path,
        body,
        {"content/2024/files/45-kh-ubnd.pdf": PDF, "content/2024/ho-so.zip": b"PK\x05\x06" + bytes(18)},
        **{"2024/khac.md": article("Bài khác", date="2024-06-01 08:00", body="Cùng tệp: [KH](files/45-kh-ubnd.pdf)")},
    )
    out = build_ok(site)
    assert (out / "2024/files/45-kh-ubnd.pdf").read_bytes() == PDF
    assert (out / "2024/ho-so.zip").read_bytes() == (site / "content/2024/ho-so.zip").read_bytes()
    check = run_cli_in_process("check", "--site", str(site))
    assert check.returncode == 0, check.stderr


def test_a_document_beside_a_static_file_of_the_same_address_is_a_clash(tmp_path):
    site = site_with(
        tmp_path,
        "[KH](../files/kh.pdf)",
        {"content/files/kh.pdf": PDF, "static/files/kh.pdf": b"%PDF other"},
    )
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert "content/files/kh.pdf" in result.stderr and "static/files/kh.pdf: error:" in result.stderr


def test_a_missing_document_is_an_error_at_its_line(tmp_path):
    site = site_with(tmp_path, "Mở đầu.\n\nXem [Kế hoạch](files/ke-hoach.pdf).")
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert (
        "content/2024/bai.md:10: error: link to 'files/ke-hoach.pdf' not found (looked for content/2024/files/ke-hoach.pdf)"
        in result.stderr
    ), result.stderr
    assert "hint: put the file there, or correct the name (letter case counts)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_a_document_outside_the_site_is_refused(tmp_path):
    outside = tmp_path / "bi-mat.pdf"
    outside.write_bytes(PDF)
    site = site_with(tmp_path, "[Tệp](../../../bi-mat.pdf)\n\n[Liên kết](files/lien-ket.pdf)")
    (site / "content/2024/files").mkdir(parents=True)
    os.symlink(outside, site / "content/2024/files/lien-ket.pdf")
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert "content/2024/bai.md:8: error: link to '../../../bi-mat.pdf' points outside the site" in result.stderr
    assert "content/2024/bai.md:10: error: link to 'files/lien-ket.pdf' not found" in result.stderr
    assert "hint: keep documents and videos inside content/ (beside the article) or static/" in result.stderr


def test_programs_and_web_pages_are_never_published_from_a_link(tmp_path):
    body = "[Cài đặt](files/setup.exe)\n\n[Trang cũ](files/cu.html) và [mã](files/x.js)"
    files = {f"content/2024/files/{name}": b"MZ payload" for name in ("setup.exe", "cu.html", "x.js")}
    site = site_with(tmp_path, body, files)
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    for line, name, kind in ((8, "setup.exe", ".exe"), (10, "cu.html", ".html"), (10, "x.js", ".js")):
        assert (
            f"content/2024/bai.md:{line}: warning: link to 'files/{name}': {kind} files are not published"
            f" from an article, so the link will not work" in result.stderr
        ), result.stderr
    out = site / "output"
    assert not (out / "2024/files").exists()
    assert attachments(body_of(out)) == []
    with pytest.raises(BuildFailed):
        build_ok(site, tmp_path / "strict", strict=True)


def test_a_document_that_appears_changes_or_vanishes_is_seen_by_the_next_build(tmp_path):
    """The rendered body is cached by the article's bytes: the document's own state must count too."""
    site = site_with(tmp_path, "Xem [Kế hoạch](files/kh.pdf).")
    document = site / "content/2024/files/kh.pdf"
    out = tmp_path / "out"
    with pytest.raises(BuildFailed, match=re.escape("link to 'files/kh.pdf' not found")):  # not there yet
        build_ok(site, out)
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF" + bytes(2044))
    assert attachments(body_of(build_ok(site, out))) == [("/2024/files/kh.pdf", "(PDF, 2 KB)")]
    document.write_bytes(PDF)
    assert attachments(body_of(build_ok(site, out))) == [("/2024/files/kh.pdf", "(PDF, 320 KB)")]
    assert (out / "2024/files/kh.pdf").read_bytes() == PDF
    document.unlink()
    with pytest.raises(BuildFailed, match=re.escape("link to 'files/kh.pdf' not found")):
        build_ok(site, out)
    assert attachments(body_of(out)) == [("/2024/files/kh.pdf", "(PDF, 320 KB)")]  # the site online stays


# --- YouTube ---------------------------------------------------------------------------------

YOUTUBE_FORMS = [
    f"https://www.youtube.com/watch?v={VIDEO_ID}",
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=90s&si=Ab_Cd-12",
    f"https://youtube.com/watch?feature=share&v={VIDEO_ID}",
    f"https://m.youtube.com/watch?v={VIDEO_ID}",
    f"www.youtube.com/watch?v={VIDEO_ID}",
    f"https://youtu.be/{VIDEO_ID}",
    f"https://youtu.be/{VIDEO_ID}?si=xYz_123&t=1m30s",
    f"https://www.youtube.com/shorts/{VIDEO_ID}",
    f"https://youtube.com/shorts/{VIDEO_ID}?feature=share",
    f"https://www.youtube.com/embed/{VIDEO_ID}?start=90",
    f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}",
    f"https://www.youtube.com/live/{VIDEO_ID}",
    f"<https://youtu.be/{VIDEO_ID}>",
    f"[Lễ ra quân](https://www.youtube.com/watch?v={VIDEO_ID})",
]


def test_youtube_links_alone_on_a_line_become_embeds_that_load_nothing_from_youtube(tmp_path):
    body = "Mở đầu.\n\n" + "\n\n".join(YOUTUBE_FORMS)
    site = site_with(tmp_path, body, **{"2024/khong-video.md": article("Không có video", date="2024-06-01 08:00")})
    out = build_ok(site)
    doc = page(out, "2024/05/bai/")
    figures = doc.find("div", class_="article-body").find_all("figure", class_="video-youtube")
    assert len(figures) == len(YOUTUBE_FORMS)
    for form, figure in zip(YOUTUBE_FORMS, figures, strict=True):
        play = figure.find("a", class_="video-play")
        assert play.attrs["data-youtube"] == VIDEO_ID, form
        start = "90" if ("t=" in form or "start=" in form) else None
        assert play.attrs.get("data-start") == start, form
        assert play.attrs["href"] == f"https://www.youtube.com/watch?v={VIDEO_ID}" + ("&t=90s" if start else ""), form
        assert play.attrs["aria-label"].startswith("Phát video: ")
    assert figures[-1].find("a").attrs["data-title"] == "Lễ ra quân"
    assert doc.find("iframe") is None
    assert "ytimg" not in (out / "2024/05/bai/index.html").read_text(encoding="utf-8")
    # In the article, the only addresses outside the site are the click-through links to the videos'
    # pages; nothing in the whole page is fetched from another host (src, srcset, poster, data).
    clicks = {a.attrs["href"] for a in doc.find_all("a", class_="video-play")}
    assert set(third_party_urls(doc.find("div", class_="article-body"))) == clicks
    assert [url for url in third_party_urls(doc) if url not in clicks and not is_plain_link(doc, url)] == []
    head_and_scripts = [s.attrs.get("src", "") for s in doc.find_all("script")]
    assert any(src.startswith("/js/video.js") for src in head_and_scripts)
    assert all("defer" in s.attrs for s in doc.find_all("script") if "video.js" in s.attrs.get("src", ""))
    # The script is loaded only where there is a video.
    other = page(out, "2024/06/khong-video/")
    assert not any("video.js" in s.attrs.get("src", "") for s in other.find_all("script"))
    assert (out / "js/video.js").is_file()


def test_a_caption_line_under_a_video_names_it(tmp_path):
    body = f"https://youtu.be/{VIDEO_ID}\n*Lễ ra quân huấn luyện năm 2024. Video: Trung tâm Văn hóa*"
    figure = body_of(build_ok(site_with(tmp_path, body))).find("figure")
    assert figure.find("figcaption").text == "Lễ ra quân huấn luyện năm 2024. Video: Trung tâm Văn hóa"
    assert figure.find("a").attrs["data-title"] == "Lễ ra quân huấn luyện năm 2024. Video: Trung tâm Văn hóa"


def test_youtube_links_inside_sentences_and_other_youtube_pages_stay_links(tmp_path):
    body = (
        f"Xem [video](https://youtu.be/{VIDEO_ID}) về lễ ra quân.\n\n"
        f"https://youtu.be/{VIDEO_ID} và một câu nữa\n\n"
        "https://www.youtube.com/@ThanhTriTV\n\n"
        "https://www.youtube.com/playlist?list=PL0123456789\n\n"
        f"https://youtube.com.example.test/watch?v={VIDEO_ID}"
    )
    result = run_cli_in_process("build", "--site", str(site_with(tmp_path, body)))
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    doc = body_of(tmp_path / "site/output")
    assert doc.find("figure") is None and doc.find(class_="video-play") is None
    assert doc.find("a").attrs["href"] == f"https://youtu.be/{VIDEO_ID}"


def test_a_malformed_video_id_is_a_warning_at_its_line(tmp_path):
    body = (
        "Mở đầu.\n\nhttps://youtu.be/abc123\n\n[Video](https://www.youtube.com/watch?v=dQw4w9WgXc%22)"  # v=dQw4w9WgXc"
    )
    result = run_cli_in_process("build", "--site", str(site_with(tmp_path, body)))
    assert result.returncode == 0, result.stderr
    assert (
        "content/2024/bai.md:10: warning: this YouTube address cannot be shown as a video: 'abc123' is not a YouTube"
        " video ID (11 letters, digits, '-' or '_')" in result.stderr
    ), result.stderr
    assert "content/2024/bai.md:12: warning: this YouTube address cannot be shown as a video" in result.stderr
    doc = page(tmp_path / "site/output", "2024/05/bai/")
    assert doc.find(class_="video-play") is None
    assert not any("video.js" in s.attrs.get("src", "") for s in doc.find_all("script"))


@pytest.mark.parametrize(
    "url,expected",
    [
        (f"https://www.youtube.com/watch?v={VIDEO_ID}&t=1h2m3s", YouTube(VIDEO_ID, 3723)),
        (f"HTTPS://WWW.YOUTUBE.COM/watch?v={VIDEO_ID}", YouTube(VIDEO_ID, 0)),
        (f"http://youtu.be/{VIDEO_ID}?t=abc", YouTube(VIDEO_ID, 0)),
        (f"https://music.youtube.com/watch?v={VIDEO_ID}&list=RD", YouTube(VIDEO_ID, 0)),
        ("https://www.youtube.com/watch?list=PL1", "the address names no video"),
        ("https://youtu.be/", "the address names no video"),
        (f"https://youtu.be/{VIDEO_ID}x", f"'{VIDEO_ID}x' is not a YouTube video ID (11 letters, digits, '-' or '_')"),
        ("https://www.youtube.com/channel/UC123", None),
        ("https://vimeo.com/123456", None),
        (f"https://evil.test/?u=https://youtu.be/{VIDEO_ID}", None),
        (f"https://youtu.be.evil.test/{VIDEO_ID}", None),
        ("https://[::1", None),
    ],
)
def test_youtube_addresses_are_read_strictly(url, expected):
    assert youtube(url) == expected


# --- local videos ----------------------------------------------------------------------------


def video_element(out: Path, n: int = 0):
    return body_of(out).find_all("video")[n]


@pytest.mark.parametrize(
    "data,size",
    [
        (mp4(640, 360), ("640", "360")),
        (mp4(1920, 1080, version=1), ("1920", "1080")),
        (mp4(1920, 1080, matrix=TURNED_90), ("1080", "1920")),
        (mp4(854, 480, large_mdat=True), ("854", "480")),
        (mp4(640, 360)[:-40], ("1280", "720")),  # cut short: the moov box is incomplete
        (b"not a video at all" * 10, ("1280", "720")),
        (mp4(40000, 360), ("1280", "720")),
    ],
    ids=["v0", "v1", "turned", "64-bit-mdat", "cut-short", "not-mp4", "absurd"],
)
def test_a_local_mp4_becomes_a_video_of_its_own_size(tmp_path, data, size):
    body = "![Lễ ra quân](videos/le-ra-quan.mp4)\n*Lễ ra quân năm 2024*"
    out = build_ok(site_with(tmp_path, body, {"content/2024/videos/le-ra-quan.mp4": data}))
    figure = body_of(out).find("figure", class_="video")
    video = figure.find("video")
    assert (video.attrs["width"], video.attrs["height"]) == size
    assert "controls" in video.attrs and video.attrs["preload"] == "none"
    assert video.attrs["aria-label"] == "Lễ ra quân"
    source = video.find("source")
    assert (source.attrs["src"], source.attrs["type"]) == ("/2024/videos/le-ra-quan.mp4", "video/mp4")
    assert figure.find("figcaption").text == "Lễ ra quân năm 2024"
    assert figure.find("img") is None and body_of(out).find("picture") is None


def test_a_webm_video_is_shown_at_16_9(tmp_path):
    out = build_ok(
        site_with(
            tmp_path,
            "![Phóng sự](videos/phong-su.webm)",
            {"content/2024/videos/phong-su.webm": b"\x1aE\xdf\xa3" + bytes(60)},
        )
    )
    video = video_element(out)
    assert (video.attrs["width"], video.attrs["height"]) == ("1280", "720")
    assert video.find("source").attrs["type"] == "video/webm"


def test_a_video_is_never_the_articles_picture(tmp_path):
    out = build_ok(site_with(tmp_path, "![Lễ ra quân](videos/a.mp4)", {"content/2024/videos/a.mp4": mp4(640, 360)}))
    assert page(out, "2024/05/bai/").find("meta", property="og:image") is None


def test_a_local_video_is_published_byte_for_byte(tmp_path):
    data = mp4(640, 360)
    out = build_ok(site_with(tmp_path, "![Lễ ra quân](videos/a.mp4)", {"content/2024/videos/a.mp4": data}))
    assert (out / "2024/videos/a.mp4").read_bytes() == data


def test_a_missing_video_is_an_error_at_its_line(tmp_path):
    result = run_cli_in_process(
        "build", "--site", str(site_with(tmp_path, "Mở đầu.\n\n![Lễ ra quân](videos/khong-co.mp4)"))
    )
    assert result.returncode == 1
    assert (
        "content/2024/bai.md:10: error: video 'videos/khong-co.mp4' not found (looked for"
        " content/2024/videos/khong-co.mp4): readers would get a broken video" in result.stderr
    ), result.stderr


def test_a_video_replaced_by_one_of_another_size_is_seen_by_the_next_build(tmp_path):
    site = site_with(tmp_path, "![Lễ ra quân](videos/a.mp4)", {"content/2024/videos/a.mp4": mp4(640, 360)})
    out = build_ok(site)
    (site / "content/2024/videos/a.mp4").write_bytes(mp4(360, 640))  # same length, other frame
    video = video_element(build_ok(site, out))
    assert (video.attrs["width"], video.attrs["height"]) == ("360", "640")
