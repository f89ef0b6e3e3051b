"""Photos: every picture an article shows is published resized, upright and without metadata.

District news photos come straight from phone cameras: 4,000 px wide, several MB, turned by an
EXIF flag instead of in their pixels, with the GPS position of the photographer inside. Published
as they are, they are slow on a phone, sideways in some programs and a privacy leak. So each
JPEG, PNG and WebP an article uses (in its Markdown, or as its ``image``) is decoded once with
Pillow, turned upright (EXIF orientation), converted to sRGB, and encoded again:

- at each width of ``image_widths`` narrower than the original, plus the original's own width
  when it is narrower than the widest (never enlarged), in WebP and in its own format;
- at full size in its own format, published under the file's own name. No uploaded file is ever
  published as it is: a GIF keeps its frames byte for byte (re-encoding would spoil animations)
  but loses every block that is not a picture or its timing; an SVG is published as it is only
  once ``svg.problems`` has found nothing in it that could run or load anything.

No metadata survives the re-encoding: no EXIF, GPS, XMP, ICC profile or comment. With
``keep_copyright: true`` the EXIF Copyright and Artist fields, and only they, are kept. WebP
cannot be wider or taller than 16,383 px: a picture with a variant larger than that (a long
infographic) is published in its own format only.

The work is cached under ``SITE/.cache/images/<key>/``, the key a hash of the file's bytes and
of every setting that shapes the result, so an unchanged photo is processed once, whatever the
output folder (deploy and preview builds share it). ``index.json`` remembers each file's size,
mtime and hash, so unchanged files are not even read again. New photos are processed on all
cores. Bad files (not a picture, damaged or cut short, more pixels than ``max_image_pixels``, an
unsafe drawing) are errors located at the article line that uses them; a missing file stays a
warning. A disk too full to hold the processed files stops the build with one error saying so.

``attach`` is the build step: it fills the ``<picture>`` holes that ``figures.py`` leaves in each
body, gives each article its featured ``Picture``, and lists the files to publish as assets.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import io
import json
import os
import posixpath
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import PIL
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from . import frontmatter, svg
from .cache import settled
from .config import Config
from .errors import ContentError, OutputError, PhotoProblem
from .figures import fill_holes, picture_paths
from .i18n import Message, _, ngettext, os_error_text
from .model import Article, Asset, BodyPictures, Picture
from .parallel import map_forked
from .urls import href

PIPELINE = "3"  # change it when the processing below changes: every photo is then made again
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_MAX = 16383  # the widest and tallest picture WebP can hold, in pixels
CACHE = Path(".cache") / "images"  # inside the site folder
# The width of the article body column in the default theme (site.css: .wrap, .article-layout,
# .article padding), so that a phone downloads a picture as wide as its screen, not a desktop's.
BODY_SIZES = (
    "(min-width: 1180px) 734px, (min-width: 1024px) calc(100vw - 446px), "
    "(min-width: 720px) calc(100vw - 98px), calc(100vw - 70px)"
)
_FORMATS = {  # Pillow format -> (extension, MIME type); MPO is a JPEG with a second picture in it
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
_AS_IS = {"GIF": "image/gif"}  # verified, then published with its frames unchanged (animation would be lost)
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
_GIF_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # the application blocks that say how often to play
_KEPT_TAGS = (0x013B, 0x8298)  # EXIF Artist, Copyright
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Settings:
    """What shapes a processed photo (``signature``), and the pixel limit."""

    widths: tuple[int, ...]
    keep_copyright: bool
    max_pixels: int

    @classmethod
    def of(cls, config: Config) -> Settings:
        return cls(config.image_widths, config.keep_copyright, config.max_image_pixels)

    @property
    def signature(self) -> str:
        return f"{PIPELINE}:{PIL.__version__}:{self.widths}:{self.keep_copyright}:{JPEG_QUALITY}:{WEBP_QUALITY}"


@dataclass(frozen=True)
class Variant:
    file: str  # name inside the cache entry
    mime: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    """What processing one file made; kept as the cache entry's ``meta.json``."""

    mime: str  # of the original's format
    width: int  # upright, in pixels (0 for SVG)
    height: int
    pixels: int  # as stored, for the pixel limit
    original: str  # cache file with the full-size copy (re-encoded, or a GIF cleaned); "" for an SVG
    variants: tuple[Variant, ...] = ()  # each width in the original's format, then in WebP


