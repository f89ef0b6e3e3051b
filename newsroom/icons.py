"""The favicon, the app icons and the web app manifest, made from the publisher's logo.

Every browser asks for ``/favicon.ico`` (a 404 in the console of every page without one), phones
ask for ``apple-touch-icon.png`` when a reader adds the portal to the home screen, and Android
and desktop browsers read ``site.webmanifest`` for its 192 and 512 px icons. All of them are made
here with Pillow from config.yaml's ``publisher.logo``: the logo centred on a white square with a
margin, so a wide or tall logo is never cut. Without a logo they show the header's emblem, a
yellow star on red. The results are cached under the logo's bytes: a build whose logo did not
change copies four small files and decodes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import math
import os
import shutil
import tempfile
import unicodedata
import warnings
from pathlib import Path

from PIL import Image, ImageDraw, PngImagePlugin, UnidentifiedImageError

from .config import Config
from .errors import ContentError
from .i18n import Text, _, os_error_text

THEME_COLOUR = "#b0121b"  # the theme's red: the emblem, the browser's bar (<meta name="theme-color">)
STAR_COLOUR = "#ffde00"
PNG_ICONS = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
FAVICON_SIZES = ((16, 16), (32, 32), (48, 48))
ICON_FILES = ("favicon.ico", *PNG_ICONS)
MAX_LOGO_PIXELS = 50_000_000  # like max_image_pixels: a larger "logo" would take gigabytes to decode
MARGIN = 0.08  # of the side, around the logo: nothing touches the edge, where phones round the corners
_VERSION = b"icons-1"  # change when the drawing changes, so cached icons are made again


def make_icons(logo: Path | None, title: str, cache_dir: Path) -> dict[str, Path]:
    """favicon.ico (16, 32, 48 px), apple-touch-icon.png (180), icon-192.png and icon-512.png.

    Returns each file's name (its path at the site root) and where the made file is, inside
    ``cache_dir``. ``logo`` is the publisher's logo (PNG, JPEG, WebP, GIF); None draws the emblem.
    ``title`` is the site's name, written into the PNGs as their title. A logo that cannot be
    read is a ContentError at the logo's file.
    """
    data = _read_logo(logo) if logo is not None else b""
    key = hashlib.sha256(_VERSION + b"\0" + title.encode() + b"\0" + data).hexdigest()[:20]
    folder = cache_dir / f"icons-{key}"
    made = {name: folder / name for name in ICON_FILES}
    if all(path.is_file() for path in made.values()):
        return made
    files = _drawn(key, logo, title, data)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _write_entry(folder, files)
    except OSError as exc:  # a read-only or full disk: one located error, not a traceback
        raise ContentError(
            str(cache_dir),
            None,
            _("the icons cannot be saved in this folder ({problem})", problem=os_error_text(exc)),
            _("make the folder writable (or free some space), or delete it and build again"),
        ) from None
    if not all(path.is_file() for path in made.values()):
        raise ContentError(
            str(cache_dir), None, _("the icons were not saved in this folder"), _("delete it and build again")
        )
    return made


@functools.lru_cache(maxsize=8)
def _drawn(key: str, logo: Path | None, title: str, data: bytes) -> dict[str, bytes]:
    """The icon files' bytes, drawn once per process and key: a process that builds many sites or the same
    site into a fresh folder (the tests, the preview after --clean) does not resize the same pictures again."""
    square = _square_logo(data, logo) if logo is not None else _emblem(512)
    return _icon_files(square, title)


def manifest(config: Config) -> bytes:
    """site.webmanifest: what a phone needs to put the portal on its home screen like an app."""
    base = config.base_path
    icons = [
        {"src": f"{base}{name}", "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for name, size in PNG_ICONS.items()
        if name != "apple-touch-icon.png"
    ]
    data = {
        "name": config.title,
        "short_name": short_name(config.title),
        "description": config.description,
        "lang": config.language,
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_PLACE_WORDS = ("huyện ", "quận ", "thị xã ", "thành phố ", "tỉnh ", "thị trấn ", "xã ", "phường ")


def short_name(title: str, limit: int = 15) -> str:
    """The name under the icon on a home screen, which shows about 12-15 characters.

    A portal's title names its place last ("Cổng thông tin điện tử huyện Thanh Trì"), so a long
    title gives the place ("Thanh Trì"); a short title is kept whole.
    """
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    folded = unicodedata.normalize("NFC", title).casefold()
    best = max((folded.rfind(word) + len(word) for word in _PLACE_WORDS if word in folded), default=-1)
    place = title[best:].strip() if best > 0 else ""
    return place if 0 < len(place) <= limit else title


# --- making the pictures ------------------------------------------------------------------


def _read_logo(logo: Path) -> bytes:
    try:
        return logo.read_bytes()
    except FileNotFoundError:
        raise _logo_error(
            logo, _("the logo file is not there"), _("put the logo in static/ or correct  logo:")
        ) from None
    except OSError as exc:
        raise _logo_error(
            logo,
            _("the logo cannot be read ({problem})", problem=os_error_text(exc)),
            _("check the file's permissions"),
        ) from None


def _logo_error(logo: Path, message: Text, hint: Text) -> ContentError:
    return ContentError(str(logo), None, message, hint)


def _square_logo(data: bytes, logo: Path) -> Image.Image:
    """The logo on a white 512 px square, scaled to fit inside the margin, transparency flattened."""
    hint = _("save the logo as PNG (a square of 512 × 512 px or more is best)")
    if logo.suffix.lower() == ".svg":
        raise _logo_error(logo, _("the icons cannot be made from an SVG logo"), hint)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_LOGO_PIXELS:
                    raise _logo_error(
                        logo,
                        _(
                            "the logo is too large ({width} × {height} px)",
                            width=str(image.width),
                            height=str(image.height),
                        ),
                        hint,
                    )
                image.seek(0)  # an animated GIF: its first frame
                image.load()
                picture = image.convert("RGBA")
        except ContentError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _logo_error(logo, _("the logo is too large"), hint) from None
        except UnidentifiedImageError:
            raise _logo_error(
                logo, _("the logo is not a picture newsroom can read (PNG, JPEG, WebP, GIF)"), hint
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise _logo_error(
                logo, _("the logo is damaged or cut short"), _("copy it again, or {hint}", hint=hint)
            ) from None
    bounds = picture.getbbox()  # fully transparent borders are not part of the logo
    if bounds:
        picture = picture.crop(bounds)
    side = 512
    inner = round(side * (1 - 2 * MARGIN))
    scale = inner / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    picture = picture.resize(size, Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    square.alpha_composite(picture, ((side - size[0]) // 2, (side - size[1]) // 2))
    return square.convert("RGB")


@functools.lru_cache(maxsize=2)
def _emblem(side: int) -> Image.Image:
    """The header's brand mark as an icon: a yellow five-pointed star on red, drawn 4× and reduced (smooth edges).
    Drawn once per process; callers only read it (resize and save make new images)."""
    big = side * 4
    image = Image.new("RGB", (big, big), THEME_COLOUR)
    draw = ImageDraw.Draw(image)
    centre, outer = big / 2, big * 0.36
    inner = outer * 0.382  # a regular star's inner radius
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + 36 * i)
        points.append((centre + radius * math.cos(angle), centre + big * 0.03 + radius * math.sin(angle)))
    draw.polygon(points, fill=STAR_COLOUR)
    return image.resize((side, side), Image.Resampling.LANCZOS)


def _icon_files(square: Image.Image, title: str) -> dict[str, bytes]:
    """Each icon file's bytes, from the 512 px square."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Title", title)
    files = {}
    for name, size in PNG_ICONS.items():
        out = io.BytesIO()
        square.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True, pnginfo=info)
        files[name] = out.getvalue()
    out = io.BytesIO()
    square.save(out, "ICO", sizes=FAVICON_SIZES)  # Pillow reduces the square to each size
    files["favicon.ico"] = out.getvalue()
    return files


def _write_entry(folder: Path, files: dict[str, bytes]) -> None:
    """Write into a private folder, then rename it into place: a reader never sees half the icons."""
    temp = Path(tempfile.mkdtemp(prefix=".tmp-icons-", dir=folder.parent))
    try:
        for name, data in files.items():
            (temp / name).write_bytes(data)
        if folder.exists():  # a damaged entry (a file missing): replace it
            shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):  # another build made the same icons meanwhile: as good
            os.rename(temp, folder)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
