"""`build.py import`: the old portal's plain-text exports become articles that build like hand-written ones.

Every test imports into a real site in a temporary folder through the command line's ``main`` (for
exit codes and messages) and, where the result matters to readers, builds the site and reads the
article page's HTML. The export variants (line endings, blank lines, bylines, encodings) are
made here from the one real export in tests/fixtures/legacy/.
"""

from __future__ import annotations

import os
import random
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sitekit import article, build_ok, copy_sample_site, page, parse_html, write_site

from newsroom.cli import main
from newsroom.config import load_config
from newsroom.content import parse_article
from newsroom.errors import ContentError
from newsroom.importer import (
    TCVN3_TABLE,
    clean_text,
    decode_export,
    escape_markdown,
    parse_byline,
    parse_export,
    render_markdown,
)
from newsroom.markdown import make_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "legacy" / "thanh-tri-2020-10-15-tap-huan-dan-van.txt"
LEGACY = FIXTURE.read_text(encoding="utf-8")
TITLE = "Huyện Thanh Trì: Khai mạc lớp tập huấn về công tác Dân vận"
BYLINE = "Thanh Hồng - Trung tâm Văn hóa - TT&TT"
DATE_LINE = LEGACY.splitlines()[3]
TARGET = "content/2020/huyen-thanh-tri-khai-mac-lop-tap-huan-ve-cong-tac-dan-van.md"


def words(text: str) -> str:
    """Whitespace-normalized text (non-breaking spaces count as spaces)."""
    return " ".join(text.split())


def export_paragraphs(text: str = LEGACY, byline: bool = True) -> list[str]:
    """The lead and body paragraphs of an export: the lines after the date line, without the byline."""
    lines = [words(line) for line in text.splitlines() if line.strip()]
    return lines[3:-1] if byline else lines[3:]


def variant(old: str, new: str, text: str = LEGACY) -> str:
    assert old in text
    return text.replace(old, new)


def make_site(tmp_path: Path, name: str = "site", **config) -> Path:
    return write_site(tmp_path / name, {}, **config)


def export(tmp_path: Path, data: str | bytes, name: str = "bai.txt") -> Path:
    path = tmp_path / "exports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run_import(capsys, site: Path, *paths: Path | str, dry_run: bool = False) -> tuple[int, str, str]:
    argv = ["import", *map(str, paths), "--site", str(site)] + (["--dry-run"] if dry_run else [])
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def content_files(site: Path) -> dict[str, bytes]:
    root = site / "content"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def imported(capsys, tmp_path: Path, data: str | bytes, **config):
    """Import one export into a fresh site; returns (parsed article, its file's text, stdout)."""
    site = make_site(tmp_path, **config)
    code, out, err = run_import(capsys, site, export(tmp_path, data))
    assert code == 0, err
    files = content_files(site)
    assert len(files) == 1, files
    [(rel, raw)] = files.items()
    parsed = parse_article(rel, raw, load_config(site))
    assert [p for p in parsed.problems if not p.warning] == [], parsed.problems
    return parsed.article, raw.decode("utf-8"), out


@pytest.fixture
def baseline(capsys, tmp_path):
    """The Markdown file that the unmodified export becomes."""
    return imported(capsys, tmp_path / "baseline", LEGACY)[1]


# --- the real export, end to end --------------------------------------------------------------


def test_legacy_export_builds_into_the_same_article_the_old_portal_showed(capsys, tmp_path):
    site = make_site(tmp_path)
    code, out, err = run_import(capsys, site, FIXTURE)
    assert code == 0, err
    assert "imported 1, skipped as already present 0, failed 0" in out
    assert (site / TARGET).is_file()

    parsed = parse_article(TARGET, (site / TARGET).read_bytes(), load_config(site))
    assert parsed.problems == ()  # not even a warning
    assert parsed.article.legacy_views == 1366
    out_dir = build_ok(site)
    doc = page(out_dir, parsed.article.url)

    assert doc.find(class_="kicker").text == "Đảng, đoàn thể"
    assert doc.find("h1").text == TITLE
    assert doc.find("p", class_="meta").text.startswith("Ngày đăng 15/10/2020 | 13:50")
    body = doc.find(class_="article-body")
    assert [p.text for p in body.find_all("p")] == export_paragraphs()
    assert body.find("p").find("strong").text == export_paragraphs()[0]  # the lead, bold as on the portal
    byline = doc.find("p", class_="byline")
    assert byline.find("a", class_="author").text == "Thanh Hồng"
    assert byline.find("a", class_="source-unit").text == "Trung tâm Văn hóa - TT&TT"
    assert doc.find("p", class_="lead") is None  # the lead is not shown twice


