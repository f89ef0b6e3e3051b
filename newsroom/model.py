"""The site model: plain frozen values passed from one build step to the next.

Reading makes ``Article`` values, ``site.make_site`` groups them into a ``Site``, and
``pages.plan_pages`` turns the site into ``Page`` values that the renderer writes. Nothing here
does I/O or holds state that changes after it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .config import Category


@dataclass(frozen=True, slots=True)
class Asset:
    """A file an article publishes, copied from ``source`` to ``output_path`` in the output.

    Markdown lists each picture the body uses (``source`` is the editor's file, ``line`` where
    the article names it); ``images.attach`` replaces those with the files actually published:
    resized, re-encoded copies whose ``source`` is in the image cache.
    """

    source: str  # path relative to the site folder
    output_path: str  # path relative to the output folder
    line: int = 0  # the article's line that names the picture (0 when published, not named)


@dataclass(frozen=True, slots=True)
class Picture:
    """A published photo: one picture at a few widths, for ``srcset`` and for sharing.

    URLs are relative to the site root, like every URL in the model. ``webp`` holds the same
    widths as ``srcset`` in WebP, or nothing when the original is WebP (or a GIF or SVG, which
    are published as they are). ``width``/``height`` are the largest variant's, so a page can
    reserve the picture's space before it loads.
    """

    width: int  # 0 when unknown (SVG)
    height: int
    mime: str  # of the original format: image/jpeg, image/png, image/webp, image/gif, image/svg+xml
    srcset: tuple[tuple[str, int], ...]  # (URL, width) in the original format, narrowest first
    webp: tuple[tuple[str, int], ...] = ()

    @property
    def large(self) -> str:
        """The widest variant in the original format: for og:image and JSON-LD."""
        return self.srcset[-1][0]

    @property
    def small(self) -> str:
        """The narrowest variant: the ``src`` of thumbnails."""
        return self.srcset[0][0]

    @property
    def src(self) -> str:
        """The ``src`` for browsers that ignore ``srcset``: the first variant 800 px wide or more."""
        return next((url for url, width in self.srcset if width >= 800), self.large)


@dataclass(frozen=True, slots=True)
class Document:
    """An official document (văn bản) an article publishes: its register entry and its file."""

    number: str  # số ký hiệu, e.g. 45/KH-UBND
    issued: date  # ngày ban hành
    issuer: str  # cơ quan ban hành
    file: str  # as written in front matter, relative to the article; after reading: the file's output URL
    size: int = 0  # bytes of the file, once found
    kind: str = ""  # "PDF", "DOCX"... from the file's extension
    line: int = 0  # front matter line of ``document:``, for messages


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
    image: str = ""  # the featured image: front matter as written, then (after images.attach) a link
    legacy_views: int | None = None
    body_html: str = ""
    lead_in_body: bool = False  # the body opens with the summary, so pages need not repeat it
    scheduled: bool = False  # dated after the build's "now" (shown only with --future)
    assets: tuple[Asset, ...] = ()
    picture: Picture | None = None  # the featured image (``image``) when it is a local file
    featured: bool = False  # put in the home page's "Tin nổi bật" block
    document: Document | None = None  # the article publishes an official document

    @property
    def last_modified(self) -> datetime:
        return self.updated or self.date


@dataclass(frozen=True)
class BodyPictures:
    """What fills a body's picture holes: the pictures it names, in order, and what each became (images.py)."""

    uses: tuple[Asset, ...]
    pictures: tuple[Picture | None, ...]


@dataclass(frozen=True, slots=True)
class InfoPage:
    """A page outside the news flow (content/pages/): "Giới thiệu", "Liên hệ"... No date, no category.

    Its URL is its path under content/pages/ (``gioi-thieu/lich-su.md`` → ``gioi-thieu/lich-su/``;
    an ``index.md`` stands for its folder). It shares the reading, Markdown, link and photo steps
    with articles, hence the same field names.
    """

    source: str
    title: str
    url: str
    body_md: str
    body_line: int
    summary: str = ""
    updated: datetime | None = None
    draft: bool = False
    image: str = ""
    order: int = 0  # place among its sibling pages (then by title)
    body_html: str = ""
    lead_in_body: bool = False
    assets: tuple[Asset, ...] = ()
    picture: Picture | None = None


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


@dataclass(frozen=True, slots=True)
class MenuLink:
    """One entry of the main navigation, resolved: what it says and where it goes."""

    name: str
    url: str  # relative to the site root, or a full address when ``external``
    external: bool = False
    children: tuple[MenuLink, ...] = ()


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
    related_key: str = ""  # digest of what neighbours depend on (site.related_key), to reuse them
    pages: tuple[InfoPage, ...] = ()  # content/pages/, by URL
    menu: tuple[MenuLink, ...] = ()  # the main navigation (config.yaml's menu, else the categories)


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
        return output_path(self.url)


def output_path(url: str) -> str:
    """The file a page's URL is written to: a folder's URL gets its index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True, slots=True)
class Feed:
    """A pair of feeds (Atom and RSS) over one group of articles."""

    title: str
    atom_url: str
    rss_url: str
    page_url: str  # the HTML page the feed mirrors
    articles: tuple[Article, ...]


# Light references for page contexts. A page's fingerprint covers everything in its context, so a
# page that only links to a group (a tag, a year, a feed) gets a reference with what it shows,
# not the whole group: editing one article then re-renders the pages that show it, not every page
# that links to a group containing it.


@dataclass(frozen=True, slots=True)
class NamedLink:
    """A link to a group's page: its name and URL, with how many articles it holds."""

    name: str
    url: str
    count: int = 0


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    atom_url: str
    rss_url: str


@dataclass(frozen=True, slots=True)
class MonthLink:
    year: int
    month: int
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class YearLink:
    year: int
    url: str
    count: int
    months: tuple[MonthLink, ...]


@dataclass(frozen=True, slots=True)
class SectionLink:
    category: Category
    url: str
