"""Everything that can go wrong, drawn once, so a reader knows the failure modes first.

Every exception newsroom defines is here, in one tree (``tests/test_errors.py`` keeps it so).
Each line says which layer raises it → who catches it → what the editor sees::

    NewsroomError        base: anything we report to a person instead of a traceback; the command line
    │                    (cli._run), the desk (desk.handle), the preview server and deploy --watch catch it
    │                    and print ``render()``
    ├── ConfigError      config.py: config.yaml is missing, malformed or has an unknown key
    │                    → the command stops → ``config.yaml:LINE: error: … / hint: …``
    ├── ContentError     content.py, images.py, build.py: one problem in one article (path, line, column,
    │                    message, hint); with ``warning=True`` one that does not fail the build
    │                    → collected, not raised → ``path:line:col: error|warning: … / hint: …``
    ├── BuildFailed      build.py: the build found content errors; carries all of them
    │                    → the command stops, output/ untouched → every ContentError, then a count
    ├── OutputError      output.py: the output folder is unsafe to write, or another build holds it
    │   │                → the command stops → ``error: … / hint: …``
    │   └── DeployError  deploy/: the host cannot be reached, refuses us or cannot be written; the site
    │                    online is left working → the command stops → ``error: … / hint: …``
    ├── ThemeError       render.py: a template cannot be loaded or fails on a page
    │                    → build.py (pages stage) reports it → ``templates/x.html:LINE: error: … / hint: …``
    ├── WorkerLost       parallel.py: a worker process died (killed, out of memory)
    │                    → the command stops → ``error: … / hint: the computer may have run short of memory…``
    ├── SourceRefused    content.read_source: a content file not read at all (not a regular file, too big)
    │                    → build.py, desk.py, importer/ turn it into a ContentError on that file
    ├── YamlProblem      yamltext.py: bad YAML at a place (0-based line and column of the YAML text)
    │                    → content.py makes a ContentError at ``frontmatter.file_line(line)``; frontmatter.read
    │                    re-raises it with the file's line; importer/parse.py (light reader) and desk.py
    │                    fall back; config.py makes a ConfigError
    ├── PhotoProblem     images.py: a picture that cannot be published (``warning`` when the build goes on)
    │                    → returned, not raised, from photo workers; images.py makes a ContentError on
    │                    each article that uses the picture
    ├── DeskError        desk.py: a request the desk refuses (HTTP status, message, extra fields)
    │                    → desk.handle answers JSON ``{"error": message, …}`` with that status
    ├── RcloneFailed     deploy/rclone.py, internal: rclone's own error for one remote-control call
    │                    → deploy/rclone.py explains it as a DeployError; never shown as it is
    ├── DamagedRecord    search.py, build.py, cache.py, internal: the memo store lost a record the build needs,
    │                    or SQLite found the file damaged while writing
    │                    → build.py runs the same build again from a clean memo; never shown
    └── RemoteTraceback  parallel.py, internal: where an exception raised in a worker came from; the
                         ``__cause__`` of the re-raised exception, seen only in a developer's traceback

Private control flow (``svg._Stop``) stays in its module: it never leaves it.

Each error knows how to show itself (``render(tr)``), the way a compiler prints
``path:line:col: error: message`` followed by a hint line, so the command line only prints
and exits; it never formats errors itself. Messages and hints are ``i18n.Message`` objects (or,
in modules not converted yet, plain English text): ``render`` is given the command's
``Translator`` and writes the whole thing in its language (``tin.md:6:1: lỗi: … / gợi ý: …``);
without one, English.

Pickling: errors cross worker processes (``parallel.map_forked``) and some are cached, so each one
survives ``pickle`` as it is. An exception pickles as ``type(self)(*self.args)`` plus its
attributes; a class whose constructor takes other arguments than the message it passes up
defines ``__reduce__`` to rebuild itself from its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from .i18n import ENGLISH, Message, Text, Translator, _, ngettext


class NewsroomError(Exception):
    """Base class: an error meant for a person, shown with ``render()`` and no traceback."""

    def render(self, tr: Translator = ENGLISH) -> str:
        message = self.args[0] if len(self.args) == 1 and isinstance(self.args[0], Message) else str(self)
        return tr(_("error: {message}", message=message))


def _location(path: str, line: int | None, column: int | None) -> str:
    where = path
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


def _with_hint(text: Text, hint: Text, tr: Translator) -> str:
    """The message line, and the hint under it when there is one: the same layout for every error.
    A hint of several lines (an example to copy) keeps them indented under ``hint:``, not at the margin,
    so the reader sees where one error's text ends and the next error begins."""
    if not hint:
        return tr(text)
    shown = tr(_("hint: {hint}", hint=hint)).replace("\n", "\n" + HINT_CONTINUATION)
    return tr(text) + "\n    " + shown


