"""Fingerprints: a short hash of everything a page's rendering can read.

A page is rendered again only when its fingerprint changes, which makes incremental builds
correct by construction: there is no hand-written rule saying which page depends on which
article. A page's template sees only (a) its own context and (b) the environment's globals and
filters; both go into the fingerprint:

- the environment: the theme's templates, config.yaml, the static files' versions, the menu and
  newsroom's own code;
- the context, pickled, where each ``Article`` stands in by a digest of everything its fields
  come from (its path and bytes, the config, its rendered body and resolved links, its photos,
  whether it is scheduled: see ``build.analyse``). So editing a body re-renders the pages that
  show that article too, but their bytes come out the same and are not written again. Contexts
  hold light links to the groups a page only links to (``model.NamedLink`` …), so an edit does not
  reach every page of a tag or a year.

While hashing a page, the fingerprinter also notes which articles it met (``shown``): the page index
that lets a build whose edits changed no article's fields (``card``), only bodies, look at just the
pages showing an edited article (``build._page_index``).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import io
import pickle
from pathlib import Path

from .model import Article, CategorySection, Feed, InfoPage, Month, Term, Year

_CODE_DIR = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """A hash of newsroom's own source, its message catalogues and its rendering libraries' versions:
    upgrading any invalidates old caches.

    A library's version is read from its own files (the package's ``__init__.py`` and a
    ``_version.py`` beside it, where each of these keeps its version), found without importing
    it: ``importlib.metadata`` alone costs more than a rebuild that finds nothing changed.
    """
    digest = hashlib.blake2b(digest_size=16)
    # The catalogues too: bodies are cached with the words they carry (a document's size, the video's labels).
    for path in [*sorted(_CODE_DIR.glob("*.py")), *sorted(_CODE_DIR.glob("locale/*/LC_MESSAGES/*.po"))]:
        digest.update(path.relative_to(_CODE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    for package in ("markdown_it", "jinja2", "yaml", "PIL"):  # they render too
        digest.update(package.encode() + b"\0")
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        for path in (origin, origin.with_name("_version.py")):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


class Fingerprinter:
    """Hashes page contexts with the C pickler; articles count by their digest.

    Large values shared by many pages (a year with its months, a tag with its articles) are
    digested once and then stand in for themselves by that digest.
    """

    _SHARED = (Year, Month, Term, CategorySection, Feed)

    def __init__(self, environment: str, articles: dict[str, str]):
        self.environment = environment.encode()
        self.articles = articles  # source -> article digest
        self._shared: dict[int, tuple[str, set[str]]] = {}  # id -> (digest, sources of the articles inside)
        self._keep: list = []  # keeps digested objects alive so their ids stay unique
        self._shown: set[str] = set()  # the articles met while hashing the current value

    def page(self, context: dict) -> str:
        return self.page_and_shown(context)[0]

    def page_and_shown(self, context: dict) -> tuple[str, tuple[str, ...]]:
        """The page's fingerprint and the sources of every article (or info page) it shows, sorted."""
        self._shown = set()
        fingerprint = hashlib.blake2b(self.environment + self._pickle(context), digest_size=16).hexdigest()
        return fingerprint, tuple(sorted(self._shown))

    def card(self, item: Article | InfoPage) -> str:
        """A hash of the fields that decide where an article appears and in what order: what listings,
        archives, feeds and neighbours are planned from. While no article's card changes, a build keeps
        the shape of every page; only the pages showing an article whose digest changed can differ.

        An article's title and summary (and body) are not in it: they are shown where the article is,
        never used to place it (the site orders and groups articles by date, category, tags, author and
        unit; neighbours by those too). A page of content/pages/ keeps them in: the pages below it are
        listed by title, and the menu names it by its title."""
        skip = _SHOWN_ONLY if type(item) is Article else _BODY
        values = [getattr(item, name) for name in _field_names(type(item)) if name not in skip]
        return hashlib.blake2b(self._pickle([type(item).__name__, *values]), digest_size=16).hexdigest()

    def _pickle(self, value) -> bytes:
        buffer = io.BytesIO()
        _StandInPickler(buffer, self._stand_in).dump(value)
        return buffer.getvalue()

    def _stand_in(self, value):
        """The digest that replaces an article or shared value in the pickle, else None."""
        kind = type(value)
        if kind is Article or kind is InfoPage:
            self._shown.add(value.source)
            return "article:" + self.articles[value.source]
        if kind in self._SHARED:
            key = id(value)
            known = self._shared.get(key)
            if known is None:
                outer, self._shown = self._shown, set()
                fields = [kind.__name__, *(getattr(value, f.name) for f in dataclasses.fields(value))]
                known = "shared:" + hashlib.blake2b(self._pickle(fields), digest_size=16).hexdigest(), self._shown
                self._shown = outer
                self._shared[key] = known
                self._keep.append(value)
            self._shown |= known[1]
            return known[0]
        return None


# An article's fields that pages show but the site's plan never reads (``Fingerprinter.card``).
_SHOWN_ONLY = frozenset({"title", "summary", "lead_in_body", "body_html", "body_md", "body_line", "legacy_views"})
_BODY = frozenset({"body_html"})


class _StandInPickler(pickle.Pickler):
    """A pickler that writes articles and shared values as their digests (a call to ``str``), and
    every other dataclass as its class and field values.

    ``reducer_override`` is asked only about objects that are not plain str/int/list/tuple/dict…;
    answering for dataclasses here skips their default route through ``copyreg`` and
    ``dataclasses.fields`` for each of the ~100,000 pagers and links of a large site's pages.
    """

    def __init__(self, buffer: io.BytesIO, stand_in):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._stand_in = stand_in

    def reducer_override(self, value):
        digest = self._stand_in(value)
        if digest is not None:
            return (str, (digest,))
        kind = type(value)
        names = _field_names(kind)
        if names is None:
            return NotImplemented
        return (kind, tuple([getattr(value, name) for name in names]))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))
