"""The build cache's file format: JSON with named types, read back as data, never as code.

``pickle`` would rebuild whatever a file names, so anyone who can write ``.cache/`` (a shared
folder, a restored CI cache) could run code on the next build. Here a file can only hold JSON
values and instances of the dataclasses listed in ``_TYPES``, rebuilt through their constructors
from their declared fields; anything else makes ``decode`` raise ``ValueError``, and the cache
treats the file as missing.

    tuple           {"~": "t", "v": [...]}          (lists stay lists)
    datetime        {"~": "dt", "v": "2024-05-01T08:00:00+07:00", "z": "Asia/Ho_Chi_Minh"}
    date            {"~": "d", "v": "2024-05-01"}
    a dataclass     {"~": "Article.1a2b3c4d", "v": [title, ...]}    its fields' values in declaration order
    a dict          as it is when every key is text, else {"~": "map", "v": [[key, value], ...]}

A dataclass's tag holds its name and a digest of its field names: a class whose fields changed
(added, removed, reordered) since the value was written does not match it, so a stored value never
fills the wrong field. Values go as lists, not objects keyed by field name: a rebuild reads 20,000
rows, and without the names they are a sixth shorter and a third quicker to read back.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .config import Category
from .errors import ContentError
from .i18n import Message
from .model import Article, Asset, Document, InfoPage, Picture

TAG = "~"
_TYPES: dict[str, type] = {}  # name -> class
_BY_TAG: dict[str, tuple[type, tuple[str, ...]]] = {}  # tag -> (class, fields in declaration order)
_BY_CLASS: dict[type, tuple[str, tuple[str, ...]]] = {}  # class -> (tag, fields in declaration order)
_PLAIN_INIT: set[type] = set()  # classes whose __init__ only stores the fields: rebuilt without calling it


def register(*classes: type) -> None:
    """Let a module's own dataclasses (the cache's entries) be stored too."""
    for cls in classes:
        names = tuple(f.name for f in dataclasses.fields(cls))
        tag = f"{cls.__name__}.{hashlib.blake2b(' '.join(names).encode(), digest_size=4).hexdigest()}"
        _TYPES[cls.__name__] = cls
        _BY_TAG[tag] = (cls, names)
        _BY_CLASS[cls] = (tag, names)
        # The __init__ dataclasses generate (made with exec: its code comes from "<string>"), with no
        # __post_init__ and every field an argument, only stores its arguments: filling __dict__ does
        # the same several times faster (a rebuild reads 20,000 rows). Anything else (an exception, a
        # hand-written __init__, slots) goes through the constructor.
        init = getattr(cls.__init__, "__code__", None)
        plain = (
            init is not None
            and init.co_filename == "<string>"
            and not issubclass(cls, BaseException)
            and "__post_init__" not in dir(cls)
            and not hasattr(cls, "__slots__")
            and all(f.init for f in dataclasses.fields(cls))
        )
        if plain:
            _PLAIN_INIT.add(cls)
        else:
            _PLAIN_INIT.discard(cls)


register(Article, InfoPage, Category, Asset, Picture, Document, ContentError, Message)


@functools.cache
def _engine_types() -> None:
    """The Markdown and content steps' types and the stored page plan's, registered on first need: a
    rebuild that finds nothing changed reads only the last build's record and should not import
    Markdown to do it."""
    from . import body_edit  # registers the stored page plan's types
    from .content import Parsed
    from .markdown import Link, RenderedBody
    from .media import FileFacts

    register(Parsed, RenderedBody, Link, FileFacts)
    assert body_edit.Ref in _BY_CLASS


def _type(name: str) -> type | None:
    if name not in _TYPES:
        _engine_types()
    return _TYPES.get(name)


def _tagged(tag: str) -> tuple[type, tuple[str, ...]] | None:
    """The class and fields a dataclass tag stands for, or None (a class unknown, or changed since)."""
    if tag not in _BY_TAG:
        _type(tag.partition(".")[0])
    return _BY_TAG.get(tag)


def encode(value: Any) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def decode(data: bytes) -> Any:
    """The value ``encode`` wrote; ``ValueError`` for anything else (a foreign or damaged file)."""
    try:
        return json.loads(data, object_hook=_revive)
    except (TypeError, KeyError, AttributeError, RecursionError, OverflowError) as exc:
        raise ValueError(f"not a newsroom cache value: {exc}") from None


def _plain(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool or kind is float:
        return value
    known = _BY_CLASS.get(kind)
    if known is not None:
        tag, fields = known
        return {TAG: tag, "v": [_plain(getattr(value, field_name)) for field_name in fields]}
    if kind is tuple:
        return {TAG: "t", "v": [_plain(v) for v in value]}
    if kind is list:
        return [_plain(v) for v in value]
    return _plain_other(value)


def _plain_other(value: Any) -> Any:
    """The rarer values (and subclasses of the common ones), the slow way."""
    if isinstance(value, str | int | float | bool):
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
        return _plain(value)
    raise TypeError(f"the cache cannot store a {name}")


def _moment(text: str, zone: str | None) -> datetime:
    """A datetime as written, back in its zone: the same wall time, and the same offset (``fold`` says which
    of a repeated hour). Not ``astimezone``: that goes through UTC, and the far end of time a site with no
    scheduled article waits for (``datetime.max`` in a zone behind UTC) lies past year 9999 there."""
    moment = datetime.fromisoformat(text)
    if not zone:
        return moment
    local = moment.replace(tzinfo=ZoneInfo(zone))
    return local if local.utcoffset() == moment.utcoffset() else local.replace(fold=1)


def _revive(obj: dict) -> Any:
    kind = obj.pop(TAG, None)  # the hook's own fresh dict: taking the tag out of it costs nothing
    if kind is None:
        return obj
    if kind == "t":
        return tuple(obj["v"])
    if kind == "map":
        return {k: v for k, v in obj["v"]}  # keys were tuples or numbers (an unhashable one: TypeError)
    if kind == "dt":
        return _moment(obj["v"], obj.get("z"))
    if kind == "d":
        return date.fromisoformat(obj["v"])
    known = _tagged(kind)
    values = obj.get("v")
    if known is None or len(obj) != 1 or type(values) is not list or len(values) != len(known[1]):
        raise ValueError(f"unknown or changed type in the cache: {kind}")
    cls, fields = known
    if cls in _PLAIN_INIT:
        value = object.__new__(cls)
        value.__dict__.update(zip(fields, values, strict=True))
        return value
    return cls(*values)
