"""Site → the list of pages to write: one small planning function per page kind.

A new archive kind is one more function here and one template; nothing else changes. Every
function takes values and returns ``Page`` values, so the whole plan can be checked (for URL
clashes, for links) before a single file is rendered.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from .config import Config
from .discovery import category_feed, feed_pages, newest_change, robots_page, site_feed, sitemap_pages, unit_feed
from .errors import ContentError
from .i18n import Text, _
from .model import (
    Article,
    Feed,
    FeedLink,
    MonthLink,
    NamedLink,
    Page,
    SectionLink,
    Site,
    Term,
    Year,
    YearLink,
)
from .slugs import slugify, sort_key
from .urls import paginated


def label(kind: str, *values) -> tuple:
    """A text of the site's own (a heading, a breadcrumb) as data: ``("year", 2024)``. The theme's ``say`` macro
    (macros.html) turns it into words in the site's language, so no UI wording lives in the code."""
    return (kind, *values)


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list, with what the template needs to link the others.

    It holds the list's first URL and the pattern of the others, not every page's URL: a page's
    context is fingerprinted and stored, and a list of 1,000 pages whose every page carried 1,000
    URLs cost a 100,000-article build time growing with the square of its lists."""

    number: int
    total: int
    items: tuple
    first_url: str  # the list's first page
    pattern: str  # how the other pages' URLs follow from it (config.pagination, ``urls.paginated``)
    count: int = 0  # items in the whole list, over all its pages

    def url(self, number: int) -> str:
        """The URL of page ``number`` (1-based) of this list."""
        return paginated(self.first_url, number, self.pattern)

    @property
    def urls(self) -> tuple[str, ...]:
        """The URL of every page of the list, first page first (a theme listing all of them pays for it)."""
        return tuple(self.url(n) for n in range(1, self.total + 1))

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.total else None

    @property
    def links(self) -> tuple[tuple[int, str | None], ...]:
        """The page numbers a pagination bar shows, with their URLs: the first and last pages and two on each
        side of this one; a number three away stands for the pages left out (its URL is None: "…")."""
        near = range(max(1, self.number - 3), min(self.total, self.number + 3) + 1)
        shown = []
        for n in sorted({1, self.total, *near}):
            if n in (1, self.total) or abs(n - self.number) <= 2:
                shown.append((n, self.url(n)))
            else:  # three away
                shown.append((n, None))
        return tuple(shown)


def paginate(items: Sequence, per_page: int, url: str, pattern: str) -> Iterator[tuple[str, Pager]]:
    """Split ``items`` into pages; an empty list still gets its first page."""
    total = max(1, -(-len(items) // per_page))
    for n in range(1, total + 1):
        yield (
            paginated(url, n, pattern),
            Pager(n, total, tuple(items[(n - 1) * per_page : n * per_page]), url, pattern, len(items)),
        )


def plan_pages(site: Site, config: Config) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    feeds = _Feeds(site, config)
    pages: list[Page] = [home_page(site, config, feeds)]
    pages += article_pages(site, feeds)
    pages += category_pages(site, config, feeds)
    pages += date_pages(site, config, feeds)
    pages += term_pages(site, config, feeds)
    pages += info_pages(site, feeds)
    pages += document_pages(site, config, feeds)
    pages.append(Page("404.html", "404.html", {"title": label("not_found"), "feeds": [feeds.site]}, in_sitemap=False))
    pages.append(search_page(config, feeds))
    pages += feed_pages(feeds.all(), config)
    pages += sitemap_pages(pages, config)
    pages.append(robots_page(config))
    return pages


class _Feeds:
    """The site's feeds, looked up by what a page shows, for its <link rel="alternate">."""

    def __init__(self, site: Site, config: Config):
        self.site_feed = site_feed(site, config)
        self.category_feeds = {s.category.slug: category_feed(s, config) for s in site.categories}
        self.unit_feeds = {t.name: unit_feed(t, config) for t in site.source_units}
        self.site = _feed_link(self.site_feed)
        self.by_category = {slug: _feed_link(feed) for slug, feed in self.category_feeds.items()}
        self.by_unit = {name: _feed_link(feed) for name, feed in self.unit_feeds.items()}

    def all(self) -> list[Feed]:
        return [self.site_feed, *self.category_feeds.values(), *self.unit_feeds.values()]

    def for_article(self, site: Site, article: Article) -> list[FeedLink]:
        feeds = [self.site, self.by_category[article.category.slug]]
        unit = site.terms_by_name.get(("source_unit", article.source_unit))
        return [*feeds, self.by_unit[unit.name]] if unit else feeds