def test_front_matter_is_complete_and_text_is_cleaned(baseline):
    head = baseline.split("\n---\n", 1)[0]
    assert f'title: "{TITLE}"' in head
    assert 'category: "Đảng, đoàn thể"' in head
    assert "date: 2020-10-15 13:50" in head
    assert 'author: "Thanh Hồng"' in head
    assert 'source_unit: "Trung tâm Văn hóa - TT&TT"' in head
    assert f'summary: "{export_paragraphs()[0]}"' in head
    assert "legacy_views: 1366" in head
    assert (
        "\u00a0" not in baseline
        and "  " not in baseline
        and not any(line != line.strip() for line in baseline.split("\n"))
    )
    assert "“Lực lượng của dân rất to" in baseline and "Đào Tân Lý – UVBTV" in baseline  # typography kept
    assert unicodedata.is_normalized("NFC", baseline)
    assert BYLINE not in baseline.split("\n---\n", 1)[1]  # the byline went to the front matter


# --- tolerance of real exports ----------------------------------------------------------------


def test_windows_line_endings(capsys, tmp_path, baseline):
    assert imported(capsys, tmp_path, LEGACY.replace("\n", "\r\n"))[1] == baseline


def test_utf8_byte_order_mark(capsys, tmp_path, baseline):
    assert imported(capsys, tmp_path, "\ufeff".encode() + LEGACY.encode("utf-8"))[1] == baseline


def test_blank_lines_in_odd_places(capsys, tmp_path, baseline):
    lines = LEGACY.split("\n")
    odd = "\n\n \n\u00a0\n" + "\n".join(lines[:2]) + "\n\n\n" + "\n".join(lines[2:5])  # before category, title
    odd += "\n" + "\n".join(line for line in lines[5:] if line.strip())  # no blank line between paragraphs
    odd = odd.replace(lines[-1], "\n\n\t\n" + lines[-1]) + "\n\n\n\n"
    assert imported(capsys, tmp_path, odd)[1] == baseline


def test_missing_view_count(capsys, tmp_path, baseline):
    art, text, _ = imported(capsys, tmp_path, variant(DATE_LINE, "Ngày đăng 15/10/2020 | 13:50"))
    assert art.legacy_views is None
    assert text == baseline.replace("legacy_views: 1366\n", "")


@pytest.mark.parametrize(
    ("byline", "author", "unit"),
    [
        (BYLINE, "Thanh Hồng", "Trung tâm Văn hóa - TT&TT"),
        ("Thanh Hồng (Trung tâm Văn hóa)", "Thanh Hồng", "Trung tâm Văn hóa"),
        ("Theo Thanh Hồng", "Thanh Hồng", ""),
        ("Thanh Hồng – Trung tâm Văn hóa - TT&TT", "Thanh Hồng", "Trung tâm Văn hóa - TT&TT"),
        ("Thanh Hồng — Trung tâm Văn hóa", "Thanh Hồng", "Trung tâm Văn hóa"),
        ("  Thanh\u00a0 Hồng  -  Trung tâm Văn hóa  ", "Thanh Hồng", "Trung tâm Văn hóa"),
        ("Thanh Hồng", "Thanh Hồng", ""),
    ],
)
def test_byline_variants(capsys, tmp_path, byline, author, unit):
    art, text, _ = imported(capsys, tmp_path, variant(BYLINE, byline))
    assert (art.author, art.source_unit) == (author, unit)
    assert words(byline) not in text.split("\n---\n", 1)[1]


def test_no_byline_means_no_author_and_the_last_paragraph_stays(capsys, tmp_path):
    site = make_site(tmp_path)
    no_byline = variant("\n\n" + BYLINE, "\n")
    code, out, err = run_import(capsys, site, export(tmp_path, no_byline))
    assert code == 0, err
    assert "no byline: author left empty" in out
    parsed = parse_article(TARGET, (site / TARGET).read_bytes(), load_config(site))
    assert (parsed.article.author, parsed.article.source_unit) == ("", "")
    doc = page(build_ok(site), parsed.article.url)
    assert [p.text for p in doc.find(class_="article-body").find_all("p")] == export_paragraphs(no_byline, byline=False)
    assert doc.find("p", class_="byline") is None


