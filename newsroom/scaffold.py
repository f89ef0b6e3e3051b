"""``build.py new``: start an article with valid front matter so editors never type YAML keys.

The file it writes is a draft (``draft: true``) with no text, the way Hugo's archetypes start:
an article that is not written yet must never be published by accident, and ``check`` lists it
among the drafts until an editor writes it and sets ``draft: false``. Nothing in it is filler
that would read as finished (no sample lead, no ``author: ""`` that looks filled in: the build's
"no author given" warning stays until a name is written). The front matter is written by
``frontmatter.write``, as the desk and ``import`` write theirs. The name is the title's slug in
``content/<year>/``; a name or URL already taken gets ``-2``, ``-3`` …, and nothing is ever
overwritten (``importer.write.write_new``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import frontmatter
from .config import Category, Config, load_config
from .content import parse_article
from .errors import ConfigError, ContentError
from .i18n import _
from .importer.parse import clean_text
from .importer.write import existing_articles, title_key, url_key, write_new
from .slugs import slugify
from .urls import article_url

FALLBACK_STEM = "bai-viet"
WHERE = "build.py new"


@dataclass(frozen=True)
class NewArticle:
    """The file ``new`` wrote, and what the editor should know about it."""

    path: Path
    warnings: list[ContentError] = field(default_factory=list)


def new_article(
    site_dir: Path, title: str, category: str, author: str = "", source_unit: str = "", now: datetime | None = None
) -> NewArticle:
    """Write ``content/<year>/<slug>.md`` as a draft (never over an existing file) and return it."""
    config = load_config(site_dir)
    title, author, source_unit = clean_text(title), clean_text(author), clean_text(source_unit)
    if not title:
        raise ConfigError(_("the title is empty"), path=WHERE, hint=_('build.py new "Tiêu đề bài viết" --category ...'))
    declared = _category(config, category)
    when = (now or datetime.now(config.tz)).astimezone(config.tz)
    text = render_new(title, declared.name, when, author, source_unit)
    folder = _year_folder(config, when.year)
    stem = slugify(title) or FALLBACK_STEM
    _check_reads_back(text, f"content/{when.year:04d}/{stem}.md", config)
    known = existing_articles(config)
    path = write_new(
        folder,
        stem,
        text,
        lambda slug: url_key(article_url(config.permalinks.article, slug, when, declared)),
        known.urls,
        dry_run=False,
    )
    return NewArticle(path, _warnings(config, path, title, stem, known.articles.get(title_key(title, when.date()))))


def render_new(title: str, category: str, when: datetime, author: str = "", source_unit: str = "") -> str:
    """The new file's text: front matter only, ``draft: true``, and ``tags: []`` for the editor to
    fill in. Empty author and source unit are left out rather than written as ``""``."""
    values: dict[str, frontmatter.Value] = {
        "title": title,
        "category": category,
        "date": f"{when:%Y-%m-%d %H:%M}",
        "author": author,
        "source_unit": source_unit,
        "tags": [],
        "draft": True,
    }
    return frontmatter.write(values, "\n", keep_empty=("tags",))


def _category(config: Config, name: str) -> Category:
    """The declared category, also when the terminal typed it decomposed (NFD) or with odd spaces."""
    declared = config.category_named(clean_text(name))
    if declared is None:
        close = config.closest_categories(name)
        hint = (
            _("did you mean '{name}'?", name=close[0])
            if close
            else _("use one of: {names}", names=", ".join(c.name for c in config.categories))
        )
        raise ConfigError(_("category '{name}' is not declared in config.yaml", name=name), path=WHERE, hint=hint)
    return declared


def _year_folder(config: Config, year: int) -> Path:
    """``content/<year>/``, created if need be; refused when it is not a folder inside content/
    (a symbolic link to elsewhere: the build would never read an article written there)."""
    folder = config.content_dir / f"{year:04d}"
    shown = f"content/{year:04d}"
    if folder.exists() and not folder.is_dir():
        raise ConfigError(
            _("{folder} is a file, not a folder", folder=shown),
            path=WHERE,
            hint=_("rename or move {folder} so that articles can go there", folder=shown),
        )
    if not folder.resolve().is_relative_to(config.content_dir.resolve()):
        raise ConfigError(
            _("{folder} leads outside content/ (a symbolic link to {target})", folder=shown, target=folder.resolve()),
            path=WHERE,
            hint=_(
                "the build reads only articles inside content/: replace the link {folder} with a real folder",
                folder=shown,
            ),
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_reads_back(text: str, rel: str, config: Config) -> None:
    """Guard: the file must read back without errors, as the build will read it."""
    problems = [p for p in parse_article(rel, text.encode("utf-8"), config).problems if not p.warning]
    if problems:
        message = _("the new article would not build: {problem}", problem=problems[0].message)
        raise ConfigError(message, path=WHERE, hint=problems[0].hint)


def _warnings(config: Config, path: Path, title: str, stem: str, twin: Path | None) -> list[ContentError]:
    """What the editor should know: an article with the same title and day already exists (a
    second ``new`` for the same story?), or the title gave no letters for a URL."""
    shown = _shown(path, config)
    warnings = []
    if twin is not None:
        warnings.append(
            ContentError(
                shown,
                2,
                _("an article with the same title and date already exists: {twin}", twin=_shown(twin, config)),
                _(
                    "if it is the same story, delete {new} and edit {twin} instead",
                    new=shown,
                    twin=_shown(twin, config),
                ),
                warning=True,
            )
        )
    if stem == FALLBACK_STEM and slugify(title) != FALLBACK_STEM:
        warnings.append(
            ContentError(
                shown,
                2,
                _(
                    "the title has no plain letters or digits (a-z, 0-9) to make a web address from, "
                    "so the file is called {name}",
                    name=path.name,
                ),
                _('add a line  slug: "ten-bai-viet"  (plain letters, digits and dashes), or rename the file'),
                warning=True,
            )
        )
    return warnings


def _shown(path: Path, config: Config) -> str:
    """A path as messages show it: relative to the site folder when it is inside it."""
    try:
        return path.relative_to(config.site_dir).as_posix()
    except ValueError:
        return str(path)
