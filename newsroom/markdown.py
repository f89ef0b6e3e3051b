"""The one configured Markdown renderer, and what it does to links and images.

Editors link articles the way their editor shows files: ``[text](../2023/other.md)``. Here such
links become the target article's URL; a link to a file that does not exist is an error at its
line. Images beside an article are checked and listed as assets to copy. Unsafe URL schemes
(``javascript:``, ``vbscript:``, ``data:``, ``file:``) never become links, and raw HTML is shown
as text unless config.yaml sets ``allow_html: true`` for a trusted site.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ContentError
from .model import Article, Asset

_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
MISSING = "\0missing"  # what a link to a file that is not an article resolves to
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SUMMARY_LIMIT = 300


@dataclass(frozen=True)
class RenderedBody:
    html: str
    summary: str  # plain text of the first paragraph, shortened
    first_paragraph: str  # its full plain text
    first_image: str  # href of the first image, for thumbnails and sharing
    assets: tuple[Asset, ...]
    problems: tuple[ContentError, ...]
    links: tuple[tuple[str, str | None], ...] = ()  # each .md link target and what it resolved to
    images: tuple[tuple[str, bool], ...] = ()  # each local image checked, and whether it existed


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
    return md


def render_body(
    article: Article,
    link_map: Mapping[str, str | None],
    href: Callable[[str], str],
    file_exists: Callable[[str], bool],
    allow_html: bool = False,
) -> RenderedBody:
    """Render one article's Markdown, resolving ``.md`` links through ``link_map``.

    ``link_map`` maps each article source (``content/2020/x.md``) to its site URL, or to None
    when that article is not published in this build; ``href`` turns a site URL into a link;
    ``file_exists`` answers for site-relative paths (so this function does no I/O itself).
    """
    md = make_markdown(allow_html)
    tokens = md.parse(article.body_md)
    problems: list[ContentError] = []
    assets: dict[str, Asset] = {}
    first_image = ""
    first_paragraph = ""
    folder = posixpath.dirname(article.source)

    resolved: dict[str, str | None] = {}
    checked: dict[str, bool] = {}

    def lookup(target: str) -> str | None:
        resolved[target] = link_map.get(target, MISSING)
        return resolved[target]

    def exists(path: str) -> bool:
        checked[path] = file_exists(path)
        return checked[path]

    for index, block in enumerate(tokens):
        if block.type != "inline" or not block.children:
            continue
        line = article.body_line + (block.map[0] if block.map else 0)
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                _rewrite_link(child, article, folder, line, lookup, link_map, href, problems)
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
        tuple(sorted(resolved.items())),
        tuple(sorted(checked.items())),
    )


def _rewrite_link(token: Token, article, folder, line, lookup, link_map, href, problems) -> None:
    raw = str(token.attrs.get("href", ""))
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return
    target = _resolve(folder, unquote(parts.path))
    url = lookup(target)
    if url == MISSING:
        by_name = {posixpath.basename(s): s for s in link_map}
        close = difflib.get_close_matches(posixpath.basename(target), list(by_name), n=1, cutoff=0.75)
        hint = (
            f"did you mean '{posixpath.relpath(by_name[close[0]], folder)}'?"
            if close
            else "check the file name, or link to the article's web address instead"
        )
        problems.append(ContentError(article.source, line, f"link to '{raw}': there is no such article file", hint))
        return
    if url is None:
        problems.append(
            ContentError(
                article.source,
                line,
                f"link to '{raw}', an article that is a draft or scheduled for later",
                "the link will not work until that article is published",
                warning=True,
            )
        )
        return
    token.attrs["href"] = href(url) + (f"#{parts.fragment}" if parts.fragment else "")


def _rewrite_image(token: Token, article, folder, line, href, file_exists, assets, problems) -> str:
    raw = str(token.attrs.get("src", ""))
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return raw
    path = unquote(parts.path)
    if path.startswith("/"):
        source, output = posixpath.normpath("static" + path), posixpath.normpath(path.lstrip("/"))
    else:
        source = _resolve(folder, path)
        output = posixpath.relpath(source, "content")
    if output.startswith("..") or source.startswith(".."):
        problems.append(
            ContentError(
                article.source,
                line,
                f"image '{raw}' points outside the site",
                "keep pictures inside content/ or static/",
            )
        )
        return ""
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
    if source.startswith("content/"):
        assets[source] = Asset(source, output)
    token.attrs["src"] = href(output)
    return str(token.attrs["src"])


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
