"""Templates → bytes: the Jinja environment, the theme chain and the site's filters.

The theme chain is a ``ChoiceLoader``: the site's own ``themes/<name>/templates`` wins file by
file over the built-in theme of that name, which wins over the built-in ``default``. Autoescape
is on for HTML and XML and undefined names are errors, so a template typo fails the build
instead of printing an empty string.
"""

from __future__ import annotations

import contextlib
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
import jinja2.meta

from .builtin import BUILTIN_THEMES
from .config import Config
from .errors import ThemeError
from .i18n import _, read_po
from .model import Page
from .urls import absolute, href

# Characters XML 1.0 forbids; whatever an article holds, feeds and sitemaps stay well-formed.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


@dataclass(frozen=True)
class Theme:
    """The folders a theme is made of, most specific first."""

    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]  # least specific first, so later ones override
    locale_dirs: tuple[Path, ...] = ()  # each theme's locale/ (its UI texts' catalogues), most specific first

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
        """A hash of every template and catalogue file, so caches know when the theme or a translation changed."""
        digest = hashlib.sha256()
        for folder in (*self.template_dirs, *self.locale_dirs):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file():
                    digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def catalogue(self, language: str) -> dict[str, tuple[str, ...]]:
        """The theme's UI texts in ``language`` (``locale/<language>/LC_MESSAGES/theme.po``): a site theme's
        entries win over the built-in theme's, so a theme translates only what it changed or adds."""
        merged: dict[str, tuple[str, ...]] = {}
        for folder in reversed(self.locale_dirs):
            po = folder / language / "LC_MESSAGES" / THEME_DOMAIN
            if po.is_file():
                try:
                    merged.update(read_po(po))
                except (ValueError, UnicodeDecodeError, SyntaxError) as exc:
                    raise _broken_catalogue(po, folder, exc) from None
        return merged


def _broken_catalogue(po: Path, locale_dir: Path, exc: Exception) -> ThemeError:
    """A theme.po the reader refuses, reported at ``themes/<name>/locale/…/theme.po:LINE`` (the path as the
    editor sees it in the site folder) with the reason in the editor's language."""
    shown = po.relative_to(locale_dir.parent.parent.parent).as_posix()  # from the folder holding themes/
    line = getattr(exc, "line", None)
    if isinstance(exc, UnicodeDecodeError):
        problem = _("the file is not saved as UTF-8 text")
        line = po.read_bytes()[: exc.start].count(b"\n") + 1
    else:
        problem = getattr(exc, "reason", None) or str(exc)
    return ThemeError(
        _("cannot read the theme's translations: {problem}", problem=problem),
        shown,
        line,
        hint=_("fix the .po file or remove it"),
    )


def _inside(path: Path, root: Path) -> bool:
    return not path.is_symlink() or path.resolve().is_relative_to(root.resolve())


def find_theme(config: Config) -> Theme:
    """The theme chain for this site, checked to exist."""
    names = [config.theme] if config.theme == "default" else [config.theme, "default"]
    template_dirs: list[Path] = []
    static_dirs: list[Path] = []
    locale_dirs: list[Path] = []  # a site theme may ship only a catalogue, to reword or translate the built-in one
    for name in names:
        for root in (config.site_dir / "themes", BUILTIN_THEMES):
            folder = root / name
            if (folder / "templates").is_dir():
                template_dirs.append(folder / "templates")
            if (folder / "static").is_dir():
                static_dirs.insert(0, folder / "static")
            if (folder / "locale").is_dir():
                locale_dirs.append(folder / "locale")
    if not any((root / config.theme).is_dir() for root in (config.site_dir / "themes", BUILTIN_THEMES)):
        raise ThemeError(
            _("theme '{theme}' not found", theme=config.theme),
            "config.yaml",
            hint=_("create themes/{theme}/templates/ in the site, or set  theme: default", theme=config.theme),
        )
    site_static = config.site_dir / "static"
    if site_static.is_dir():
        static_dirs.append(site_static)
    return Theme(
        tuple(dict.fromkeys(template_dirs)), tuple(dict.fromkeys(static_dirs)), tuple(dict.fromkeys(locale_dirs))
    )


THEME_DOMAIN = "theme.po"
# How a page's language writes a day and a time: Vietnamese portals print ``15/10/2020 | 13:50``, English
# ones ``15 Oct 2020, 13:50`` (the day first, so no reader mistakes 05/10 for May 10). A language missing
# here writes dates the English way.
_MONTHS_EN = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_FORMATS = {
    "vi": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "en": lambda d: f"{d.day} {_MONTHS_EN[d.month]} {d.year}",
}
_TIME_JOINS = {"vi": " | ", "en": ", "}
# Open Graph wants a territory too; the portal's readers are in Viet Nam, English readers anywhere.
_OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
# Decimal mark and thousands separator of numbers on pages: 1.234 and 1,4 MB in Vietnamese.
_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}


