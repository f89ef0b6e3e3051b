"""``build.py serve``: a local preview that rebuilds on save and refreshes the editor's browser.

    watchdog events ─► ChangeQueue (debounced: a burst of saves is one rebuild)
                          ─► rebuild thread (one build at a time, into .cache/preview/)
                          ─► Broadcast ─► Server-Sent Events ─► reload.js in each open page

The preview has its own folder, so the deployable ``output/`` is never touched, and the live
reload script is added to HTML responses on the way out, never written to disk. A failed build
keeps the last good preview and shows the errors in an overlay. The server answers only on
loopback by default, only for its own host names, and only with files inside the preview.

The same server carries the desk (``desk.py``, at ``/_desk/``): the editing pages and their JSON
API. Off loopback the desk needs a password (``NEWSROOM_DESK_PASSWORD``); without one, ``serve``
refuses to start rather than let anyone on the network write articles.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import html
import json
import mimetypes
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .build import BuildOptions, build, level_staging, open_cache
from .desk import MAX_JSON_SLACK, MAX_UPLOAD_BYTES, PASSWORD_VARIABLE, Desk, Request, Response
from .errors import BuildFailed, ContentError, NewsroomError, OutputError, shown_warnings
from .i18n import ENGLISH, Message, Translator, _, ngettext
from .render import BUILTIN_THEMES

PREVIEW_DIR = Path(".cache") / "preview"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_IGNORED_NAME = re.compile(r"(^\.|~$|^#.*#$|\.sw[a-px]$|^4913$|\.tmp$|\.DS_Store$)")
_ASSET_DIR = "/__newsroom/"
SHUTDOWN_POLL = 0.05  # seconds: how soon the HTTP server notices it is asked to stop
RELOAD_TAG = f'<script src="{_ASSET_DIR}reload.js"></script>'


# --- what changed -----------------------------------------------------------------------------


def is_relevant(path: str, site_dir: Path) -> bool:
    """Whether a changed path can change the site: not swap files, caches or our own output."""
    p = Path(path)
    if _IGNORED_NAME.search(p.name):
        return False
    try:
        rel = p.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return True  # the built-in theme, watched from outside the site
    first = rel.parts[0] if rel.parts else ""
    if first in ("content", "themes", "static"):
        return not any(part.startswith(".") for part in rel.parts)
    return rel.as_posix() == "config.yaml"


class ChangeQueue:
    """Collects changed paths and hands them out in debounced batches.

    Editors save by writing a temp file and renaming it; ``git checkout`` touches hundreds of
    files. A batch ends when no event has come for ``quiet`` seconds (or after ``longest``).
    """

    def __init__(self, quiet: float = 0.15, longest: float = 2.0):
        self.quiet = quiet
        self.longest = longest
        self._paths: set[str] = set()
        self._last = 0.0
        self._first = 0.0
        self._cond = threading.Condition()

    def add(self, path: str) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._paths:
                self._first = now
            self._paths.add(path)
            self._last = now
            self._cond.notify_all()

    def wake(self) -> None:
        """Let a waiting ``next_batch`` look at its stop event now (the preview is stopping)."""
        with self._cond:
            self._cond.notify_all()

    def next_batch(self, stop: threading.Event) -> set[str] | None:
        """Block until a quiet batch is ready; None once ``stop`` is set."""
        with self._cond:
            while not stop.is_set():
                if self._paths:
                    now = time.monotonic()
                    wait = min(self._last + self.quiet, self._first + self.longest) - now
                    if wait <= 0:
                        batch, self._paths = self._paths, set()
                        return batch
                    self._cond.wait(wait)
                else:
                    self._cond.wait(0.2)
        return None


class _Forward(FileSystemEventHandler):
    def __init__(self, site_dir: Path, queue: ChangeQueue):
        self.site_dir = site_dir
        self.queue = queue

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return  # reads, and a folder's own timestamp changing when a file in it changes
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and is_relevant(os.fsdecode(path), self.site_dir):
                self.queue.add(os.fsdecode(path))


def start_watching(site_dir: Path, queue: ChangeQueue, say: Callable[[Message], None], observer_class=Observer):
    """Watch the site's sources; fall back to polling, and say so (a Message: the caller's edge translates it),
    when inotify runs out."""
    handler = _Forward(site_dir, queue)
    folders = [site_dir / name for name in ("content", "themes", "static") if (site_dir / name).is_dir()]
    if BUILTIN_THEMES.is_dir() and not BUILTIN_THEMES.resolve().is_relative_to(site_dir.resolve()):
        folders.append(BUILTIN_THEMES)

    def schedule(observer):
        observer.schedule(handler, str(site_dir), recursive=False)  # config.yaml, new folders
        for folder in folders:
            observer.schedule(handler, str(folder), recursive=True)
        observer.start()
        return observer

    try:
        return schedule(observer_class())
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EMFILE):
            raise
        say(
            _(
                "warning: the system ran out of file watches (inotify); watching by polling instead, "
                "which notices changes a little later.\n"
                "    hint: raise the limit with  sudo sysctl fs.inotify.max_user_watches=524288"
            )
        )
        return schedule(PollingObserver(timeout=0.5))


# --- telling the browsers -----------------------------------------------------------------------


@dataclass
class Broadcast:
    """The latest news for open pages: a numbered event that SSE handlers wait for."""

    version: int = 0
    kind: str = "ok"  # ok | reload | css | build-error
    data: str = ""
    errors: str = ""  # the current build errors, empty when the last build succeeded
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, kind: str, data: str = "") -> None:
        with self._cond:
            self.version += 1
            self.kind, self.data = kind, data
            self.errors = data if kind == "build-error" else ""
            self._cond.notify_all()

    def wait_after(self, version: int, timeout: float) -> tuple[int, str, str]:
        with self._cond:
            if self.version == version:
                self._cond.wait(timeout)
            return self.version, self.kind, self.data

    def wake_all(self) -> None:
        with self._cond:
            self._cond.notify_all()


# --- the server ---------------------------------------------------------------------------------


NAME_MAX = 255  # bytes in one file name on every file system the preview runs on


def split_target(raw_path: str) -> tuple[str, str]:
    """Path and query string of a request target. In the usual form (``/p?q``) the path is taken
    as it is: ``//2024`` is a path here, not the host ``2024`` that ``urlsplit`` would read. A full
    URL (``http://host/p?q``) gives its path."""
    if raw_path.startswith("/"):
        path, _mark, query = raw_path.partition("?")
        return path, query
    parts = urlsplit(raw_path)
    return parts.path, parts.query


def request_parts(raw_path: str) -> list[str] | None:
    """The path segments a request names, decoded; None when it tries to leave the root.

    ``..`` (also as ``%2e%2e``), backslashes (browsers read ``/\\x`` as ``//x``) and NUL bytes
    are refused, and so is a segment longer than any file name can be, so that asking the disk
    about it never fails halfway through an answer.
    """
    path = unquote(split_target(raw_path)[0])
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts or any(len(os.fsencode(p)) > NAME_MAX for p in parts):
        return None
    return parts


def safe_target(root: Path, raw_path: str) -> Path | None:
    """The file under ``root`` a request path names, or None when it tries to leave the root."""
    parts = request_parts(raw_path)
    if parts is None:
        return None
    target = root.joinpath(*parts)
    try:
        real = target.resolve()
    except (OSError, ValueError):
        return None
    return target if real.is_relative_to(root.resolve()) else None


def folder_location(raw_path: str) -> str:
    """Where a request for a folder without its final slash is sent: the same path on this
    server, rebuilt from its decoded segments, so that it always starts with exactly one ``/``
    (``//2024`` would send the browser to a host called 2024). The query string is kept."""
    parts = request_parts(raw_path) or []
    query = split_target(raw_path)[1]
    location = "/" + "".join(quote(part, safe="") + "/" for part in parts)
    return location + (f"?{query}" if query else "")


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quiet: editors do not need access logs
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def _text(self, message: Message) -> bytes:
        """A plain-text answer in the preview's language."""
        return f"{self.server.preview.tr(message)}\n".encode()

    def do_GET(self, head: bool = False) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, self._text(_("Host not allowed")), "text/plain; charset=utf-8", head)
            return
        path = split_target(self.path)[0]
        if self._is_desk(path):
            self._desk("GET", b"", head)
            return
        if path == _ASSET_DIR + "reload.js":
            self._send(HTTPStatus.OK, reload_script(self.server.preview.tr), "text/javascript; charset=utf-8", head)
            return
        if path == _ASSET_DIR + "events":
            self._events(head)
            return
        found = self._locate(path)
        if isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif found is None:
            self._not_found(head)
        else:
            self._send_file(HTTPStatus.OK, found, head)

    def do_POST(self) -> None:
        """Only the desk takes POSTs: its forms and uploads. The size is checked before reading."""
        path = split_target(self.path)[0]
        if not self._host_allowed():
            self._refuse(HTTPStatus.FORBIDDEN, _("Host not allowed"))
            return
        if not self._is_desk(path):
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, _("this address takes no POST"))
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._refuse(HTTPStatus.LENGTH_REQUIRED, _("the request must say its length"))
            return
        size, limit = int(length), self._limit(path)
        if size > limit:
            self._discard(size)
            self._desk_reply(
                Response(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    json.dumps({"error": self.server.preview.desk.tr()(too_large(size, limit))}).encode(),
                ),
                False,
            )
            return
        self._desk("POST", self.rfile.read(size), False)

    def do_PUT(self) -> None:
        self._other_method("PUT")

    def do_DELETE(self) -> None:
        self._other_method("DELETE")

    def do_PATCH(self) -> None:
        self._other_method("PATCH")

    def _other_method(self, method: str) -> None:
        """Methods nothing here takes: the desk answers its JSON 405 in its language, not http.server's English 501."""
        path = split_target(self.path)[0]
        length = self.headers.get("Content-Length", "0")
        self._discard(int(length) if length.isdigit() else 0)
        if not self._host_allowed():
            self._refuse(HTTPStatus.FORBIDDEN, _("Host not allowed"))
        elif self._is_desk(path):
            self._desk(method, b"", False)
        else:
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, _("this address takes no {method}", method=method))

    def _is_desk(self, path: str) -> bool:
        return self.server.preview.desk is not None and (path == "/_desk" or path.startswith("/_desk/"))

    def _limit(self, path: str) -> int:
        if path.endswith("/api/upload"):
            return MAX_UPLOAD_BYTES
        if path.endswith("/login"):
            return 4096
        return self.server.preview.max_file_bytes * 3 + MAX_JSON_SLACK

    def _discard(self, size: int) -> None:
        """Read a refused body away (up to a bound), so the browser gets to read the answer."""
        if size > 4 * MAX_UPLOAD_BYTES:
            self.close_connection = True
            return
        left = size
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)

    def _refuse(self, status: HTTPStatus, message: Message) -> None:
        self.close_connection = True
        self._send(status, self._text(message), "text/plain; charset=utf-8", False)

    def _desk(self, method: str, body: bytes, head: bool) -> None:
        path, query = split_target(self.path)
        request = Request(method, path, parse_qs(query), {k.lower(): v for k, v in self.headers.items()}, body)
        self._desk_reply(self.server.preview.desk.handle(request), head)

    def _desk_reply(self, response: Response, head: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.kind)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Referrer-Policy", "same-origin")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _locate(self, path: str) -> Path | str | None:
        """The file to send, a redirect location (a folder asked for without its slash), or None
        for a 404. Never raises: a name the disk refuses (too long, odd bytes) is simply not there."""
        root = self.server.preview.root
        target = safe_target(root, self.path)
        if target is None:
            return None
        try:
            if target.is_dir():
                if not path.endswith("/"):
                    return folder_location(self.path)
                target = target / "index.html"
            if target.is_file() and target.resolve().is_relative_to(root.resolve()):
                return target
        except (OSError, ValueError):
            pass
        return self._desk_photo(path)

    def _desk_photo(self, path: str) -> Path | None:
        """A photo the desk's preview uses before any build has published it (in the photo cache)."""
        desk = self.server.preview.desk
        parts = request_parts(self.path)
        if desk is None or not parts:
            return None
        found = desk.extra_assets.get("/".join(parts))
        return found if found is not None and found.is_file() else None

    def _host_allowed(self) -> bool:
        """The Host header, and the host of a request sent as a full URL (``GET http://h/x``),
        which then takes the header's place, must both be this server's own."""
        host = (self.headers.get("Host") or "").lower()
        named = "" if self.path.startswith("/") else urlsplit(self.path).netloc.lower()
        if named and named not in self.server.allowed_hosts:
            return False
        return host in self.server.allowed_hosts

    def _not_found(self, head: bool) -> None:
        preview = self.server.preview
        if preview.broadcast.errors and not (preview.root / "index.html").is_file():
            # nothing built yet (the first build failed): the errors, not a bare "Not found"
            page = inject_reload(error_page(preview.broadcast.errors, preview.tr))
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, page, "text/html; charset=utf-8", head)
            return
        page = preview.root / "404.html"
        if page.is_file():
            self._send_file(HTTPStatus.NOT_FOUND, page, head)
        else:
            self._send(HTTPStatus.NOT_FOUND, self._text(_("Not found")), "text/plain; charset=utf-8", head)

    def _send_file(self, status: HTTPStatus, path: Path, head: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # removed by a rebuild between the check and the read
            self._send(HTTPStatus.NOT_FOUND, self._text(_("Not found")), "text/plain; charset=utf-8", head)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject_reload(data)
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(status, data, kind, head)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self, head: bool = False) -> None:
        """Server-Sent Events: the current state at once, then each new event (HEAD: headers only)."""
        broadcast = self.server.preview.broadcast
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:
            return
        version = broadcast.version
        try:
            if broadcast.errors:
                self._event("build-error", broadcast.errors)
            else:
                self._event("ok", "")
            while not self.server.stopping.is_set():
                new_version, kind, data = broadcast.wait_after(version, 15.0)
                if new_version == version:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                version = new_version
                self._event(kind, data)
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _event(self, kind: str, data: str) -> None:
        lines = "".join(f"data: {line}\n" for line in (data.split("\n") if data else [""]))
        self.wfile.write(f"event: {kind}\n{lines}\n".encode())
        self.wfile.flush()


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        """A browser closing a tab mid-response is normal; anything else is worth one line."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            line = _("preview: error answering {client}: {error}", client=client_address[0], error=repr(error))
            print(self.preview.tr(line), file=sys.stderr)

    def __init__(self, address, preview: Preview):
        self.preview = preview
        self.stopping = threading.Event()
        super().__init__(address, PreviewHandler)
        port = self.server_address[1]
        names = {*LOOPBACK_NAMES, preview.host.lower()}
        self.allowed_hosts = {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())


def too_large(size: int, limit: int) -> Message:
    """The message for a request (an upload, mostly) over the desk's limit."""
    return _(
        "the file is too large ({size:.1f} MB); at most {limit} MB can be sent. "
        "Make the photo smaller (phones and cameras have a smaller size setting) and add it again",
        size=size / 2**20,
        limit=limit // 2**20,
    )