@pytest.mark.parametrize(
    "last",
    [
        # long, no full stop: a sentence, not a byline
        "Lớp tập huấn công tác Dân vận kết thúc vào chiều ngày 17/10 với bài kiểm tra cuối khóa của các học viên",
        "Lớp học kết thúc ngày 17/10",  # short, but not a name
        "Hà Nội ngày mai.",  # a name-like start, but a sentence
    ],
)
def test_a_final_sentence_is_body_text_not_a_byline(capsys, tmp_path, last):
    art, text, _ = imported(capsys, tmp_path, variant(BYLINE, last))
    assert art.author == "" and art.source_unit == ""
    assert text.rstrip("\n").endswith(last)


def test_bylines_are_recognised_only_when_they_name_someone():
    assert parse_byline("Thanh Hồng - Trung tâm Văn hóa - TT&TT") == ("Thanh Hồng", "Trung tâm Văn hóa - TT&TT")
    assert parse_byline("Trung tâm Văn hóa - TT&TT") == ("", "Trung tâm Văn hóa - TT&TT")  # an office only
    assert parse_byline("Theo Báo Hà Nội mới") == ("", "Báo Hà Nội mới")
    assert parse_byline("Trung tâm Văn hóa") is None  # could be the end of a sentence
    assert parse_byline("Thanh Hồng - " + "Trung tâm " * 8) is None  # too long
    assert parse_byline("Đề nghị các đơn vị thực hiện") is None


def test_one_digit_days_months_and_hours(capsys, tmp_path):
    text = variant(DATE_LINE, "Ngày đăng 5/3/2021 | 8:05 | View count: 12")
    art, raw, _ = imported(capsys, tmp_path, text)
    assert "date: 2021-03-05 08:05" in raw
    assert (art.date.year, art.date.month, art.date.day, art.date.hour, art.date.minute) == (2021, 3, 5, 8, 5)
    assert art.date.utcoffset().total_seconds() == 7 * 3600  # the site's time zone
    assert art.source.startswith("content/2021/")
    assert art.legacy_views == 12


def to_cp1258(text: str) -> bytes:
    """Text as Windows saves it in code page 1258: letters the code page has stay precomposed,
    the others are a base letter followed by a combining tone mark. Python's codec does the bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def test_windows_1258_export(capsys, tmp_path, baseline):
    data = to_cp1258(LEGACY)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xd2" in data and b"\xf2" in data  # combining hook above and dot below: really decomposed
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == LEGACY
    _, text, out = imported(capsys, tmp_path, data)
    assert text == baseline
    assert "decoded from Windows-1258" in out


def to_tcvn3(text: str) -> bytes:
    """TCVN3 bytes through the inverse of newsroom's table; the old fonts had no curly quotes or dashes."""
    inverse = {char: byte for byte, char in TCVN3_TABLE.items()}
    plain = text.translate(str.maketrans({"“": '"', "”": '"', "–": "-"}))
    return bytes(inverse[ch] for ch in plain)


def test_tcvn3_table_agrees_with_the_standard():
    assert to_tcvn3("Thanh Hồng") == b"Thanh H\xe5ng"
    assert to_tcvn3("Đảng, đoàn thể") == b"\xa7\xb6ng, \xaeo\xb5n th\xd3"
    assert to_tcvn3("Việt Nam") == b"Vi\xd6t Nam"
    expected = {0xB8: "á", 0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB9: "ạ", 0xA8: "ă", 0xA9: "â", 0xAA: "ê"}
    expected |= {0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xA7: "Đ", 0xF8: "ứ", 0xFE: "ỵ", 0xCA: "ấ"}
    assert {byte: TCVN3_TABLE[byte] for byte in expected} == expected
    vowels = "aăâeêioôơuưy"
    for vowel in vowels:  # every toned lowercase vowel has a code
        for tone in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"):
            assert unicodedata.normalize("NFC", vowel + tone) in TCVN3_TABLE.values()


