"""The site model: plain frozen values passed from one build step to the next.

Reading makes ``Article`` values, ``site.make_site`` groups them into a ``Site``, and
``pages.plan_pages`` turns the site into ``Page`` values that the renderer writes. Nothing here
does I/O or holds state that changes after it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .config import Category


@dataclass(frozen=True, slots=True)
class Asset:
    """A file an article uses (an image beside it), copied to ``output_path`` in the output."""

    source: str  # path relative to the site folder
    output_path: str  # path relative to the output folder


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from its file; ``body_html`` is filled in once links can be resolved."""

    source: str  # path relative to the site folder, with '/' separators: content/2020/x.md
    title: str
    category: Category
    date: datetime  # timezone-aware
    slug: str
    url: str  # relative to the site root, ends with '/': 2020/10/x/
    body_md: str
    body_line: int  # the file's line number of the body's first line
    author: str = ""
    source_unit: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    updated: datetime | None = None
    draft: bool = False
    image: str = ""
    legacy_views: int | None = None
    body_html: str = ""
    lead_in_body: bool = False  # the body opens with the summary, so pages need not repeat it
    scheduled: bool = False  # dated after the build's "now" (shown only with --future)
    assets: tuple[Asset, ...] = ()

    @property
    def last_modified(self) -> datetime:
        return self.updated or self.date


@dataclass(frozen=True, slots=True)
class Term:
    """A named group of articles with its own page: a tag, an author or a source unit."""

    name: str
    slug: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    url: str
    months: tuple[Month, ...]  # newest first
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Where an article sits in its category, and what else a reader may want next."""

    previous: Article | None  # older
    next: Article | None  # newer
    related: tuple[Article, ...]


@dataclass(frozen=True)
class CategorySection:
    category: Category
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Site:
    """All published articles, newest first, and every grouping the pages need."""

    articles: tuple[Article, ...]
    categories: tuple[CategorySection, ...]  # config order
    years: tuple[Year, ...]  # newest first
    tags: tuple[Term, ...]  # Vietnamese dictionary order
    authors: tuple[Term, ...]
    source_units: tuple[Term, ...]
    neighbours: dict[str, Neighbours] = field(default_factory=dict)  # by article source
    terms_by_name: dict[tuple[str, str], Term] = field(default_factory=dict)  # (kind, name) -> term


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, and what the template reads.

    ``sources`` names the content files that put this page here, for error messages about
    clashing URLs.
    """

    url: str  # relative to the site root: '' for home, 'chuyen-muc/x/', or a file name like 'rss.xml'
    template: str
    context: dict
    sources: tuple[str, ...] = ()
    lastmod: datetime | None = None  # newest change among the articles shown, for the sitemap
    in_sitemap: bool = True

    @property
    def output_path(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


@dataclass(frozen=True, slots=True)
class Feed:
    """A pair of feeds (Atom and RSS) over one group of articles."""

    title: str
    atom_url: str
    rss_url: str
    page_url: str  # the HTML page the feed mirrors
    articles: tuple[Article, ...]