def _feed_link(feed: Feed) -> FeedLink:
    return FeedLink(feed.title, feed.atom_url, feed.rss_url)


def _term_link(term: Term | None) -> NamedLink | None:
    return NamedLink(term.name, term.url, len(term.articles)) if term else None


def _year_link(year: Year) -> YearLink:
    months = tuple(MonthLink(m.year, m.month, m.url, len(m.articles)) for m in year.months)
    return YearLink(year.year, year.url, len(year.articles), months)


HOME_DOCUMENTS = 5  # documents in the home page's "Văn bản mới" block


def home_page(site: Site, config: Config, feeds: _Feeds) -> Page:
    """Featured stories on top, then the latest, then a block per category: no story twice."""
    featured = [a for a in site.articles if a.featured][: config.home_featured]
    shown = {a.source for a in featured}
    latest = [a for a in site.articles if a.source not in shown][: config.home_latest]
    shown.update(a.source for a in latest)
    # The newest official documents by date issued, as the register lists them: a portal's readers look
    # for them first (a document may also be among the stories above: this block is the register's).
    documents = sorted(
        (a for a in site.articles if a.document is not None),
        key=lambda a: (-a.document.issued.toordinal(), a.document.number, a.source),  # type: ignore[union-attr]
    )[:HOME_DOCUMENTS]
    sections = []
    for s in site.categories:
        rest = [a for a in s.articles if a.source not in shown][: config.home_per_category]
        if rest and config.home_per_category:
            sections.append({"section": SectionLink(s.category, s.url), "articles": rest})
    return Page(
        "",
        "home.html",
        {
            "title": config.title,
            "featured": featured,
            "latest": latest,
            "sections": sections,
            "documents": documents,
            "feeds": [feeds.site],
        },
        lastmod=newest_change(site.articles),
    )


def info_pages(site: Site, feeds: _Feeds) -> list[Page]:
    """Each page of content/pages/, with its sub-pages listed and its parents in the breadcrumbs."""
    by_url = {p.url: p for p in site.pages}
    result = []
    for page in site.pages:
        parents = [by_url[url] for url in _ancestors(page.url) if url in by_url]
        children = sorted(
            (p for p in site.pages if p.url != page.url and _parent(p.url) == page.url),
            key=lambda p: (p.order, sort_key(p.title), p.url),
        )
        context = {
            "title": page.title,
            "description": page.summary or page.title,
            "page": page,
            "children": [NamedLink(c.title, c.url) for c in children],
            "breadcrumbs": [*((p.title, p.url) for p in parents), (page.title, page.url)],
            "feeds": [feeds.site],
        }
        result.append(Page(page.url, "page.html", context, (page.source,), lastmod=page.updated))
    return result


def _parent(url: str) -> str:
    return url.rstrip("/").rpartition("/")[0] + "/" if "/" in url.rstrip("/") else ""


def _ancestors(url: str) -> list[str]:
    parts = url.rstrip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def document_pages(site: Site, config: Config, feeds: _Feeds) -> list[Page]:
    """The register of official documents (văn bản), newest first: all, per year, per issuer.

    The per-year and per-issuer lists are real pages, so the filters work without JavaScript;
    the table also carries what a quick filter in the browser needs.
    """
    documents = sorted(
        (a for a in site.articles if a.document is not None),
        key=lambda a: (-a.document.issued.toordinal(), a.document.number, a.source),  # type: ignore[union-attr]
    )
    url = config.permalinks.documents
    register = label("documents")
    years = sorted({a.document.issued.year for a in documents}, reverse=True)  # type: ignore[union-attr]
    issuers: dict[str, str] = {}
    for a in documents:
        issuers.setdefault(a.document.issuer, "")  # type: ignore[union-attr]
    issuer_slugs = _unique_slugs(sorted(issuers, key=sort_key))
    filters = {
        "years": [NamedLink(str(y), f"{url}{y}/", sum(a.document.issued.year == y for a in documents)) for y in years],  # type: ignore[union-attr]
        "issuers": [
            NamedLink(name, f"{url}{slug}/", sum(a.document.issuer == name for a in documents))  # type: ignore[union-attr]
            for name, slug in issuer_slugs.items()
        ],
        "all": NamedLink("", url, len(documents)),  # the template labels it
    }
    # (URL, heading, last breadcrumb, documents): the whole register, then each year and each issuer.
    lists = [(url, register, None, documents)]
    lists += [
        (
            f"{url}{year}/",
            label("documents_year", year),
            label("year", year),
            [a for a in documents if a.document.issued.year == year],
        )  # type: ignore[union-attr]
        for year in years
    ]
    lists += [
        (f"{url}{slug}/", label("documents_of", name), name, [a for a in documents if a.document.issuer == name])  # type: ignore[union-attr]
        for name, slug in issuer_slugs.items()
    ]
    pages = []
    for list_url, heading, crumb, members in lists:
        crumbs = [(register, url), *([(crumb, list_url)] if crumb else [])]
        pages += _list_pages(
            list_url,
            members,
            config,
            heading,
            crumbs,
            [feeds.site],
            "documents.html",
            filters=filters,
            current=list_url,
        )
    return pages


