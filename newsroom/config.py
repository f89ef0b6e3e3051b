"""config.yaml → a frozen, typed ``Config``: defaults filled in, every key checked.

An unknown key is an error with the closest known key suggested (``per-page`` → ``per_page``),
in the spirit of Zola's ``deny_unknown_fields``: a typo must never be ignored silently.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import ConfigError
from .i18n import Message, _
from .slugs import fold, slugify
from .yamltext import STR, Entry, YamlProblem, kind_of, parse_mapping, plain_value


@dataclass(frozen=True)
class Category:
    """A section of the site, in menu order."""

    name: str
    slug: str


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main navigation, as config.yaml's ``menu:`` names it.

    ``target`` says what it points at: ``category`` (a declared name), ``page`` (a file under
    content/pages/, resolved once pages are read), ``url`` (a site path or a full web address).
    ``line`` is where config.yaml names it, for messages about a page that does not exist.
    """

    name: str
    target: str  # "category", "page", "url", or "group" (a heading that only opens its children)
    value: str  # the category's name, the page's path under content/pages/, or the URL
    line: int = 0
    children: tuple[MenuItem, ...] = ()


@dataclass(frozen=True)
class Publisher:
    """Who runs the portal: the footer and the JSON-LD ``publisher`` (the law asks for it)."""

    name: str = ""
    governing_body: str = ""  # cơ quan chủ quản
    responsible: str = ""  # người chịu trách nhiệm
    licence: str = ""  # giấy phép
    address: str = ""
    phone: str = ""
    email: str = ""
    logo: str = ""  # a picture in static/ ("logo.png"): the header, the icons and the JSON-LD


@dataclass(frozen=True)
class DeployTarget:
    """One place ``build.py deploy`` publishes to: an entry of config.yaml's ``deploy:`` list.

    Never holds a secret: passwords and keys come from the environment, the SSH agent or keys,
    or the tool's own credential store, so config.yaml can be shared and kept in git.
    ``url`` is as written (shown in messages); ``scheme`` says which protocol moves the files.
    """

    name: str
    url: str
    scheme: str  # file, sftp, ftp, ftps, s3, git, rclone
    endpoint: str = ""  # s3: the S3-compatible service's address
    region: str = ""  # s3
    branch: str = ""  # git: the branch the host publishes (gh-pages by default)
    line: int = 0  # where config.yaml names it, for messages


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
    documents: str = "van-ban/"


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
    "documents": set(),
}
# Tokens a pattern must hold, or every page of its kind would land on one URL.
_REQUIRED_TOKENS = {
    "article": {"slug"},
    "category": {"slug"},
    "tag": {"slug"},
    "author": {"slug"},
    "source_unit": {"slug"},
    "year": {"year"},
    "month": {"year", "month"},
    "page": {"n"},
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
    home_featured: int = 3  # featured stories at the top of the home page (0 hides the block)
    related_count: int = 4
    search_segment: int = 4096  # articles per part of the search index a search reads newest first (search.py)
    feed_size: int = 20
    feed_full_content: bool = False
    allow_html: bool = False
    max_file_kb: int = 2048
    preserve: tuple[str, ...] = ()
    permalinks: Permalinks = field(default_factory=Permalinks)
    image_widths: tuple[int, ...] = (480, 800, 1200, 1600)  # photo widths published (px), never upscaled
    keep_copyright: bool = False  # keep the EXIF Copyright and Artist fields in published photos
    max_image_pixels: int = 50_000_000  # larger pictures are refused (decompression bombs)
    menu: tuple[MenuItem, ...] = ()  # empty: the categories, in order
    publisher: Publisher = field(default_factory=Publisher)
    deploy: tuple[DeployTarget, ...] = ()  # where ``build.py deploy`` publishes; the first is the default
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
    "search_segment",
    "feed_size",
    "feed_full_content",
    "allow_html",
    "max_file_kb",
    "preserve",
    "permalinks",
    "image_widths",
    "keep_copyright",
    "max_image_pixels",
    "home_featured",
    "menu",
    "publisher",
    "deploy",
}


MAX_SEARCH_SEGMENT = 1 << 20  # articles in a part of the search index: more is one part for any real site


def _did_you_mean(close: list[str], otherwise: Message) -> Message:
    """The hint for an unknown name: the closest known one, else what would be right."""
    return _("did you mean '{name}'?", name=close[0]) if close else otherwise


