"""Documents and videos in articles: what a file is, how big, and which YouTube video a link names.

Three things an editor puts in an article besides text and photos:

- **Attachments**: a link to a document beside the article (``[Kế hoạch số 45](files/45.pdf)``)
  publishes the file and shows its type and size next to the link ("PDF, 320 KB"), so a reader
  on a phone knows what the tap will download.
- **YouTube videos**: a YouTube address alone on its line becomes a privacy-friendly embed. The
  page holds only the video's ID; nothing is fetched from YouTube (no iframe, no thumbnail from
  i.ytimg.com) until the reader clicks play, when ``video.js`` puts in a youtube-nocookie.com
  player. Without JavaScript the play button is a plain link to the video on YouTube.
- **Local videos**: ``![Lễ ra quân](videos/le-ra-quan.mp4)`` becomes a ``<video>`` whose width and
  height are read from the MP4 file itself (the ``tkhd`` box), so the page does not jump when it
  loads; a file whose size cannot be read is shown at 16:9.

Everything here is pure or reads only the file it is given: the Markdown step (``markdown.py``)
calls ``file_facts`` through a callable, and the build cache compares the facts recorded at
rendering with fresh ones to know when a body must be rendered again.
"""

from __future__ import annotations

import posixpath
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from .content import DOCUMENT_TYPES
from .i18n import Message, _

VIDEO_TYPES = {".mp4": ("MP4", "video/mp4"), ".webm": ("WEBM", "video/webm")}  # extension -> (label, MIME type)
PICTURE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")  # shown with ![](); a link to one is left alone
FALLBACK_FRAME = (1280, 720)  # 16:9, for a video whose own size cannot be read
MAX_FRAME = 16384  # larger "sizes" come from a damaged file, not a camera
_MAX_BOXES = 10_000  # a damaged or hostile file must not keep the reader looping


@dataclass(frozen=True)
class FileFacts:
    """What a page shows about a file: its size, and for a video its frame (0 × 0 when unreadable)."""

    size: int
    width: int = 0
    height: int = 0


def file_facts(site_dir: Path, rel: str) -> FileFacts | None:
    """Facts about a site-relative file, or None when it is missing or (through a link) outside the site.

    Called when a body is rendered and again at each build for cached bodies: a document that
    appears, disappears or changes size, or a video replaced by another, renders the body again.
    """
    path = site_dir / rel
    try:
        if not path.is_file() or not path.resolve().is_relative_to(site_dir.resolve()):
            return None
        size = path.stat().st_size
        if posixpath.splitext(rel)[1].lower() != ".mp4":
            return FileFacts(size)
        with open(path, "rb") as handle:
            frame = mp4_frame(handle, size)
    except OSError:
        return None
    return FileFacts(size, *(frame or (0, 0)))


def document_label(path: str) -> str | None:
    """``PDF``, ``DOCX``... for a file published from a link (documents and videos); None for others."""
    extension = posixpath.splitext(unquote(path))[1].lower()
    if extension in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[extension]
    if extension in VIDEO_TYPES:
        return VIDEO_TYPES[extension][0]
    return None


def is_video(path: str) -> bool:
    return posixpath.splitext(unquote(path))[1].lower() in VIDEO_TYPES


def video_mime(path: str) -> str:
    return VIDEO_TYPES[posixpath.splitext(unquote(path))[1].lower()][1]


def never_published(path: str) -> str | None:
    """The extension of a linked file newsroom does not publish (``.exe``, ``.html``...), else None.

    Only documents, videos, pictures and articles are published from an article's folder; a link
    to anything else would be broken, and a program or web page must never ride along.
    """
    extension = posixpath.splitext(posixpath.basename(unquote(path)))[1].lower()
    known = (".md", *DOCUMENT_TYPES, *VIDEO_TYPES, *PICTURE_TYPES)
    return extension if extension and extension not in known else None


# --- MP4 ------------------------------------------------------------------------------------