# --- processing one file --------------------------------------------------------------------


def process(path: Path, folder: Path | None, settings: Settings) -> Processed:
    """Decode ``path`` and write its published files into ``folder`` (which must exist).

    With ``folder`` None (``check``) the picture is decoded and checked all the same, and what
    would be published is worked out, but nothing is encoded or written.
    """
    if path.suffix.lower() == ".svg":
        _check_svg(path)
        return Processed("image/svg+xml", 0, 0, 0, "")
    Image.MAX_IMAGE_PIXELS = settings.max_pixels
    with warnings.catch_warnings():
        # Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that; both are refusals here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                kind = image.format or ""
                if kind not in _FORMATS and kind not in _AS_IS:
                    raise PhotoProblem(
                        _("is a {kind} picture, which browsers cannot show", kind=kind),
                        _("save it as JPEG (photos) or PNG (drawings, logos)"),
                    )
                image.load()  # decodes everything: a damaged or cut-short file fails here
                if kind in _AS_IS:
                    return _cleaned_gif(path, folder, *image.size)
                if folder is None:
                    width, height = image.size
                    return _planned(kind, *((height, width) if _turned(image) else (width, height)), settings)
                exif = image.getexif()
                upright = _upright_srgb(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large(path, settings.max_pixels) from None
        except UnidentifiedImageError:
            raise PhotoProblem(
                _("is not a picture newsroom can read (JPEG, PNG, WebP, GIF or SVG)"),
                _("open it and save it again as JPEG; a photo from an iPhone (HEIC) must be exported as JPEG"),
            ) from None
        except PhotoProblem:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
            raise PhotoProblem(
                _("is damaged or cut short ({problem})", problem=exc),
                _("copy the picture again from the camera or the sender"),
            ) from None
    extension, mime = _FORMATS[kind]
    kept = _kept_exif(exif) if settings.keep_copyright else b""
    width, height = upright.size
    variants: list[Variant] = []
    sizes = sorted({min(w, width) for w in settings.widths})

    def scaled(source: Image.Image, w: int) -> Image.Image:
        size = (w, max(1, round(height * w / width)))
        return source if source.size == size else source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)

    widest = scaled(upright, sizes[-1])
    # All widths in WebP or none: a <source> offering only the small ones would be chosen on a
    # wide screen too, and shown blurred.
    in_webp = mime != "image/webp" and max(widest.size) <= WEBP_MAX
    for w in sizes:
        resized = scaled(widest, w)  # from the widest variant: as sharp, a fraction of the work
        variants.append(Variant(f"{w}.{extension}", mime, *resized.size))
        _save(resized, folder / variants[-1].file, mime, kept)
        if in_webp:
            variants.append(Variant(f"{w}.webp", "image/webp", *resized.size))
            _save(resized, folder / variants[-1].file, "image/webp", kept)
    original = f"{width}.{extension}"
    if width not in sizes:  # only linked to, never shown in a page: a plain JPEG, quicker to make
        original = f"full.{extension}"
        _save(upright, folder / original, mime, kept, full_size=True)
    return Processed(mime, width, height, width * height, original, tuple(variants))


def _turned(image: Image.Image) -> bool:
    """Whether the EXIF orientation swaps width and height (5 to 8: turned a quarter)."""
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def _planned(kind: str, width: int, height: int, settings: Settings) -> Processed:
    """What ``process`` would publish for a decoded picture of this upright size, without making it."""
    extension, mime = _FORMATS[kind]
    sizes = sorted({min(w, width) for w in settings.widths})

    def size(w: int) -> tuple[int, int]:
        return w, max(1, round(height * w / width))

    in_webp = mime != "image/webp" and max(size(sizes[-1])) <= WEBP_MAX
    variants: list[Variant] = []
    for w in sizes:
        variants.append(Variant(f"{w}.{extension}", mime, *size(w)))
        if in_webp:
            variants.append(Variant(f"{w}.webp", "image/webp", *size(w)))
    original = f"{width}.{extension}" if width in sizes else f"full.{extension}"
    return Processed(mime, width, height, width * height, original, tuple(variants))