def load_config(site_dir: Path, base_url: str | None = None) -> Config:
    """Read ``site_dir/config.yaml``; ``base_url`` (from the command line) overrides the file's."""
    path = site_dir / "config.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            _("no config.yaml in {folder}", folder=site_dir),
            path=str(path),
            hint=_("run the command inside the site folder, or pass --site DIR"),
        ) from None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # YAML counts a lone CR as a line
    except UnicodeDecodeError as exc:
        raise ConfigError(
            _("config.yaml is not UTF-8 text (byte offset {offset})", offset=exc.start),
            hint=_("save it as UTF-8"),
        ) from None
    try:
        entries = parse_mapping(text)
    except YamlProblem as problem:
        raise ConfigError(problem.message, line=problem.line + 1, hint=problem.hint) from None
    values: dict = {}
    lines: dict[str, int] = {}
    for entry in entries:
        if entry.key not in _FIELDS:
            if _looks_secret(entry.key):
                raise _secret_here(entry.key, entry.line + 1, "")
            close = difflib.get_close_matches(entry.key.replace("-", "_"), sorted(_FIELDS), n=1, cutoff=0.6)
            hint = _did_you_mean(close, _("see the config.yaml section of README.md"))
            raise ConfigError(_("unknown setting '{key}'", key=entry.key), line=entry.line + 1, hint=hint)
        values[entry.key] = entry.node if entry.key == "menu" else _value(entry)  # menu: lines of its items
        lines[entry.key] = entry.line + 1
        lines.update(_item_lines(entry))
    if base_url:
        _base_url(base_url, lambda _key, message, hint="": ConfigError(message, path="--base-url", hint=hint))
        values["base_url"] = base_url
    return _make_config(
        site_dir,
        values,
        lines,
        hashlib.sha256(raw + (base_url or "").encode()).hexdigest(),
    )


def _item_lines(entry: Entry) -> dict[str, int]:
    """1-based lines of a group's keys (``permalinks.article``) or a list's items (``preserve.0``).

    A mistake in one permalink or one preserve entry is then shown at its own line.
    """
    node = entry.node
    if isinstance(node, yaml.MappingNode):
        return {
            f"{entry.key}.{key.value}": key.start_mark.line + 1
            for key, _node in node.value
            if isinstance(key, yaml.ScalarNode)
        }
    if isinstance(node, yaml.SequenceNode):
        lines = {f"{entry.key}.{i}": item.start_mark.line + 1 for i, item in enumerate(node.value)}
        for i, item in enumerate(node.value):  # a list of groups (deploy:): each key's own line
            if isinstance(item, yaml.MappingNode):
                lines.update(
                    {
                        f"{entry.key}.{i}.{k.value}": k.start_mark.line + 1
                        for k, _node in item.value
                        if isinstance(k, yaml.ScalarNode)
                    }
                )
        return lines
    return {}


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
                _("'{key}' must be text, but YAML read {kind}", key=entry.key, kind=kind_of(entry.node)),
                line=entry.line + 1,
                hint=_('put it in double quotes: {key}: "..."', key=entry.key),
            )
        return entry.node.value
    return plain_value(entry.node)