def mp4_frame(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    """The display width and height of an MP4's first video track, from its ``tkhd`` box.

    An MP4 is a tree of boxes (4-byte size, 4-byte type, payload); the track header of each
    track in ``moov/trak`` holds its width and height as 16.16 fixed-point numbers, and a matrix
    that turns phone videos filmed upright by 90°. Audio tracks have 0 × 0 and are skipped.
    Returns None when the file is not an MP4 or the sizes are not believable.
    """
    for kind, start, end in _boxes(handle, 0, size):
        if kind != b"moov":
            continue
        for track, track_start, track_end in _boxes(handle, start, end):
            if track != b"trak":
                continue
            for header, header_start, header_end in _boxes(handle, track_start, track_end):
                if header == b"tkhd":
                    handle.seek(header_start)
                    frame = _track_frame(handle.read(min(header_end - header_start, 96)))
                    if frame:
                        return frame
    return None


def _boxes(handle: BinaryIO, start: int, end: int):
    """(type, payload start, payload end) of each box between ``start`` and ``end``."""
    at = start
    for _box in range(_MAX_BOXES):
        if at + 8 > end:
            return
        handle.seek(at)
        head = handle.read(16)
        if len(head) < 8:
            return
        length, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if length == 1:  # a 64-bit size follows the type
            if len(head) < 16:
                return
            length, header = struct.unpack(">Q", head[8:16])[0], 16
        elif length == 0:  # the box runs to the end of its parent
            length = end - at
        if length < header or at + length > end:
            return  # damaged: a box cannot be smaller than its header or outgrow its parent
        yield kind, at + header, at + length
        at += length


def _track_frame(payload: bytes) -> tuple[int, int] | None:
    """Width and height from a ``tkhd`` payload (version 0 or 1), turned by its matrix."""
    if not payload:
        return None
    matrix = {0: 40, 1: 52}.get(payload[0])
    if matrix is None or len(payload) < matrix + 44:
        return None
    a, b, _skew, c, d = struct.unpack(">5i", payload[matrix : matrix + 20])
    width, height = (value / 65536 for value in struct.unpack(">2I", payload[matrix + 36 : matrix + 44]))
    width, height = round(width), round(height)
    if not (0 < width <= MAX_FRAME and 0 < height <= MAX_FRAME):
        return None
    if a == 0 and d == 0 and b != 0 and c != 0:  # turned by 90° or 270°: shown the other way round
        width, height = height, width
    return width, height


# --- YouTube --------------------------------------------------------------------------------

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_PATH_FORMS = ("shorts", "embed", "live", "v")  # /shorts/ID, /embed/ID...
_START = re.compile(r"(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")


@dataclass(frozen=True)
class YouTube:
    """A YouTube video: its 11-character ID and where to start playing (seconds)."""

    id: str
    start: int = 0

    @property
    def watch_url(self) -> str:
        """The video's page on YouTube: where the play button leads without JavaScript."""
        return f"https://www.youtube.com/watch?v={self.id}" + (f"&t={self.start}s" if self.start else "")


def youtube(url: str) -> YouTube | Message | None:
    """The video a YouTube address names; a message when it names one wrongly; None when it is not one.

    Accepts youtube.com/watch?v=ID, youtu.be/ID, youtube.com/shorts/ID, /embed/ID and /live/ID,
    with or without ``https://``, ``www.`` and extra parameters (``t=``, ``si=``, ``list=``...).
    A channel, playlist or search address is not a video: None, and it stays a plain link.
    """
    text = url.strip()
    if not re.match(r"https?://", text, re.IGNORECASE):
        if not re.match(r"(www\.|m\.)?(youtube\.com|youtu\.be)/", text, re.IGNORECASE):
            return None
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:  # a malformed port or bracketed host
        return None
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if host == "youtu.be":
        candidate = segments[0] if segments else ""
    elif host in _YOUTUBE_HOSTS and segments[:1] == ["watch"]:
        candidate = query.get("v", [""])[0]
    elif host in _YOUTUBE_HOSTS and len(segments) >= 2 and segments[0] in _PATH_FORMS:
        candidate = segments[1]
    else:
        return None
    if not _VIDEO_ID.fullmatch(candidate):
        shown = candidate if len(candidate) <= 30 else candidate[:30] + "…"
        return (
            _("'{shown}' is not a YouTube video ID (11 letters, digits, '-' or '_')", shown=shown)
            if candidate
            else _("the address names no video")
        )
    return YouTube(candidate, _start(query))


def _start(query: dict[str, list[str]]) -> int:
    """Seconds from ``t=90``, ``t=90s``, ``t=1m30s`` or ``start=90``; 0 when absent or unreadable."""
    value = (query.get("t") or query.get("start") or [""])[0].strip().lower()
    match = _START.fullmatch(value)
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds
