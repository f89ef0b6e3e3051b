"""Published articles → ``Site``: every index the pages need, built without any I/O.

Sorting is newest first with the source path as tie-breaker, so equal dates never make the
output depend on the order files were read. Names (tags, authors, source units) are ordered the
Vietnamese way (``slugs.sort_key``); spellings of one name (case and spacing aside) share one
page, and names that differ in a single mark ("Hùng", "Hưng") get pages of their own.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from .config import Config, MenuItem
from .content import PAGES_DIR, category_key
from .errors import ContentError
from .i18n import _
from .model import Article, CategorySection, InfoPage, MenuLink, Month, Neighbours, Site, Term, Year
from .slugs import slugify, sort_key


def is_published(article: Article, now: datetime, drafts: bool = False, future: bool = False) -> bool:
    """Drafts and articles dated after ``now`` stay out unless asked for."""
    return (drafts or not article.draft) and (future or article.date <= now)


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.source))


RelatedTable = dict[str, tuple[str | None, str | None, tuple[str, ...]]]  # source -> (previous, next, related)


def related_key(ordered: tuple[Article, ...], count: int) -> str:
    """What previous/next and related articles depend on: order, dates, categories and tags."""
    digest = hashlib.blake2b(str(count).encode(), digest_size=16)
    for a in ordered:
        digest.update("\0".join((a.source, a.date.isoformat(), a.category.slug, *a.tags)).encode() + b"\n")
    return digest.hexdigest()


def related_table(site: Site) -> RelatedTable:
    """The site's neighbours by source, to keep for the next build."""
    return {
        source: (
            n.previous.source if n.previous else None,
            n.next.source if n.next else None,
            tuple(a.source for a in n.related),
        )
        for source, n in site.neighbours.items()
    }


def make_site(
    articles: Iterable[Article],
    config: Config,
    known: tuple[str, RelatedTable] | None = None,
    pages: Iterable[InfoPage] = (),
    menu: tuple[MenuLink, ...] = (),
) -> Site:
    """Group published articles by category, date, tag, author and source unit.

    ``known`` is an earlier build's ``(related_key, related_table)``: when the key still matches,
    ranking related articles (the costly part) is skipped and the table reused.
    """
    ordered = tuple(newest_first(articles))
    key = related_key(ordered, config.related_count)
    links = config.permalinks
    by_category: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        by_category[article.category.slug].append(article)
    categories = tuple(
        CategorySection(c, links.category.format(slug=c.slug), tuple(by_category.get(c.slug, ())))
        for c in config.categories
    )
    terms_by_name: dict[tuple[str, str], Term] = {}
    tags = _terms(ordered, lambda a: a.tags, links.tag, "tag", terms_by_name)
    authors = _terms(ordered, lambda a: (a.author,) if a.author else (), links.author, "author", terms_by_name)
    units = _terms(
        ordered, lambda a: (a.source_unit,) if a.source_unit else (), links.source_unit, "source_unit", terms_by_name
    )
    return Site(
        articles=ordered,
        categories=categories,
        years=_years(ordered, config),
        tags=tags,
        authors=authors,
        source_units=units,
        neighbours=_reuse(known, key, ordered) or _neighbours(ordered, config.related_count),
        terms_by_name=terms_by_name,
        related_key=key,
        pages=tuple(sorted(pages, key=lambda p: p.url)),
        menu=menu,
    )


MENU_ROW = 6  # categories that fit one desktop row with "Trang chủ" and "Lưu trữ"; the rest go under "Chuyên mục khác"


def resolve_menu(config: Config, pages: Iterable[InfoPage]) -> tuple[tuple[MenuLink, ...], list[ContentError]]:
    """The main navigation: config.yaml's ``menu:`` with pages looked up, else the categories.

    A menu entry naming a page that does not exist (or is a draft) is an error at its line in
    config.yaml, so a broken link never reaches the menu of every page.
    """
    by_source = {p.source: p for p in pages}
    problems: list[ContentError] = []

    def link(item: MenuItem) -> MenuLink | None:
        children = tuple(filter(None, (link(child) for child in item.children)))
        if item.target == "category":
            category = next((c for c in config.categories if category_key(c.name) == category_key(item.value)), None)
            if category is None:
                close = config.closest_categories(item.value)
                hint = _("did you mean '{name}'?", name=close[0]) if close else _("use a name from  categories:")
                message = _("menu category '{name}' is not declared", name=item.value)
                problems.append(ContentError("config.yaml", item.line, message, hint))
                return None
            return MenuLink(
                item.name or category.name, config.permalinks.category.format(slug=category.slug), False, children
            )
        if item.target == "page":
            page = by_source.get(PAGES_DIR + item.value)
            if page is None:
                problems.append(
                    ContentError(
                        "config.yaml",
                        item.line,
                        _(
                            "menu page '{name}' does not exist (looked for {path})",
                            name=item.value,
                            path=PAGES_DIR + item.value,
                        ),
                        _(
                            "create the page, correct the path, or remove the menu entry (a draft page is not published)"
                        ),
                    )
                )
                return None
            return MenuLink(item.name or page.title, page.url, False, children)
        if item.target == "group":
            return MenuLink(item.name, "", False, children) if children else None
        external = "://" in item.value
        return MenuLink(item.name, item.value, external, children)

    if config.menu:
        return tuple(filter(None, (link(item) for item in config.menu))), problems
    sections = [MenuLink(c.name, config.permalinks.category.format(slug=c.slug)) for c in config.categories]
    # The two entries newsroom adds are named as data, ("more",) and ("archive",): the theme's ``say`` macro
    # (macros.html) words them in the site's language, like the labels of pages.py.
    if len(sections) > MENU_ROW:
        more = MenuLink(("more",), "", False, tuple(sections[MENU_ROW - 1 :]))  # type: ignore[arg-type]
        sections = [*sections[: MENU_ROW - 1], more]
    return (*sections, MenuLink(("archive",), config.permalinks.archive)), problems  # type: ignore[arg-type]


