"""The body edit: a one-shot build whose only edits are articles' bodies, titles or summaries, done without
reading the whole site.

Bodies are what editors change most, and a body shows on few pages: its article's page and the
feeds. A title or a summary shows on a few more (the lists, the neighbours' pages, the search results),
but places the article nowhere. The preview keeps its last analysis in memory and patches bodies in
(``build.patched``); a command run has no memory, so the last good build leaves on disk what such a build
needs (cache.py, "page plan"):

- the ``bodies_plan`` record: what the build's inputs were (options, config and code as ``flags``;
  every file but the articles as ``others``; each article file's size and mtime, and which were
  racy), what the templates' environment was made of (the static files' versions, the menu), and
  when time alone changes the site (the next scheduled article);
- a ``plan`` row per page: its fingerprint, template, URL and context, each article in it standing in
  by name (``Ref``), and whether its template shows bodies (``render.BodyReaders``);
- an ``item`` row per published article or page: its fields as pages show them and how its
  body's HTML is filled in (``build.BodyRecipe``).

While the flags and the other files are as they were, no article came or went, the next scheduled
article is not due, and each edited article reads the same but for its body's text
(``build._only_body_differs``), nothing but those bodies can differ from the last build: the site's
plan holds, every page that does not show a body is what it was (a template that never names
``body_html`` gets it empty), and the pages that show an edited article are those the page index
names. Those are rendered from their plans with the new bodies, the search index's shards holding
the terms the edit touched are made again, and every other file is kept as it is.

An article whose title or summary changed as well, its front matter otherwise written alike line for line
(``edit_kind``), keeps its place too (the fields that place an article are those of ``Fingerprinter.card``):
then every page showing it is rendered from its plan, with the article's fields anew, and so is the search
results file holding it. Its own page's context copies its title (``pages.article_pages``); any other copy
of the old words in a stored context is something the plan cannot redo, and sends the build the long way.

Whatever the record cannot vouch for (a row missing or damaged, a page the index does not know,
more than ``MOST_PATCHED`` edits, an output folder not as the last build left it) sends the build
the long way, which gives the same output. A differential test compares the two.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import codec
from .cache import ArticleEntry, BodyEntry, BuildCache, InputScan, save_articles, save_meta
from .config import Category
from .errors import ThemeError
from .model import (
    Article,
    BodyPictures,
    CategorySection,
    Feed,
    FeedLink,
    InfoPage,
    MenuLink,
    Month,
    MonthLink,
    NamedLink,
    Neighbours,
    Page,
    SectionLink,
    Term,
    Year,
    YearLink,
)
from .output import MARKER, Staging, interrupted

if TYPE_CHECKING:
    from .build import Analysis, BuildOptions, BuildReport
    from .config import Config


@dataclass(frozen=True, slots=True)
class Ref:
    """An article or page in a stored plan, by its source: its fields are stored once, in its ``item`` row."""

    source: str


def _register() -> None:
    from .build import BodyRecipe
    from .pages import Pager

    codec.register(
        Ref,
        Neighbours,
        NamedLink,
        FeedLink,
        Feed,
        MonthLink,
        YearLink,
        SectionLink,
        Term,
        Year,
        Month,
        CategorySection,
        MenuLink,
        Pager,
        BodyRecipe,
        BodyPictures,
    )


_register()


# --- what a build leaves for the next ------------------------------------------------------------


def record(flags: str, scan: InputScan, analysis: Analysis, versions: dict[str, str], environment: str) -> dict | None:
    """The ``bodies_plan`` record of a good build: the inputs it saw and what its templates' environment was made of."""
    assert analysis.site is not None
    if not all(_storable(path) for path in scan.articles):
        return None  # a file name that is not UTF-8 (reported): no body edit until it is renamed
    return {
        "flags": flags,
        "others": scan.others,
        "articles": _stats_text(scan.articles),
        "racy": sorted(scan.racy),
        "next_change": analysis.next_change,
        "versions": versions,
        "menu": analysis.site.menu,
        "environment": environment,
    }


