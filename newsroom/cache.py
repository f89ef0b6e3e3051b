"""The memo layer: everything one build keeps for the next, in one SQLite file per output folder.

This is the only place that knows what is memoised, keyed by what, stored how, and read when.
``build.py`` asks it for entries and hands it new ones; it never sees a file or a row.

| step          | key (valid while …)                                           | stored as                          | loaded when |
|---------------|---------------------------------------------------------------|------------------------------------|-------------|
| last build    | the inputs' signature (``scan_inputs``), until the next scheduled article | ``info`` rows ``last_build`` (with the count and first twenty of its warnings) and ``last_problems`` (all of them; JSON) | first, alone: a no-op build reads nothing else, and decodes the warnings only if it prints more than twenty (``StoredProblems``) |
| parse         | file's size + mtime (else its bytes' hash) + config hash      | ``parse`` row per article (JSON)   | a build that is not a no-op, all rows (the site needs every article's fields) |
| body          | file's hash + config hash + every image/file it checked       | ``body`` row: facts (JSON) + HTML + search terms, three columns | facts with the parse rows; the HTML only for the pages a build renders (``body_html``); the search terms only when the search index is rebuilt from scratch |
| page          | fingerprint of everything its template reads (fingerprint.py) | ``page`` row: fingerprint, content hash | with the parse rows |
| page index    | the environment (``info`` ``page_environment``) and each article's card (fingerprint.card) | ``shown`` rows (article, page) for every article a page shows; ``card`` row per article: (digest, card) | cards with the parse rows; the pages showing an article only for the articles whose digest changed |
| page plan     | each row holds the page's fingerprint / the article's digest it was made for: valid while the ``page`` / ``card`` row says the same | ``plan`` row per page: its template, URL and context (articles by name), and whether its template shows bodies; ``item`` row per published article: its fields and how its body is filled; ``info`` ``bodies_plan``: the inputs the last good build saw (body_edit.py) | only by a one-shot build whose only edits are bodies, titles or summaries (``body_edit``): the rows of the pages showing them |
| output trees  | what ``output/`` and the staging tree hold (output.py)        | ``tree`` rows: (tree, path, hash); ``info`` ``trees``: which are known, the paths where they differ | with the parse rows; a body edit reads only the rows of the files it writes and of the paths where the trees differ (``tree_rows``) |
| search index  | the index key (search.index_key); per term its postings       | ``posting`` rows (term, shard, encoded), ``search_doc`` rows, ``info`` ``search_state`` | the postings of the terms an edit touched, and the shards holding them |
| related       | ``site.related_key``                                          | ``info`` row ``related`` (JSON)    | with the parse rows |
| photos        | the photo's bytes + the processing settings                   | ``.cache/images/<key>/`` (images.py) | per photo, by images.py |

Nothing here is trusted blindly, and nothing read from disk is ever code: values are JSON with
named types (``codec.py``). The file carries its format (``PRAGMA user_version``) and newsroom's
code fingerprint; a file that is not SQLite, is damaged or truncated, has another format or
schema, or was written by another version of newsroom is deleted and the build starts clean. A
row whose value does not decode is treated as missing. Each save is one transaction: a build
killed while saving leaves the previous state whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import codec
from .errors import MAX_WARNINGS_SHOWN, DamagedRecord  # the first: the warnings a build prints (``last_build``)
from .fingerprint import code_fingerprint

if TYPE_CHECKING:  # the entries' field types; importing them would load Markdown for a build that has nothing to do
    from .content import Parsed
    from .markdown import RenderedBody
    from .media import FileFacts

FORMAT = 10  # 7: SQLite rows (was 6: JSON shard files); 8: the terms' checksum in a column of its own; 9: page index;
# 10: stored page plans (``plan``, ``item``, ``info`` ``bodies_plan``) and search ids, for ``body_edit``
FILE = "memo.cache"  # SQLite
_OLD_FILES = ("meta.cache", *(f"articles-{n:02d}.cache" for n in range(16)))  # format 6, removed on sight
_SHOWN_PATH_INDEX = "CREATE INDEX shown_path ON shown (path)"  # made after the rows when all are new (save_meta)
_SCHEMA = (
    "CREATE TABLE info (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE parse (source TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE body (source TEXT PRIMARY KEY, seal BLOB NOT NULL, facts BLOB NOT NULL, html BLOB NOT NULL, terms BLOB NOT NULL)",
    "CREATE TABLE page (path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, digest TEXT NOT NULL)",
    "CREATE TABLE shown (source TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (source, path))",
    _SHOWN_PATH_INDEX,
    "CREATE TABLE card (source TEXT PRIMARY KEY, digest TEXT NOT NULL, card TEXT NOT NULL)",
    "CREATE TABLE item (source TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE plan (path TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE tree (name TEXT NOT NULL, path TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (name, path))",
    "CREATE TABLE posting (term TEXT PRIMARY KEY, shard INTEGER NOT NULL, encoded TEXT NOT NULL)",
    "CREATE INDEX posting_shard ON posting (shard)",
    "CREATE TABLE search_doc (source TEXT PRIMARY KEY, id INTEGER NOT NULL, seal BLOB NOT NULL, filters TEXT NOT NULL, terms BLOB NOT NULL)",
)
_PROBLEMS = ("warnings", "skipped")  # the parts of the last build's record kept in an ``info`` row of their own
_TABLES = {"info", "parse", "body", "page", "shown", "card", "item", "plan", "tree", "posting", "search_doc"}


# A file's size and mtime vouch for its bytes only if it had not been touched for a while when they
# were recorded: two saves within one tick of the clock that stamps files (a few milliseconds on
# Linux, 2 s on FAT32 USB sticks) leave the same mtime, and a same-size rewrite would go unseen by
# every later build. As git does with its index, anything modified less than this long before it
# was recorded is "racy": its bytes are read again next time.
RACY_NS = 2_000_000_000


def settled(mtime_ns: int, recorded_ns: int) -> bool:
    """Whether (size, mtime) recorded at ``recorded_ns`` may stand for the file's bytes."""
    return mtime_ns < recorded_ns - RACY_NS


