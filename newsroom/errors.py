"""Everything that can go wrong, drawn once, so a reader knows the failure modes first.

    NewsroomError                 base: anything we report to a person instead of a traceback
    ├── ConfigError               config.yaml is missing, malformed or has an unknown key
    ├── ContentError              one problem in one article (path, line, column, message, hint);
    │                             also used, with ``warning=True``, for problems that do not fail
    ├── BuildFailed               the build found content errors; carries all of them
    └── OutputError               the output folder is unsafe to write, or another build holds it

Each error knows how to show itself (``render()``), the way a compiler prints
``path:line:col: error: message`` followed by a hint line, so the command line only prints
and exits; it never formats errors itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class NewsroomError(Exception):
    """Base class: an error meant for a person, shown with ``render()`` and no traceback."""

    def render(self) -> str:
        return f"error: {self}"


def _location(path: str, line: int | None, column: int | None) -> str:
    where = path
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


class ConfigError(NewsroomError):
    """config.yaml cannot be used as it is."""

    def __init__(
        self,
        message: str,
        *,
        path: str = "config.yaml",
        line: int | None = None,
        hint: str = "",
    ):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"{_location(self.path, self.line, None)}: error: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass(frozen=True)
class ContentError(NewsroomError):
    """One problem in one content file, located as precisely as we know it."""

    path: str
    line: int | None
    message: str
    hint: str = ""
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

    def render(self) -> str:
        text = f"{_location(self.path, self.line, self.column)}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.column or 0, self.message)


@dataclass
class BuildFailed(NewsroomError):
    """The build stopped because of content errors; every one of them is here, in file order."""

    errors: list[ContentError]
    warnings: list[ContentError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        lines = [e.render() for e in sorted(self.errors, key=ContentError.sort_key)]
        n = len(self.errors)
        lines.append(f"build failed: {n} error{'s' if n != 1 else ''}; output/ was left as it was")
        return "\n".join(lines)


class OutputError(NewsroomError):
    """The output folder cannot be written safely (wrong place, foreign files, locked)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text
