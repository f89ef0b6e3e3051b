"""The build cache: what earlier builds learned, kept under ``SITE/.cache/build/``.

Nothing here is trusted blindly. Each file carries a format version and a checksum of its
payload; a file that is missing, half-written, from another version or corrupt is ignored and
the build simply does the work again. Entries are validated against the sources they came from:

- parsed articles by (path, size, mtime), then by a hash of the file's bytes;
- rendered Markdown bodies by a hash of their inputs plus the outcome of every link and image
  they resolved (so a renamed target article invalidates exactly the bodies linking to it);
- pages by a fingerprint of everything their template reads (see ``fingerprint.py``), with the
  hash of the bytes they produced;
- the manifests of ``output/`` and of the staging tree (see ``output.py``).

Articles live in 16 shard files so that editing one article rewrites one shard, not all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import codec
from .content import Parsed
from .fingerprint import code_fingerprint
from .markdown import RenderedBody
from .media import FileFacts

FORMAT = b"newsroom-cache-6\n"  # 6: JSON with named types (codec.py) instead of pickle
SHARDS = 16


@dataclass
class ArticleEntry:
    """One parsed file, valid while the file has this size, mtime and content hash."""

    size: int
    mtime_ns: int
    digest: str
    parsed: Parsed
    parsed_with: str  # the config it was checked against (categories, time zone, permalinks)


@dataclass
class BodyEntry:
    """One rendered body (links as placeholders): valid while ``key`` matches and its files are as they were.

    The body shows each document's size and each video's frame, which the Markdown does not say:
    a document that appears, disappears or changes size (``files``) makes it stale like an image
    that appears or disappears (``images``).
    """

    key: str  # the file's hash and the config it was rendered with
    images: tuple[tuple[str, bool], ...]  # (site-relative path, existed)
    body: RenderedBody
    html_digest: str
    lead_in_body: bool  # the summary repeats the body's first paragraph
    search_terms: str = ""  # what the article adds to the search index, one term a line (search.py)
    files: tuple[tuple[str, FileFacts | None], ...] = ()  # (site-relative path, its facts or None when missing)


codec.register(ArticleEntry, BodyEntry)


@dataclass
class BuildCache:
    """Everything kept between builds for one output folder."""

    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    bodies: dict[str, BodyEntry] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # output path -> (fingerprint, content hash)
    output_manifest: dict[str, str] | None = None  # what output/ holds (path -> content hash)
    staging_manifest: dict[str, str] | None = None  # what the staging tree holds
    last_build: dict | None = None  # the inputs' signature and the report of the last good build
    search: tuple[str, dict[str, str]] | None = None  # the search index's key and files (path -> hash)
    related: tuple | None = None  # (site.related_key, site.related_table) of the last build
    runtime: dict = field(default_factory=dict)  # kept in memory only, for a long-running process
    dirty_shards: set[int] = field(default_factory=set)
    meta_dirty: bool = False

    def put_article(self, source: str, entry: ArticleEntry) -> None:
        self.articles[source] = entry
        self.dirty_shards.add(shard_of(source))

    def put_body(self, source: str, entry: BodyEntry) -> None:
        self.bodies[source] = entry
        self.dirty_shards.add(shard_of(source))

    def forget(self, sources: set[str]) -> None:
        """Drop entries of files that no longer exist."""
        for source in sources:
            self.articles.pop(source, None)
            self.bodies.pop(source, None)
            self.dirty_shards.add(shard_of(source))


def shard_of(source: str) -> int:
    return hashlib.blake2b(source.encode(), digest_size=2).digest()[0] % SHARDS


def cache_dir(site_dir: Path, output: Path) -> Path:
    """One cache per output folder: a preview and a deploy build keep separate caches."""
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return site_dir / ".cache" / "build" / key


def _read(path: Path):
    """A cache file's payload, or None when it is missing, foreign, truncated or corrupt."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(FORMAT) or len(data) < len(FORMAT) + 32:
        return None
    checksum = data[len(FORMAT) : len(FORMAT) + 32]
    payload = data[len(FORMAT) + 32 :]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        code, value = codec.decode(payload)
    except (ValueError, TypeError):  # damaged, foreign or hostile: an unusable cache, nothing more
        return None
    return value if code == code_fingerprint() else None  # written by another version of newsroom


