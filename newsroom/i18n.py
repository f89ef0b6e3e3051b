"""Messages an editor can see, as data until shown, and the ``Translator`` that shows them.

Code never formats an editor-visible text itself: it makes a ``Message`` with ``_()`` or
``ngettext()`` (the English text is the msgid, ``{name}`` placeholders are filled from keyword
arguments), and the edge that prints it (the command line, the preview overlay, the desk)
renders it with the ``Translator`` chosen once for the command. Messages are frozen dataclasses
of plain values, so they pickle and go through the build cache's codec like any other field.
``str(message)`` is the English text, so code not yet converted keeps working.

Catalogues are gettext ``.po`` files, ``newsroom/locale/<lang>/LC_MESSAGES/newsroom.po``,
extracted with Babel (``pybabel extract -F babel.cfg``; see tests/test_i18n.py) and read here
directly with a small reader, so a checkout needs no compile step and Babel is not a runtime
dependency.

Which language: ``--lang`` on the command line, else ``NEWSROOM_LANG``, else the site's
``language`` for everything said once config.yaml is read; before that (``--help``, errors in
config.yaml itself) the locale variables LANGUAGE, LC_ALL, LC_MESSAGES, LANG.
"""

from __future__ import annotations

import ast
import errno
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "newsroom"

# Which plural form (msgstr[i]) a count takes; the .po headers say the same (a test compares them).
PLURAL_FORMS = {
    "vi": ("nplurals=1; plural=0;", lambda n: 0),
    "en": ("nplurals=2; plural=(n != 1);", lambda n: int(n != 1)),
}
# Decimal mark and thousands separator: 1,234.5 in English, 1.234,5 in Vietnamese.
_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}
_GROUP_FROM = 10_000  # 2024 stays 2024 (a year, a line number); 12.345 is grouped


@dataclass(frozen=True)
class Message:
    """One text for an editor: the English msgid, its parameters, and for plurals the other form and count."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str = ""
    n: int = 0

    def __str__(self) -> str:
        return ENGLISH.render(self)

    def __add__(self, other: object) -> str:  # "text" + message, as code that is not converted yet does
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __contains__(self, text: str) -> bool:  # "word" in error.message, as older tests ask
        return text in str(self)

    def __eq__(self, other: object) -> bool:  # error.message == "English text", as older code and tests ask
        if isinstance(other, str):
            return str(self) == other
        if isinstance(other, Message):
            return (self.msgid, self.params, self.plural, self.n) == (other.msgid, other.params, other.plural, other.n)
        return NotImplemented

    def __hash__(self) -> int:  # equal to its English text, so it hashes as that text
        return hash(str(self))

    def startswith(self, prefix: str) -> bool:
        return str(self).startswith(prefix)

    def endswith(self, suffix: str) -> bool:
        return str(self).endswith(suffix)


def _plain(value: Any) -> Any:
    """A parameter as a plain value the cache and pickle can carry (a Path becomes its text)."""
    if value is None or isinstance(value, str | int | float | bool | Message):
        return value
    return str(value)


def _(msgid: str, /, **params: Any) -> Message:
    """Mark ``msgid`` for translation; ``{name}`` in it is filled from ``params`` when shown."""
    return Message(msgid, tuple((k, _plain(v)) for k, v in params.items()))


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Message:
    """A text whose form depends on the count ``n`` (also available as ``{n}``)."""
    values = {"n": n, **params}
    return Message(singular, tuple((k, _plain(v)) for k, v in values.items()), plural, n)


Text = str | Message


class _Number:
    """A number in a message, written the language's way (``2,35 giây``; ``2.35 s``)."""

    def __init__(self, value: int | float, language: str) -> None:
        self.value = value
        self.language = language

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        if not spec and isinstance(self.value, int) and abs(self.value) >= _GROUP_FROM:
            text = format(self.value, ",")
        decimal, group = _SEPARATORS.get(self.language, (".", ","))
        return text.translate(str.maketrans({".": decimal, ",": group}))

    def __repr__(self) -> str:
        return format(self)

    __str__ = __repr__


