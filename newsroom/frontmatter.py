"""Front matter as a person writes it: split a file, find each field's lines, write it back.

This is the one module that knows how an article file is laid out: a first line ``---``, the
fields in YAML, a closing ``---`` (or ``...``) line, then the body. Everything that reads or
writes that layout goes through it: the reader (``content.parse_article``, which decides what the
fields *mean* and reports problems at the lines ``split`` gives), the importer and ``new`` (which
write new files), the desk (which changes one field of an existing file) and the photo step
(which points at the ``image:`` line). So that a tool writes the file the way an editor would type it:

- keys in the usual order (``ORDER``), one ``key: value`` a line, text in double quotes, dates
  bare (``2020-10-15 13:50``), tags as ``["a", "b"]``, a ``document:`` group indented by two;
- a field whose value did not change keeps its original lines byte for byte (comments, odd
  quoting and all), fields the tool does not know are kept where they are, and a new field is put
  after the fields that usually come before it;
- the body (everything after the closing ``---`` line) is written byte for byte as given.

Files are read as the build reads them: a byte-order mark is dropped and Windows (``\r\n``) and
old Mac (``\r``) line breaks count as ``\n``, so a line number here is the line number in every
message. ``write(read(text).values, split(text).body, text)`` gives ``text`` back for any file
this module can read that has ``\n`` line breaks and no byte-order mark (the others come back
with those normalised).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from .errors import YamlProblem
from .yamltext import BOOL, INT, NULL, Entry, parse_mapping

# The usual order of the fields, as README.md shows them and ``new`` writes them.
ORDER = (
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
    "order",
    "legacy_views",
    "document",
)
DATE_KEYS = ("date", "updated", "issued")
DOCUMENT_ORDER = ("number", "issued", "issuer", "file")
FRONT_LINE = 2  # the file line of the front matter's first line: line 1 is the opening '---'
OPENING = "---"
CLOSINGS = ("---", "...")
_BARE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")
# Characters that YAML refuses or reads as line breaks, written as \u escapes inside quotes.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")

Value = str | bool | int | list | dict


@dataclass(frozen=True)
class Split:
    """A file cut at its front matter: the YAML between the fences, and the body after them."""

    front: str  # the lines between the two fences, each ending with "\n"
    body: str  # everything after the closing fence's line break, byte for byte
    body_line: int  # the file's line number (1-based) of the body's first line
    opening: str = "---"  # the fence lines as written (trailing spaces, '...'), kept when writing
    closing: str = "---"


@dataclass(frozen=True)
class FrontMatter:
    """What a file's front matter says, as plain values, with where each field is written."""

    values: dict[str, Value]
    lines: dict[str, tuple[int, int]]  # key -> (first, last) line of the file, 1-based
    segments: dict[str, str] = field(default_factory=dict)  # key -> its original text
    preamble: str = ""  # comment lines before the first field
    fences: tuple[str, str] = ("---", "---")  # the opening and closing lines as written


def normalise(text: str) -> str:
    """``text`` as the build reads it: without a byte-order mark, every line break a ``\n``.

    Editors on Windows save ``\r\n`` and some save a BOM; the build accepts both silently, so
    every tool that counts lines must count them the same way.
    """
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def opens(text: str) -> bool:
    """Whether the file starts with the opening ``---`` line (closed or not)."""
    return normalise(text).split("\n", 1)[0].rstrip() == OPENING


def split(text: str) -> Split | None:
    """The front matter and body of ``text``, or None when it has no closed front matter.

    The fences are a first line ``---`` and the next line that is ``---`` or ``...`` (trailing
    spaces allowed); a ``---`` further down belongs to the body (a Markdown rule). ``text`` is
    normalised first (see ``normalise``); when ``opens(text)`` is true and this is None, the
    front matter was never closed.
    """
    lines = normalise(text).split("\n")
    if lines[0].rstrip() != OPENING:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSINGS:
            front = "".join(line + "\n" for line in lines[1:index])
            return Split(front, "\n".join(lines[index + 1 :]), index + 2, lines[0], lines[index])
    return None


