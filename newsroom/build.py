"""The build, start to end: the only place where the steps are put in order.

    config → the last build's record (cache.py): nothing changed → done
    → (a one-shot build, only bodies changed → the stored page plan: ``body_edit.build_bodies``)
    → (a process that builds again: only bodies changed → the kept analysis, patched: ``patched``)
    → read + parse articles (memo: parse) → keep the published ones → render their Markdown
    (memo: body; on all cores) → photos (.cache/images) → make_site → plan_pages → check URLs
    → fingerprint each page → put the final HTML into the bodies the changed pages show (memo: body
    HTML, read for those only) → render the pages whose fingerprint changed (memo: page; on all cores)
    → search index (memo: postings; only what an edit touched) → stage only what differs
    → swap output atomically → save what changed (memo: rows, and the record a body edit starts from)

What is memoised, keyed by what, stored how and read when is ``cache.py``'s business alone (its
docstring has the table); this module only asks it. Every step before staging is pure or
read-only; problems from all of them are collected, so an editor sees every mistake at once, and
nothing is written unless there are none. ``check`` runs the same steps read-only, without the memo.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .builtin import BUILTIN_THEMES
from .cache import (
    ArticleEntry,
    BodyEntry,
    BuildCache,
    InputScan,
    Store,
    cache_dir,
    load_articles,
    load_cache,
    load_meta,
    save_articles,
    save_cache,
    save_meta,
    scan_inputs,
    settled,
)
from .config import Config, load_config
from .errors import BuildFailed, ContentError, DamagedRecord, ThemeError
from .fingerprint import code_fingerprint
from .i18n import Text, _, os_error_text
from .model import Article, Asset, BodyPictures, InfoPage, Page, Site, output_path
from .output import MARKER, MARKER_TEXT, BuildLock, Staging, WriteReport, check_output_dir, interrupted
from .urls import href

if TYPE_CHECKING:
    from .content import Parsed
    from .render import Theme

# The steps' own modules (Markdown, templates, photos, search) are imported by the functions that run
# those steps, not here: a rebuild of an unchanged site stops before any of them, and importing them
# would be most of its time.


@dataclass(frozen=True)
class BuildOptions:
    """What the command line (or the preview server) asks of one build."""

    output: Path | None = None  # default: SITE/output
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    force: bool = False
    clean: bool = False  # ignore the build cache
    now: datetime | None = None  # for tests; default: the real time
    search: bool = True  # build the search index
    lock_wait: float = 120.0  # seconds to wait for another build of the same output folder to finish
    # For fault-injection tests only: called with the name of each step boundary (see STEPS).
    checkpoint: Callable[[str], None] | None = field(default=None, compare=False, repr=False)


# The boundaries between a build's steps, in order: a test can stop a build at each one.
STEPS = (
    "locked",
    "analysed",
    "articles-saving",
    "staging-begun",
    "pages-staged",
    "files-staged",
    "swapped",
    "cache-saved",
    "committed",
)


@dataclass
class BuildReport:
    """What a build did, for the closing summary line."""

    articles: int = 0
    pages: int = 0
    rendered: int = 0  # pages whose template ran (the others were unchanged)
    written: int = 0  # output files new or changed
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    warnings: list[ContentError] = field(default_factory=list)
    skipped: list[tuple[str, Text]] = field(default_factory=list)  # (source, why) for drafts/future
    bodies_only: bool = False  # only edited bodies were put into the last build (``body_edit``)


@dataclass(frozen=True)
class Analysis:
    """The site read, checked and planned, before any page is rendered."""

    config: Config
    articles: tuple[Article, ...]
    digests: dict[str, str]  # source -> digest of everything the article's fields came from
    next_change: datetime  # when time alone will change the site (the next scheduled article)
    site: Site | None
    pages: tuple[Page, ...]
    theme: Theme | None
    static: dict[str, Path]  # output path -> theme or site static file
    assets: dict[str, str]  # output path -> site-relative source (images beside articles)
    errors: list[ContentError]
    warnings: list[ContentError]
    skipped: list[tuple[str, Text]]
    search_terms: dict[str, str]  # source -> what it adds to the search index (one term a line)
    # Static files published processed by the photo step (a logo that is also an article's picture):
    # not copied, but templates still ask for them by name, so they keep a version.
    processed_static: dict[str, Path] = dataclasses.field(default_factory=dict)
    bodies: dict[str, BodyRecipe] = dataclasses.field(default_factory=dict)  # source -> how its HTML is made


@dataclass(frozen=True)
class BodyRecipe:
    """How a published article's final HTML is made from its rendered body: the links' outcomes and its
    pictures. Analysing the site needs neither the HTML nor these; only the pages a build renders do
    (``fill_bodies``), so a one-article edit does not read 10,000 bodies back from the memo."""

    links: tuple = ()
    outcomes: tuple = ()
    pictures: BodyPictures | None = None


@dataclass(frozen=True)
class SiteBuild:
    """A whole site rendered in memory (for ``check``): the files and what was found on the way."""

    config: Config
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    files: dict[str, bytes | Path]  # empty when there are errors
    errors: list[ContentError]
    warnings: list[ContentError]
    skipped: list[tuple[str, Text]]


Progress = Callable[[str, int, int], None]


def analyse(
    site_dir: Path,
    config: Config,
    options: BuildOptions,
    cache: BuildCache,
    progress: Progress | None = None,
    check_unpublished: bool = False,
    read_only: bool = False,
) -> Analysis:
    """Read, check and plan the site, reusing what the cache still vouches for."""
    from . import svg
    from .images import attach as attach_photos
    from .markdown import UNREADABLE, link_outcomes
    from .pages import plan_pages, url_clashes
    from .render import find_theme
    from .site import is_published, make_site, related_table, resolve_menu

    now = options.now or datetime.now(config.tz)
    problems: list[ContentError] = []
    read = _read_articles(site_dir, config, cache, progress, problems)
    parsed: list[tuple[Article | InfoPage, BodyEntry]] = []
    for item in read:
        problems.extend(item.entry.parsed.problems)
        if item.entry.parsed.article is not None and item.body is not None:
            parsed.append((item.entry.parsed.article, item.body))

    published_sources = set()
    skipped = []
    for item, _body in parsed:
        if isinstance(item, InfoPage):
            if options.drafts or not item.draft:
                published_sources.add(item.source)
            else:
                skipped.append((item.source, _("draft")))
        elif is_published(item, now, options.drafts, options.future):
            published_sources.add(item.source)
        else:
            why = _("draft") if item.draft else _("scheduled for {date}", date=f"{item.date:%Y-%m-%d %H:%M}")
            skipped.append((item.source, why))
    # Articles with errors of their own: links to them are not reported again as missing.
    link_map: dict[str, str | None] = {item.source: UNREADABLE for item in read if item.entry.parsed.article is None}
    link_map.update({a.source: (a.url if a.source in published_sources else None) for a, _ in parsed})

    items: list[Article | InfoPage] = []
    bodies: dict[str, BodyRecipe] = {}
    files: dict[str, tuple[Asset, ...]] = {}  # source -> documents and videos it publishes as they are
    digests: dict[str, str] = {}
    for item, entry in parsed:
        published = item.source in published_sources
        if not (published or check_unpublished):
            continue
        body = entry.body
        problems.extend(body.problems)
        link_problems, outcomes = link_outcomes(item.source, body.links, link_map)
        problems.extend(link_problems)
        if not published:
            continue
        bodies[item.source] = BodyRecipe(body.links, outcomes)
        changes = {
            "body_html": "",  # made for the pages that are rendered (fill_bodies): most rebuilds show few bodies
            "summary": item.summary or body.summary,
            "lead_in_body": entry.lead_in_body,
            "image": item.image or body.first_image,
            "assets": body.assets,
        }
        state = ""
        if body.files:
            files[item.source] = body.files
        if isinstance(item, Article):
            changes["scheduled"] = item.date > now
            state = f"{changes['scheduled']}"
            if item.document is not None:
                document, asset = _document_file(site_dir, item, problems)
                changes["document"] = document
                if asset:
                    files[item.source] = (*files.get(item.source, ()), asset)
                state += f":{document.size}:{document.file}"
        items.append(dataclasses.replace(item, **changes))
        # Everything the article's fields came from: its path and bytes, the config, the body, its links.
        digests[item.source] = f"{_digest_head(item.source, entry)}{outcomes}:{state}"

    pictures: dict[str, BodyPictures] = {}
    items, photo_static = attach_photos(
        site_dir, config, items, digests, problems, progress, read_only, options.clean, pictures
    )
    bodies = {source: BodyRecipe(r.links, r.outcomes, pictures.get(source)) for source, r in bodies.items()}
    # Documents and videos are copied as they are, after the photo step (which would take them for photos).
    items = [dataclasses.replace(i, assets=(*i.assets, *files[i.source])) if i.source in files else i for i in items]
    articles = [item for item in items if isinstance(item, Article)]
    info_pages = [item for item in items if isinstance(item, InfoPage)]
    menu, menu_problems = resolve_menu(config, info_pages)
    problems.extend(menu_problems)
    site = make_site(articles, config, cache.related, info_pages, menu)
    cache.related = (site.related_key, related_table(site))
    pages = tuple(plan_pages(site, config))
    theme = find_theme(config)
    theme_static = theme.static_files()
    static = {p: f for p, f in theme_static.items() if p not in photo_static}  # photos: processed
    processed_static = {p: f for p, f in theme_static.items() if p in photo_static}
    static.update({p: f for p, f in _icons(site_dir, config, problems, read_only).items() if p not in static})
    assets = {asset.output_path: asset.source for a in items for asset in a.assets}
    problems.extend(svg.check_files(static, site_dir))  # published as they are: no script may ride along
    static_sources = [(p, _shown(f, site_dir)) for p, f in static.items()]
    static_shown = {shown for _path, shown in static_sources}
    problems.extend(url_clashes(pages, [*assets.items(), *static_sources], static_shown))
    problems.extend(_too_long(pages))
    errors = sorted((p for p in problems if not p.warning), key=ContentError.sort_key)
    warnings = sorted((p for p in problems if p.warning), key=ContentError.sort_key)
    upcoming = [a.date for a, _ in parsed if isinstance(a, Article) and a.date > now]
    next_change = min(upcoming, default=datetime.max.replace(tzinfo=config.tz))
    terms = {article.source: entry.search_terms for article, entry in parsed if article.source in published_sources}
    return Analysis(
        config,
        tuple(articles),
        digests,
        next_change,
        site,
        pages,
        theme,
        static,
        assets,
        errors,
        warnings,
        skipped,
        terms,
        processed_static,
        bodies,
    )


def _digest_head(source: str, body: BodyEntry) -> str:
    """How an article's digest begins: its file, its bytes and config (``body.key``) and its rendered body."""
    return f"{source}:{body.key}:{body.html_digest}:"


