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

Videos take the same shapes (see ``media.py``): ``![Lễ ra quân](videos/x.mp4)`` is an image token
that ``markdown.py`` marks as a local video, rendered as ``<video>``; a YouTube address alone on its
line becomes a ``youtube`` token (``youtube_lines``, a core rule run before ``figures``). Both are
figures with the class ``video`` and take a caption line like photos.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .i18n import ENGLISH, Message, Translator, _
from .media import YouTube, is_video, youtube

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
    if "video" in token.meta:
        return _video(token, self.renderInlineAsText(token.children, options, env), _words(env))
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


def _words(env) -> Translator:
    """The page's words in the site's language: ``markdown.render_body`` puts its translator in the render env.

    They are the engine's texts, not the theme's: a body is rendered once and cached with config.yaml's
    hash (which holds the language), long before, and apart from, the theme's templates."""
    return env.get("tr", ENGLISH) if isinstance(env, dict) else ENGLISH


def _video(token: Token, alt: str, tr: Translator = ENGLISH) -> str:
    """A local video: the player reserves its frame, and nothing is downloaded until the reader plays it."""
    video = token.meta["video"]
    src, label = escapeHtml(video["src"]), escapeHtml(alt)
    fallback = label or escapeHtml(tr(_("Download the video")))
    return (
        f'<video controls preload="none" width="{video["width"]}" height="{video["height"]}"'
        + (f' aria-label="{label}"' if label else "")
        + f'><source src="{src}" type="{video["mime"]}"><a href="{src}">{fallback}</a></video>'
    )


def render_youtube(self, tokens, idx, options, env) -> str:
    """A markdown-it render rule: a YouTube video as a drawn poster and a play link, no iframe.

    The page names only the video's ID (``data-youtube``): ``video.js`` puts the
    youtube-nocookie.com player in on click; without JavaScript the link opens the video on
    YouTube. The poster is drawn by the stylesheet with the title on it, so nothing is fetched
    from YouTube (not even the i.ytimg.com thumbnail) before the reader asks for the video.
    """
    token = tokens[idx]
    video: YouTube = token.meta["youtube"]
    tr = _words(env)
    raw_title = token.meta.get("title") or tr(_("Video"))
    title = escapeHtml(raw_title)
    play = escapeHtml(tr(_("Play the video: {title} (YouTube)", title=raw_title)))
    note = escapeHtml(tr(_("YouTube · click to watch")))
    return (
        f'<a class="video-play" href="{escapeHtml(video.watch_url)}" data-youtube="{video.id}"'
        + (f' data-start="{video.start}"' if video.start else "")
        + f' data-title="{title}" aria-label="{play}">'
        f'<span class="video-title" aria-hidden="true">{title}</span>'
        '<span class="video-button" aria-hidden="true"></span>'
        f'<span class="video-note" aria-hidden="true">{note}</span></a>'
    )


def render_file_meta(self, tokens, idx, options, env) -> str:
    """A markdown-it render rule: the type and size shown after a link to a document."""
    return f' <span class="file-meta">({escapeHtml(tokens[idx].meta["label"])})</span>'


def youtube_lines(state: StateCore) -> None:
    """A markdown-it core rule: a YouTube address alone on its line becomes a ``youtube`` token.

    The address may be bare text, ``<https://…>`` or ``[title](https://…)``, and may be followed
    by a caption line as a photo can. Runs before ``figures``, which then makes it a figure. An
    address that looks like a YouTube video but names none properly keeps its tokens and gets
    ``meta["video_problem"]``, for ``markdown.py`` to warn about at its line.
    """
    tokens = state.tokens
    for i in range(len(tokens)):
        if not _is_paragraph(tokens, i):
            continue
        inline = tokens[i + 1]
        children = _trimmed(inline.children or [])
        end = next((n for n, c in enumerate(children) if c.type in ("softbreak", "hardbreak")), len(children))
        rest = children[end:]
        if rest and not _emphasis_only(rest[1:]):
            continue  # more text under the address: a sentence, not a video line
        found = _youtube_address(children[:end])
        if found is None:
            continue
        video, title = found
        if isinstance(video, Message):  # the address names a video wrongly: markdown.py warns at its line
            children[0].meta["video_problem"] = video
            continue
        token = Token("youtube", "", 0, meta={"youtube": video, "title": title})
        inline.children = [token, *rest]


def _youtube_address(line: list[Token]) -> tuple[YouTube | str, str] | None:
    """(the video or what is wrong with it, the link's title) for a line that is only an address."""
    if line and all(c.type == "text" for c in line):
        text = "".join(c.content for c in line).strip()
        if not text or any(ch.isspace() for ch in text):
            return None
        video = youtube(text)
        return None if video is None else (video, "")
    if len(line) >= 2 and line[0].type == "link_open" and line[-1].type == "link_close":
        if any(c.type in ("link_open", "link_close") for c in line[1:-1]):
            return None
        video = youtube(str(line[0].attrs.get("href", "")))
        if video is None:
            return None
        title = "" if line[0].markup == "autolink" else "".join(c.content for c in line[1:-1] if c.type == "text")
        return video, " ".join(title.split())
    return None


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
        if image.type == "youtube":
            out[-1].attrs["class"] = "video video-youtube"
            if caption is not None and not image.meta.get("title"):  # a bare address: the caption names it
                image.meta["title"] = " ".join("".join(c.content for c in caption[0] if c.type == "text").split())
        elif _local_video(str(image.attrs.get("src", ""))):
            out[-1].attrs["class"] = "video"
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
    if not children or children[0].type not in ("image", "youtube"):
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


def _local_video(src: str) -> bool:
    """Whether ``![…](src)`` names a video file of the site (``markdown.py`` renders it as one)."""
    parts = urlsplit(src)
    return not (parts.scheme or parts.netloc) and is_video(parts.path)


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
