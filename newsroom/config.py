"""config.yaml → a frozen, typed ``Config``: defaults filled in, every key checked.

An unknown key is an error with the closest known key suggested (``per-page`` → ``per_page``),
in the spirit of Zola's ``deny_unknown_fields``: a typo must never be ignored silently.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .slugs import fold, slugify
from .yamltext import STR, Entry, YamlProblem, kind_of, parse_mapping, plain_value


@dataclass(frozen=True)
class Category:
    """A section of the site, in menu order."""

    name: str
    slug: str


@dataclass(frozen=True)
class Permalinks:
    """URL patterns (relative to the site root, ending in ``/``) for each page kind."""

    article: str = "{year}/{month}/{slug}/"
    category: str = "chuyen-muc/{slug}/"
    tag: str = "the/{slug}/"
    author: str = "tac-gia/{slug}/"
    source_unit: str = "don-vi/{slug}/"
    year: str = "{year}/"
    month: str = "{year}/{month}/"
    archive: str = "luu-tru/"
    tags: str = "the/"
    authors: str = "tac-gia/"
    source_units: str = "don-vi/"
    page: str = "trang/{n}/"
    search: str = "tim-kiem/"


_PERMALINK_TOKENS = {
    "article": {"year", "month", "day", "slug", "category"},
    "category": {"slug"},
    "tag": {"slug"},
    "author": {"slug"},
    "source_unit": {"slug"},
    "year": {"year"},
    "month": {"year", "month"},
    "archive": set(),
    "tags": set(),
    "authors": set(),
    "source_units": set(),
    "page": {"n"},
    "search": set(),
}


@dataclass(frozen=True)
class Config:
    """Everything the build reads from config.yaml, typed and defaulted."""

    site_dir: Path
    title: str
    base_url: str
    categories: tuple[Category, ...]
    description: str = ""
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    theme: str = "default"
    per_page: int = 20
    home_latest: int = 8
    home_per_category: int = 4
    related_count: int = 4
    feed_size: int = 20
    feed_full_content: bool = False
    allow_html: bool = False
    max_file_kb: int = 2048
    preserve: tuple[str, ...] = ()
    permalinks: Permalinks = field(default_factory=Permalinks)
    image_widths: tuple[int, ...] = (480, 800, 1200, 1600)  # photo widths published (px), never upscaled
    keep_copyright: bool = False  # keep the EXIF Copyright and Artist fields in published photos
    max_image_pixels: int = 50_000_000  # larger pictures are refused (decompression bombs)
    source_hash: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with ``/`` (``/tin-tuc/``)."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """``https://host`` of base_url, for absolute URLs in feeds and metadata."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    def category_named(self, name: str) -> Category | None:
        for category in self.categories:
            if category.name == name:
                return category
        return None

    def closest_categories(self, name: str, limit: int = 2) -> list[str]:
        """Declared categories nearest to ``name``, compared without accents or case."""
        folded = {fold(c.name): c.name for c in self.categories}
        exact = folded.get(fold(name).strip())
        if exact:
            return [exact]
        close = difflib.get_close_matches(fold(name), list(folded), n=limit, cutoff=0.5)
        return [folded[c] for c in close]


_FIELDS = {
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "per_page",
    "categories",
    "home_latest",
    "home_per_category",
    "related_count",
    "feed_size",
    "feed_full_content",
    "allow_html",
    "max_file_kb",
    "preserve",
    "permalinks",
    "image_widths",
    "keep_copyright",
    "max_image_pixels",
}