def _reuse(known, key: str, ordered: tuple[Article, ...]) -> dict[str, Neighbours] | None:
    if known is None or known[0] != key:
        return None
    by_source = {a.source: a for a in ordered}
    return {
        source: Neighbours(
            by_source[previous] if previous else None,
            by_source[following] if following else None,
            tuple(by_source[s] for s in related),
        )
        for source, (previous, following, related) in known[1].items()
    }


@functools.lru_cache(maxsize=4096)
def _term_slug(name: str) -> str:
    return slugify(name) or "khac"


@functools.lru_cache(maxsize=4096)
def name_identity(name: str) -> str:
    """Spellings of one name: letter case and spacing aside, every letter and mark counts.

    "Lê Văn Hùng" and "Lê Văn Hưng" are two people; "Nông thôn mới" and "nông thôn  mới" one topic.
    """
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _terms(ordered, names_of, pattern: str, kind: str, by_name: dict[tuple[str, str], Term]) -> tuple[Term, ...]:
    """One term per name (see ``name_identity``), each at its own URL; fills ``by_name``.

    Names whose slugs coincide (they differ only in diacritics) get ``slug``, ``slug-2``, ``slug-3``
    in the order they first appeared on the site (earliest article first), so a name that comes
    later never takes the URL of one already published.
    """
    groups: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for article in ordered:
        for name in names_of(article):
            identity = name_identity(name)
            groups[identity].append(article)
            spellings[identity][name] += 1
    first_seen = {identity: (members[-1].date.timestamp(), members[-1].source) for identity, members in groups.items()}
    by_slug: dict[str, list[str]] = defaultdict(list)
    for identity in groups:
        by_slug[_term_slug(identity)].append(identity)
    terms = []
    for slug, identities in by_slug.items():
        identities.sort(key=lambda i: (first_seen[i], i))
        for n, identity in enumerate(identities, 1):
            own = slug if n == 1 else f"{slug}-{n}"
            # The most used spelling names the page; ties go to dictionary order, for stable output.
            name = min(spellings[identity].items(), key=lambda item: (-item[1], sort_key(item[0])))[0]
            term = Term(name, own, pattern.format(slug=own), tuple(groups[identity]))
            terms.append(term)
            for spelling in spellings[identity]:
                by_name[(kind, spelling)] = term
    return tuple(sorted(terms, key=lambda t: (sort_key(t.name), t.slug)))


def _years(ordered, config: Config) -> tuple[Year, ...]:
    links = config.permalinks
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in ordered:
        by_month[(article.date.year, article.date.month)].append(article)
    years = []
    for year in sorted({y for y, _month in by_month}, reverse=True):
        months = tuple(
            Month(
                year,
                month,
                links.month.format(year=f"{year:04d}", month=f"{month:02d}"),
                tuple(by_month[(year, month)]),
            )
            for month in range(12, 0, -1)
            if (year, month) in by_month
        )
        members = tuple(a for m in months for a in m.articles)
        years.append(Year(year, links.year.format(year=f"{year:04d}"), months, members))
    return tuple(years)


def _neighbours(ordered: tuple[Article, ...], count: int, window: int = 12) -> dict[str, Neighbours]:
    """Previous/next in the same category and a few related articles (shared tags, then category).

    Related articles are looked for near each article in its tag and category lists (a window
    of neighbours in date order), which keeps this linear in the number of articles.
    """
    in_category: dict[str, list[Article]] = defaultdict(list)
    in_tag: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        in_category[article.category.slug].append(article)
        for tag in article.tags:
            in_tag[tag].append(article)
    by_source = {a.source: a for a in ordered}
    position = {}
    for members in (*in_category.values(), *in_tag.values()):
        for i, article in enumerate(members):
            position[(id(members), article.source)] = i

    stamp = {a.source: a.date.timestamp() for a in ordered}
    result = {}
    for article in ordered:
        source, when = article.source, stamp[article.source]
        siblings = in_category[article.category.slug]
        i = position[(id(siblings), source)]
        scores: dict[str, int] = {}
        for tag in article.tags:
            members = in_tag[tag]
            j = position[(id(members), source)]
            for other in members[max(0, j - window) : j + window + 1]:
                scores[other.source] = scores.get(other.source, 0) + 2
        for other in siblings[max(0, i - window) : i + window + 1]:
            scores[other.source] = scores.get(other.source, 0) + 1
        scores.pop(source, None)
        best = heapq.nsmallest(count, scores, key=lambda s: (-scores[s], abs(stamp[s] - when), s))
        result[source] = Neighbours(
            previous=siblings[i + 1] if i + 1 < len(siblings) else None,
            next=siblings[i - 1] if i > 0 else None,
            related=tuple(by_source[s] for s in best),
        )
    return result
