"""Reading one article file: what its fields *mean* → ``Article`` (or ``InfoPage``).

``frontmatter`` knows how the file is laid out (split at the ``---`` lines, each field located by
yamltext's parser); this module checks every field against the schema and reports each problem
at the field's own line. ``parse_article`` is pure (bytes in, article and problems out) so it can
be cached, run in a worker process and fuzzed; ``find_sources`` and ``read_source`` are the only
I/O here. Every problem is a ``ContentError`` with the file's own line numbers, never a traceback.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import yaml

from . import frontmatter
from .config import Category, Config
from .errors import ContentError, SourceRefused, YamlProblem
from .frontmatter import file_line
from .i18n import Message, Text, _
from .model import Article, Document, InfoPage
from .slugs import slugify
from .urls import article_url
from .yamltext import BOOL, INT, STR, Entry, kind_of

KNOWN_FIELDS = (
    "title",
    "category",
    "date",
    "updated",
    "author",
    "source_unit",
    "tags",
    "summary",
    "slug",
    "draft",
    "image",
    "legacy_views",
    "featured",
    "document",
)
PAGE_FIELDS = ("title", "summary", "updated", "draft", "image", "order")  # content/pages/: no date, no category
PAGES_DIR = "content/pages/"
DOCUMENT_FIELDS = ("number", "issued", "issuer", "file")
DOCUMENT_TYPES = {  # extension -> the label readers see beside a download link
    ".pdf": "PDF",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".odt": "ODT",
    ".ods": "ODS",
    ".zip": "ZIP",
}
_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s*\|?\s*(\d{1,2}):(\d{2}))?")
# Years a date may have. Near year 1 or 9999 an aware date overflows when converted to UTC or the
# site's zone (in sorting, templates, feeds); no news article is from before 1900 or after 2200,
# so such a year is a typo, refused at the field's line instead of failing somewhere later.
_YEARS = (1900, 2200)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # invisible, and forbidden in XML
_SLUG = re.compile(r"[a-z0-9-]*[a-z0-9][a-z0-9-]*")
MAX_SLUG = 200  # file names stop at 255 bytes; keep room for what a permalink pattern adds
_SWAP_FILE = re.compile(r"(^\.|~$|^#.*#$|\.sw[a-p]$|\.tmp$)")
TEMPLATE_HINT = _('start the file with:\n---\ntitle: "..."\ncategory: "..."\ndate: 2024-05-01 08:00\n---')


@dataclass(frozen=True)
class Parsed:
    """What reading one file gave: an article (when usable) and every problem found."""

    article: Article | None
    problems: tuple[ContentError, ...]
    # A hash of the front matter as written, fences and lines included, but for the words of the title and the
    # summary (their lines are kept): two reads with the same ``front`` and the same fields give every field at
    # the same line (the photo step finds the ``image:`` line in the file itself), and rewording a title or a
    # summary leaves it as it was (``body_edit`` redoes only the pages showing them).
    front: str = ""


SHOWN_FIELDS = frozenset({"title", "summary"})  # front-matter fields that are only shown, never place an article


def is_content_file(name: str) -> bool:
    """Markdown files only, without editors' swap, backup and hidden files."""
    return name.endswith(".md") and not _SWAP_FILE.search(name)


def find_sources(config: Config, problems: list[ContentError] | None = None) -> Iterator[tuple[str, Path]]:
    """Every article file under content/ as (site-relative posix path, path), in sorted order."""
    for source, path, _stat in scan_sources(config, problems):
        yield source, Path(path)