def _make_config(site_dir: Path, values: dict, lines: dict[str, int], source_hash: str) -> Config:
    def fail(key: str, message: Message, hint: Message | str = "") -> ConfigError:
        """An error at ``key``'s line (``permalinks.tag``: that line, else the line of ``permalinks``)."""
        return ConfigError(message, line=lines.get(key, lines.get(key.split(".")[0])), hint=hint)

    for key in ("title", "base_url", "categories"):
        if not values.get(key):
            raise fail(key, _("'{key}' is required", key=key), _("add a line '{key}: ...' (see README.md)", key=key))
    base_url = _base_url(values["base_url"], fail)
    timezone = values.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            "timezone",
            _("unknown timezone '{timezone}'", timezone=timezone),
            _("use a name like Asia/Ho_Chi_Minh"),
        ) from None
    ints = {}
    for key, low in (
        ("per_page", 1),
        ("home_latest", 1),
        ("home_per_category", 0),
        ("home_featured", 0),
        ("related_count", 0),
        ("search_segment", 16),
        ("feed_size", 1),
        ("max_file_kb", 1),
        ("max_image_pixels", 1),
    ):
        if key in values:
            value = values[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise fail(
                    key,
                    _("'{key}' must be a whole number of at least {low}", key=key, low=low),
                    _(
                        "for example  {key}: {value}",
                        key=key,
                        value=str(max(low, Config.__dataclass_fields__[key].default)),
                    ),
                )
            ints[key] = value
    if ints.get("search_segment", 0) > MAX_SEARCH_SEGMENT:  # the browser counts in doubles: keep it a plain number
        raise fail(
            "search_segment",
            _(
                "'{key}' must be a whole number from {low} to {high}",
                key="search_segment",
                low=16,
                high=MAX_SEARCH_SEGMENT,
            ),
            _("for example  {key}: {value}", key="search_segment", value="4096"),
        )
    bools = {}
    for key in ("feed_full_content", "allow_html", "keep_copyright"):
        if key in values:
            if not isinstance(values[key], bool):
                raise fail(key, _("'{key}' must be true or false", key=key))
            bools[key] = values[key]
    return Config(
        site_dir=site_dir,
        title=values["title"],
        base_url=base_url,
        categories=_categories(values["categories"], fail),
        description=values.get("description", ""),
        language=values.get("language", "vi"),
        timezone=timezone,
        theme=_theme(values.get("theme", "default"), fail),
        preserve=_preserve(values.get("preserve"), fail),
        permalinks=_permalinks(values.get("permalinks"), fail),
        image_widths=_image_widths(values.get("image_widths", list(Config.image_widths)), fail),
        menu=_menu(values.get("menu"), lines.get("menu", 0), fail),
        publisher=_publisher(values.get("publisher"), fail),
        deploy=_deploy(values.get("deploy"), lines, fail),
        source_hash=source_hash,
        **ints,
        **bools,
    )


def _base_url(raw: str, fail) -> str:
    """An http(s) address with a host and nothing a link cannot carry; ends with ``/``.

    Every link, feed and sitemap entry starts with it, so a space, a password, a ``?query`` or a
    ``#part`` would break (or leak into) every page.
    """
    example = _('write it like  base_url: "https://example.gov.vn/"')
    if any(c.isspace() for c in raw):
        raise fail(
            "base_url",
            _("base_url '{url}' contains a space", url=raw),
            _("a web address has no spaces; {example}", example=example),
        )
    try:
        parts = urlsplit(raw)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if not port_ok or parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(
            "base_url",
            _("base_url '{url}' is not a full web address (http:// or https:// and a host)", url=raw),
            example,
        )
    if parts.username is not None or parts.query or parts.fragment or raw.endswith(("?", "#")):
        raise fail(
            "base_url",
            _("base_url '{url}' must be the site's address only, without a user name, '?...' or '#...'", url=raw),
            example,
        )
    return raw if raw.endswith("/") else raw + "/"


def _theme(name: str, fail) -> str:
    """A theme is a folder name looked up inside themes/; a path ('../x', '/x', 'a/b') would reach elsewhere."""
    if (
        not name.strip()
        or name != name.strip()
        or name in (".", "..")
        or any(c in "/\\" or unicodedata.category(c).startswith("C") for c in name)
    ):
        raise fail(
            "theme",
            _("theme '{name}' is not a theme name", name=name),
            _("theme is a folder name inside themes/, e.g.  theme: default"),
        )
    return name


def _preserve(raw, fail) -> tuple[str, ...]:
    """Paths inside the output folder to keep, tidied (``./CNAME`` → ``CNAME``, ``a//b/`` → ``a/b``).

    Each names something inside the output: never the whole folder (``.``), never outside it.
    """
    example = _("for example  preserve: [CNAME, .well-known/]")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail("preserve", _("'preserve' must be a list of file or folder names in the output"), example)
    result = []
    for i, item in enumerate(raw):
        key = f"preserve.{i}"
        if not isinstance(item, str) or not item.strip():
            raise fail(key, _("each 'preserve' entry must be a file or folder name in the output"), example)
        parts = [part for part in item.split("/") if part not in ("", ".")]
        if item.startswith(("/", "~")) or "\\" in item or re.match(r"[A-Za-z]:", item) or ".." in parts:
            raise fail(
                key,
                _("'preserve' entry '{item}' must be a path inside the output folder", item=item),
                _("write it from the output folder down, without '/' at the start or '..'; {example}", example=example),
            )
        if not parts:
            raise fail(
                key,
                _("'preserve' entry '{item}' would keep the whole output folder", item=item),
                _("name what to keep; {example}", example=example),
            )
        result.append("/".join(parts))
    return tuple(result)


def _image_widths(raw, fail) -> tuple[int, ...]:
    """A non-empty list of pixel widths, sorted, each between 16 and 8192."""
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in raw)
    ):
        raise fail(
            "image_widths",
            _("'image_widths' must be a list of picture widths in pixels (16 to 8192)"),
            _("for example  image_widths: [480, 800, 1200, 1600]"),
        )
    return tuple(sorted(set(raw)))


