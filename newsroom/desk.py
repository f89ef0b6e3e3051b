"""The desk (Bàn biên tập): write, illustrate and check articles in the browser, beside the preview.

    browser ─► /_desk/ (desk_assets: one page, its words in the desk's language) ─► JSON API below ─► Desk
      list      every article and page, with the build's own problems and status
      article   one file as form fields (front matter keys) and its body
      preview   the form rendered by the real theme, as the build would (parse, Markdown, photos)
      save      written through ``frontmatter`` atomically, refused when the file changed on disk
      upload    a picture or document beside the article, under a clean name
      delete    moved to content/.trash/ (restorable), never unlinked

The desk is the app layer (see DESIGN.md): it validates with the reader the build uses
(``content.parse_article``) and never builds anything itself; a save lands in content/, the
preview's watcher rebuilds, and open pages reload. Nothing of the desk is ever in output/: it is
served by the preview server only.

Safety, in the order a request meets it: the preview's Host check (in serve.py); a session
cookie when a password is set (``NEWSROOM_DESK_PASSWORD``, required off loopback); a CSRF token
on every POST; request sizes checked before reading; every path the browser names checked to be
a plain name inside content/ (no ``..``, no hidden folder, no symbolic link out); file names of
uploads never used as they are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import json
import os
import posixpath
import re
import secrets
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from . import frontmatter, i18n, svg
from .build import _same_text  # the page leaves out a summary its body opens with, as built
from .config import Config, load_config
from .content import (
    DOCUMENT_TYPES,
    PAGES_DIR,
    Parsed,
    SourceRefused,
    find_sources,
    is_page_source,
    parse_article,
    parse_date,
    read_source,
)
from .errors import ContentError, DeskError, NewsroomError
from .i18n import ENGLISH, Message, Translator, _, ngettext, os_error_text
from .images import attach as attach_photos
from .importer import write_new
from .markdown import render_body, resolve_links
from .media import file_facts
from .model import Article, InfoPage
from .pages import plan_pages
from .render import find_theme, make_environment, render_pages
from .site import make_site, resolve_menu
from .slugs import fold, slugify
from .urls import article_url, href
from .yamltext import YamlProblem

PREFIX = "/_desk/"
ASSETS = Path(__file__).parent / "desk_assets"
ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PASSWORD_VARIABLE = "NEWSROOM_DESK_PASSWORD"
COOKIE = "newsroom_desk"
TRASH = ".trash"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a phone photo is 3-12 MB; a scanned document rarely more
MAX_JSON_SLACK = 256 * 1024  # the form's other fields, around an article of max_file_kb
ARTICLE_FIELDS = (
    "title",
    "category",
    "date",
    "updated",
    "author",
    "source_unit",
    "tags",
    "summary",
    "slug",
    "image",
    "featured",
    "draft",
)
PAGE_FIELDS = ("title", "summary", "updated", "image", "order", "draft")
FLAGS = ("featured", "draft")
# What an upload may be: pictures the photo step reads, documents the portal publishes, each
# recognised by its first bytes as well as its name.
PICTURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".svg": (),
}
_OFFICE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_ZIP = (b"PK\x03\x04",)
DOCUMENTS = {
    ".pdf": (b"%PDF-",),
    ".doc": _OFFICE,
    ".xls": _OFFICE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".zip": _ZIP,
}
RESCAN_SECONDS = 10.0
# The desk's pages run only the desk's own script; the preview inside them (which inherits this)
# may show the theme's styles and pictures from anywhere, as the published page will.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; "
    "media-src 'self' https:; font-src 'self' data:; frame-src 'self' https://www.youtube-nocookie.com; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
_TRASH_ID = re.compile(r"\d{8}-\d{6}(?:-\d+)?")
_UI_KEY = re.compile(r"\{\{t\.(\w+)\}\}")

# The desk's own page words (desk_assets/): ``{{t.key}}`` in its HTML, and the JSON block ``#desk-texts`` that
# desk.js reads. Rendered in the desk's language for each page; a plural text (ngettext with n="{n}") is sent as
# its forms for 1 and for other counts, the count left for the script to fill in.
UI_TEXTS: dict[str, Message] = {
    "desk": _("Editing desk"),
    "nav_articles": _("Articles"),
    "nav_trash": _("Trash"),
    "view_site": _("View the site ↗"),
    "loading": _("Loading…"),
    "login_title": _("Log in — Editing desk"),
    "password": _("Password"),
    "log_in": _("Log in"),
    "password_note": _("The password is set by the administrator in the environment variable NEWSROOM_DESK_PASSWORD."),
    "status_published": _("Published"),
    "status_draft": _("Draft"),
    "status_scheduled": _("Scheduled"),
    "status_error": _("Has errors"),
    "leave_unsaved": _("The article you are editing is not saved. Leave and drop the changes?"),
    "load_failed": _("Could not load: {problem}", problem="{problem}"),
    # what the page says when fetch() itself fails (the browser's own words are English: "Failed to fetch")
    "server_gone": _("Cannot reach the preview server: is it still running?"),
    "search_title": _("Search by title…"),
    "search_title_label": _("Search by title"),
    "category": _("Category"),
    "all_categories": _("All categories"),
    "status": _("Status"),
    "all_statuses": _("All statuses"),
    "author": _("Author"),
    "all_authors": _("All authors"),
    "kind": _("Kind"),
    "articles_and_pages": _("Articles and pages"),
    "pages": _("Pages (content/pages)"),
    "page_mark": _(" · page"),
    "count": ngettext("{shown} / {n} article", "{shown} / {n} articles", 1, n="{n}", shown="{shown}"),
    "no_match": _("No article matches."),
    "new_page": _("New page"),
    "new_article": _("New article"),
    "col_title": _("Title"),
    "col_date": _("Date"),
    "raw_note": _(
        "The front matter of this file cannot be read yet, so the file is opened as text. Fix the errors below, "
        "then save."
    ),
    "whole_file": _("The whole file"),
    "f_title": _("Title (title)"),
    "f_summary": _("Summary (summary)"),
    "f_order": _("Order (order)"),
    "f_image": _("Picture (image)"),
    "f_updated": _("Date updated (updated)"),
    "f_draft": _("Draft (draft)"),
    "not_declared": _("{name} (not declared)", name="{name}"),
    "f_category": _("Category (category)"),
    "f_date": _("Date (date)"),
    "f_author": _("Author (author)"),
    "f_source_unit": _("Source unit (source_unit)"),
    "f_tags": _("Tags (tags)"),
    "f_featured": _("Featured (featured)"),
    "more_fields": _("More: date updated, web address, picture"),
    "f_slug": _("Web address (slug)"),
    "slug_placeholder": _("by default from the file name"),
    "image_placeholder": _("by default the first picture"),
    "save": _("Save"),
    "delete": _("Delete"),
    "view_on_site": _("View on the site ↗"),
    "preview": _("Preview"),
    "preview_note": _("Preview in the site's theme"),
    "tab_write": _("Write"),
    "edit_page": _("Edit page"),
    "edit_article": _("Edit article"),
    "back_to_list": _("← List"),
    "date_day": _("{label}: day", label="{label}"),
    "date_time": _("{label}: time", label="{label}"),
    "tags_placeholder": _("add a tag, Enter to add"),
    "tags": _("Tags"),
    "remove_tag": _("Remove {tag}", tag="{tag}"),
    "body_aria": _("Text (body)"),
    "formatting": _("Formatting"),
    "bold": _("Bold"),
    "bold_text": _("bold text"),
    "italic": _("Italic"),
    "italic_text": _("italic text"),
    "heading": _("Section heading"),
    "list": _("List"),
    "list_button": _("• List"),
    "quote": _("Quotation"),
    "quote_button": _("❝ Quote"),
    "web_link": _("Web link"),
    "link_text": _("link text"),
    "link_button": _("Link"),
    "article_link": _("Link to another article"),
    "article_link_button": _("↪ Article"),
    "insert_file": _("Insert a picture or file"),
    "picture_button": _("+ Picture"),
    "body_label": _("Text (body, Markdown) — drop pictures here"),
    "unsaved": _("Not saved"),
    "cannot_preview": _("No preview yet: fix the marked errors."),
    "line": _("Line {line}: ", line="{line}"),
    "hint": _("Hint: {hint}", hint="{hint}"),
    "saving": _("Saving…"),
    "saved_at": _("Saved at {time}", time="{time}"),
    "errors_left": ngettext(" (the draft still has {n} error)", " (the draft still has {n} errors)", 1, n="{n}"),
    "changed_elsewhere": _("The file was changed elsewhere"),
    "theirs": _("The version on disk (just changed)"),
    "mine": _("Your version (not saved)"),
    "take_theirs": _("Take the version on disk (drop mine)"),
    "keep_mine": _("Keep my version (replace the one on disk)"),
    "close_review": _("Close, let me look again"),
    "unsaved_conflict": _("Not saved: the file was changed elsewhere"),
    "confirm_trash": _("Move this article to the trash? It can be restored from the Trash."),
    "too_large": _("The file {name} is too large ({size} MB; at most 20 MB).", name="{name}", size="{size}"),
    "uploading": _("Uploading {name}…", name="{name}"),
    "uploaded": _("Uploaded {path}", path="{path}"),
    "alt_placeholder": _("e.g. View of the conference"),
    "caption_placeholder": _("e.g. View of the conference. Photo: Thanh Hồng"),
    "picture_heading": _("Picture {path}", path="{path}"),
    "alt_label": _("What the picture shows (a description for people who cannot see it)"),
    "caption_label": _("Caption under the picture (may be left empty)"),
    "insert_picture": _("Insert the picture"),
    "find_article": _("Find an article by title…"),
    "trash_note": _("Deleted articles are in content/.trash/ and are not published."),
    "trash_empty": _("The trash is empty."),
    "deleted_at": _("Deleted {when}", when="{when}"),
    "restore": _("Restore"),
}


_BROWSER_LOCALES = {"vi": "vi-VN", "en": "en-GB"}  # how the browser writes a time and a number


def ui_texts(tr: Translator) -> dict[str, str | list[str]]:
    """The desk's page words in ``tr``'s language; a plural text as its forms for 1 and for other counts."""
    texts: dict[str, str | list[str]] = {"locale": _BROWSER_LOCALES.get(tr.language, "en-GB")}
    for key, message in UI_TEXTS.items():
        if message.plural:
            texts[key] = [tr(dataclasses.replace(message, n=count)) for count in (1, 2)]
        else:
            texts[key] = tr(message)
    return texts


@dataclass
class Response:
    status: HTTPStatus
    body: bytes
    kind: str = "application/json; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(value: Any, status: HTTPStatus = HTTPStatus.OK) -> Response:
    return Response(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class Request:
    """What the server hands the desk: nothing of the socket, so handlers are plain functions."""

    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""

    def param(self, name: str) -> str:
        values = self.query.get(name) or [""]
        return values[0]

    def json(self) -> dict:
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("the request is not JSON")) from None
        if not isinstance(value, dict):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("the request is not a JSON object"))
        return value


# --- where files may be -------------------------------------------------------------------------


def checked_source(config: Config, raw: object, must_exist: bool = True) -> tuple[str, Path]:
    """A site-relative ``content/….md`` path from the browser, as (posix path, path); refused
    unless it is a plain path inside content/: no ``..``, no hidden or trash folder, no backslash
    or NUL, no symbolic link leading out, and (``must_exist``) a regular file."""
    rel = _plain_path(raw, "content/")
    if not rel.endswith(".md"):
        raise DeskError(HTTPStatus.BAD_REQUEST, _("'{path}' is not an article file (.md)", path=rel))
    path = config.site_dir / rel
    _inside_content(config, path, rel)
    if must_exist:
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            raise DeskError(HTTPStatus.NOT_FOUND, _("{path} is not there (moved or deleted?)", path=rel)) from None
        if not regular:
            raise DeskError(HTTPStatus.BAD_REQUEST, _("{path} is not an ordinary file", path=rel))
    return rel, path


def checked_folder(config: Config, raw: object) -> tuple[str, Path]:
    """A folder inside content/ where an article is or will be (``content/2024``)."""
    rel = _plain_path(raw, "content/", folder=True)
    path = config.site_dir / rel
    _inside_content(config, path, rel)
    if path.exists() and not path.is_dir():
        raise DeskError(HTTPStatus.BAD_REQUEST, _("{folder} is a file, not a folder", folder=rel))
    return rel, path


def _plain_path(raw: object, prefix: str, folder: bool = False) -> str:
    if not isinstance(raw, str) or not raw:
        raise DeskError(HTTPStatus.BAD_REQUEST, _("no file was named"))
    if "\\" in raw or "\0" in raw or raw.startswith("/") or len(raw) > 1024:
        raise DeskError(HTTPStatus.BAD_REQUEST, _("'{path}' is not a path inside content/", path=raw[:80]))
    parts = raw.rstrip("/").split("/") if folder else raw.split("/")
    if parts[0] != prefix.rstrip("/") or (len(parts) < 2 and not folder):
        raise DeskError(HTTPStatus.BAD_REQUEST, _("'{path}' is not inside content/", path=raw[:80]))
    for part in parts[1:]:
        if part in ("", ".", "..") or part.startswith(".") or len(part.encode()) > 255:
            raise DeskError(HTTPStatus.BAD_REQUEST, _("'{path}' is not a plain path inside content/", path=raw[:80]))
    return "/".join(parts)


def _inside_content(config: Config, path: Path, rel: str) -> None:
    """No symbolic link on the way may lead outside content/."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        raise DeskError(HTTPStatus.BAD_REQUEST, _("{path} cannot be opened", path=rel)) from None
    if not real.is_relative_to(config.content_dir.resolve()):
        raise DeskError(HTTPStatus.BAD_REQUEST, _("{path} leads outside content/ (a symbolic link)", path=rel))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step: a temporary file in the same folder, flushed, then renamed.

    The temporary name starts with a dot, so neither the build nor the preview's watcher reads
    it halfway; a crash leaves the old file whole.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".desk.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        except OSError:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_exclusive(path: Path, data: bytes) -> bool:
    """Write a new file that must not exist yet (False when the name is taken)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".desk.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temp)


# --- the site as the desk lists it ---------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One article or page in the list."""

    source: str
    kind: str  # article | page
    title: str
    category: str
    date: datetime | None
    author: str
    source_unit: str
    tags: tuple[str, ...]
    draft: bool
    url: str
    errors: tuple[ContentError, ...]

    def status(self, now: datetime) -> str:
        if self.errors:
            return "error"
        if self.draft:
            return "draft"
        if self.date is not None and self.date > now:
            return "scheduled"
        return "published"


