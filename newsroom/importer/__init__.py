"""``build.py import``: bring the old portal's plain-text exports into the site as Markdown articles.

The newsroom is moving from an old portal whose only export is one ``.txt`` file per article,
thousands of them, typed over fifteen years. Re-typing them is not an option and a half-right
import is worse than none, so each file becomes an article that builds exactly like a
hand-written one, or the editor is told precisely why it cannot — and the import never guesses an
encoding into mojibake, never invents an author, never overwrites a file and never imports the
same article twice.

One module per job, in the order a file meets them:

* ``decode`` — bytes → text: UTF-8, UTF-16, Windows-1258, TCVN3, UTF-8 saved twice;
* ``parse`` — text → fields (``LegacyArticle``), the category mapped to the site's; and the light
  reader of site articles the build refuses;
* ``write`` — fields → the article file (through ``frontmatter``), its name, never overwriting;
  what the site already holds;
* this module — the command: finds and reads the exports, runs each through the three steps,
  checks the result builds, and returns an ``ImportReport``; one file's failure never stops the
  others.

The names of the three modules are importable from here as well (``from newsroom.importer import
parse_export``).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..content import parse_article, read_source
from ..errors import ContentError, SourceRefused
from ..i18n import Message, _, os_error_text
from ..slugs import slugify
from ..urls import article_url
from .decode import (
    ENCODING_HINT,
    ENCODING_MESSAGE,
    TCVN3_TABLE,
    decode_export,
    decode_tcvn3,
    is_vietnamese_syllable,
    vietnamese_score,
)
from .parse import (
    DATE_LINE_EXAMPLE,
    MAX_BYLINE,
    MAX_VIEW_DIGITS,
    LegacyArticle,
    clean_text,
    match_category,
    parse_byline,
    parse_export,
    title_and_day,
)
from .write import Existing, escape_markdown, existing_articles, render_markdown, title_key, url_key, write_new

__all__ = [
    "DATE_LINE_EXAMPLE",
    "ENCODING_HINT",
    "ENCODING_MESSAGE",
    "MAX_BYLINE",
    "MAX_VIEW_DIGITS",
    "TCVN3_TABLE",
    "Existing",
    "ImportReport",
    "Imported",
    "LegacyArticle",
    "Skipped",
    "clean_text",
    "decode_export",
    "decode_tcvn3",
    "escape_markdown",
    "existing_articles",
    "export_files",
    "import_paths",
    "is_vietnamese_syllable",
    "match_category",
    "parse_byline",
    "parse_export",
    "read_export",
    "render_markdown",
    "title_and_day",
    "title_key",
    "url_key",
    "vietnamese_score",
    "write_new",
]


@dataclass(frozen=True)
class Imported:
    """One export turned into an article file (or, with ``--dry-run``, one that would be)."""

    source: str
    path: Path  # where the article is (or would be) written
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An export whose article (same title, same day) is already in the site."""

    source: str
    existing: Path


@dataclass
class ImportReport:
    """What ``import_paths`` did, file by file, in the order the files were given."""

    dry_run: bool = False
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[ContentError] = field(default_factory=list)

    def summary(self) -> Message:
        counts = {
            "imported": str(len(self.imported)),
            "skipped": str(len(self.skipped)),
            "failed": str(len(self.failed)),
        }
        if self.dry_run:
            return _(
                "would import {imported}, skipped as already present {skipped}, failed {failed}"
                " (dry run: nothing was written)",
                **counts,
            )
        return _("imported {imported}, skipped as already present {skipped}, failed {failed}", **counts)


def export_files(paths: list[Path]) -> tuple[list[Path], list[ContentError]]:
    """The files to import: each file given, and every ``*.txt`` in each folder (sorted)."""
    files: list[Path] = []
    problems: list[ContentError] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not found:
                problems.append(
                    ContentError(str(path), None, _("the folder holds no .txt files"), _("pass export files"))
                )
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(
                ContentError(str(path), None, _("this is not a regular file"), _("pass export files (.txt)"))
            )
        else:
            problems.append(ContentError(str(path), None, _("no such file or folder"), _("check the path")))
    return files, problems


