"""Templates → bytes: the Jinja environment, the theme chain and the site's filters.

The theme chain is a ``ChoiceLoader``: the site's own ``themes/<name>/templates`` wins file by
file over the built-in theme of that name, which wins over the built-in ``default``. Autoescape
is on for HTML and XML and undefined names are errors, so a template typo fails the build
instead of printing an empty string.
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from .config import Config
from .errors import ThemeError
from .model import Page
from .urls import absolute, href

# Characters XML 1.0 forbids; whatever an article holds, feeds and sitemaps stay well-formed.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


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


@dataclass(frozen=True)
class Theme:
    """The folders a theme is made of, most specific first."""

    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]  # least specific first, so later ones override

    def static_files(self) -> dict[str, Path]:
        """Every static file by output path; a more specific theme's file wins."""
        files: dict[str, Path] = {}
        for folder in self.static_dirs:
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and not path.name.startswith(".") and _inside(path, folder):
                        files[path.relative_to(folder).as_posix()] = path
        return files

    def fingerprint(self) -> str:
        """A hash of every template file, so caches know when the theme changed."""
        digest = hashlib.sha256()
        for folder in self.template_dirs:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file():
                    digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


def _inside(path: Path, root: Path) -> bool:
    return not path.is_symlink() or path.resolve().is_relative_to(root.resolve())


def find_theme(config: Config) -> Theme:
    """The theme chain for this site, checked to exist."""
    names = [config.theme] if config.theme == "default" else [config.theme, "default"]
    template_dirs: list[Path] = []
    static_dirs: list[Path] = []
    for name in names:
        for root in (config.site_dir / "themes", BUILTIN_THEMES):
            folder = root / name
            if (folder / "templates").is_dir():
                template_dirs.append(folder / "templates")
            if (folder / "static").is_dir():
                static_dirs.insert(0, folder / "static")
    if not any((root / config.theme).is_dir() for root in (config.site_dir / "themes", BUILTIN_THEMES)):
        raise ThemeError(
            f"theme '{config.theme}' not found",
            "config.yaml",
            hint=f"create themes/{config.theme}/templates/ in the site, or set  theme: default",
        )
    site_static = config.site_dir / "static"
    if site_static.is_dir():
        static_dirs.append(site_static)
    return Theme(tuple(dict.fromkeys(template_dirs)), tuple(dict.fromkeys(static_dirs)))


def vn_datetime(value: datetime, tz) -> str:
    """``15/10/2020 | 13:50``, the way Vietnamese portals print a publication time."""
    local = value.astimezone(tz)
    return f"{local.day:02d}/{local.month:02d}/{local.year} | {local.hour:02d}:{local.minute:02d}"


def vn_date(value: datetime, tz) -> str:
    local = value.astimezone(tz)
    return f"{local.day:02d}/{local.month:02d}/{local.year}"


def file_size(size: int) -> str:
    """A download's size as readers expect it beside the link: ``320 KB``, ``1,4 MB`` (decimal comma)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def make_environment(
    config: Config, theme: Theme, asset_versions: dict[str, str], extra_globals=None
) -> jinja2.Environment:
    """The Jinja environment every page is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in theme.template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    tz = config.tz

    def asset(path: str) -> str:
        version = asset_versions.get(path)
        if version is None:
            raise ThemeError(f"the theme asks for static file '{path}', which no theme folder has")
        return f"{href(config, path)}?v={version}"

    # Pure functions of their argument, called hundreds of thousands of times on a big site.
    cached = functools.lru_cache(maxsize=65536)
    env.filters.update(
        {
            "vn_datetime": cached(lambda value: vn_datetime(value, tz)),
            "vn_date": cached(lambda value: vn_date(value, tz)),
            "iso": cached(lambda value: value.astimezone(tz).isoformat()),
            "href": cached(lambda url: href(config, url)),
            "absolute": cached(lambda url: absolute(config, url)),
            "json": lambda value: jinja2.utils.markupsafe.Markup(_script_json(value)),
            "rfc822": lambda value: email.utils.format_datetime(value.astimezone(tz)),
            "absolute_links": lambda html: _absolute_links(html, config.origin),
            "absolute_href": lambda link: (
                config.origin + link if link.startswith("/") and not link.startswith("//") else link
            ),
            "category_url": lambda category: config.permalinks.category.format(slug=category.slug),
            "number": lambda value: f"{value:,}".replace(",", "."),
            "filesize": file_size,
        }
    )
    env.globals.update({"config": config, "asset": asset, **(extra_globals or {})})
    return env


def _absolute_links(html: str, origin: str) -> str:
    """Site-root links in rendered HTML made absolute (for feeds): href, src and each srcset URL."""

    def candidates(match: re.Match) -> str:
        parts = [c.strip() for c in match[2].split(",")]
        return (
            match[1] + ", ".join(origin + c if c.startswith("/") and not c.startswith("//") else c for c in parts) + '"'
        )

    return _SRCSET.sub(candidates, _ROOT_LINK.sub(rf"\1{origin}/", html))


def _script_json(value) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or ``&`` can break out."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_pages(
    env: jinja2.Environment, pages: Iterable[Page], progress: Callable[[int], None] | None = None
) -> Iterable[tuple[Page, bytes]]:
    """Render each page; a template failure becomes a ThemeError naming template and line."""
    cache: dict[str, jinja2.Template] = {}
    for count, page in enumerate(pages, 1):
        try:
            template = cache.get(page.template) or cache.setdefault(page.template, env.get_template(page.template))
            text = template.render(page.context, page_url=page.url)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(
                exc.message or "template syntax error", exc.filename or exc.name or "", exc.lineno
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(
                f"template '{exc.name}' not found", hint="add it to your theme's templates/ folder"
            ) from None
        except ThemeError:
            raise
        except Exception as exc:
            path, line = _template_frame(exc)
            raise ThemeError(
                f"rendering /{page.url} failed: {type(exc).__name__}: {exc}",
                path,
                line,
                "check the template near this line",
            ) from None
        if page.template.endswith(".xml"):
            text = _XML_FORBIDDEN.sub("", text)
        if progress:
            progress(count)
        yield page, text.encode("utf-8")


def _template_frame(exc: BaseException) -> tuple[str, int | None]:
    """The innermost template file and line in a traceback (Jinja maps them for us)."""
    found: tuple[str, int | None] = ("", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
