#!/usr/bin/env python3
"""Regenerate every generated file of the sample site: photos, document PDFs and the logo.

    python tools/make_sample_media.py [--out DIR] [--only NAME ...] [--list]

The sample site (config.yaml and content/ at the repository root) needs pictures an editor can
judge the theme by, and official documents (văn bản) to fill the "Văn bản" register. Nothing
downloaded can be published without a licence question, so everything is drawn here with Pillow
from fixed seeds: the same bytes on every run with the same Pillow (MEDIA-LICENSE.md: CC0).

Writes into the repository (content/<year>/images/, content/<year>/files/, static/logo.png)
unless ``--out`` names another folder; ``--only`` takes output paths or parts of them. Needs the
DejaVu fonts (Debian: ``apt-get install fonts-dejavu-core``) for Vietnamese text.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
PHOTO_SIZE = (1600, 1067)  # 3:2, the shape of a press camera's frame
JPEG_QUALITY = 82

RGB = tuple[int, int, int]
RED: RGB = (205, 22, 28)
YELLOW: RGB = (255, 221, 0)
SKIN: list[RGB] = [(224, 180, 150), (210, 165, 130), (235, 196, 166), (198, 150, 116)]
HAIR: list[RGB] = [(22, 19, 18), (30, 26, 24), (44, 38, 35), (26, 22, 20), (120, 118, 115)]


# --- fonts and text ---------------------------------------------------------------------


def font(
    size: float, bold: bool = False, serif: bool = False, italic: bool = False, condensed: bool = False
) -> ImageFont.FreeTypeFont:
    """A DejaVu face: it has every Vietnamese letter (Pillow's own bitmap font has none)."""
    name = ("DejaVuSerif" if serif else "DejaVuSans") + ("Condensed" if condensed else "")
    style = ("Bold" if bold else "") + (("Italic" if serif else "Oblique") if italic else "")
    path = FONTS / f"{name}{'-' + style if style else ''}.ttf"
    if not path.is_file():
        sys.exit(f"error: the font {path} is missing; install it with  apt-get install fonts-dejavu-core")
    return ImageFont.truetype(str(path), max(1, round(size)))


def fitted(text: str, max_width: float, size: float, **style) -> ImageFont.FreeTypeFont:
    """The largest face up to ``size`` in which ``text`` fits ``max_width`` (banners of any length)."""
    face = font(size, **style)
    while face.getlength(text) > max_width and size > 6:
        size *= 0.95
        face = font(size, **style)
    return face


def centered_text(draw: ImageDraw.ImageDraw, cx: float, y: float, text: str, face, fill) -> None:
    """Text centred on ``cx`` with its top at ``y``."""
    draw.text((cx - face.getlength(text) / 2, y), text, font=face, fill=fill)


# --- painting helpers -------------------------------------------------------------------


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """A colour ``t`` of the way from ``a`` to ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def shade(color: RGB, factor: float) -> RGB:
    """Darker (< 1) or lighter (> 1) without overflowing."""
    return tuple(max(0, min(255, round(c * factor))) for c in color)  # type: ignore[return-value]


def jitter(rng: random.Random, color: RGB, amount: int = 12) -> RGB:
    """A colour a little different each time: no two shirts or leaves are quite the same."""
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)  # type: ignore[return-value]


def gradient(size: tuple[int, int], stops: list[tuple[float, RGB]]) -> Image.Image:
    """A vertical gradient through ``stops`` (position 0..1, colour): skies, walls, fields."""
    width, height = size
    column = Image.new("RGB", (1, height))
    pixels = column.load()
    for y in range(height):
        t = y / max(1, height - 1)
        for (t0, c0), (t1, c1) in itertools.pairwise(stops):
            if t0 <= t <= t1:
                pixels[0, y] = mix(c0, c1, (t - t0) / max(1e-9, t1 - t0))
                break
        else:
            pixels[0, y] = stops[-1][1] if t > stops[-1][0] else stops[0][1]
    return column.resize((width, height), Image.Resampling.NEAREST)


def paste_gradient(img: Image.Image, box: tuple[int, int, int, int], stops: list[tuple[float, RGB]]) -> None:
    """Fill a rectangle with a vertical gradient."""
    x0, y0, x1, y1 = (round(v) for v in box)
    if x1 > x0 and y1 > y0:
        img.paste(gradient((x1 - x0, y1 - y0), stops), (x0, y0))


def soft_blobs(img: Image.Image, blobs: list[tuple[tuple[float, float, float, float], RGB, int]], blur: float) -> None:
    """Blurred ellipses composited over the picture: clouds, light pools, flower banks.

    The colour layer is painted a little wider than the mask, so the soft edges take the blob's
    own colour rather than a dark fringe.
    """
    layer = Image.new("RGB", img.size)
    mask = Image.new("L", img.size, 0)
    draw, mdraw = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    grow = blur * 2
    for (x0, y0, x1, y1), color, _alpha in blobs:
        draw.ellipse((x0 - grow, y0 - grow, x1 + grow, y1 + grow), fill=color)
    for box, color, alpha in blobs:
        draw.ellipse(box, fill=color)
        mdraw.ellipse(box, fill=alpha)
    img.paste(layer, (0, 0), mask.filter(ImageFilter.GaussianBlur(blur)))


def star(cx: float, cy: float, r: float, rotation: float = -90) -> list[tuple[float, float]]:
    """The five-pointed star of the flag, pointing up."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.radians(rotation + i * 36)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def flag(draw: ImageDraw.ImageDraw, x: float, y: float, w: float, h: float, wave: float = 0.0) -> None:
    """The national flag (red, yellow star), optionally skewed as if it hung in the wind."""
    draw.polygon([(x, y), (x + w, y + wave), (x + w, y + h + wave), (x, y + h)], fill=RED)
    if w > 3:
        draw.polygon(star(x + w / 2, y + h / 2 + wave / 2, min(w, h) * 0.3), fill=YELLOW)


def party_flag(draw: ImageDraw.ImageDraw, x: float, y: float, w: float, h: float, wave: float = 0.0) -> None:
    """The red flag with the yellow hammer and sickle, drawn simply."""
    draw.polygon([(x, y), (x + w, y + wave), (x + w, y + h + wave), (x, y + h)], fill=RED)
    if w > 8:
        cx, cy, r = x + w / 2, y + h / 2 + wave / 2, min(w, h) * 0.28
        draw.arc((cx - r, cy - r, cx + r, cy + r), 200, 70, fill=YELLOW, width=max(1, round(r / 4)))
        draw.line((cx - r * 0.7, cy + r * 0.7, cx + r * 0.5, cy - r * 0.5), fill=YELLOW, width=max(1, round(r / 4)))


@dataclass
class Person:
    """What a person in a crowd wears; drawn at any size."""

    shirt: RGB
    trousers: RGB
    skin: RGB
    hair: RGB
    extra: str = ""  # "scarf" (red pioneer scarf), "sash" (red sash of a recruit), "mask", "cap", "hat"


def crowd_person(
    rng: random.Random, shirts: list[RGB], trousers: list[RGB], extra: str = "", young: bool = False
) -> Person:
    """Someone from a crowd dressed from the given wardrobe (grey hair for some of the grown-ups)."""
    return Person(
        jitter(rng, rng.choice(shirts), 8),
        jitter(rng, rng.choice(trousers), 6),
        rng.choice(SKIN),
        rng.choice(HAIR[:4]) if young or rng.random() < 0.85 else HAIR[4],
        extra,
    )


def standing(draw: ImageDraw.ImageDraw, x: float, feet: float, h: float, who: Person, facing: str = "back") -> None:
    """A standing figure ``h`` pixels tall with its feet at (x, feet), seen from the back or front."""
    head = h * 0.13
    top = feet - h
    shoulder = h * 0.26
    torso_top, hips = top + head * 1.05, feet - h * 0.47
    leg = h * 0.085
    draw.rectangle((x - leg * 1.15, hips - 1, x - leg * 0.1, feet), fill=who.trousers)
    draw.rectangle((x + leg * 0.1, hips - 1, x + leg * 1.15, feet), fill=who.trousers)
    arm = h * 0.06
    for side in (-1, 1):
        ax = x + side * (shoulder / 2 + arm * 0.2)
        draw.rounded_rectangle(
            (ax - arm / 2, torso_top + head * 0.2, ax + arm / 2, hips + h * 0.06), radius=arm / 2, fill=who.shirt
        )
        if facing == "front" or h > 60:
            draw.ellipse((ax - arm / 2, hips + h * 0.04, ax + arm / 2, hips + h * 0.1), fill=who.skin)
    draw.rounded_rectangle(
        (x - shoulder / 2, torso_top, x + shoulder / 2, hips + h * 0.02), radius=max(1, h * 0.05), fill=who.shirt
    )
    if who.extra == "sash":
        draw.line((x - shoulder / 2, torso_top + 2, x + shoulder / 2, hips - 2), fill=RED, width=max(2, round(h / 30)))
    if who.extra == "scarf" and facing == "front":
        draw.polygon([(x - head * 0.4, torso_top), (x + head * 0.4, torso_top), (x, torso_top + head)], fill=RED)
    draw.rectangle((x - head * 0.18, torso_top - head * 0.25, x + head * 0.18, torso_top + 1), fill=who.skin)
    face = (x - head * 0.4, top, x + head * 0.4, top + head)
    if facing == "back":
        draw.ellipse(face, fill=who.hair)
        if who.extra == "scarf":
            draw.rectangle((x - head * 0.5, torso_top - 1, x + head * 0.5, torso_top + head * 0.25), fill=RED)
    else:
        draw.ellipse(face, fill=who.skin)
        draw.chord((face[0] - 1, face[1] - 1, face[2] + 1, face[3] - head * 0.2), 180, 360, fill=who.hair)
        if who.extra == "mask":
            draw.rectangle(
                (x - head * 0.32, top + head * 0.55, x + head * 0.32, top + head * 0.85), fill=(170, 205, 230)
            )
    if who.extra == "cap":
        draw.chord(
            (face[0] - head * 0.05, face[1] - head * 0.1, face[2] + head * 0.05, face[3]), 180, 360, fill=who.shirt
        )
    if who.extra == "hat":  # the conical nón lá
        draw.polygon(
            [(x - head * 1.1, top + head * 0.45), (x + head * 1.1, top + head * 0.45), (x, top - head * 0.5)],
            fill=(226, 210, 160),
        )


def seated_back(draw: ImageDraw.ImageDraw, cx: float, base: float, w: float, who: Person) -> None:
    """Head and shoulders of someone seated, seen from the row behind."""
    head = w * 0.56
    top = base - w * 1.25
    draw.rounded_rectangle((cx - w / 2, top + head * 0.95, cx + w / 2, base), radius=w * 0.28, fill=who.shirt)
    draw.rectangle(
        (cx - head * 0.22, top + head * 0.75, cx + head * 0.22, top + head * 1.05), fill=shade(who.skin, 0.9)
    )
    draw.ellipse((cx - head * 0.45, top, cx + head * 0.45, top + head * 1.05), fill=who.hair)


def tree(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, ground: float, h: float, green: RGB) -> None:
    """A rounded street or schoolyard tree: trunk and clustered crown."""
    draw.rectangle((x - h * 0.035, ground - h * 0.45, x + h * 0.035, ground), fill=(88, 66, 48))
    for _ in range(16):
        r = h * rng.uniform(0.14, 0.24)
        cx = x + rng.uniform(-0.28, 0.28) * h
        cy = ground - h * rng.uniform(0.55, 0.9)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=jitter(rng, shade(green, rng.uniform(0.75, 1.15)), 6))