@dataclass
class ArticleEntry:
    """One parsed file, valid while the file has this size and mtime (when settled) or content hash."""

    size: int
    mtime_ns: int
    digest: str
    parsed: Parsed
    parsed_with: str  # the config it was checked against (categories, time zone, permalinks)
    recorded_ns: int = 0  # when size and mtime were taken (wall clock), for ``settled``


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
    """Everything kept between builds for one output folder, as the build sees it.

    ``articles``, ``bodies``, ``pages`` and the manifests are plain dicts in memory; the store
    remembers what it loaded, so that saving writes only the rows that changed.
    """

    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    bodies: dict[str, BodyEntry] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # output path -> (fingerprint, content hash)
    # The page index (see fingerprint.py): the environment the pages were fingerprinted in, each published
    # article's (digest, card), and the articles shown by the pages fingerprinted anew (path -> sources).
    page_environment: str | None = None
    cards: dict[str, tuple[str, str]] = field(default_factory=dict)
    shown_changes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bodies_plan: dict | None = None  # the inputs of the last good build, for the next one's body edit (body_edit.py)
    output_manifest: dict[str, str] | None = None  # what output/ holds (path -> content hash)
    staging_manifest: dict[str, str] | None = None  # what the staging tree holds
    # Set by a build that read only some paths of the trees (``Store.tree_rows``): the paths where staging and
    # output differ, and how many files output holds, as they are after it (``save_meta`` writes them as given).
    trees_part: tuple[list[str], int] | None = None
    last_build: dict | None = None  # the inputs' signature and the report of the last good build
    search: tuple[str, dict[str, str]] | None = None  # the search index's key and files (path -> hash)
    related: tuple | None = None  # (site.related_key, site.related_table) of the last build
    runtime: dict = field(default_factory=dict)  # kept in memory only, for a long-running process
    store: Store | None = field(default=None, repr=False)  # where it came from and goes back to
    loaded: bool = False  # whether the large part (articles, bodies, pages, trees) was read
    changed_articles: set[str] = field(default_factory=set)  # sources whose parse row must be written
    changed_bodies: set[str] = field(default_factory=set)  # sources whose body row must be written
    html_in_store: set[str] = field(default_factory=set)  # bodies loaded without their HTML (it stays in the store)
    gone: set[str] = field(default_factory=set)  # sources whose rows must be deleted
    meta_dirty: bool = False

    def put_article(self, source: str, entry: ArticleEntry) -> None:
        self.articles[source] = entry
        self.changed_articles.add(source)

    def put_body(self, source: str, entry: BodyEntry) -> None:
        self.bodies[source] = entry
        self.changed_bodies.add(source)
        self.html_in_store.discard(source)

    def forget(self, sources: set[str]) -> None:
        """Drop entries of files that no longer exist."""
        for source in sources:
            self.articles.pop(source, None)
            self.bodies.pop(source, None)
            self.html_in_store.discard(source)
            self.gone.add(source)


def cache_dir(site_dir: Path, output: Path) -> Path:
    """One cache per output folder: a preview and a deploy build keep separate caches."""
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return site_dir / ".cache" / "build" / key