def load_config(site_dir: Path, base_url: str | None = None) -> Config:
    """Read ``site_dir/config.yaml``; ``base_url`` (from the command line) overrides the file's."""
    path = site_dir / "config.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no config.yaml in {site_dir}",
            path=str(path),
            hint="run the command inside the site folder, or pass --site DIR",
        ) from None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config.yaml is not UTF-8 text (byte offset {exc.start})",
            hint="save it as UTF-8",
        ) from None
    try:
        entries = parse_mapping(text)
    except YamlProblem as problem:
        raise ConfigError(problem.message, line=problem.line + 1, hint=problem.hint) from None
    values: dict = {}
    lines: dict[str, int] = {}
    for entry in entries:
        if entry.key not in _FIELDS:
            close = difflib.get_close_matches(entry.key.replace("-", "_"), sorted(_FIELDS), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "see the config.yaml section of README.md"
            raise ConfigError(f"unknown setting '{entry.key}'", line=entry.line + 1, hint=hint)
        values[entry.key] = _value(entry)
        lines[entry.key] = entry.line + 1
    if base_url:
        values["base_url"] = base_url
    return _make_config(
        site_dir,
        values,
        lines,
        hashlib.sha256(raw + (base_url or "").encode()).hexdigest(),
    )


def _value(entry: Entry):
    if entry.key in {
        "title",
        "description",
        "base_url",
        "language",
        "timezone",
        "theme",
    }:
        if entry.node.tag != STR:
            raise ConfigError(
                f"'{entry.key}' must be text, but YAML read {kind_of(entry.node)}",
                line=entry.line + 1,
                hint=f'put it in double quotes: {entry.key}: "..."',
            )
        return entry.node.value
    return plain_value(entry.node)


def _make_config(site_dir: Path, values: dict, lines: dict[str, int], source_hash: str) -> Config:
    def fail(key: str, message: str, hint: str = "") -> ConfigError:
        return ConfigError(message, line=lines.get(key), hint=hint)

    for key in ("title", "base_url", "categories"):
        if not values.get(key):
            raise fail(key, f"'{key}' is required", f"add a line '{key}: ...' (see README.md)")
    base_url = values["base_url"]
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(
            "base_url",
            f"base_url '{base_url}' is not a full web address",
            'write it like  base_url: "https://example.gov.vn/"',
        )
    if not base_url.endswith("/"):
        base_url += "/"
    timezone = values.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            "timezone",
            f"unknown timezone '{timezone}'",
            "use a name like Asia/Ho_Chi_Minh",
        ) from None
    ints = {}
    for key, low in (
        ("per_page", 1),
        ("home_latest", 1),
        ("home_per_category", 0),
        ("related_count", 0),
        ("feed_size", 1),
        ("max_file_kb", 1),
        ("max_image_pixels", 1),
    ):
        if key in values:
            value = values[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise fail(
                    key,
                    f"'{key}' must be a whole number of at least {low}",
                    f"for example  {key}: {max(low, 20)}",
                )
            ints[key] = value
    bools = {}
    for key in ("feed_full_content", "allow_html", "keep_copyright"):
        if key in values:
            if not isinstance(values[key], bool):
                raise fail(key, f"'{key}' must be true or false")
            bools[key] = values[key]
    preserve = values.get("preserve") or []
    if not isinstance(preserve, list) or not all(isinstance(p, str) and p.strip() for p in preserve):
        raise fail(
            "preserve",
            "'preserve' must be a list of file or folder names in the output",
            "for example  preserve: [CNAME, .well-known/]",
        )
    for item in preserve:
        if item.startswith("/") or ".." in Path(item).parts:
            raise fail(
                "preserve",
                f"'preserve' entry '{item}' must be a path inside the output folder",
            )
    return Config(
        site_dir=site_dir,
        title=values["title"],
        base_url=base_url,
        categories=_categories(values["categories"], fail),
        description=values.get("description", ""),
        language=values.get("language", "vi"),
        timezone=timezone,
        theme=values.get("theme", "default"),
        preserve=tuple(p.rstrip("/") for p in preserve),
        permalinks=_permalinks(values.get("permalinks"), fail),
        image_widths=_image_widths(values.get("image_widths", list(Config.image_widths)), fail),
        source_hash=source_hash,
        **ints,
        **bools,
    )


def _image_widths(raw, fail) -> tuple[int, ...]:
    """A non-empty list of pixel widths, sorted, each between 16 and 8192."""
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in raw)
    ):
        raise fail(
            "image_widths",
            "'image_widths' must be a list of picture widths in pixels (16 to 8192)",
            "for example  image_widths: [480, 800, 1200, 1600]",
        )
    return tuple(sorted(set(raw)))


def _categories(raw, fail) -> tuple[Category, ...]:
    if not isinstance(raw, list):
        raise fail(
            "categories",
            "'categories' must be a list of section names",
            'write each on its own line:  - "Tin tức - Sự kiện"',
        )
    result: list[Category] = []
    seen: dict[str, str] = {}
    for item in raw:
        if isinstance(item, str):
            name, slug = item.strip(), slugify(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"name", "slug"}:
            name = item["name"].strip()
            slug = str(item.get("slug") or slugify(name))
        else:
            raise fail(
                "categories",
                f"category entry {item!r} must be a name or {{name: ..., slug: ...}}",
            )
        if not name or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            raise fail(
                "categories",
                f"category '{name}' has no usable URL slug ('{slug}')",
                "give it one: {name: ..., slug: tin-tuc}",
            )
        if slug in seen:
            raise fail(
                "categories",
                f"categories '{seen[slug]}' and '{name}' would share the URL part '{slug}'",
                "give one of them its own slug",
            )
        seen[slug] = name
        result.append(Category(name, slug))
    return tuple(result)


def _permalinks(raw, fail) -> Permalinks:
    if raw is None:
        return Permalinks()
    if not isinstance(raw, dict):
        raise fail("permalinks", "'permalinks' must be a group of  kind: pattern  lines")
    for kind, pattern in raw.items():
        if kind not in _PERMALINK_TOKENS:
            close = difflib.get_close_matches(kind, list(_PERMALINK_TOKENS), n=1)
            raise fail(
                "permalinks",
                f"unknown page kind '{kind}' in permalinks",
                f"did you mean '{close[0]}'?" if close else "",
            )
        if not isinstance(pattern, str) or not pattern.endswith("/") or pattern.startswith("/") or ".." in pattern:
            raise fail(
                "permalinks",
                f"permalink for '{kind}' must be a relative path ending in '/'",
                'e.g.  article: "{year}/{month}/{slug}/"',
            )
        tokens = set(re.findall(r"\{(\w+)\}", pattern))
        allowed = _PERMALINK_TOKENS[kind]
        if tokens - allowed:
            raise fail(
                "permalinks",
                f"permalink for '{kind}' uses unknown {{{sorted(tokens - allowed)[0]}}}",
                f"allowed: {', '.join('{' + t + '}' for t in sorted(allowed)) or 'none'}",
            )
        if kind in ("article", "category", "tag", "author", "source_unit") and "slug" not in tokens:
            raise fail("permalinks", f"permalink for '{kind}' must contain {{slug}}")
        try:  # braces that do not pair up, or {slug!r}-style extras, would fail at every page
            pattern.format(**dict.fromkeys(allowed, "x"))
        except (ValueError, KeyError, IndexError, AttributeError):
            raise fail(
                "permalinks",
                f"permalink for '{kind}' has a '{{' or '}}' out of place: '{pattern}'",
                'write each part as {name}, e.g.  article: "{year}/{month}/{slug}/"',
            ) from None
    return Permalinks(**raw)