@dataclass(frozen=True)
class Kept:
    """The last good build's analysis, kept by a process that builds again (the preview), with what it was made from."""

    analysis: Analysis
    flags: str  # options, config and code (``_scan``)
    others: str  # every input file but the articles (``InputScan.others``)
    articles: dict[str, tuple[int, int]]  # article file -> (size, mtime_ns) as scanned before it was read
    racy: frozenset[str]  # article files whose size and mtime could not vouch for what was read


MOST_PATCHED = 20  # edited articles a rebuild puts into the kept analysis; more, and the site is analysed anew


def patched(
    site_dir: Path, config: Config, cache: BuildCache, kept: Kept, scan: InputScan, flags: str, now: datetime
) -> Analysis | None:
    """The kept analysis with the edited articles' new bodies put in; None when more than bodies may have changed.

    While options, config, code and every input file but the articles are as they were, no article came
    or went, and each edited article reads the same but for its body's text (front matter as written,
    summary, pictures, links and their lines, problems), nothing else can differ: the plan, the other articles and
    every warning still hold. A save in the preview then costs one article read instead of all of them.
    The article's digest changes (its body did), so the pages showing it are rendered again as usual.
    """
    old = kept.analysis
    if (
        kept.flags != flags
        or kept.others != scan.others
        or now >= old.next_change
        or scan.articles.keys() != kept.articles.keys()
    ):
        return None
    edited = [path for path, facts in scan.articles.items() if facts != kept.articles[path] or path in kept.racy]
    if not edited or len(edited) > MOST_PATCHED:
        return None
    reader = _ArticleReader(site_dir, config, cache)
    digests, terms, fresh = dict(old.digests), dict(old.search_terms), []
    for path in edited:
        source = Path(os.path.relpath(path, site_dir)).as_posix()
        before, body = cache.articles.get(source), cache.bodies.get(source)
        if source not in old.digests or before is None or body is None:  # not published, or not an article
            return None
        now_read = reader.read((source, path))
        head = _digest_head(source, body)
        if not (_only_body_differs(before, body, now_read) and old.digests[source].startswith(head)):
            return None
        assert now_read.body is not None
        digests[source] = _digest_head(source, now_read.body) + old.digests[source][len(head) :]
        terms[source] = now_read.body.search_terms
        fresh.append(now_read)
    for item in fresh:
        cache.put_article(item.source, item.entry)
        if not item.reused:  # else the same bytes: the cache's entry stands, its HTML in the store
            cache.put_body(item.source, item.body)
    return dataclasses.replace(old, digests=digests, search_terms=terms)