def _unique_slugs(names: list[str]) -> dict[str, str]:
    """A URL part per issuer, never a bare number (those are the years' pages) nor the pager's."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = slugify(name) or "co-quan"
        if base.isdigit() or base == "trang":
            base = f"co-quan-{base}"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        result[name] = slug
    return result


def search_page(config: Config, feeds: _Feeds) -> Page:
    """The search page; its results come from the index, searched in the browser (``search.py``)."""
    url = config.permalinks.search
    context = {
        "title": label("search"),
        "feeds": [feeds.site],
        "index_url": url + "index/",
        "breadcrumbs": [(label("search"), url)],
    }
    return Page(url, "search.html", context, in_sitemap=False)


def article_pages(site: Site, feeds: _Feeds) -> list[Page]:
    return [
        Page(
            a.url,
            "article.html",
            {
                "title": a.title,
                "description": a.summary or a.title,
                "article": a,
                "neighbours": site.neighbours[a.source],
                "terms": _terms_of(site, a),
                "feeds": feeds.for_article(site, a),
            },
            (a.source,),
            lastmod=a.last_modified,
        )
        for a in site.articles
    ]


def _terms_of(site: Site, article: Article) -> dict:
    lookup = site.terms_by_name
    return {
        "author": _term_link(lookup.get(("author", article.author))),
        "source_unit": _term_link(lookup.get(("source_unit", article.source_unit))),
        "tags": [_term_link(lookup[("tag", t)]) for t in article.tags],
    }


def _list_pages(
    url: str,
    articles: Sequence[Article],
    config: Config,
    heading: str | tuple,
    crumbs: list,
    feeds: list[Feed],
    template="list.html",
    **extra,
) -> list[Page]:
    """A list's pages; page 2 on says which page it is in its title and as its last breadcrumb."""
    pages = []
    for page_url, pager in paginate(articles, config.per_page, url, config.permalinks.page):
        title, trail = heading, crumbs
        if pager.number > 1:
            title = label("paged", heading, pager.number)
            trail = [*crumbs, (label("page", pager.number), page_url)]  # the list's own crumb now links to page 1
        context = {"title": title, "heading": heading, "pager": pager, "breadcrumbs": trail, "feeds": feeds, **extra}
        pages.append(Page(page_url, template, context, lastmod=newest_change(pager.items)))
    return pages


def category_pages(site: Site, config: Config, feeds: _Feeds) -> list[Page]:
    pages = []
    for section in site.categories:
        crumbs = [(section.category.name, section.url)]
        section_feeds = [feeds.site, feeds.by_category[section.category.slug]]
        pages += _list_pages(
            section.url, section.articles, config, section.category.name, crumbs, section_feeds, kind="category"
        )
    return pages


def date_pages(site: Site, config: Config, feeds: _Feeds) -> list[Page]:
    archive_url = config.permalinks.archive
    site_feeds = [feeds.site]
    context = {
        "title": label("archive"),
        "years": [_year_link(y) for y in site.years],
        "breadcrumbs": [(label("archive"), archive_url)],
        "feeds": site_feeds,
    }
    pages = [Page(archive_url, "archive.html", context, lastmod=newest_change(site.articles))]
    for year in site.years:
        heading = label("year", year.year)
        crumbs = [(label("archive"), archive_url), (heading, year.url)]
        pages += _list_pages(
            year.url, year.articles, config, heading, crumbs, site_feeds, "year.html", year=_year_link(year)
        )
        for month in year.months:
            heading = label("month", month.month, year.year)
            pages += _list_pages(
                month.url, month.articles, config, heading, [*crumbs, (heading, month.url)], site_feeds
            )
    return pages


