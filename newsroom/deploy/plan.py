"""What a deploy moves, and in which order: ``output/`` against the manifest kept on the target.

The target keeps newsroom's own record of what it uploaded there, ``.newsroom-deploy.json``
(path -> content hash). Comparing ``output/`` with it says what to upload and what to delete
without downloading or hashing anything on the target, and it is what makes files newsroom never
uploaded (``.well-known/``, a ``CNAME``, an old ``tin-cu/`` folder) safe: only paths in the record
are ever deleted.

Readers must never see a half-deployed site, so changes go out in this order: assets (photos,
CSS, scripts, documents: nothing links to them yet), new pages, changed pages (listings that may
link to the new ones), feeds, sitemaps and the search index, then deletions, then the record.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Message, _
from ..output import MARKER

MANIFEST = ".newsroom-deploy.json"
# Written before the first upload of a deploy on targets that change file by file: the paths it
# is about to touch. A deploy that was killed leaves it behind, and the next one treats those
# paths as its own with unknown contents (uploads them again, or deletes them).
PENDING = ".newsroom-deploy.pending.json"
# The suffix of half-uploaded files (rclone uploads to NAME.<hash><suffix>, then renames): ours to remove.
PARTIAL_SUFFIX = ".newsroom-part"
OWN_FILES = (MANIFEST, PENDING)
FORMAT = 1

PHASES = ("assets", "new pages", "pages", "listings")
# What each phase is called where an editor reads it (deploy --dry-run's list).
PHASE_NAMES = {"assets": _("assets"), "new pages": _("new pages"), "pages": _("pages"), "listings": _("listings")}

# Cache lifetimes (README, "Deploying"): the same in the nginx example.
SHORT = "public, max-age=300"  # pages, feeds, the search index: the same URL gets new contents
WEEK = "public, max-age=604800"  # photos and documents under their own names
FOREVER = "public, max-age=31536000, immutable"  # names that change with the contents
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[A-Za-z0-9]+$")  # photo variants: x-480.1a2b3c4d.webp
_VERSIONED = (".css", ".js")  # pages link them with ?v=<hash of the file>
_MEDIA = re.compile(
    r"\.(jpe?g|png|gif|webp|avif|svg|ico|pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|mp3|mp4|webm|woff2?)$", re.I
)
_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json; charset=utf-8",
}


@dataclass(frozen=True)
class LocalFile:
    """One file of ``output/``: where it goes on the target, its content hash and size."""

    path: str  # relative, with '/'
    digest: str
    size: int


@dataclass
class Plan:
    """What to upload (by phase), what to delete, and the record to leave on the target."""

    phases: list[tuple[Message, list[LocalFile]]]  # each phase's name, as the editor reads it
    deletions: list[str]
    skipped: int
    manifest: dict[str, str]

    @property
    def uploads(self) -> list[LocalFile]:
        return [f for _, files in self.phases for f in files]

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.uploads)

    @property
    def changes(self) -> bool:
        return bool(self.deletions) or any(files for _, files in self.phases)


@dataclass
class Record:
    """What the target says newsroom put there: its manifest, and the paths of an unfinished deploy."""

    files: dict[str, str] = field(default_factory=dict)  # path -> digest ("" when unknown)
    deploy_id: str = ""
    unfinished: set[str] = field(default_factory=set)  # paths a killed deploy may have left in any state
    damaged: bool = False  # the manifest could not be read: nothing of it is trusted or deleted


def scan_output(output: Path, hashes: dict[str, tuple] | None = None) -> dict[str, LocalFile]:
    """Every file of the built site, hashed; ``hashes`` (path -> (size, mtime, inode, digest)) skips unchanged ones.

    A build never writes into an existing file (output.py writes new inodes), so a file with the
    same size, modification time and inode as last time has the same contents.
    """
    found: dict[str, LocalFile] = {}
    known = hashes if hashes is not None else {}
    seen: dict[str, tuple] = {}
    stack = [("", str(output))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                    continue
                if not entry.is_file(follow_symlinks=False) or rel == MARKER or rel in OWN_FILES:
                    continue
                stat = entry.stat(follow_symlinks=False)
                facts = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
                old = known.get(rel)
                digest = old[3] if old is not None and tuple(old[:3]) == facts else _hash(entry.path)
                seen[rel] = (*facts, digest)
                found[rel] = LocalFile(rel, digest, stat.st_size)
    if hashes is not None:
        hashes.clear()
        hashes.update(seen)
    return found


def _hash(path: str) -> str:
    digest = hashlib.blake2b(digest_size=12)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def make_plan(local: dict[str, LocalFile], record: Record) -> Plan:
    """Upload what is new or changed, delete what newsroom uploaded and ``output/`` no longer has."""
    phases: dict[str, list[LocalFile]] = {name: [] for name in PHASES}
    skipped = 0
    for path in sorted(local):
        item = local[path]
        old = record.files.get(path)
        if old == item.digest and path not in record.unfinished:
            skipped += 1
            continue
        phase = phase_of(path)
        if phase == "pages" and old is None:
            phase = "new pages"
        phases[phase].append(item)
    owned = set(record.files) | record.unfinished
    deletions = sorted((owned - local.keys()) - set(OWN_FILES), key=lambda p: (-p.count("/"), p))
    manifest = {path: item.digest for path, item in sorted(local.items())}
    return Plan([(PHASE_NAMES[name], phases[name]) for name in PHASES], deletions, skipped, manifest)


def phase_of(path: str) -> str:
    """Which step uploads a file: assets before the pages using them, listings after the pages they list."""
    if path.endswith(".html"):
        return "pages"
    if path.endswith((".xml", ".json")) or path == "robots.txt":
        return "listings"
    return "assets"


def content_type(path: str) -> str:
    """The Content-Type object storage serves a file with; text always says it is UTF-8."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _TEXT_TYPES:
        return _TEXT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path, strict=False)
    return guessed or "application/octet-stream"