def item_of(source: str, parsed: Parsed, data: bytes | None) -> Item:
    """What the list shows of one parsed file; a file with errors shows what its fields say."""
    errors = tuple(p for p in parsed.problems if not p.warning)
    found = parsed.article
    kind = "page" if is_page_source(source) else "article"
    if isinstance(found, Article):
        return Item(
            source,
            kind,
            found.title,
            found.category.name,
            found.date,
            found.author,
            found.source_unit,
            found.tags,
            found.draft,
            found.url,
            errors,
        )
    if isinstance(found, InfoPage):
        return Item(source, kind, found.title, "", None, "", "", (), found.draft, found.url, errors)
    values: dict = {}
    if data is not None:
        try:
            values = frontmatter.read(data.decode("utf-8", "replace")).values
        except (YamlProblem, ValueError):
            values = {}

    def text(key: str) -> str:
        value = values.get(key, "")
        return value if isinstance(value, str) else ""

    title = text("title") or posixpath.basename(source)
    return Item(
        source, kind, title, text("category"), None, text("author"), "", (), bool(values.get("draft")), "", errors
    )


class Index:
    """Every content file, parsed as the build parses it, re-read only when its size or time changes."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, int, Item, Parsed]] = {}
        self._lock = threading.Lock()

    def items(self, config: Config, borrowed: Callable[[str, int, int], Parsed | None]) -> list[tuple[Item, Parsed]]:
        found = []
        with self._lock:
            seen = set()
            for rel, path in find_sources(config):
                seen.add(rel)
                try:
                    info = path.stat()
                except OSError:
                    continue
                known = self._known.get(rel)
                if known and known[0] == info.st_size and known[1] == info.st_mtime_ns:
                    found.append((known[2], known[3]))
                    continue
                parsed, data = borrowed(rel, info.st_size, info.st_mtime_ns), None
                if parsed is None or parsed.article is None:
                    parsed, data = _parse_file(rel, path, config)
                item = item_of(rel, parsed, data)
                self._known[rel] = (info.st_size, info.st_mtime_ns, item, parsed)
                found.append((item, parsed))
            for gone in set(self._known) - seen:
                del self._known[gone]
        return found


def _parse_file(rel: str, path: Path, config: Config) -> tuple[Parsed, bytes | None]:
    try:
        data = read_source(path, config.max_file_kb * 1024)
    except SourceRefused as exc:
        return Parsed(None, (ContentError(rel, None, exc.message, exc.hint),)), None
    except OSError as exc:
        return Parsed(
            None, (ContentError(rel, None, _("the file cannot be read ({problem})", problem=os_error_text(exc))),)
        ), None
    return parse_article(rel, data, config), data


# --- problems at their fields ---------------------------------------------------------------------


def placed(problems: list[ContentError], text: str, tr: Translator = ENGLISH) -> list[dict]:
    """Each problem with the form field it concerns: the field written on its line, the body (with
    the line inside the body), or the field its message names (a missing field is on line 1); its
    texts in the desk's language (``tr``)."""
    parts = frontmatter.split(text)
    try:
        lines = frontmatter.read(text).lines
    except (YamlProblem, ValueError):
        lines = {}
    out = []
    for problem in problems:
        where = frontmatter.field_at(lines, problem.line)
        body_line = None
        if where is None and parts and problem.line and problem.line >= parts.body_line:
            where, body_line = "body", problem.line - parts.body_line + 1
        if where is None:
            named = re.search(r"'(\w+)'", str(problem.message))  # the English text names the field
            known = named.group(1) if named and named.group(1) in (*ARTICLE_FIELDS, *PAGE_FIELDS) else None
            where = known or "general"
        out.append(
            {
                "field": where,
                "line": problem.line,
                "body_line": body_line,
                "severity": problem.severity,
                "message": tr(problem.message),
                "hint": tr(problem.hint),
                "text": problem.render(tr),
            }
        )
    return out