def finish(
    img: Image.Image, rng: random.Random, blur: float = 0.7, grain: int = 5, vignette: float = 0.22
) -> Image.Image:
    """What makes a drawing read as a photograph: a soft lens, sensor grain, darker corners."""
    img = img.filter(ImageFilter.GaussianBlur(blur))
    noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    noise = noise.point(lambda v: v * (2 * grain) // 255)
    img = ImageChops.add(img, Image.merge("RGB", (noise, noise, noise)), 1.0, -grain)
    if vignette:
        mask = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
        mask = mask.point(lambda v: max(0, v - 110) * 255 // 145)
        dark = ImageChops.multiply(img, Image.new("RGB", img.size, shade((255, 255, 255), 1 - vignette)))
        img = Image.composite(dark, img, mask)
    return img


# --- scenes -----------------------------------------------------------------------------


def conference(
    rng: random.Random, banner: list[str], organiser: str, place_date: str, blue: bool = False
) -> Image.Image:
    """A meeting hall from the back rows: the backdrop with the banner, presidium, audience.

    Party meetings have a red backdrop; state bodies often a blue one. Walls and seats vary with
    the seed so that no two halls look the same.
    """
    w, h = PHOTO_SIZE
    wall = jitter(rng, (150, 122, 98), 22)
    img = gradient(PHOTO_SIZE, [(0, shade(wall, 0.4)), (0.16, shade(wall, 0.62)), (0.55, wall), (1, shade(wall, 0.64))])
    backdrop = ((26, 70, 150), (14, 44, 110)) if blue else ((214, 30, 34), (170, 14, 20))
    seats = rng.choice([((150, 26, 32), (128, 18, 26)), ((40, 60, 120), (30, 44, 96)), ((150, 26, 32), (128, 18, 26))])
    draw = ImageDraw.Draw(img)
    soft_blobs(img, [((x - 60, 20, x + 60, 70), (255, 240, 205), 190) for x in range(120, w, 230)], 18)
    # Side curtains and the backdrop.
    paste_gradient(img, (150, 120, 330, 700), [(0, (120, 20, 26)), (1, (70, 10, 14))])
    paste_gradient(img, (1270, 120, 1450, 700), [(0, (120, 20, 26)), (1, (70, 10, 14))])
    for x in range(160, 330, 22):
        draw.line((x, 120, x + 6, 700), fill=(90, 14, 20), width=4)
        draw.line((x + 1280 - 160 + 110, 120, x + 1280 - 160 + 116, 700), fill=(90, 14, 20), width=4)
    bx0, by0, bx1, by1 = 330, 140, 1270, 560
    paste_gradient(img, (bx0, by0, bx1, by1), [(0, backdrop[0]), (1, backdrop[1])])
    draw.rectangle((bx0, by0, bx1, by1), outline=(226, 178, 60), width=5)
    draw.polygon(star(800, 205, 40), fill=YELLOW)
    small = fitted(organiser, (bx1 - bx0) * 0.7, 26, bold=True)
    centered_text(draw, 800, 258, organiser, small, (255, 246, 220))
    y = 305
    for line in banner:
        face = fitted(line, (bx1 - bx0) * 0.9, 50, bold=True)
        centered_text(draw, 800, y, line, face, YELLOW)
        y += face.size * 1.3
    centered_text(draw, 800, min(y + 8, 452), place_date, font(22, italic=True), (255, 240, 220))
    # Stage, presidium table and flowers.
    paste_gradient(img, (0, 560, w, 640), [(0, (120, 82, 54)), (1, (88, 58, 38))])
    for x in range(470, 1140, 95):
        who = Person(
            rng.choice([(40, 44, 58), (235, 235, 230), (48, 52, 66)]), (30, 30, 40), rng.choice(SKIN), rng.choice(HAIR)
        )
        cx = x + 40 + rng.uniform(-6, 6)
        draw.rounded_rectangle((cx - 26, 518, cx + 26, 560), radius=10, fill=who.shirt)
        draw.ellipse((cx - 13, 486, cx + 13, 516), fill=who.skin)
        draw.chord((cx - 14, 484, cx + 14, 506), 180, 360, fill=who.hair)
    paste_gradient(img, (440, 545, 1160, 600), [(0, (246, 246, 242)), (1, (206, 210, 214))])
    draw.rectangle((440, 586, 1160, 600), fill=(30, 70, 150))
    for x in range(470, 1140, 95):
        draw.rectangle((x + 28, 548, x + 52, 560), fill=(250, 250, 250), outline=(170, 40, 40))
        draw.rectangle((x + 60, 534, x + 66, 560), fill=(200, 225, 240))
        draw.line((x + 34, 548, x + 30, 524), fill=(30, 30, 34), width=3)
    # Bust on a pedestal with flags (left), lectern (right).
    draw.line((196, 250, 196, 560), fill=(200, 170, 90), width=4)
    draw.line((286, 250, 286, 560), fill=(200, 170, 90), width=4)
    flag(draw, 198, 252, 80, 54, 6)
    party_flag(draw, 288, 252, 80, 54, 6)
    draw.rectangle((215, 470, 275, 600), fill=(235, 228, 210))
    draw.ellipse((223, 408, 267, 462), fill=(236, 232, 222))
    draw.rounded_rectangle((208, 448, 282, 484), radius=18, fill=(236, 232, 222))
    draw.polygon([(1190, 470), (1250, 470), (1240, 600), (1200, 600)], fill=(120, 70, 40))
    draw.polygon(star(1220, 510, 14), fill=YELLOW)
    blooms = [((x - 40, 588, x + 40, 660), (50, 96, 44), 255) for x in range(290, 1320, 50)]
    for _ in range(220):
        x, y = rng.uniform(300, 1300), rng.uniform(588, 624)
        r = rng.uniform(5, 10)
        blooms.append(
            (
                (x - r, y - r, x + r, y + r),
                rng.choice([(225, 30, 40), (250, 210, 40), (250, 250, 245), (60, 120, 50), (240, 120, 150)]),
                255,
            )
        )
    soft_blobs(img, blooms, 2)
    draw = ImageDraw.Draw(img)
    paste_gradient(img, (0, 640, w, h), [(0, (92, 64, 50)), (1, (60, 40, 32))])
    # Audience rows from the stage towards the camera, with the aisle.
    rows = 9
    shirts = [
        (245, 245, 240),
        (205, 218, 236),
        (42, 46, 62),
        (62, 72, 92),
        (112, 122, 82),
        (232, 232, 226),
        (170, 190, 215),
    ]
    for r in range(rows):
        t = r / (rows - 1)
        base = 680 + (h + 40 - 680) * (t**1.35)
        seat = 52 + 135 * t**1.4
        draw.rounded_rectangle((-20, base - seat * 0.3, w + 20, base + seat * 0.55), radius=seat * 0.15, fill=seats[0])
        x = -seat * rng.uniform(0, 0.5)
        while x < w + seat:
            aisle = abs(x - w / 2) < seat * 0.7
            if not aisle and rng.random() < 0.93:
                seated_back(draw, x + rng.uniform(-3, 3), base, seat * 0.78, crowd_person(rng, shirts, [(30, 30, 40)]))
            x += seat * 1.02
        draw.rectangle((-20, base, w + 20, base + seat * 0.5), fill=seats[1])
        draw.line((-20, base, w + 20, base), fill=shade(seats[0], 1.15), width=max(2, round(seat / 30)))
    return finish(img, rng)


def sky(img: Image.Image, rng: random.Random, horizon: int, clouds: int = 9) -> None:
    """A hazy northern-Vietnam sky down to ``horizon``, with a few soft clouds."""
    paste_gradient(
        img, (0, 0, img.width, horizon), [(0, (104, 154, 214)), (0.7, (170, 200, 228)), (1, (214, 226, 234))]
    )
    blobs = []
    for _ in range(clouds):
        cx, cy = rng.uniform(0, img.width), rng.uniform(horizon * 0.08, horizon * 0.6)
        for _ in range(7):
            rx, ry = rng.uniform(50, 140), rng.uniform(20, 45)
            x, y = cx + rng.uniform(-150, 150), cy + rng.uniform(-20, 20)
            blobs.append(((x - rx, y - ry, x + rx, y + ry), (248, 250, 252), rng.randint(140, 220)))
    soft_blobs(img, blobs, 22)


def treeline(img: Image.Image, rng: random.Random, horizon: int, houses: bool = True) -> None:
    """Village trees, roofs and a far tower on the horizon, bluish with distance."""
    draw = ImageDraw.Draw(img)
    if houses:
        for _ in range(3):
            x = rng.uniform(100, img.width - 100)
            draw.rectangle((x, horizon - rng.uniform(60, 110), x + rng.uniform(24, 40), horizon), fill=(150, 164, 178))
    for x in range(-20, img.width + 20, 14):
        r = rng.uniform(14, 30)
        y = horizon - rng.uniform(4, 22)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=jitter(rng, (70, 100, 74), 8))
    if houses:
        for _ in range(16):
            x, hw = rng.uniform(0, img.width), rng.uniform(18, 40)
            top = horizon - rng.uniform(14, 30)
            draw.rectangle((x, top, x + hw, horizon), fill=jitter(rng, (226, 220, 204), 10))
            draw.polygon(
                [(x - 4, top), (x + hw / 2, top - hw * 0.35), (x + hw + 4, top)], fill=jitter(rng, (164, 76, 56), 12)
            )
    draw.rectangle((0, horizon - 3, img.width, horizon + 2), fill=(88, 110, 80))


def rice_field(rng: random.Random, sign: list[str], ripe: bool = False) -> Image.Image:
    """Rice paddies either side of a concrete village road, power poles, a commune sign."""
    w, h = PHOTO_SIZE
    horizon = 440
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, horizon + 2)
    treeline(img, rng, horizon)
    far, near = ((176, 170, 84), (214, 180, 60)) if ripe else ((104, 150, 86), (104, 168, 52))
    paste_gradient(img, (0, horizon, w, h), [(0, far), (1, near)])
    draw = ImageDraw.Draw(img)
    vx = 860
    # Bunds between paddies, converging on the vanishing point.
    for k in range(-14, 15):
        x_bottom = vx + k * 260
        draw.line((vx + k * 8, horizon, x_bottom, h), fill=shade(near, 0.82), width=3)
    for y in (468, 505, 566, 668, 842):
        tilt = rng.uniform(-12, 12)
        draw.line((0, y - tilt, w, y + tilt), fill=shade(far, 0.88), width=max(2, (y - horizon) // 70))
    # Rice tufts, bigger towards the camera.
    for _ in range(9000):
        y = horizon + (h - horizon) * rng.random() ** 1.6
        t = (y - horizon) / (h - horizon)
        x = rng.uniform(0, w)
        size = 2 + 26 * t
        color = jitter(rng, shade(mix(far, near, t), rng.uniform(0.8, 1.2)), 8)
        draw.line((x, y, x + rng.uniform(-0.3, 0.3) * size, y - size), fill=color, width=max(1, round(size / 7)))
    # The road and a ditch of water beside it.
    road = [(vx - 6, horizon), (vx + 6, horizon), (1180, h), (520, h)]
    draw.polygon(road, fill=(176, 176, 170))
    shoulder = [(vx + 6, horizon), (vx + 10, horizon), (1250, h), (1180, h)]
    draw.polygon(shoulder, fill=(150, 140, 110))
    water = [(vx + 10, horizon), (vx + 16, horizon), (1420, h), (1250, h)]
    draw.polygon(water, fill=(150, 180, 200))
    for t in (0.25, 0.45, 0.7):
        y = horizon + (h - horizon) * t
        xl, xr = vx - 6 + (520 - vx + 6) * t, vx + 6 + (1180 - vx - 6) * t
        draw.line((xl, y, xr, y), fill=(160, 160, 156), width=max(1, round(4 * t)))
    # Power poles along the road.
    tops = []
    for z in (1.0, 1.6, 2.6, 4.4, 8.0, 16.0):
        s = 1 / z
        x, base = vx + 420 * s, horizon + (h - horizon) * s * 0.9
        draw.line((x, base, x, base - 520 * s), fill=(196, 196, 190), width=max(1, round(10 * s)))
        draw.line(
            (x - 40 * s, base - 500 * s, x + 40 * s, base - 500 * s), fill=(120, 120, 116), width=max(1, round(6 * s))
        )
        tops.append((x, base - 500 * s, s))
    for (x0, y0, s0), (x1, y1, _) in itertools.pairwise(tops):
        for dx in (-36, 36):
            sag = 18 * s0
            draw.line(
                (x0 + dx * s0, y0, (x0 + x1) / 2 + dx * s0 * 0.7, (y0 + y1) / 2 + sag, x1 + dx * s0 * 0.6, y1),
                fill=(70, 70, 70),
                width=1,
            )
    # A rider far down the road.
    rider = Person((40, 90, 160), (40, 40, 50), SKIN[1], HAIR[0], "hat")
    standing(draw, vx - 18, horizon + 78, 48, rider, "back")
    draw.ellipse((vx - 26, horizon + 66, vx - 10, horizon + 82), fill=(30, 30, 34))
    # The commune sign on the left verge.
    sx, sy, sw, sh = 150, 560, 420, 190
    draw.rectangle((sx + 40, sy + sh, sx + 52, sy + sh + 200), fill=(110, 110, 110))
    draw.rectangle((sx + sw - 52, sy + sh, sx + sw - 40, sy + sh + 200), fill=(110, 110, 110))
    paste_gradient(img, (sx, sy, sx + sw, sy + sh), [(0, (20, 96, 170)), (1, (12, 70, 140))])
    draw.rectangle((sx, sy, sx + sw, sy + sh), outline=(240, 240, 240), width=5)
    y = sy + 24
    for i, line in enumerate(sign):
        face = fitted(line, sw - 40, 34 if i else 28, bold=True)
        centered_text(draw, sx + sw / 2, y, line, face, (255, 255, 255) if i else YELLOW)
        y += face.size * 1.35
    return finish(img, rng)


def building(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], floors: int, wall: RGB, rng: random.Random
) -> None:
    """A school or office block face-on: floors of windows behind corridor railings, tiled roof."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=wall)
    draw.polygon([(x0 - 20, y0), (x1 + 20, y0), (x1 - 30, y0 - 46), (x0 + 30, y0 - 46)], fill=(168, 70, 50))
    storey = (y1 - y0) / floors
    for f in range(floors):
        top = y0 + f * storey
        draw.rectangle((x0, top + storey - 10, x1, top + storey), fill=shade(wall, 0.8))
        x = x0 + 30
        while x + 60 < x1 - 20:
            draw.rectangle((x, top + storey * 0.22, x + 60, top + storey * 0.8), fill=(235, 235, 230))
            draw.rectangle(
                (x + 5, top + storey * 0.22 + 5, x + 55, top + storey * 0.8 - 5), fill=jitter(rng, (70, 96, 120), 10)
            )
            draw.line((x + 30, top + storey * 0.22, x + 30, top + storey * 0.8), fill=(235, 235, 230), width=3)
            x += 92
        rail = top + storey * 0.62
        draw.rectangle((x0, rail, x1, rail + 6), fill=(240, 240, 236))
        for rx in range(round(x0), round(x1), 16):
            draw.line((rx, rail, rx, top + storey - 10), fill=(240, 240, 236), width=2)


def school_yard(rng: random.Random, banner: str, school: str) -> Image.Image:
    """Opening day: pupils in white shirts lined up in the yard before the school and its banner."""
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 330, clouds=5)
    treeline(img, rng, 420, houses=False)
    paste_gradient(img, (0, 420, w, 600), [(0, (96, 120, 84)), (1, (120, 130, 110))])
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 520, w, 600), fill=(226, 220, 200))
    for x in range(0, w, 60):
        draw.rectangle((x, 514, x + 8, 600), fill=(200, 192, 170))
    tree(draw, rng, 90, 600, 520, (58, 110, 52))
    tree(draw, rng, 1520, 610, 560, (62, 116, 50))
    building(draw, (150, 170, 1450, 600), 3, (238, 204, 112), rng)
    # School name over the stairwell, banner on the top floor, flag pole.
    draw.rectangle((680, 120, 920, 600), fill=(242, 214, 130))
    draw.rectangle((700, 134, 900, 170), fill=(20, 80, 160))
    centered_text(draw, 800, 140, school, fitted(school, 190, 22, bold=True), (255, 255, 255))
    draw.rectangle((250, 186, 1350, 244), fill=RED)
    centered_text(draw, 800, 194, banner, fitted(banner, 1060, 40, bold=True), YELLOW)
    draw.line((800, 250, 800, 700), fill=(220, 220, 220), width=7)
    flag(draw, 803, 255, 120, 80, 8)
    paste_gradient(img, (0, 600, w, h), [(0, (180, 172, 160)), (1, (150, 140, 128))])
    for y in range(620, h, 46):
        draw.line((0, y, w, y), fill=(160, 150, 138), width=1)
    # A teacher's stage with a red cloth (left) and potted plants.
    draw.rectangle((180, 560, 560, 640), fill=(180, 24, 30))
    draw.rectangle((200, 520, 520, 560), fill=(240, 240, 236))
    for x in range(220, 520, 60):
        who = Person(
            rng.choice([(245, 245, 245), (210, 60, 90), (240, 220, 130)]),
            (40, 40, 60),
            rng.choice(SKIN),
            rng.choice(HAIR),
        )
        standing(draw, x, 558, 80, who, "front")
    # Class lines of pupils, from the building towards the camera, with gaps between classes.
    rows = 7
    for r in range(rows):
        t = r / (rows - 1)
        feet = 690 + (h + 60 - 690) * t**1.4
        tall = 56 + 150 * t**1.4
        x = 560 - r * 40 + rng.uniform(-10, 10)
        column = 0
        while x < w + tall:
            who = crowd_person(rng, [(248, 248, 246), (244, 244, 240)], [(30, 40, 80), (28, 34, 70)], "scarf", True)
            standing(
                draw, x + rng.uniform(-4, 4), feet + rng.uniform(-3, 3), tall * rng.uniform(0.9, 1.05), who, "back"
            )
            column += 1
            x += tall * (0.95 if column % 4 == 0 else 0.5)
    return finish(img, rng)


@dataclass
class View:
    """A simple pinhole camera: metres in the street to pixels in the frame."""

    vx: float  # vanishing point
    horizon: float
    focal: float  # pixels per metre at one metre away
    eye: float  # camera height, metres

    side: float = 0.0  # where the camera stands across the street, metres

    def at(self, x: float, y: float, z: float) -> tuple[float, float]:
        """(x across, y up, z ahead) in metres → pixel."""
        return self.vx + (x - self.side) * self.focal / z, self.horizon + (self.eye - y) * self.focal / z

    def scale(self, z: float) -> float:
        return self.focal / z


def street(rng: random.Random, banner: list[str], flags: bool = True, bunting: bool = True) -> Image.Image:
    """A town street of tube houses dressed with national flags, a banner across it, motorbikes."""
    w, h = PHOTO_SIZE
    view = View(640, 470, 1500, 1.6, 2.5)
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 480, clouds=6)
    draw = ImageDraw.Draw(img)
    # Road and pavements.
    paste_gradient(img, (0, 470, w, h), [(0, (130, 130, 132)), (1, (84, 84, 88))])
    for side in (-1, 1):
        draw.polygon(
            [
                view.at(side * 5.5, 0, 200),
                view.at(side * 9, 0, 200),
                view.at(side * 9, 0, 1.2),
                view.at(side * 5.5, 0, 1.2),
            ],
            fill=(176, 160, 150),
        )
    for z in range(6, 220, 6):
        draw.polygon(
            [view.at(-0.08, 0, z), view.at(0.08, 0, z), view.at(0.08, 0, z + 3), view.at(-0.08, 0, z + 3)],
            fill=(236, 236, 230),
        )
    # Houses on both sides, far ones first.
    palettes = [(236, 226, 196), (214, 196, 160), (240, 236, 226), (210, 222, 228), (236, 206, 176), (196, 210, 190)]
    for side in (-1, 1):
        z = 220.0
        fronts = []
        while z > 9:
            depth = rng.uniform(4, 5.5)
            fronts.append((z - depth, z, rng.uniform(8, 16), jitter(rng, rng.choice(palettes), 10)))
            z -= depth
        for near, far, height, wall in fronts:
            x = side * 9
            poly = [view.at(x, 0, near), view.at(x, height, near), view.at(x, height, far), view.at(x, 0, far)]
            draw.polygon(poly, fill=wall)
            draw.line([poly[1], poly[2]], fill=shade(wall, 0.7), width=max(1, round(view.scale(near) * 0.15)))
            for level in range(1, int(height // 3.2)):
                y = level * 3.2
                for a, b in ((0.2, 0.45), (0.55, 0.8)):
                    za, zb = near + (far - near) * a, near + (far - near) * b
                    win = [
                        view.at(x, y + 0.8, za),
                        view.at(x, y + 2.4, za),
                        view.at(x, y + 2.4, zb),
                        view.at(x, y + 0.8, zb),
                    ]
                    draw.polygon(win, fill=jitter(rng, (76, 92, 104), 12))
                draw.line(
                    [view.at(x, y, near), view.at(x, y, far)],
                    fill=shade(wall, 0.8),
                    width=max(1, round(view.scale(near) * 0.1)),
                )
            shop = [view.at(x, 0, near), view.at(x, 2.6, near), view.at(x, 2.6, far), view.at(x, 0, far)]
            draw.polygon(shop, fill=jitter(rng, (60, 56, 52), 10))
            if flags:
                pole_base = view.at(x - side * 0.1, height * 0.62, near + 0.6)
                tip = view.at(x - side * 1.5, height * 0.62 + 1.2, near + 0.6)
                s = view.scale(near + 0.6)
                draw.line([pole_base, tip], fill=(60, 60, 60), width=max(1, round(s * 0.04)))
                fw, fh = 1.3 * s, 0.9 * s
                fx = tip[0]
                (flag if rng.random() < 0.8 else party_flag)(
                    draw, fx - (fw if side > 0 else 0), tip[1], fw, fh, fh * 0.08
                )
    # Street trees and people on the pavements.
    for z in (150, 105, 75, 52):
        for side in (-1, 1):
            px, py = view.at(side * 7.6, 0, z)
            tree(draw, rng, px, py, 4.2 * view.scale(z), (60, 112, 56))
    for _ in range(10):
        z = rng.uniform(10, 60)
        px, py = view.at(rng.choice([-1, 1]) * rng.uniform(6, 8.5), 0, z)
        standing(
            draw,
            px,
            py,
            1.6 * view.scale(z),
            crowd_person(rng, [(230, 230, 226), (200, 60, 60), (80, 110, 170)], [(40, 40, 50)]),
            rng.choice(["back", "front"]),
        )
    # Bunting across the street, then the banner.
    if bunting:
        for z in (22, 40, 70):
            left, right = view.at(-9, 7.5, z), view.at(9, 7.5, z)
            n = 26
            for i in range(n):
                t0, t1 = i / n, (i + 1) / n
                sag = math.sin(math.pi * (t0 + t1) / 2) * view.scale(z) * 0.8
                x0 = left[0] + (right[0] - left[0]) * t0
                x1 = left[0] + (right[0] - left[0]) * t1
                y = left[1] + sag
                draw.polygon(
                    [(x0, y), (x1, y), ((x0 + x1) / 2, y + view.scale(z) * 0.5)], fill=RED if i % 2 else YELLOW
                )
            draw.line([left, right], fill=(70, 70, 70), width=1)
    bz = 30
    (x0, y0), (x1, y1) = view.at(-8.2, 6.8, bz), view.at(8.2, 4.4, bz)
    draw.rectangle((x0, y0, x1, y1), fill=RED)
    line_height = (y1 - y0) / (len(banner) + 0.4)
    for i, line in enumerate(banner):
        face = fitted(line, (x1 - x0) * 0.92, line_height * 0.8, bold=True)
        centered_text(draw, (x0 + x1) / 2, y0 + line_height * (0.3 + i), line, face, YELLOW)
    # Motorbikes and riders.
    for _ in range(14):
        z = rng.uniform(12, 90)
        x = rng.uniform(-4.5, 4.5)
        s = view.scale(z)
        px, py = view.at(x, 0, z)
        rider = crowd_person(rng, [(200, 60, 60), (60, 90, 160), (230, 230, 226), (90, 140, 90)], [(40, 40, 50)])
        draw.rounded_rectangle((px - 0.22 * s, py - 0.75 * s, px + 0.22 * s, py), radius=0.1 * s, fill=(34, 34, 38))
        standing(draw, px, py - 0.35 * s, 1.35 * s, rider, "back")
        draw.ellipse((px - 0.2 * s, py - 1.62 * s, px + 0.2 * s, py - 1.3 * s), fill=jitter(rng, (180, 40, 40), 40))
    return finish(img, rng)


def canopy(draw: ImageDraw.ImageDraw, x0: float, x1: float, top: float, ground: float, color: RGB) -> None:
    """A folding event tent: peaked roof with a valance, four poles."""
    mid = (x0 + x1) / 2
    draw.polygon([(x0 - 20, top + 60), (mid, top), (x1 + 20, top + 60)], fill=color)
    draw.rectangle((x0 - 20, top + 60, x1 + 20, top + 90), fill=shade(color, 0.85))
    for x in (x0, x1, x0 + (x1 - x0) * 0.33, x0 + (x1 - x0) * 0.66):
        draw.line((x, top + 90, x, ground), fill=(200, 200, 200), width=6)


def health_post(rng: random.Random, sign: str, banner: str) -> Image.Image:
    """A commune health post on vaccination day: sign with a red cross, a tent, a queue."""
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 522, clouds=5)
    treeline(img, rng, 520, houses=False)
    paste_gradient(img, (0, 520, w, 640), [(0, (104, 130, 90)), (1, (150, 150, 130))])
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 560, w, 640), fill=(226, 222, 206))
    building(draw, (120, 230, 1180, 640), 2, (242, 236, 214), rng)
    draw.rectangle((300, 180, 1000, 236), fill=(24, 86, 160))
    draw.rectangle((318, 190, 354, 226), fill=(255, 255, 255))
    draw.rectangle((331, 194, 341, 222), fill=RED)
    draw.rectangle((322, 203, 350, 213), fill=RED)
    centered_text(draw, 670, 194, sign, fitted(sign, 600, 30, bold=True), (255, 255, 255))
    tree(draw, rng, 1380, 660, 600, (56, 108, 50))
    paste_gradient(img, (0, 640, w, h), [(0, (186, 180, 170)), (1, (150, 144, 136))])
    draw = ImageDraw.Draw(img)
    canopy(draw, 300, 1300, 380, 820, (30, 96, 180))
    face = fitted(banner, 920, 24, bold=True)
    centered_text(draw, 800, 443, banner, face, (255, 255, 255))
    # Tables with nurses in white and masks; people waiting on plastic chairs.
    draw.rectangle((380, 640, 1220, 700), fill=(240, 240, 236))
    draw.rectangle((380, 700, 1220, 760), fill=(220, 220, 216))
    for x in range(450, 1200, 180):
        nurse = Person((246, 248, 250), (240, 240, 240), rng.choice(SKIN), HAIR[0], "mask")
        standing(draw, x, 700, 190, nurse, "front")
        draw.rectangle((x + 40, 626, x + 90, 640), fill=(120, 170, 210))
    draw.rectangle((380, 640, 1220, 660), fill=(236, 236, 232))
    for r, (base, size) in enumerate([(930, 120), (1040, 150), (1160, 190)]):
        x = 260 + r * 50
        while x < w + 100:
            draw.rectangle(
                (x - size * 0.32, base - size * 0.9, x + size * 0.32, base - size * 0.25),
                fill=jitter(rng, (40, 110, 190), 10),
            )
            who = crowd_person(rng, [(230, 120, 140), (240, 240, 236), (120, 160, 210), (250, 200, 90)], [(40, 40, 60)])
            seated_back(draw, x, base - size * 0.25, size * 0.52, who)
            if rng.random() < 0.4:
                kid = crowd_person(rng, [(250, 250, 248)], [(40, 40, 60)], young=True)
                seated_back(draw, x + size * 0.32, base - size * 0.1, size * 0.3, kid)
            x += size * (0.8 if rng.random() < 0.8 else 1.6)
    return finish(img, rng)


def fair(rng: random.Random, arch: list[str], stalls: list[str]) -> Image.Image:
    """A trade fair: an entrance arch, rows of white stalls with banners and goods, visitors."""
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 460, clouds=6)
    treeline(img, rng, 470)
    paste_gradient(img, (0, 470, w, h), [(0, (170, 164, 156)), (1, (132, 126, 120))])
    draw = ImageDraw.Draw(img)
    view = View(800, 470, 1400, 1.6, 0)
    for k in range(-12, 13):
        draw.line((view.vx + k * 3, 470, view.vx + k * 160, h), fill=(150, 144, 138), width=1)
    for z in (4, 5, 6.5, 8.5, 11, 15, 20, 28, 40):
        draw.line((0, view.at(0, 0, z)[1], w, view.at(0, 0, z)[1]), fill=(150, 144, 138), width=1)
    goods = [(196, 60, 40), (230, 180, 60), (120, 80, 40), (60, 130, 70), (240, 230, 200), (150, 40, 80)]
    for side in (-1, 1):
        for i, z in enumerate((90, 70, 54, 42, 33, 26, 20.5, 16, 12.5, 9.8, 7.7, 6.1)):
            x = side * 4
            depth = z * 0.22

            def face(
                y0: float, y1: float, x: float = x, z: float = z, depth: float = depth
            ) -> list[tuple[float, float]]:
                return [view.at(x, y0, z), view.at(x, y1, z), view.at(x, y1, z + depth), view.at(x, y0, z + depth)]

            draw.polygon(face(0, 2.6), fill=(236, 236, 232))
            draw.polygon(face(0.9, 2.0), fill=(150, 140, 130))
            draw.polygon(
                [
                    view.at(x, 2.7, z),
                    view.at(x - side * 0.7, 2.4, z),
                    view.at(x - side * 0.7, 2.4, z + depth),
                    view.at(x, 2.7, z + depth),
                ],
                fill=(250, 250, 248),
            )
            draw.polygon(face(2.05, 2.6), fill=(200, 30, 36) if i % 2 else (24, 86, 160))
            label = stalls[(i + (side > 0) * 3) % len(stalls)]
            size = view.scale(z) * 0.34
            if size > 9:
                (lx, ly), (rx, _) = view.at(x, 2.5, z), view.at(x, 2.5, z + depth)
                draw.text(
                    (min(lx, rx) + 4, ly),
                    label,
                    font=fitted(label, abs(rx - lx) - 8, size, bold=True),
                    fill=(255, 255, 255),
                )
            for _ in range(16):
                gz = z + depth * rng.uniform(0.08, 0.92)
                px, py = view.at(x, rng.uniform(0.95, 1.9), gz)
                s = view.scale(gz) * 0.14
                draw.rectangle((px - s, py - s, px + s, py + s * 0.7), fill=jitter(rng, rng.choice(goods), 16))
    # The entrance arch.
    (ax0, ay0), (ax1, ay1) = view.at(-4.6, 5.6, 22), view.at(4.6, 4.2, 22)
    for x in (ax0, ax1 - 22):
        draw.rectangle((x, ay0, x + 22, view.at(0, 0, 22)[1]), fill=(200, 30, 36))
    draw.rectangle((ax0, ay0, ax1, ay1), fill=(200, 30, 36))
    draw.rectangle((ax0 + 6, ay0 + 6, ax1 - 6, ay1 - 6), outline=YELLOW, width=3)
    line_height = (ay1 - ay0) / (len(arch) + 0.4)
    for i, line in enumerate(arch):
        face = fitted(line, (ax1 - ax0) * 0.9, line_height * 0.78, bold=True)
        centered_text(draw, (ax0 + ax1) / 2, ay0 + line_height * (0.25 + i), line, face, YELLOW)
    # Visitors.
    people = []
    for _ in range(60):
        z = rng.uniform(6, 70)
        people.append((z, rng.uniform(-3.6, 3.6)))
    for z, x in sorted(people, reverse=True):
        px, py = view.at(x, 0, z)
        who = crowd_person(
            rng,
            [(230, 80, 80), (240, 240, 236), (70, 110, 180), (240, 200, 80), (120, 170, 110), (60, 60, 70)],
            [(40, 40, 60), (60, 70, 100), (200, 190, 170)],
        )
        if rng.random() < 0.15:
            who.extra = "hat"
        standing(
            draw, px, py, 1.62 * view.scale(z) * rng.uniform(0.92, 1.05), who, rng.choice(["back", "front", "back"])
        )
    return finish(img, rng)


def cleanup(rng: random.Random, banner: list[str], shirts: list[RGB]) -> Image.Image:
    """Volunteers in union shirts clearing a river bank, their banner held up, bags of rubbish."""
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 400, clouds=7)
    treeline(img, rng, 400)
    paste_gradient(img, (0, 400, w, 560), [(0, (120, 146, 156)), (1, (96, 124, 132))])
    draw = ImageDraw.Draw(img)
    for _ in range(120):
        y = rng.uniform(410, 555)
        x = rng.uniform(0, w)
        draw.line((x, y, x + rng.uniform(20, 90), y), fill=(150, 174, 182), width=1)
    paste_gradient(img, (0, 540, w, h), [(0, (108, 140, 70)), (1, (86, 122, 52))])
    draw.polygon([(0, 700), (w, 610), (w, 690), (0, 790)], fill=(176, 160, 130))
    for _ in range(5000):
        y = 540 + (h - 540) * rng.random() ** 1.3
        x = rng.uniform(0, w)
        size = 3 + 18 * (y - 540) / (h - 540)
        draw.line((x, y, x + rng.uniform(-3, 3), y - size), fill=jitter(rng, (96, 136, 58), 14), width=2)
    # The crowd at work behind and beside the banner, the banner and its bearers, the crowd in front.
    (bx0, by0, bx1, by1) = (470, 640, 1130, 770)
    people = sorted((rng.uniform(640, 1060), rng.uniform(0, w)) for _ in range(40))
    behind = [(feet, x) for feet, x in people if feet <= 700 or bx0 - 70 < x < bx1 + 70]
    for feet, x in behind:
        volunteer(draw, rng, x, feet, shirts)
    for x in (bx0 + 40, bx1 - 40):
        standing(draw, x, 900, 320, crowd_person(rng, shirts, [(40, 40, 60)]), "front")
    draw.rectangle((bx0, by0, bx1, by1), fill=RED)
    for i, line in enumerate(banner):
        face = fitted(line, (bx1 - bx0) * 0.92, 40 if i else 30, bold=True)
        centered_text(draw, 800, by0 + 14 + i * 52, line, face, YELLOW if i else (255, 255, 255))
    for feet, x in people:
        if (feet, x) not in behind:
            volunteer(draw, rng, x, feet, shirts)
    return finish(img, rng)


def volunteer(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, feet: float, shirts: list[RGB]) -> None:
    """One volunteer of a clean-up, bigger nearer the camera, some with a bag of rubbish."""
    t = (feet - 640) / 420
    who = crowd_person(rng, shirts, [(40, 40, 60), (60, 60, 80)])
    if rng.random() < 0.3:
        who.extra = "cap"
    standing(draw, x, feet, 190 + 170 * t, who, rng.choice(["front", "back", "front"]))
    if rng.random() < 0.4:
        s = 26 + 30 * t
        bag = rng.choice([(30, 30, 32), (236, 236, 232), (60, 110, 60)])
        draw.ellipse((x + s * 0.6, feet - s * 1.3, x + s * 1.8, feet), fill=bag)


def service_counter(rng: random.Random, sign: str) -> Image.Image:
    """The one-stop office: counters with staff and screens, a queue display, people waiting."""
    w = PHOTO_SIZE[0]
    img = gradient(
        PHOTO_SIZE, [(0, (232, 230, 222)), (0.55, (214, 210, 200)), (0.56, (186, 176, 164)), (1, (150, 140, 130))]
    )
    draw = ImageDraw.Draw(img)
    soft_blobs(img, [((x - 90, -30, x + 90, 30), (255, 255, 250), 200) for x in range(100, w, 280)], 14)
    draw = ImageDraw.Draw(img)
    draw.rectangle((120, 70, 1480, 150), fill=(24, 86, 160))
    centered_text(draw, 800, 92, sign, fitted(sign, 1300, 40, bold=True), (255, 255, 255))
    draw.rectangle((1160, 180, 1460, 330), fill=(20, 20, 24))
    for i, (n, c) in enumerate((("1005", "Q1"), ("2013", "Q2"), ("3008", "Q3"))):
        draw.text((1180, 190 + i * 44), f"{n}  →  {c}", font=font(32, bold=True), fill=(255, 60, 40))
    draw.rectangle((140, 190, 700, 330), fill=(246, 244, 236), outline=(200, 196, 186), width=3)
    for i, line in enumerate(("Quét mã QR để đánh giá", "mức độ hài lòng")):
        draw.text((170, 214 + i * 44), line, font=font(30, bold=i == 0), fill=(40, 40, 40))
    # Counters with staff in light blue shirts.
    for i, x in enumerate(range(110, 1500, 280)):
        who = Person((150, 190, 230), (40, 40, 60), rng.choice(SKIN), rng.choice(HAIR[:3]))
        standing(draw, x + 130, 700, 300, who, "front")
        draw.rectangle((x + 150, 470, x + 250, 540), fill=(30, 30, 34))
        draw.rectangle((x + 156, 476, x + 244, 534), fill=(120, 170, 210))
        draw.rectangle((x, 540, x + 260, 720), fill=(210, 190, 160))
        draw.rectangle((x, 540, x + 260, 556), fill=(160, 130, 100))
        draw.rectangle((x + 90, 570, x + 170, 610), fill=(255, 255, 255))
        centered_text(draw, x + 130, 576, f"Quầy {i + 1}", font(22, bold=True), (24, 86, 160))
        draw.line((x + 265, 380, x + 265, 560), fill=(200, 220, 230), width=4)
    # Rows of waiting chairs, seen from behind.
    for base, size in ((840, 120), (960, 150), (1090, 190)):
        x = 60 + rng.uniform(0, 60)
        draw.rectangle((0, base - size * 0.28, w, base - size * 0.12), fill=(160, 166, 172))
        while x < w:
            if rng.random() < 0.7:
                who = crowd_person(
                    rng, [(240, 240, 236), (200, 80, 80), (90, 120, 170), (230, 200, 100), (60, 60, 70)], [(40, 40, 60)]
                )
                seated_back(draw, x, base - size * 0.2, size * 0.55, who)
            x += size * 0.75
        draw.rectangle((0, base - size * 0.2, w, base), fill=(120, 126, 134))
    return finish(img, rng)


def send_off(rng: random.Random, banner: list[str]) -> Image.Image:
    """Recruits in green with red sashes lined up before the stage on the district square."""
    w, h = PHOTO_SIZE
    img = Image.new("RGB", PHOTO_SIZE)
    sky(img, rng, 560, clouds=6)
    treeline(img, rng, 560)
    paste_gradient(img, (0, 560, w, 620), [(0, (150, 150, 140)), (1, (170, 166, 158))])
    draw = ImageDraw.Draw(img)
    paste_gradient(img, (200, 170, 1400, 520), [(0, (214, 30, 34)), (1, (170, 14, 20))])
    draw.polygon(star(800, 225, 38), fill=YELLOW)
    y = 280
    for line in banner:
        face = fitted(line, 1080, 56, bold=True)
        centered_text(draw, 800, y, line, face, YELLOW)
        y += face.size * 1.35
    for x in (220, 1300):
        flag(draw, x, 180, 80, 54, 5)
    paste_gradient(img, (120, 520, 1480, 600), [(0, (200, 30, 36)), (1, (150, 20, 26))])
    paste_gradient(img, (0, 600, w, h), [(0, (170, 166, 158)), (1, (130, 126, 120))])
    draw = ImageDraw.Draw(img)
    for x in range(300, 1300, 100):
        who = Person(
            rng.choice([(40, 44, 58), (246, 246, 242), (90, 104, 60)]), (30, 30, 40), rng.choice(SKIN), rng.choice(HAIR)
        )
        standing(draw, x, 560, 120, who, "front")
    for row in range(6):
        t = row / 5
        feet = 680 + 380 * t**1.3
        tall = 110 + 200 * t**1.3
        x = 130 + (row % 2) * tall * 0.25
        while x < w - 80:
            who = crowd_person(rng, [(84, 104, 58)], [(78, 96, 52)], "sash", True)
            standing(draw, x, feet, tall * rng.uniform(0.96, 1.03), who, "back")
            draw.ellipse((x - tall * 0.05, feet - tall * 1.0, x + tall * 0.05, feet - tall * 0.93), fill=(84, 104, 58))
            x += tall * 0.42
    return finish(img, rng)


# --- documents (văn bản) ----------------------------------------------------------------


def serif(size_pt: float, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
    """The documents' face, narrow like the Times New Roman offices print in, sized in points."""
    return font(size_pt * PT, serif=True, bold=bold, italic=italic, condensed=True)


DPI = 150  # bilevel pages at 150 dpi read like a good office scan and stay near 50 KB a page
PAGE = (round(8.27 * DPI), round(11.69 * DPI))  # A4
PT = DPI / 72  # pixels per typographic point


@dataclass
class Document:
    """An official document laid out as Decree 30/2020 sets out (header, number, title, body, signer)."""

    agency: list[str]  # the issuing body, as the top-left block writes it (parent first)
    number: str  # "Số: 45/KH-UBND"
    place_date: str  # "Thanh Trì, ngày 15 tháng 3 năm 2024"
    kind: str  # "KẾ HOẠCH", "THÔNG BÁO", "NGHỊ QUYẾT", "HƯỚNG DẪN"
    subject: list[str]  # the trích yếu under the kind, in lines
    body: list[str]  # paragraphs; one starting with "# " is a bold heading
    signer: list[str]  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    name: str
    recipients: list[str]
    party: bool = False  # a Party document: "ĐẢNG CỘNG SẢN VIỆT NAM" instead of the state motto
    issued: str = ""  # yyyy-mm-dd, for the PDF's own dates


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float, indent: float = 0) -> list[str]:
    """Greedy line breaking by measured width (Vietnamese has spaces between every syllable)."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if face.getlength(trial) + (indent if not lines else 0) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def justified(draw: ImageDraw.ImageDraw, x: float, y: float, line: str, face, width: float) -> None:
    """One line set flush left and right, as printed documents are."""
    words = line.split()
    if len(words) < 2:
        draw.text((x, y), line, font=face, fill=0)
        return
    gap = (width - sum(face.getlength(word) for word in words)) / (len(words) - 1)
    for word in words:
        draw.text((x, y), word, font=face, fill=0)
        x += face.getlength(word) + gap


class Pages:
    """A4 pages filled top to bottom; a new page starts when the next block does not fit."""

    def __init__(self) -> None:
        self.pages: list[Image.Image] = []
        self.left, self.right = 30 / 25.4 * DPI, PAGE[0] - 20 / 25.4 * DPI
        self.bottom = PAGE[1] - 22 / 25.4 * DPI
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Image.new("L", PAGE, 255))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = 20 / 25.4 * DPI
        if len(self.pages) > 1:
            centered_text(self.draw, PAGE[0] / 2, self.y - 8 * PT, str(len(self.pages)), serif(12), 0)
            self.y += 12 * PT

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    @property
    def width(self) -> float:
        return self.right - self.left


def document_header(pages: Pages, doc: Document) -> None:
    """Agency and number at the left, the national motto (or the Party's name) at the right."""
    draw, top = pages.draw, pages.y
    left_cx, right_cx = pages.left + 130, pages.right - 300
    y = top
    for i, line in enumerate(doc.agency):
        face = serif(12, bold=i == len(doc.agency) - 1 or doc.party)
        centered_text(draw, left_cx, y, line, face, 0)
        y += 17 * PT
    draw.line((left_cx - 60, y + 3, left_cx + 60, y + 3), fill=0, width=2)
    centered_text(draw, left_cx, y + 12 * PT, doc.number, serif(13), 0)
    motto = (
        ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        if doc.party
        else ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    )
    y = top
    for i, line in enumerate(motto):
        face = serif(12.5 if i == 0 else 13.5, bold=True)
        centered_text(draw, right_cx, y, line, face, 0)
        y += 17 * PT
        if (i == 0 and doc.party) or i == 1:
            half = face.getlength(line) / 2 if not doc.party else 110
            draw.line((right_cx - half, y + 2, right_cx + half, y + 2), fill=0, width=2)
    centered_text(
        draw, right_cx, top + 58 * PT if not doc.party else top + 34 * PT, doc.place_date, serif(13, italic=True), 0
    )
    pages.y = top + 92 * PT
    centered_text(draw, PAGE[0] / 2 + 40, pages.y, doc.kind, serif(14, bold=True), 0)
    pages.y += 22 * PT
    for line in doc.subject:
        centered_text(draw, PAGE[0] / 2 + 40, pages.y, line, serif(14, bold=True), 0)
        pages.y += 20 * PT
    draw.line((PAGE[0] / 2 - 40, pages.y + 6, PAGE[0] / 2 + 120, pages.y + 6), fill=0, width=2)
    pages.y += 22 * PT


def document_body(pages: Pages, doc: Document) -> None:
    """Paragraphs justified with a first-line indent; headings in bold."""
    body, bold = serif(13.5), serif(13.5, bold=True)
    leading, indent = 20.5 * PT, 12 / 25.4 * DPI
    for paragraph in doc.body:
        heading = paragraph.startswith("# ")
        face = bold if heading else body
        text = paragraph.removeprefix("# ")
        lines = wrap(text, face, pages.width, indent)
        for i, line in enumerate(lines):
            pages.need(leading)
            x = pages.left + (indent if i == 0 else 0)
            if i == len(lines) - 1:
                pages.draw.text((x, pages.y), line, font=face, fill=0)
            else:
                justified(pages.draw, x, pages.y, line, face, pages.right - x)
            pages.y += leading
        pages.y += 4 * PT


def document_footer(pages: Pages, doc: Document) -> None:
    """Recipients at the left, the signer's block with a signature at the right."""
    pages.need(150 * PT)
    draw, top = pages.draw, pages.y + 10 * PT
    y = top
    draw.text((pages.left, y), "Nơi nhận:", font=serif(12, bold=True, italic=True), fill=0)
    for line in doc.recipients:
        y += 15 * PT
        draw.text((pages.left, y), f"- {line}", font=serif(11), fill=0)
    cx, y = pages.right - 230, top
    for line in doc.signer:
        centered_text(draw, cx, y, line, serif(13, bold=True), 0)
        y += 18 * PT
    rng = random.Random(doc.number)
    sx, sy = cx - 90, y + 40 * PT
    points = [(sx + i * 9, sy + rng.uniform(-18, 18) - i * 1.2) for i in range(22)]
    draw.line(points, fill=0, width=3, joint="curve")
    centered_text(draw, cx, y + 85 * PT, doc.name, serif(13.5, bold=True), 0)


def render_document(doc: Document) -> bytes:
    """The document's PDF: bilevel A4 pages (CCITT G4 in the PDF), dated as the document."""
    pages = Pages()
    document_header(pages, doc)
    document_body(pages, doc)
    document_footer(pages, doc)
    images = [
        page.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE) for page in pages.pages
    ]
    stamp = time.strptime(doc.issued or "2024-01-01", "%Y-%m-%d")
    out = io.BytesIO()
    images[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=DPI,
        title=" ".join([doc.kind.capitalize(), *doc.subject]).replace("  ", " "),
        author=doc.agency[-1],
        creator="tools/make_sample_media.py",
        producer="Pillow",
        creationDate=stamp,
        modDate=stamp,
    )
    return out.getvalue()