def test_tcvn3_export(capsys, tmp_path, baseline):
    data = to_tcvn3(LEGACY)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    _, text, out = imported(capsys, tmp_path, data)
    assert text == baseline.replace("“", '"').replace("”", '"').replace("–", "-")
    assert "decoded from TCVN3" in out


def test_tcvn3_capitals_typed_in_vntimeh_fonts():
    # .VnTimeH shows the lowercase codes as capitals, so a capital title is saved as "HUYÖN …".
    capitals = "HUYỆN THANH TRÌ KHAI MẠC LỚP TẬP HUẤN"
    typed = "".join(c if c.isascii() else c.lower() for c in capitals)
    text, name = decode_export(to_tcvn3(variant(TITLE, typed)))
    assert name == "TCVN3"
    assert text.split("\n")[2] == capitals


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(random.Random(9).randbytes(4000).replace(b"\0", b"\1"), id="random-bytes"),
        pytest.param(("Tin tức 新闻 文章 发布 日期 " * 80).encode("gb18030"), id="chinese-gb18030"),
        pytest.param(("Новости района: открытие курса " * 80).encode("koi8-r"), id="russian-koi8"),
        pytest.param(("Café crème brûlée à la française, déjà vu " * 80).encode("latin-1"), id="french-latin1"),
        pytest.param(LEGACY.encode("utf-16-le"), id="utf16-without-bom"),
    ],
)
def test_undecodable_text_is_refused_without_writing(capsys, tmp_path, data):
    site = make_site(tmp_path)
    before = content_files(site)
    code, out, err = run_import(capsys, site, export(tmp_path, data, "hong.txt"))
    assert code == 1
    assert "hong.txt" in err and "cannot tell the text encoding; save it as UTF-8" in err
    assert "imported 0, skipped as already present 0, failed 1" in out
    assert content_files(site) == before


def test_utf16_with_a_byte_order_mark_is_read(capsys, tmp_path, baseline):
    assert imported(capsys, tmp_path, LEGACY.encode("utf-16"))[1] == baseline


def test_utf8_saved_twice_is_put_right(capsys, tmp_path, baseline):
    # UTF-8 bytes read as Windows-1252 ("Huyá»‡n") and saved as UTF-8 again, as old tools did.
    def as_cp1252(byte: int) -> str:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves out were kept as they were
            return chr(byte)

    garbled = "".join(as_cp1252(b) for b in LEGACY.encode("utf-8"))
    assert "Huyá»‡n" in garbled
    _, text, out = imported(capsys, tmp_path, garbled)
    assert text == baseline
    assert "decoded from UTF-8 saved twice" in out


def test_a_title_may_start_like_the_date_line(capsys, tmp_path):
    art, _, _ = imported(capsys, tmp_path, variant(TITLE, "Ngày đăng ký hiến máu tình nguyện năm 2020"))
    assert art.title == "Ngày đăng ký hiến máu tình nguyện năm 2020"
    assert art.date.day == 15


def test_markdown_characters_are_shown_as_text(capsys, tmp_path):
    risky = [
        "# Không phải tiêu đề",
        "- không phải danh sách",
        "+ cũng không",
        "> không phải trích dẫn",
        "1. Không phải danh sách số",
        "2020) năm",
        "---",
        "=== Dòng",
        "Chữ *nghiêng* và **đậm**, _gạch_ dưới, [liên kết](http://x.test), ![ảnh](a.png)",
        "Mã `code`, thẻ <b>in đậm</b> <script>alert(1)</script>, ~~gạch ngang~~, \\ gạch chéo, &amp; thực thể",
        "| bảng | không |",
    ]
    third_paragraph = [line for line in LEGACY.splitlines() if line.strip()][5]
    text = variant(third_paragraph, "\n\n".join(risky))
    site = make_site(tmp_path)
    code, _, err = run_import(capsys, site, export(tmp_path, text))
    assert code == 0, err
    parsed = parse_article(TARGET, (site / TARGET).read_bytes(), load_config(site))
    body = page(build_ok(site), parsed.article.url).find(class_="article-body")
    paragraphs = [p.text for p in body.find_all("p")]
    assert paragraphs[2 : 2 + len(risky)] == risky
    for tag in ("h1", "h2", "ul", "ol", "blockquote", "hr", "em", "a", "img", "code", "del", "table", "script", "b"):
        assert body.find(tag) is None, tag
    assert len(body.find_all("strong")) == 1  # only the lead