def _only_body_differs(before: ArticleEntry, body: BodyEntry, now: _Read) -> bool:
    """Whether an article read anew gives the fields it gave before: only its body's HTML and words may differ."""
    if now.body is None or now.entry.parsed != before.parsed or now.entry.parsed_with != before.parsed_with:
        return False
    if (now.body.images, now.body.files, now.body.lead_in_body) != (body.images, body.files, body.lead_in_body):
        return False
    return dataclasses.replace(now.body.body, html="", words="") == dataclasses.replace(body.body, html="", words="")


@dataclass(frozen=True)
class _Read:
    """One article file, parsed and its body rendered (links still placeholders)."""

    source: str
    entry: ArticleEntry
    body: BodyEntry | None
    # The body is the cache's own entry, still valid (the file was saved again with the same bytes). Only
    # that entry knows where its HTML and search terms are (in the store): a copy that came back from a
    # worker must never be written over it, or the HTML would be lost.
    reused: bool = False


READ_IN_WORKERS_FROM = 400  # article files to read before forked workers pay off


def _read_articles(
    site_dir: Path, config: Config, cache: BuildCache, progress, problems: list[ContentError]
) -> list[_Read]:
    """Parse every article file and render its Markdown, reusing whatever the cache vouches for.

    A file whose size and mtime (else bytes) are unchanged is not parsed again; a body is reused
    while the file and every image it checked are unchanged. New work runs on all cores, the
    workers inheriting the inputs. Cached articles come without their Markdown (``body_md`` is
    empty): the rendered body is what later steps need.
    """
    from .content import scan_sources
    from .parallel import map_forked

    scanned = scan_sources(config, problems)  # skipped files are warned about
    sources = [(source, path) for source, path, _ in scanned]
    stats = {source: info for source, _, info in scanned}
    cache.forget(set(cache.articles) - {source for source, _ in sources})
    reader = _ArticleReader(site_dir, config, cache)

    def cached(item: tuple[str, str]) -> _Read | None:
        source, _ = item
        stat = stats[source]  # taken by the scan: one look at the file system per file
        if stat is None:
            return None  # read() says what is wrong with it
        entry = cache.articles.get(source)
        if (
            entry
            and entry.parsed_with == reader.parse_key
            and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and settled(entry.mtime_ns, entry.recorded_ns)
        ):
            if entry.parsed.article is None:
                return _Read(source, entry, None)
            body = reader.body_valid(entry)
            if body is not None:
                return _Read(source, entry, body, reused=True)
        return None

    # Only what the cache cannot vouch for goes to the workers: results travel back pickled.
    results: list[_Read | None] = [cached(item) for item in sources]
    missing = [i for i, result in enumerate(results) if result is None]
    rows = _RowWriter(cache)
    fresh = map_forked(
        reader.read,
        [sources[i] for i in missing],
        minimum=READ_IN_WORKERS_FROM,
        progress=(lambda n: progress("articles", n, len(missing))) if progress else None,
        keep=rows.keep,
    )
    rows.flush()
    for i, result in zip(missing, fresh, strict=True):
        results[i] = _own_body(cache, result)
    for (source, _path), result in zip(sources, results, strict=True):
        if cache.articles.get(source) is not result.entry:
            cache.put_article(source, result.entry)
        if result.body is not None and cache.bodies.get(source) is not result.body:
            cache.put_body(source, result.body)
    return results


def _own_body(cache: BuildCache, result: _Read) -> _Read:
    """A read whose body the cache vouched for, with the cache's entry itself (not a worker's copy of it)."""
    if result.reused and result.body is not None:
        return dataclasses.replace(result, body=cache.bodies[result.source])
    return result