# --- the desk ---------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A preview of the form: the page's HTML (None when the article cannot be read) and problems."""

    html: str | None
    problems: list[ContentError]
    seconds: float = 0.0


@functools.cache
def _translator(language: str) -> Translator:
    """A language's catalogue, read once for the desk's life (it answers many requests a minute)."""
    return i18n.translator(language)


class Desk:
    """The desk's state and its request handlers; the preview server calls ``handle``."""

    def __init__(self, site_dir: Path, password: str | None = None, preview=None):
        self.site_dir = site_dir
        self.password = password or None
        self.preview = preview  # the running Preview: its build cache, problems and base URL
        self.csrf = secrets.token_urlsafe(32)  # without a password: one token for this server's life
        self.sessions: dict[str, str] = {}  # session id -> its CSRF token
        self.index = Index()
        self.extra_assets: dict[str, Path] = {}  # output path -> image cache file, for previews
        self._write_lock = threading.Lock()
        self._env_key: tuple | None = None
        self._env = None
        self._config: Config | None = None
        self._config_key: tuple = ()
        self._recent: tuple | None = None
        self._menu_memo: tuple | None = None

    # --- plumbing ---------------------------------------------------------------------------------

    def config(self) -> Config:
        """config.yaml as the preview reads it, read again when it changed or the site was rebuilt."""
        try:
            info = (self.site_dir / "config.yaml").stat()
            key: tuple = (info.st_size, info.st_mtime_ns, getattr(self.preview, "builds", 0))
        except OSError:
            key = ()
        if key and key == self._config_key and self._config is not None:
            return self._config
        base = self.preview.base_url() if self.preview else None
        self._config, self._config_key = load_config(self.site_dir, base), key
        if self.preview is not None:  # the largest form the server accepts follows max_file_kb
            self.preview.max_file_bytes = self._config.max_file_kb * 1024
        return self._config

    def recent_items(self, config: Config, fresh: bool = False) -> list[tuple[Item, Parsed]]:
        """The index for previews, typed many times a minute: scanned again after each rebuild of
        the preview (every save causes one) or after a few seconds, not at each keystroke. The
        list (``fresh``) always scans, so a file added by hand shows up at once."""
        key = (config.source_hash, getattr(self.preview, "builds", 0))
        now = time.monotonic()
        if fresh or self._recent is None or self._recent[0] != key or now - self._recent[1] > RESCAN_SECONDS:
            self._recent = (key, now, self.items(config))
        return self._recent[2]

    def handle(self, request: Request) -> Response:
        """Answer one request under /_desk/; never raises."""
        try:
            return self._route(request)
        except DeskError as exc:
            tr = self.tr()
            extra = {k: tr(v) if isinstance(v, Message) else v for k, v in exc.extra.items()}
            return json_response({"error": tr(exc.message), **extra}, exc.status)
        except NewsroomError as exc:
            return json_response({"error": exc.render(self.tr())}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            message = _("the disk refused: {problem}{where}", problem=os_error_text(exc), where=where)
            return json_response({"error": self.tr()(message)}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def tr(self) -> Translator:
        """The desk's language: NEWSROOM_LANG, else the site's ``language`` (the desk has no --lang of its own).
        config.yaml is read first when no request has read it yet (the login page, a refused upload)."""
        if self._config is None:
            with contextlib.suppress(NewsroomError, OSError):
                self.config()
        language = self._config.language if self._config is not None else None
        return _translator(i18n.choose(None, os.environ, language))

    def _route(self, request: Request) -> Response:
        path = request.path
        if path in ("/_desk", "/_desk/login") and request.method == "GET":
            return _redirect(PREFIX)
        if path == PREFIX + "login" and request.method == "POST":
            return self._login(request)
        if path.startswith(PREFIX + "assets/") and request.method == "GET":
            return self._asset(path.removeprefix(PREFIX + "assets/"))
        session = self._session(request)
        if path == PREFIX and request.method == "GET":
            return self._shell(session) if session is not None else self._login_page()
        if session is None:
            raise DeskError(HTTPStatus.UNAUTHORIZED, _("log in to the desk first"))
        if request.method == "POST":
            token = request.headers.get("x-csrf-token", "")
            if not hmac.compare_digest(token.encode(), session.encode()):
                raise DeskError(HTTPStatus.FORBIDDEN, _("the form is out of date (security token): reload the page"))
        routes = {
            ("GET", "api/list"): self.api_list,
            ("GET", "api/article"): self.api_article,
            ("GET", "api/trash"): self.api_trash,
            ("POST", "api/preview"): self.api_preview,
            ("POST", "api/save"): self.api_save,
            ("POST", "api/upload"): self.api_upload,
            ("POST", "api/delete"): self.api_delete,
            ("POST", "api/restore"): self.api_restore,
        }
        name = path.removeprefix(PREFIX)
        handler = routes.get((request.method, name))
        if handler is None and any(route == name for _method, route in routes):
            # a JSON answer the desk's page can show, not the server's English "Unsupported method" page
            raise DeskError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                _("this desk address does not take {method} requests", method=request.method[:16]),
            )
        if handler is None:
            raise DeskError(HTTPStatus.NOT_FOUND, _("no such page in the desk"))
        return handler(request)

    def _session(self, request: Request) -> str | None:
        """The CSRF token of the request's session; None when a login is needed."""
        if self.password is None:
            return self.csrf
        sid = _cookie(request.headers.get("cookie", ""), COOKIE)
        return self.sessions.get(sid) if sid else None

    def _login(self, request: Request) -> Response:
        if self.password is None:
            return _redirect(PREFIX)
        form = parse_qs(request.body.decode("utf-8", "replace"))
        given = (form.get("password") or [""])[0]
        if not hmac.compare_digest(given.encode(), self.password.encode()):
            time.sleep(0.5)  # slows guessing down
            return self._login_page(_("Wrong password."), HTTPStatus.UNAUTHORIZED)
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = secrets.token_urlsafe(32)
        cookie = f"{COOKIE}={sid}; Path={PREFIX}; HttpOnly; SameSite=Strict"
        return _redirect(PREFIX, [("Set-Cookie", cookie)])

    def _login_page(self, message: Message | None = None, status: HTTPStatus = HTTPStatus.OK) -> Response:
        tr = self.tr()
        page = self._page("login.html", tr).replace("{{message}}", _html_escape(tr(message)))
        return Response(status, page.encode("utf-8"), "text/html; charset=utf-8", [("Content-Security-Policy", CSP)])

    def _shell(self, token: str) -> Response:
        page = self._page("desk.html", self.tr()).replace("{{csrf}}", token)
        return Response(
            HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8", [("Content-Security-Policy", CSP)]
        )

    def _page(self, name: str, tr: Translator) -> str:
        """One of desk_assets' pages in the desk's language: ``{{t.key}}`` and ``{{lang}}`` filled, and
        ``{{texts}}`` (inside ``<script type="application/json" id="desk-texts">``) the words desk.js uses."""
        texts = ui_texts(tr)
        page = (ASSETS / name).read_text(encoding="utf-8")
        page = _UI_KEY.sub(lambda m: _html_escape(str(texts[m.group(1)])), page)
        data = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")  # never ends the script block
        return page.replace("{{lang}}", tr.language).replace("{{texts}}", data)

    def _asset(self, name: str) -> Response:
        kind = ASSET_TYPES.get(posixpath.splitext(name)[1])
        path = ASSETS / name
        if kind is None or "/" in name or name.startswith(".") or not path.is_file():
            raise DeskError(HTTPStatus.NOT_FOUND, _("no such file"))
        return Response(HTTPStatus.OK, path.read_bytes(), kind)

    # --- reading --------------------------------------------------------------------------------------

    def _borrowed(self, rel: str, size: int, mtime_ns: int) -> Parsed | None:
        """The preview's own parse of a file, when it read the same version."""
        cache = getattr(self.preview, "_cache", None)
        entry = cache.articles.get(rel) if cache is not None else None
        if entry is not None and entry.size == size and entry.mtime_ns == mtime_ns:
            return entry.parsed
        return None

    def items(self, config: Config) -> list[tuple[Item, Parsed]]:
        return self.index.items(config, self._borrowed)

    def build_problems(self, source: str) -> list[ContentError]:
        """Problems the last preview build found in this file (links, pictures, URL clashes)."""
        found = getattr(self.preview, "problems", None) or []
        return [p for p in found if p.path == source]

    def api_list(self, request: Request) -> Response:
        config = self.config()
        now = datetime.now(config.tz)
        rows, authors, units, tags = [], set(), set(), set()
        build_errors: dict[str, int] = {}
        for problem in getattr(self.preview, "problems", None) or []:
            if not problem.warning:
                build_errors[problem.path] = build_errors.get(problem.path, 0) + 1
        for item, _unused in self.recent_items(config, fresh=True):
            authors.add(item.author)
            units.add(item.source_unit)
            tags.update(item.tags)
            errors = len(item.errors) + build_errors.get(item.source, 0)
            status = "error" if errors else item.status(now)
            rows.append(
                {
                    "path": item.source,
                    "kind": item.kind,
                    "title": item.title,
                    "category": item.category,
                    "date": item.date.astimezone(config.tz).strftime("%Y-%m-%d %H:%M") if item.date else "",
                    "author": item.author,
                    "status": status,
                    "errors": errors,
                    "url": item.url,
                }
            )
        rows.sort(key=lambda r: (r["kind"] != "article", r["date"] or "9999"), reverse=False)
        rows.sort(key=lambda r: r["date"], reverse=True)
        rows.sort(key=lambda r: r["kind"] != "article")
        return json_response(
            {
                "items": rows,
                "categories": [c.name for c in config.categories],
                "authors": sorted(a for a in authors if a),
                "source_units": sorted(u for u in units if u),
                "tags": sorted(t for t in tags if t),
                "now": now.strftime("%Y-%m-%dT%H:%M"),
                "timezone": config.timezone if hasattr(config, "timezone") else str(config.tz),
                "site_title": config.title,
            }
        )

    def api_article(self, request: Request) -> Response:
        config = self.config()
        rel, path = checked_source(config, request.param("path"))
        data = path.read_bytes()
        text = data.decode("utf-8", "replace")
        fields = PAGE_FIELDS if is_page_source(rel) else ARTICLE_FIELDS
        problems = list(parse_article(rel, data, config).problems)
        problems += [p for p in self.build_problems(rel) if p not in problems]
        answer: dict[str, Any] = {
            "path": rel,
            "folder": posixpath.dirname(rel),
            "kind": "page" if is_page_source(rel) else "article",
            "hash": digest(data),
            "problems": placed(problems, text, self.tr()),
            "url": next((i.url for i, _unused in self.recent_items(config) if i.source == rel), ""),
        }
        try:
            read = frontmatter.read(text)
            parts = frontmatter.split(text)
            assert parts is not None
        except (YamlProblem, ValueError):
            answer.update({"raw": True, "text": text})  # edited as plain text until it can be read
            return json_response(answer)
        values = {key: _form_value(key, read.values.get(key), config) for key in fields}
        answer.update({"raw": False, "values": values, "body": parts.body})
        return json_response(answer)

    # --- the form to a file ----------------------------------------------------------------------------

    def compose(self, config: Config, form: dict, original: str | None, kind: str) -> str:
        """The file the form stands for, written the way an editor would write it."""
        if isinstance(form.get("raw"), str):
            return form["raw"].replace("\r\n", "\n")
        body = form.get("body", "")
        values = form.get("values", {})
        if not isinstance(body, str) or not isinstance(values, dict):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("the form is incomplete"))
        fields = PAGE_FIELDS if kind == "page" else ARTICLE_FIELDS
        before: dict = {}
        if original is not None:
            try:
                before = frontmatter.read(original).values
            except (YamlProblem, ValueError):
                before = {}
        clean = {key: _file_value(key, values.get(key), before.get(key), config) for key in fields}
        return frontmatter.write(clean, body.replace("\r\n", "\n"), original)

    def _target(self, config: Config, form: dict) -> tuple[str, Path | None, str | None, str]:
        """(site-relative source, existing path or None, its text, kind) that a form is about."""
        if form.get("path"):
            rel, path = checked_source(config, form["path"])
            kind = "page" if is_page_source(rel) else "article"
            return rel, path, path.read_bytes().decode("utf-8", "replace"), kind
        kind = "page" if form.get("kind") == "page" else "article"
        folder = form.get("folder") or ("content/pages" if kind == "page" else "")
        if not folder:
            folder = f"content/{datetime.now(config.tz).year:04d}"
        rel_folder, _unused = checked_folder(config, folder)
        if kind == "page" and not (rel_folder + "/").startswith(PAGES_DIR):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("pages go in content/pages/"))
        if kind == "article" and (rel_folder + "/").startswith(PAGES_DIR):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("articles do not go in content/pages/"))
        values = form.get("values") if isinstance(form.get("values"), dict) else {}
        title = values.get("title") if isinstance(values.get("title"), str) else ""
        stem = slugify(title) or ("trang" if kind == "page" else "bai-viet")
        return f"{rel_folder}/{stem}.md", None, None, kind

    # --- preview --------------------------------------------------------------------------------------

    def api_preview(self, request: Request) -> Response:
        config = self.config()
        form = request.json()
        rel, _unused, original, kind = self._target(config, form)
        text = self.compose(config, form, original, kind)
        rendered = self.render(config, rel, text)
        return json_response(
            {
                "html": rendered.html,
                "problems": placed(rendered.problems, text, self.tr()),
                "seconds": round(rendered.seconds, 4),
            }
        )

    def render(self, config: Config, rel: str, text: str) -> Rendered:
        """The page the build would make of ``text`` as ``rel``, rendered by the site's theme."""
        started = time.perf_counter()
        parsed = parse_article(rel, text.encode("utf-8"), config)
        problems = list(parsed.problems)
        item = parsed.article
        if item is None or any(not p.warning for p in problems):
            return Rendered(None, problems, time.perf_counter() - started)
        items = self.recent_items(config)
        body = render_body(
            item,
            lambda url: href(config, url),
            lambda path: (self.site_dir / path).is_file(),
            config.allow_html,
            lambda path: file_facts(self.site_dir, path),
            config.language,
        )
        problems += body.problems
        link_map: dict[str, str | None] = {
            i.source: (i.url if i.status(datetime.now(config.tz)) == "published" else None) for i, _unused in items
        }
        link_map[rel] = item.url
        html, link_problems, _unused = resolve_links(rel, body, link_map, lambda url: href(config, url))
        problems += link_problems
        item = dataclasses.replace(
            item,
            body_html=html,
            summary=item.summary or body.summary,
            lead_in_body=_same_text(item.summary, body.first_paragraph) if item.summary else True,
            image=item.image or body.first_image,
            assets=body.assets,
            draft=False,
        )
        if isinstance(item, Article):
            item = dataclasses.replace(item, scheduled=False)
        photo_problems: list[ContentError] = []
        [item], _unused = attach_photos(self.site_dir, config, [item], {}, photo_problems)
        problems += photo_problems
        for asset in item.assets:
            self.extra_assets[asset.output_path] = self.site_dir / asset.source
        info_pages = [p.article for _unused, p in items if isinstance(p.article, InfoPage) and p.article.source != rel]
        if isinstance(item, InfoPage):
            info_pages.append(item)
        menu = self._menu(config, info_pages, rel if isinstance(item, InfoPage) else "")
        site = make_site([item] if isinstance(item, Article) else [], config, None, info_pages, menu)
        page = next((p for p in plan_pages(site, config) if rel in p.sources and p.url == item.url), None)
        if page is None:
            return Rendered(None, problems, time.perf_counter() - started)
        [(_unused, data)] = list(render_pages(self._environment(config, menu), [page]))
        return Rendered(data.decode("utf-8"), problems, time.perf_counter() - started)

    def _menu(self, config: Config, info_pages: list[InfoPage], page: str):
        """The site's menu, worked out again only when the index or the page being edited changed."""
        key = (self._recent[0] if self._recent else None, page, page and repr(info_pages[-1]))
        if self._menu_memo is None or self._menu_memo[0] != key:
            self._menu_memo = (key, resolve_menu(config, info_pages)[0])
        return self._menu_memo[1]

    def _environment(self, config: Config, menu):
        """The theme's Jinja environment, made again only when the site or its theme was rebuilt.

        Its static files are linked on the preview server, which serves the last build's copies
        (the logo as the photo step made it, say): any file the theme asks for gets a version, so
        the preview never depends on how the build chooses them.
        """
        builds = getattr(self.preview, "builds", 0)
        key = (config.source_hash, builds, repr(menu))
        if key != self._env_key:
            self._env = make_environment(config, find_theme(config), _AnyVersion(f"desk{builds}"), {"menu": menu})
            self._env_key = key
        return self._env

    # --- saving ----------------------------------------------------------------------------------------

    def api_save(self, request: Request) -> Response:
        config = self.config()
        form = request.json()
        rel, path, original, kind = self._target(config, form)
        text = self.compose(config, form, original, kind)
        data = text.encode("utf-8")
        problems = list(parse_article(rel, data, config).problems)
        draft = _says_draft(text)
        errors = [p for p in problems if not p.warning]
        if errors and not draft:
            raise DeskError(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                _(
                    "not saved: the article has errors (marked at their fields). Fix them, or tick 'draft' to "
                    "save it unfinished."
                ),
                problems=placed(problems, text, self.tr()),
            )
        with self._write_lock:
            if path is None:
                path = self._create(config, rel, text, kind)
                rel = path.relative_to(self.site_dir).as_posix()
            else:
                current = path.read_bytes()
                if digest(current) != form.get("hash"):
                    raise DeskError(
                        HTTPStatus.CONFLICT,
                        _(
                            "not saved: the file was changed on disk since you opened it. Both versions are shown: "
                            "keep yours (it replaces the one on disk) or take the one on disk."
                        ),
                        theirs=current.decode("utf-8", "replace"),
                        theirs_hash=digest(current),
                        mine=text,
                    )
                if current != data:
                    write_atomic(path, data)
        self._recent = None  # the list shows the change at once, before any rebuild
        problems = list(parse_article(rel, data, config).problems)
        return json_response(
            {"path": rel, "hash": digest(data), "problems": placed(problems, text, self.tr()), "saved": True}
        )

    def _create(self, config: Config, rel: str, text: str, kind: str) -> Path:
        """A new file, under a name and URL no other file has (``-2``, ``-3`` … otherwise)."""
        folder = self.site_dir / posixpath.dirname(rel)
        stem = posixpath.splitext(posixpath.basename(rel))[0]
        taken = {i.url for i, _unused in self.items(config) if i.url}
        parsed = parse_article(rel, text.encode("utf-8"), config).article
        if isinstance(parsed, Article) and "slug" not in frontmatter.read(text).values:

            def url_of(slug: str) -> str:
                return article_url(config.permalinks.article, slug, parsed.date, parsed.category)
        else:

            def url_of(slug: str) -> str:
                return f"{rel}:{slug}"

        folder.mkdir(parents=True, exist_ok=True)
        return write_new(folder, stem, text, url_of, taken, dry_run=False)

    # --- photos and documents ------------------------------------------------------------------------------

    def api_upload(self, request: Request) -> Response:
        config = self.config()
        folder_rel, folder = checked_folder(config, request.param("folder"))
        name = request.param("name")
        extension = posixpath.splitext(name.lower())[1]
        if extension in PICTURES:
            signatures, subfolder, what = PICTURES[extension], "images", "picture"
        elif extension in DOCUMENTS:
            signatures, subfolder, what = DOCUMENTS[extension], "files", "document"
        else:
            allowed = ", ".join(sorted({*PICTURES, *DOCUMENTS}))
            raise DeskError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                _(
                    "'{name}' is not a picture or document the site can publish (allowed: {allowed}); "
                    "a photo from an iPhone (HEIC) must be saved as JPEG first",
                    name=name[:80],
                    allowed=allowed,
                ),
            )
        data = request.body
        if not data:
            raise DeskError(HTTPStatus.BAD_REQUEST, _("'{name}' is empty", name=name[:80]))
        _check_kind(name, extension, data, signatures)
        stem = slugify(posixpath.splitext(posixpath.basename(name))[0], limit=80) or (
            "anh" if what == "picture" else "tep"
        )
        extension = ".jpg" if extension == ".jpeg" else extension
        target_folder = folder / subfolder
        _inside_content(config, target_folder, f"{folder_rel}/{subfolder}")
        with self._write_lock:
            path = _free_name(target_folder, stem, extension, data)
        return json_response(
            {
                "path": f"{subfolder}/{path.name}",
                "kind": what,
                "size": len(data),
                "label": DOCUMENT_TYPES.get(extension),
            }
        )

    # --- deleting and restoring -------------------------------------------------------------------------

    def api_delete(self, request: Request) -> Response:
        config = self.config()
        form = request.json()
        rel, path = checked_source(config, form.get("path"))
        with self._write_lock:
            current = path.read_bytes()
            if digest(current) != form.get("hash"):
                raise DeskError(
                    HTTPStatus.CONFLICT,
                    _("not deleted: the file was changed on disk since you opened it; open it again first"),
                    theirs=current.decode("utf-8", "replace"),
                    theirs_hash=digest(current),
                )
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            trash = config.content_dir / TRASH
            box, n = trash / stamp, 1
            while box.exists():
                n += 1
                box = trash / f"{stamp}-{n}"
            target = box / rel.removeprefix("content/")
            target.parent.mkdir(parents=True)
            os.rename(path, target)
        self._recent = None  # the list shows the change at once, before any rebuild
        return json_response({"trashed": f"{box.name}/{rel.removeprefix('content/')}"})

    def api_trash(self, request: Request) -> Response:
        config = self.config()
        trash = config.content_dir / TRASH
        rows = []
        if trash.is_dir():
            for box in sorted(trash.iterdir(), reverse=True):
                if not box.is_dir() or not _TRASH_ID.fullmatch(box.name):
                    continue
                for file in sorted(box.rglob("*.md")):
                    if file.is_symlink() or not file.is_file():
                        continue
                    inner = file.relative_to(box).as_posix()
                    title = item_of(inner, Parsed(None, ()), file.read_bytes()).title
                    rows.append(
                        {
                            "id": f"{box.name}/{inner}",
                            "path": f"content/{inner}",
                            "title": title,
                            "deleted": f"{box.name[:4]}-{box.name[4:6]}-{box.name[6:8]} {box.name[9:11]}:{box.name[11:13]}",
                        }
                    )
        return json_response({"items": rows})

    def api_restore(self, request: Request) -> Response:
        config = self.config()
        form = request.json()
        raw = form.get("id")
        if not isinstance(raw, str) or "/" not in raw:
            raise DeskError(HTTPStatus.BAD_REQUEST, _("no deleted file was named"))
        box, _unused, inner = raw.partition("/")
        if not _TRASH_ID.fullmatch(box):
            raise DeskError(HTTPStatus.BAD_REQUEST, _("'{name}' is not in the trash", name=raw[:80]))
        rel, target = checked_source(config, f"content/{inner}", must_exist=False)
        source = config.content_dir / TRASH / box / inner
        if not source.resolve().is_relative_to((config.content_dir / TRASH).resolve()) or not source.is_file():
            raise DeskError(HTTPStatus.NOT_FOUND, _("'{name}' is not in the trash", name=raw[:80]))
        with self._write_lock:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)  # never over a file that took its place meanwhile
            except FileExistsError:
                raise DeskError(
                    HTTPStatus.CONFLICT,
                    _("{path} exists again: rename or delete that file first, then restore", path=rel),
                ) from None
            os.unlink(source)
            for folder in (source.parent, *source.parent.parents):
                if folder == config.content_dir / TRASH or not folder.is_relative_to(config.content_dir / TRASH):
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break
        self._recent = None  # the list shows the change at once, before any rebuild
        return json_response({"path": rel})