def _check_svg(path: Path) -> None:
    found, count = svg.problems(path.read_bytes())
    if found:
        raise PhotoProblem(*svg.describe(found, count))


def _cleaned_gif(path: Path, folder: Path | None, width: int, height: int) -> Processed:
    """A GIF, already decoded once, written into ``folder`` without its metadata."""
    try:
        data = clean_gif(path.read_bytes())
    except ValueError as exc:  # clean_gif says what is wrong as a Message
        problem = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else exc
        raise PhotoProblem(
            _("is damaged or cut short ({problem})", problem=problem), _("copy the picture again from the sender")
        ) from None
    if folder is not None:
        (folder / "full.gif").write_bytes(data)
    variant = Variant("full.gif", "image/gif", width, height)
    return Processed("image/gif", width, height, width * height, "full.gif", (variant,))


def clean_gif(data: bytes) -> bytes:
    """The GIF without what is not pictures: comments, XMP, colour profiles, other applications'
    blocks, plain-text blocks and anything after the end, its frames and timing byte for byte.

    Raises ValueError for a file that does not follow the GIF layout.
    """
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise ValueError(_("not a GIF file"))
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)  # header, screen, global colours
    out = [data[:at]]
    timing = b""  # the graphic control block waiting for the picture it belongs to
    while True:
        if at >= len(data):
            raise ValueError(_("the file ends before its last picture"))
        kind = data[at]
        if kind == 0x3B:  # the end; whatever follows is not part of the picture
            out.append(b";")
            return b"".join(out)
        if kind == 0x2C:  # a frame: descriptor, local colours, LZW code size, data blocks
            if at + 10 > len(data):
                raise ValueError(_("a frame is cut short"))
            start, packed = at, data[at + 9]
            at += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0) + 1
            at = _skip_blocks(data, at)
            out += [timing, data[start:at]]
            timing = b""
        elif kind == 0x21 and at + 1 < len(data):
            label, start = data[at + 1], at
            at = _skip_blocks(data, at + 2)
            if label == 0xF9:
                timing = data[start:at]
            elif label == 0xFF and data[start + 2 : start + 14] in (b"\x0b" + name for name in _GIF_LOOPS):
                out.append(_loop_block(data, start))
            elif label == 0x01:  # plain text, which browsers do not show: its timing goes with it
                timing = b""
        else:
            raise ValueError(_("unexpected byte 0x{byte} at offset {offset}", byte=f"{kind:02X}", offset=str(at)))


def _skip_blocks(data: bytes, at: int) -> int:
    """The offset after a chain of GIF data sub-blocks starting at ``at``."""
    while True:
        if at >= len(data):
            raise ValueError(_("the file ends inside a block"))
        size = data[at]
        at += 1 + size
        if size == 0:
            return at


def _loop_block(data: bytes, start: int) -> bytes:
    """The loop count block alone, without any further sub-blocks hiding other data."""
    sub = data[start + 14 : start + 18]
    loops = sub[2:4] if len(sub) == 4 and sub[:2] == b"\x03\x01" else b"\x00\x00"
    return data[start : start + 14] + b"\x03\x01" + loops + b"\x00"