class _Unfilled(dict):
    """Parameters for a message missing some of them (a mistake in the code): those stay ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, eq=False)
class Translator:
    """Renders messages in one language from its catalogue (msgid → msgstr forms)."""

    language: str
    catalogue: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def render(self, text: Text | None) -> str:
        """The text for an editor; plain strings (not converted yet) pass through unchanged."""
        if text is None:
            return ""
        if not isinstance(text, Message):
            return str(text)
        params = {name: self._param(value) for name, value in text.params}
        try:
            return self._template(text).format(**params)
        except (KeyError, IndexError, ValueError, AttributeError):  # a broken translation: the English text
            english = text.plural if text.plural and text.n != 1 else text.msgid
            try:
                return english.format_map(_Unfilled(params))
            except (IndexError, ValueError, AttributeError):
                return english  # even the English cannot be filled in: better the bare words than a crash

    __call__ = render

    def _template(self, message: Message) -> str:
        forms = self.catalogue.get(message.msgid, ())
        if message.plural:
            index = PLURAL_FORMS.get(self.language, PLURAL_FORMS["en"])[1](message.n)
            if index < len(forms) and forms[index]:
                return forms[index]
            return message.msgid if message.n == 1 else message.plural
        return forms[0] if forms and forms[0] else message.msgid

    def _param(self, value: Any) -> Any:
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _Number(value, self.language)
        return value

    def number(self, value: int | float, spec: str = "") -> str:
        """A number outside a message, the language's way."""
        return format(_Number(value, self.language), spec)


ENGLISH = Translator("en")


def translator(language: str) -> Translator:
    """The translator for a language code (``vi``, ``en``), reading its catalogue from newsroom/locale."""
    language = normalise(language) or "en"
    return Translator(language, read_po(catalogue_path(language)))


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# --- choosing the language ------------------------------------------------------------------


def normalise(value: str | None) -> str | None:
    """``vi_VN.UTF-8`` → ``vi``; ``C`` / ``POSIX`` → ``en`` (untranslated); anything else unsupported → None."""
    if not value:
        return None
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    if code in ("c", "posix"):
        return "en"
    return code if code in LANGUAGES else None


def from_locale(environ: Mapping[str, str]) -> str:
    """The language of the locale variables, the way gettext reads them; the site default when unset."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        for part in value.split(":"):  # LANGUAGE may list several: vi:en
            found = normalise(part)
            if found:
                return found
        if name != "LANGUAGE":  # a locale set to a language we do not have: untranslated
            return "en"
    return DEFAULT_LANGUAGE


def choose(flag: str | None, environ: Mapping[str, str], site_language: str | None = None) -> str:
    """The language to speak: ``--lang``, else NEWSROOM_LANG, else the site's (once config.yaml is read),
    else the locale variables (``--help``, errors in config.yaml itself)."""
    for candidate in (flag, environ.get("NEWSROOM_LANG")):
        found = normalise(candidate)
        if found:
            return found
    if site_language is not None:
        return normalise(site_language) or "en"
    return from_locale(environ)


# --- reading .po files ----------------------------------------------------------------------


class _PoSyntaxError(ValueError):
    """A .po file that cannot be read: the line (1-based) and the reason, a Message, so a theme's broken
    ``theme.po`` is reported at ``path:line`` in the editor's language. Private (errors.py keeps the public
    tree): callers catch it as the ValueError it is and read ``line`` and ``reason`` (render.py)."""

    def __init__(self, line: int, reason: Message) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class PoEntry:
    """One entry of a .po file, as the reader (and the completeness test) sees it."""

    msgid: str = ""
    plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False


def read_po_entries(text: str) -> list[PoEntry]:
    """Every entry of a .po file's text, the header (msgid "") included. Only what newsroom writes is read:
    ``#,`` flags, ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[i]`` and continued strings."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    target: tuple[str, int] | None = None
    started = False

    def close() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = PoEntry(), False, None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            continue  # an obsolete entry: not part of the catalogue
        if not line:
            close()
            continue
        if line.startswith("#"):
            if started and target and target[0] == "msgstr":
                close()
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise _PoSyntaxError(number, _("a quoted string outside an entry (it must follow msgid or msgstr)"))
            _append(entry, target, _unquote(line, number))
            continue
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword == "msgid":
            if started and target and target[0] == "msgstr":
                close()
            started, target = True, ("msgid", 0)
        elif keyword == "msgid_plural":
            target = ("plural", 0)
        elif keyword == "msgstr" or match:
            target = ("msgstr", int(match.group(1)) if match else 0)
            entry.msgstr.setdefault(target[1], "")
        elif keyword == "msgctxt":
            raise _PoSyntaxError(number, _("msgctxt is not used by newsroom: remove the line"))
        else:
            raise _PoSyntaxError(
                number,
                _("cannot read '{keyword}': a line must start with msgid, msgstr, a quote or #", keyword=keyword),
            )
        _append(entry, target, _unquote(rest, number))
    close()
    return entries


