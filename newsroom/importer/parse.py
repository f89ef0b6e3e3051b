"""Text → fields: what an export says (the old portal's layout), and the title and date of a
site article the build refuses.

An export is the category on the first line, then the title, a line ``Ngày đăng 15/10/2020 |
13:50 | View count: 1366``, the lead paragraph, the body paragraphs and a closing byline
``Thanh Hồng - Trung tâm Văn hóa - TT&TT`` (author, then source unit), with stray blank lines,
doubled and non-breaking spaces and bylines in four styles. ``parse_export`` reads it into a
``LegacyArticle`` or raises a ``ContentError`` naming the line; it never invents an author.
``match_category`` maps the portal's category to one declared in config.yaml.

``title_and_day`` is the light reader: an article already in the site whose front matter the
build refuses (a typo in another field) must still be recognised, or importing the same export
again would make a second copy. It reads only the title and date, through ``frontmatter``.

All pure (text in, fields out), so they are tested and fuzzed without a disk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .. import frontmatter
from ..config import Category, Config
from ..content import parse_date
from ..errors import ContentError, YamlProblem
from ..i18n import _
from ..slugs import fold, slugify
from ..yamltext import STR

DATE_LINE_EXAMPLE = "Ngày đăng 15/10/2020 | 13:50 | View count: 1366"


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
    """NFC, single spaces (non-breaking and other odd spaces too), no invisible characters.

    The invisible characters go first: one between a letter and its tone mark ("e\u200b\u0301")
    keeps them apart under NFC, and removed afterwards it would leave the text decomposed.
    """
    return unicodedata.normalize("NFC", " ".join(_INVISIBLE.sub("", text).split()))


def parse_export(text: str, source: str = "<text>", encoding: str = "UTF-8") -> LegacyArticle:
    """Read one export's text into a LegacyArticle; raises ContentError naming the line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    lines = [(number, clean_text(raw)) for number, raw in enumerate(text.split("\n"), start=1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise ContentError(source, None, _("the file is empty"), _("export the article from the old portal again"))

    category_line, category = lines[0]
    date_index = next((i for i in range(1, min(len(lines), 6)) if _is_date_line(lines[i][1])), None)
    if date_index is None:
        number = lines[2][0] if len(lines) > 2 else lines[-1][0]
        raise ContentError(
            source,
            number,
            _(
                "no publication line: expected the category, the title, then a line like '{example}'",
                example=DATE_LINE_EXAMPLE,
            ),
            _("check that the file is an article exported from the old portal"),
        )
    if date_index == 1:
        raise ContentError(
            source,
            lines[1][0],
            _("no title: the line before the publication date should be the title, after the category line"),
            _("the export must start with the category, then the title, then 'Ngày đăng …'"),
        )
    title = " ".join(line for _unused, line in lines[1:date_index])
    date_number, date_text = lines[date_index]
    published, has_time, views = _parse_date_line(date_text, source, date_number)

    paragraphs = [line for _unused, line in lines[date_index + 1 :]]
    if not paragraphs:
        raise ContentError(
            source, date_number, _("the article has no text after the publication line"), _("export the article again")
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
            _("cannot read the publication date in '{line}'", line=line),
            _("the line should look like '{example}' (day/month/year | hour:minute)", example=DATE_LINE_EXAMPLE),
        )
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    try:
        date(year, month, day)
    except ValueError:
        raise ContentError(
            source,
            number,
            _("'{line}' is not a real date ({date})", line=line, date=f"{day}/{month}/{year}"),
            _("the date is day/month/year"),
        ) from None
    if hour > 23 or minute > 59:
        raise ContentError(
            source,
            number,
            _("'{line}' has an impossible time ({time})", line=line, time=f"{hour}:{minute:02d}"),
            _("the time is hour:minute"),
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
            _("the view count '{shown}' ({n} digits) is too large to be real", shown=shown, n=str(len(digits))),
            _("correct the number after 'View count:', or remove that part of the line"),
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
        _("closest declared categories: {names}", names=", ".join(f"'{c}'" for c in close))
        if close
        else _("declared categories: {names}", names=", ".join(f"'{c.name}'" for c in config.categories))
    )
    raise ContentError(
        source,
        line,
        _("category '{name}' is not declared in config.yaml", name=name),
        _("{categories}; add it to config.yaml or correct the export's first line", categories=hint),
    )


def title_and_day(data: bytes, config: Config) -> tuple[str, date] | None:
    """The title and the day (in the site's zone) of a site article's bytes, from its front
    matter alone; None when they cannot be read (the file is then no twin of any export)."""
    try:
        parts = frontmatter.split(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if parts is None:
        return None
    try:
        entries = {e.key: e.node for e in frontmatter.fields(parts)}
    except YamlProblem:
        return None
    title, when = entries.get("title"), entries.get("date")
    if title is None or title.tag != STR or when is None or not isinstance(when.value, str):
        return None
    try:
        return title.value, parse_date(when.value.strip(), config).astimezone(config.tz).date()
    except ValueError:
        return None
