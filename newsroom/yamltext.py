"""Safe, located YAML for front matter and config.yaml.

PyYAML's constructor loses where each value came from, accepts duplicate keys silently and
expands aliases (the "billion laughs" bomb). We let the fast C parser build the node tree and
turn it into values ourselves: every top-level key keeps its line and column, a repeated key is
an error, aliases are refused, and the raw text of each scalar stays available so the caller can
tell ``title: NO`` (a yes/no value to YAML) from ``title: "NO"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import YamlProblem
from .i18n import Message, _

try:  # the C parser is 10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STANDARD = "tag:yaml.org,2002:"  # what '!!' stands for
STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"

_PLAIN_TAGS = {STR, BOOL, INT, FLOAT, NULL, TIMESTAMP, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
# Characters YAML refuses (C0 and C1 controls, DEL, lone surrogates, U+FFFE/U+FFFF), plus U+0085,
# which YAML reads as a line break although no editor shows one: all of them arrive invisibly,
# pasted from a web page or a mis-converted document.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Unicode's line and paragraph separators: YAML counts them as line breaks, editors show nothing
# (or a space), so they would shift every line number after them. They become plain spaces.
_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})
_KIND_WORDS = {
    BOOL: _("a yes/no value"),
    INT: _("a number"),
    FLOAT: _("a number"),
    NULL: _("an empty value"),
    TIMESTAMP: _("a date"),
}


@dataclass(frozen=True)
class Entry:
    """One top-level ``key: value`` with the place of its key (0-based) and its value node."""

    key: str
    node: yaml.Node
    line: int
    column: int


def kind_of(node: yaml.Node) -> Message:
    """Plain words for what YAML made of a node, for messages."""
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if isinstance(node, yaml.MappingNode):
        return _("a group of keys")
    return _KIND_WORDS.get(node.tag, _("text"))


def parse_mapping(text: str, first_line: int = 1) -> list[Entry]:
    """The top-level mapping of ``text`` as located entries; raises YamlProblem.

    ``first_line`` is the file's line number of the text's first line, used in messages only.
    """
    text = _readable(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlProblem(0, 0, _("cannot read YAML: {problem}", problem=str(exc))) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        raise YamlProblem(
            mark.line,
            mark.column,
            _("expected lines of the form 'key: value'"),
            _("write each field as  key: value"),
        )
    _refuse_aliases(root)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            mark = key_node.start_mark
            raise YamlProblem(
                mark.line, mark.column, _("a field name must be a simple word"), _("write each field as  name: value")
            )
        key = str(key_node.value)
        mark = key_node.start_mark
        if key in seen:
            raise YamlProblem(
                mark.line,
                mark.column,
                _("'{key}' is given twice (first on line {line})", key=key, line=str(seen[key] + first_line)),
                _("keep one '{key}:' line and delete the other", key=key),
            )
        seen[key] = mark.line
        entries.append(Entry(key, value_node, mark.line, mark.column))
    return entries


def _readable(text: str) -> str:
    """``text`` with line separators as spaces; raises YamlProblem at the first invisible character.

    PyYAML reports a refused character by its offset only (so every such error would point at
    the first line) and cannot even encode a lone surrogate; we find it first, by line and column.
    """
    found = _INVISIBLE.search(text)
    if found:
        line = text.count("\n", 0, found.start())
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
        raise YamlProblem(
            line,
            column,
            _(
                "this line contains an invisible character (U+{code}) that is not allowed",
                code=f"{ord(found.group()):04X}",
            ),
            _("it was probably pasted in with the text: delete this line and type it again"),
        )
    return text.translate(_SEPARATORS)


def _refuse_aliases(root: yaml.Node) -> None:
    """Refuse anchors, aliases (how YAML bombs work) and explicit tags: front matter needs none."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            mark = node.start_mark
            raise YamlProblem(
                mark.line,
                mark.column,
                _("YAML anchors and aliases (&name, *name) are not allowed"),
                _("write the value out"),
            )
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            mark = node.start_mark
            raise YamlProblem(
                mark.line,
                mark.column,
                _("the YAML tag '{tag}' is not allowed", tag=_as_typed(node.tag)),
                _("remove the part starting with '!'"),
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


def _as_typed(tag: str) -> str:
    """A tag as the editor wrote it: ``!!python/object`` rather than YAML's ``tag:yaml.org,2002:python/object``."""
    return "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag


def plain_value(node: yaml.Node):
    """The Python value of a node built from scalars, lists and mappings only (no custom tags)."""
    return yaml.constructor.SafeConstructor().construct_document(node)


def _explain(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """Turn PyYAML's parser wording into a sentence an editor can act on."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    lines = text.split("\n")
    structural = _explain_structure(exc, lines)
    if structural is not None:
        return structural
    line_text = lines[line] if line < len(lines) else ""
    if "\t" in problem or "'\\t'" in problem or (line_text[: column + 1].strip() == "" and "\t" in line_text):
        return YamlProblem(
            line,
            column,
            _("a tab character is used for indentation"),
            _("YAML needs spaces: replace the tab with spaces"),
        )
    if "mapping values are not allowed" in problem and line_text[:1] in (" ", "\t"):
        return YamlProblem(
            line,
            0,
            _("this line is indented, but the field above it is not a list or group"),
            _("start the field at the beginning of the line"),
        )
    if "mapping values are not allowed" in problem:
        return YamlProblem(
            line,
            column,
            _("a value contains ': ' which YAML reads as a new field"),
            _('put the whole value in double quotes, e.g.  title: "Huyện Thanh Trì: khai mạc lớp học"'),
        )
    unclosed = _unclosed_quote_line(lines[: line + 1])
    if unclosed is not None:
        return YamlProblem(
            unclosed,
            0,
            _("a quote is opened but never closed on this line"),
            _("end the value with the same quote mark (\" or ')"),
        )
    if "quoted scalar" in context and "end of stream" in problem:
        start = exc.context_mark.line if exc.context_mark else line
        return YamlProblem(
            start,
            exc.context_mark.column if exc.context_mark else 0,
            _("a quote is opened but never closed"),
            _("end the value with the same quote mark (\" or ')"),
        )
    if "quoted scalar" in context:
        return YamlProblem(
            line,
            column,
            _("a quoted value is malformed ({problem})", problem=problem),
            _('check the quotes; inside "..." write \\" for a quote mark'),
        )
    if ("expected key" in problem or "<block end>" in problem) and line_text[:1] == " ":
        return YamlProblem(
            line,
            0,
            _("this line is indented, but the field above it is not a list or group"),
            _("start the field at the beginning of the line"),
        )
    if "expected <block end>" in problem or "indent" in problem or "expected <block end>" in context:
        return YamlProblem(
            line,
            column,
            _("the indentation is inconsistent"),
            _("start every field at the beginning of the line; indent list items with two spaces"),
        )
    if "could not find expected ':'" in problem:
        return YamlProblem(
            line,
            column,
            _("a line is not of the form 'key: value'"),
            _("add ': ' after the field name, or quote a value that runs over several lines"),
        )
    if "found undefined alias" in problem or "anchor" in problem:
        return YamlProblem(
            line,
            column,
            _("YAML anchors and aliases (&name, *name) are not allowed"),
            _("write the value out"),
        )
    if "found character" in problem and "cannot start any token" in problem:
        return YamlProblem(
            line,
            column,
            _("a value cannot start with this character ({char})", char=line_text[column : column + 1] or "?"),
            _("put the value in double quotes"),
        )
    return YamlProblem(
        line,
        column,
        _("the YAML cannot be read: {problem}", problem=problem or context),
        _("check the quotes and indentation near this line"),
    )


def _explain_structure(exc: yaml.MarkedYAMLError, lines: list[str]) -> YamlProblem | None:
    """Errors PyYAML notices only lines later: blame the line where the mistake was made.

    An unclosed ``[`` or ``{`` is noticed at the next line (or the end); a line without ``:`` is
    noticed at the line after it; text after a closing quote and a second ``---`` are explained.
    """
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    start = exc.context_mark
    opened = None
    if start is not None and ("flow sequence" in context or "flow mapping" in context):
        opened = (start.line, start.column, "[" if "sequence" in context else "{")
    elif exc.problem_mark is not None and "flow node" in context:  # '[a,' then the end: libyaml names the item
        opened = _open_bracket(lines[: exc.problem_mark.line + 1])
    if opened is not None:
        line, column, bracket = opened
        end = "]" if bracket == "[" else "}"
        example = _(', e.g.  tags: ["Dân vận khéo", "Nông thôn mới"]') if bracket == "[" else ""
        return YamlProblem(
            line,
            column,
            _("a '{bracket}' is opened on this line but never closed with '{end}'", bracket=bracket, end=end),
            _(
                "close it on the same line{example}; text that starts with '{bracket}' must be in double quotes",
                example=example,
                bracket=bracket,
            ),
        )
    if start is not None and "could not find expected ':'" in problem and "simple key" in context:
        return YamlProblem(
            start.line,
            start.column,
            _("a line is not of the form 'key: value'"),
            _("add ': ' after the field name, or quote a value that runs over several lines"),
        )
    mark = exc.problem_mark
    if mark is not None and "another document" in problem:
        return YamlProblem(
            mark.line,
            mark.column,
            _("a line '---' starts a second block of settings here"),
            _("delete this line: only one block of 'key: value' lines is allowed"),
        )
    line_text = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "expected key" in problem and _text_after_quote(line_text):
        return YamlProblem(
            mark.line,
            mark.column,
            _("there is text after the closing quote"),
            _(
                'put the whole value inside the quotes, e.g.  title: "Tin \\"hay\\" trong ngày"  (write \\" for a quote mark inside)'
            ),
        )
    return None


def _value_part(text: str) -> str:
    """What follows ``key:`` (or ``- `` in a list) on a line, stripped."""
    _key, sep, value = text.partition(": ")
    return value.strip() if sep else text.strip().removeprefix("- ").strip()


def _closing_quote(value: str) -> int | None:
    """Index of the quote that closes the quoted ``value`` (which starts with it), or None."""
    quote = value[0]
    i = 1
    while i < len(value):
        char = value[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and value[i + 1 : i + 2] == "'":  # '' is a quote mark inside '...'
                i += 2
                continue
            return i
        i += 1
    return None


def _text_after_quote(line_text: str) -> bool:
    """True when a quoted value is closed on this line and more text follows it."""
    value = _value_part(line_text)
    if not value or value[0] not in "\"'":
        return False
    end = _closing_quote(value)
    rest = value[end + 1 :].strip() if end is not None else ""
    return bool(rest) and not rest.startswith("#")


def _unclosed_quote_line(lines: list[str]) -> int | None:
    """The first line whose value opens a double quote it does not close, if any."""
    for number, text in enumerate(lines):
        value = _value_part(text)
        if value.startswith('"') and _closing_quote(value) is None:
            return number
    return None


def _open_bracket(lines: list[str]) -> tuple[int, int, str] | None:
    """Where the outermost '[' or '{' left open by these lines is (line, column, bracket), if any.

    A bracket opens a list or group only at the start of a value; inside one, brackets nest and
    quoted text and comments are skipped."""
    stack: list[tuple[int, int, str]] = []
    for number, text in enumerate(lines):
        if not stack:
            value = _value_part(text)
            if not value or value[0] not in "[{":
                continue
            column = len(text) - len(text.lstrip()) + text.strip().find(value)
        else:
            column = 0
        quote = ""
        for index in range(column, len(text)):
            char = text[index]
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#" and (index == 0 or text[index - 1] in " \t"):
                break
            elif char in "[{":
                stack.append((number, index, char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[0] if stack else None
