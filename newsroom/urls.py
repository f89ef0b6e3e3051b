"""Where each page lives: permalink patterns filled in, and site URLs turned into links.

Every URL inside the model is relative to the site root (``2020/10/x/``); only here does it
gain the ``base_url`` path (``/tin-tuc/2020/10/x/``) or the full origin for feeds, so one site
works at ``https://host/`` and ``https://host/tin-tuc/`` alike.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from .config import Category, Config


def article_url(pattern: str, slug: str, when: datetime, category: Category) -> str:
    """An article's URL from its permalink pattern."""
    return pattern.format(
        year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}", slug=slug, category=category.slug
    )


def paginated(url: str, page: int, pattern: str) -> str:
    """The URL of page ``page`` (1-based) of a listing whose first page is at ``url``."""
    return url if page == 1 else url + pattern.format(n=page)


def href(config: Config, url: str) -> str:
    """A link from any page to the site URL ``url``, including the base_url path."""
    return config.base_path + quote(url, safe="/#?=&%.~-_")


def absolute(config: Config, url: str) -> str:
    """The full address of a site URL, for feeds, sitemaps and sharing metadata."""
    return config.origin + href(config, url)