# --- the logo ---------------------------------------------------------------------------


def ring_text(img: Image.Image, text: str, center: float, radius: float, face, fill, top: bool = True) -> None:
    """Letters set one by one along a circle, upright to the reader: over the top or under the bottom."""
    widths = [face.getlength(ch) for ch in text]
    total = sum(widths) / radius  # radians the text spans
    angle = -math.pi / 2 - total / 2 if top else math.pi / 2 + total / 2
    for ch, width in zip(text, widths, strict=True):
        step = width / radius
        mid = angle + (step / 2 if top else -step / 2)
        box = round(face.size * 2.2)
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=face, fill=255, anchor="mm")
        rotation = -math.degrees(mid) - 90 if top else -math.degrees(mid) + 90
        glyph = glyph.rotate(rotation, resample=Image.Resampling.BICUBIC)
        x = center + radius * math.cos(mid) - box / 2
        y = center + radius * math.sin(mid) - box / 2
        img.paste(Image.new("RGBA", glyph.size, fill), (round(x), round(y)), glyph)
        angle += step if top else -step


def logo(size: int = 256) -> bytes:
    """The portal's emblem: a red disc with a yellow star, the district's name on a yellow ring."""
    big = size * 4  # drawn large, then reduced: smooth edges without anti-aliased primitives
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = big / 2
    draw.ellipse((8, 8, big - 8, big - 8), fill=(226, 178, 40, 255))
    draw.ellipse((big * 0.035, big * 0.035, big * 0.965, big * 0.965), fill=(196, 20, 28, 255))
    draw.ellipse((big * 0.2, big * 0.2, big * 0.8, big * 0.8), fill=(226, 178, 40, 255))
    draw.ellipse((big * 0.215, big * 0.215, big * 0.785, big * 0.785), fill=(214, 28, 34, 255))
    draw.polygon(star(c, c + big * 0.02, big * 0.25), fill=(255, 214, 0, 255))
    face = font(big * 0.085, bold=True)
    ring_text(img, "HUYỆN THANH TRÌ", c, big * 0.385, face, (255, 220, 60, 255), top=True)
    ring_text(img, "HÀ NỘI", c, big * 0.385, face, (255, 220, 60, 255), top=False)
    for side in (-1, 1):
        draw.polygon(star(c + side * big * 0.355, c + big * 0.06, big * 0.03), fill=(255, 220, 60, 255))
    small = img.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