# --- small helpers -----------------------------------------------------------------------------------


class _AnyVersion(dict):
    """Asset versions for a preview: every static file the theme names has one."""

    def __init__(self, version: str):
        super().__init__()
        self.version = version

    def get(self, key, default=None):
        return self.version


def _check_kind(name: str, extension: str, data: bytes, signatures: tuple[bytes, ...]) -> None:
    """The file must be what its name says: its first bytes are checked, and a drawing for scripts."""
    shown = name[:80]
    if extension == ".svg":
        found, count = svg.problems(data)
        if found:
            message, hint = svg.describe(found, count)
            message = _("the drawing '{name}' {problem}", name=shown, problem=message)
            raise DeskError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, message, hint=hint)
        return
    if extension == ".webp" and data[8:12] != b"WEBP":
        signatures = ()
    if not any(data.startswith(s) for s in signatures):
        raise DeskError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            _(
                "'{name}' is not really a {kind} file (its contents are something else); "
                "save it again in that format and add it again",
                name=shown,
                kind=extension[1:].upper(),
            ),
        )


def _free_name(folder: Path, stem: str, extension: str, data: bytes) -> Path:
    """``stem.ext``, or ``stem-2.ext`` … when taken by another file; the same bytes reuse the file."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10000):
        path = folder / (f"{stem}{extension}" if n == 1 else f"{stem}-{n}{extension}")
        if path.is_symlink():
            continue
        if path.is_file():
            if path.read_bytes() == data:
                return path
            continue
        if write_exclusive(path, data):
            return path
    raise DeskError(HTTPStatus.CONFLICT, _("too many files called {name}", name=stem + extension))


def _says_draft(text: str) -> bool:
    """Whether the file says ``draft: true``; one whose front matter cannot be read does not (it is
    refused with its problems placed, like any file with errors that is not a draft)."""
    try:
        return frontmatter.read(text).values.get("draft") is True
    except (YamlProblem, ValueError):
        return False


def _form_value(key: str, value, config: Config):
    """A front-matter value as the form shows it: dates as ``YYYY-MM-DDTHH:MM`` in the site's zone."""
    if key in FLAGS:
        return value is True
    if key == "tags":
        return [str(v) for v in value] if isinstance(value, list) else ([] if value in ("", None) else [str(value)])
    if key in ("date", "updated"):
        return _date_for_form(value, config)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else str(value)