def term_pages(site: Site, config: Config, feeds: _Feeds) -> list[Page]:
    links = config.permalinks
    pages = []
    kinds: tuple[tuple[str, str, tuple[Term, ...]], ...] = (
        ("tag", links.tags, site.tags),
        ("author", links.authors, site.authors),
        ("source_unit", links.source_units, site.source_units),
    )
    for kind, index_url, terms in kinds:
        index = label("terms", kind)
        context = {"title": index, "kind": kind, "terms": [_term_link(t) for t in terms], "feeds": [feeds.site]}
        pages.append(Page(index_url, "terms.html", context, lastmod=newest_change(site.articles)))
        for term in terms:
            crumbs = [(index, index_url), (term.name, term.url)]
            term_feeds = [feeds.site, feeds.by_unit[term.name]] if kind == "source_unit" else [feeds.site]
            heading = label("term", kind, term.name)
            pages += _list_pages(term.url, term.articles, config, heading, crumbs, term_feeds, kind=kind)
    return pages


# The pages no content file puts there, named in URL-clash messages by their template.
_PAGE_NAMES = {
    "home": _("the home page"),
    "archive": _("the archive page"),
    "year": _("the year page"),
    "list": _("the list page"),
    "terms": _("the terms page"),
    "documents": _("the documents page"),
    "search": _("the search page"),
    "404": _("the 404 page"),
}


def url_clashes(
    pages: Sequence[Page], extra: Sequence[tuple[str, str]] = (), static: Collection[str] = ()
) -> list[ContentError]:
    """Two outputs at one path (also when they differ only by letter case or Unicode form), or a
    file where another output needs a folder (``feed.xml`` and ``feed.xml/index.html``).

    ``extra`` lists other outputs as (output path, source file), e.g. copied images. Such URLs
    would overwrite each other, break on case-insensitive hosts, or stop the build half-way with
    an unlocated "Is a directory". A clash between two pages that no content file put there
    (the archive page and a year page) comes from the permalinks, so it is blamed on config.yaml.
    """

    def key(path: str) -> str:
        return unicodedata.normalize("NFC", path).casefold()

    def clash(message: Text, source: str, other: str) -> ContentError:
        where = source or other
        if not where:
            hint = _("give each kind of page its own permalink in config.yaml")
            return ContentError("config.yaml", None, message, hint)
        if where in static:  # a file published as it is (static/, the theme): named by its path
            return ContentError(where, None, message, _("rename or move the file in static/"))
        return ContentError(where, 1, message, _('give one of them another slug (add a field  slug: "...")'))

    def name(index: int) -> Text:
        _path, source, template = outputs[index]
        kind = template.removesuffix(".html")
        return source or _PAGE_NAMES.get(kind) or _("the {kind} page", kind=kind)

    def shown(index: int) -> Text:
        path, source, _template = outputs[index]
        return f"'{path}'" if source else _("'{path}' ({page})", path=path, page=name(index))

    outputs = [(p.output_path, p.sources[0] if p.sources else "", p.template) for p in pages]
    outputs += [(path, source, "") for path, source in extra]
    folded = [key(path) for path, _source, _template in outputs]
    seen: dict[str, int] = {}  # folded path → index of the first output there
    errors = []
    for index, (path, source, _template) in enumerate(outputs):
        first = seen.setdefault(folded[index], index)
        if first == index:
            continue
        other_path, other_source, _template = outputs[first]
        if other_path == path:
            message = _("{output} would have the same URL as {other}", output=shown(index), other=name(first))
        else:
            message = _(
                "{output} would have a URL that differs only in letter case or accents ({path}) as {other}",
                output=shown(index),
                path=other_path,
                other=name(first),
            )
        errors.append(clash(message, source, other_source))
    # A file that is also a folder: in sorted order, the first path at or after "x/" starts with it.
    ordered = sorted(seen)
    for file_key, hit in seen.items():
        after = bisect.bisect_left(ordered, file_key + "/")
        if after < len(ordered) and ordered[after].startswith(file_key + "/"):
            index = seen[ordered[after]]
            file_path, file_source, _template = outputs[hit]
            message = _(
                "{output} needs a folder '{path}/' where {other} writes the file '{path}'",
                output=shown(index),
                path=file_path,
                other=name(hit),
            )
            errors.append(clash(message, outputs[index][1], file_source))
    return errors