PIECES = ["# ", "- ", "+ ", "> ", "1. ", "2) ", "*", "**", "_", "`", "```", "~~", "[", "](", ")", "![", "<", ">", "|"]
PIECES += ["---", "===", "&amp;", "&#65;", "\\", "\t", "\u00a0", "  ", "Đảng", "“dân”", " – ", "TT&TT", "x", "1", "."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join), min_size=1, max_size=6))
def test_any_paragraph_text_renders_as_the_same_text(pieces):
    paragraphs = [clean_text(p) for p in pieces if clean_text(p)]
    assume(paragraphs)
    text = "\n".join(["Thông báo", "Tiêu đề", "Ngày đăng 1/2/2024 | 9:00", *paragraphs, ""])
    legacy = parse_export(text)
    assert [legacy.lead, *legacy.paragraphs] == paragraphs[: 1 + len(legacy.paragraphs)]
    html = make_markdown(False).render(render_markdown(legacy, "Thông báo").split("\n---\n", 1)[1])
    doc = parse_html(html)
    assert [p.text for p in doc.find_all("p")] == [words(p) for p in [legacy.lead, *legacy.paragraphs]]
    assert doc.find("strong").text == words(legacy.lead)
    assert {el.tag for el in doc.iter()} <= {"#document", "p", "strong"}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda t: t.encode("utf-8"))))
def test_any_bytes_give_an_article_or_a_located_error(data):
    try:
        text, _ = decode_export(data, "x.txt")
        legacy = parse_export(text, "x.txt")
    except ContentError as error:
        assert error.path == "x.txt" and error.message
        return
    assert legacy.title and legacy.lead
    assert unicodedata.is_normalized("NFC", render_markdown(legacy, "Thông báo"))


def test_escaping_leaves_plain_text_alone():
    assert escape_markdown("Ngày 15/10/2020, “Dân vận khéo” – TT&TT…") == "Ngày 15/10/2020, “Dân vận khéo” – TT&TT…"


def test_categories_match_without_accents_case_or_punctuation(capsys, tmp_path):
    for spelling in ("ĐẢNG, ĐOÀN THỂ", "dang, doan the", "Đảng - đoàn thể"):
        art, _, _ = imported(capsys, tmp_path / fold_name(spelling), variant("Đảng, đoàn thể\n", spelling + "\n"))
        assert art.category.name == "Đảng, đoàn thể"


