"""``build.py import``: bring the old portal's plain-text exports into the site as Markdown articles.

The newsroom is moving from an old portal whose only export is one ``.txt`` file per article:
the category on the first line, then the title, a line ``Ngày đăng 15/10/2020 | 13:50 | View
count: 1366``, the lead paragraph, the body paragraphs and a closing byline ``Thanh Hồng -
Trung tâm Văn hóa - TT&TT`` (author, then source unit). Thousands of such files exist, typed over
fifteen years in whatever the editors had: Windows line endings, stray blank lines, doubled and
non-breaking spaces, bylines in four styles, and text saved in Windows-1258 or TCVN3 (ABC)
instead of UTF-8. Re-typing them is not an option and a half-right import is worse than none, so
this module turns each file into an article that builds exactly like a hand-written one, or says
precisely why it cannot — and it never guesses an encoding into mojibake, never invents an
author, never overwrites a file and never imports the same article twice.

Three steps, the first two pure so they can be tested and fuzzed without a disk:

* ``decode_export`` (bytes → text) and ``parse_export`` (text → ``LegacyArticle``), raising the
  project's ``ContentError`` with the file, line and a hint;
* ``render_markdown`` (``LegacyArticle`` → the article file's text);
* ``import_paths``: the only I/O here — reads the exports, finds articles already in the site
  and writes the new files, returning an ``ImportReport``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .config import Category, Config, load_config
from .content import SourceRefused, find_sources, parse_article, parse_date, read_source
from .errors import ContentError
from .model import InfoPage
from .slugs import fold, slugify
from .urls import article_url
from .yamltext import STR, YamlProblem, parse_mapping

ENCODING_MESSAGE = "cannot tell the text encoding; save it as UTF-8"
ENCODING_HINT = (
    "it is not UTF-8, and it does not read as Vietnamese in Windows-1258 or TCVN3 (ABC) either: open it "
    "where it reads correctly and save it with the UTF-8 encoding"
)
DATE_LINE_EXAMPLE = "Ngày đăng 15/10/2020 | 13:50 | View count: 1366"

# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegacyArticle:
    """One article as the old portal exported it, cleaned (NFC, single spaces) but not yet mapped
    to this site: ``category`` is the portal's own spelling, ``published`` its local wall-clock
    time (the site's time zone), ``paragraphs`` the body after the lead, without the byline."""

    source: str
    category: str
    title: str
    published: datetime  # naive: local time of the old portal
    lead: str
    paragraphs: tuple[str, ...] = ()
    author: str = ""
    source_unit: str = ""
    views: int | None = None
    has_time: bool = True
    category_line: int = 1
    encoding: str = "UTF-8"


@dataclass(frozen=True)
class Imported:
    """One export turned into an article file (or, with ``--dry-run``, one that would be)."""

    source: str
    path: Path  # where the article is (or would be) written
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An export whose article (same title, same day) is already in the site."""

    source: str
    existing: Path


@dataclass
class ImportReport:
    """What ``import_paths`` did, file by file, in the order the files were given."""

    dry_run: bool = False
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[ContentError] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {len(self.imported)}, skipped as already present {len(self.skipped)}, "
            f"failed {len(self.failed)}" + (" (dry run: nothing was written)" if self.dry_run else "")
        )


# --- decoding -------------------------------------------------------------------------------

# TCVN 5712:1993 "VN3", the code of the ABC/.VnTime fonts: precomposed lowercase letters and the
# seven shaped capitals in 0xA1–0xFE. Toned capitals are not in VN3 (editors switched to the
# all-capital .VnTimeH font, which reuses the lowercase codes); the ones that the fuller VN1
# table places at 0x80–0x9F, in a few gaps above and in C0 control positions are accepted too,
# as some converters wrote them. 0xB0–0xB4 are combining tone marks (composed by NFC later).
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    0xA0: "\u00a0",
}  # fmt: skip
_TCVN1_EXTRAS = {
    **dict(zip(range(0x80, 0xA0), "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ", strict=True)),
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}  # fmt: skip
TCVN3_TABLE: dict[int, str] = {b: chr(b) for b in range(0x80)} | _TCVN1_EXTRAS | _TCVN3_LETTERS
"""Every byte → its Unicode text in TCVN3 (ASCII below 0x80 apart from the VN1 capitals)."""

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?")
_LEGACY_CODECS = ("Windows-1258", "TCVN3")


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes → NFC text; all-capital words typed in .VnTimeH fonts are upper-cased."""
    text = unicodedata.normalize("NFC", "".join(TCVN3_TABLE[b] for b in data))
    return re.sub(r"\w+", _vntimeh_word, text)


def _vntimeh_word(match: re.Match[str]) -> str:
    # .VnTimeH shows the lowercase codes as capitals: "HUYÖN" decodes to "HUYệN" → "HUYỆN".
    word = match.group()
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    if sum(c.isupper() for c in ascii_letters) >= 2 and not any(c.islower() for c in ascii_letters):
        return word.upper()
    return word


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is spelled like a Vietnamese syllable: at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(c in _TONES for c in decomposed)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> tuple[int, float, float]:
    """How Vietnamese ``text`` reads: (number of words with non-ASCII letters that are Vietnamese
    syllables, the share of such words that are, the share of all words that have such letters).
    A right decoding of an article scores about (…, 1.0, 0.6); mojibake far lower."""
    words = [_strip_edges(w) for w in text.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    accented = [w for w in words if not w.isascii()]
    if not words or not accented:
        return (0, 0.0, 0.0)
    valid = 0
    neutral = 0
    for word in accented:
        if word.isupper() and all(c.isascii() or is_vietnamese_syllable(c.lower()) or c in "ĐĂÂÊÔƠƯ" for c in word):
            neutral += 1  # abbreviations such as HĐND, ĐBQH
        elif is_vietnamese_syllable(word):
            valid += 1
    judged = len(accented) - neutral
    return (valid, valid / judged if judged else 1.0, len(accented) / len(words))


def _strip_edges(word: str) -> str:
    """The word without the punctuation, digits and symbols around it: '(“Lực' → 'Lực'."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] not in "LM":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] not in "LM":
        end -= 1
    return word[start:end]


def _looks_vietnamese(text: str) -> bool:
    """Most accented words are Vietnamese syllables, there are enough of them, and NFC left no
    tone mark unattached (a wrong decoding leaves marks on letters that cannot carry them)."""
    _, valid_share, accented_share = vietnamese_score(text)
    stray_marks = any(unicodedata.combining(c) for c in text)
    return valid_share >= 0.9 and accented_share >= 0.15 and not stray_marks


def decode_export(data: bytes, source: str = "<text>") -> tuple[str, str]:
    """The export's text (NFC) and the name of the encoding it was in; raises ContentError.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are taken as they are. Anything else is
    tried as Windows-1258 and as TCVN3, and the decoding with the most Vietnamese syllables is
    kept; when neither reads as Vietnamese the file is refused rather than imported as mojibake.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError:
            raise ContentError(source, None, ENCODING_MESSAGE, "it starts like UTF-16 text but is damaged") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ContentError(source, line, ENCODING_MESSAGE, "the file contains NUL bytes: is it really a text export?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return _repair_double_utf8(unicodedata.normalize("NFC", text))
    candidates: list[tuple[tuple[int, float, float], str, str]] = []
    for name in _LEGACY_CODECS:
        try:
            text = data.decode("cp1258") if name == "Windows-1258" else decode_tcvn3(data)
        except UnicodeDecodeError:
            continue
        text = unicodedata.normalize("NFC", text)
        if _looks_vietnamese(text):
            candidates.append((vietnamese_score(text), name, text))
    if not candidates:
        raise ContentError(source, None, ENCODING_MESSAGE, ENCODING_HINT)
    _, name, text = max(candidates)  # the most Vietnamese syllables wins
    return text, name


def _repair_double_utf8(text: str) -> tuple[str, str]:
    """UTF-8 that was once read as Windows-1252 and saved again ("Huyá»‡n") is put right."""
    if text.isascii() or _looks_vietnamese(text):
        return text, "UTF-8"
    raw = bytearray()
    for ch in text:
        if ord(ch) < 0x100:
            raw.append(ord(ch))
        else:
            try:
                raw += ch.encode("cp1252")
            except UnicodeEncodeError:
                return text, "UTF-8"
    try:
        repaired = unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        return text, "UTF-8"
    return (repaired, "UTF-8 saved twice") if _looks_vietnamese(repaired) else (text, "UTF-8")


# --- parsing --------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DATE_LINE = re.compile(
    r"(?:ngay\s*dang\s*:?\s*)?"
    r"(?P<day>\d{1,2})\s*([/.-])\s*(?P<month>\d{1,2})\s*\2\s*(?P<year>\d{4})"
    r"(?:\s*[|,-]?\s*(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2})(?::\d{2})?)?"
    r"(?:\s*[|,-]?\s*(?:view\s*count|luot\s*xem)\s*:?\s*(?P<views>\d[\d.,]*))?"
    r"\s*\|?",
    re.IGNORECASE,
)
_DATE_LINE_START = re.compile(r"ngay\s*dang\s*:?\s*\d")
_BYLINE_SEPARATOR = re.compile(r"\s+[-–—]\s+")
_BYLINE_UNIT = re.compile(r"(?P<name>[^()]+?)\s*\((?P<unit>[^()]+)\)")
# Words that start the name of an office or a newspaper, not of a person (folded).
_ORGANISATION_WORDS = (
    "bao ", "tap chi", "dai ", "cong thong tin", "trang ", "trung tam", "ban ", "phong ", "so ", "bo ",
    "uy ban", "ubnd", "hoi ", "huyen ", "xa ", "thanh pho", "tinh ", "van phong", "cong an", "thong tan xa",
    "ttxvn", "vov", "vtv", "btv", "ban bien tap", "nguon",
)  # fmt: skip
MAX_BYLINE = 80
MAX_VIEW_DIGITS = 12  # a trillion views: far beyond any page of a district portal


def clean_text(text: str) -> str:
    """NFC, single spaces (non-breaking and other odd spaces too), no invisible characters."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_INVISIBLE.sub("", text).split())


def parse_export(text: str, source: str = "<text>", encoding: str = "UTF-8") -> LegacyArticle:
    """Read one export's text into a LegacyArticle; raises ContentError naming the line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    lines = [(number, clean_text(raw)) for number, raw in enumerate(text.split("\n"), start=1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise ContentError(source, None, "the file is empty", "export the article from the old portal again")

    category_line, category = lines[0]
    date_index = next((i for i in range(1, min(len(lines), 6)) if _is_date_line(lines[i][1])), None)
    if date_index is None:
        number = lines[2][0] if len(lines) > 2 else lines[-1][0]
        raise ContentError(
            source,
            number,
            f"no publication line: expected the category, the title, then a line like '{DATE_LINE_EXAMPLE}'",
            "check that the file is an article exported from the old portal",
        )
    if date_index == 1:
        raise ContentError(
            source,
            lines[1][0],
            "no title: the line before the publication date should be the title, after the category line",
            "the export must start with the category, then the title, then 'Ngày đăng …'",
        )
    title = " ".join(line for _, line in lines[1:date_index])
    date_number, date_text = lines[date_index]
    published, has_time, views = _parse_date_line(date_text, source, date_number)

    paragraphs = [line for _, line in lines[date_index + 1 :]]
    if not paragraphs:
        raise ContentError(
            source, date_number, "the article has no text after the publication line", "export the article again"
        )
    author = source_unit = ""
    if len(paragraphs) >= 2:
        byline = parse_byline(paragraphs[-1])
        if byline is not None:
            author, source_unit = byline
            paragraphs.pop()
    return LegacyArticle(
        source=source,
        category=category,
        title=title,
        published=published,
        lead=paragraphs[0],
        paragraphs=tuple(paragraphs[1:]),
        author=author,
        source_unit=source_unit,
        views=views,
        has_time=has_time,
        category_line=category_line,
        encoding=encoding,
    )


def _is_date_line(line: str) -> bool:
    """The publication line, also when it is malformed (to report it), but not a title such as
    "Ngày đăng ký hiến máu": after "Ngày đăng" comes the date."""
    folded = fold(line)
    return _DATE_LINE_START.match(folded) is not None or _DATE_LINE.fullmatch(folded) is not None


def _parse_date_line(line: str, source: str, number: int) -> tuple[datetime, bool, int | None]:
    match = _DATE_LINE.fullmatch(fold(line))
    if not match:
        raise ContentError(
            source,
            number,
            f"cannot read the publication date in '{line}'",
            f"the line should look like '{DATE_LINE_EXAMPLE}' (day/month/year | hour:minute)",
        )
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    try:
        date(year, month, day)
    except ValueError:
        raise ContentError(
            source, number, f"'{line}' is not a real date ({day}/{month}/{year})", "the date is day/month/year"
        ) from None
    if hour > 23 or minute > 59:
        raise ContentError(
            source, number, f"'{line}' has an impossible time ({hour}:{minute:02d})", "the time is hour:minute"
        )
    return datetime(year, month, day, hour, minute), match["hour"] is not None, _views(match["views"], source, number)


def _views(text: str | None, source: str, number: int) -> int | None:
    """The view count, or None when the line has none. A count with more digits than any real
    page ever had is a mistake in the file (and Python refuses to read more than 4,300 digits)."""
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) > MAX_VIEW_DIGITS:
        shown = digits if len(digits) <= 20 else digits[:20] + "…"
        raise ContentError(
            source,
            number,
            f"the view count '{shown}' ({len(digits)} digits) is too large to be real",
            "correct the number after 'View count:', or remove that part of the line",
        )
    return int(digits)


def parse_byline(line: str) -> tuple[str, str] | None:
    """(author, source unit) when ``line`` is a byline, else None (it is then body text).

    A byline is short, ends without a sentence's punctuation and names a person:
    ``Thanh Hồng - Trung tâm Văn hóa - TT&TT`` (also with – or —), ``Thanh Hồng (Trung tâm
    Văn hóa)``, ``Theo Thanh Hồng``, ``Thanh Hồng``; a lone office name gives only a source unit.
    """
    line = line.strip()
    if len(line) > MAX_BYLINE or not line or line[-1] in ".!?…:;,":
        return None
    text = line
    theo = fold(text).startswith("theo ")
    if theo:
        text = text[5:].strip()
    match = _BYLINE_UNIT.fullmatch(text)
    if match:
        name, unit = match["name"].strip(), match["unit"].strip()
    else:
        parts = _BYLINE_SEPARATOR.split(text, maxsplit=1)
        name, unit = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    if unit and not (unit[0].isupper() or unit[0].isdigit()):
        return None
    if _is_organisation(name):
        # "Trung tâm Văn hóa - TT&TT", "Theo Báo Hà Nội mới": an office, not a person. A lone
        # office name without "Theo" or a separator may just as well be a short last sentence.
        if not (theo or unit) or not text[0].isupper():
            return None
        return "", text
    if not _is_name(name, alone=not unit and not theo):
        return None
    return name, unit


def _is_organisation(name: str) -> bool:
    folded = fold(name) + " "
    return folded.startswith(_ORGANISATION_WORDS)


def _is_name(name: str, alone: bool) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 40:
        return False
    if alone and len(words) < 2:
        return False
    return all(word[0].isupper() and word.isalpha() for word in words)


# --- rendering ------------------------------------------------------------------------------

_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape_markdown(text: str, paragraph_start: bool = True) -> str:
    """Text that Markdown shows exactly as written: markup characters are backslash-escaped."""
    text = _ENTITY.sub(r"\\&", _INLINE_MARKUP.sub(r"\\\1", text))
    if paragraph_start:
        text = _LIST_NUMBER.sub(r"\1\\\2", text)
        if text[:1] in ("#", "-", "+", ">", "=", "|"):
            text = "\\" + text
    return text


def render_markdown(article: LegacyArticle, category: str) -> str:
    """The article file: complete front matter, the lead in bold as the portal showed it, the body.

    ``category`` is the site's declared name for the article's category.
    """

    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    when = article.published
    front = [
        "---",
        f"title: {quoted(article.title)}",
        f"category: {quoted(category)}",
        f"date: {when:%Y-%m-%d %H:%M}" if article.has_time else f"date: {when:%Y-%m-%d}",
        f"author: {quoted(article.author)}",
        f"source_unit: {quoted(article.source_unit)}",
        "tags: []",
        f"summary: {quoted(article.lead)}",
    ]
    if article.views is not None:
        front.append(f"legacy_views: {article.views}")
    front.append("---")
    body = [f"**{escape_markdown(article.lead, paragraph_start=False)}**"]
    body += [escape_markdown(paragraph) for paragraph in article.paragraphs]
    return "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


def match_category(name: str, config: Config, source: str = "<text>", line: int | None = 1) -> Category:
    """The declared category the portal's name stands for, ignoring accents, case and punctuation."""
    wanted = " ".join(fold(name).split())
    for category in config.categories:
        if " ".join(fold(category.name).split()) == wanted:
            return category
    for category in config.categories:
        if slugify(category.name) == slugify(name) != "":
            return category
    close = config.closest_categories(name, limit=3)
    hint = (
        "closest declared categories: " + ", ".join(f"'{c}'" for c in close)
        if close
        else "declared categories: " + ", ".join(f"'{c.name}'" for c in config.categories)
    )
    raise ContentError(
        source,
        line,
        f"category '{name}' is not declared in config.yaml",
        hint + "; add it to config.yaml or correct the export's first line",
    )


# --- the import -----------------------------------------------------------------------------


def export_files(paths: list[Path]) -> tuple[list[Path], list[ContentError]]:
    """The files to import: each file given, and every ``*.txt`` in each folder (sorted)."""
    files: list[Path] = []
    problems: list[ContentError] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not found:
                problems.append(ContentError(str(path), None, "the folder holds no .txt files", "pass export files"))
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(ContentError(str(path), None, "this is not a regular file", "pass export files (.txt)"))
        else:
            problems.append(ContentError(str(path), None, "no such file or folder", "check the path"))
    return files, problems


def title_key(title: str, day: date) -> tuple[str, date]:
    """Two articles are the same story when their titles match, ignoring accents, case and spacing,
    on the same day (``new`` warns about such a twin; ``import`` skips it)."""
    return " ".join(fold(title).split()), day


@dataclass
class _Existing:
    """What the site already holds: articles by (folded title, day), and the article URLs in use."""

    articles: dict[tuple[str, date], Path] = field(default_factory=dict)
    urls: set[str] = field(default_factory=set)


def url_key(url: str) -> str:
    return unicodedata.normalize("NFC", url).casefold()  # as the build's URL clash check compares


def existing_articles(config: Config) -> _Existing:
    """Every article already in content/, by (folded title, day), and the URLs they take.

    Articles are read with ``parse_article``, as the build reads them; one with a mistake in its
    front matter still has its title and date read with the located YAML reader, so that it is
    recognised too.
    """
    found = _Existing()
    for rel, path in find_sources(config):
        try:
            data = read_source(path, config.max_file_kb * 1024)
        except (OSError, SourceRefused):
            continue  # the build reports it; it cannot be the same article as an export
        article = parse_article(rel, data, config).article
        if isinstance(article, InfoPage):  # a page (content/pages/) has no date: only its URL is taken
            found.urls.add(url_key(article.url))
            continue
        if article is not None:
            found.urls.add(url_key(article.url))
            key = title_key(article.title, article.date.astimezone(config.tz).date())
        else:
            key = _title_and_day(data, config)
        if key is not None:
            found.articles.setdefault(key, path)
    return found


def _title_and_day(data: bytes, config: Config) -> tuple[str, date] | None:
    """The light reader: title and date from front matter that ``parse_article`` refused."""
    try:
        lines = data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    except UnicodeDecodeError:
        return None
    if lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    try:
        entries = {e.key: e.node for e in parse_mapping("\n".join(lines[1:end]) + "\n")}
    except YamlProblem:
        return None
    title, when = entries.get("title"), entries.get("date")
    if title is None or title.tag != STR or when is None or not isinstance(when.value, str):
        return None
    try:
        return title_key(title.value, parse_date(when.value.strip(), config).astimezone(config.tz).date())
    except ValueError:
        return None


def import_paths(site_dir: Path, paths: list[Path], dry_run: bool = False) -> ImportReport:
    """Import every export in ``paths`` into the site; one file's failure never stops the others.

    Each new article goes to ``content/<year>/<slug>.md`` (``<slug>-2.md`` … when the name is
    taken: nothing is ever overwritten); an article already in the site with the same title on
    the same day is skipped. With ``dry_run`` nothing is written.
    """
    config = load_config(site_dir)
    report = ImportReport(dry_run=dry_run)
    files, report.failed = export_files(paths)
    known = existing_articles(config)
    for file in files:
        source = str(file)
        try:
            result = _import_one(file, source, config, known, dry_run)
        except ContentError as error:
            report.failed.append(error)
            continue
        except OSError as exc:  # writing the article: a full disk, a read-only or odd content/ folder
            where = f" ({exc.filename})" if exc.filename else ""
            report.failed.append(
                ContentError(
                    source,
                    None,
                    f"cannot write the article: {exc.strerror or exc}{where}",
                    "check free space and permissions of the site's content/ folder, then import this file again",
                )
            )
            continue
        except Exception as exc:  # a bug in newsroom must not cost the editor the other files
            report.failed.append(
                ContentError(
                    source,
                    None,
                    f"newsroom could not import this file ({type(exc).__name__}: {exc})",
                    "the other files were imported; send this file to whoever looks after newsroom",
                )
            )
            continue
        if isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            report.imported.append(result)
    return report


def read_export(file: Path, source: str, config: Config) -> bytes:
    """The export's bytes. Its size is looked up first, so a file over the site's ``max_file_kb``
    (a database dump, a video renamed .txt) is refused without being read or decoded, and a thing
    that is not a regular file (a FIFO would block the import forever) is never opened for reading."""
    limit = config.max_file_kb * 1024
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(source, None, "this is not a regular file", "pass the export files (.txt) themselves")
        if info.st_size > limit:
            raise ContentError(
                source,
                None,
                f"the file is {-(-info.st_size // 1024)} KB, over the {config.max_file_kb} KB limit for one article",
                "check that it is the export of one article; if it is, raise max_file_kb in config.yaml",
            )
        return read_source(file, limit)  # checks again on the open file: it may have changed since
    except SourceRefused as refused:
        raise ContentError(source, None, refused.message, "check that it is the export of one article") from None
    except OSError as exc:
        raise ContentError(source, None, f"cannot read the file: {exc.strerror}", "check its permissions") from None


def _import_one(file: Path, source: str, config: Config, known: _Existing, dry_run: bool) -> Imported | Skipped:
    data = read_export(file, source, config)
    text, encoding = decode_export(data, source)
    legacy = parse_export(text, source, encoding)
    category = match_category(legacy.category, config, source, legacy.category_line)
    key = title_key(legacy.title, legacy.published.date())
    if key in known.articles:
        return Skipped(source, known.articles[key])
    markdown = render_markdown(legacy, category.name)
    folder = config.content_dir / f"{legacy.published.year:04d}"
    stem = slugify(legacy.title) or "bai-viet"
    _check_builds(markdown, f"content/{legacy.published.year:04d}/{stem}.md", source, config)
    when = legacy.published.replace(tzinfo=config.tz)
    path = write_new(
        folder,
        stem,
        markdown,
        lambda slug: url_key(article_url(config.permalinks.article, slug, when, category)),
        known.urls,
        dry_run,
    )
    known.articles[key] = path
    notes = []
    if encoding != "UTF-8":
        notes.append(f"decoded from {encoding}")
    if not legacy.author:
        notes.append("no byline: author left empty")
    return Imported(source, path, markdown, tuple(notes))


def _check_builds(markdown: str, rel: str, source: str, config: Config) -> None:
    """Guard: the written file must read back without errors, exactly as the build will read it."""
    parsed = parse_article(rel, markdown.encode("utf-8"), config)
    errors = [p for p in parsed.problems if not p.warning]
    if errors or parsed.article is None:
        first = errors[0] if errors else ContentError(rel, None, "it cannot be read back", "report this file")
        raise ContentError(source, None, f"the converted article would not build: {first.message}", first.hint)


def write_new(folder: Path, stem: str, text: str, url_of: Callable[[str], str], taken: set[str], dry_run: bool) -> Path:
    """Write ``text`` to the first free ``stem.md``, ``stem-2.md`` … in ``folder`` and return it
    (for ``import`` and ``new`` alike).

    Never over an existing file (the final step is a hard link, which fails if the name exists),
    and never under a slug whose URL another article already has (the build would refuse both).
    """
    n = 1
    while True:
        slug = stem if n == 1 else f"{stem}-{n}"
        path = folder / f"{slug}.md"
        n += 1
        if url_of(slug) in taken or path.exists() or path.is_symlink():
            continue
        if dry_run or _link_new(folder, path, text):
            taken.add(url_of(slug))
            return path


def _link_new(folder: Path, path: Path, text: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".newsroom-new-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create is still safe
            try:
                with open(path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
            except FileExistsError:
                return False
        return True
    finally:
        os.unlink(temp)