def _stats_text(articles: dict[str, tuple[int, int]]) -> str:
    """Each article file's size and mtime as one text (NUL-separated: no path holds one): 10,000 of them are
    written and read back in a few milliseconds, where a JSON object of lists takes ten times as long."""
    return "\0".join(f"{size}\0{mtime}\0{path}" for path, (size, mtime) in articles.items())


def _edited(before: str, now: str) -> list[str] | None:
    """The article files whose (size, mtime) differ between two ``_stats_text``s; None when the two do not list
    the same files in the same order (an article came or went) or ``before`` is not such a text. Compared as
    text, field by field: at 100,000 articles, reading the facts back into numbers took a fifth of a second."""
    if not isinstance(before, str):
        return None
    old, new = before.split("\0"), now.split("\0")
    if len(old) != len(new) or len(old) % 3 or old[2::3] != new[2::3]:
        return None
    return [
        path
        for path, size, size_now, mtime, mtime_now in zip(
            new[2::3], old[0::3], new[0::3], old[1::3], new[1::3], strict=True
        )
        if size != size_now or mtime != mtime_now
    ]


def _storable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def plan_row(fingerprint: str, page: Page, shows_bodies: bool, shows_articles: bool) -> bytes:
    """A page's stored plan: the fingerprint it was made for, template, URL, context (articles by name) and
    whether its template shows bodies. A body edit renders again only the pages showing bodies (the others
    cannot change); a title or summary edit renders every page showing the article. A page that shows no
    article (``shows_articles`` false: a sitemap, whose context is every page's address) is never rendered
    from its plan, and its row has no context. A page without a row is not known, and an edit that shows on
    it goes the long way, as it does when the context holds something the store cannot keep (the row is then
    empty)."""
    try:
        context = _with_refs(page.context) if shows_articles else None
        return codec.encode([fingerprint, page.template, page.url, context, shows_bodies])
    except (TypeError, ValueError):
        return b""


def item_row(digest: str, item: Article | InfoPage, recipe) -> bytes:
    """An article's (or page's) stored fields for the digest they were made for, its body's HTML left out,
    and how that HTML is filled (empty, like a plan, when the store cannot keep them)."""
    try:
        return codec.encode([digest, item, recipe])
    except (TypeError, ValueError):
        return b""


# What page contexts hold that never holds an article: kept as it is, not walked through.
_NO_ARTICLES = frozenset(
    (
        str,
        int,
        bool,
        float,
        type(None),
        datetime,
        Category,
        NamedLink,
        FeedLink,
        MonthLink,
        YearLink,
        SectionLink,
        MenuLink,
    )
)


def _with_refs(value):
    """The value with each article and page in it replaced by its ``Ref``."""
    kind = type(value)
    if kind in _NO_ARTICLES:
        return value
    if kind is Article or kind is InfoPage:
        return Ref(value.source)
    if kind is dict:
        return {key: _with_refs(v) for key, v in value.items()}
    if kind is list:
        return [_with_refs(v) for v in value]
    if kind is tuple:
        return tuple(_with_refs(v) for v in value)
    names = _field_names(kind)
    if names is not None:
        return kind(*[_with_refs(getattr(value, name)) for name in names])
    return value


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's fields, in order (None for anything else): looked up once per class."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


def _resolved(value, items: dict[str, Article | InfoPage]):
    """``_with_refs`` undone: each ``Ref`` becomes the article it names (KeyError: not among ``items``)."""
    kind = type(value)
    if kind is Ref:
        return items[value.source]
    if kind is dict:
        return {key: _resolved(v, items) for key, v in value.items()}
    if kind is list:
        return [_resolved(v, items) for v in value]
    if kind is tuple:
        return tuple(_resolved(v, items) for v in value)
    names = _field_names(kind)
    if names is not None and kind is not Article and kind is not InfoPage:
        return kind(*[_resolved(getattr(value, name), items) for name in names])
    return value