def fold_name(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def test_unreadable_date_names_its_line(capsys, tmp_path):
    site = make_site(tmp_path)
    code, _, err = run_import(capsys, site, export(tmp_path, variant(DATE_LINE, "Ngày đăng 31/2/2021 | 8:05")))
    assert code == 1
    assert "bai.txt:4: error: 'Ngày đăng 31/2/2021 | 8:05' is not a real date" in err
    assert content_files(site) == {}


# --- never twice, never over, never all-or-nothing ------------------------------------------


def test_importing_twice_creates_nothing_the_second_time(capsys, tmp_path):
    site = make_site(tmp_path)
    assert run_import(capsys, site, FIXTURE)[0] == 0
    first = content_files(site)
    copy = export(tmp_path, LEGACY.replace("\n", "\r\n"), "ban-sao.txt")  # the same article, exported again
    code, out, err = run_import(capsys, site, FIXTURE, copy)
    assert code == 0, err
    assert content_files(site) == first
    assert out.count("already present as") == 2 and TARGET in out
    assert "imported 0, skipped as already present 2, failed 0" in out


def test_an_article_already_written_by_hand_is_recognised(capsys, tmp_path):
    hand = article(TITLE.upper(), category="Đảng, đoàn thể", date="2020-10-15 09:00")  # same day, other time
    site = write_site(tmp_path / "site", {"2020/viet-tay.md": hand})
    code, out, _ = run_import(capsys, site, FIXTURE)
    assert code == 0
    assert "already present as" in out and "viet-tay.md" in out
    assert list(content_files(site)) == ["content/2020/viet-tay.md"]


def test_an_existing_file_is_never_overwritten(capsys, tmp_path):
    other = article("Một bài khác", category="Thông báo", date="2020-10-20 08:00").encode("utf-8") + b"\r\nmine\r\n"
    site = write_site(tmp_path / "site", {TARGET.removeprefix("content/"): other})
    code, out, err = run_import(capsys, site, FIXTURE)
    assert code == 0, err
    assert (site / TARGET).read_bytes() == other
    moved = site / TARGET.replace(".md", "-2.md")
    assert moved.is_file() and f"→ {moved}" in out
    assert not [p for p in (site / "content" / "2020").iterdir() if p.name.startswith(".")]  # no temp files left
    output = build_ok(site)  # both build, under different URLs
    assert page(output, "2020/10/huyen-thanh-tri-khai-mac-lop-tap-huan-ve-cong-tac-dan-van-2/").find("h1").text == TITLE


def test_one_bad_file_fails_alone_and_names_the_closest_categories(capsys, tmp_path):
    site = make_site(tmp_path)
    folder = tmp_path / "exports"
    (folder / "2020").mkdir(parents=True)
    bad = folder / "2020" / "a-bad.txt"
    bad.write_text(variant("Đảng, đoàn thể", "Tin tuc su kien noi bat"), encoding="utf-8")
    shutil.copy(FIXTURE, folder / "2020" / "b-good.txt")
    (folder / "notes.md").write_text("not an export", encoding="utf-8")  # only *.txt is read
    code, out, err = run_import(capsys, site, folder)
    assert code == 1
    assert f"{bad}:1: error: category 'Tin tuc su kien noi bat' is not declared in config.yaml" in err
    assert "closest declared categories: 'Tin tức - Sự kiện'" in err
    assert "b-good.txt" in out and (site / TARGET).is_file()
    assert "imported 1, skipped as already present 0, failed 1" in out
    assert list(content_files(site)) == [TARGET]


def test_a_missing_path_is_a_failure_of_its_own(capsys, tmp_path):
    site = make_site(tmp_path)
    code, out, err = run_import(capsys, site, tmp_path / "nowhere.txt", FIXTURE)
    assert code == 1
    assert "nowhere.txt: error: no such file or folder" in err
    assert "imported 1, skipped as already present 0, failed 1" in out


OTHER_YEAR = variant(
    "15/10/2020 | 13:50", "03/02/2021 | 09:15", variant(TITLE, "Huyện Thanh Trì: Tổng kết công tác Dân vận")
)
OTHER_TARGET = "content/2021/huyen-thanh-tri-tong-ket-cong-tac-dan-van.md"


def test_a_view_count_of_5000_digits_is_a_located_error_and_the_others_import(capsys, tmp_path):
    # Python's int() refuses more than 4,300 digits with a ValueError, which used to stop the import.
    site = make_site(tmp_path)
    huge = export(tmp_path, variant("View count: 1366", "View count: " + "9" * 5000), "a-huge.txt")
    long = export(tmp_path, variant("View count: 1366", "View count: 1.366.000.000.000.000"), "b-long.txt")
    good = export(tmp_path, OTHER_YEAR, "c-good.txt")
    code, out, err = run_import(capsys, site, huge, long, good)
    assert code == 1
    assert f"{huge}:4: error: the view count '{'9' * 20}…' (5000 digits) is too large to be real" in err
    assert f"{long}:4: error: the view count '1366000000000000' (16 digits) is too large to be real" in err
    assert "hint: correct the number after 'View count:'" in err
    assert "Traceback" not in err and len(err) < 2000  # the 5,000 digits are not printed
    assert "imported 1, skipped as already present 0, failed 2" in out
    assert list(content_files(site)) == [OTHER_TARGET]


def test_a_large_view_count_with_separators_is_read(capsys, tmp_path):
    art, _, _ = imported(capsys, tmp_path, variant("View count: 1366", "View count: 123.456.789.012"))
    assert art.legacy_views == 123456789012


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(capsys, tmp_path):
    site = make_site(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    with open(folder / "a-dump.txt", "wb") as handle:  # 4 GB, but sparse: reading it would take minutes
        handle.truncate(4 * 1024**3)
    shutil.copy(FIXTURE, folder / "b-good.txt")
    code, out, err = run_import(capsys, site, folder)
    assert code == 1
    assert f"{folder / 'a-dump.txt'}: error: the file is 4194304 KB, over the 2048 KB limit for one article" in err
    assert "raise max_file_kb in config.yaml" in err
    assert "imported 1, skipped as already present 0, failed 1" in out


def test_the_size_limit_is_the_sites_and_comes_before_decoding(capsys, tmp_path):
    site = make_site(tmp_path, max_file_kb=1)
    undecodable = export(tmp_path, random.Random(3).randbytes(3000).replace(b"\0", b"\1"), "hong.txt")
    code, _, err = run_import(capsys, site, undecodable)
    assert code == 1
    assert f"{undecodable}: error: the file is 3 KB, over the 1 KB limit for one article" in err
    assert "encoding" not in err


def test_a_fifo_is_refused_not_waited_for(capsys, tmp_path):
    site = make_site(tmp_path)
    fifo = tmp_path / "exports" / "ong.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    code, out, err = run_import(capsys, site, fifo, FIXTURE)
    assert code == 1
    assert f"{fifo}: error: this is not a regular file" in err
    assert "imported 1, skipped as already present 0, failed 1" in out


def test_a_write_failure_fails_only_that_file(capsys, tmp_path):
    site = make_site(tmp_path)
    (site / "content").mkdir()
    (site / "content" / "2020").write_text("a file where the year's folder should be", encoding="utf-8")
    code, out, err = run_import(capsys, site, FIXTURE, export(tmp_path, OTHER_YEAR, "other.txt"))
    assert code == 1
    assert f"{FIXTURE}: error: cannot write the article: File exists" in err
    assert "hint: check free space and permissions of the site's content/ folder" in err
    assert "Traceback" not in err
    assert "imported 1, skipped as already present 0, failed 1" in out
    assert (site / OTHER_TARGET).is_file()


def test_an_unexpected_failure_is_reported_for_its_file_and_the_others_import(capsys, tmp_path, monkeypatch):
    import newsroom.importer as importer

    real = importer.render_markdown

    def broken_for_one(legacy, category):
        if legacy.published.year == 2020:
            raise RuntimeError("lỗi không lường trước")
        return real(legacy, category)

    monkeypatch.setattr(importer, "render_markdown", broken_for_one)
    site = make_site(tmp_path)
    code, out, err = run_import(capsys, site, FIXTURE, export(tmp_path, OTHER_YEAR, "other.txt"))
    assert code == 1
    assert f"{FIXTURE}: error: newsroom could not import this file (RuntimeError: lỗi không lường trước)" in err
    assert "imported 1, skipped as already present 0, failed 1" in out
    assert list(content_files(site)) == [OTHER_TARGET]


def test_dry_run_writes_nothing_and_shows_the_article(capsys, tmp_path):
    site = make_site(tmp_path)
    code, out, err = run_import(capsys, site, FIXTURE, FIXTURE, dry_run=True)
    assert code == 0, err
    assert not (site / "content").exists()
    assert f"would write {FIXTURE} → {site / TARGET}" in out
    assert f'title: "{TITLE}"' in out and "legacy_views: 1366" in out
    assert "would import 1, skipped as already present 1, failed 0 (dry run: nothing was written)" in out


def test_import_into_the_sample_site_builds(capsys, tmp_path, sample_built):
    site = tmp_path / "sample"
    site.mkdir()
    copy_sample_site(site, photo_cache=True)  # the sample's photos as sample_built processed them
    renamed = variant(TITLE, "Huyện Thanh Trì: Bế mạc lớp tập huấn về công tác Dân vận")
    renamed = variant("15/10/2020 | 13:50", "17/10/2020 | 16:30", renamed)
    code, out, err = run_import(capsys, site, FIXTURE, export(tmp_path, renamed))
    assert code == 0, err
    assert "already present as" in out  # the sample site has this article already
    assert "imported 1, skipped as already present 1, failed 0" in out
    output = build_ok(site)
    doc = page(output, "2020/10/huyen-thanh-tri-be-mac-lop-tap-huan-ve-cong-tac-dan-van/")
    assert doc.find("h1").text == "Huyện Thanh Trì: Bế mạc lớp tập huấn về công tác Dân vận"
    assert doc.find("p", class_="meta").text.startswith("Ngày đăng 17/10/2020 | 16:30")


def test_help_explains_import(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", "--help"])
    assert exit_.value.code == 0
    usage = capsys.readouterr().out
    for option in ("PATH", "--site", "--dry-run", "never overwritten"):
        assert option in usage