class _RowWriter:
    """Writes articles read anew to the cache as they arrive from the workers, a thousand at a time,
    and keeps each one's body without its HTML and search terms: the search step and the pages read
    those back from the cache, so at 100,000 articles (about 2 GB of them) they are never all in memory.

    The rows are valid whatever becomes of this build (each is keyed by its file's bytes and the
    config), so writing them before the site is checked is what a failed build does anyway. A cache
    without a store (``check``) keeps everything in memory, as it writes nothing."""

    BATCH = 1000

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.light: dict[str, BodyEntry] = {}  # source -> the body kept, for the batch being written

    def keep(self, result: _Read) -> _Read:
        cache = self.cache
        if cache.store is None or result.body is None or result.reused:
            return result
        cache.put_article(result.source, result.entry)
        cache.put_body(result.source, result.body)
        light = dataclasses.replace(result.body, body=dataclasses.replace(result.body.body, html=""), search_terms="")
        self.light[result.source] = light
        if len(self.light) >= self.BATCH:
            self.flush()
        return _Read(result.source, result.entry, light)

    def flush(self) -> None:
        """Write the batch, then keep the light bodies (the very objects handed back) in the cache."""
        if not self.light:
            return
        self.cache.store.save_articles(self.cache)
        self.cache.bodies.update(self.light)
        self.light = {}


class _ArticleReader:
    """Reads one article file: parsed, and its Markdown rendered unless the cache's body still holds."""

    def __init__(self, site_dir: Path, config: Config, cache: BuildCache):
        self.site_dir = site_dir
        self.site_root = site_dir.resolve()
        self.config = config
        self.cache = cache
        self.parse_key = config.source_hash

    def file_exists(self, rel: str) -> bool:
        """A picture the site may publish: a file that is, also through links, inside the site."""
        path = os.path.join(self.site_dir, rel)
        return os.path.isfile(path) and Path(os.path.realpath(path)).is_relative_to(self.site_root)

    def body_valid(self, entry: ArticleEntry) -> BodyEntry | None:
        """The cached body, while the file and every image and file it checked are as they were."""
        from .media import file_facts

        body = self.cache.bodies.get(entry.parsed.article.source) if entry.parsed.article else None
        if (
            body
            and body.key == entry.digest + self.parse_key
            and all(self.file_exists(p) == e for p, e in body.images)
            and all(file_facts(self.site_dir, p) == f for p, f in body.files)  # documents' sizes, videos' frames
        ):
            return body
        return None

    def read(self, item: tuple[str, str]) -> _Read:
        from .content import Parsed, SourceRefused, parse_article, read_source
        from .markdown import render_body
        from .media import file_facts
        from .search import document_terms

        source, path = item
        config, site_dir = self.config, self.site_dir
        recorded_ns = time.time_ns()  # before the stat: a save after it is then "racy", read next time
        try:
            stat = os.stat(path)
            data = read_source(path, config.max_file_kb * 1024)
        except SourceRefused as exc:
            problem = ContentError(source, None, exc.message, exc.hint)
            return _Read(source, ArticleEntry(0, 0, "", Parsed(None, (problem,)), ""), None)
        except OSError as exc:
            problem = ContentError(
                source,
                None,
                _("the file cannot be read ({reason})", reason=os_error_text(exc)),
                _("check that it exists (a link may point nowhere) and that you may read it"),
            )
            return _Read(source, ArticleEntry(0, 0, "", Parsed(None, (problem,)), ""), None)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        parsed = parse_article(source, data, config)
        entry = ArticleEntry(stat.st_size, stat.st_mtime_ns, digest, _without_body(parsed), self.parse_key, recorded_ns)
        if parsed.article is None:
            return _Read(source, entry, None)
        body = self.body_valid(entry)
        if body is not None:
            return _Read(source, entry, body, reused=True)
        rendered = render_body(
            parsed.article,
            lambda url: href(config, url),
            self.file_exists,
            config.allow_html,
            lambda rel: file_facts(site_dir, rel),
            config.language,  # the words a body carries (a document's size, the video's labels)
        )
        summary = parsed.article.summary
        lead = _same_text(summary, rendered.first_paragraph) if summary else True
        html_digest = hashlib.blake2b(rendered.html.encode(), digest_size=16).hexdigest()
        terms = document_terms(parsed.article.title, summary or rendered.summary, rendered.words)
        rendered = dataclasses.replace(rendered, words="")  # now in ``terms``; no need to keep it twice
        body = BodyEntry(
            digest + self.parse_key, rendered.images, rendered, html_digest, lead, terms, rendered.checked_files
        )
        return _Read(source, entry, body)


def _without_body(parsed: Parsed) -> Parsed:
    if parsed.article is None:
        return parsed
    return dataclasses.replace(parsed, article=dataclasses.replace(parsed.article, body_md=""))


def _icons(site_dir: Path, config: Config, problems: list[ContentError], read_only: bool) -> dict[str, Path]:
    """The favicon, app icons and web app manifest, made from the publisher's logo (or an emblem).

    A site that ships its own (in static/) keeps it: the caller lets static files win. ``check``
    (``read_only``) only checks that the logo is there: making the icons would write.
    """
    from .icons import make_icons, manifest

    folder = site_dir / ".cache" / "icons"
    logo = site_dir / "static" / config.publisher.logo if config.publisher.logo else None
    if logo is not None and not logo.is_file():
        problems.append(
            ContentError(
                "config.yaml",
                None,
                _(
                    "the publisher's logo '{logo}' is not there (looked for static/{logo})",
                    logo=config.publisher.logo,
                ),
                _("put the logo in the site's static/ folder, or correct  logo:  under publisher:"),
            )
        )
        return {}
    if read_only:
        return {}
    try:
        made = make_icons(logo, config.title, folder)
    except ContentError as problem:
        problems.append(dataclasses.replace(problem, path=_shown(Path(problem.path), site_dir)))
        return {}
    data = manifest(config)
    path = folder / f"manifest-{hashlib.blake2b(data, digest_size=8).hexdigest()}.webmanifest"
    if not path.is_file():
        temp = path.with_name(path.name + ".tmp")
        temp.write_bytes(data)
        temp.replace(path)
    return {**made, "site.webmanifest": path}