def _leaves(value) -> Iterator:
    """Each article standing in by name (``Ref``) and each text in a stored context, a ``Ref``'s own name
    not counted as a text."""
    kind = type(value)
    if kind is Ref or kind is str:
        yield value
    elif kind is dict:
        for v in value.values():
            yield from _leaves(v)
    elif kind is list or kind is tuple:
        for v in value:
            yield from _leaves(v)
    elif (names := _field_names(kind)) is not None:
        for name in names:
            yield from _leaves(getattr(value, name))


# Fields of an article that only show it, never place it (``Fingerprinter.card`` leaves them out): a
# one-shot build may change them on the pages showing the article without planning the site again.
_SHOWN_ARTICLE_FIELDS = ("title", "summary", "lead_in_body", "body_md", "body_line", "legacy_views")


def edit_kind(before: ArticleEntry, body: BodyEntry, now) -> str | None:
    """What an edit changed, as this build can redo it: ``"body"`` (only the body's text and what it
    renders to, ``build._only_body_differs``), ``"shown"`` (also an article's title or summary: the
    front matter is otherwise written alike, line for line, ``content.Parsed.front``), or None (anything
    else: the long way). ``now`` is the file read anew (``build._Read``)."""
    from .build import _only_body_differs

    if _only_body_differs(before, body, now):
        return "body"
    new, old = now.entry.parsed, before.parsed
    if now.body is None or type(new.article) is not Article or type(old.article) is not Article:
        return None  # a page's title names it in menus and lists of pages: the long way
    if (new.problems, new.front, now.entry.parsed_with) != (old.problems, old.front, before.parsed_with):
        return None
    kept = {name: getattr(old.article, name) for name in _SHOWN_ARTICLE_FIELDS}
    if dataclasses.replace(new.article, **kept) != old.article:
        return None
    if (now.body.images, now.body.files) != (body.images, body.files):
        return None
    blank = {"html": "", "words": "", "summary": "", "first_paragraph": ""}
    return "shown" if dataclasses.replace(now.body.body, **blank) == dataclasses.replace(body.body, **blank) else None


def _shown_anew(stored: Article, now) -> Article:
    """An article's stored fields (as pages show them) with its shown fields as read now, as ``build.analyse``
    would make them."""
    article, body = now.entry.parsed.article, now.body
    return dataclasses.replace(
        stored,
        title=article.title,
        summary=article.summary or body.body.summary,
        lead_in_body=body.lead_in_body,
        body_md=article.body_md,
        body_line=article.body_line,
        legacy_views=article.legacy_views,
    )


def _own_context(context: dict, before: Article, now: Article) -> dict | None:
    """An article page's stored context with the title and description ``pages.article_pages`` copies from the
    article made anew; None when it does not hold them as that function writes them."""
    if context.get("title") != before.title or context.get("description") != (before.summary or before.title):
        return None
    return {**context, "title": now.title, "description": now.summary or now.title}


# --- the build ----------------------------------------------------------------------------------