def import_paths(site_dir: Path, paths: list[Path], dry_run: bool = False) -> ImportReport:
    """Import every export in ``paths`` into the site; one file's failure never stops the others.

    Each new article goes to ``content/<year>/<slug>.md`` (``<slug>-2.md`` … when the name is
    taken: nothing is ever overwritten); an article already in the site with the same title on
    the same day is skipped. With ``dry_run`` nothing is written.
    """
    config = load_config(site_dir)
    report = ImportReport(dry_run=dry_run)
    files, report.failed = export_files(paths)
    known = existing_articles(config)
    for file in files:
        source = str(file)
        try:
            result = _import_one(file, source, config, known, dry_run)
        except ContentError as error:
            report.failed.append(error)
            continue
        except OSError as exc:  # writing the article: a full disk, a read-only or odd content/ folder
            where = f" ({exc.filename})" if exc.filename else ""
            report.failed.append(
                ContentError(
                    source,
                    None,
                    _("cannot write the article: {problem}{where}", problem=os_error_text(exc), where=where),
                    _("check free space and permissions of the site's content/ folder, then import this file again"),
                )
            )
            continue
        except Exception as exc:  # a bug in newsroom must not cost the editor the other files
            report.failed.append(
                ContentError(
                    source,
                    None,
                    _(
                        "newsroom could not import this file ({kind}: {problem})",
                        kind=type(exc).__name__,
                        problem=str(exc),
                    ),
                    _("the other files were imported; send this file to whoever looks after newsroom"),
                )
            )
            continue
        if isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            report.imported.append(result)
    return report


def read_export(file: Path, source: str, config: Config) -> bytes:
    """The export's bytes. Its size is looked up first, so a file over the site's ``max_file_kb``
    (a database dump, a video renamed .txt) is refused without being read or decoded, and a thing
    that is not a regular file (a FIFO would block the import forever) is never opened for reading."""
    limit = config.max_file_kb * 1024
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(
                source, None, _("this is not a regular file"), _("pass the export files (.txt) themselves")
            )
        if info.st_size > limit:
            raise ContentError(
                source,
                None,
                _(
                    "the file is {size} KB, over the {limit} KB limit for one article",
                    size=str(-(-info.st_size // 1024)),
                    limit=str(config.max_file_kb),
                ),
                _("check that it is the export of one article; if it is, raise max_file_kb in config.yaml"),
            )
        return read_source(file, limit)  # checks again on the open file: it may have changed since
    except SourceRefused as refused:
        raise ContentError(source, None, refused.message, _("check that it is the export of one article")) from None
    except OSError as exc:
        raise ContentError(
            source, None, _("cannot read the file: {problem}", problem=os_error_text(exc)), _("check its permissions")
        ) from None


def _import_one(file: Path, source: str, config: Config, known: Existing, dry_run: bool) -> Imported | Skipped:
    data = read_export(file, source, config)
    text, encoding = decode_export(data, source)
    legacy = parse_export(text, source, encoding)
    category = match_category(legacy.category, config, source, legacy.category_line)
    key = title_key(legacy.title, legacy.published.date())
    if key in known.articles:
        return Skipped(source, known.articles[key])
    markdown = render_markdown(legacy, category.name)
    folder = config.content_dir / f"{legacy.published.year:04d}"
    stem = slugify(legacy.title) or "bai-viet"
    _check_builds(markdown, f"content/{legacy.published.year:04d}/{stem}.md", source, config)
    when = legacy.published.replace(tzinfo=config.tz)
    path = write_new(
        folder,
        stem,
        markdown,
        lambda slug: url_key(article_url(config.permalinks.article, slug, when, category)),
        known.urls,
        dry_run,
    )
    known.articles[key] = path
    notes = []
    if encoding != "UTF-8":
        notes.append(_("decoded from {encoding}", encoding=encoding))
    if not legacy.author:
        notes.append(_("no byline: author left empty"))
    return Imported(source, path, markdown, tuple(notes))


def _check_builds(markdown: str, rel: str, source: str, config: Config) -> None:
    """Guard: the written file must read back without errors, exactly as the build will read it."""
    parsed = parse_article(rel, markdown.encode("utf-8"), config)
    errors = [p for p in parsed.problems if not p.warning]
    if errors or parsed.article is None:
        first = errors[0] if errors else ContentError(rel, None, _("it cannot be read back"), _("report this file"))
        message = _("the converted article would not build: {problem}", problem=first.message)
        raise ContentError(source, None, message, first.hint)
