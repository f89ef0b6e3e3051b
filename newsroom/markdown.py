"""The one configured Markdown renderer, and what it does to links and images.

Editors link articles the way their editor shows files: ``[text](../2023/other.md)``. Such
links are rendered as placeholders and filled with the target article's URL once every article
is known (``resolve_links``); a link to a file that does not exist is an error at its line. Pictures
beside an article or in ``static/`` are checked and listed as assets, and become figures with
captions and ``<picture>`` holes for ``images.attach`` (see ``figures.py``). Unsafe URL schemes
(``javascript:``, ``vbscript:``, ``data:``, ``file:``) never become links, and raw HTML is shown
as text unless config.yaml sets ``allow_html: true`` for a trusted site.

Links to documents beside the article (PDF, DOCX, ZIP...) publish the file and show its type and
size; ``![title](videos/x.mp4)`` is a ``<video>``; a YouTube address alone on its line is an embed
that loads nothing from YouTube before a click (see ``media.py``). What a body says about such
files (sizes, video frames) is recorded with it, so the build cache can tell when it is stale.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape as html_escape
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ContentError
from .figures import figures, picture_paths, render_file_meta, render_image, render_youtube, youtube_lines
from .i18n import Text, Translator, _, translator
from .media import FALLBACK_FRAME, FileFacts, document_label, is_video, never_published, video_mime
from .model import Article, Asset
from .render import file_size

_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
MISSING = "\0missing"  # what a link to a file that is not an article resolves to
UNREADABLE = "\0unreadable"  # a link to an article file that has errors of its own (reported there)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
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
    words: str = ""  # the plain text, one line per block in reading order, for the search index (phrases)
    files: tuple[Asset, ...] = ()  # documents and videos beside the article: published as they are, not as photos
    checked_files: tuple[tuple[str, FileFacts | None], ...] = ()  # each document or video looked at, and what it was


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
    md.add_render_rule("youtube", render_youtube)
    md.add_render_rule("file_meta", render_file_meta)
    md.core.ruler.push("youtube_lines", youtube_lines)
    md.core.ruler.push("figures", figures)
    return md


def render_body(
    article: Article,
    href: Callable[[str], str],
    file_exists: Callable[[str], bool],
    allow_html: bool = False,
    file_facts: Callable[[str], FileFacts | None] | None = None,
    language: str = "vi",
) -> RenderedBody:
    """Render one article's Markdown; links to ``.md`` files are left as placeholders.

    The result depends only on the file (and the config), so it can be cached by the file's
    hash and computed in parallel before every article is known; ``resolve_links`` then puts
    the target articles' URLs in. ``href`` turns a site URL into a link; ``file_exists``
    answers for site-relative paths, and ``file_facts`` tells the size of documents and the
    frame of videos (``media.file_facts``), so this function does no I/O itself. Without
    ``file_facts`` a document is shown without its size. ``language`` (the site's) is the language of
    the few words the body itself carries: a document's size (``1,4 MB``) and the video player's labels.
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
                _(
                    "the text has {brackets} '[' characters, more than the {limit} an article may have",
                    brackets=brackets,
                    limit=MAX_BRACKETS,
                ),
                _("the file may be damaged; links and pictures in it are shown as plain text"),
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
    facts = file_facts or (lambda path: FileFacts(0) if file_exists(path) else None)
    files = _Files(article.source, href, facts, language)

    def exists(path: str) -> bool:
        checked[path] = file_exists(path)
        return checked[path]

    texts: list[str] = []
    for index, block in enumerate(tokens):
        if block.type != "inline" or not block.children:
            continue
        texts.append(_plain_text(block.children))  # a phrase may cross bold text, never a block's end
        line = article.body_line + (block.map[0] if block.map else 0)
        children: list[Token] = []
        label = None  # the type and size to show after the link being read
        for child in block.children:
            children.append(child)
            if "video_problem" in child.meta:  # the first token of a YouTube line that names no video
                problems.append(_bad_youtube(article.source, line, child.meta["video_problem"]))
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                if not _mark_link(child, folder, line, links):
                    label = files.link(child, line, problems)
            elif child.type == "link_close" and label:
                children.append(Token("file_meta", "", 0, meta={"label": label}))
                label = None
            elif child.type == "image" and files.video(child, line, problems):
                pass  # a video: never the article's picture
            elif child.type == "image":
                src = _rewrite_image(child, article, folder, line, href, exists, assets, problems)
                first_image = first_image or src
        block.children = children
        if not first_paragraph and index > 0 and tokens[index - 1].type == "paragraph_open":
            first_paragraph = _plain_text(block.children)

    html = md.renderer.render(tokens, md.options, {"tr": _page_words(language)})
    return RenderedBody(
        html,
        _shorten(first_paragraph),
        first_paragraph,
        first_image,
        tuple(assets.values()),
        tuple(problems),
        tuple(links),
        tuple(sorted(checked.items())),
        "\n".join(text for text in texts if text),
        tuple(files.published.values()),
        tuple(sorted(files.checked.items())),
    )


_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


@functools.cache
def _page_words(language: str) -> Translator:
    """The translator for the words a body carries, read once per process and language (bodies are many)."""
    return translator(language)


def _mark_link(token: Token, folder: str, line: int, links: list[Link]) -> bool:
    """A link to an article file becomes a placeholder (True); other links are left (False)."""
    raw = str(token.attrs.get("href", ""))
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return False
    links.append(Link(_resolve(folder, unquote(parts.path)), parts.fragment, raw, line))
    token.attrs["href"] = f"\x00{len(links) - 1}\x00"
    return True


class _Files:
    """The documents and videos one body links to or shows: checked, published, and how they are told."""

    def __init__(
        self, source: str, href: Callable[[str], str], facts: Callable[[str], FileFacts | None], language: str = "vi"
    ):
        self.source, self.href, self.facts, self.language = source, href, facts, language
        self.published: dict[str, Asset] = {}  # site-relative source -> what to copy where
        self.checked: dict[str, FileFacts | None] = {}

    def find(self, raw: str, line: int, problems: list[ContentError], what: str) -> tuple[str, FileFacts] | None:
        """(output path, facts) of a file named in the article, published beside it; None, told why.

        ``what`` is "link to" (a document) or "video", each with its own wording."""
        paths = picture_paths(self.source, raw)
        if paths is None:
            problems.append(
                ContentError(
                    self.source,
                    line,
                    _("link to '{raw}' points outside the site", raw=raw)
                    if what == "link to"
                    else _("video '{raw}' points outside the site", raw=raw),
                    _("keep documents and videos inside content/ (beside the article) or static/"),
                )
            )
            return None
        source, output = paths
        facts = self.checked[source] = self.facts(source)
        if facts is None:
            problems.append(
                ContentError(
                    self.source,
                    line,
                    _(
                        "link to '{raw}' not found (looked for {source}): readers would get a broken download",
                        raw=raw,
                        source=source,
                    )
                    if what == "link to"
                    else _(
                        "video '{raw}' not found (looked for {source}): readers would get a broken video",
                        raw=raw,
                        source=source,
                    ),
                    _("put the file there, or correct the name (letter case counts)"),
                )
            )
            return None
        if not source.startswith("static/"):  # static/ is published whole already
            self.published.setdefault(source, Asset(source, output, line))
        return output, facts

    def link(self, token: Token, line: int, problems: list[ContentError]) -> str | None:
        """A link to a local document: published, marked as a download; returns its 'PDF, 320 KB'."""
        raw = str(token.attrs.get("href", ""))
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        kind = document_label(parts.path)
        if kind is None:
            extension = never_published(parts.path)
            if extension and not parts.path.startswith("/"):
                problems.append(_not_published(self.source, line, raw, extension))
            return None
        found = self.find(raw, line, problems, "link to")
        if found is None:
            return None
        output, facts = found
        token.attrs["href"] = self.href(output) + "".join(
            f"{mark}{part}" for mark, part in (("?", parts.query), ("#", parts.fragment)) if part
        )
        token.attrs["class"] = "attachment"
        token.attrs["download"] = ""
        return f"{kind}, {file_size(facts.size, self.language)}" if facts.size else kind

    def video(self, token: Token, line: int, problems: list[ContentError]) -> bool:
        """``![title](videos/x.mp4)``: a ``<video>`` of the file's own frame (16:9 when unreadable)."""
        raw = str(token.attrs.get("src", ""))
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or not is_video(parts.path):
            return False
        found = self.find(raw, line, problems, "video")
        if found is not None:
            output, facts = found
            width, height = (facts.width, facts.height) if facts.width else FALLBACK_FRAME
            token.meta["video"] = {
                "src": self.href(output),
                "width": width,
                "height": height,
                "mime": video_mime(output),
            }
        return True


def _not_published(source: str, line: int, raw: str, extension: str) -> ContentError:
    return ContentError(
        source,
        line,
        _(
            "link to '{raw}': {extension} files are not published from an article, so the link will not work",
            raw=raw,
            extension=extension,
        ),
        _(
            "only documents (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, ZIP) and videos (MP4, WebM) beside an article"
            " are published; save it as one of those, or link to a web address instead"
        ),
        warning=True,
    )


def _bad_youtube(source: str, line: int, problem: Text) -> ContentError:
    return ContentError(
        source,
        line,
        _("this YouTube address cannot be shown as a video: {problem}", problem=problem),
        _(
            "copy the address again with the Share button under the video on YouTube (https://youtu.be/ and"
            " 11 characters); until then it is shown as it is"
        ),
        warning=True,
    )


def resolve_links(
    source: str, body: RenderedBody, link_map: Mapping[str, str | None], href: Callable[[str], str]
) -> tuple[str, list[ContentError], tuple[str | None, ...]]:
    """Put the linked articles' URLs into a rendered body.

    ``link_map`` maps each article source to its site URL, or to None when that article is not
    published in this build. Returns the HTML, the problems (a missing target is an error, an
    unpublished one a warning) and what each link resolved to.
    """
    problems, outcomes = link_outcomes(source, body.links, link_map)
    return fill_links(body.html, body.links, outcomes, href), problems, outcomes


def link_outcomes(
    source: str, links: tuple[Link, ...], link_map: Mapping[str, str | None]
) -> tuple[list[ContentError], tuple[str | None, ...]]:
    """What each link to an article file resolves to, and the problems with them, without the HTML.

    A build checks every article's links each time (a linked article may have gone), but puts
    them into the HTML (``fill_links``) only for the pages it renders.
    """
    if not links:
        return [], ()
    folder = posixpath.dirname(source)
    problems: list[ContentError] = []
    outcomes: list[str | None] = []
    for link in links:
        url = link_map.get(link.target, MISSING)
        outcomes.append(url)
        if url == MISSING:
            by_name = {posixpath.basename(s): s for s in link_map}
            close = difflib.get_close_matches(posixpath.basename(link.target), list(by_name), n=1, cutoff=0.75)
            hint = (
                _("did you mean '{name}'?", name=posixpath.relpath(by_name[close[0]], folder))
                if close
                else _("check the file name, or link to the article's web address instead")
            )
            problems.append(
                ContentError(source, link.line, _("link to '{raw}': there is no such article file", raw=link.raw), hint)
            )
        elif url is None:
            problems.append(
                ContentError(
                    source,
                    link.line,
                    _("link to '{raw}', an article that is a draft or scheduled for later", raw=link.raw),
                    _("the link will not work until that article is published"),
                    warning=True,
                )
            )
    return problems, tuple(outcomes)


def fill_links(html: str, links: tuple[Link, ...], outcomes: tuple[str | None, ...], href: Callable[[str], str]) -> str:
    """The body's HTML with each link placeholder replaced by what ``link_outcomes`` found for it
    (a link that leads nowhere shows the text as written)."""
    if not links:
        return html
    replacements = [
        html_escape(href(url) + (f"#{link.fragment}" if link.fragment else ""))
        if url is not None and url not in (UNREADABLE, MISSING)
        else html_escape(link.raw)
        for link, url in zip(links, outcomes, strict=True)
    ]
    return _PLACEHOLDER.sub(lambda m: replacements[int(m.group(1))], html)


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
                _("image '{raw}' points outside the site", raw=raw),
                _("keep pictures inside content/ or static/"),
            )
        )
        return ""
    source, output = paths
    if not file_exists(source):
        problems.append(
            ContentError(
                article.source,
                line,
                _("image '{raw}' not found (looked for {source})", raw=raw, source=source),
                _("put the picture file there, or correct the name (letter case counts)"),
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