def build_bodies(
    site_dir: Path,
    output: Path,
    config: Config,
    options: BuildOptions,
    cache: BuildCache,
    scan: InputScan,
    flags: str,
    now: datetime,
    step,
    started: float,
) -> BuildReport | None:
    """Put the edited bodies into the last build's output; None when the record cannot vouch for it
    (then nothing was written, and the caller builds the long way)."""
    from .build import MOST_PATCHED, _ArticleReader, _digest_head

    store, last = cache.store, cache.last_build
    if store is None or last is None or interrupted(output) or not (output / MARKER).is_file():
        return None
    plan = store.info("bodies_plan")
    stats = _stats_text(scan.articles)
    edited = _edited_articles(plan, flags, scan, now, stats)
    if edited is None:
        return None
    if not edited or len(edited) > MOST_PATCHED:
        return None
    sources = {path: Path(os.path.relpath(path, site_dir)).as_posix() for path in edited}
    before_articles, before_bodies = store.entries(list(sources.values()))
    reader = _ArticleReader(site_dir, config, BuildCache(articles=before_articles, bodies=before_bodies))
    reads = {}  # the edited articles as read now, with their bodies as stored
    shown = {}  # those whose title or summary changed too
    for path, source in sources.items():
        before, body = before_articles.get(source), before_bodies.get(source)
        if before is None or body is None:  # not an article, or one that had no body
            return None
        now_read = reader.read((source, path))
        kind = edit_kind(before, body, now_read)
        if kind is None:
            return None
        reads[source] = (now_read, body)
        if kind == "shown":
            shown[source] = now_read
    showing = store.pages_showing(list(reads))  # the pages that may change: only their rows are read
    if showing is None:
        return None
    # Only the rows of the pages that may change and the cards of the articles they show are read.
    store.load_tables(cache, showing, trees=False, cards=False)
    store.more_cards(cache, reads)
    if cache.page_environment != plan["environment"]:
        return None
    changed = {}  # source -> (digest before, digest now)
    fresh, anew = {}, {}  # the edited articles; the HTML of the bodies rendered anew
    for source, (now_read, body) in reads.items():
        head = _digest_head(source, body)
        before = cache.cards[source][0] if source in cache.cards else ""
        if not before.startswith(head):  # not published, or not as it was
            return None
        changed[source] = (before, _digest_head(source, now_read.body) + before[len(head) :])
        fresh[source] = now_read
        if not now_read.reused:  # else the same bytes: the stored body stands, its HTML in the store
            anew[source] = now_read.body.body.html

    planned = _planned_pages(store, cache, list(fresh), showing, shown)
    if planned is None:
        return None
    pages, plan_rows, items, recipes = planned
    from .fingerprint import Fingerprinter
    from .render import find_theme, make_environment, render_pages
    from .search import SearchIndexer, key_after
    from .urls import href

    digests = {source: digest for source, (digest, _card) in cache.cards.items()}
    digests.update((source, now) for source, (_before, now) in changed.items())
    # Which templates show bodies is in the rows: the templates are among the other files, as they were.
    env = make_environment(config, find_theme(config), plan["versions"], {"menu": plan["menu"]})
    fingerprints = Fingerprinter(plan["environment"], digests)
    looked = [fingerprints.page_and_shown({"url": p.url, "template": p.template, "context": p.context}) for p in pages]
    if not _fill_bodies(store, config, items, recipes, anew):
        return None
    try:
        made = {page.output_path: data for page, data in render_pages(env, pages)}
    except ThemeError:  # the long way says it the way it always does (or finds the rows were wrong)
        return None

    # Only the tree rows of the files written and of the paths where staging and output differ are read: the
    # rest of staging is as output is. Both trees must be there as the record says (else: the long way).
    if not store.tree_rows(cache, made):
        return None
    staging = Staging(output, cache.output_manifest, cache.staging_manifest)
    if staging.output_manifest is None:  # not the tree the record describes
        return None
    if cache.trees_part is not None and staging.staging_manifest is None:  # staging is not as the record says
        return None
    search_files: dict[str, bytes] = {}
    search_table = None
    if options.search:  # the last thing that may send the build the long way; it writes its own record
        indexed = cache.search  # (key, files) of the index the last good build published
        folder = config.permalinks.search + "index/"
        # The record was saved with the cards in one transaction: its key is that of these articles' digests.
        new_key = key_after(indexed[0], changed) if indexed else None
        if new_key is None:
            return None
        indexer = SearchIndexer(store, config.search_segment)
        shown_rows = {s: (href(config, items[s].url), items[s].title, items[s].summary) for s in shown}
        chunks = indexer.retitled_chunks(folder, shown_rows, indexed[1], functools.partial(_published, output))
        if chunks is None:
            return None
        terms = {source: item.body.search_terms for source, item in fresh.items()}
        result = indexer.edited_files(terms, folder, indexed[1])
        if result is None:
            return None
        search_files = {**result[0], **chunks}
        if not store.tree_rows(cache, [*made, *search_files]):  # read a moment ago: only a busy file fails here
            return None  # the search record just saved is then ahead of the output, and is not trusted (edited_files)
        search_table = {**indexed[1], **{path: _digest(data) for path, data in search_files.items()}}

    for item in fresh.values():
        cache.put_article(item.source, item.entry)
        if item.source in anew:
            cache.put_body(item.source, item.body)

    step("analysed")
    folder = store.folder
    save_articles(folder, cache)
    # The rows of the plan say which fingerprint and digest they were made for: those changed with the bodies.
    store.put_rows(
        "plan",
        (
            (page.output_path, codec.encode([fingerprint, *row[1:]]))
            for page, row, (fingerprint, _shown) in zip(pages, plan_rows, looked, strict=True)
        ),
    )
    store.put_rows(
        "item",
        ((s, item_row(digests[s], dataclasses.replace(items[s], body_html=""), recipes[s])) for s in fresh),
    )
    step("articles-saving")
    staging.begin()
    step("staging-begun")
    desired = dict(staging.output_manifest)
    for page, (fingerprint, shown) in zip(pages, looked, strict=True):
        path = page.output_path
        digest = _digest(made[path])
        staging.put(path, digest, made[path])
        desired[path] = digest
        cache.pages[path] = (fingerprint, digest)
        cache.shown_changes[path] = shown
    step("pages-staged")
    for path, data in search_files.items():
        digest = _digest(data)
        staging.put(path, digest, data)
        desired[path] = digest
    for path, digest in staging.output_manifest.items():
        if path not in made and path not in search_files:
            staging.put(path, digest, None)  # the rest: as the last build left it
    step("files-staged")
    # Output's files after this build: with only some rows read, the record's count and the files added.
    # With only some rows read, ``desired`` holds only those paths; ``Staging.finish`` relinks a preserved
    # entry from output unless a desired path lies inside it, which is right here too: outside the rows read,
    # staging is as output is, so output's copy of an entry the build writes nothing into is what staging holds.
    files = cache.trees_part[1] if cache.trees_part is not None else len(staging.output_manifest)
    files += len(desired) - len(staging.output_manifest)
    written = staging.finish(desired, config.preserve)
    step("swapped")
    if cache.trees_part is not None:  # outside the rows read, staging is as output (the record said so)
        after, before = staging.output_manifest, staging.staging_manifest or {}
        cache.trees_part = (sorted(p for p in after.keys() | before.keys() if after.get(p) != before.get(p)), files)
    if search_table is not None:
        cache.search = (new_key, search_table)
    for source in fresh:
        cache.cards[source] = (digests[source], cache.cards[source][1])
    cache.bodies_plan = {**plan, "articles": stats, "racy": sorted(scan.racy)}
    cache.output_manifest = staging.output_manifest
    cache.staging_manifest = staging.staging_manifest
    cache.last_build = {**last, "signature": scan.signature + flags}
    cache.meta_dirty = True
    save_meta(folder, cache)
    step("cache-saved")
    staging.committed()
    step("committed")
    from .build import BuildReport

    count, page_count, _files = last["report"]
    return BuildReport(
        articles=count,
        pages=page_count,
        rendered=len(made),
        written=written.written,
        unchanged=files - written.written,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=last["warnings"],
        skipped=last["skipped"],
        bodies_only=True,
    )