def _too_large(path: Path, limit: int) -> PhotoProblem:
    saved = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # only to read the size from the header for the message
        with Image.open(path) as image:
            w, h = image.size
        message = _(
            "is {width}×{height} = {pixels:,} pixels, more than max_image_pixels ({limit:,}) allows",
            width=str(w),
            height=str(h),
            pixels=w * h,
            limit=limit,
        )
    except Exception:  # the message still says what matters without the size
        message = _("has too many pixels, more than max_image_pixels ({limit:,}) allows", limit=limit)
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return PhotoProblem(
        message,
        _(
            "make the picture smaller before adding it (4000 px wide is plenty), or raise max_image_pixels in "
            "config.yaml"
        ),
    )


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The picture as it should look: EXIF orientation applied, sRGB, RGB(A), no metadata."""
    icc = image.info.get("icc_profile")
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA", "CMYK"):
        upright = upright.convert("RGBA" if alpha else "RGB")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(profile) or "").lower().replace(" ", ""):
                upright = ImageCms.profileToProfile(upright, profile, _SRGB, outputMode="RGBA" if alpha else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: the pixels are used as they are
    upright = upright.convert("RGBA" if alpha else "RGB")
    upright.info = {}  # what a plugin would otherwise copy into the file: ICC, comment, EXIF
    return upright


def _kept_exif(exif: Image.Exif) -> bytes:
    kept = Image.Exif()
    for tag in _KEPT_TAGS:
        if exif.get(tag):
            kept[tag] = exif[tag]
    return kept.tobytes() if len(kept) else b""


def _save(image: Image.Image, path: Path, mime: str, exif: bytes, full_size: bool = False) -> None:
    if mime == "image/jpeg":
        image.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=not full_size, exif=exif)
    elif mime == "image/png":
        image.save(path, "PNG", optimize=True, exif=exif)
    else:
        image.save(path, "WEBP", quality=WEBP_QUALITY, method=4, exif=exif)


# --- the cache ------------------------------------------------------------------------------


def _load_index(root: Path) -> dict[str, list]:
    try:
        data = json.loads((root / "index.json").read_text(encoding="utf-8"))
        return data["files"] if data.get("pipeline") == PIPELINE else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _save_index(root: Path, files: dict[str, list]) -> None:
    """Remember what each file hashed to; only a shortcut, so a full disk just skips it."""
    temp = root / f".index.{os.getpid()}.tmp"
    try:
        temp.write_text(json.dumps({"pipeline": PIPELINE, "files": files}, sort_keys=True), encoding="utf-8")
        os.replace(temp, root / "index.json")
    except OSError:
        temp.unlink(missing_ok=True)


def _cached(entry: Path) -> Processed | None:
    """The cache entry's result, when it is complete."""
    try:
        data = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        result = Processed(**{**data, "variants": tuple(Variant(**v) for v in data["variants"])})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files = [v.file for v in result.variants] + ([result.original] if result.original else [])
    return result if all((entry / f).is_file() for f in files) else None


def _make_entry(root: Path, key: str, path: Path, settings: Settings) -> Processed:
    """Process into a private folder, then rename it into place: readers never see half an entry."""
    folder = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        result = process(path, folder, settings)
        (folder / "meta.json").write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
        with contextlib.suppress(OSError):  # another build made the same entry meanwhile: as good
            os.rename(folder, root / key)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _clean_leftovers(root: Path, older_than: float = 3600.0) -> None:
    """Remove private folders of builds that were killed while processing."""
    now = time.time()
    for folder in root.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - folder.stat().st_mtime > older_than:
                shutil.rmtree(folder, ignore_errors=True)


# --- the build step -------------------------------------------------------------------------


Progress = Callable[[str, int, int], None]