def cache_control(path: str) -> str:
    """How long browsers and CDNs may keep a file: short for pages, long for photos, forever for hashed names."""
    if _HASHED.search(path) or path.endswith(_VERSIONED):
        return FOREVER
    if _MEDIA.search(path):
        return WEEK
    return SHORT


def read_record(manifest: bytes | None, pending: bytes | None) -> Record:
    """The target's record; an unfinished deploy's paths are added as 'contents unknown'."""
    record = Record()
    if manifest is not None:
        try:
            data = json.loads(manifest)
            files = data["files"]
            if data.get("format") != FORMAT or not isinstance(files, dict):
                raise ValueError
            record.files = {str(p): str(d) for p, d in files.items()}
            record.deploy_id = str(data.get("deploy", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            record.damaged = True
    if pending is not None:
        try:
            data = json.loads(pending)
            if data.get("deploy") != record.deploy_id:  # else: left over after a finished deploy
                record.unfinished = {str(p) for p in data.get("paths", [])}
        except (ValueError, TypeError, AttributeError):
            record.damaged = True
    return record


def manifest_bytes(manifest: dict[str, str], deploy_id: str) -> bytes:
    data = {"format": FORMAT, "generator": "newsroom", "deploy": deploy_id, "files": manifest}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def pending_bytes(paths: set[str], deploy_id: str) -> bytes:
    return json.dumps({"format": FORMAT, "deploy": deploy_id, "paths": sorted(paths)}, ensure_ascii=False).encode()


def partial_of(name: str) -> str | None:
    """The path a half-uploaded file was meant for (``a/x.html.1a2b3c4d.newsroom-part`` -> ``a/x.html``)."""
    if not name.endswith(PARTIAL_SUFFIX):
        return None
    stem = name[: -len(PARTIAL_SUFFIX)]
    head, dot, tail = stem.rpartition(".")
    return head if dot and re.fullmatch(r"[0-9a-f]{4,}", tail) else None