def _document_file(site_dir: Path, article: Article, problems: list[ContentError]):
    """The document's file, found beside the article: (document with URL and size, asset or None)."""
    from .figures import picture_paths

    document = article.document
    assert document is not None
    paths = picture_paths(article.source, document.file)
    path = site_dir / paths[0] if paths else None
    if path is None or not path.is_file() or not path.resolve().is_relative_to(site_dir.resolve()):
        problems.append(
            ContentError(
                article.source,
                document.line,
                _("the document file '{file}' is not there (looked for {path})", file=document.file, path=paths[0])
                if paths
                else _("the document file '{file}' is not there: it must be inside the site", file=document.file),
                _("put the file there, or correct its name in  file:  (letter case counts)"),
            )
        )
        return document, None
    source, output = paths
    return dataclasses.replace(document, file=output, size=path.stat().st_size), Asset(source, output, document.line)


NAME_MAX = 255  # bytes in one file or folder name, on every file system a host will have


def _too_long(pages: tuple[Page, ...]) -> list[ContentError]:
    """Pages whose path no file system can hold: found here, so ``check`` sees them too."""
    problems = []
    for page in pages:
        if len(page.output_path.encode()) <= NAME_MAX:  # nor is any part of it (most pages: one look)
            continue
        longest = max(page.output_path.split("/"), key=lambda part: len(part.encode()))
        if len(longest.encode()) > NAME_MAX:
            problems.append(
                ContentError(
                    page.sources[0] if page.sources else "config.yaml",
                    1,
                    _(
                        "the address of this page has a part {size} bytes long ('{part}…'):"
                        " file systems and web servers stop at {limit}",
                        size=len(longest.encode()),
                        part=longest[:40],
                        limit=NAME_MAX,
                    ),
                    _("shorten the slug (or the name it is made from) in the file or in config.yaml"),
                )
            )
    return problems


def _shown(path: Path, site_dir: Path) -> str:
    """A file's path as an editor knows it: relative to the site when it is inside."""
    from .content import shown_path

    return shown_path(path, site_dir) if path.is_relative_to(site_dir) else str(path)


def _same_text(summary: str, paragraph: str) -> bool:
    """Whether the written summary is (a shortened form of) the body's opening paragraph."""
    from .slugs import fold

    a, b = fold(summary).split(), fold(paragraph).split()
    return bool(a) and " ".join(a).rstrip(".…") in " ".join(b)


def _versions(static: dict[str, Path]) -> dict[str, str]:
    """A short content hash per static file, appended to its URL so browsers never cache stale CSS."""
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for rel, path in static.items()}


def _environment(analysis: Analysis):
    """The Jinja environment, its fingerprint (everything a template can read besides its context) and the
    static files' versions it was made with."""
    from .render import make_environment

    config, theme = analysis.config, analysis.theme
    assert theme is not None and analysis.site is not None
    versions = _versions({**analysis.static, **analysis.processed_static})
    menu = analysis.site.menu
    env = make_environment(config, theme, versions, {"menu": menu})
    parts = [code_fingerprint(), theme.fingerprint(), config.source_hash, repr(sorted(versions.items())), repr(menu)]
    return env, hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest(), versions


def collect(
    site_dir: Path, options: BuildOptions, progress: Progress | None = None, check_unpublished: bool = False
) -> SiteBuild:
    """Read, check and render the whole site in memory, without cache or output (``check``)."""
    from .render import render_pages

    config = load_config(site_dir, options.base_url)
    cache = BuildCache()  # nothing kept: every body is read, and stays in memory
    analysis = analyse(site_dir, config, options, cache, progress, check_unpublished, read_only=True)
    files: dict[str, bytes | Path] = {}
    if not analysis.errors:
        files.update(analysis.static)
        files.update({rel: site_dir / source for rel, source in analysis.assets.items()})
        env = _environment(analysis)[0]
        fill_bodies(analysis, cache, None)
        for page, data in render_pages(env, analysis.pages):
            files[page.output_path] = data
    return SiteBuild(
        config, analysis.articles, analysis.pages, files, analysis.errors, analysis.warnings, analysis.skipped
    )


def open_cache(site_dir: Path, output: Path) -> BuildCache:
    """The build cache of an output folder, loaded whole, for a process that builds many times."""
    return load_cache(cache_dir(site_dir, output))


def build(
    site_dir: Path,
    options: BuildOptions = BuildOptions(),
    progress: Progress | None = None,
    cache: BuildCache | None = None,
) -> BuildReport:
    """Build the site into its output folder; the previous output survives any failure.

    ``cache``, from ``open_cache``, lets a long-running process (the preview) keep the cache in
    memory between builds instead of reading it from disk each time; it is still saved.
    """
    started = time.perf_counter()
    given = options.output or site_dir / "output"
    check_output_dir(given, site_dir, options.force)  # it follows links itself, and names the folder as given
    # A link to the folder a web server reads (output -> /var/www/html): write there, never swap the link.
    output = Path(os.path.realpath(given))
    # A build makes many long-lived objects and no reference cycles worth collecting on the way;
    # the cyclic collector would only rescan them over and over (about a tenth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            return _build(site_dir, output, options, progress, started, cache)
        except DamagedRecord:  # the memo lost a record, or was found damaged: the same build, from a clean memo
            return _build(site_dir, output, dataclasses.replace(options, clean=True), progress, started, None)
    finally:
        if collecting:
            gc.enable()