def day(value, language: str = "vi") -> str:
    """A date (or a datetime's date) the language's way: ``15/10/2020``; ``15 Oct 2020``."""
    return _DAY_FORMATS.get(language, _DAY_FORMATS["en"])(value)


def vn_datetime(value: datetime, tz, language: str = "vi") -> str:
    """``15/10/2020 | 13:50`` (Vietnamese portals print a publication time so); ``15 Oct 2020, 13:50`` in English."""
    local = value.astimezone(tz)
    return f"{day(local, language)}{_TIME_JOINS.get(language, ', ')}{local.hour:02d}:{local.minute:02d}"


def vn_date(value: datetime, tz, language: str = "vi") -> str:
    return day(value.astimezone(tz), language)


def number(value: int | float, language: str = "vi", spec: str = ",") -> str:
    """A number on a page with the language's separators: ``1.234`` in Vietnamese, ``1,234`` in English."""
    decimal, group = _SEPARATORS.get(language, _SEPARATORS["en"])
    return format(value, spec).translate(str.maketrans({".": decimal, ",": group}))


def file_size(size: int, language: str = "vi") -> str:
    """A download's size as readers expect it beside the link: ``320 KB``, ``1,4 MB`` (``1.4 MB`` in English)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{number(size / (1024 * 1024), language, '.1f')} MB"


def install_translations(env: jinja2.Environment, catalogue: dict[str, tuple[str, ...]], language: str) -> None:
    """The theme's ``_()``/``ngettext()`` in the site's language (Jinja's i18n extension, new style: ``%(name)s``
    placeholders filled and escaped by Jinja). A text missing from the catalogue shows as written in the template."""
    plural_index = (lambda n: 0) if language == "vi" else (lambda n: int(n != 1))

    def gettext(message: str) -> str:
        forms = catalogue.get(message)
        return forms[0] if forms and forms[0] else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        forms = catalogue.get(singular, ())
        index = plural_index(n)
        if index < len(forms) and forms[index]:
            return forms[index]
        return singular if n == 1 else plural

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


class _Utf8Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, naming the template that is not UTF-8 text: Jinja's own UnicodeDecodeError says
    neither which file nor what to do, and arrives while rendering some page that uses it."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise _not_utf8(self.searchpath, template, exc) from None


def _not_utf8(searchpath: list[str], template: str, exc: UnicodeDecodeError) -> ThemeError:
    for folder in searchpath:
        path = Path(folder) / template
        if path.is_file():
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            return ThemeError(
                _("the template {name} is not saved as UTF-8 text", name=template),
                str(path),
                line,
                _("open it in a text editor and save it again with the encoding UTF-8"),
            )
    return ThemeError(_("the template {name} is not saved as UTF-8 text", name=template))


class _CompiledInMemory(jinja2.BytecodeCache):
    """Compiled templates kept for the life of this process, never on disk.

    A process that builds many times (the preview, the desk, the tests) compiled every template again
    for each build: most of a small site's build. Jinja keys a template by its file and checks its
    source's checksum, so an edited template is compiled again; environments that compile alike share
    one (``_compiled_for``), whatever their site, config and asset versions (nothing is folded in).
    Not on disk on purpose:
    compiled code read back from ``.cache/`` would be code anyone who can write there could run.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@functools.lru_cache(maxsize=8)
def _compiled_for(filters: str) -> _CompiledInMemory:
    """The compiled templates of environments that compile alike (``filters``: a digest of what compiling reads)."""
    return _CompiledInMemory()