def _append(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    kind, index = target
    if kind == "msgid":
        entry.msgid += text
    elif kind == "plural":
        entry.plural += text
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def _unquote(text: str, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise _PoSyntaxError(number, _("expected a text in double quotes"))
    inner = text[1:-1]
    if "\\" not in inner:
        return inner  # most lines: nothing to unescape (and reading a catalogue happens at every start)
    try:
        return ast.literal_eval(text)  # C-style escapes (\n, \", \\), which Python's literals share
    except (SyntaxError, ValueError):  # a lone backslash, a quote not escaped inside the text
        raise _PoSyntaxError(
            number, _('the text in quotes is broken: write \\" for a quote and \\\\ for a backslash')
        ) from None


def read_po(path: Path) -> dict[str, tuple[str, ...]]:
    """A catalogue: msgid → its translated forms, leaving out fuzzy and untranslated entries.

    Read once per process for each version of the file (a command asks for its language's
    catalogue before and after config.yaml says the site's language).
    """
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is None:
        return _read_po(path, 0, -1)
    return dict(_read_po(path, info.st_mtime_ns, info.st_size))


@functools.lru_cache(maxsize=16)
def _read_po(path: Path, mtime_ns: int, size: int) -> dict[str, tuple[str, ...]]:
    catalogue: dict[str, tuple[str, ...]] = {}
    for entry in read_po_entries(path.read_text(encoding="utf-8")):
        if not entry.msgid or entry.fuzzy:
            continue
        forms = tuple(entry.msgstr[i] for i in sorted(entry.msgstr))
        if any(forms):
            catalogue[entry.msgid] = forms
    return catalogue


# --- the operating system's words -----------------------------------------------------------

# The OS errors an editor meets (strerror is the C library's English whatever the language):
# worded from the catalogue by errno; the msgid is the usual English strerror, so English output is unchanged.
_OS_ERRORS = {
    errno.EACCES: _("Permission denied"),
    errno.EPERM: _("Operation not permitted"),
    errno.ENOENT: _("No such file or directory"),
    errno.ENOSPC: _("No space left on device"),
    errno.EROFS: _("Read-only file system"),
    errno.EISDIR: _("Is a directory"),
    errno.ENOTDIR: _("Not a directory"),
    errno.EEXIST: _("File exists"),
    errno.ENOTEMPTY: _("Directory not empty"),
    errno.EMFILE: _("Too many open files"),
    errno.EDQUOT: _("Disk quota exceeded"),
}


def os_error_text(exc: OSError) -> Text:
    """What the operating system said, in the editor's language when we know the error (by errno);
    any other error keeps the system's own text (strerror), which is better than nothing."""
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    return known if known is not None else (exc.strerror or str(exc))
