"""Fingerprints: a short hash of everything a page's rendering can read.

A page is rendered again only when its fingerprint changes, which makes incremental builds
correct by construction: there is no hand-written rule saying which page depends on which
article. A page's template sees only (a) its own context and (b) the environment's globals and
filters; both go into the fingerprint:

- the environment: the theme's templates, config.yaml, the static files' versions, the menu and
  newsroom's own code;
- the context, walked value by value, where each ``Article`` counts by a digest of *all* its
  fields (body included). So editing a body re-renders the pages listing that article too, but
  their bytes come out the same and are not written again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
from datetime import date, datetime
from pathlib import Path

from .model import Article

_CODE_DIR = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """A hash of newsroom's own source, so upgrading newsroom invalidates old caches."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def article_digest(article: Article) -> str:
    """A digest of every field of an article, as a template could read any of them."""
    return hashlib.blake2b(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


class Fingerprinter:
    """Hashes page contexts; digests of shared values (articles, terms, years) are computed once."""

    def __init__(self, environment: str, articles: dict[str, str]):
        self.environment = environment
        self.articles = articles  # source -> article digest
        self._memo: dict[int, str] = {}
        self._keep: list = []  # keeps memoised objects alive so their ids stay unique

    def page(self, context: dict) -> str:
        parts: list[str] = [self.environment]
        self._walk(context, parts)
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()

    def _walk(self, value, out: list[str]) -> None:
        if value is None or isinstance(value, (str, int, float, bool)):
            out.append(repr(value))
        elif isinstance(value, Article):
            out.append(self.articles[value.source])
        elif isinstance(value, (datetime, date)):
            out.append(value.isoformat())
        elif isinstance(value, (list, tuple)):
            key = id(value)
            if len(value) > 8 and key in self._memo:
                out.append(self._memo[key])
                return
            inner: list[str] = ["["]
            for item in value:
                self._walk(item, inner)
            inner.append("]")
            if len(value) > 8:
                self._memo[key] = hashlib.blake2b("\x1f".join(inner).encode(), digest_size=16).hexdigest()
                self._keep.append(value)
                out.append(self._memo[key])
            else:
                out.extend(inner)
        elif isinstance(value, dict):
            out.append("{")
            for key in sorted(value, key=str):
                out.append(str(key))
                self._walk(value[key], out)
            out.append("}")
        elif dataclasses.is_dataclass(value):
            key = id(value)
            if key not in self._memo:
                inner = [type(value).__name__]
                for f in dataclasses.fields(value):
                    self._walk(getattr(value, f.name), inner)
                self._memo[key] = hashlib.blake2b("\x1f".join(inner).encode(), digest_size=16).hexdigest()
                self._keep.append(value)
            out.append(self._memo[key])
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")