def reload_script(tr: Translator) -> bytes:
    """reload.js with the overlay's words in the preview's language (the build errors come already translated)."""
    texts = {
        "heading": tr(_("Error building the site")),
        "note": tr(_("The page shown is the last good build. Fix the error below and save the file.")),
        "nothing_yet": tr(_("Nothing could be built yet. Fix the error below and save the file.")),
    }
    return RELOAD_JS.replace("__TEXTS__", json.dumps(texts)).encode()


def error_page(errors: str, tr: Translator) -> bytes:
    """What the preview answers while it has no good build to show (the first build failed): the overlay's
    heading and the errors, as a page of its own; reload.js, added to it, reloads it after the next good build."""
    heading = html.escape(tr(_("Error building the site")))
    note = html.escape(tr(_("Nothing could be built yet. Fix the error below and save the file.")))
    return (
        f'<!doctype html>\n<html lang="{tr.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{heading}</title></head>\n'
        f'<body data-newsroom-nothing-built style="font:15px/1.5 system-ui,sans-serif;margin:24px">'
        f'<h2 style="color:#a00">{heading}</h2>\n<p>{note}</p>\n'
        f'<pre style="white-space:pre-wrap;font:14px/1.5 system-ui,sans-serif">{html.escape(errors)}</pre>\n</body></html>\n'
    ).encode()