def attach(
    site_dir: Path,
    config: Config,
    articles: Iterable[Article],
    digests: dict[str, str],
    problems: list[ContentError],
    progress: Progress | None = None,
    read_only: bool = False,
    clean: bool = False,
    bodies: dict[str, BodyPictures] | None = None,
) -> tuple[list[Article], set[str]]:
    """Process the articles' photos and put them in: bodies, featured pictures, files to publish.

    Each returned article has its body's ``<picture>`` holes filled, ``image`` set to a link (the
    featured picture's widest variant, or the web address given), ``picture`` set when that is a
    local file, and ``assets`` listing the files to publish (output path <- image cache file).
    ``digests`` (article source -> digest of what its pages show) gains the pictures' keys: a page
    must be rendered again when a photo changes, even though the Markdown did not. Also returns
    the output paths of ``static/`` files that are published processed, in place of the raw file.
    ``read_only`` (``check``) writes nothing: photos the cache lacks are checked, not made.
    Given ``bodies``, the bodies are left as they are and what fills them is put there instead
    (``fill_pictures`` does it later, for the pages a build renders).
    """
    articles = list(articles)
    settings = Settings.of(config)
    root = site_dir / CACHE
    featured = [_featured(a, site_dir, problems) for a in articles]
    sources = list(dict.fromkeys([u.source for a in articles for u in a.assets] + [f for f in featured if f]))
    results: dict[str, tuple[str, Processed] | PhotoProblem] = {}
    if sources:
        if not read_only:
            root.mkdir(parents=True, exist_ok=True)
            _clean_leftovers(root)
        results = _process_all(site_dir, root, sources, settings, progress, read_only, clean)

    out = []
    origins: dict[str, tuple[str, str]] = {}  # output path -> (original file, first article using it)
    for article, feature in zip(articles, featured, strict=True):
        if not article.assets and not article.image:
            out.append(article)
            continue
        published: dict[str, str] = {}
        uses = list(article.assets)
        pictures = [_use(results[u.source], u, article.source, problems, published) for u in uses]
        picture, image = None, _external(article.image)
        if feature:
            same = [i for i, u in enumerate(uses) if u.source == feature]
            if same:  # also in the body, where any problem with it was told
                picture = pictures[same[0]]
            else:
                output = (picture_paths(article.source, article.image) or ("", feature))[1]
                use = Asset(feature, output, _field_line(site_dir / article.source, "image"))
                uses.append(use)
                picture = _use(results[feature], use, article.source, problems, published)
            image = href(config, picture.large) if picture else ""
        for use in uses:
            first = origins.setdefault(use.output_path, (use.source, article.source))
            if first[0] != use.source:
                problems.append(
                    ContentError(
                        article.source,
                        use.line,
                        _(
                            "image '{source}' would be published as '{output}', like '{other}' ({article})",
                            source=use.source,
                            output=use.output_path,
                            other=first[0],
                            article=first[1],
                        ),
                        _("rename one of the two files"),
                    )
                )
        if bodies is not None:
            bodies[article.source] = BodyPictures(article.assets, tuple(pictures))
        out.append(
            dataclasses.replace(
                article,
                body_html=article.body_html
                if bodies is not None
                else _filled(article.body_html, article.assets, pictures, config),
                image=image,
                picture=picture,
                assets=tuple(Asset(source, output) for output, source in sorted(published.items())),
            )
        )
        keys = [_key(results.get(u.source)) for u in uses]
        mine = hashlib.blake2b(repr((keys, image)).encode(), digest_size=16).hexdigest()
        digests[article.source] = f"{digests.get(article.source, '')}:{mine}"
    replaced = {output for output, (source, _first) in origins.items() if source.startswith("static/")}
    return out, replaced


def _key(result) -> str:
    return result[0] if isinstance(result, tuple) else ""


