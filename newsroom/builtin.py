"""Where newsroom's own theme files are, found without importing the template engine.

A rebuild of an unchanged site must decide "nothing to do" from file facts alone; asking
``render.py`` (and so Jinja) where the built-in themes live would cost more than the decision.
"""

from __future__ import annotations

from pathlib import Path


def _builtin_themes() -> Path:
    """newsroom's own themes folder: a checkout's top-level ``themes/`` when running from one (the copy being
    edited), else the copy ``pip install`` put inside the package (``newsroom/_themes``, see pyproject.toml)."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "themes"
    if (package.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    installed = package / "_themes"
    return installed if installed.is_dir() else checkout


BUILTIN_THEMES = _builtin_themes()