def inject_reload(page: bytes) -> bytes:
    """Add the live-reload script before </body> (or at the end) of an HTML response."""
    tag = RELOAD_TAG.encode()
    index = page.rfind(b"</body>")
    return page[:index] + tag + page[index:] if index >= 0 else page + tag


# --- putting it together --------------------------------------------------------------------------


@dataclass
class Preview:
    """A running preview: server, watcher and rebuild loop, started and stopped together."""

    site_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    future: bool = True
    quiet: float = 0.15
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))
    observer_class: type = Observer
    builds: int = 0
    last_build_seconds: float = 0.0
    desk_enabled: bool = True
    password: str | None = None
    tr: Translator = ENGLISH  # the terminal lines and the error overlay (the desk has its own language)

    def __post_init__(self) -> None:
        self.root = self.site_dir / PREVIEW_DIR
        self.broadcast = Broadcast()
        self.queue = ChangeQueue(self.quiet)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._observer = None
        self._cache = None  # the build cache, kept in memory between rebuilds
        self.server: PreviewHTTPServer | None = None
        self.problems: list[ContentError] = []  # the last build's errors and warnings, for the desk
        self.max_file_bytes = 2048 * 1024
        self.desk = Desk(self.site_dir, self.password, self) if self.desk_enabled else None

    def base_url(self) -> str:
        """The address the preview is built for: every link in it is on this server."""
        return f"http://127.0.0.1:{self.server.server_address[1] if self.server else self.port}/"

    @property
    def url(self) -> str:
        assert self.server is not None
        host = self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.server.server_address[1]}/"

    def start(self) -> Preview:
        self.server = PreviewHTTPServer((self.host, self.port), self)
        self.rebuild(initial=True)
        self._observer = start_watching(self.site_dir, self.queue, lambda m: self.say(self.tr(m)), self.observer_class)
        # serve_forever looks for a shutdown request this often: its default (0.5 s) was how long stopping took.
        serving = functools.partial(self.server.serve_forever, poll_interval=SHUTDOWN_POLL)
        for target in (serving, self._rebuild_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        self.queue.wake()
        if self.server:
            self.server.stopping.set()
            self.broadcast.wake_all()
            self.server.shutdown()
            self.server.server_close()
        if self._observer:
            self._observer.stop()
            self._observer.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _rebuild_loop(self) -> None:
        if self._cache is not None:  # the first build left staging empty: fill it before the first save
            # Only time is at stake: whatever stops it (a full disk, a stop), the next build does it anyway.
            with contextlib.suppress(Exception):
                level_staging(self.site_dir, BuildOptions(output=self.root, force=True), self._cache, self._stop)
        while True:
            batch = self.queue.next_batch(self._stop)
            if batch is None:
                return
            self.rebuild(changed=batch)

    def rebuild(self, changed: set[str] | None = None, initial: bool = False) -> bool:
        """One build into the preview folder, then tell the pages what to do."""
        started = time.perf_counter()
        options = BuildOptions(
            output=self.root,
            base_url=self.base_url(),
            drafts=self.drafts,
            future=self.future,
            force=True,
            now=datetime.now().astimezone(),
        )
        if self._cache is None:
            self._cache = open_cache(self.site_dir, self.root)
        try:
            report = build(self.site_dir, options, cache=self._cache)
        except Exception as exc:  # a preview must survive anything; the next save tries again
            self.builds += 1
            if isinstance(exc, BuildFailed):
                self.problems = [*exc.errors, *exc.warnings]
            if isinstance(exc, BuildFailed):
                message = failed_text(exc, self.tr)
            elif isinstance(exc, NewsroomError):
                message = exc.render(self.tr)
            else:
                message = self.tr(_("error: {message}", message=f"{type(exc).__name__}: {exc}"))
            self.say(message)
            self.broadcast.publish("build-error", message)
            return False
        self.builds += 1
        self.problems = list(report.warnings)
        self.last_build_seconds = time.perf_counter() - started
        self._say_warnings(report.warnings)
        if not initial:
            css_only = bool(changed) and all(p.endswith(".css") for p in changed) and not self.broadcast.errors
            self.broadcast.publish("css" if css_only else "reload", str(self.builds))
            warnings = len(report.warnings)
            line = _(
                "rebuilt in {seconds:.2f} s ({changed}){warnings}",
                seconds=self.last_build_seconds,
                changed=ngettext("{n} file changed", "{n} files changed", report.written),
                warnings=ngettext("; {n} warning", "; {n} warnings", warnings) if warnings else "",
            )
            self.say(self.tr(line))
        return True

    def _say_warnings(self, warnings: list[ContentError]) -> None:
        """Each build's warnings in the terminal, as ``build`` prints them."""
        for line in shown_warnings(warnings, self.tr):
            self.say(line)


def failed_text(exc: BuildFailed, tr: Translator) -> str:
    """A failed preview build: every error, then a count saying what the preview does about it. Not
    BuildFailed's own last line, which is about output/: the preview never writes there, it keeps showing
    its last good build."""
    n = len(exc.errors)
    outcome = ngettext(
        "build failed: {n} error; the preview keeps showing the last good build",
        "build failed: {n} errors; the preview keeps showing the last good build",
        n,
    )
    return exc.render(tr, outcome)


def desk_password(host: str, desk: bool) -> str | None:
    """The desk's password from the environment; refuses to serve the desk off loopback without one."""
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if desk and password is None and host not in LOOPBACK_HOSTS:
        raise NewsroomError(
            _(
                "serving on {host} would let anyone on the network write and delete articles in the desk\n"
                "    hint: set a password first ({variable}=… python build.py serve --host {host}), "
                "or add --no-desk to serve only the preview",
                host=host,
                variable=PASSWORD_VARIABLE,
            )
        )
    return password


def _unusable_host(host: str) -> OutputError:
    """``--host`` names no address of this computer (a typo, a name nothing resolves, another machine's address):
    the server cannot listen there. Not a disk problem, whatever the generic OSError handler would say."""
    return OutputError(
        _("the address {host} cannot be used on this computer", host=host),
        _("use --host 127.0.0.1 (this computer only) or an address this computer has on the network"),
    )


def serve(
    site_dir: Path,
    host: str,
    port: int,
    drafts: bool,
    future: bool,
    open_browser: bool,
    desk: bool = True,
    tr: Translator = ENGLISH,
) -> int:
    """Run the preview (and the desk) until Ctrl-C, speaking ``tr``'s language in the terminal and the overlay."""
    password = desk_password(host, desk)
    preview = Preview(
        site_dir, host=host, port=port, drafts=drafts, future=future, desk_enabled=desk, password=password, tr=tr
    )
    if host not in LOOPBACK_HOSTS:
        preview.say(
            tr(_("warning: serving on {host}: other computers on the network can open this preview", host=host))
        )
    try:
        preview.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise NewsroomError(
                _("port {port} is already in use; choose another with --port", port=str(port))
            ) from None
        if isinstance(exc, socket.gaierror) or exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise _unusable_host(host) from None
        raise
    try:  # from the first line said on: a Ctrl-C right after it still stops the preview the usual way
        print(tr(_("preview: {url}  (Ctrl-C to stop)", url=preview.url)), flush=True)
        if preview.desk is not None:
            print(tr(_("desk (bàn biên tập): {url}", url=f"{preview.url}_desk/")), flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(preview.url)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\n" + tr(_("stopping the preview…")), file=sys.stderr)
    finally:
        preview.stop()
    return 0


# __TEXTS__ becomes the overlay's words in the preview's language (reload_script).
RELOAD_JS = r"""// newsroom live preview: reloads on rebuild, swaps CSS in place, shows build errors.
(function () {
  var TEXTS = __TEXTS__;
  var key = "newsroom-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = parseFloat(saved) || 0;
    window.scrollTo(0, y);
    addEventListener("load", function () { window.scrollTo(0, y); });
  }
  function overlay(text) {
    var box = document.getElementById("newsroom-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "newsroom-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,10,10,.97);" +
        "color:#fff;overflow:auto;padding:24px;font:15px/1.5 system-ui,sans-serif";
      document.body.appendChild(box);
    }
    box.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = TEXTS.heading;
    h.style.cssText = "margin:0 0 6px;color:#ffb4b4";
    var p = document.createElement("p");
    // Over the page shown while nothing has been built yet, "the page shown is the last good build" is not true.
    p.textContent = document.body.hasAttribute("data-newsroom-nothing-built") ? TEXTS.nothing_yet : TEXTS.note;
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;background:#2b1212;padding:14px;border-radius:6px;font:14px/1.5 system-ui,sans-serif";
    box.appendChild(h); box.appendChild(p); box.appendChild(pre);
  }
  function clear() {
    var box = document.getElementById("newsroom-overlay");
    if (box) box.remove();
  }
  var source = new EventSource("/__newsroom/events");
  source.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  source.addEventListener("css", function (event) {
    clear();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("v", "live" + event.data + "-" + Date.now());
      link.href = url.toString();
    });
  });
  source.addEventListener("build-error", function (event) { overlay(event.data); });
  source.addEventListener("ok", clear);
})();
"""