def _process_all(
    site_dir: Path,
    root: Path,
    sources: list[str],
    settings: Settings,
    progress: Progress | None,
    read_only: bool,
    clean: bool = False,
) -> dict[str, tuple[str, Processed] | PhotoProblem]:
    """Each source's (cache key, result) or problem; what the cache lacks is processed in parallel.

    ``read_only`` (``check``): the cache is only read; what it lacks is decoded and checked, not made.
    ``clean`` (``--clean``): every photo's bytes are read again, whatever its size and mtime say.
    """
    index = _load_index(root)
    known: dict[str, list] = {}
    results: dict[str, tuple[str, Processed] | PhotoProblem] = {}
    todo: list[tuple[str, str]] = []
    for source in sources:
        path = site_dir / source
        recorded_ns = time.time_ns()  # before the stat, as for articles (cache.settled)
        try:
            stat = path.stat()
            hit = None if clean else index.get(source)
            # [size, mtime, digest, recorded]: size and mtime stand for the bytes once settled (cache.RACY_NS)
            if hit and len(hit) == 4 and hit[:2] == [stat.st_size, stat.st_mtime_ns] and settled(hit[1], hit[3]):
                digest, recorded_ns = hit[2], hit[3]
            else:
                with open(path, "rb") as handle:
                    digest = hashlib.file_digest(handle, "blake2b").hexdigest()[:32]
        except OSError as exc:
            results[source] = PhotoProblem(_("cannot be read ({problem})", problem=os_error_text(exc)), warning=True)
            continue
        known[source] = [stat.st_size, stat.st_mtime_ns, digest, recorded_ns]
        key = hashlib.blake2b(f"{digest}:{settings.signature}".encode(), digest_size=16).hexdigest()
        cached = _cached(root / key)
        if cached is not None:
            results[source] = (key, cached)
        else:
            todo.append((source, key))

    def work(item: tuple[str, str]) -> tuple[str, Processed] | PhotoProblem:
        source, key = item
        try:
            if read_only:
                return key, process(site_dir / source, None, settings)
            return key, _make_entry(root, key, site_dir / source, settings)
        except PhotoProblem as problem:
            return problem
        except Exception as exc:  # a file that breaks the decoder in an unforeseen way, or a full disk
            if isinstance(exc, OSError) and _in_cache(exc, root):
                problem = PhotoProblem(_("could not be saved ({problem})", problem=os_error_text(exc)))
                problem.cache_error = OSError(exc.errno, exc.strerror)  # what travels back from a worker
                return problem
            return PhotoProblem(
                _("could not be processed ({problem})", problem=f"{type(exc).__name__}: {exc}"),
                _("save it again as JPEG"),
            )

    if todo:
        if progress:
            progress("photos", 0, len(todo))
        done = map_forked(
            work, todo, minimum=2, progress=(lambda n: progress("photos", n, len(todo))) if progress else None
        )
        results.update({source: result for (source, _key), result in zip(todo, done, strict=True)})
        if progress:
            progress("photos", len(todo), len(todo))
        _stop_when_unwritable(site_dir, root, {s: r.cache_error for s, r in results.items() if _cache_error(r)})
    for source, result in results.items():
        if isinstance(result, tuple) and result[1].pixels > settings.max_pixels:  # limit lowered since
            results[source] = PhotoProblem(
                _(
                    "has {pixels:,} pixels, more than max_image_pixels ({limit:,}) allows",
                    pixels=result[1].pixels,
                    limit=settings.max_pixels,
                ),
                _("make the picture smaller before adding it, or raise max_image_pixels in config.yaml"),
            )
    if known != {s: index.get(s) for s in known} and not read_only:
        _save_index(root, known)
    return results


def _in_cache(exc: OSError, root: Path) -> bool:
    """Whether an error came from writing the photo cache: a full disk, or a file in it."""
    if exc.errno in _FULL_DISK:
        return True
    return bool(exc.filename) and Path(os.fsdecode(exc.filename)).is_relative_to(root)


def _cache_error(result) -> bool:
    return isinstance(result, PhotoProblem) and result.cache_error is not None


def _stop_when_unwritable(site_dir: Path, root: Path, failed: dict[str, OSError]) -> None:
    """One error for the whole build, not one per photo: the pictures are fine, the disk is not."""
    if not failed:
        return
    shown = root.relative_to(site_dir).as_posix() if root.is_relative_to(site_dir) else str(root)
    sources = list(failed)
    more = len(sources) - 1
    photos = (
        ngettext("{first} and {n} more photo", "{first} and {n} more photos", more, first=sources[0])
        if more
        else sources[0]
    )
    full = [e for e in failed.values() if e.errno in _FULL_DISK]
    if full:
        raise OutputError(
            _(
                "the disk is full: the smaller versions of {photos} could not be saved in {folder}/",
                photos=photos,
                folder=shown,
            ),
            _("free some space on the disk that holds the site folder, then build again; nothing was published"),
        )
    raise OutputError(
        _(
            "the photo cache cannot be written ({problem}): the smaller versions of {photos} could not be saved in "
            "{folder}/",
            problem=os_error_text(failed[sources[0]]),
            photos=photos,
            folder=shown,
        ),
        _(
            "make {folder}/ writable (a read-only disk, or a folder of another user), then build again; "
            "nothing was published",
            folder=shown,
        ),
    )