class StoredProblems(Sequence):
    """The last build's warnings (or skipped files) as read back: the count and the first few at hand, every
    one of them decoded only when asked for.

    A build that changed nothing, or only bodies, prints the first twenty and the count. A site of 100,000
    articles may carry tens of thousands of warnings, and reviving them all took half a second of such a
    build. The row's bytes are read (and their checksum checked) with the record, in the same statement, so
    what is decoded later is what that build wrote."""

    def __init__(self, count: int, head: list, rows: bytes, name: str, shared: dict) -> None:
        self._count, self._head, self._rows, self._name, self._shared = count, head, rows, name, shared

    def _all(self) -> list:
        if "value" not in self._shared:  # one decoding for the warnings and the skipped files together
            value = _decoded(self._rows)
            self._shared["value"] = value if isinstance(value, dict) else {}
        found = self._shared["value"].get(self._name)
        # A row that does not hold what the record counts (its checksum held: forged) gives the first ones only.
        return found if isinstance(found, list) and len(found) == self._count else self._head

    @property
    def decoded(self) -> bool:
        """Whether more than the first few was asked for (and so every one of them decoded)."""
        return "value" in self._shared

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice) and index.step in (None, 1) and (index.start or 0) >= 0:
            stop = self._count if index.stop is None else min(index.stop, self._count)
            if 0 <= stop <= len(self._head):
                return self._head[index]
        return self._all()[index]

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __eq__(self, other) -> bool:
        if isinstance(other, StoredProblems | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Store:
    """The SQLite file of one cache folder; opened lazily, reset whenever it cannot be trusted."""

    def __init__(self, folder: Path, writable: bool = True):
        self.folder = folder
        self.path = folder / FILE
        self.writable = writable
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        # What the rows held when read, so that a save writes only the differences.
        self._pages: dict[str, tuple[str, str]] = {}
        self._cards: dict[str, tuple[str, str]] = {}
        self._trees: dict[str, dict[str, str]] = {"output": {}, "staging": {}}
        self._seals: dict[str, bytes] = {}  # source -> checksum of its body's search terms
        self._related_key: str | None = None  # the related table stored, by its key (site.related_key)
        self._related_read = False
        self._problems: tuple | None = None  # the last build's warnings and skipped files, as written

    # --- opening ----------------------------------------------------------------------------

    def db(self) -> sqlite3.Connection | None:
        """The connection, opened (and checked) on first use; None when there is no usable file."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._pid = os.getpid()  # a forked worker never shares its parent's connection
        self._db = None
        if not self.writable:
            if not self.path.is_file():
                return None
            try:
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
            except sqlite3.Error:
                return None
            if not self._valid(db):
                db.close()
                return None
            self._db = db
            return db
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in _OLD_FILES:
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        db = self._connect()
        if db is None or not self._valid(db):
            if db is not None:
                db.close()
            db = self._fresh()
        self._db = db
        return db

    def _connect(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA synchronous=NORMAL")
            return db
        except sqlite3.Error:
            return None

    def _valid(self, db: sqlite3.Connection) -> bool:
        """The file is ours: SQLite, whole, this format, this schema, written by this code."""
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                return False
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables != _TABLES:
                return False
            for table, statement in zip(sorted(_TABLES), _sorted_schema(), strict=True):
                row = db.execute("SELECT sql FROM sqlite_master WHERE name=?", (table,)).fetchone()
                if row is None or row[0] != statement:
                    return False
            row = db.execute("SELECT value FROM info WHERE name='code'").fetchone()
            return row is not None and row[0] == code_fingerprint()
        except sqlite3.Error:
            return False

    def _fresh(self) -> sqlite3.Connection:
        """An empty store in place of whatever was there."""
        self._problems = None
        self.folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=NORMAL")
        with _transaction(db):
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO info VALUES ('code', ?)", (code_fingerprint(),))
            db.execute(f"PRAGMA user_version={FORMAT}")
        return db

    def reset(self) -> None:
        """Forget a file that turned out to be damaged while in use: the next build starts clean. What the
        rows held when read goes too: a save into the new file writes every row, not a difference."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._pages, self._cards, self._trees = {}, {}, {"output": {}, "staging": {}}
        self._seals, self._problems, self._related_key, self._related_read = {}, None, None, False
        if self.writable:
            self._db = self._fresh()

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    # --- reading ----------------------------------------------------------------------------

    def info(self, name: str):
        """One small value (``last_build``, ``related``, ``search``), or None."""
        try:
            db = self.db()
            row = db.execute("SELECT value FROM info WHERE name=?", (name,)).fetchone() if db else None
        except sqlite3.OperationalError:  # busy (another process writing): no cache this time, nothing lost
            return None
        except sqlite3.DatabaseError:
            self.reset()
            return None
        return _decoded(_unsealed(row[0])) if row else None

    def infos(self, *names: str, decode: bool = True) -> list:
        """Several small values read in one statement (one snapshot of the file); None for each one missing.
        ``decode=False``: their bytes, checked but not decoded."""
        try:
            db = self.db()
            marks = ",".join("?" * len(names))
            rows = dict(db.execute(f"SELECT name, value FROM info WHERE name IN ({marks})", names)) if db else {}
        except sqlite3.OperationalError:  # busy: as if there were no record
            return [None] * len(names)
        except sqlite3.DatabaseError:
            self.reset()
            return [None] * len(names)
        values = [_unsealed(rows[name]) if name in rows else None for name in names]
        return [_decoded(value) for value in values] if decode else values

    def written_problems(self, problems: tuple) -> None:
        """Note the last build's warnings and skipped files as read back: a build that finds the same
        ones (most rebuilds of a site with thousands of warnings) does not write them again."""
        self._problems = problems

    def load(self, cache: BuildCache) -> None:
        """The large part: parsed articles, body facts (no HTML, no search terms), pages, trees."""
        from .markdown import RenderedBody  # here: a build that has nothing to do never loads Markdown

        try:
            db = self.db()
            if db is None:
                return
            for source, value in db.execute("SELECT source, value FROM parse"):
                entry = _decoded(_unsealed(value))
                if isinstance(entry, ArticleEntry):
                    cache.articles[source] = entry
            seals: dict[str, bytes] = {}
            # The columns before the large ones: reading them never touches the HTML's or the search terms'
            # pages. A body's HTML is read only for the pages a build renders (``body_html``).
            for source, seal, facts in db.execute("SELECT source, seal, facts FROM body"):
                seals[source] = seal
                entry = _decoded(_unsealed(facts))
                if isinstance(entry, BodyEntry) and isinstance(entry.body, RenderedBody):
                    cache.bodies[source] = entry
                    cache.html_in_store.add(source)
        except sqlite3.DatabaseError:  # damaged while in use (or busy): start clean, as a --clean build would
            self.reset()
            _forget_tables(cache)
            return
        self._seals = seals
        self.load_tables(cache)
        cache.related = self.info("related")  # only the long way plans the site (a body edit does not)
        self._related_key = cache.related[0] if isinstance(cache.related, tuple) and cache.related else None
        self._related_read = True

    def load_tables(
        self, cache: BuildCache, pages: Iterable[str] | None = None, trees: bool = True, cards: bool = True
    ) -> None:
        """The pages, the page index's cards, the trees' manifests and the small records: what a build
        that renders only a few pages (``body_edit``) needs to write the rest back unchanged.

        ``pages``: only these pages' rows (the pages such a build may render; the others are neither
        read nor written, and ``save_meta`` leaves their rows as they are). ``trees=False``: no tree rows
        (``tree_rows`` reads those such a build writes); ``cards=False``: no cards (``more_cards`` reads
        those of the articles such a build shows)."""
        try:
            db = self.db()
            if db is None:
                return
            if pages is None:
                self._pages = {path: (fp, digest) for path, fp, digest in db.execute("SELECT * FROM page")}
            else:
                rows = _rows_in(db, "SELECT * FROM page WHERE path", sorted(pages))
                self._pages = {path: (fp, digest) for path, fp, digest in rows}
            every_card = db.execute("SELECT * FROM card") if cards else ()
            self._cards = {source: (digest, card) for source, digest, card in every_card}
            manifests: dict[str, dict[str, str]] = {"output": {}, "staging": {}}
            for name, path, digest in db.execute("SELECT * FROM tree") if trees else ():
                manifests.setdefault(name, {})[path] = digest
        except sqlite3.DatabaseError:
            self.reset()
            _forget_tables(cache)
            return
        cache.pages = dict(self._pages)
        cache.cards = dict(self._cards)
        environment = self.info("page_environment")
        cache.page_environment = environment if isinstance(environment, str) else None
        if trees:
            self._trees = manifests
            present = self.info("trees") or {}
            cache.output_manifest = dict(manifests["output"]) if present.get("output") else None
            cache.staging_manifest = dict(manifests["staging"]) if present.get("staging") else None
            cache.trees_part = None
        cache.search = self.info("search")

    def more_cards(self, cache: BuildCache, sources: Iterable[str]) -> None:
        """Add these articles' cards to those read (``load_tables`` with ``cards=False`` read none); an article
        with no card row stays without one."""
        wanted = sorted(source for source in sources if source not in cache.cards)
        try:
            db = self.db()
            if db is None:
                return
            for source, digest, card in _rows_in(db, "SELECT * FROM card WHERE source", wanted):
                self._cards[source] = cache.cards[source] = (digest, card)
        except sqlite3.DatabaseError:
            return

    def tree_rows(self, cache: BuildCache, paths: Iterable[str]) -> bool:
        """The trees' manifests for a build that writes only these paths: when the record says where staging
        and output differ (a few paths, as after most builds), only the rows of these paths and of those
        (``trees_part`` tells); else every row, as ``load_tables`` reads them. False when output's manifest
        is not known or the rows cannot be read (then nothing is set)."""
        present = self.info("trees")
        if not isinstance(present, dict) or not present.get("output"):
            return False
        apart, count = present.get("apart"), present.get("count")
        part = (
            bool(present.get("staging"))
            and isinstance(apart, list)
            and all(isinstance(path, str) for path in apart)
            and isinstance(count, int)
        )
        if not part and cache.trees_part is None and cache.output_manifest is not None:
            return True  # every row is here already
        # A second call adds the rows of its paths to the manifests the first one read (a Staging holds them).
        output: dict[str, str] = cache.output_manifest if cache.trees_part is not None else {}  # type: ignore[assignment]
        staging: dict[str, str] = cache.staging_manifest if cache.trees_part is not None else {}  # type: ignore[assignment]
        manifests = {"output": output, "staging": staging}
        try:
            db = self.db()
            if db is None:
                return False
            rows = (
                _rows_in(db, "SELECT * FROM tree WHERE path", sorted({*paths, *apart}))
                if part
                else db.execute("SELECT * FROM tree")
            )
            for name, path, digest in rows:
                if name in manifests:
                    manifests[name][path] = digest
        except sqlite3.DatabaseError:
            return False
        self._trees = {"output": dict(output), "staging": dict(staging)}
        cache.output_manifest = output
        cache.staging_manifest = staging if present.get("staging") else None
        cache.trees_part = (apart, count) if part else None
        return True

    def entries(self, sources: list[str]) -> tuple[dict[str, ArticleEntry], dict[str, BodyEntry]]:
        """These articles' parse rows and body facts (no HTML), as ``load`` reads them all; damaged ones left out."""
        from .markdown import RenderedBody

        articles: dict[str, ArticleEntry] = {}
        bodies: dict[str, BodyEntry] = {}
        for source, data in self._column("parse", "value", sources):
            entry = _decoded(data)
            if isinstance(entry, ArticleEntry):
                articles[source] = entry
        for source, data in self._column("body", "facts", sources):
            entry = _decoded(data)
            if isinstance(entry, BodyEntry) and isinstance(entry.body, RenderedBody):
                bodies[source] = entry
        return articles, bodies

    def plans(self, paths: list[str]) -> dict:
        """The stored plan of each of these pages that has one, decoded (None: damaged); see ``body_edit``."""
        return {path: _decoded(data) for path, data in self._column("plan", "value", paths, key="path")}

    def items(self, sources: list[str]) -> dict:
        """The stored published fields of these articles, decoded (None: damaged); see ``body_edit``."""
        return {source: _decoded(data) for source, data in self._column("item", "value", sources)}

    def _column(self, table: str, column: str, keys: list[str], key: str = "source") -> list[tuple[str, bytes | None]]:
        try:
            db = self.db()
            return list(_sealed_column(db, table, column, keys, key)) if db is not None else []
        except sqlite3.DatabaseError:
            self.reset()
            return []

    def pages_showing(self, sources: list[str]) -> set[str] | None:
        """The output paths of the pages that showed any of these articles when last fingerprinted;
        None when the index cannot be read (then every page is looked at)."""
        found: set[str] = set()
        try:
            db = self.db()
            if db is None:
                return None
            found.update(path for (path,) in _rows_in(db, "SELECT path FROM shown WHERE source", sources))
        except sqlite3.Error:
            return None
        return found

    def body_html(self, sources: list[str]) -> dict[str, str]:
        """The rendered HTML of these articles' bodies, as stored (left out: missing or damaged ones)."""
        return self._body_texts("html", sources)

    def search_terms(self, sources: list[str]) -> dict[str, str]:
        """The search terms of these articles' bodies, as stored (read only when the index is rebuilt)."""
        return self._body_texts("terms", sources)

    def _body_texts(self, column: str, sources: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            db = self.db()
            if db is None:
                return found
            for source, data in _sealed_column(db, "body", column, sources):
                if data is not None:
                    found[source] = data.decode()
        except sqlite3.DatabaseError:
            self.reset()
        return found

    def term_seals(self, sources: list[str]) -> dict[str, bytes]:
        """The checksum of each article's stored search terms: tells which terms changed without reading them."""
        return {source: self._seals[source] for source in sources if source in self._seals}

    # The search index's own record (search.StoredIndex): what each article had indexed, and each term's postings.

    def indexed_docs(self, sources: list[str] | None = None) -> dict[str, tuple[bytes, str, int]]:
        """source -> (checksum of the terms it had indexed, its filters, its id), for every indexed
        article or for these."""
        db = self.db()
        if db is None:
            return {}
        if sources is None:
            return {s: (seal, f, n) for s, n, seal, f in db.execute("SELECT source, id, seal, filters FROM search_doc")}
        rows = _rows_in(db, "SELECT source, id, seal, filters FROM search_doc WHERE source", sources)
        return {s: (seal, f, n) for s, n, seal, f in rows}

    def indexed_terms(self, sources: list[str]) -> dict[str, str] | None:
        """The terms these articles had indexed; None when one of them is damaged (then the index is rebuilt)."""
        found: dict[str, str] = {}
        db = self.db()
        if db is None:
            return None
        for source, data in _sealed_column(db, "search_doc", "terms", sources):
            if data is None:
                return None
            found[source] = data.decode()
        return found if len(found) == len(sources) else None

    def postings(self, terms: list[str]) -> dict[str, str]:
        """term -> its encoded postings, for the terms that have any."""
        found: dict[str, str] = {}
        db = self.db()
        if db is None:
            return found
        found.update(_rows_in(db, "SELECT term, encoded FROM posting WHERE term", terms))
        return found

    def shard_postings(self, shard: int) -> dict[str, str]:
        db = self.db()
        return dict(db.execute("SELECT term, encoded FROM posting WHERE shard=?", (shard,))) if db else {}

    @contextlib.contextmanager
    def rebuilding_index(self) -> Iterator[_IndexRecord]:
        """The search index's record written anew, in one transaction, as its parts are made: ``docs``
        rows (source, id, seal, filters, terms) in chunks, then the postings, then the state."""
        db = self.db()
        if db is None:
            yield _IndexRecord(None)
            return
        with _transaction(db):
            db.execute("DELETE FROM search_doc")
            db.execute("DELETE FROM posting")
            yield _IndexRecord(db)

    def save_index(
        self,
        state: dict,
        docs: dict[str, tuple[int, bytes, str, str]],
        postings: Iterable[tuple[str, int, str | None]],
    ) -> None:
        """Write what an update changed in the index's record: ``docs`` source -> (id, seal, filters, terms)
        or None, ``postings`` (term, shard, encoded or None)."""
        db = self.db()
        if db is None:
            return
        with _transaction(db):
            db.executemany("DELETE FROM search_doc WHERE source=?", ((s,) for s, d in docs.items() if d is None))
            postings = list(postings)
            db.executemany("DELETE FROM posting WHERE term=?", ((t,) for t, _, e in postings if e is None))
            record = _IndexRecord(db)
            record.docs((s, *d) for s, d in docs.items() if d is not None)
            record.postings(postings)
            record.state(state)

    # --- writing ----------------------------------------------------------------------------

    def put_rows(self, table: str, rows: Iterable[tuple[str, bytes | None]]) -> None:
        """Write rows of the stored page plan (``table`` "plan": pages; "item": articles) as they are made,
        None deleting one: each says which fingerprint (digest) it was made for, so a row that outlives a
        build that failed is not used."""
        db = self.db()
        if db is None:
            return
        rows = list(rows)
        key = "path" if table == "plan" else "source"
        with _transaction(db):
            db.executemany(f"DELETE FROM {table} WHERE {key}=?", ((k,) for k, v in rows if v is None))
            db.executemany(
                f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", ((k, _sealed(v)) for k, v in rows if v is not None)
            )

    def save_articles(self, cache: BuildCache) -> None:
        """Write the parse and body rows that changed, in one transaction."""
        db = self.db()
        if db is None or not (cache.changed_articles or cache.changed_bodies or cache.gone):
            return
        with _transaction(db):
            for source in cache.gone:
                db.execute("DELETE FROM parse WHERE source=?", (source,))
                db.execute("DELETE FROM body WHERE source=?", (source,))
            rows = [
                (s, _sealed(codec.encode(cache.articles[s]))) for s in cache.changed_articles if s in cache.articles
            ]
            db.executemany("INSERT OR REPLACE INTO parse VALUES (?, ?)", rows)
            db.executemany(
                "INSERT OR REPLACE INTO body VALUES (?, ?, ?, ?, ?)", map(_body_row(cache), cache.changed_bodies)
            )
        for source in cache.gone:
            self._seals.pop(source, None)
        for source in cache.changed_bodies:
            entry = cache.bodies[source]
            self._seals[source] = _sealed(entry.search_terms.encode())[:16]
            # Saved: the HTML is read back for the pages that show it (``body_html``), and the terms by the
            # search step (a few thousand at a time), not kept in memory: at 100,000 articles, close to 2 GB.
            cache.bodies[source] = dataclasses.replace(entry, body=_without_html(entry.body), search_terms="")
            cache.html_in_store.add(source)
        cache.changed_articles.clear()
        cache.changed_bodies.clear()
        cache.gone.clear()

    def save_meta(self, cache: BuildCache) -> None:
        """Write the last build's record, the page table and the trees' manifests (changed rows only)."""
        db = self.db()
        if db is None or not cache.meta_dirty:
            return
        last = cache.last_build
        problems = tuple(last.get(k) for k in _PROBLEMS) if last is not None else None
        with _transaction(db):
            if last is None:
                _put_info(db, "last_build", None)
            else:
                record = {k: v for k, v in last.items() if k not in _PROBLEMS}
                # The count and the first few of each, for a build that prints only those (StoredProblems).
                record["problems"] = {
                    k: [len(p), list(p[:MAX_WARNINGS_SHOWN])] for k, p in zip(_PROBLEMS, problems, strict=True)
                }  # type: ignore[arg-type]
                _put_info(db, "last_build", record)
                # A site's warnings can be thousands: written again only when they differ from the row's (a
                # rebuild that patched the last analysis keeps its very lists; another finds equal ones).
                known = self._problems
                if known is None or any(a is not b and a != b for a, b in zip(problems, known, strict=True)):  # type: ignore[arg-type]
                    _put_info(db, "last_problems", {k: list(p) for k, p in zip(_PROBLEMS, problems, strict=True)})  # type: ignore[arg-type]
            related_key = cache.related[0] if isinstance(cache.related, tuple) and cache.related else None
            # Same key, same table: not written again; nor by a build that neither read nor made it (body_edit).
            if (cache.related is not None or self._related_read) and (
                related_key is None or related_key != self._related_key
            ):
                _put_info(db, "related", cache.related)
            _put_info(db, "search", cache.search)
            _put_info(db, "trees", _trees_record(cache))
            _write_diff(
                db,
                "DELETE FROM page WHERE path=?",
                "INSERT OR REPLACE INTO page VALUES (?, ?, ?)",
                self._pages,
                cache.pages,
                lambda path, value: (path, *value),
            )
            # The page index, in the same transaction as the pages it describes.
            _put_info(db, "page_environment", cache.page_environment)
            _write_diff(
                db,
                "DELETE FROM card WHERE source=?",
                "INSERT OR REPLACE INTO card VALUES (?, ?, ?)",
                self._cards,
                cache.cards,
                lambda source, value: (source, *value),
            )
            # The stored page plan (body_edit.py): rows of pages and articles that are gone go with them.
            db.executemany(
                "DELETE FROM plan WHERE path=?", ((path,) for path in self._pages.keys() - cache.pages.keys())
            )
            db.executemany("DELETE FROM item WHERE source=?", ((s,) for s in self._cards.keys() - cache.cards.keys()))
            _put_info(db, "bodies_plan", cache.bodies_plan)
            refreshed = (self._pages.keys() - cache.pages.keys()) | cache.shown_changes.keys()
            db.executemany("DELETE FROM shown WHERE path=?", ((path,) for path in refreshed))
            shown = (
                (source, path)
                for path, sources in cache.shown_changes.items()
                if path in cache.pages
                for source in sources
            )
            if self._pages:
                db.executemany("INSERT INTO shown VALUES (?, ?)", shown)
            else:  # a new page index (a cold build): 1.4 million rows at 100,000 articles
                # In key order, with the path index made after, they take 8 s there instead of 14: random-order
                # inserts into two B-trees far larger than SQLite's page cache are what cost.
                db.execute("DROP INDEX IF EXISTS shown_path")
                db.executemany("INSERT INTO shown VALUES (?, ?)", sorted(shown))
                db.execute(_SHOWN_PATH_INDEX)
            for name, now in (("output", cache.output_manifest), ("staging", cache.staging_manifest)):
                _write_diff(
                    db,
                    f"DELETE FROM tree WHERE name='{name}' AND path=?",
                    f"INSERT OR REPLACE INTO tree VALUES ('{name}', ?, ?)",
                    self._trees[name],
                    now or {},
                    lambda path, digest: (path, digest),
                )
        self._related_key = related_key
        self._problems = problems  # written (or already there): only now that the transaction is committed
        self._pages = dict(cache.pages)
        self._cards = dict(cache.cards)
        cache.shown_changes.clear()
        self._trees = {"output": dict(cache.output_manifest or {}), "staging": dict(cache.staging_manifest or {})}
        cache.meta_dirty = False


class _IndexRecord:
    """Writes the search index's record inside the transaction ``Store`` opened (nothing when there is no file)."""

    def __init__(self, db: sqlite3.Connection | None):
        self._db = db

    def docs(self, rows: Iterable[tuple[str, int, bytes, str, str]]) -> None:
        if self._db is not None:
            self._db.executemany(
                "INSERT OR REPLACE INTO search_doc VALUES (?, ?, ?, ?, ?)",
                ((source, n, seal, f, _sealed(terms.encode())) for source, n, seal, f, terms in rows),
            )

    def postings(self, rows: Iterable[tuple[str, int, str | None]]) -> None:
        """(term, shard, encoded); None (a term gone) is left out: the caller deleted it. May be a generator."""
        if self._db is not None:
            self._db.executemany(
                "INSERT OR REPLACE INTO posting VALUES (?, ?, ?)", ((t, n, e) for t, n, e in rows if e is not None)
            )

    def state(self, value: dict) -> None:
        if self._db is not None:
            _put_info(self._db, "search_state", value)


def _body_row(cache: BuildCache):
    def row(source: str) -> tuple[str, bytes, bytes, bytes, bytes]:
        entry = cache.bodies[source]
        light = BodyEntry(
            entry.key,
            entry.images,
            _without_html(entry.body),
            entry.html_digest,
            entry.lead_in_body,
            "",
            entry.files,
        )
        terms = _sealed(entry.search_terms.encode())
        return (
            source,
            terms[:16],
            _sealed(codec.encode(light)),
            _sealed(entry.body.html.encode()),
            terms,
        )

    return row


def _without_html(body: RenderedBody) -> RenderedBody:
    return dataclasses.replace(body, html="")


def _forget_tables(cache: BuildCache) -> None:
    """What a cache read from a file that turned out damaged may hold: gone, so that a build goes on as a
    ``--clean`` one would (some rows may have been read already, say by a body edit that then gave up: a
    build must never plan its trees from a part of their manifests)."""
    cache.articles.clear()
    cache.bodies.clear()
    cache.html_in_store.clear()
    cache.pages, cache.cards = {}, {}
    cache.output_manifest = cache.staging_manifest = cache.trees_part = None


APART_MOST = 2000  # paths where staging and output differ that the record lists (more: the next build reads all)


def _trees_record(cache: BuildCache) -> dict:
    """Which trees' manifests are known, how many files output holds, and the paths where staging and output
    differ (None when there are more than ``APART_MOST``, or a tree is not known): ``tree_rows`` reads those."""
    output, staging = cache.output_manifest, cache.staging_manifest
    record = {"output": output is not None, "staging": staging is not None, "apart": None, "count": None}
    if cache.trees_part is not None:  # only some rows were read: the build told where the trees stand
        record["apart"], record["count"] = cache.trees_part
    elif output is not None and staging is not None:
        apart = [path for path in output.keys() | staging.keys() if output.get(path) != staging.get(path)]
        record["apart"] = sorted(apart) if len(apart) <= APART_MOST else None
        record["count"] = len(output)
    return record


def _write_diff(db, delete: str, insert: str, before: dict, after: dict, row) -> None:
    """Delete the keys that went, insert or replace the ones that are new or changed (all of them, in key
    order, into a new table: B-tree inserts in order are the quick ones)."""
    db.executemany(delete, ((key,) for key in before.keys() - after.keys()))
    if before:
        db.executemany(insert, (row(key, value) for key, value in after.items() if before.get(key) != value))
    else:
        db.executemany(insert, (row(key, after[key]) for key in sorted(after)))


def _put_info(db: sqlite3.Connection, name: str, value) -> None:
    db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (name, _sealed(codec.encode(value))))


def _sealed(data: bytes) -> bytes:
    """A value with its checksum in front: a flipped byte anywhere in it makes the row unusable, not wrong."""
    return hashlib.blake2b(data, digest_size=16).digest() + data


def _unsealed(value) -> bytes | None:
    """The value ``_sealed`` wrote, or None when the row is damaged or not ours."""
    if not isinstance(value, bytes) or len(value) < 16:
        return None
    data = value[16:]
    return data if hashlib.blake2b(data, digest_size=16).digest() == value[:16] else None


def _decoded(value: bytes | None):
    """A stored value, or None when it is not one newsroom wrote (damaged, foreign, hostile)."""
    if value is None:
        return None
    try:
        return codec.decode(value)
    except (ValueError, TypeError):
        return None


def _sorted_schema() -> list[str]:
    tables = {s.split()[2]: s for s in _SCHEMA if s.startswith("CREATE TABLE")}
    return [tables[name] for name in sorted(_TABLES)]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows_in(db: sqlite3.Connection, select: str, keys: Iterable[str]) -> Iterator[tuple]:
    """The rows of ``select`` (a query ending in ``WHERE column``) whose column is one of ``keys``, asked for in
    chunks SQLite's limits allow."""
    for chunk in _chunks(list(keys), 500):
        marks = ",".join("?" * len(chunk))
        yield from db.execute(f"{select} IN ({marks})", chunk)


def _sealed_column(
    db: sqlite3.Connection, table: str, column: str, sources: list[str], key: str = "source"
) -> Iterator[tuple[str, bytes | None]]:
    """(source, its stored value or None when damaged) from one column, in chunks SQLite's limits allow."""
    for source, value in _rows_in(db, f"SELECT {key}, {column} FROM {table} WHERE {key}", sources):
        yield source, _unsealed(value)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write. A file SQLite finds damaged only now (a flipped byte in a page no read had touched) is a
    ``DamagedRecord``: the build starts again from a clean memo (``build.build``)."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse that too
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise DamagedRecord(f"the memo store is damaged: {exc}") from None
        raise


# --- what build.py and the others call ---------------------------------------------------------


def load_cache(folder: Path) -> BuildCache:
    """The whole cache in ``folder``, for a process that builds many times (the preview)."""
    cache = load_meta(folder, writable=True)
    load_articles(folder, cache)
    return cache


def load_meta(folder: Path, writable: bool = False) -> BuildCache:
    """Only the record of the last build: all a build whose inputs did not change reads.

    ``writable=False`` (the deploy watcher) opens the file read-only and never creates it.
    """
    store = Store(folder, writable)
    cache = BuildCache(store=store)
    last, rows = store.infos("last_build", "last_problems", decode=False)  # one statement: never a pair from two builds
    last = _decoded(last)
    heads = last.pop("problems", None) if isinstance(last, dict) else None
    if isinstance(heads, dict) and rows is not None and all(_is_head(heads.get(k)) for k in _PROBLEMS):
        shared: dict = {}
        problems = tuple(StoredProblems(*heads[k], rows, k, shared) for k in _PROBLEMS)
        cache.last_build = {**last, **dict(zip(_PROBLEMS, problems, strict=True))}
        store.written_problems(problems)
    else:
        cache.last_build = None
    return cache


def _is_head(value) -> bool:
    """Whether a ``last_build`` row's ``problems`` entry is (count, the first ones), as ``save_meta`` writes it."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], list)
        and len(value[1]) == min(value[0], MAX_WARNINGS_SHOWN)
    )


def load_articles(folder: Path, cache: BuildCache) -> None:
    """The large part of the cache: parsed articles, body facts, pages, manifests."""
    if cache.loaded:
        return
    if cache.store is None:
        cache.store = Store(folder)
    cache.store.load(cache)
    cache.loaded = True


def save_cache(folder: Path, cache: BuildCache) -> None:
    """Write what changed: article rows and the last build's record."""
    save_articles(folder, cache)
    save_meta(folder, cache)


def save_articles(folder: Path, cache: BuildCache) -> None:
    if cache.store is None:
        cache.store = Store(folder)
    cache.store.save_articles(cache)


def save_meta(folder: Path, cache: BuildCache) -> None:
    if cache.store is None:
        cache.store = Store(folder)
    cache.store.save_meta(cache)


@dataclass(frozen=True)
class InputScan:
    """What a build's inputs look like, from one scan of their folders (names, sizes, mtimes: no contents)."""

    signature: str  # of every file: the no-op shortcut compares it
    others: str  # of every file but the article files: a process that builds again compares it (build.patched)
    articles: dict[str, tuple[int, int]]  # article file path -> (size, mtime_ns)
    racy: frozenset[str]  # article files saved so recently that their size and mtime cannot vouch for their bytes


def scan_inputs(paths: list[Path], is_article=lambda path: False) -> InputScan:
    """The names, sizes and modification times of every file under ``paths``, as digests, with the files
    ``is_article`` names listed apart (their stats, not in ``others``).

    Cheap enough to run on every build (one directory scan, no file contents), it tells whether
    anything a build reads may have changed. A file modified within ``RACY_NS`` of now makes the
    digests unique (they never match a later one): its bytes may still change within the same
    mtime, so the build after this one must look.
    """
    # The lines are gathered and hashed at the end (hashing a concatenation is hashing its parts in turn):
    # at 100,000 articles this loop is a third of what a body edit takes, so it does little per file.
    lines: list[bytes] = []
    other_lines: list[bytes] = []
    articles: dict[str, tuple[int, int]] = {}
    racy: set[str] = set()
    unsettled_from = time.time_ns() - RACY_NS  # settled(): modified before this
    seen: set[str] = set()
    encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()  # os.fsencode's

    def add(path: str, stat: os.stat_result) -> None:
        mtime = stat.st_mtime_ns
        line = f"{path}\0{stat.st_size}\0{mtime}\n".encode(encoding, errors)
        lines.append(line)
        unsettled = mtime >= unsettled_from
        if unsettled:
            lines.append(os.urandom(16))
        if is_article(path):
            articles[path] = (stat.st_size, mtime)
            if unsettled:
                racy.add(path)
        else:
            other_lines.append(line)
            if unsettled:
                other_lines.append(os.urandom(16))

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
                add(entry.path, stat)

    for path in paths:
        if path.is_file():
            add(str(path), path.stat())
        else:
            scan(str(path))
    digest = hashlib.blake2b(b"".join(lines), digest_size=16)
    others = hashlib.blake2b(b"".join(other_lines), digest_size=16)
    return InputScan(digest.hexdigest(), others.hexdigest(), articles, frozenset(racy))
