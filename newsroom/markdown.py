"""The one configured Markdown renderer, and what it does to links and images.

Editors link articles the way their editor shows files: ``[text](../2023/other.md)``. Such
links are rendered as placeholders and filled with the target article's URL once every article
is known (``resolve_links``); a link to a file that does not exist is an error at its line. Pictures
beside an article or in ``static/`` are checked and listed as assets, and become figures with
captions and ``<picture>`` holes for ``images.attach`` (see ``figures.py``). Unsafe URL schemes
(``javascript:``, ``vbscript:``, ``data:``, ``file:``) never become links, and raw HTML is shown
as text unless config.yaml sets ``allow_html: true`` for a trusted site.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape as html_escape
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ContentError
from .figures import figures, picture_paths, render_image
from .model import Article, Asset

_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
MISSING = "\0missing"  # what a link to a file that is not an article resolves to
UNREADABLE = "\0unreadable"  # a link to an article file that has errors of its own (reported there)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_WORD = re.compile(r"\w+")
_SUMMARY_LIMIT = 300
MAX_BRACKETS = 5000


@dataclass(frozen=True)
class Link:
    """A link to another article's file, waiting for that article's URL."""

    target: str  # site-relative source path of the linked article
    fragment: str
    raw: str  # as the editor wrote it
    line: int


@dataclass(frozen=True)
class RenderedBody:
    html: str
    summary: str  # plain text of the first paragraph, shortened
    first_paragraph: str  # its full plain text
    first_image: str  # the first picture as written (a local file found, or a web address)
    assets: tuple[Asset, ...]  # the local pictures, in order: holes in ``html`` are indexes into it
    problems: tuple[ContentError, ...]
    links: tuple[Link, ...] = ()  # each link to an article file, as a placeholder in ``html``
    images: tuple[tuple[str, bool], ...] = ()  # each local image checked, and whether it existed
    words: str = ""  # the distinct lowercase words of the text, space-separated, for the search index


def _safe_link(url: str) -> bool:
    # Browsers ignore tabs, newlines and control characters inside a scheme ("java\nscript:").
    return not _UNSAFE_SCHEME.match(_CONTROL.sub("", unquote(url)))


def _table_open(self, tokens, idx, options, env):
    return '<div class="table-wrap">' + self.renderToken(tokens, idx, options, env)


def _table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


@functools.cache
def make_markdown(allow_html: bool) -> MarkdownIt:
    """CommonMark plus tables and strikethrough; one shared instance per setting and process."""
    md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("image", render_image)
    md.core.ruler.push("figures", figures)
    return md


def render_body(
    article: Article,
    href: Callable[[str], str],
    file_exists: Callable[[str], bool],
    allow_html: bool = False,
) -> RenderedBody:
    """Render one article's Markdown; links to ``.md`` files are left as placeholders.

    The result depends only on the file (and the config), so it can be cached by the file's
    hash and computed in parallel before every article is known; ``resolve_links`` then puts
    the target articles' URLs in. ``href`` turns a site URL into a link; ``file_exists``
    answers for site-relative paths (so this function does no I/O itself).
    """
    md = make_markdown(allow_html)
    problems: list[ContentError] = []
    text = article.body_md
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        # markdown-it's link scanning slows down with the number of '[' (a damaged or hostile
        # file): show such text literally, in bounded time, and say why.
        problems.append(
            ContentError(
                article.source,
                article.body_line,
                f"the text has {brackets} '[' characters, more than the {MAX_BRACKETS} an article may have",
                "the file may be damaged; links and pictures in it are shown as plain text",
            )
        )
        text = text.replace("[", "\\[")
    tokens = md.parse(text)
    assets: dict[str, Asset] = {}
    links: list[Link] = []
    first_image = ""
    first_paragraph = ""
    folder = posixpath.dirname(article.source)
    checked: dict[str, bool] = {}

    def exists(path: str) -> bool:
        checked[path] = file_exists(path)
        return checked[path]

    texts: list[str] = []
    for index, block in enumerate(tokens):
        if block.type != "inline" or not block.children:
            continue
        texts.extend(child.content for child in block.children if child.type in ("text", "code_inline"))
        line = article.body_line + (block.map[0] if block.map else 0)
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                _mark_link(child, folder, line, links)
            elif child.type == "image":
                src = _rewrite_image(child, article, folder, line, href, exists, assets, problems)
                first_image = first_image or src
        if not first_paragraph and index > 0 and tokens[index - 1].type == "paragraph_open":
            first_paragraph = _plain_text(block.children)

    html = md.renderer.render(tokens, md.options, {})
    return RenderedBody(
        html,
        _shorten(first_paragraph),
        first_paragraph,
        first_image,
        tuple(assets.values()),
        tuple(problems),
        tuple(links),
        tuple(sorted(checked.items())),
        " ".join(sorted(set(_WORD.findall(unicodedata.normalize("NFC", " ".join(texts)).lower())))),
    )


_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def _mark_link(token: Token, folder: str, line: int, links: list[Link]) -> None:
    raw = str(token.attrs.get("href", ""))
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return
    links.append(Link(_resolve(folder, unquote(parts.path)), parts.fragment, raw, line))
    token.attrs["href"] = f"\x00{len(links) - 1}\x00"


def resolve_links(
    source: str, body: RenderedBody, link_map: Mapping[str, str | None], href: Callable[[str], str]
) -> tuple[str, list[ContentError], tuple[str | None, ...]]:
    """Put the linked articles' URLs into a rendered body.

    ``link_map`` maps each article source to its site URL, or to None when that article is not
    published in this build. Returns the HTML, the problems (a missing target is an error, an
    unpublished one a warning) and what each link resolved to.
    """
    if not body.links:
        return body.html, [], ()
    folder = posixpath.dirname(source)
    problems: list[ContentError] = []
    outcomes: list[str | None] = []
    replacements: list[str] = []
    for link in body.links:
        url = link_map.get(link.target, MISSING)
        outcomes.append(url)
        if url == UNREADABLE:
            replacements.append(html_escape(link.raw))
        elif url == MISSING:
            by_name = {posixpath.basename(s): s for s in link_map}
            close = difflib.get_close_matches(posixpath.basename(link.target), list(by_name), n=1, cutoff=0.75)
            hint = (
                f"did you mean '{posixpath.relpath(by_name[close[0]], folder)}'?"
                if close
                else "check the file name, or link to the article's web address instead"
            )
            problems.append(
                ContentError(source, link.line, f"link to '{link.raw}': there is no such article file", hint)
            )
            replacements.append(html_escape(link.raw))
        elif url is None:
            problems.append(
                ContentError(
                    source,
                    link.line,
                    f"link to '{link.raw}', an article that is a draft or scheduled for later",
                    "the link will not work until that article is published",
                    warning=True,
                )
            )
            replacements.append(html_escape(link.raw))
        else:
            replacements.append(html_escape(href(url) + (f"#{link.fragment}" if link.fragment else "")))
    html = _PLACEHOLDER.sub(lambda m: replacements[int(m.group(1))], body.html)
    return html, problems, tuple(outcomes)


def _rewrite_image(token: Token, article, folder, line, href, file_exists, assets, problems) -> str:
    raw = str(token.attrs.get("src", ""))
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return raw
    paths = picture_paths(article.source, raw)
    if paths is None:
        problems.append(
            ContentError(
                article.source,
                line,
                f"image '{raw}' points outside the site",
                "keep pictures inside content/ or static/",
            )
        )
        return ""
    source, output = paths
    if not file_exists(source):
        problems.append(
            ContentError(
                article.source,
                line,
                f"image '{raw}' not found (looked for {source})",
                "put the picture file there, or correct the name (letter case counts)",
                warning=True,
            )
        )
        return ""
    assets.setdefault(source, Asset(source, output, line))
    token.meta["picture"] = list(assets).index(source)
    token.attrs["src"] = href(output)
    return raw


def _resolve(folder: str, path: str) -> str:
    if path.startswith("/"):
        return posixpath.normpath("content" + path)
    return posixpath.normpath(posixpath.join(folder, path))


def _plain_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _shorten(text: str) -> str:
    if len(text) <= _SUMMARY_LIMIT:
        return text
    cut = text[:_SUMMARY_LIMIT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.- ") + "…"
