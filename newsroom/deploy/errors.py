"""The one error a deploy reports to a person (``DeployError``, defined with every other error in
newsroom/errors.py as a kind of OutputError), and keeping secrets out of its messages."""

from __future__ import annotations

from ..errors import DeployError

__all__ = ["DeployError", "redact"]


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret we know of blotted out: tools' messages may echo what they were given."""
    for secret in sorted((s for s in secrets if s and len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