def _categories(raw, fail) -> tuple[Category, ...]:
    if not isinstance(raw, list):
        raise fail(
            "categories",
            _("'categories' must be a list of section names"),
            _('write each on its own line:  - "Tin tức - Sự kiện"'),
        )
    result: list[Category] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(raw):
        if isinstance(item, str):
            name, slug = item.strip(), slugify(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"name", "slug"}:
            name = item["name"].strip()
            slug = str(item.get("slug") or slugify(name))
        else:
            raise fail(
                f"categories.{i}",
                _("category entry {item} must be a name or {{name: ..., slug: ...}}", item=repr(item)),
            )
        if not name or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            raise fail(
                f"categories.{i}",
                _("category '{name}' has no usable URL slug ('{slug}')", name=name, slug=slug),
                _("give it one: {{name: ..., slug: tin-tuc}}"),
            )
        if slug in seen:
            raise fail(
                f"categories.{i}",
                _(
                    "categories '{first}' and '{second}' would share the URL part '{slug}'",
                    first=seen[slug],
                    second=name,
                    slug=slug,
                ),
                _("give one of them its own slug"),
            )
        seen[slug] = name
        result.append(Category(name, slug))
    return tuple(result)


def _permalinks(raw, fail) -> Permalinks:
    """Each pattern checked and tidied, then all of them together checked for clashes."""
    if raw is None:
        return Permalinks()
    if not isinstance(raw, dict):
        raise fail("permalinks", _("'permalinks' must be a group of  kind: pattern  lines"))
    patterns = {}
    for kind, pattern in raw.items():
        if kind not in _PERMALINK_TOKENS:
            close = difflib.get_close_matches(str(kind), list(_PERMALINK_TOKENS), n=1)
            raise fail(
                f"permalinks.{kind}",
                _("unknown page kind '{kind}' in permalinks", kind=kind),
                _did_you_mean(close, _("known kinds: {kinds}", kinds=", ".join(_PERMALINK_TOKENS))),
            )
        patterns[kind] = _pattern(kind, pattern, fail)
    links = Permalinks(**patterns)
    _refuse_clashes(links, raw, fail)
    return links