def _edited_articles(plan, flags: str, scan: InputScan, now: datetime, stats: str) -> list[str] | None:
    """The article files edited since the last good build (those whose size or mtime changed, and those too
    recent then to tell), when that build saw the same options, config, code and other files, the same
    article files (in the scan's order, which is sorted), and no scheduled article has come due since; else
    None. ``stats``: ``_stats_text`` now."""
    if not isinstance(plan, dict):
        return None
    try:
        holds = (
            plan["flags"] == flags
            and plan["others"] == scan.others
            and isinstance(plan["next_change"], datetime)
            and now < plan["next_change"]
            and isinstance(plan["racy"], list)
            and all(isinstance(path, str) for path in plan["racy"])
            and isinstance(plan["versions"], dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in plan["versions"].items())
            and isinstance(plan["menu"], tuple)
            and all(isinstance(link, MenuLink) for link in plan["menu"])
            and isinstance(plan["environment"], str)
        )
        edited = _edited(plan["articles"], stats) if holds else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if edited is None:
        return None
    return edited + [path for path in plan["racy"] if path not in edited and path in scan.articles]


def _planned_pages(store, cache: BuildCache, sources: list[str], showing: set[str], shown: dict):
    """The pages showing these articles (``showing``, from the page index) that may change, rebuilt from their
    plans: those whose templates show bodies, or all of them when a title or summary changed (``shown``: the
    articles read anew whose did). (pages, each one's plan as stored, the articles they show (one object each,
    the ``shown`` ones with their fields anew), how each one's body is filled). None when a page, a plan or an
    article's row cannot be read, or was not made for the last good build (its fingerprint, its digest)."""
    from .build import BodyRecipe, _own_pages_known

    if not showing <= cache.pages.keys():
        return None
    plans = {}
    rows = store.plans(sorted(showing))
    if rows.keys() != showing:
        return None
    for path, value in rows.items():
        if not (isinstance(value, list) and len(value) == 5 and all(isinstance(v, str) for v in value[:3])):
            return None
        # A page the index says shows an article was stored with its context (``plan_row``).
        if value[0] != cache.pages[path][0] or not isinstance(value[3], dict) or type(value[4]) is not bool:
            return None
        if shown or value[4]:  # else its template shows no body, and the page stays as it is
            plans[path] = value
    # The edited articles too, though no page showing a body may show them: their rows are made anew.
    shown_refs = (leaf.source for value in plans.values() for leaf in _leaves(value[3]) if type(leaf) is Ref)
    wanted = sorted(set(sources).union(shown_refs))
    store.more_cards(cache, wanted)
    items: dict[str, Article | InfoPage] = {}
    recipes = {}
    for source, value in store.items(wanted).items():
        if not (isinstance(value, list) and len(value) == 3 and type(value[1]) in (Article, InfoPage)):
            return None
        digest, items[source], recipes[source] = value
        made_for = cache.cards[source][0] if source in cache.cards else None
        if digest != made_for or items[source].source != source or type(recipes[source]) is not BodyRecipe:
            return None
    if items.keys() != set(wanted) or not _own_pages_known(sources, items, showing):
        return None
    stale: set[str] = set()  # the titles and summaries shown before, which no context may still hold
    for source, now_read in shown.items():
        before = items[source]
        if type(before) is not Article:
            return None
        items[source] = now = _shown_anew(before, now_read)
        stale.update(old for old, new in ((before.title, now.title), (before.summary, now.summary)) if old != new)
        for path, value in plans.items():
            if value[3].get("article") == Ref(source):  # its own page: the context copies its title
                context = _own_context(value[3], before, now)
                if context is None:
                    return None
                plans[path] = [*value[:3], context, value[4]]
    stale.discard("")
    if stale and any(leaf in stale for value in plans.values() for leaf in _leaves(value[3]) if type(leaf) is str):
        return None
    pages = []
    for path, (_fingerprint, template, url, context, _bodies) in sorted(plans.items()):
        page = Page(url, template, _resolved(context, items))
        if page.output_path != path:
            return None
        pages.append(page)
    return pages, [plans[page.output_path] for page in pages], items, recipes


def _fill_bodies(store, config: Config, items: dict, recipes: dict, anew: dict[str, str]) -> bool:
    """Put the final HTML into the bodies of these articles (those rendered anew from ``anew``, the others
    from the store); False when a stored body is missing."""
    from .build import final_html

    stored = store.body_html([source for source in items if source not in anew])
    for source, item in items.items():
        raw = anew[source] if source in anew else stored.get(source)
        if raw is None:
            return False
        object.__setattr__(item, "body_html", final_html(raw, recipes[source], config))
    return True


def _published(output: Path, path: str) -> bytes | None:
    """A file of the last build's output, or None when it cannot be read."""
    try:
        return (output / path).read_bytes()
    except OSError:
        return None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