def make_environment(
    config: Config, theme: Theme, asset_versions: dict[str, str], extra_globals=None
) -> jinja2.Environment:
    """The Jinja environment every page is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([_Utf8Loader(str(d)) for d in theme.template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        # An environment lives for one build (the desk makes another when the theme changes): a template read
        # once stands. With reloading on, every {% extends %} and {% import %} of every page looked at the file.
        auto_reload=False,
    )
    tz = config.tz
    language = config.language
    install_translations(env, theme.catalogue(language), language)

    def asset(path: str) -> str:
        version = asset_versions.get(path)
        if version is None:
            raise ThemeError(_("the theme asks for static file '{path}', which no theme folder has", path=path))
        return f"{href(config, path)}?v={version}"

    # Pure functions of their argument, called hundreds of thousands of times on a big site.
    cached = functools.lru_cache(maxsize=65536)
    ours = {
        "vn_datetime": cached(lambda value: vn_datetime(value, tz, language)),
        "vn_date": cached(lambda value: vn_date(value, tz, language)),
        "day": cached(lambda value: day(value, language)),
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
        "number": lambda value: number(value, language),
        "filesize": lambda size: file_size(size, language),
    }
    env.filters.update({name: _per_site(function) for name, function in ours.items()})
    env.filters["date_time"] = env.filters["vn_datetime"]  # neutral names for the same filters
    env.filters["date"] = env.filters["vn_date"]
    env.globals.update(
        {
            "config": config,
            "asset": asset,
            "og_locale": _OG_LOCALES.get(language, language),
            **(extra_globals or {}),
        }
    )
    # What compiling reads from the environment: which filters and tests there are and how each is called
    # (with the context or not), and the gettext style. Environments alike in these share compiled code.
    compiling = repr(
        (
            sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in env.filters.items()),
            sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in env.tests.items()),
            sorted(env.extensions),
            env.newstyle_gettext,  # type: ignore[attr-defined]
        )
    )
    env.bytecode_cache = _compiled_for(hashlib.blake2b(compiling.encode(), digest_size=16).hexdigest())
    return env


def _per_site(function):
    """A filter as Jinja must call it when its result depends on the site (address, language, time zone).

    Jinja folds a filter applied to a constant into the compiled code ({{ 'sitemap.xml' | absolute }}
    becomes this site's address), unless the filter takes the context. Taking it, ours are called per
    page (cached functions: cheap), and compiled templates can be shared by every site and config.
    """
    return jinja2.pass_context(lambda _context, *args, **kwargs: function(*args, **kwargs))


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


class BodyReaders:
    """Which templates show an article's body (``body_html``), following what they extend, include and import.

    Only the pages such a template renders need the bodies of the articles they show put in
    (``build.fill_bodies``). A listing shows twenty articles as cards, with no body: filling the bodies
    of every article a chunk of 5,000 listings shows filled nearly all of them once per chunk, which
    grew with the square of the site (5.7 s at 30,000 articles, 0.9 s at 10,000) and held every body
    in memory at once. A template is taken to show bodies when its text, or the text of a template it
    names, says ``body_html`` or looks a field up by a name made at render time (``a[key]``,
    ``a | attr(name)``); one that cannot be read, or names another only at render time, is too. (A
    template that prints a whole article, ``{{ a }}``, sees its body only where bodies are shown.)
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        return self._reads(name, set())

    def _reads(self, name: str, looking: set[str]) -> bool:
        known = self._known.get(name)
        if known is not None:
            return known
        if name in looking:  # a template that names itself: what it shows is found where the loop began
            return False
        looking.add(name)
        try:
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            named, by_name = _template_facts(source, tuple(sorted(self.env.extensions)))
            shows = (
                "body_html" in source or by_name or any(other is None or self._reads(other, looking) for other in named)
            )
        except Exception:  # the rendering says what is wrong with it; here, it may show anything
            shows = True
        self._known[name] = shows
        return shows


# Filters that look a field up by a name given to them: ``attr("body_" ~ "html")``, ``map(attribute=x)``.
_BY_NAME_FILTERS = frozenset(
    {"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "unique", "sum", "min", "max", "join", "dictsort"}
)


@functools.lru_cache(maxsize=256)
def _template_facts(source: str, extensions: tuple[str, ...]) -> tuple[tuple[str | None, ...], bool]:
    """The templates a template's text extends, includes or imports (None: one named at render time), and
    whether it looks a field up by a name made at render time (``a[key]``, ``a | attr(name)``), which may
    be ``body_html`` without the text saying so."""
    # Parsing takes milliseconds a template: once per process for each text, not once per build. Tags
    # parse alike in every environment but for the extensions', which are part of the key.
    tree = _parser(extensions).parse(source)
    by_name = any(
        not isinstance(n.arg, jinja2.nodes.Const | jinja2.nodes.Slice) for n in tree.find_all(jinja2.nodes.Getitem)
    )
    by_name = by_name or any(
        n.name in _BY_NAME_FILTERS
        and any(not isinstance(v, jinja2.nodes.Const) for v in (*n.args, *(k.value for k in n.kwargs)))
        for n in tree.find_all(jinja2.nodes.Filter)
    )
    return tuple(jinja2.meta.find_referenced_templates(tree)), by_name


@functools.lru_cache(maxsize=4)
def _parser(extensions: tuple[str, ...]) -> jinja2.Environment:
    return jinja2.Environment(extensions=list(extensions))


def compile_theme(env: jinja2.Environment) -> None:
    """Compile every template of the theme now, in this process: worker processes forked afterwards inherit
    them, instead of each compiling the same templates again. A template that does not compile (a syntax error,
    not UTF-8, not a template at all) is left for the page that uses it to report: an unused one is no error."""
    for name in env.list_templates():
        with contextlib.suppress(jinja2.TemplateError, ThemeError, ValueError):
            env.get_template(name)


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
                _("the template cannot be read: '{detail}' (the template engine's words)", detail=exc.message or "?"),
                exc.filename or exc.name or "",
                exc.lineno,
                _(
                    "check the tags ({{% … %}}, {{{{ … }}}}) and filter names near this line against the theme's other "
                    "templates: one may be misspelt or not closed"
                ),
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(
                _("template '{name}' not found", name=exc.name), hint=_("add it to your theme's templates/ folder")
            ) from None
        except ThemeError:
            raise
        except Exception as exc:
            path, line = _template_frame(exc)
            raise ThemeError(
                _("rendering /{url} failed: {kind}: {problem}", url=page.url, kind=type(exc).__name__, problem=exc),
                path,
                line,
                _("check the template near this line"),
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