def _write(path: Path, value) -> None:
    payload = codec.encode((code_fingerprint(), value))
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "wb") as handle:
        handle.write(FORMAT + hashlib.sha256(payload).digest() + payload)
    os.replace(temp, path)


def load_cache(folder: Path) -> BuildCache:
    """The cache in ``folder``; parts that cannot be trusted are left empty."""
    cache = load_meta(folder)
    load_articles(folder, cache)
    return cache


def load_meta(folder: Path) -> BuildCache:
    """Only the small part of the cache: manifests, page table and the last build's signature."""
    cache = BuildCache()
    meta = _read(folder / "meta.cache")
    if isinstance(meta, dict):
        cache.pages = meta.get("pages", {})
        cache.output_manifest = meta.get("output_manifest")
        cache.staging_manifest = meta.get("staging_manifest")
        cache.last_build = meta.get("last_build")
        cache.search = meta.get("search")
        cache.related = meta.get("related")
    return cache


def load_articles(folder: Path, cache: BuildCache) -> None:
    """The large part of the cache: parsed articles and rendered bodies."""
    for shard in range(SHARDS):
        part = _read(folder / f"articles-{shard:02d}.cache")
        if isinstance(part, tuple) and len(part) == 2:
            cache.articles.update(part[0])
            cache.bodies.update(part[1])
        else:
            cache.dirty_shards.add(shard)


def save_cache(folder: Path, cache: BuildCache) -> None:
    """Write what changed: the dirty article shards and the meta file."""
    save_articles(folder, cache)
    save_meta(folder, cache)


def save_articles(folder: Path, cache: BuildCache) -> None:
    """Write the article shards that changed (safe to run in a thread while pages render)."""
    folder.mkdir(parents=True, exist_ok=True)
    if cache.dirty_shards:
        by_shard: dict[int, tuple[dict, dict]] = {s: ({}, {}) for s in cache.dirty_shards}
        for source, entry in cache.articles.items():
            shard = shard_of(source)
            if shard in by_shard:
                by_shard[shard][0][source] = entry
        for source, body in cache.bodies.items():
            shard = shard_of(source)
            if shard in by_shard:
                by_shard[shard][1][source] = body
        for shard, part in by_shard.items():
            _write(folder / f"articles-{shard:02d}.cache", part)
    cache.dirty_shards.clear()


def save_meta(folder: Path, cache: BuildCache) -> None:
    """Write the manifests, page table and last build's signature, if they changed."""
    folder.mkdir(parents=True, exist_ok=True)
    if cache.meta_dirty:
        _write(
            folder / "meta.cache",
            {
                "pages": cache.pages,
                "output_manifest": cache.output_manifest,
                "staging_manifest": cache.staging_manifest,
                "last_build": cache.last_build,
                "search": cache.search,
                "related": cache.related,
            },
        )
    cache.meta_dirty = False


def tree_signature(paths: list[Path]) -> str:
    """A digest of the names, sizes and modification times of every file under ``paths``.

    Cheap enough to run on every build (one directory scan, no file contents), it tells
    whether anything a build reads may have changed.
    """
    digest = hashlib.blake2b(digest_size=16)
    seen: set[str] = set()

    def scan(folder: str) -> None:
        real = os.path.realpath(folder)
        if real in seen:  # a symbolic link loop
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return
        for entry in entries:
            if entry.is_dir():  # a linked folder too: a theme or pictures may live elsewhere
                scan(entry.path)
            else:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                digest.update(os.fsencode(entry.path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())

    for path in paths:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        else:
            scan(str(path))
    return digest.hexdigest()
