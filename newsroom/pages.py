"""Site → the list of pages to write: one small planning function per page kind.

A new archive kind is one more function here and one template; nothing else changes. Every
function takes values and returns ``Page`` values, so the whole plan can be checked (for URL
clashes, for links) before a single file is rendered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .config import Config
from .errors import ContentError
from .model import Article, Page, Site, Term
from .urls import paginated

MONTH_NAMES = ("", *(f"Tháng {m}" for m in range(1, 13)))


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list, with what the template needs to link the others."""

    number: int
    total: int
    items: tuple
    urls: tuple[str, ...]  # the URL of every page of the list, first page first

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None


def paginate(items: Sequence, per_page: int, url: str, pattern: str) -> Iterator[tuple[str, Pager]]:
    """Split ``items`` into pages; an empty list still gets its first page."""
    total = max(1, -(-len(items) // per_page))
    urls = tuple(paginated(url, n, pattern) for n in range(1, total + 1))
    for n in range(1, total + 1):
        yield urls[n - 1], Pager(n, total, tuple(items[(n - 1) * per_page : n * per_page]), urls)


def plan_pages(site: Site, config: Config) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    pages: list[Page] = [home_page(site, config)]
    pages += article_pages(site)
    pages += category_pages(site, config)
    pages += date_pages(site, config)
    pages += term_pages(site, config)
    pages.append(Page("404.html", "404.html", {"title": "Không tìm thấy trang"}))
    return pages


def home_page(site: Site, config: Config) -> Page:
    sections = [
        {"section": s, "articles": s.articles[: config.home_per_category]}
        for s in site.categories
        if s.articles and config.home_per_category
    ]
    return Page(
        "",
        "home.html",
        {"title": config.title, "latest": site.articles[: config.home_latest], "sections": sections},
    )


def article_pages(site: Site) -> list[Page]:
    return [
        Page(
            a.url,
            "article.html",
            {"title": a.title, "article": a, "neighbours": site.neighbours[a.source], "terms": _terms_of(site, a)},
            (a.source,),
        )
        for a in site.articles
    ]


def _terms_of(site: Site, article: Article) -> dict:
    lookup = site.terms_by_name
    return {
        "author": lookup.get(("author", article.author)),
        "source_unit": lookup.get(("source_unit", article.source_unit)),
        "tags": [lookup[("tag", t)] for t in article.tags],
    }


def _list_pages(
    url: str, articles: Sequence[Article], config: Config, heading: str, crumbs: list, template="list.html", **extra
) -> list[Page]:
    pages = []
    for page_url, pager in paginate(articles, config.per_page, url, config.permalinks.page):
        title = heading if pager.number == 1 else f"{heading} - Trang {pager.number}"
        context = {"title": title, "heading": heading, "pager": pager, "breadcrumbs": crumbs, **extra}
        pages.append(Page(page_url, template, context))
    return pages


def category_pages(site: Site, config: Config) -> list[Page]:
    pages = []
    for section in site.categories:
        crumbs = [(section.category.name, section.url)]
        pages += _list_pages(section.url, section.articles, config, section.category.name, crumbs, kind="category")
    return pages


def date_pages(site: Site, config: Config) -> list[Page]:
    archive_url = config.permalinks.archive
    pages = [Page(archive_url, "archive.html", {"title": "Lưu trữ", "years": site.years})]
    for year in site.years:
        crumbs = [("Lưu trữ", archive_url), (f"Năm {year.year}", year.url)]
        pages += _list_pages(year.url, year.articles, config, f"Năm {year.year}", crumbs, "year.html", year=year)
        for month in year.months:
            heading = f"{MONTH_NAMES[month.month]}/{year.year}"
            pages += _list_pages(month.url, month.articles, config, heading, [*crumbs, (heading, month.url)])
    return pages


def term_pages(site: Site, config: Config) -> list[Page]:
    links = config.permalinks
    pages = []
    kinds: tuple[tuple[str, str, str, tuple[Term, ...]], ...] = (
        ("tag", "Chủ đề", links.tags, site.tags),
        ("author", "Tác giả", links.authors, site.authors),
        ("source_unit", "Đơn vị", links.source_units, site.source_units),
    )
    for kind, label, index_url, terms in kinds:
        pages.append(Page(index_url, "terms.html", {"title": label, "kind": kind, "terms": terms}))
        for term in terms:
            crumbs = [(label, index_url), (term.name, term.url)]
            pages += _list_pages(term.url, term.articles, config, f"{label}: {term.name}", crumbs, kind=kind)
    return pages


def url_clashes(pages: Sequence[Page], extra: Sequence[tuple[str, str]] = ()) -> list[ContentError]:
    """Two outputs at one path, also when they differ only by letter case or Unicode form.

    ``extra`` lists other outputs as (output path, source file), e.g. copied images. Such URLs
    would overwrite each other, or break on case-insensitive hosts.
    """
    seen: dict[str, tuple[str, str]] = {}
    errors = []
    outputs = [(p.output_path, p.sources[0] if p.sources else "", p.template) for p in pages]
    outputs += [(path, source, "") for path, source in extra]
    for path, source, template in outputs:
        key = unicodedata.normalize("NFC", path).casefold()
        if key not in seen:
            seen[key] = (path, source or f"the {template.removesuffix('.html')} page")
            continue
        other_path, other = seen[key]
        same = (
            "the same URL"
            if other_path == path
            else f"a URL that differs only in letter case or accents ({other_path})"
        )
        errors.append(
            ContentError(
                source or other,
                1,
                f"'{path}' would have {same} as {other}",
                'give one of them another slug (add a field  slug: "...")',
            )
        )
    return errors
