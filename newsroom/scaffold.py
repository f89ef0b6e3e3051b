"""``build.py new``: start an article with complete, valid front matter so editors never type YAML keys."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from .config import load_config
from .errors import ConfigError
from .slugs import slugify


def new_article(
    site_dir: Path, title: str, category: str, author: str = "", source_unit: str = "", now: datetime | None = None
) -> Path:
    """Write ``content/<year>/<slug>.md`` (never over an existing file) and return its path."""
    config = load_config(site_dir)
    title = " ".join(title.split())
    if not title:
        raise ConfigError(
            "the title is empty", path="build.py new", hint='build.py new "Tiêu đề bài viết" --category ...'
        )
    declared = config.category_named(category.strip())
    if declared is None:
        close = config.closest_categories(category)
        hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(c.name for c in config.categories)
        raise ConfigError(f"category '{category}' is not declared in config.yaml", path="build.py new", hint=hint)
    when = (now or datetime.now(config.tz)).astimezone(config.tz)
    folder = config.content_dir / f"{when.year:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    stem = slugify(title) or "bai-viet"
    path = folder / f"{stem}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.md"
    text = "\n".join(
        [
            "---",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"category: {json.dumps(declared.name, ensure_ascii=False)}",
            f"date: {when:%Y-%m-%d %H:%M}",
            f"author: {json.dumps(author, ensure_ascii=False)}",
            f"source_unit: {json.dumps(source_unit, ensure_ascii=False)}",
            "tags: []",
            'summary: ""',
            "draft: false",
            "---",
            "",
            "**Đoạn mở đầu (sapo) của bài viết.**",
            "",
            "Nội dung bài viết.",
            "",
        ]
    )
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