def level_staging(site_dir: Path, options: BuildOptions, cache: BuildCache, stop: threading.Event | None = None) -> int:
    """Bring an empty staging tree level with the output (hard links); return the files linked.

    A build into a new output folder swaps its tree in and leaves the staging tree empty, so the build
    after it links every unchanged file into staging first: seconds on a large site, paid by the
    editor's first save in the preview. The preview calls this on its rebuild thread right after its
    first build (so no build of its own runs meanwhile; the build lock keeps other processes out).
    Only the staging tree is written, and its record is saved last: stopped halfway (``stop``, or a
    killed process), the record still says nothing is known of staging, and the next build empties it.
    """
    output = Path(os.path.realpath(options.output or site_dir / "output"))
    with BuildLock(output, wait_seconds=options.lock_wait):
        if cache.staging_manifest is not None or not cache.output_manifest or cache.last_build is None:
            return 0
        staging = Staging(output, cache.output_manifest, {})
        if staging.output_manifest is None or interrupted(output):  # not the output the cache describes
            return 0
        if staging.root.exists():
            shutil.rmtree(staging.root)
        staging.root.mkdir(parents=True)
        staging.staging_manifest = {}
        for count, (path, digest) in enumerate(staging.output_manifest.items()):
            if stop is not None and count % 500 == 0 and stop.is_set():
                return 0
            staging.put(path, digest, None)
        cache.staging_manifest = dict(staging.output_manifest)
        cache.meta_dirty = True
        save_meta(cache_dir(site_dir, output), cache)
        return len(cache.staging_manifest)


def _build(site_dir: Path, output: Path, options: BuildOptions, progress, started: float, given) -> BuildReport:
    with BuildLock(
        output, wait_seconds=options.lock_wait, on_wait=(lambda: progress("waiting", 0, 0)) if progress else None
    ):
        config = load_config(site_dir, options.base_url)
        folder = cache_dir(site_dir, output)
        cache = _fresh_cache(folder) if options.clean else given or load_meta(folder, writable=True)
        scan, flags = _scan(site_dir, config, options)
        signature = scan.signature + flags
        now = options.now or datetime.now(config.tz)
        last = cache.last_build
        # Kept again only by a build that ends well: one that fails may have changed the cache's entries.
        kept: Kept | None = cache.runtime.pop("analysis", None)
        step = options.checkpoint or (lambda name: None)
        step("locked")
        # The shortcut trusts the record of the last build only if that build finished: one
        # stopped after its swap has left its own tree (say, with drafts) in output/.
        if (
            last
            and last["signature"] == signature
            and now < last["next_change"]
            and (output / MARKER).is_file()
            and not interrupted(output)
        ):
            if kept is not None:
                cache.runtime["analysis"] = kept
            return _unchanged_report(last, time.perf_counter() - started)
        from .body_edit import build_bodies, record

        if not options.clean and given is None:
            quick = build_bodies(site_dir, output, config, options, cache, scan, flags, now, step, started)
            if quick is not None:
                return quick
            load_articles(folder, cache)
        analysis = patched(site_dir, config, cache, kept, scan, flags, now) if kept is not None else None
        if analysis is None:
            analysis = analyse(site_dir, config, dataclasses.replace(options, now=now), cache, progress)
        step("analysed")
        if analysis.errors or (options.strict and analysis.warnings):
            cache.last_build, cache.meta_dirty = None, True
            save_cache(folder, cache)  # keep what was parsed: the fix will be quick to rebuild
            raise BuildFailed(analysis.errors or analysis.warnings, analysis.warnings)
        # Articles are final now: their rows are written first (one transaction, only what changed). Their
        # search terms are read back from there by the search step, a few thousand at a time.
        save_articles(folder, cache)
        analysis = dataclasses.replace(analysis, search_terms=dict.fromkeys(analysis.search_terms, ""))
        step("articles-saving")
        looks = _environment(analysis)
        written, rendered, staging = _publish(site_dir, output, analysis, cache, progress, options.search, step, looks)
        cache.bodies_plan = record(flags, scan, analysis, looks[2], looks[1])
        cache.last_build = {
            "signature": signature,
            "next_change": analysis.next_change,
            "report": (len(analysis.articles), len(analysis.pages), len(cache.output_manifest or {})),
            "warnings": analysis.warnings,
            "skipped": analysis.skipped,
        }
        save_cache(folder, cache)
        step("cache-saved")
        staging.committed()  # only now do the trees and the saved manifests agree
        step("committed")
        cache.runtime["analysis"] = Kept(analysis, flags, scan.others, scan.articles, scan.racy)
    return BuildReport(
        articles=len(analysis.articles),
        pages=len(analysis.pages),
        rendered=rendered,
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=analysis.warnings,
        skipped=analysis.skipped,
    )


def _fresh_cache(folder: Path) -> BuildCache:
    """An empty cache for ``--clean``: the stored one is emptied too, so no stale row outlives it."""
    store = Store(folder)
    store.reset()
    return BuildCache(store=store, loaded=True)


def _scan(site_dir: Path, config: Config, options: BuildOptions) -> tuple[InputScan, str]:
    """Everything a build reads: the files (sources, theme, static files, config) as scanned, and the
    options, config and code as one string. Markdown files under content/ are listed apart (``patched``)."""
    folders = [site_dir / "content", site_dir / "static", site_dir / "themes", BUILTIN_THEMES, site_dir / "config.yaml"]
    flags = (
        f"{options.drafts}:{options.future}:{options.strict}:{options.search}:{config.source_hash}:{code_fingerprint()}"
    )
    content = os.path.join(folders[0], "")  # as the scan spells the paths under it
    return scan_inputs(folders, lambda path: path.endswith(".md") and path.startswith(content)), flags


def _unchanged_report(last: dict, seconds: float) -> BuildReport:
    articles, pages, files = last["report"]
    return BuildReport(
        articles=articles,
        pages=pages,
        unchanged=files,
        seconds=seconds,
        warnings=last["warnings"],
        skipped=last["skipped"],
    )