def _date_for_form(value, config: Config) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        return parse_date(value.strip(), config).astimezone(config.tz).strftime("%Y-%m-%dT%H:%M")
    except (ValueError, OverflowError):
        return value  # shown as written, with the reader's message beside it


def _file_value(key: str, value, before, config: Config):
    """A form value as it goes into the file; an unchanged date keeps the way it was written."""
    if key in FLAGS:
        return value is True
    if key == "tags":
        items = value if isinstance(value, list) else []
        tags = [" ".join(unicodedata.normalize("NFC", str(t)).split()) for t in items if isinstance(t, str)]
        return list(dict.fromkeys(t for t in tags if t))
    if key == "order":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value or "").strip()
        return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text
    if value is not None and not isinstance(value, str):
        raise DeskError(HTTPStatus.BAD_REQUEST, _("'{key}' must be text", key=key))
    text = unicodedata.normalize("NFC", value or "")
    text = text.strip() if key == "summary" else " ".join(text.split())
    if key in ("date", "updated"):
        if isinstance(before, str) and _date_for_form(before, config) == text.replace(" ", "T"):
            return before
        return text.replace("T", " ")
    return text


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _unused, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _redirect(location: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(HTTPStatus.SEE_OTHER, b"", "text/plain; charset=utf-8", [("Location", location), *(headers or [])])


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def title_matches(title: str, query: str) -> bool:
    """Title search ignores accents and case, as editors type without Unikey."""
    return fold(query) in fold(title)