HINT_CONTINUATION = " " * 8  # a hint's second and later lines: under the hint's text, past ``    hint:``


def _located(where: str, message: Text, warning: bool = False) -> Message:
    """``where: error: message`` (or ``warning:``); without a place, ``error: message``."""
    if not where:
        return _("warning: {message}", message=message) if warning else _("error: {message}", message=message)
    if warning:
        return _("{where}: warning: {message}", where=where, message=message)
    return _("{where}: error: {message}", where=where, message=message)


class ConfigError(NewsroomError):
    """config.yaml cannot be used as it is."""

    def __init__(
        self,
        message: Text,
        *,
        path: str = "config.yaml",
        line: int | None = None,
        hint: Text = "",
    ):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint

    def render(self, tr: Translator = ENGLISH) -> str:
        return _with_hint(_located(_location(self.path, self.line, None), self.message), self.hint, tr)


@dataclass(frozen=True)
class ContentError(NewsroomError):
    """One problem in one content file, located as precisely as we know it."""

    path: str
    line: int | None
    message: Text
    hint: Text = ""
    column: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self):
        # Exceptions pickle by setting attributes, which a frozen dataclass refuses; the cache
        # and worker processes need them pickled, so rebuild from the fields instead.
        return (ContentError, (self.path, self.line, self.message, self.hint, self.column, self.warning))

    @property
    def severity(self) -> str:
        return "warning" if self.warning else "error"

    def render(self, tr: Translator = ENGLISH) -> str:
        where = _location(self.path, self.line, self.column)
        return _with_hint(_located(where, self.message, self.warning), self.hint, tr)

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.column or 0, str(self.message))


@dataclass
class BuildFailed(NewsroomError):
    """The build stopped because of content errors; every one of them is here, in file order."""

    errors: list[ContentError]
    warnings: list[ContentError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self):
        # Built with keywords, its ``args`` are empty and the default pickling would lose ``errors``.
        return (BuildFailed, (self.errors, self.warnings))

    def render(self, tr: Translator = ENGLISH, outcome: Message | None = None) -> str:
        """Every error, then the closing line: by default what happened to output/ (the preview, which never
        writes there, gives its own ``outcome``, a plural message of the error count ``n``)."""
        lines = [e.render(tr) for e in sorted(self.errors, key=ContentError.sort_key)]
        n = len(self.errors)
        closing = outcome or ngettext(
            "build failed: {n} error; output/ was left as it was",
            "build failed: {n} errors; output/ was left as it was",
            n,
        )
        lines.append(tr(closing))
        return "\n".join(lines)


MAX_WARNINGS_SHOWN = 20  # warnings a build prints (build, serve); ``check`` prints them all