def _stage_search_index(analysis: Analysis, cache: BuildCache, staging: Staging, desired: dict[str, str]) -> None:
    """Put the search index into staging, rebuilding it only when an indexed article changed."""
    from .search import SearchIndexer, index_key

    assert analysis.site is not None
    key = index_key(analysis.config, analysis.digests)
    known = cache.search
    if (
        known
        and known[0] == key
        and all(staging.can_link(p, d) or not staging.needs(p, d) for p, d in known[1].items())
    ):
        for path, digest in known[1].items():
            staging.put(path, digest, None)
            desired[path] = digest
        return
    folder = analysis.config.permalinks.search + "index/"
    table = {}
    site, config, terms = analysis.site, analysis.config, analysis.search_terms
    if cache.store is None:  # no record to keep: everything is made in memory
        made, kept = SearchIndexer(segment=config.search_segment).files(site, config, terms, folder), {}
    else:
        indexer = cache.runtime.get("search")
        if indexer is None or indexer.segment != config.search_segment:  # one kept for the preview's next build
            indexer = cache.runtime["search"] = SearchIndexer(cache.store, config.search_segment)
        made, kept = indexer.stored_files(site, config, terms, folder)
        if not all(staging.can_link(p, d) or not staging.needs(p, d) for p, d in kept.items()):
            made, kept = indexer.stored_files(site, config, terms, folder, full=True)  # the kept files are gone
    for path, digest in kept.items():
        staging.put(path, digest, None)
        desired[path] = table[path] = digest
    for path, data in made.items():
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        staging.put(path, digest, data)
        desired[path] = table[path] = digest
    cache.search = (key, table)


def fill_bodies(analysis: Analysis, cache: BuildCache, sources: Iterable[str] | None) -> list[Article | InfoPage]:
    """Put the final HTML into the bodies of these articles and pages (every one when None); return them.

    The one place the model is changed after it is made: an ``Article`` is frozen, and every page
    context holds the same instance, so its ``body_html`` is set in place just before rendering,
    from the rendered body (in memory, or read back from the memo) with its links and pictures put in.
    A body whose stored HTML is gone makes the build start again from a clean memo (``DamagedRecord``).
    """
    assert analysis.site is not None
    shown = {item.source: item for item in (*analysis.articles, *analysis.site.pages)}
    wanted = set(analysis.bodies) if sources is None else set(sources) & analysis.bodies.keys()
    stored = [source for source in wanted if source in cache.html_in_store]
    from_store = cache.store.body_html(stored) if cache.store is not None and stored else {}
    config = analysis.config
    filled = []
    for source in sorted(wanted):
        item = shown.get(source)
        if item is None:
            continue  # read and checked, but on no page of this build
        if source in cache.html_in_store:
            raw = from_store.get(source)
            if raw is None:
                raise DamagedRecord(f"the stored HTML of {source} is missing or damaged")
        else:
            raw = cache.bodies[source].body.html
        object.__setattr__(item, "body_html", final_html(raw, analysis.bodies[source], config))
        filled.append(item)
    return filled


def final_html(raw: str, recipe: BodyRecipe, config: Config) -> str:
    """A body's HTML as pages show it: the rendered body with its links' outcomes and its pictures put in."""
    from .markdown import fill_links

    html = fill_links(raw, recipe.links, recipe.outcomes, lambda url: href(config, url))
    if recipe.pictures is None:
        return html
    from .images import fill_pictures  # Pillow comes with it: loaded only for a body with pictures

    return fill_pictures(html, recipe.pictures, config)


RENDER_IN_WORKERS_FROM = 300  # pages to render before forked workers pay off
RENDER_CHUNK = 5000  # pages rendered per round: only their bodies' HTML is in memory at once


FINGERPRINT_IN_WORKERS_FROM = 300  # pages to fingerprint before workers pay off (measured: 13,707 pages took
# 0.54 s in the build process, 0.73 s in two forked workers, 10,000-article site)


def _page_index(
    analysis: Analysis, cache: BuildCache, fingerprints, environment: str
) -> tuple[set[str] | None, dict[str, tuple[str, str]]]:
    """The pages this build must fingerprint (None: every page), and each published article's (digest, card).

    While the pages were fingerprinted in this same environment, the same articles are published and
    none of their cards (the fields that place them: ``Fingerprinter.card``) changed, every page keeps
    its shape: a page can differ only if it shows an article whose digest changed, and the memo's index
    says which pages those are. A body or title edit then fingerprints a few dozen pages instead of all
    of them; anything else looks at every page.
    """
    from .body_edit import item_row

    assert analysis.site is not None
    known = cache.cards
    items = {item.source: item for item in (*analysis.articles, *analysis.site.pages)}
    cards: dict[str, tuple[str, str]] = {}
    edited: list[str] = []
    rows: list[tuple[str, bytes]] = []
    same_cards = True
    for source, digest in analysis.digests.items():
        old = known.get(source)
        if old is not None and old[0] == digest:
            cards[source] = old
            continue
        item = items.get(source)
        card = fingerprints.card(item) if item is not None else ""
        cards[source] = (digest, card)
        edited.append(source)
        same_cards = same_cards and old is not None and old[1] == card and item is not None
        if item is not None and cache.store is not None:  # the stored plan's copy of its fields (body_edit)
            rows.append((source, item_row(digest, item, analysis.bodies.get(source))))
            if len(rows) >= 1000:
                cache.store.put_rows("item", rows)
                rows.clear()
    if rows:
        cache.store.put_rows("item", rows)
    if not (same_cards and cache.page_environment == environment and known.keys() == cards.keys()):
        return None, cards
    if cache.store is None:
        return None, cards
    showing = cache.store.pages_showing(edited)
    if showing is None or not _own_pages_known(edited, items, showing):
        return None, cards
    return showing, cards


def _own_pages_known(sources: Iterable[str], items: dict, showing: set[str]) -> bool:
    """Whether the page index names each of these articles' own pages: an index that lost rows cannot say
    which other pages show them."""
    return all(output_path(items[source].url) in showing for source in sources if source in items)