def scan_sources(
    config: Config, problems: list[ContentError] | None = None
) -> list[tuple[str, str, os.stat_result | None]]:
    """Every article file under content/ as (site-relative posix path, file system path, its stat), in sorted order.

    The stat (None when the file could not be looked at: reading it says why) lets a rebuild
    decide which files changed without asking the file system twice: on a site of 10,000 articles
    the folder scan is most of what a one-article edit costs before any Markdown is read, so it
    uses ``os.scandir`` and plain strings, not ``Path`` objects.

    Symbolic links that lead outside the site folder are not followed, and linked folders are not
    entered. Files and folders whose names are not UTF-8 (typical of a zip made on Windows) and
    things that are not regular files (a FIFO would block the build forever) are skipped; each
    adds a warning to ``problems``.
    """
    site_dir = config.site_dir
    site_root = site_dir.resolve()
    found: list[tuple[str, str, os.stat_result | None]] = []

    def skip(path: str, message: Text, hint: Text) -> None:
        if problems is not None:
            problems.append(ContentError(shown_path(Path(path), site_dir), None, message, hint, warning=True))

    def inside(entry: os.DirEntry) -> bool:
        if not entry.is_symlink():
            return True
        try:
            return Path(entry.path).resolve().is_relative_to(site_root)
        except OSError:
            return False

    def walk(folder: str, relative: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return  # a folder that cannot be listed holds nothing we can read (as os.walk skips it)
        folders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(entry)
                continue
            name = entry.name
            if not is_content_file(name) or not inside(entry):
                continue
            if not _is_utf8(name):
                skip(entry.path, _("file skipped: its name is not UTF-8 text"), _rename_hint(name))
                continue
            try:
                info: os.stat_result | None = entry.stat()
            except OSError:
                info = None  # gone or unreadable: reading it says what is wrong
            if info is not None and not stat.S_ISREG(info.st_mode):
                skip(entry.path, _("skipped: this is not a regular file"), _("replace it with an ordinary .md file"))
                continue
            found.append((relative + name, entry.path, info))
        for entry in folders:
            name = entry.name
            if name.startswith(".") or not inside(entry):
                continue
            if not _is_utf8(name):
                skip(entry.path, _("folder skipped: its name is not UTF-8 text"), _rename_hint(name, folder=True))
                continue
            if not entry.is_symlink():  # a linked folder inside the site is not entered (its files are elsewhere)
                walk(entry.path, relative + name + "/")

    root = config.content_dir
    walk(str(root), root.relative_to(site_dir).as_posix() + "/")
    return found


def _is_utf8(name: str) -> bool:
    """os.walk hands undecodable bytes over as lone surrogates; those names are not UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_path(path: Path, site_dir: Path) -> str:
    """A site-relative path fit to print: bytes that are not UTF-8 are shown as ``\\xe9``."""
    raw = os.fsencode(path.relative_to(site_dir) if path.is_relative_to(site_dir) else path)
    return raw.decode("utf-8", "backslashreplace")


def _rename_hint(name: str, folder: bool = False) -> Message:
    """Suggest a plain name, guessing the bytes were Windows-1252 (a zip made on Windows)."""
    raw = os.fsencode(name)
    stem, dot, ext = (
        raw.decode("cp1252", "replace").rpartition(".") if not folder else (raw.decode("cp1252", "replace"), "", "")
    )
    plain = slugify(stem or ext, limit=None) or "ten-moi"
    new = plain + (f".{ext}" if dot and stem else "")
    return _("rename it with plain letters, digits and dashes, e.g. {new}", new=new)


def read_source(path: str | Path, limit_bytes: int) -> bytes:
    """An article's bytes, refusing non-regular and oversized files before reading them.

    Opened without blocking, so a FIFO that appeared after the folder scan cannot hang the build;
    the size is taken from the open file, so a huge file is never read to find out it is too big.
    Raises ``SourceRefused`` (with an editor's message) or ``OSError``.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceRefused(_("this is not a regular file"), _("replace it with an ordinary .md file"))
        if info.st_size > limit_bytes:
            raise SourceRefused(
                _(
                    "file is {size} KB, over the {limit} KB limit",
                    size=str(info.st_size // 1024),
                    limit=str(limit_bytes // 1024),
                ),
                _("split the article, move pictures out of the text, or raise max_file_kb in config.yaml"),
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit_bytes + 1)
    finally:
        os.close(fd)


def parse_article(source: str, data: bytes, config: Config) -> Parsed:
    """Turn one file's bytes into an Article, collecting every problem with its line."""
    problems: list[ContentError] = []

    def problem(line, message, hint="", column=None, warning=False):
        problems.append(ContentError(source, line, message, hint, column, warning))

    limit = config.max_file_kb * 1024
    if len(data) > limit:
        problem(
            None,
            _(
                "file is {size} KB, over the {limit} KB limit",
                size=str(len(data) // 1024),
                limit=str(config.max_file_kb),
            ),
            _("split the article, move pictures out of the text, or raise max_file_kb in config.yaml"),
        )
        return Parsed(None, tuple(problems))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem(
            line,
            _(
                "file is not UTF-8 text (byte 0x{byte} at byte offset {offset})",
                byte=f"{data[exc.start]:02X}",
                offset=str(exc.start),
            ),
            _("open it in your editor and save it with the UTF-8 encoding"),
        )
        return Parsed(None, tuple(problems))
    text = frontmatter.normalise(text)
    if not text.strip():
        problem(1, _("file is empty"), TEMPLATE_HINT)
        return Parsed(None, tuple(problems))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problem(line, _("file contains a NUL character"), _("the file may be damaged: retype or re-save it"))
        return Parsed(None, tuple(problems))

    parts = frontmatter.split(text)
    if parts is None and not frontmatter.opens(text):
        problem(1, _("the file has no front matter (it must start with a line '---')"), TEMPLATE_HINT)
        return Parsed(None, tuple(problems))
    if parts is None:
        problem(1, _("the front matter opened on line 1 is never closed"), _("add a line '---' after the last field"))
        return Parsed(None, tuple(problems))
    try:
        entries = frontmatter.fields(parts)
    except YamlProblem as exc:
        problem(file_line(exc.line), exc.message, exc.hint, exc.column + 1)
        return Parsed(None, tuple(problems))

    known = PAGE_FIELDS if is_page_source(source) else KNOWN_FIELDS
    fields = _Fields(source, entries, config, problem, known)
    item = fields.page(parts) if known is PAGE_FIELDS else fields.article(parts)
    front = hashlib.blake2b(frontmatter.layout(parts, entries, SHOWN_FIELDS).encode(), digest_size=16).hexdigest()
    return Parsed(item if not any(not p.warning for p in problems) else None, tuple(problems), front)


def is_page_source(source: str) -> bool:
    """Files under content/pages/ are pages ("Giới thiệu", "Liên hệ"), not dated articles."""
    return source.startswith(PAGES_DIR)


def page_url(source: str) -> str:
    """``content/pages/gioi-thieu/lich-su.md`` → ``gioi-thieu/lich-su/``; ``index.md`` is its folder."""
    parts = [slugify(part, limit=None) for part in PurePosixPath(source.removeprefix(PAGES_DIR)).with_suffix("").parts]
    if parts and parts[-1] == "index":
        parts.pop()
    return "".join(f"{part}/" for part in parts)


class _Fields:
    """Checks each front-matter field against the schema, reporting at the field's own line."""

    def __init__(self, source: str, entries: list[Entry], config: Config, problem, known: tuple[str, ...]):
        self.source = source
        self.config = config
        self.problem = problem
        self.entries = {e.key: e for e in entries}
        for entry in entries:
            if entry.key not in known:
                close = difflib.get_close_matches(entry.key.replace("-", "_").lower(), known, n=1, cutoff=0.6)
                hint = (
                    _("did you mean '{name}'?", name=close[0])
                    if close
                    else _("known fields: {names}", names=", ".join(known))
                )
                if known is PAGE_FIELDS and entry.key in KNOWN_FIELDS:
                    hint = _("pages (content/pages/) have no date, category or author: remove the line")
                message = _("unknown front-matter field '{key}' (ignored)", key=entry.key)
                problem(file_line(entry.line), message, hint, warning=True)

    def line(self, key: str) -> int:
        entry = self.entries.get(key)
        return file_line(entry.line) if entry else 1

    def text(self, key: str, required: bool = False) -> str:
        entry = self.entries.get(key)
        if entry is None or (entry.node.tag == "tag:yaml.org,2002:null" and not required):
            if required:
                self.problem(
                    1,
                    _("the required field '{key}' is missing", key=key),
                    _('add a line  {key}: "..."  to the front matter', key=key),
                )
            return ""
        node = entry.node
        if required and node.tag == "tag:yaml.org,2002:null":
            self.problem(self.line(key), _("'{key}' is empty", key=key), _empty_hint(key))
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
            raw = node.value if isinstance(node, yaml.ScalarNode) else ""
            self.problem(
                self.line(key),
                _("'{key}' must be text, but YAML reads {raw!r} as {kind}", key=key, raw=raw, kind=kind_of(node))
                if raw
                else _("'{key}' must be text, not {kind}", key=key, kind=kind_of(node)),
                _('put the value in double quotes:  {key}: "{raw}"', key=key, raw=raw)
                if raw
                else _('write it as  {key}: "..."', key=key),
                entry.column + 1,
            )
            return ""
        value = node.value if key == "slug" else _clean(node.value)  # a slug is checked, not cleaned
        value = " ".join(value.split()) if key != "summary" else value.strip()
        if required and not value:
            self.problem(self.line(key), _("'{key}' is empty", key=key), _empty_hint(key))
        return value

    def when(self, key: str, required: bool = False) -> datetime | None:
        entry = self.entries.get(key)
        if entry is None:
            if required:
                self.problem(
                    1,
                    _("the required field '{key}' is missing", key=key),
                    _("add a line  {key}: 2024-05-01 08:00", key=key),
                )
            return None
        node = entry.node
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            # In the site's zone from here on: the URL, the archives and the page show the same day.
            return parse_date(raw, self.config).astimezone(self.config.tz)
        except (ValueError, OverflowError) as exc:
            message = _("'{key}: {raw}' {problem}", key=key, raw=raw, problem=exc.args[0])
            self.problem(self.line(key), message, _date_hint(key, raw), entry.column + 1)
            return None

    def tags(self) -> tuple[str, ...]:
        entry = self.entries.get("tags")
        if entry is None or entry.node.tag == "tag:yaml.org,2002:null":
            return ()
        node = entry.node
        if not isinstance(node, yaml.SequenceNode):
            raw = node.value if isinstance(node, yaml.ScalarNode) else ""
            self.problem(
                self.line("tags"),
                _("'tags' must be a list, but YAML reads {raw!r} as {kind}", raw=raw, kind=kind_of(node)),
                _('write it as a list:  tags: ["{raw}"]', raw=raw)
                if raw
                else _('write it as a list:  tags: ["Dân vận khéo", "Nông thôn mới"]'),
                entry.column + 1,
            )
            return ()
        tags: dict[str, None] = {}  # ordered, and a repeated tag costs no scan
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != STR or not item.value.strip():
                raw = item.value if isinstance(item, yaml.ScalarNode) else ""
                self.problem(
                    file_line(item.start_mark.line),
                    _("each tag must be text, but YAML reads {raw!r} as {kind}", raw=raw, kind=kind_of(item)),
                    _("put the tag in double quotes"),
                    item.start_mark.column + 1,
                )
                continue
            tags.setdefault(" ".join(_clean(item.value).split()))
        return tuple(tags)

    def flag(self, key: str) -> bool:
        entry = self.entries.get(key)
        if entry is None:
            return False
        if entry.node.tag != BOOL:
            self.problem(
                self.line(key),
                _("'{key}' must be true or false", key=key),
                _("write  {key}: true  or  {key}: false", key=key),
            )
            return False
        return entry.node.value.lower() in ("true", "yes", "on", "y")

    def number(self, key: str) -> int | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.node.tag != INT:
            self.problem(self.line(key), _("'{key}' must be a whole number", key=key), _whole_hint(key), warning=True)
            return None
        try:
            return int(entry.node.value.replace("_", ""), 0)
        except ValueError:  # YAML 1.1 reads 1:30 (base 60) and 0o17 as numbers too
            self.problem(
                self.line(key), _("'{key}' must be a plain whole number", key=key), _whole_hint(key), warning=True
            )
            return None

    def slug(self, default_from: str) -> str:
        entry = self.entries.get("slug")
        if entry is None:
            slug = slugify(PurePosixPath(default_from).stem, limit=None)
            if not slug:
                self.problem(
                    1,
                    _("the file name gives no usable URL"),
                    _('add a field  slug: "ten-bai-viet"  or rename the file'),
                )
            return slug
        raw = self.text("slug")
        if not raw and entry.node.tag != STR:
            return ""
        return self._check_slug(raw)

    def _check_slug(self, raw: str) -> str:
        """A written slug is used as it is, so it may hold only ``a-z``, ``0-9`` and ``-``."""
        suggestion = slugify(raw) or slugify(self.entries["title"].node.value if "title" in self.entries else "")
        hint = _(
            'use only small letters a-z, digits and dashes, e.g.  slug: "{suggestion}"',
            suggestion=suggestion or "ten-bai-viet",
        )
        bad: Message | None = None
        if not raw:
            bad = _("slug '{slug}' is empty", slug=_printable(raw))
        elif len(raw) > MAX_SLUG:
            bad = _(
                "slug '{slug}' is {n} characters long: web servers and file systems refuse names that long",
                slug=_printable(raw),
                n=str(len(raw)),
            )
            hint = _(
                'shorten it to at most {limit} characters, e.g.  slug: "{suggestion}"',
                limit=MAX_SLUG,
                suggestion=slugify(raw, limit=80),
            )
        elif not _SLUG.fullmatch(raw):
            odd = dict.fromkeys(_show_char(c) for c in raw if not ("a" <= c <= "z" or "0" <= c <= "9" or c == "-"))
            shown = _listed(tuple(odd)[:5]) if odd else _("nothing but dashes")
            bad = _(
                "slug '{slug}' contains characters a URL cannot use as they are: {shown}",
                slug=_printable(raw),
                shown=shown,
            )
        if bad:
            self.problem(self.line("slug"), bad, hint, self.entries["slug"].column + 1)
            return ""
        return raw

    def article(self, parts: frontmatter.Split) -> Article | None:
        body, body_line = parts.body, parts.body_line
        title = self.text("title", required=True)
        category_name = self.text("category", required=True)
        category = find_category(self.config, category_name) if category_name else None
        if category_name and category is None:
            close = self.config.closest_categories(category_name)
            hint = (
                _("did you mean '{name}'?{difference}", name=close[0], difference=_difference(category_name, close[0]))
                if close
                else _("use one of: {names}", names=", ".join(f"'{c.name}'" for c in self.config.categories))
            )
            message = _("category '{name}' is not declared in config.yaml", name=category_name)
            self.problem(self.line("category"), message, hint)
        when = self.when("date", required=True)
        updated = self.when("updated")
        if when and updated and updated < when:
            self.problem(
                self.line("updated"), _("'updated' is earlier than 'date'"), _("check both dates"), warning=True
            )
        author = self.text("author")
        if not author:
            self.problem(self.line("author"), _("no author given"), _('add a line  author: "Thanh Hồng"'), warning=True)
        source_unit = self.text("source_unit")
        tags = self.tags()
        summary = self.text("summary")
        slug = self.slug(self.source)
        draft = self.flag("draft")
        image = self.text("image")
        legacy_views = self.number("legacy_views")
        featured = self.flag("featured")
        document = self.document()
        if not body.strip() and not draft and document is None:
            self.problem(
                body_line,
                _("the article has no text"),
                _("write the article under the front matter, or keep  draft: true  until it is ready"),
                warning=True,
            )
        if not (title and category and when and slug):
            return None
        return Article(
            source=self.source,
            title=title,
            category=category,
            date=when,
            slug=slug,
            url=article_url(self.config.permalinks.article, slug, when, category),
            body_md=body,
            body_line=body_line,
            author=author,
            source_unit=source_unit,
            tags=tags,
            summary=summary,
            updated=updated,
            draft=draft,
            image=image,
            legacy_views=legacy_views,
            featured=featured,
            document=document,
        )

    def page(self, parts: frontmatter.Split) -> InfoPage | None:
        body, body_line = parts.body, parts.body_line
        title = self.text("title", required=True)
        url = page_url(self.source)
        if not url and self.source.removeprefix(PAGES_DIR) not in ("index.md",):
            self.problem(
                1, _("the file name gives no usable URL"), _("rename the file with letters, digits and dashes")
            )
        order = self.number("order")
        page = InfoPage(
            source=self.source,
            title=title,
            url=url,
            body_md=body,
            body_line=body_line,
            summary=self.text("summary"),
            updated=self.when("updated"),
            draft=self.flag("draft"),
            image=self.text("image"),
            order=order or 0,
        )
        return page if title else None

    def document(self) -> Document | None:
        """``document:`` — number, issued, issuer and file of an official document (văn bản)."""
        entry = self.entries.get("document")
        if entry is None or entry.node.tag == "tag:yaml.org,2002:null":
            return None
        example = _(
            'write it as\ndocument:\n  number: "45/KH-UBND"\n  issued: 2024-03-15\n'
            '  issuer: "UBND huyện Thanh Trì"\n  file: "files/45-kh-ubnd.pdf"'
        )
        if not isinstance(entry.node, yaml.MappingNode):
            self.problem(self.line("document"), _("'document' must be a group of fields"), example, entry.column + 1)
            return None
        values: dict[str, yaml.Node] = {}
        for key, node in entry.node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            if name not in DOCUMENT_FIELDS:
                close = difflib.get_close_matches(str(name), DOCUMENT_FIELDS, n=1)
                self.problem(
                    file_line(key.start_mark.line),
                    _("unknown document field '{name}'", name=name),
                    _("did you mean '{name}'?", name=close[0])
                    if close
                    else _("document fields: {names}", names=", ".join(DOCUMENT_FIELDS)),
                    key.start_mark.column + 1,
                )
                continue
            values[name] = node
        texts = {}
        for name in ("number", "issuer", "file"):
            node = values.get(name)
            if node is None:
                self.problem(self.line("document"), _("the document has no '{name}'", name=name), example)
                continue
            if not isinstance(node, yaml.ScalarNode) or node.tag != STR or not node.value.strip():
                self.problem(
                    file_line(node.start_mark.line),
                    _("document '{name}' must be text", name=name),
                    _('put it in double quotes:  {name}: "..."', name=name),
                    node.start_mark.column + 1,
                )
                continue
            texts[name] = " ".join(_clean(node.value).split())
        issued = None
        node = values.get("issued")
        if node is None:
            self.problem(self.line("document"), _("the document has no 'issued' date"), example)
        else:
            raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
            try:
                issued = parse_date(raw, self.config).date()
            except ValueError as exc:
                self.problem(
                    file_line(node.start_mark.line),
                    _("'issued: {raw}' {problem}", raw=raw, problem=exc.args[0]),
                    _date_hint("issued", raw),
                    node.start_mark.column + 1,
                )
        file = texts.get("file", "")
        if file:
            suffix = PurePosixPath(file).suffix.lower()
            if suffix not in DOCUMENT_TYPES or file.startswith("/") or "://" in file:
                self.problem(
                    file_line(values["file"].start_mark.line),
                    _(
                        "document file '{file}' must be a {kinds} file beside the article",
                        file=file,
                        kinds=", ".join(t for t in DOCUMENT_TYPES.values()),
                    ),
                    _('put the file in a folder beside the article and write e.g.  file: "files/45-kh-ubnd.pdf"'),
                    values["file"].start_mark.column + 1,
                )
                file = ""
        if not (issued and file and "number" in texts and "issuer" in texts):
            return None
        suffix = PurePosixPath(file).suffix.lower()
        return Document(
            texts["number"], issued, texts["issuer"], file, 0, DOCUMENT_TYPES[suffix], self.line("document")
        )


def category_key(name: str) -> str:
    """How category names are compared: composed, invisible format characters out, spaces collapsed."""
    text = unicodedata.normalize("NFC", name)
    return " ".join("".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc")).split())


def find_category(config: Config, name: str) -> Category | None:
    """The declared category an article names, however its keyboard composed the letters."""
    key = category_key(name)
    return next((c for c in config.categories if category_key(c.name) == key), None)


# The few characters an editor cannot tell apart on screen, named in the editor's language. Any other
# difference (accents, other letters) is plain to see once "did you mean ..." shows the declared name.
_CONFUSABLE = {
    "-": _("hyphen-minus"),
    "\u2010": _("hyphen"),
    "\u2011": _("non-breaking hyphen"),
    "\u2012": _("figure dash"),
    "\u2013": _("en dash"),
    "\u2014": _("em dash"),
    "\u2015": _("horizontal bar"),
    "\u2212": _("minus sign"),
    " ": _("space"),
    "\u00a0": _("no-break space"),
    "'": _("apostrophe"),
    "\u2018": _("left single quotation mark"),
    "\u2019": _("right single quotation mark"),
    ",": _("comma"),
    ".": _("full stop"),
}


def _confusable(c: str) -> Text | None:
    """The name of a character that looks like another, or None for an ordinary letter."""
    if c in _CONFUSABLE:
        return _CONFUSABLE[c]
    if unicodedata.category(c) in ("Cf", "Cc", "Zs"):
        return _("an invisible character (U+{code})", code=f"{ord(c):04X}")
    return None


def _difference(typed: str, declared: str) -> Text:
    """When two names look alike, say which characters differ, if they are ones the eye cannot tell apart.

    A dash for a hyphen, or a no-break space, is invisible in "did you mean ...?"; an accent or another
    letter is not, and spelling letters out one by one only buries the suggestion."""
    a, b = category_key(typed), category_key(declared)
    changes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not changes or len(changes) > 3:
        return ""
    pieces = [(a[i1:i2], b[j1:j2]) for _op, i1, i2, j1, j2 in changes]
    if not all(_confusable(c) is not None for were, are in pieces for c in were + are):
        return ""

    def show(text: str) -> Text:
        return _listed([_("'{char}' ({name})", char=c, name=_confusable(c)) for c in text])

    parts = [
        _("you typed {typed} where config.yaml has {declared}", typed=show(were), declared=show(are))
        if were and are
        else _("you typed {typed}, which config.yaml does not have", typed=show(were))
        if were
        else _("config.yaml has {declared}, which you did not type", declared=show(are))
        for were, are in pieces
    ]
    return _(" — they look alike but differ: {differences}", differences=_listed(parts, "; "))


def _show_char(c: str) -> Text:
    if c.isspace():
        return _("spaces")
    if c.isupper():
        return _("capital letters")
    if unicodedata.category(c).startswith("C"):
        return _("an invisible character (U+{code})", code=f"{ord(c):04X}")
    if c.isalpha() and not c.isascii():
        return _("'{char}' (letters with accents)", char=c)
    return f"'{c}'"


def _listed(items: tuple[Text, ...] | list[Text], separator: str = ", ") -> Text:
    """Several texts, some of them messages, joined when shown (each translated on its own)."""
    if not items:
        return ""
    shown = items[0]
    for item in items[1:]:
        shown = (
            _("{first}, {then}", first=shown, then=item)
            if separator == ", "
            else _("{first}; {then}", first=shown, then=item)
        )
    return shown


def _empty_hint(key: str) -> Message:
    return _('write the {key} after the colon:  {key}: "..."', key=key)


def _whole_hint(key: str) -> Message:
    """An example of the key's kind: an order is a small number, a view count a large one."""
    return _("write  {key}: {value}", key=key, value="1" if key == "order" else "1366")


def _printable(text: str) -> str:
    """Text with invisible characters made visible, for quoting in a message."""
    return "".join(c if not unicodedata.category(c).startswith("C") else f"\\u{ord(c):04x}" for c in text)[:120]


def _clean(text: str) -> str:
    """Front-matter text as it should be stored: no invisible control characters, composed (NFC).

    Unikey and other keyboards type either composed or decomposed Vietnamese; both look the
    same, so they must compare the same.
    """
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def parse_date(raw: str, config: Config) -> datetime:
    """``2020-10-15``, ``2020-10-15 13:50`` or with an offset; without one, in the site's zone."""
    match = _DATE.fullmatch(raw)
    if not match:
        raise ValueError(_("is not a date in the form year-month-day hour:minute"))
    year, month, day, hour, minute, second, offset = match.groups()
    if not _YEARS[0] <= int(year) <= _YEARS[1]:
        raise ValueError(
            _(
                "has the year {year}: dates must be between the years {first} and {last}",
                year=int(year),
                first=_YEARS[0],
                last=_YEARS[1],
            )
        )
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("is not a real date ({why})", why=_month_days(int(year), int(month)))) from None
    try:
        tz = config.tz if offset is None else _offset(offset)
    except ValueError:
        raise ValueError(
            _("has an impossible offset from UTC ({offset}; it goes up to ±23:59)", offset=offset)
        ) from None
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz)
    except ValueError:
        raise ValueError(_("has an impossible time (hours go to 23, minutes to 59)")) from None


def _month_days(year: int, month: int) -> Message:
    if not 1 <= month <= 12:
        return _("months go from 1 to 12")
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return _("month {month}/{year} has {days} days", month=month, year=year, days=(next_month - timedelta(days=1)).day)


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _date_hint(key: str, raw: str) -> Message:
    """How to write this date right: the same date year first when it can be read unambiguously.

    ``15/10/2020`` can only be day first and ``10/15/2020`` only month first (American); when both
    readings are real dates (``05/10/2020``), it is read day first, the Vietnamese way, and the hint
    says so and gives the other reading.
    """
    iso = _DATE.fullmatch(raw)
    if iso and not _YEARS[0] <= int(iso.group(1)) <= _YEARS[1]:
        return _("check the year (a typing mistake?), e.g.  {key}: 2020-10-15 13:50", key=key)
    if iso and iso.group(7):
        try:
            _offset(iso.group(7))
        except ValueError:
            return _(
                "the part after the time is the offset from UTC, e.g.  {key}: 2020-10-15T13:50+07:00  (Việt Nam)",
                key=key,
            )
    generic = _("write it like  {key}: 2020-10-15 13:50  (year-month-day hour:minute)", key=key)
    dmy = _DMY.fullmatch(raw)
    if not dmy:
        return generic
    first, second, year, hour, minute = dmy.groups()
    a, b = int(first), int(second)
    time = f" {int(hour):02d}:{minute}" if hour else ""
    note: Text = ""
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
        note = _("  ({raw} is month/day/year, the American order)", raw=raw)
    elif a == b:
        day, month = a, b
    else:
        day, month = a, b
        note = _(
            "  ({raw} is read day first, as usual in Việt Nam: day {a} of month {b};"
            " if you meant day {b} of month {a}, write {other})",
            raw=raw,
            a=a,
            b=b,
            other=f"{year}-{a:02d}-{b:02d}{time}",
        )
    try:
        date(int(year), month, day)
    except ValueError:
        return generic
    return _(
        "write it year first:  {key}: {date}{note}", key=key, date=f"{year}-{month:02d}-{day:02d}{time}", note=note
    )
