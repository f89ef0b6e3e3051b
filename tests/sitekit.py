"""Helpers for tests that build real sites in temporary folders and read what comes out.

``write_site`` lays out config.yaml and articles, ``build_ok`` builds through the public API,
``run_cli`` runs ``build.py`` as an editor would (``run_cli_in_process`` the same command without
starting a process), and ``Html`` is a small parsed-HTML view
(standard library only) for asserting on elements instead of grepping fragments.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml

from newsroom import BuildOptions, build, i18n
from newsroom.config import Category
from newsroom.images import CACHE as PHOTO_CACHE
from newsroom.model import Article

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CATEGORIES = ["Tin tức - Sự kiện", "Đảng, đoàn thể", "Nông thôn mới", "Thông báo"]


def write_site(root: Path, articles: dict[str, str], **config) -> Path:
    """A site folder with config.yaml (defaults + ``config``) and the given content files."""
    settings = {
        "title": "Cổng thông tin huyện Thử Nghiệm",
        "base_url": "https://example.test/",
        "categories": CATEGORIES,
        "per_page": 20,
    }
    settings.update(config)
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, text in articles.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def article(
    title: str, category: str = "Tin tức - Sự kiện", date: str = "2024-05-01 08:00", body: str = "", **fields
) -> str:
    """Front matter + body text for one article; extra fields are written as YAML."""
    head = {"title": title, "category": category, "date": date, "author": "Thanh Hồng", **fields}
    lines = ["---"]
    for key, value in head.items():
        if value is None:
            continue
        if key == "date" or key == "updated":
            lines.append(f"{key}: {value}")
        else:
            lines.append(
                f"{key}: {yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip().removesuffix('...').strip()}"
            )
    lines.append("---")
    return "\n".join(lines) + "\n\n" + (body or f"Nội dung bài {title}.") + "\n"


def model_article(slug: str, category: Category, when: datetime, **fields) -> Article:
    """An ``Article`` value as reading would make it, for unit tests of the steps after reading."""
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    return Article(
        source=f"content/{when.year}/{slug}.md",
        category=category,
        date=when,
        slug=slug,
        url=f"{when.year:04d}/{when.month:02d}/{slug}/",
        body_md=f"Nội dung {slug}.",
        body_line=6,
        **fields,
    )


def copy_sample_site(site: Path, photo_cache: bool = False) -> Path:
    """A copy of the shipped sample site (config.yaml, content/, static/) to change freely.

    ``photo_cache`` also copies the sample's processed photos (ROOT/.cache/images/, filled by the
    session's ``sample_built``: ask for that fixture too), so that building the copy does not process
    the two dozen photos again: their cache entries are keyed by the photos' bytes and settings, not
    by the folder. Leave it out where the test is about photos the build has not seen yet.
    """
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "config.yaml", site / "config.yaml")
    for folder in ("content", "static"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, site / folder)
    if photo_cache and (ROOT / PHOTO_CACHE).is_dir():
        # Not the private folders of a build processing photos right now (another test worker's).
        with contextlib.suppress(shutil.Error):  # an entry removed meanwhile: the build makes it again
            shutil.copytree(ROOT / PHOTO_CACHE, site / PHOTO_CACHE, ignore=shutil.ignore_patterns(".*"))
    return site


def build_ok(site: Path, output: Path | None = None, **options):
    """Build with the fixed test clock; returns the output folder."""
    options.setdefault("now", NOW)
    out = output or site / "output"
    build(site, BuildOptions(output=out, **options))
    return out


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` in a process of its own, as an editor types it.

    Starting Python and importing newsroom costs about 0.75 s a call: use ``run_cli_in_process``
    unless the test needs the process itself (signals and exit codes from them, a lock held by
    another process, the language chosen from the environment at start-up, the installed command).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_cli_in_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` run by this process: the same ``newsroom.cli.main`` with the same
    arguments, what it prints captured, its exit status as ``returncode``; a result like ``run_cli``'s.

    As the process would: argparse's exits (--help, a wrong option) give their status, and an
    unexpected exception prints its traceback to stderr with status 1. The working folder and
    ``sys.argv`` are the command's while it runs, and restored after.
    """
    from newsroom.cli import main

    command = [sys.executable, str(ROOT / "build.py"), *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    sys.argv = command[1:]
    try:
        os.chdir(cwd or ROOT)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = _exit_status(main, list(args))
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
    return subprocess.CompletedProcess(command, code, stdout.getvalue(), stderr.getvalue())


def _exit_status(main, argv: list[str]) -> int:
    """What ``sys.exit(main())`` in build.py would end the process with."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    except Exception:  # a bug in newsroom: the interpreter prints the traceback and exits 1
        traceback.print_exc()
        return 1
    if code is None:
        return 0
    if not isinstance(code, int):  # sys.exit("text") prints the text and exits 1
        print(code, file=sys.stderr)
        return 1
    return code


# --- parsed HTML --------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Element or str

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list[Element]:
        found = []
        for el in self.iter():
            if tag and el.tag != tag:
                continue
            if class_ and class_ not in el.attrs.get("class", "").split():
                continue
            if any(el.attrs.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(el)
        return found

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, class_, **attrs)
        return found[0] if found else None

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in _VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def page(output: Path, url: str) -> Element:
    """The parsed page at site URL ``url`` ('' for home, 'chuyen-muc/x/' ...)."""
    path = output / url / "index.html" if url == "" or url.endswith("/") else output / url
    return parse_html(path.read_text(encoding="utf-8"))


def links(doc: Element) -> list[str]:
    """Every URL the page points at: anchors, stylesheets, images, scripts."""
    urls = [a.attrs["href"] for a in doc.find_all("a") if "href" in a.attrs]
    urls += [link.attrs["href"] for link in doc.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    urls += [img.attrs["src"] for img in doc.find_all("img") if img.attrs.get("src")]
    urls += [s.attrs["src"] for s in doc.find_all("script") if s.attrs.get("src")]
    return urls


def resolve(output: Path, url: str, base_path: str = "/") -> Path | None:
    """The output file an internal URL points at, or None for external ones."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    assert path.startswith(base_path), f"link {url!r} is outside the base path {base_path!r}"
    rel = path[len(base_path) :]
    target = output / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def crawl(output: Path, base_path: str = "/") -> set[str]:
    """Every page reachable from the home page by following links (as output-relative paths)."""
    seen: set[str] = set()
    queue = [output / "index.html"]
    while queue:
        path = queue.pop()
        rel = path.relative_to(output).as_posix()
        if rel in seen or not path.name.endswith(".html"):
            continue
        seen.add(rel)
        doc = parse_html(path.read_text(encoding="utf-8"))
        for url in links(doc):
            target = resolve(output, url, base_path)
            if target is not None and target.is_file():
                queue.append(target)
    return seen


def all_pages(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html"))


# --- differential testing: files made on the fly, trees compared ------------------------------


def picture(width: int, height: int, seed: int = 0, kind: str = "JPEG") -> bytes:
    """A small photo made with Pillow: a background and a block whose colour and place follow ``seed``.

    Two seeds give different pixels at the same size, so a test can replace a photo by another of
    the same dimensions.
    """
    import io

    from PIL import Image, ImageDraw

    shade = (seed * 37 % 200 + 30, seed * 71 % 200 + 30, seed * 13 % 200 + 30)
    image = Image.new("RGB", (width, height), shade)
    x, y = seed * 17 % max(width // 2, 1), seed * 29 % max(height // 2, 1)
    ImageDraw.Draw(image).rectangle((x, y, x + width // 3, y + height // 3), fill=(255 - shade[0], 40, 200))
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 85} if kind == "JPEG" else {}))
    return buffer.getvalue()


def mp4_video(width: int, height: int, padding: int = 0) -> bytes:
    """A minimal MP4 (ftyp, mdat, moov/trak/tkhd) whose frame size newsroom reads; ``padding`` grows mdat."""
    import struct

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    matrix = struct.pack(">9i", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    head = struct.pack(">B3sIIIII8xhhh2x", 0, b"\x00\x00\x03", 0, 0, 1, 0, 1000, 0, 0, 0)
    tkhd = box(b"tkhd", head + matrix + struct.pack(">II", width << 16, height << 16))
    video = box(b"trak", tkhd + box(b"mdia", bytes(32)))
    mdat = box(b"mdat", bytes(range(256)) * 4 + bytes(padding))
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + mdat + box(b"moov", box(b"mvhd", bytes(100)) + video)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (path relative to it → bytes), and every folder ("path/" → b""):
    to compare two outputs exactly, an empty folder left behind included."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            found[rel + "/"] = b""
        else:
            found[rel] = path.read_bytes()
    return found


def tree_modes(folder: Path) -> dict[str, bytes]:
    """The permission bits of everything under ``folder`` (b"644"): a web server must read every file."""
    return {p.relative_to(folder).as_posix(): f"{p.lstat().st_mode & 0o7777:o}".encode() for p in folder.rglob("*")}


def tree_differences(got: dict[str, bytes], expected: dict[str, bytes], limit: int = 40) -> list[str]:
    """The paths where two trees differ, each with how: missing, extra, or where the bytes part."""
    found = []
    for path in sorted(set(got) | set(expected)):
        if path not in got:
            found.append(f"missing {path}")
        elif path not in expected:
            found.append(f"extra   {path}")
        elif got[path] != expected[path]:
            a, b = got[path], expected[path]
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            found.append(
                f"differs {path} at byte {at}: {a[max(at - 30, 0) : at + 50]!r} vs {b[max(at - 30, 0) : at + 50]!r}"
            )
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])


def stamp_ahead(paths, seconds: float = 60) -> None:
    """Give files a modification time ``seconds`` ahead of now, so that the next build records them as
    "just saved" (cache.settled: read again by the build after) however long it takes to get to them.

    For tests of a second save within the same clock tick: in life that save can only follow the
    build's look at the file while the first save is that recent; on a loaded machine the build may
    look at a file more than the 2 s window after the test wrote it, and then rightly trust it.
    """
    import time

    ahead = time.time_ns() + int(seconds * 1e9)
    for path in paths:
        os.utime(path, ns=(ahead, ahead))


def copy_sources(site: Path, target: Path) -> Path:
    """The site's sources alone (config.yaml, content/, static/, themes/) in a fresh folder: no cache, no output.

    A clean build of this copy shares nothing with the site's incremental builds, not even the
    photo and icon caches under ``.cache/``.
    """
    target.mkdir(parents=True)
    shutil.copy2(site / "config.yaml", target / "config.yaml")
    for folder in ("content", "static", "themes"):
        if (site / folder).is_dir():
            shutil.copytree(site / folder, target / folder, symlinks=True)
    return target


def untranslated_pieces() -> set[str]:
    """Pieces of English msgids and plurals (the text between placeholders, three words or more) that the
    Vietnamese catalogue does not keep: any of them in a Vietnamese output is an untranslated message.
    Examples inside messages (title: "...") are kept by the translation, so they are not pieces."""
    vietnamese = i18n.read_po(i18n.catalogue_path("vi"))
    pieces = set()
    for entry in i18n.read_po_entries(i18n.catalogue_path("en").read_text(encoding="utf-8")):
        forms = vietnamese.get(entry.msgid, ())
        for english in filter(None, (entry.msgid, entry.plural)):
            for piece in re.split(r"\{[^{}]*\}", english):
                piece = piece.strip(" .,;:()'\"—\n")
                if len(piece.split()) >= 3 and not any(piece in form for form in forms):
                    pieces.add(piece)
    return pieces