def shown_warnings(warnings: list[ContentError], tr: Translator, limit: int | None = MAX_WARNINGS_SHOWN) -> list[str]:
    """The lines that show a build's warnings: the first ``limit`` of them, then how many more there are."""
    lines = [warning.render(tr) for warning in warnings[:limit]]
    if limit is not None and len(warnings) > limit:
        more = ngettext(
            "… and {n} more warning: run  python build.py check  to see them all",
            "… and {n} more warnings: run  python build.py check  to see them all",
            len(warnings) - limit,
        )
        lines.append(tr(more))
    return lines


class OutputError(NewsroomError):
    """The output folder cannot be written safely (wrong place, foreign files, locked)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self, tr: Translator = ENGLISH) -> str:
        return _with_hint(_located("", self.message), self.hint, tr)


class DeployError(OutputError):
    """The target cannot be reached, refuses us, or cannot be written; the site online is left working.

    A deploy writes the output somewhere else, so this is an OutputError with the same message and
    hint; its own class lets ``except DeployError`` stay about the host, not the local folder.
    """


class ThemeError(NewsroomError):
    """A template could not be loaded or failed while rendering a page."""

    def __init__(self, message: str, path: str = "", line: int | None = None, hint: str = ""):
        super().__init__(message)
        self.message, self.path, self.line, self.hint = message, path, line, hint

    def render(self, tr: Translator = ENGLISH) -> str:
        return _with_hint(_located(_location(self.path, self.line, None), self.message), self.hint, tr)


class WorkerLost(NewsroomError):
    """A worker process died before finishing its share (killed from outside, or out of memory)."""

    def render(self, tr: Translator = ENGLISH) -> str:
        message = self.args[0] if len(self.args) == 1 and isinstance(self.args[0], Message) else str(self)
        hint = _("the computer may have run short of memory: close other programs and build again")
        return _with_hint(_located("", message), hint, tr)


class SourceRefused(NewsroomError):
    """A file that is not read at all (message and hint for the editor)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __reduce__(self):
        return (type(self), (self.message, self.hint), self.__dict__)

    def render(self, tr: Translator = ENGLISH) -> str:
        return _with_hint(_located("", self.message), self.hint, tr)


class YamlProblem(NewsroomError):
    """A problem at a place in the YAML text (0-based line and column, relative to the text)."""

    def __init__(self, line: int, column: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint

    def __reduce__(self):
        return (type(self), (self.line, self.column, self.message, self.hint), self.__dict__)

    def render(self, tr: Translator = ENGLISH) -> str:
        return _with_hint(_located("", self.message), self.hint, tr)  # the line is the caller's to place in a file


class PhotoProblem(NewsroomError):
    """A file that cannot be published as a picture; ``warning`` when the build may go on."""

    cache_error: OSError | None = None  # the photo cache could not be written: the disk's fault, not the photo's

    def __init__(self, message: str, hint: str = "", warning: bool = False):
        super().__init__(message)
        self.message, self.hint, self.warning = message, hint, warning

    def render(self, tr: Translator = ENGLISH) -> str:
        if self.warning:
            return _with_hint(_("warning: the picture {message}", message=self.message), self.hint, tr)
        return _with_hint(_("error: the picture {message}", message=self.message), self.hint, tr)


class DeskError(NewsroomError):
    """A request the desk refuses, with the status and a plain message for the editor."""

    def __init__(self, status: HTTPStatus, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def __reduce__(self):
        return (type(self), (self.status, self.message), self.__dict__)


class RcloneFailed(NewsroomError):
    """Internal to deploy/rclone.py: rclone's own answer to one call (its message and HTTP status),
    which ``RcloneTarget`` explains as a DeployError before anyone sees it."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status

    def __reduce__(self):
        return (type(self), (self.message, self.status), self.__dict__)


class DamagedRecord(NewsroomError):
    """Internal: the memo store lost a record the build needs (an article's search terms, a body's HTML), or
    SQLite found the file damaged while writing: the build starts again from a clean cache."""


class RemoteTraceback(NewsroomError):
    """Internal: where an exception raised in a worker came from (shown as the cause of the re-raised one)."""
