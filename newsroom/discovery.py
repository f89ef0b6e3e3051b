"""Planning what machines read: Atom and RSS feeds, sitemaps and robots.txt.

Feeds exist for the whole site, each category and each source unit; each is the newest
``feed_size`` articles. The sitemap lists every published HTML page with the newest change among
the articles it shows; past 50,000 URLs (the protocol's limit) it becomes a sitemap index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from .config import Config
from .model import Article, CategorySection, Feed, Page, Site, Term

SITEMAP_LIMIT = 50_000
FEED_FILE = "feed.xml"
RSS_FILE = "rss.xml"


def newest_change(articles: Iterable[Article]) -> datetime | None:
    """The latest ``updated`` or ``date`` among articles; None for an empty list."""
    return max((a.last_modified for a in articles), default=None)


def site_feed(site: Site, config: Config) -> Feed:
    return Feed(config.title, FEED_FILE, RSS_FILE, "", site.articles[: config.feed_size])


def group_feed(name: str, url: str, articles: Sequence[Article], config: Config) -> Feed:
    """The feeds of a group with its own page (a category, a source unit), beside that page."""
    return Feed(f"{name} | {config.title}", url + FEED_FILE, url + RSS_FILE, url, tuple(articles[: config.feed_size]))


def category_feed(section: CategorySection, config: Config) -> Feed:
    return group_feed(section.category.name, section.url, section.articles, config)


def unit_feed(term: Term, config: Config) -> Feed:
    return group_feed(term.name, term.url, term.articles, config)


def feed_pages(feeds: Sequence[Feed], config: Config) -> list[Page]:
    pages = []
    for feed in feeds:
        context = {"feed": feed, "updated": newest_change(feed.articles)}
        pages.append(Page(feed.atom_url, "atom.xml", context, in_sitemap=False))
        pages.append(Page(feed.rss_url, "rss.xml", context, in_sitemap=False))
    return pages


def sitemap_pages(pages: Sequence[Page], config: Config, limit: int = SITEMAP_LIMIT) -> list[Page]:
    """One sitemap.xml, or a sitemap index over numbered sitemaps when there are too many URLs."""
    entries = [(p.url, p.lastmod) for p in pages if p.in_sitemap]
    if len(entries) <= limit:
        return [Page("sitemap.xml", "sitemap.xml", {"entries": entries}, in_sitemap=False)]
    chunks = [entries[i : i + limit] for i in range(0, len(entries), limit)]
    parts = [
        Page(f"sitemap-{n}.xml", "sitemap.xml", {"entries": chunk}, in_sitemap=False)
        for n, chunk in enumerate(chunks, 1)
    ]
    index = [(p.url, max((m for _, m in p.context["entries"] if m), default=None)) for p in parts]
    return [Page("sitemap.xml", "sitemap-index.xml", {"sitemaps": index}, in_sitemap=False), *parts]


def robots_page(config: Config) -> Page:
    return Page("robots.txt", "robots.txt", {}, in_sitemap=False)
