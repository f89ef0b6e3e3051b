"""What photos cost and save: build time for N phone photos, and bytes a phone downloads.

    python bench/photos.py [--photos 100] [--per-article 4] [--keep DIR]

Makes a temporary site of articles with 4000x3000 phone-like JPEGs (quality 92: a scene of shapes
with texture and sensor noise, about 3.5 MB each), then times:

- the same site without photos, built from scratch (the baseline);
- cold: with photos and an empty photo cache (every photo decoded, resized, encoded);
- warm: one article edited, caches kept (the everyday build); the same with the build cache
  ignored (``clean``: every page rendered and every file written again, photos from their
  cache); and a rebuild with nothing changed.

Wall times depend on what else the machine runs; CPU seconds (this process and its workers)
do not, and divided by the cores they say what an idle machine would take.

And compares, for one article, the bytes of the raw uploads (what the old portal served) with the
variant a phone 390 px wide at device pixel ratio 2 picks: the body column is 390 - 70 = 320 CSS
px, 640 device px, so the narrowest variant at least 640 px wide, in WebP (tests/
test_images_browser.py checks that Chromium makes this choice).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom import BuildOptions, build  # noqa: E402
from newsroom.config import load_config  # noqa: E402
from newsroom.images import CACHE  # noqa: E402

PHONE_CSS_WIDTH, PHONE_DPR, PAGE_MARGINS = 390, 2, 70


def noise_layers(size=(4000, 3000)) -> tuple[Image.Image, Image.Image]:
    """Texture that survives resizing (medium grain) and sensor noise (per pixel); made once."""
    fine = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    medium = Image.merge("RGB", [Image.effect_noise((size[0] // 4, size[1] // 4), 60) for _ in range(3)])
    return medium.resize(size, Image.Resampling.BICUBIC), fine


def phone_photo(path: Path, seed: int, layers: tuple[Image.Image, Image.Image]) -> None:
    """A photo-like 12 MP JPEG at quality 92: a lit scene of large and small shapes, textured and
    noisy like a phone's; about 3.5 MB, like the district's uploads."""
    medium, fine = layers
    w, h = fine.size[0] // 4, fine.size[1] // 4
    rng = random.Random(seed)
    small = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(small)
    top, bottom = [tuple(rng.randrange(40, 230) for _ in range(3)) for _ in range(2)]
    for y in range(h):
        t = y / (h - 1)
        draw.line([(0, y), (w - 1, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(3000):
        x, y = rng.randrange(w), rng.randrange(h)
        big = rng.random() < 0.5
        dx, dy = (
            (rng.randrange(10, 200), rng.randrange(10, 200)) if big else (rng.randrange(2, 12), rng.randrange(2, 12))
        )
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x, y, x + dx, y + dy], fill=tuple(rng.randrange(256) for _ in range(3)))
    scene = small.resize(fine.size, Image.Resampling.BICUBIC)
    photo = Image.blend(Image.blend(scene, medium, 0.25), fine, 0.1)
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=92)


def make_site(root: Path, photos: int, per_article: int, with_photos: bool) -> Path:
    articles = (photos + per_article - 1) // per_article
    (root / "content/2024").mkdir(parents=True)
    (root / "config.yaml").write_text(
        'title: "Bench"\nbase_url: "https://example.test/"\ncategories: ["Tin tức"]\n', encoding="utf-8"
    )
    n = 0
    for a in range(articles):
        body = [f"**Tin số {a}: hội nghị sơ kết công tác.**", "", "Nội dung bài viết. " * 40, ""]
        for _ in range(min(per_article, photos - n)):
            body += [f"![Ảnh {n}](images/anh-{n:03d}.jpg)", f"*Quang cảnh số {n}. Ảnh: Thanh Hồng*", ""]
            n += 1
        if not with_photos:
            body = [line for line in body if not line.startswith(("![", "*Quang"))]
        head = f'---\ntitle: "Tin số {a}"\ncategory: "Tin tức"\ndate: 2024-05-{1 + a % 28:02d} 08:{a % 60:02d}\nauthor: "Thanh Hồng"\n---\n\n'
        (root / f"content/2024/tin-{a:03d}.md").write_text(head + "\n".join(body) + "\n", encoding="utf-8")
    return root


def timed(site: Path, output: Path, **options) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its worker processes) of one build."""

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    started, used = time.perf_counter(), cpu()
    build(site, BuildOptions(output=output, **options))
    return time.perf_counter() - started, cpu() - used


def edit_one(site: Path) -> None:
    path = sorted((site / "content/2024").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nMột câu thêm.\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--per-article", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsroom-photos-"))
    try:
        plain = make_site(folder / "plain", args.photos, args.per_article, with_photos=False)
        site = make_site(folder / "site", args.photos, args.per_article, with_photos=True)
        started = time.perf_counter()
        layers = noise_layers()
        for n in range(args.photos):
            phone_photo(site / f"content/2024/images/anh-{n:03d}.jpg", n, layers)
        print(f"generated {args.photos} photos 4000x3000 in {time.perf_counter() - started:.1f} s")

        cores = len(os.sched_getaffinity(0))
        shutil.rmtree(site / CACHE, ignore_errors=True)
        rows = [("cold: new site, photos unprocessed", timed(plain, plain / "output"), timed(site, site / "output"))]
        edit_one(plain)
        edit_one(site)
        rows.append(("one article edited", timed(plain, plain / "output"), timed(site, site / "output")))
        rows.append(
            (
                "clean: all re-rendered, re-written",
                timed(plain, plain / "output", clean=True),
                timed(site, site / "output", clean=True),
            )
        )
        rows.append(("nothing changed", timed(plain, plain / "output"), timed(site, site / "output")))
        print(f"{'build':36s} {'no photos':>10s} {f'{args.photos} photos':>11s} {'photos add':>11s} {'CPU added':>10s}")
        for label, (wall0, cpu0), (wall1, cpu1) in rows:
            print(f"{label:36s} {wall0:9.2f}s {wall1:10.2f}s {wall1 - wall0:10.2f}s {cpu1 - cpu0:9.2f}s")
        cold_cpu = rows[0][2][1] - rows[0][1][1]
        print(
            f"cold: {cold_cpu / args.photos * 1000:.0f} ms CPU a photo; on {cores} idle cores about "
            f"{cold_cpu / cores:.0f} s for {args.photos} photos"
        )

        widths = load_config(site).image_widths
        needed = (PHONE_CSS_WIDTH - PAGE_MARGINS) * PHONE_DPR
        pick = min((w for w in widths if w >= needed), default=max(widths))
        out = site / "output/2024/images"
        raw = sorted((site / "content/2024/images").glob("*.jpg"))
        raw_bytes = [p.stat().st_size for p in raw]
        picked = [next(out.glob(f"{p.stem}-{pick}.*.webp")).stat().st_size for p in raw]
        per = args.per_article
        print(
            f"one photo, raw upload:           {sum(raw_bytes) / len(raw) / 1e6:6.2f} MB on average\n"
            f"one photo, phone {PHONE_CSS_WIDTH}px @{PHONE_DPR}x picks: {sum(picked) / len(raw) / 1e3:6.1f} KB "
            f"({pick} px WebP)\n"
            f"an article with {per} photos:      {sum(raw_bytes[:per]) / 1e6:.2f} MB before, "
            f"{sum(picked[:per]) / 1e3:.0f} KB after ({sum(raw_bytes[:per]) / sum(picked[:per]):.0f}x less)"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