def file_line(line: int) -> int:
    """The file's line number (1-based) of a 0-based line of the front matter text, as YAML
    positions (``Entry.line``, a node's ``start_mark.line``, ``YamlProblem.line``) count them."""
    return line + FRONT_LINE


def fields(parts: Split) -> list[Entry]:
    """The located top-level fields of a split file, through yamltext's safe parser (duplicate
    keys, aliases and invisible characters refused); raises YamlProblem, whose line (and every
    entry's) is 0-based in ``parts.front``: ``file_line`` turns it into the file's."""
    return parse_mapping(parts.front, first_line=FRONT_LINE)


def line_of(text: str, key: str) -> int | None:
    """The file line where the top-level field ``key`` is written, or None when it is not.

    Found without parsing the YAML (a top-level key starts its line: ``key:``, ``"key":``), for a
    step that only points at a field of a file the reader has already accepted, such as the photo
    step naming the ``image:`` line of a missing picture: parsing the file again would cost a
    hundred times more than reading it.
    """
    parts = split(text)
    if parts is None:
        return None
    name = re.escape(key)
    pattern = re.compile(f"(?:{name}|\"{name}\"|'{name}')[ \t]*:(?:[ \t]|$)")
    for index, line in enumerate(parts.front.split("\n")):
        if pattern.match(line):
            return file_line(index)
    return None


def layout(parts: Split, entries: list[Entry], keys: frozenset[str]) -> str:
    """The front matter as written, fences included, but with the line of each of these fields replaced by the
    field's name: two files with the same layout have every other field written alike at the same lines,
    whatever these fields say (the one-shot build that redoes only titles and summaries relies on it: every
    message about the other fields points at the same line as before). A field written over several lines is
    kept as written: ``line_of``, which finds a field's line without parsing, could take a line inside it
    for another field's (``image: ...`` in the middle of a long title)."""
    lines = parts.front.split("\n")
    for entry in entries:
        end = entry.node.end_mark
        last = end.line - 1 if end.column == 0 and end.line > entry.line else end.line
        if entry.key in keys and last == entry.line:
            lines[entry.line] = entry.key
    return f"{parts.opening}\n{chr(10).join(lines)}{parts.closing}"


def read(text: str) -> FrontMatter:
    """The fields of a file's front matter as plain values, with their lines; raises YamlProblem
    (its line 0-based in the whole file) when it cannot be read, or ValueError when there is no
    closed front matter at all."""
    parts = split(text)
    if parts is None:
        raise ValueError("the file has no front matter between two '---' lines")
    try:
        entries = fields(parts)
    except YamlProblem as exc:
        raise YamlProblem(file_line(exc.line) - 1, exc.column, exc.message, exc.hint) from None
    front_lines = parts.front.split("\n")[:-1]
    values: dict[str, Value] = {}
    lines: dict[str, tuple[int, int]] = {}
    segments: dict[str, str] = {}
    starts = [entry.line for entry in entries] + [len(front_lines)]
    for index, entry in enumerate(entries):
        end = starts[index + 1]
        values[entry.key] = plain(entry.node)
        segments[entry.key] = "".join(line + "\n" for line in front_lines[entry.line : end])
        lines[entry.key] = (file_line(entry.line), file_line(end) - 1)
    preamble = "".join(line + "\n" for line in front_lines[: starts[0]])
    return FrontMatter(values, lines, segments, preamble, (parts.opening, parts.closing))


def plain(node: yaml.Node) -> Value:
    """A YAML node as the value a form shows: text as written, yes/no as a flag, lists of text."""
    if isinstance(node, yaml.SequenceNode):
        return [str(plain(item)) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(key.value): plain(value) for key, value in node.value}
    if node.tag == NULL:
        return ""
    if node.tag == BOOL:
        return str(node.value).lower() in ("true", "yes", "on", "y")
    if node.tag == INT:
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            return str(node.value)
    return str(node.value)


