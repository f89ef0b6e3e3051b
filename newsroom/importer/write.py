"""Fields → article file: the Markdown an export becomes, and where it is written.

Three rules make an import safe to run again and again over a site editors are working in:

- the file is written through ``frontmatter`` (the same layout as ``new`` and the desk write, the
  fields in the usual order) and its text is escaped so that Markdown shows it as the portal did;
- nothing is ever overwritten: ``write_new`` picks the first free ``slug.md``, ``slug-2.md`` …
  and lands it with a hard link, which fails when the name exists (``new`` and the desk use it
  too), and never under a URL another article already has;
- nothing is imported twice: ``existing_articles`` knows every article of the site by its title
  and day (``title_key``), also one whose front matter the build refuses.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import frontmatter
from ..config import Config
from ..content import find_sources, parse_article, read_source
from ..errors import SourceRefused
from ..model import InfoPage
from ..slugs import fold
from .parse import LegacyArticle, title_and_day

# Written even when empty, as lines the editor fills in later (the export had no byline, no tags).
KEEP_EMPTY = ("author", "source_unit", "tags")

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
    when = article.published
    values: dict[str, frontmatter.Value] = {
        "title": article.title,
        "category": category,
        "date": f"{when:%Y-%m-%d %H:%M}" if article.has_time else f"{when:%Y-%m-%d}",
        "author": article.author,
        "source_unit": article.source_unit,
        "tags": [],
        "summary": article.lead,
    }
    if article.views is not None:
        values["legacy_views"] = article.views
    body = [f"**{escape_markdown(article.lead, paragraph_start=False)}**"]
    body += [escape_markdown(paragraph) for paragraph in article.paragraphs]
    return frontmatter.write(values, "\n" + "\n\n".join(body) + "\n", keep_empty=KEEP_EMPTY)


def title_key(title: str, day: date) -> tuple[str, date]:
    """Two articles are the same story when their titles match, ignoring accents, case and spacing,
    on the same day (``new`` warns about such a twin; ``import`` skips it)."""
    return " ".join(fold(title).split()), day


def url_key(url: str) -> str:
    """How two URLs are compared: as the build's URL clash check compares them."""
    return unicodedata.normalize("NFC", url).casefold()


@dataclass
class Existing:
    """What the site already holds: articles by (folded title, day), and the article URLs in use."""

    articles: dict[tuple[str, date], Path] = field(default_factory=dict)
    urls: set[str] = field(default_factory=set)


def existing_articles(config: Config) -> Existing:
    """Every article already in content/, by (folded title, day), and the URLs they take.

    Articles are read with ``parse_article``, as the build reads them; one with a mistake in its
    front matter still has its title and date read by the light reader (``parse.title_and_day``),
    so that it is recognised too.
    """
    found = Existing()
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
            read = title_and_day(data, config)
            key = title_key(*read) if read is not None else None
        if key is not None:
            found.articles.setdefault(key, path)
    return found


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
