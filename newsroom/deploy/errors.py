"""The one error a deploy reports to a person: what went wrong on the way to the host, and what to do."""

from __future__ import annotations

from ..errors import NewsroomError


class DeployError(NewsroomError):
    """The target cannot be reached, refuses us, or cannot be written; the site online is left working."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret we know of blotted out: tools' messages may echo what they were given."""
    for secret in sorted((s for s in secrets if s and len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