def quote(text: str) -> str:
    """Text in double quotes, as YAML and JSON both read it (so a ``:`` or ``#`` inside is fine)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def render_value(key: str, value: Value, indent: str = "") -> str:
    """One field as its line(s), ending with a line break."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, int):
        shown = str(value)
    elif isinstance(value, list):
        shown = "[" + ", ".join(quote(str(item)) for item in value) + "]"
    elif isinstance(value, dict):
        keys = [k for k in DOCUMENT_ORDER if k in value] + [k for k in value if k not in DOCUMENT_ORDER]
        inner = "".join(render_value(k, value[k], indent + "  ") for k in keys)
        return f"{indent}{key}:\n{inner}"
    elif key in DATE_KEYS and _BARE_DATE.fullmatch(value):
        shown = value
    else:
        shown = quote(value)
    return f"{indent}{key}: {shown}\n"


def is_empty(value: Value | None) -> bool:
    """Fields left empty in a form are not written at all (``author: ""`` would say nothing)."""
    return value is None or value == "" or value == [] or value == {} or value is False


def write(values: dict[str, Value], body: str, original: str | None = None, keep_empty: tuple[str, ...] = ()) -> str:
    """The whole file: front matter from ``values`` and ``body`` byte for byte.

    With ``original`` (the file as it is now), unchanged fields keep their lines, fields not in
    ``values`` are kept as they were (so are comments and the two fence lines), and empty values
    remove their field (a flag set to false stays written as ``false`` when the file had it).
    Without it, the fields are written in the usual order and empty ones left out. Fields named in ``keep_empty`` are written even when
    empty (``tags: []``, ``author: ""``): lines a new file offers the editor to fill in.
    """
    before = _original(original)
    written: dict[str, str] = {}
    for key, segment in before.segments.items():
        if key not in values or values[key] == before.values.get(key):
            written[key] = segment
        elif _written(key, values[key], keep_empty) or (values[key] is False and key in before.values):
            written[key] = render_value(key, values[key])
    for key in _new_keys(values, before, keep_empty):
        written = _insert(written, key, render_value(key, values[key]))
    opening, closing = before.fences
    return opening + "\n" + before.preamble + "".join(written.values()) + closing + "\n" + body


def _written(key: str, value: Value | None, keep_empty: tuple[str, ...]) -> bool:
    return value is not None and (not is_empty(value) or key in keep_empty)


def _original(original: str | None) -> FrontMatter:
    if original is None:
        return FrontMatter({}, {})
    try:
        return read(original)
    except (YamlProblem, ValueError):
        return FrontMatter({}, {})  # unreadable: written afresh from the form


def _new_keys(values: dict[str, Value], before: FrontMatter, keep_empty: tuple[str, ...]) -> list[str]:
    fresh = [k for k, v in values.items() if k not in before.segments and _written(k, v, keep_empty)]
    return sorted(fresh, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), fresh.index(k)))


def _insert(written: dict[str, str], key: str, text: str) -> dict[str, str]:
    """``written`` with ``key`` after the last field that usually comes before it."""
    rank = ORDER.index(key) if key in ORDER else len(ORDER)
    keys = list(written)
    at = 0
    for position, other in enumerate(keys, 1):
        if other in ORDER and ORDER.index(other) < rank:
            at = position
    if rank == len(ORDER):
        at = len(keys)
    items = list(written.items())
    items.insert(at, (key, text))
    return dict(items)


def field_at(lines: dict[str, tuple[int, int]], line: int | None) -> str | None:
    """The field written on a file line, if any."""
    if line is None:
        return None
    return next((key for key, (first, last) in lines.items() if first <= line <= last), None)


__all__ = [
    "FRONT_LINE",
    "ORDER",
    "FrontMatter",
    "Split",
    "field_at",
    "fields",
    "file_line",
    "line_of",
    "normalise",
    "opens",
    "plain",
    "quote",
    "read",
    "render_value",
    "split",
    "write",
]