def _use(result, use: Asset, article: str, problems: list[ContentError], published: dict[str, str]):
    """The Picture for one use of a file, adding its files to ``published``; or None, told why."""
    if isinstance(result, PhotoProblem):
        name = posixpath.relpath(use.source, posixpath.dirname(article))
        problems.append(
            ContentError(
                article,
                use.line,
                _("image '{name}' {problem}", name=name, problem=result.message),
                result.hint,
                warning=result.warning,
            )
        )
        return None
    key, processed = result
    return _picture(use.source, use.output_path, key, processed, published)


def _picture(source: str, output: str, key: str, processed: Processed, published: dict[str, str]) -> Picture:
    """Name the published files of one processed file (``published``: output path -> source)."""
    if not processed.original:  # GIF, SVG: published as they are
        published[output] = source
        return Picture(processed.width, processed.height, processed.mime, ((output, processed.width),))
    entry = (CACHE / key).as_posix()
    stem = posixpath.splitext(output)[0]
    published[output] = f"{entry}/{processed.original}"
    srcset, webp = [], []
    for variant in processed.variants:
        if variant.file == processed.original:
            url = output
        else:
            url = f"{stem}-{variant.width}.{key[:8]}.{_EXTENSIONS[variant.mime]}"
            published[url] = f"{entry}/{variant.file}"
        in_webp = variant.mime == "image/webp" and processed.mime != "image/webp"
        (webp if in_webp else srcset).append((url, variant.width))
    widest = processed.variants[-1]
    return Picture(widest.width, widest.height, processed.mime, tuple(srcset), tuple(webp))


def fill_pictures(html: str, fill: BodyPictures, config: Config) -> str:
    """A body's HTML with its pictures put in (``attach`` with ``bodies``)."""
    return _filled(html, fill.uses, fill.pictures, config)


def _filled(html: str, uses: tuple[Asset, ...], pictures, config: Config) -> str:
    def link(url: str) -> str:
        return escape(href(config, url))

    def srcset(candidates) -> str:
        return ", ".join(f"{link(url)} {width}w" for url, width in candidates)

    def source(i: int) -> str:
        picture = pictures[i]
        if picture is None or not picture.webp:
            return ""
        return f'<source type="image/webp" srcset="{srcset(picture.webp)}" sizes="{BODY_SIZES}">'

    def attributes(i: int) -> str:
        picture = pictures[i]
        if picture is None:
            return f' src="{link(uses[i].output_path)}"'
        text = f' src="{link(picture.src)}"'
        if picture.width:
            text += f' srcset="{srcset(picture.srcset)}" sizes="{BODY_SIZES}"'
            text += f' width="{picture.width}" height="{picture.height}"'
        return text

    return fill_holes(html, source, attributes)


def _featured(article: Article, site_dir: Path, problems: list[ContentError]) -> str:
    """The site-relative file of a local featured picture, or "" (none, a web address, missing)."""
    raw = article.image.strip()
    if not raw or _external(raw):
        return ""
    paths = picture_paths(article.source, raw) if not urlsplit(raw).scheme else None
    if paths is None or not (site_dir / paths[0]).is_file():
        line = _field_line(site_dir / article.source, "image")
        problems.append(
            ContentError(
                article.source,
                line,
                _("image '{image}' not found (looked for {path})", image=raw, path=paths[0])
                if paths
                else _("image '{image}' not found", image=raw),
                _("put the picture file there, or give a web address starting with https://"),
                warning=True,
            )
        )
        return ""
    return paths[0]


def _external(raw: str) -> str:
    """A web address given as the featured image, used as it is; "" for anything else."""
    parts = urlsplit(raw.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return raw.strip()
    if not parts.scheme and raw.startswith("//") and parts.netloc:
        return "https:" + raw.strip()
    return ""


def _field_line(path: Path, key: str) -> int:
    """The front-matter line of ``key:`` in an article file, counted as the build counts lines
    (``frontmatter``); 1 when it cannot be found."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    return frontmatter.line_of(text, key) or 1


def cached_digest(site_dir: Path, path: Path) -> str | None:
    """For staging: a file from the image cache is named by its key, so its path is its digest."""
    try:
        return f"photo:{path.relative_to(site_dir / CACHE).as_posix()}"
    except ValueError:
        return None
