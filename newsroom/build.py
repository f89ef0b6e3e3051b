"""The build, start to end: the only place where the steps are put in order.

    config → read + parse articles → keep the published ones → render their Markdown
    → make_site → plan_pages → check URLs → render templates → write output atomically

Every step before the last is pure or read-only; problems from all of them are collected, so
an editor sees every mistake at once, and nothing is written unless there are none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .config import Config, load_config
from .content import find_sources, parse_article
from .errors import BuildFailed, ContentError
from .markdown import render_body
from .model import Article, Page
from .output import BuildLock, WriteReport, check_output_dir, write_output
from .pages import plan_pages, url_clashes
from .render import find_theme, make_environment, render_pages
from .site import is_published, make_site
from .slugs import fold
from .urls import href


@dataclass(frozen=True)
class BuildOptions:
    """What the command line (or the preview server) asks of one build."""

    output: Path | None = None  # default: SITE/output
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    force: bool = False
    now: datetime | None = None  # for tests; default: the real time


@dataclass
class BuildReport:
    """What a build did, for the closing summary line."""

    articles: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    warnings: list[ContentError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why) for drafts/future


@dataclass(frozen=True)
class SiteBuild:
    """Everything a build produced before writing: the files and what was found on the way."""

    config: Config
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    files: dict[str, bytes | Path]  # empty when there are errors
    errors: list[ContentError]
    warnings: list[ContentError]
    skipped: list[tuple[str, str]]  # (source, why) of drafts and scheduled articles left out


Progress = Callable[[str, int, int], None]


def collect(
    site_dir: Path, options: BuildOptions, progress: Progress | None = None, check_unpublished: bool = False
) -> SiteBuild:
    """Read, check and render the whole site in memory, collecting every problem.

    Pages are rendered only when there is no error. ``check_unpublished`` also checks the
    Markdown of drafts and scheduled articles (for ``build.py check``).
    """
    config = load_config(site_dir, options.base_url)
    now = options.now or datetime.now(config.tz)
    problems: list[ContentError] = []
    parsed: list[Article] = []
    for source, path in find_sources(config):
        result = parse_article(source, path.read_bytes(), config)
        problems.extend(result.problems)
        if result.article:
            parsed.append(result.article)

    published, skipped = [], []
    for article in parsed:
        if is_published(article, now, options.drafts, options.future):
            published.append(article)
        else:
            why = "draft" if article.draft else f"scheduled for {article.date:%Y-%m-%d %H:%M}"
            skipped.append((article.source, why))
    link_map = {a.source: None for a in parsed}
    link_map.update({a.source: a.url for a in published})

    articles = []
    published_sources = {a.source for a in published}
    to_render = parsed if check_unpublished else published
    for i, article in enumerate(to_render, 1):
        body = render_body(
            article,
            link_map,
            lambda url: href(config, url),
            lambda rel: (site_dir / rel).is_file(),
            config.allow_html,
        )
        problems.extend(body.problems)
        if article.source not in published_sources:
            continue
        articles.append(
            dataclasses.replace(
                article,
                body_html=body.html,
                summary=article.summary or body.summary,
                lead_in_body=_same_text(article.summary, body.first_paragraph) if article.summary else True,
                image=article.image or body.first_image,
                assets=body.assets,
            )
        )
        if progress and i % 200 == 0:
            progress("markdown", i, len(to_render))

    site = make_site(articles, config)
    pages = tuple(plan_pages(site, config))
    theme = find_theme(config)
    static = theme.static_files()
    assets = {asset.output_path: asset.source for a in articles for asset in a.assets}
    problems.extend(url_clashes(pages, [*assets.items(), *((p, f"static file {f}") for p, f in static.items())]))

    errors = sorted((p for p in problems if not p.warning), key=ContentError.sort_key)
    warnings = sorted((p for p in problems if p.warning), key=ContentError.sort_key)
    if errors:
        return SiteBuild(config, tuple(articles), pages, {}, errors, warnings, skipped)

    files: dict[str, bytes | Path] = {rel: path for rel, path in static.items()}
    files.update({rel: site_dir / source for rel, source in assets.items()})
    env = make_environment(config, theme, _versions(static), {"site": site, "now": now})
    total = len(pages)
    for page, data in render_pages(env, pages, (lambda n: progress("pages", n, total)) if progress else None):
        files[page.output_path] = data
    return SiteBuild(config, tuple(articles), pages, files, [], warnings, skipped)


def _same_text(summary: str, paragraph: str) -> bool:
    """Whether the written summary is (a shortened form of) the body's opening paragraph."""
    a, b = fold(summary).split(), fold(paragraph).split()
    return bool(a) and " ".join(a).rstrip(".…") in " ".join(b)


def _versions(static: dict[str, Path]) -> dict[str, str]:
    """A short content hash per static file, appended to its URL so browsers never cache stale CSS."""
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for rel, path in static.items()}


def build(site_dir: Path, options: BuildOptions = BuildOptions(), progress: Progress | None = None) -> BuildReport:
    """Build the site into its output folder; the previous output survives any failure."""
    started = time.perf_counter()
    output = options.output or site_dir / "output"
    check_output_dir(output, site_dir, options.force)
    with BuildLock(output, on_wait=(lambda: progress("waiting", 0, 0)) if progress else None):
        result = collect(site_dir, options, progress)
        if result.errors or (options.strict and result.warnings):
            raise BuildFailed(result.errors or result.warnings, result.warnings)
        written: WriteReport = write_output(output, result.files, result.config.preserve)
    return BuildReport(
        articles=len(result.articles),
        pages=len(result.pages),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=result.warnings,
        skipped=result.skipped,
    )