def _publish(
    site_dir: Path,
    output: Path,
    analysis: Analysis,
    cache: BuildCache,
    progress,
    search: bool,
    step: Callable[[str], None],
    looks,
) -> tuple[WriteReport, int, Staging]:
    """Render what changed into the staging tree and swap it in: (report, pages rendered, staging).

    ``looks`` is ``_environment``'s answer. Each page rendered leaves its plan (its context, articles by name)
    for a later build that edits only bodies, titles or summaries (``body_edit``)."""
    from .body_edit import plan_row
    from .fingerprint import Fingerprinter
    from .images import cached_digest
    from .parallel import map_forked
    from .render import BodyReaders, compile_theme, render_pages

    env, environment = looks[:2]
    planning = cache.store is not None
    shows_bodies = BodyReaders(env)
    fingerprints = Fingerprinter(environment, analysis.digests)
    staging = Staging(output, cache.output_manifest, cache.staging_manifest)
    staging.begin()
    step("staging-begun")
    desired: dict[str, str] = {}
    page_table: dict[str, tuple[str, str]] = {}

    def keeps(path: str, known: tuple[str, str] | None) -> bool:
        """Whether the last output's file can stand in for this page (staging has it or can link it)."""
        return known is not None and (not staging.needs(path, known[1]) or staging.can_link(path, known[1]))

    def unchanged(page: Page):
        """A page's fingerprint, whether the page in the last output still stands for it, and the
        articles it shows."""
        path = page.output_path
        context = {"url": page.url, "template": page.template, "context": page.context}
        fingerprint, shown = fingerprints.page_and_shown(context)
        known = cache.pages.get(path)
        if known and known[0] == fingerprint and keeps(path, known):
            staging.put(path, known[1], None)
            return fingerprint, True, shown
        return fingerprint, False, shown

    def render(item: tuple[Page, str, bool]):
        """Render a page whose fingerprint changed, and put it into staging."""
        page, fingerprint, shows_articles = item
        try:
            [(_page, data)] = list(render_pages(env, [page]))
        except ThemeError as exc:
            return "error", (exc.message, exc.path, exc.line, exc.hint)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        staging.put(page.output_path, digest, data)
        plan = plan_row(fingerprint, page, shows_bodies(page.template), shows_articles) if planning else None
        return page.output_path, (fingerprint, digest, plan)

    look_at, cards = _page_index(analysis, cache, fingerprints, environment)
    pages = analysis.pages
    if look_at is None:
        suspects = pages
    else:  # the index vouches for every other page: as it was, and still in the output
        suspects = []
        for page in pages:
            path = page.output_path
            known = cache.pages.get(path)
            if path in look_at or not keeps(path, known):
                suspects.append(page)
            else:
                staging.put(path, known[1], None)
                page_table[path] = known  # type: ignore[assignment]
    # Forked workers pay off only for many pages: copying the parent's memory costs ~0.1 s each.
    looked = map_forked(unchanged, suspects, minimum=FINGERPRINT_IN_WORKERS_FROM)
    changed = [(page, fp, shown) for page, (fp, same, shown) in zip(suspects, looked, strict=True) if not same]
    total = len(changed)
    if total >= RENDER_IN_WORKERS_FROM:
        compile_theme(env)
    made: dict = {}
    for start in range(0, total, RENDER_CHUNK):  # a site's bodies need not all be in memory at once
        chunk = changed[start : start + RENDER_CHUNK]
        shown_bodies = {source for page, _fp, shown in chunk if shows_bodies(page.template) for source in shown}
        filled = fill_bodies(analysis, cache, shown_bodies)
        rendered_now = dict(
            map_forked(
                render,
                [(page, fp, bool(shown)) for page, fp, shown in chunk],
                minimum=RENDER_IN_WORKERS_FROM,
                progress=(lambda n, done=start: progress("pages", done + n, total)) if progress else None,
            )
        )
        for item in filled:
            object.__setattr__(item, "body_html", "")
        if "error" in rendered_now:
            raise ThemeError(*rendered_now["error"])
        if planning:  # written as they come: a large site's plans are never all in memory
            cache.store.put_rows("plan", ((path, plan) for path, (_fp, _digest, plan) in rendered_now.items()))
        made.update((path, value[:2]) for path, value in rendered_now.items())
    shown_anew: dict[str, tuple[str, ...]] = {}  # what the pages fingerprinted anew show (the memo's page index)
    for page, (_fingerprint, same, shown) in zip(suspects, looked, strict=True):
        path = page.output_path
        if same:
            page_table[path] = cache.pages[path]
        else:
            page_table[path] = made[path]
            shown_anew[path] = shown
    page_table = {page.output_path: page_table[page.output_path] for page in pages}  # in the site's order
    desired.update((path, value[1]) for path, value in page_table.items())
    rendered = total
    step("pages-staged")

    if search:
        _stage_search_index(analysis, cache, staging, desired)

    copies = {**analysis.static, **{rel: site_dir / src for rel, src in analysis.assets.items()}}
    for rel, source in copies.items():
        digest = cached_digest(site_dir, source)
        if digest is None:
            stat = source.stat()
            digest = f"copy:{stat.st_size}:{stat.st_mtime_ns}:{source}"
            if not settled(stat.st_mtime_ns, time.time_ns()):  # just saved: it may change within this mtime
                with open(source, "rb") as handle:
                    digest += ":" + hashlib.file_digest(handle, "blake2b").hexdigest()[:32]
        staging.put(rel, digest, source)
        desired[rel] = digest
    marker_digest = hashlib.blake2b(MARKER_TEXT, digest_size=16).hexdigest()
    staging.put(MARKER, marker_digest, MARKER_TEXT)
    desired[MARKER] = marker_digest

    step("files-staged")
    report = staging.finish(desired, analysis.config.preserve)
    step("swapped")
    cache.pages = page_table
    cache.shown_changes.update(shown_anew)
    cache.cards, cache.page_environment = cards, environment
    cache.output_manifest = staging.output_manifest
    cache.staging_manifest = staging.staging_manifest
    cache.meta_dirty = True
    return report, rendered, staging