# --- what the sample site uses ----------------------------------------------------------

UBND = ["ỦY BAN NHÂN DÂN", "HUYỆN THANH TRÌ"]
UBND_SIGNER = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
YOUTH, WOMEN = [(40, 140, 70), (60, 110, 200)], [(60, 110, 200), (226, 110, 140), (240, 240, 236)]


@dataclass
class Photo:
    """One generated photo: where it goes, the scene and the scene's arguments."""

    path: str
    scene: Callable[..., Image.Image]
    args: tuple = field(default_factory=tuple)


PHOTOS = [
    Photo(
        "content/2020/images/tap-huan-dan-van.jpg",
        conference,
        (
            ["LỚP TẬP HUẤN", "NGHIỆP VỤ CÔNG TÁC DÂN VẬN NĂM 2020"],
            "BAN DÂN VẬN HUYỆN ỦY THANH TRÌ",
            "Thanh Trì, ngày 15 tháng 10 năm 2020",
        ),
    ),
    Photo(
        "content/2022/images/ta-thanh-oai-nong-thon-moi.jpg",
        rice_field,
        (["XÃ TẢ THANH OAI", "ĐẠT CHUẨN", "NÔNG THÔN MỚI KIỂU MẪU"],),
    ),
    Photo("content/2022/images/khai-giang-2022.jpg", school_yard, ("LỄ KHAI GIẢNG NĂM HỌC 2022 - 2023", "TRƯỜNG THCS")),
    Photo(
        "content/2022/images/ky-hop-hdnd-cuoi-nam-2022.jpg",
        conference,
        (
            ["KỲ HỌP THƯỜNG LỆ CUỐI NĂM 2022", "HĐND HUYỆN KHÓA XX, NHIỆM KỲ 2021 - 2026"],
            "HỘI ĐỒNG NHÂN DÂN HUYỆN THANH TRÌ",
            "Thanh Trì, ngày 16 tháng 12 năm 2022",
            True,
        ),
    ),
    Photo(
        "content/2023/images/bo-phan-mot-cua.jpg",
        service_counter,
        ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ HUYỆN THANH TRÌ",),
    ),
    Photo(
        "content/2023/images/bieu-duong-dan-van-kheo.jpg",
        conference,
        (
            [
                "GẶP MẶT KỶ NIỆM 93 NĂM NGÀY TRUYỀN THỐNG",
                "CÔNG TÁC DÂN VẬN CỦA ĐẢNG",
                "BIỂU DƯƠNG MÔ HÌNH \u201cDÂN VẬN KHÉO\u201d NĂM 2023",
            ],
            "HUYỆN ỦY THANH TRÌ",
            "Thanh Trì, ngày 12 tháng 10 năm 2023",
        ),
    ),
    Photo(
        "content/2024/images/hoi-nghi-kinh-te-xa-hoi-2024.jpg",
        conference,
        (
            ["HỘI NGHỊ TỔNG KẾT CÔNG TÁC NĂM 2023", "TRIỂN KHAI NHIỆM VỤ NĂM 2024"],
            "ỦY BAN NHÂN DÂN HUYỆN THANH TRÌ",
            "Thanh Trì, ngày 09 tháng 01 năm 2024",
            True,
        ),
    ),
    Photo(
        "content/2024/images/giao-nhan-quan-2024.jpg", send_off, (["LỄ GIAO NHẬN QUÂN NĂM 2024", "HUYỆN THANH TRÌ"],)
    ),
    Photo(
        "content/2024/images/nong-thon-moi-nang-cao-1.jpg",
        rice_field,
        (["HUYỆN THANH TRÌ", "15/15 XÃ ĐẠT CHUẨN", "NÔNG THÔN MỚI NÂNG CAO"], True),
    ),
    Photo(
        "content/2024/images/nong-thon-moi-nang-cao-2.jpg",
        rice_field,
        (["XÃ YÊN MỸ", "ĐẠT CHUẨN", "NÔNG THÔN MỚI NÂNG CAO"],),
    ),
    Photo(
        "content/2024/images/hoi-cho-ocop-1.jpg",
        fair,
        (
            ["HỘI CHỢ SẢN PHẨM OCOP VÀ LÀNG NGHỀ", "HUYỆN THANH TRÌ NĂM 2024"],
            ["OCOP", "GỐM SỨ", "BÁNH CHƯNG", "RAU SẠCH", "ĐỒ GỖ", "BÚN TRIỀU KHÚC"],
        ),
    ),
    Photo(
        "content/2024/images/hoi-cho-ocop-2.jpg",
        fair,
        (
            ["KHU TRƯNG BÀY SẢN PHẨM", "LÀNG NGHỀ TRUYỀN THỐNG"],
            ["BÁNH CHƯNG", "SEN", "MÂY TRE", "OCOP 4 SAO", "RƯỢU", "MIẾN"],
        ),
    ),
    Photo(
        "content/2025/images/dai-hoi-dang-bo-van-dien.jpg",
        conference,
        (
            ["ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ THỊ TRẤN VĂN ĐIỂN", "LẦN THỨ XXII, NHIỆM KỲ 2025 - 2030"],
            "ĐẢNG BỘ HUYỆN THANH TRÌ",
            "Văn Điển, ngày 17 - 18 tháng 4 năm 2025",
        ),
    ),
    Photo(
        "content/2025/images/co-hoa-80-nam-1.jpg",
        street,
        (["NHIỆT LIỆT CHÀO MỪNG 80 NĂM CÁCH MẠNG THÁNG TÁM", "VÀ QUỐC KHÁNH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],),
    ),
    Photo(
        "content/2025/images/co-hoa-80-nam-2.jpg",
        street,
        (["THANH TRÌ", "MỪNG 80 NĂM QUỐC KHÁNH 2/9/1945 - 2/9/2025"], True, False),
    ),
    Photo(
        "content/2025/images/khai-giang-2025.jpg", school_yard, ("LỄ KHAI GIẢNG NĂM HỌC 2025 - 2026", "TRƯỜNG TIỂU HỌC")
    ),
    Photo(
        "content/2025/images/tiem-soi-rubella.jpg",
        health_post,
        ("TRẠM Y TẾ XÃ VĨNH QUỲNH", "TIÊM VẮC XIN SỞI - RUBELLA CHO HỌC SINH"),
    ),
    Photo(
        "content/2025/images/the-gioi-sach-hon.jpg",
        cleanup,
        (["CHIẾN DỊCH", "LÀM CHO THẾ GIỚI SẠCH HƠN NĂM 2025"], YOUTH),
    ),
    Photo(
        "content/2026/images/bau-cu-2026.jpg",
        street,
        (["NGÀY 15/3/2026 - NGÀY HỘI NON SÔNG", "TOÀN DÂN ĐI BẦU CỬ ĐẠI BIỂU QUỐC HỘI VÀ HĐND CÁC CẤP"],),
    ),
    Photo(
        "content/2026/images/phu-nu-phan-loai-rac.jpg",
        cleanup,
        (["HỘI LIÊN HIỆP PHỤ NỮ HUYỆN THANH TRÌ", "PHÂN LOẠI RÁC THẢI TẠI NGUỒN"], WOMEN),
    ),
    Photo(
        "content/2026/images/hoi-nghi-so-ket-6-thang-2026.jpg",
        conference,
        (
            ["HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN", "SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2026"],
            "HUYỆN ỦY THANH TRÌ",
            "Thanh Trì, ngày 10 tháng 7 năm 2026",
        ),
    ),
    Photo(
        "content/2026/images/bo-phan-mot-cua-2026.jpg",
        service_counter,
        ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG HUYỆN THANH TRÌ",),
    ),
]

CAN_CU = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"

DOCUMENTS = {
    "content/2023/files/28-kh-ubnd.pdf": Document(
        UBND,
        "Số: 28/KH-UBND",
        "Thanh Trì, ngày 14 tháng 02 năm 2023",
        "KẾ HOẠCH",
        ["Chuyển đổi số huyện Thanh Trì năm 2023"],
        [
            CAN_CU,
            "Căn cứ Kế hoạch của UBND thành phố Hà Nội về chuyển đổi số, xây dựng thành phố thông minh năm 2023; UBND huyện Thanh Trì ban hành Kế hoạch chuyển đổi số huyện năm 2023 như sau:",
            "# I. MỤC ĐÍCH, YÊU CẦU",
            "1. Đẩy mạnh chuyển đổi số toàn diện trên ba trụ cột chính quyền số, kinh tế số và xã hội số; lấy người dân, doanh nghiệp làm trung tâm, lấy sự hài lòng của người dân làm thước đo hiệu quả phục vụ.",
            "2. Xác định rõ nhiệm vụ, thời hạn hoàn thành và trách nhiệm của từng phòng, ban, đơn vị, UBND các xã, thị trấn; bảo đảm an toàn, an ninh thông tin trong quá trình triển khai.",
            "# II. CHỈ TIÊU CHỦ YẾU",
            "1. 100% văn bản trao đổi giữa các cơ quan hành chính trên địa bàn huyện (trừ văn bản mật) được gửi, nhận dưới dạng điện tử, ký số.",
            "2. Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến đạt từ 70% trở lên; 100% kết quả giải quyết thủ tục hành chính được số hóa.",
            "3. Mỗi xã, thị trấn thành lập ít nhất một Tổ công nghệ số cộng đồng tại từng thôn, tổ dân phố; 80% hộ gia đình có người được hướng dẫn sử dụng dịch vụ công trực tuyến và thanh toán không dùng tiền mặt.",
            "# III. NHIỆM VỤ, GIẢI PHÁP",
            "1. Hoàn thiện hạ tầng số: nâng cấp mạng nội bộ, đường truyền số liệu chuyên dùng tại trụ sở UBND huyện và 16 xã, thị trấn; trang bị thiết bị tại Bộ phận tiếp nhận và trả kết quả các cấp.",
            "2. Phát triển chính quyền số: khai thác hiệu quả hệ thống quản lý văn bản và điều hành, Cổng dịch vụ công, cơ sở dữ liệu quốc gia về dân cư; đẩy mạnh họp trực tuyến giữa huyện và cơ sở.",
            "3. Phát triển kinh tế số, xã hội số: hỗ trợ các chủ thể sản phẩm OCOP đưa sản phẩm lên sàn thương mại điện tử; tuyên truyền kỹ năng số cho người dân qua Tổ công nghệ số cộng đồng.",
            "# IV. TỔ CHỨC THỰC HIỆN",
            "Phòng Văn hóa và Thông tin là cơ quan thường trực, theo dõi, tổng hợp kết quả thực hiện, báo cáo UBND huyện trước ngày 15 tháng 12 năm 2023. Các phòng, ban, đơn vị và UBND các xã, thị trấn căn cứ Kế hoạch này xây dựng kế hoạch của đơn vị, triển khai thực hiện nghiêm túc./.",
        ],
        UBND_SIGNER,
        "Vũ Đình Khoa",
        [
            "Sở Thông tin và Truyền thông (để b/c);",
            "TT Huyện ủy, TT HĐND huyện;",
            "Chủ tịch, các PCT UBND huyện;",
            "Các phòng, ban, đơn vị;",
            "UBND các xã, thị trấn;",
            "Lưu: VT, VHTT.",
        ],
        issued="2023-02-14",
    ),
    "content/2023/files/15-nq-hdnd.pdf": Document(
        ["HỘI ĐỒNG NHÂN DÂN", "HUYỆN THANH TRÌ"],
        "Số: 15/NQ-HĐND",
        "Thanh Trì, ngày 15 tháng 12 năm 2023",
        "NGHỊ QUYẾT",
        ["Về nhiệm vụ phát triển kinh tế - xã hội,", "bảo đảm quốc phòng - an ninh năm 2024"],
        [
            "HỘI ĐỒNG NHÂN DÂN HUYỆN THANH TRÌ KHÓA XX, KỲ HỌP THỨ MƯỜI BỐN",
            CAN_CU,
            "Xét Tờ trình của UBND huyện về nhiệm vụ phát triển kinh tế - xã hội năm 2024; Báo cáo thẩm tra của các Ban HĐND huyện và ý kiến thảo luận của đại biểu HĐND huyện tại kỳ họp,",
            "# QUYẾT NGHỊ:",
            "Điều 1. Thông qua các chỉ tiêu chủ yếu năm 2024: giá trị sản xuất trên địa bàn tăng từ 8,5% trở lên; thu ngân sách nhà nước trên địa bàn đạt 100% dự toán Thành phố giao; tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến đạt từ 75% trở lên; tỷ lệ người dân tham gia bảo hiểm y tế đạt 93,5%; 100% số xã đạt chuẩn nông thôn mới nâng cao.",
            "Điều 2. Nhiệm vụ, giải pháp trọng tâm: hoàn thiện các tiêu chí, hồ sơ đề án thành lập quận; đẩy nhanh giải phóng mặt bằng, giải ngân vốn đầu tư công; siết chặt quản lý trật tự xây dựng, đất đai, môi trường; đẩy mạnh chuyển đổi số; bảo đảm an sinh xã hội, giữ vững quốc phòng - an ninh.",
            "Điều 3. Giao UBND huyện tổ chức thực hiện Nghị quyết. Thường trực HĐND, các Ban HĐND, các Tổ đại biểu và đại biểu HĐND huyện giám sát việc thực hiện Nghị quyết.",
            "Nghị quyết này được HĐND huyện Thanh Trì khóa XX, kỳ họp thứ mười bốn thông qua ngày 15 tháng 12 năm 2023 và có hiệu lực kể từ ngày thông qua./.",
        ],
        ["CHỦ TỊCH"],
        "Trần Thị Minh Nguyệt",
        [
            "Thường trực HĐND Thành phố (để b/c);",
            "TT Huyện ủy;",
            "Đại biểu HĐND huyện;",
            "UBND huyện, UBMTTQ huyện;",
            "HĐND, UBND các xã, thị trấn;",
            "Lưu: VT.",
        ],
        issued="2023-12-15",
    ),
    "content/2024/files/45-kh-ubnd.pdf": Document(
        UBND,
        "Số: 45/KH-UBND",
        "Thanh Trì, ngày 15 tháng 3 năm 2024",
        "KẾ HOẠCH",
        ["Thu gom, phân loại chất thải rắn sinh hoạt tại nguồn", "trên địa bàn huyện Thanh Trì năm 2024"],
        [
            CAN_CU,
            "Căn cứ Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020 và các văn bản hướng dẫn thi hành; UBND huyện Thanh Trì ban hành Kế hoạch thu gom, phân loại chất thải rắn sinh hoạt tại nguồn năm 2024 như sau:",
            "# I. MỤC ĐÍCH, YÊU CẦU",
            "1. Nâng cao nhận thức, trách nhiệm của cán bộ, đảng viên và nhân dân trong việc phân loại chất thải rắn sinh hoạt tại nguồn, góp phần giảm lượng chất thải phải chôn lấp, tiết kiệm tài nguyên và bảo vệ môi trường.",
            "2. Việc phân loại phải thực hiện thống nhất theo ba nhóm: chất thải rắn có khả năng tái sử dụng, tái chế; chất thải thực phẩm; chất thải rắn sinh hoạt khác. Lịch thu gom từng nhóm được công khai tại từng thôn, tổ dân phố.",
            "# II. CHỈ TIÊU",
            "Đến hết năm 2024, 70% hộ gia đình, 100% cơ quan, trường học, trạm y tế trên địa bàn huyện thực hiện phân loại chất thải rắn sinh hoạt tại nguồn; 100% thôn, tổ dân phố có điểm tập kết chất thải đúng quy định.",
            "# III. NHIỆM VỤ, GIẢI PHÁP",
            "1. Tuyên truyền sâu rộng trên hệ thống loa truyền thanh cơ sở, Cổng thông tin điện tử huyện, mạng xã hội; phát tờ gấp hướng dẫn phân loại tới từng hộ gia đình.",
            "2. Xây dựng mỗi xã, thị trấn ít nhất hai mô hình điểm về phân loại chất thải tại nguồn, giao Hội Liên hiệp Phụ nữ, Đoàn Thanh niên làm nòng cốt; nhân rộng mô hình ủ phân hữu cơ từ chất thải thực phẩm tại hộ gia đình.",
            "3. Bố trí phương tiện thu gom riêng theo từng nhóm chất thải, thời gian thu gom phù hợp; xử lý nghiêm các hành vi đổ thải không đúng nơi quy định.",
            "# IV. TỔ CHỨC THỰC HIỆN",
            "Phòng Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị liên quan hướng dẫn, kiểm tra, đôn đốc; tổng hợp kết quả báo cáo UBND huyện định kỳ hằng quý. UBND các xã, thị trấn chịu trách nhiệm tổ chức thực hiện trên địa bàn, bảo đảm hoàn thành chỉ tiêu được giao./.",
        ],
        UBND_SIGNER,
        "Đỗ Mạnh Cường",
        [
            "Sở Tài nguyên và Môi trường (để b/c);",
            "TT Huyện ủy, TT HĐND huyện;",
            "Chủ tịch, các PCT UBND huyện;",
            "Các phòng, ban, đơn vị;",
            "UBND các xã, thị trấn;",
            "Lưu: VT, TNMT.",
        ],
        issued="2024-03-15",
    ),
    "content/2024/files/156-kh-hu.pdf": Document(
        ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "HUYỆN ỦY THANH TRÌ", "*"],
        "Số 156-KH/HU",
        "Thanh Trì, ngày 20 tháng 11 năm 2024",
        "KẾ HOẠCH",
        ["Tổ chức đại hội đảng bộ cơ sở tiến tới Đại hội đại biểu", "Đảng bộ huyện Thanh Trì, nhiệm kỳ 2025 - 2030"],
        [
            "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng và các văn bản hướng dẫn của Thành ủy Hà Nội, Ban Thường vụ Huyện ủy xây dựng Kế hoạch tổ chức đại hội đảng bộ cơ sở nhiệm kỳ 2025 - 2030 như sau:",
            "# I. MỤC ĐÍCH, YÊU CẦU",
            "1. Đại hội đảng bộ cơ sở là đợt sinh hoạt chính trị sâu rộng trong toàn Đảng bộ; đánh giá đúng kết quả thực hiện nghị quyết nhiệm kỳ 2020 - 2025, xác định phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025 - 2030 sát với thực tiễn của từng địa phương, đơn vị.",
            "2. Làm tốt công tác chuẩn bị nhân sự cấp ủy bảo đảm đúng nguyên tắc, quy trình; lựa chọn những đồng chí tiêu biểu về phẩm chất, năng lực, uy tín, có tư duy đổi mới, dám nghĩ, dám làm, dám chịu trách nhiệm.",
            "# II. NỘI DUNG VÀ THỜI GIAN",
            "1. Chọn Đảng bộ thị trấn Văn Điển tổ chức đại hội điểm cấp cơ sở, hoàn thành trong tháng 4 năm 2025, để rút kinh nghiệm chung.",
            "2. Các chi bộ trực thuộc đảng ủy cơ sở tổ chức đại hội xong trước ngày 31 tháng 3 năm 2025; các đảng bộ cơ sở hoàn thành đại hội trước ngày 30 tháng 6 năm 2025.",
            "3. Văn kiện đại hội phải được thảo luận dân chủ, lấy ý kiến đóng góp của cán bộ, đảng viên và nhân dân; công khai trên phương tiện thông tin của địa phương.",
            "# III. TỔ CHỨC THỰC HIỆN",
            "Giao Ban Tổ chức Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy, Ban Tuyên giáo Huyện ủy hướng dẫn, theo dõi, đôn đốc các tổ chức cơ sở đảng thực hiện Kế hoạch, định kỳ báo cáo Ban Thường vụ Huyện ủy./.",
        ],
        ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"],
        "Trần Thị Minh Nguyệt",
        [
            "Ban Tổ chức Thành ủy (để b/c);",
            "Các đồng chí Huyện ủy viên;",
            "Các ban xây dựng Đảng Huyện ủy;",
            "Các đảng ủy, chi ủy cơ sở;",
            "Lưu Văn phòng Huyện ủy.",
        ],
        party=True,
        issued="2024-11-20",
    ),
    "content/2025/files/12-tb-ubnd.pdf": Document(
        UBND,
        "Số: 12/TB-UBND",
        "Thanh Trì, ngày 14 tháng 01 năm 2025",
        "THÔNG BÁO",
        ["Lịch nghỉ Tết Nguyên đán Ất Tỵ 2025", "và phân công trực Tết của UBND huyện"],
        [
            "Thực hiện thông báo của UBND thành phố Hà Nội về việc nghỉ Tết Nguyên đán Ất Tỵ năm 2025 đối với cán bộ, công chức, viên chức và người lao động, UBND huyện Thanh Trì thông báo như sau:",
            "# 1. Thời gian nghỉ Tết",
            "Cán bộ, công chức, viên chức và người lao động các cơ quan, đơn vị thuộc huyện được nghỉ Tết Nguyên đán Ất Tỵ 2025 từ thứ Bảy ngày 25 tháng 01 năm 2025 đến hết Chủ nhật ngày 02 tháng 02 năm 2025 (tức từ ngày 26 tháng Chạp năm Giáp Thìn đến hết ngày mùng 5 tháng Giêng năm Ất Tỵ).",
            "# 2. Phân công trực Tết",
            "Lãnh đạo UBND huyện trực theo lịch kèm theo; Văn phòng HĐND và UBND huyện bố trí cán bộ trực 24/24 giờ, nắm tình hình, tiếp nhận và xử lý thông tin, báo cáo kịp thời lãnh đạo huyện những vụ việc phát sinh.",
            "Các phòng, ban, đơn vị và UBND các xã, thị trấn phân công lãnh đạo, công chức trực Tết; bảo đảm an ninh trật tự, phòng cháy chữa cháy, vệ sinh an toàn thực phẩm; chăm lo Tết cho gia đình chính sách, hộ nghèo, hộ cận nghèo, không để ai không có Tết.",
            "# 3. Chế độ báo cáo",
            "Các đơn vị báo cáo tình hình trong những ngày nghỉ Tết về UBND huyện (qua Văn phòng HĐND và UBND huyện) trước 10 giờ hằng ngày; báo cáo tổng hợp trước 16 giờ ngày 03 tháng 02 năm 2025.",
            "UBND huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        ],
        ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"],
        "Nguyễn Thị Hồng Vân",
        [
            "Chủ tịch, các PCT UBND huyện;",
            "Các phòng, ban, đơn vị;",
            "UBND các xã, thị trấn;",
            "Cổng thông tin điện tử huyện;",
            "Lưu: VT.",
        ],
        issued="2025-01-14",
    ),
    "content/2026/files/215-hd-pgddt.pdf": Document(
        ["UBND HUYỆN THANH TRÌ", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"],
        "Số: 215/HD-PGDĐT",
        "Thanh Trì, ngày 28 tháng 5 năm 2026",
        "HƯỚNG DẪN",
        ["Tuyển sinh vào lớp 1, lớp 6 năm học 2026 - 2027"],
        [
            "Căn cứ Kế hoạch tuyển sinh năm học 2026 - 2027 của Sở Giáo dục và Đào tạo Hà Nội và Kế hoạch của UBND huyện Thanh Trì, Phòng Giáo dục và Đào tạo hướng dẫn các trường tiểu học, trung học cơ sở công lập trên địa bàn huyện tổ chức tuyển sinh như sau:",
            "# 1. Nguyên tắc tuyển sinh",
            "Tuyển sinh đúng tuyến theo địa bàn cư trú được UBND huyện phê duyệt; bảo đảm công khai, minh bạch, tạo thuận lợi cho cha mẹ học sinh; không tổ chức kiểm tra, khảo sát để tuyển sinh vào lớp 1.",
            "# 2. Phương thức tuyển sinh",
            "Thực hiện tuyển sinh trực tuyến kết hợp trực tiếp. Cha mẹ học sinh đăng ký trực tuyến bằng mã tuyển sinh gắn với mã định danh cá nhân của học sinh; có thể đăng nhập bằng tài khoản định danh điện tử.",
            "# 3. Thời gian",
            "Lớp 1: trực tuyến từ 8 giờ ngày 01/7 đến 17 giờ ngày 03/7/2026. Lớp 6: trực tuyến từ 8 giờ ngày 08/7 đến 17 giờ ngày 10/7/2026. Tuyển sinh trực tiếp đối với cả hai khối lớp từ ngày 11/7 đến ngày 16/7/2026.",
            "# 4. Tổ chức thực hiện",
            "Hiệu trưởng các trường thành lập Hội đồng tuyển sinh, công khai kế hoạch, chỉ tiêu, tuyến tuyển sinh tại trường và trên trang thông tin điện tử của trường; báo cáo kết quả về Phòng Giáo dục và Đào tạo trước ngày 25/7/2026./.",
        ],
        ["TRƯỞNG PHÒNG"],
        "Hoàng Thị Bích Ngọc",
        ["UBND huyện (để b/c);", "Các trường TH, THCS công lập;", "UBND các xã, thị trấn;", "Lưu: VT."],
        issued="2026-05-28",
    ),
}


def outputs() -> dict[str, Callable[[], bytes]]:
    """Every generated file, by its path in the repository, with the function that makes it."""
    made: dict[str, Callable[[], bytes]] = {"static/logo.png": logo}
    for photo in PHOTOS:
        made[photo.path] = lambda photo=photo: photo_bytes(photo)
    for path, doc in DOCUMENTS.items():
        made[path] = lambda doc=doc: render_document(doc)
    return made


def photo_bytes(photo: Photo) -> bytes:
    """The photo as a baseline JPEG; the seed is its path, so each is stable and different."""
    img = photo.scene(random.Random(photo.path), *photo.args)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="folder to write into (default: the repository)")
    parser.add_argument("--only", nargs="*", default=[], help="make only the files whose path contains one of these")
    parser.add_argument("--list", action="store_true", help="list the files this script makes and stop")
    args = parser.parse_args(argv)
    made = outputs()
    chosen = [p for p in made if not args.only or any(part in p for part in args.only)]
    if args.list:
        print("\n".join(chosen))
        return 0
    if not chosen:
        print(f"error: no generated file matches {' '.join(args.only)}; see --list", file=sys.stderr)
        return 1
    for path in chosen:
        data = made[path]()
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        unchanged = target.is_file() and target.read_bytes() == data
        if not unchanged:
            target.write_bytes(data)
        print(f"{'unchanged' if unchanged else 'wrote':9} {path} ({len(data) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
