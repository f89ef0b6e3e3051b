"""Pictures in Markdown: figures with captions, and ``<picture>`` elements with holes for the files.

Newsroom photos are captioned with an italic line right under the picture::

    ![Quang cảnh hội nghị](images/hoi-nghi.jpg)
    *Quang cảnh hội nghị. Ảnh: Thanh Hồng*

A markdown-it core rule (``figures``) turns a picture alone in its paragraph into ``<figure>``,
and such a line (in the same paragraph, or the next paragraph when that is entirely emphasis)
into its ``<figcaption>``. It works on tokens, never on HTML.

What an ``<img>`` says about its file (``src``, ``srcset``, ``width``, ``height``, a WebP
``<source>``) depends on the file, not on the Markdown, while rendered bodies are cached by their
Markdown alone. So a local picture renders with two holes, ``\\0s{i}\\0`` where the
``<source>`` goes and ``\\0a{i}\\0`` for the ``<img>``'s file attributes, ``i`` being the
picture's index in the body's assets; ``images.attach`` fills them (``fill_holes``) once the
files are processed. NUL never comes from Markdown (markdown-it turns it into U+FFFD), and the
letter keeps these holes apart from the digits-only link placeholders of ``markdown.py``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

HOLE = re.compile("\x00([sa])(\\d+)\x00")


def picture_paths(article_source: str, raw: str) -> tuple[str, str] | None:
    """Where a picture named in an article (``images/x.jpg``, ``/x.jpg``) is, and where it goes.

    Returns (site-relative source, output path), or None when the name leads outside the site.
    A name starting with ``/`` is in the site's ``static/`` folder and keeps its place in the
    output; a name relative to the article keeps its place under ``content/``.
    """
    path = unquote(urlsplit(raw).path)
    if path.startswith("/"):
        source, output = posixpath.normpath("static" + path), posixpath.normpath(path.lstrip("/"))
    else:
        source = posixpath.normpath(posixpath.join(posixpath.dirname(article_source), path))
        output = posixpath.relpath(source, "content")
    if output.startswith("..") or source.startswith("..") or output in (".", ""):
        return None
    return source, output


def render_image(self, tokens, idx, options, env) -> str:
    """A markdown-it render rule: a local picture as ``<picture>`` with holes, others as ``<img>``.

    The article's first picture is fetched at once and first, as it is usually on screen at the
    top; the others wait until the reader scrolls near them.
    """
    token = tokens[idx]
    first = not env.get("seen_image")
    env["seen_image"] = True
    alt = self.renderInlineAsText(token.children, options, env)
    index = token.meta.get("picture")
    if index is None:  # a web address, or a file that was not found
        token.attrs["alt"] = alt
        token.attrs.update({"fetchpriority": "high"} if first else {"loading": "lazy"})
        token.attrs["decoding"] = "async"
        return self.renderToken(tokens, idx, options, env)
    title = token.attrs.get("title")
    return (
        f'<picture>\x00s{index}\x00<img\x00a{index}\x00 alt="{escapeHtml(alt)}"'
        + (f' title="{escapeHtml(str(title))}"' if title else "")
        + (' fetchpriority="high"' if first else ' loading="lazy"')
        + ' decoding="async"></picture>'
    )


def fill_holes(html: str, source: Callable[[int], str], attributes: Callable[[int], str]) -> str:
    """The body with each picture's holes filled: ``source(i)`` and ``attributes(i)``."""
    return HOLE.sub(lambda m: source(int(m[2])) if m[1] == "s" else attributes(int(m[2])), html)


def figures(state: StateCore) -> None:
    """A markdown-it core rule: pictures alone in a paragraph become figures, with captions."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        found = _figure_at(tokens, i)
        if found is None:
            out.append(tokens[i])
            i += 1
            continue
        image, caption, consumed = found
        opening, inline = tokens[i], tokens[i + 1]
        out.append(_block("figure_open", "figure", 1, opening))
        out.append(Token("inline", "", 0, map=inline.map, level=inline.level, children=[image], content=""))
        if caption is not None:
            children, lines = caption
            out.append(_block("figcaption_open", "figcaption", 1, opening))
            out.append(Token("inline", "", 0, map=lines, level=inline.level, children=children, content=""))
            out.append(_block("figcaption_close", "figcaption", -1, opening))
        out.append(_block("figure_close", "figure", -1, opening))
        i += consumed
    state.tokens = out


def _figure_at(tokens: list[Token], i: int):
    """(image, (caption tokens, caption line map) or None, tokens consumed) for a figure at ``i``."""
    if not _is_paragraph(tokens, i):
        return None
    inline = tokens[i + 1]
    children = _trimmed(inline.children or [])
    if not children or children[0].type != "image":
        return None
    image, rest = children[0], children[1:]
    if not rest:
        if _is_paragraph(tokens, i + 3):
            after = _trimmed(tokens[i + 4].children or [])
            if _emphasis_only(after):
                return image, (after[1:-1], tokens[i + 4].map), 6
        return image, None, 3
    if rest[0].type in ("softbreak", "hardbreak") and _emphasis_only(rest[1:]):
        start = inline.map[0] + 1 if inline.map else 0
        return image, (rest[2:-1], [start, start + 1]), 3
    return None


def _is_paragraph(tokens: list[Token], i: int) -> bool:
    return (
        i + 2 < len(tokens)
        and tokens[i].type == "paragraph_open"
        and not tokens[i].hidden  # an item of a tight list: its text is not a paragraph of its own
        and tokens[i + 1].type == "inline"
        and tokens[i + 2].type == "paragraph_close"
    )


def _trimmed(children: list[Token]) -> list[Token]:
    """Inline tokens without blank text at either end."""
    start, end = 0, len(children)
    while start < end and children[start].type == "text" and not children[start].content.strip():
        start += 1
    while end > start and children[end - 1].type == "text" and not children[end - 1].content.strip():
        end -= 1
    return children[start:end]


def _emphasis_only(children: list[Token]) -> bool:
    """Whether these inline tokens are one emphasis (``*...*`` or ``_..._``) from end to end."""
    if len(children) < 3 or children[0].type != "em_open" or children[-1].type != "em_close":
        return False
    depth = 0
    for n, child in enumerate(children):
        depth += {"em_open": 1, "em_close": -1}.get(child.type, 0)
        if depth == 0 and n != len(children) - 1:
            return False  # "*a* b *c*": the first emphasis ends early
    return True


def _block(kind: str, tag: str, nesting: int, like: Token) -> Token:
    return Token(kind, tag, nesting, map=like.map, level=like.level, block=True)
