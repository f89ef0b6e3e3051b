"""The build cache's file format: JSON with named types, read back as data, never as code.

``pickle`` would rebuild whatever a file names, so anyone who can write ``.cache/`` (a shared
folder, a restored CI cache) could run code on the next build. Here a file can only hold JSON
values and instances of the dataclasses listed in ``_TYPES``, rebuilt through their constructors
from their declared fields; anything else makes ``decode`` raise ``ValueError``, and the cache
treats the file as missing.

    tuple           {"~": "t", "v": [...]}          (lists stay lists)
    datetime        {"~": "dt", "v": "2024-05-01T08:00:00+07:00", "z": "Asia/Ho_Chi_Minh"}
    date            {"~": "d", "v": "2024-05-01"}
    a dataclass     {"~": "Article", "title": ..., ...}
    a dict          as it is when every key is text, else {"~": "map", "v": [[key, value], ...]}
"""

from __future__ import annotations

import dataclasses
import functools
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .config import Category
from .errors import ContentError
from .i18n import Message
from .model import Article, Asset, Document, InfoPage, Picture

TAG = "~"
_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (Article, InfoPage, Category, Asset, Picture, Document, ContentError, Message)
}
_FIELDS = {name: {f.name for f in dataclasses.fields(cls)} for name, cls in _TYPES.items()}


@functools.cache
def _engine_types() -> None:
    """The Markdown and content steps' types, registered on first need: a rebuild that finds
    nothing changed reads only the last build's record and should not import Markdown to do it."""
    from .content import Parsed
    from .markdown import Link, RenderedBody
    from .media import FileFacts

    register(Parsed, RenderedBody, Link, FileFacts)


def _type(name: str) -> type | None:
    if name not in _TYPES:
        _engine_types()
    return _TYPES.get(name)


def register(*classes: type) -> None:
    """Let a module's own dataclasses (the cache's entries) be stored too."""
    for cls in classes:
        _TYPES[cls.__name__] = cls
        _FIELDS[cls.__name__] = {f.name for f in dataclasses.fields(cls)}


def encode(value: Any) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def decode(data: bytes) -> Any:
    """The value ``encode`` wrote; ``ValueError`` for anything else (a foreign or damaged file)."""
    try:
        return json.loads(data, object_hook=_revive)
    except (TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a newsroom cache value: {exc}") from None


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "t", "v": [_plain(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: _plain(v) for k, v in value.items()}
        return {TAG: "map", "v": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {TAG: "dt", "v": value.isoformat(), "z": zone}
    if isinstance(value, date):
        return {TAG: "d", "v": value.isoformat()}
    name = type(value).__name__
    if _type(name) is type(value):
        return {TAG: name, **{f: _plain(getattr(value, f)) for f in _FIELDS[name]}}
    raise TypeError(f"the cache cannot store a {name}")


def _revive(obj: dict) -> Any:
    kind = obj.get(TAG)
    if kind is None:
        return obj
    if kind == "t":
        return tuple(obj["v"])
    if kind == "map":
        return {k: v for k, v in obj["v"]}  # keys were tuples or numbers (an unhashable one: TypeError)
    if kind == "dt":
        moment = datetime.fromisoformat(obj["v"])
        return moment.astimezone(ZoneInfo(obj["z"])) if obj.get("z") else moment
    if kind == "d":
        return date.fromisoformat(obj["v"])
    cls = _type(kind)
    fields = {k: v for k, v in obj.items() if k != TAG}
    if cls is None or set(fields) != _FIELDS[kind]:
        raise ValueError(f"unknown or changed type in the cache: {kind}")
    return cls(**fields)