def _pattern(kind: str, pattern, fail) -> str:
    """One permalink pattern, normalised: ``./`` and empty parts dropped (``a//b/`` → ``a/b/``).

    Normalising first is what lets clash detection see that ``./`` is the home page.
    """
    key = f"permalinks.{kind}"
    hint = _('e.g.  {kind}: "{pattern}"', kind=kind, pattern=getattr(Permalinks(), kind))
    if not isinstance(pattern, str) or not pattern.strip():
        raise fail(key, _("permalink for '{kind}' is empty", kind=kind), hint)
    if pattern.startswith("/") or "\\" in pattern or "://" in pattern:
        raise fail(
            key,
            _(
                "permalink for '{kind}' must be a path after the site's address, not '{pattern}'",
                kind=kind,
                pattern=pattern,
            ),
            hint,
        )
    if not pattern.endswith("/"):
        raise fail(
            key,
            _("permalink for '{kind}' must end in '/' (each page is a folder with its index.html)", kind=kind),
            hint,
        )
    parts = [part for part in pattern.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise fail(key, _("permalink for '{kind}' must not contain '..'", kind=kind), hint)
    tokens = set(re.findall(r"\{(\w+)\}", pattern))
    allowed = _PERMALINK_TOKENS[kind]
    if tokens - allowed:
        raise fail(
            key,
            _("permalink for '{kind}' uses unknown {token}", kind=kind, token="{" + sorted(tokens - allowed)[0] + "}"),
            _("allowed: {tokens}", tokens=", ".join("{" + t + "}" for t in sorted(allowed)))
            if allowed
            else _("allowed: none"),
        )
    missing = _REQUIRED_TOKENS.get(kind, set()) - tokens
    if missing:
        token = "{" + sorted(missing)[0] + "}"
        raise fail(key, _("permalink for '{kind}' must contain {token}", kind=kind, token=token), hint)
    try:  # braces that do not pair up, or {slug!r}-style extras, would fail at every page
        pattern.format(**dict.fromkeys(allowed, "x"))
    except (ValueError, KeyError, IndexError, AttributeError):
        raise fail(
            key,
            _("permalink for '{kind}' has a '{{' or '}}' out of place: '{pattern}'", kind=kind, pattern=pattern),
            _('write each part as {{name}}, e.g.  article: "{{year}}/{{month}}/{{slug}}/"'),
        ) from None
    odd = next((c for c in re.sub(r"\{\w+\}", "", pattern) if not (c.isalnum() or c in "-_.~/")), None)
    if odd is not None:
        raise fail(
            key,
            _(
                "permalink for '{kind}' contains {odd}, which a web address cannot carry as it is",
                kind=kind,
                odd=repr(odd),
            ),
            _("use letters, digits, '-' and '/' only, {example}", example=hint),
        )
    return unicodedata.normalize("NFC", "/".join(parts) + "/") if parts else ""


# What every build writes at fixed places, besides the pages of the permalinks: the names
# discovery.py and pages.py give them (kept here because they import this module).
_GENERATED = {
    "index.html": _("the home page (index.html)"),
    "404.html": _("the 'page not found' page (404.html)"),
    "robots.txt": _("robots.txt"),
    "favicon.ico": _("the site's icon (favicon.ico)"),
    "apple-touch-icon.png": _("the phone icon (apple-touch-icon.png)"),
    "icon-192.png": _("the app icon (icon-192.png)"),
    "icon-512.png": _("the app icon (icon-512.png)"),
    "site.webmanifest": _("the web app manifest (site.webmanifest)"),
    "sitemap.xml": _("the sitemap (sitemap.xml)"),
    "feed.xml": _("the site's Atom feed (feed.xml)"),
    "rss.xml": _("the site's RSS feed (rss.xml)"),
}
_LISTS = ("category", "tag", "author", "source_unit", "year", "month")  # paginated with the 'page' pattern
_WITH_FEEDS = ("category", "source_unit")  # feed.xml and rss.xml beside their page
# One sample per kind of value: tokens that can take the same values share one (a month, a day
# and a page number are all small numbers; a slug and a category slug are both names).
_SAMPLES = {"year": "\0year", "month": "\0num", "day": "\0num", "n": "\0num", "slug": "\0name", "category": "\0name"}


@dataclass(frozen=True)
class _Output:
    """A file the patterns make, with the kinds whose patterns make it, and words for messages."""

    path: str
    kinds: tuple[str, ...]
    what: Message


def _outputs(links: Permalinks) -> list[_Output]:
    """Every kind of file a build writes, with sample values in place of the tokens."""
    result = [_Output(path, (), what) for path, what in _GENERATED.items()]
    page = links.page.format(**_SAMPLES)
    for kind in (f.name for f in dataclasses.fields(Permalinks) if f.name != "page"):
        pattern = getattr(links, kind)
        url = pattern.format(**_SAMPLES)
        result.append(
            _Output(url + "index.html", (kind,), _("the '{kind}' pages ('{pattern}')", kind=kind, pattern=pattern))
        )
        if kind in _LISTS:
            what = _(
                "the later pages of the '{kind}' lists ('{pattern}' + '{page}')",
                kind=kind,
                pattern=pattern,
                page=links.page,
            )
            result.append(_Output(url + page + "index.html", (kind, "page"), what))
        if kind in _WITH_FEEDS:
            feeds = _("the feeds of each '{kind}'", kind=kind)
            result += [_Output(url + name, (kind,), feeds) for name in ("feed.xml", "rss.xml")]
        if kind == "search":
            index = _("the search index ('{pattern}index/')", pattern=pattern)
            result.append(_Output(url + "index/meta.json", (kind,), index))
    return result


def _refuse_clashes(links: Permalinks, raw: dict, fail) -> None:
    """A pattern that would write onto another page, a feed or another generated file is an error.

    Two files at one path (also differing only in letter case or accents), or a file where
    another needs a folder. The blame goes to a pattern the site set (the later one in the file):
    the defaults never clash among themselves.
    """
    outputs = _outputs(links)
    files: dict[str, _Output] = {}
    for out in outputs:
        key = _url_key(out.path)
        if key in files:
            _blame(out, files[key], raw, links, fail, "onto")
        files.setdefault(key, out)
    for out in outputs:
        parts = out.path.split("/")
        for i in range(1, len(parts)):
            other = files.get(_url_key("/".join(parts[:i])))
            if other is not None:
                _blame(out, other, raw, links, fail, "folder")


def _url_key(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


def _blame(out: _Output, other: _Output, raw: dict, links: Permalinks, fail, clash: str) -> None:
    """Raise the clash between two outputs at the line of the site's own pattern behind it."""
    chosen = [kind for kind in raw if kind in out.kinds or kind in other.kinds]
    if not chosen:  # pragma: no cover - the default patterns are tested not to clash
        return
    kind = chosen[-1]
    against = other if kind in out.kinds and kind not in other.kinds else out
    if against is out and clash != "onto":
        clash = "file"
    fields = {"kind": kind, "pattern": raw[kind], "what": against.what}
    if clash == "onto":
        message = _("permalink for '{kind}' ('{pattern}') would write onto {what}", **fields)
    elif clash == "folder":
        message = _("permalink for '{kind}' ('{pattern}') would put a folder in the place of {what}", **fields)
    else:
        message = _(
            "permalink for '{kind}' ('{pattern}') would put a file in the place of a folder needed by {what}", **fields
        )
    raise fail(
        f"permalinks.{kind}",
        message,
        _('give it an address of its own, e.g.  {kind}: "{pattern}"', kind=kind, pattern=getattr(Permalinks(), kind)),
    )


_MENU_TARGETS = ("category", "page", "url")


def _menu(node, first_line: int, fail, depth: int = 0) -> tuple[MenuItem, ...]:
    """``menu:`` as MenuItems; every mistake is shown at the item's own line."""
    if node is None:
        return ()
    example = _('e.g.\n  menu:\n    - category: "Tin tức - Sự kiện"\n    - {{name: "Giới thiệu", page: gioi-thieu.md}}')
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(_("'menu' must be a list of entries"), line=first_line, hint=example)
    items = []
    for item in node.value:
        line = item.start_mark.line + 1

        def wrong(message: Message, hint: Message = example, line: int = line) -> ConfigError:
            return ConfigError(message, line=line, hint=hint)

        if not isinstance(item, yaml.MappingNode):
            raise wrong(_("each menu entry must be a group of keys such as  category: ..., page: ... or url: ..."))
        fields = {}
        for key, value in item.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in ("name", "children", *_MENU_TARGETS):
                shown = key.value if isinstance(key, yaml.ScalarNode) else "?"
                close = difflib.get_close_matches(str(shown), ["name", "children", *_MENU_TARGETS], n=1)
                raise wrong(
                    _("unknown menu key '{key}'", key=shown),
                    _did_you_mean(close, _("a menu entry has name, category, page, url, children")),
                    key.start_mark.line + 1,
                )
            if key.value != "children" and (not isinstance(value, yaml.ScalarNode) or value.tag != STR):
                raise wrong(
                    _("menu '{key}' must be text", key=key.value),
                    _('put it in double quotes:  {key}: "..."', key=key.value),
                )
            fields[key.value] = value
        targets = [t for t in _MENU_TARGETS if t in fields]
        name = " ".join(fields["name"].value.split()) if "name" in fields else ""
        if not targets and name and "children" in fields and not depth:
            targets = ["group"]  # a heading over its sub-items only ("Chuyên mục"): no page of its own
        elif len(targets) != 1:
            raise wrong(_("a menu entry needs exactly one of  category:, page:  or  url:  (or a name and children)"))
        target = targets[0]
        value = " ".join(fields[target].value.split()) if target != "group" else ""
        if target == "url":
            value = _menu_url(value, wrong)
            if not name:
                raise wrong(_("a menu entry with a url needs a name"), _('add  name: "Dịch vụ công"'))
        elif target == "page":
            value = value.removeprefix("content/pages/").lstrip("/")
            if ".." in value.split("/") or not value.endswith(".md"):
                raise wrong(
                    _("menu page '{page}' must be a .md file under content/pages/", page=value),
                    _("e.g.  page: gioi-thieu.md"),
                )
        children: tuple[MenuItem, ...] = ()
        if "children" in fields:
            if depth:
                raise wrong(_("menu entries have one level of sub-items; this one is nested deeper"))
            children = _menu(fields["children"], line, fail, depth + 1)
        items.append(MenuItem(name, target, value, line, children))
    return tuple(items)


def _menu_url(value: str, wrong) -> str:
    """A full http(s) address, or a path inside the site (``van-ban/``, ``/luu-tru/``)."""
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            raise wrong(
                _("menu url '{url}' is not a web address", url=value), _('e.g.  url: "https://dichvucong.gov.vn/"')
            )
        return value
    path = value.lstrip("/")
    if ".." in path.split("/") or parts.netloc or any(c.isspace() for c in path):
        raise wrong(_("menu url '{url}' is not a path inside the site", url=value), _('e.g.  url: "van-ban/"'))
    return path


_PUBLISHER_FIELDS = tuple(f.name for f in dataclasses.fields(Publisher))


def _publisher(raw, fail) -> Publisher:
    if raw is None:
        return Publisher()
    if not isinstance(raw, dict):
        raise fail(
            "publisher", _("'publisher' must be a group of keys"), _("e.g.  publisher: {{name: ..., address: ...}}")
        )
    for key, value in raw.items():
        if key not in _PUBLISHER_FIELDS:
            close = difflib.get_close_matches(str(key), _PUBLISHER_FIELDS, n=1)
            raise fail(
                f"publisher.{key}",
                _("unknown publisher key '{key}'", key=key),
                _did_you_mean(close, _("known keys: {keys}", keys=", ".join(_PUBLISHER_FIELDS))),
            )
        if not isinstance(value, str):  # a phone number 0243... unquoted is read as an octal number
            raise fail(
                f"publisher.{key}",
                _("publisher '{key}' must be text, in double quotes", key=key),
                _('write it as  {key}: "..."', key=key),
            )
    values = {key: " ".join(value.split()) for key, value in raw.items()}
    logo = values.get("logo", "").lstrip("/")
    if logo and (".." in logo.split("/") or urlsplit(logo).scheme):
        raise fail(
            "publisher.logo",
            _("logo '{logo}' must be a picture in the site's static/ folder", logo=logo),
            _("e.g.  logo: logo.png"),
        )
    return Publisher(**{**values, "logo": logo})


# --- deploy targets ---------------------------------------------------------------------------

_DEPLOY_KEYS = ("name", "url", "endpoint", "region", "branch")
_DEPLOY_SCHEMES = ("file", "sftp", "ftp", "ftps", "s3", "git", "rclone")
_DEPLOY_EXAMPLE = _('e.g.\n  deploy:\n    - {{name: web, url: "sftp://deploy@10.0.0.5/var/www/portal/"}}')
_SECRET_WORDS = re.compile(r"pass|secret|token|credential|private|(^|[_-])keys?($|[_-])|apikey|accesskey", re.I)
# Where each kind of target finds its credentials instead (README, "Deploying").
_SECRET_HOME = {
    "sftp": _(
        "use an SSH key (the SSH agent, or ~/.ssh/id_ed25519), or set the environment variable "
        "NEWSROOM_DEPLOY_PASSWORD before running deploy"
    ),
    "ftp": _("set the environment variable NEWSROOM_DEPLOY_PASSWORD before running deploy"),
    "s3": _("set the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before running deploy"),
    "git": _("let git find it: an SSH key, or git's credential helper (git config credential.helper)"),
    "rclone": _("keep it in rclone's own configuration (rclone config)"),
}
_SECRET_HOME["ftps"] = _SECRET_HOME["ftp"]
_SECRET_ANYWHERE = _(
    "put passwords and keys in the environment (NEWSROOM_DEPLOY_PASSWORD, AWS_SECRET_ACCESS_KEY), the SSH "
    "agent, or rclone's or git's own configuration; see 'Deploying' in README.md"
)


def _looks_secret(key: str) -> bool:
    """Whether a key's name says it holds a password, a token or a secret key."""
    return bool(_SECRET_WORDS.search(str(key).replace(" ", "")))


def _secret_here(key: str, line: int | None, scheme: str) -> ConfigError:
    """The error for a secret written into config.yaml: where it must go instead (its value never shown)."""
    return ConfigError(
        _(
            "'{key}' looks like a password or secret key: it must not be written in config.yaml, "
            "which is shared and often kept in git",
            key=key,
        ),
        line=line,
        hint=_("delete that line, and {where}", where=_SECRET_HOME.get(scheme, _SECRET_ANYWHERE)),
    )


def _deploy(raw, lines: dict[str, int], fail) -> tuple[DeployTarget, ...]:
    """config.yaml's ``deploy:`` list: each target checked at its own line, names unique."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise fail("deploy", _("'deploy' must be a list of places to publish the site to"), _DEPLOY_EXAMPLE)
    targets: list[DeployTarget] = []
    for i, item in enumerate(raw):
        target = _deploy_target(item, lines, fail, f"deploy.{i}")
        if any(t.name == target.name for t in targets):
            raise fail(
                f"deploy.{i}", _("two deploy targets are named '{name}'", name=target.name), _("give each its own name")
            )
        targets.append(target)
    return tuple(targets)


def _deploy_target(item, lines: dict[str, int], fail, key: str) -> DeployTarget:
    """One ``{name, url, ...}`` entry; a secret anywhere in it is refused without being repeated."""
    line = lines.get(key)

    def at(name: str) -> int | None:
        return lines.get(f"{key}.{name}", line)

    if not isinstance(item, dict):
        raise fail(key, _("each deploy entry must be a group of keys:  {{name: ..., url: ...}}"), _DEPLOY_EXAMPLE)
    url = item.get("url")
    scheme = _deploy_scheme(url) if isinstance(url, str) else ""
    for name, value in item.items():
        if name not in _DEPLOY_KEYS:
            if _looks_secret(name):
                raise _secret_here(str(name), at(name), scheme)
            close = difflib.get_close_matches(str(name), _DEPLOY_KEYS, n=1)
            raise fail(
                f"{key}.{name}",
                _("unknown deploy key '{key}'", key=name),
                _did_you_mean(close, _("a deploy entry has {keys}", keys=", ".join(_DEPLOY_KEYS))),
            )
        if not isinstance(value, str) or not value.strip():
            raise fail(
                f"{key}.{name}", _("deploy '{key}' must be text", key=name), _('write it as  {key}: "..."', key=name)
            )
    name = item.get("name", "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise fail(
            f"{key}.name",
            _("deploy target needs a short name of small letters, digits and '-' (got '{name}')", name=name),
            _("e.g.  name: web  (used as  python build.py deploy --target web)"),
        )
    if not url:
        raise fail(key, _("deploy target '{name}' needs a url", name=name), _DEPLOY_EXAMPLE)
    _deploy_url(url, scheme, at("url"), fail, f"{key}.url")
    for option, only in (("endpoint", "s3"), ("region", "s3"), ("branch", "git")):
        if item.get(option) and scheme != only:
            raise fail(
                f"{key}.{option}",
                _("'{option}' is only for {scheme} targets", option=option, scheme=only),
                _("remove it from the '{name}' entry", name=name),
            )
    endpoint = item.get("endpoint", "")
    if endpoint:
        _deploy_endpoint(endpoint, at("endpoint"), fail, f"{key}.endpoint")
    branch = item.get("branch", "gh-pages" if scheme == "git" else "")
    if branch and (not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", branch) or ".." in branch):
        raise fail(
            f"{key}.branch", _("'{branch}' is not a usable branch name", branch=branch), _("e.g.  branch: gh-pages")
        )
    return DeployTarget(name, url, scheme, endpoint.rstrip("/"), item.get("region", ""), branch, line or 0)


def _deploy_scheme(url: str) -> str:
    if url.startswith("git+"):
        return "git"
    if url.startswith("rclone:"):
        return "rclone"
    return urlsplit(url).scheme.lower() if "://" in url else ""


def _deploy_url(url: str, scheme: str, line: int | None, fail, key: str) -> None:
    """Refuse a URL we could not use, or one carrying a password (not repeated in the message)."""
    examples = _(
        'e.g.  url: "sftp://deploy@10.0.0.5/var/www/portal/",  "ftp://user@host/public_html/",  '
        '"s3://bucket/prefix/",  "file:///var/www/portal/",  "git+ssh://git@github.com/org/site.git"'
    )
    if scheme not in _DEPLOY_SCHEMES:
        raise fail(key, _("deploy url '{url}' is not one newsroom can publish to", url=url), examples)
    if any(c.isspace() for c in url):
        raise fail(key, _("deploy url '{url}' contains a space", url=url), examples)
    if scheme == "rclone":
        if not re.fullmatch(r"rclone:[A-Za-z0-9_][A-Za-z0-9_. -]*:.*", url):
            raise fail(
                key,
                _("'{url}' must name a remote of rclone's configuration", url=url),
                _('e.g.  url: "rclone:myhost:www/"'),
            )
        return
    inner = url[len("git+") :] if scheme == "git" else url
    try:
        parts = urlsplit(inner)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise fail(key, _("the deploy url's port is not a number"), examples) from None
    if parts.password is not None or (scheme == "s3" and parts.username is not None):
        user = f"{parts.username}:***" if scheme != "s3" else "***"
        shown = url.replace(parts.netloc, f"{user}@{parts.hostname}" + (f":{parts.port}" if parts.port else ""))
        where = _SECRET_HOME.get(scheme, _SECRET_ANYWHERE)
        raise ConfigError(
            _("the deploy url '{url}' carries a password: it must not be written in config.yaml", url=shown),
            line=line,
            hint=_("keep only the user name in the url, and {where}", where=where)
            if scheme != "s3"
            else _("keep only s3://bucket/prefix in the url, and {where}", where=where),
        )
    if parts.query or parts.fragment:
        raise fail(key, _("a deploy url must not have '?...' or '#...' (passwords never go in config.yaml)"), examples)
    if scheme in ("sftp", "ftp", "ftps", "s3") and not parts.hostname:
        if scheme == "s3":
            raise fail(key, _("the deploy url '{url}' names no bucket", url=url), examples)
        raise fail(key, _("the deploy url '{url}' names no server", url=url), examples)
    if scheme == "file" and (parts.netloc or not parts.path.startswith("/")):
        raise fail(key, _("'{url}' must be a whole folder path: file:///var/www/portal/", url=url), examples)
    if scheme == "file" and parts.path.strip("/") == "":
        raise fail(
            key, _("a file:// deploy target cannot be the whole disk ('/')"), _("e.g.  url: file:///var/www/portal/")
        )


def _deploy_endpoint(endpoint: str, line: int | None, fail, key: str) -> None:
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(
            key,
            _("endpoint '{endpoint}' is not a web address", endpoint=endpoint),
            _('e.g.  endpoint: "https://s3.example.vn"'),
        )
    if parts.username is not None:
        raise ConfigError(
            _("the deploy endpoint carries a user name or password: it must not be written in config.yaml"),
            line=line,
            hint=_("keep only the address and {where}", where=_SECRET_HOME["s3"]),
        )
