"""Score the built site with Lighthouse, the way issue 13 asks: five page kinds, phone and desktop.

Why a script: the scores move with machine load, so they are worth quoting only when measured
the same way each time — the built `output/` served by a plain static server on 127.0.0.1, one
Lighthouse run at a time, the median of several runs per page. Needs Node and the npm package
(`npm install lighthouse@12` in the folder given by --lighthouse) and Debian's Chromium.

    python tools/lighthouse.py --lighthouse /tmp/lh --runs 3
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = "--headless=new --no-sandbox --disable-gpu"


def pick_pages(output: Path) -> dict[str, str]:
    """The five page kinds the issue names, chosen from the built site so the script needs no list."""
    article = next(
        p
        for p in sorted(output.glob("20*/*/*/index.html"))
        if "<picture" in p.read_text(encoding="utf-8") and "video" not in p.read_text(encoding="utf-8")
    )
    category = sorted(output.glob("chuyen-muc/*/index.html"))[0]
    return {
        "home": "/",
        "article": "/" + article.parent.relative_to(output).as_posix() + "/",
        "category": "/" + category.parent.relative_to(output).as_posix() + "/",
        "documents": "/van-ban/",
        "search": "/tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn",
    }


def serve(output: Path) -> http.server.ThreadingHTTPServer:
    """A plain static server, like the host the site is deployed to (no live-reload script)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Lighthouse's requests are not worth a line each."""

    handler = functools.partial(Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def score(lighthouse: Path, url: str, desktop: bool) -> dict[str, int]:
    """One Lighthouse run; scores as the 0–100 integers the report shows."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(lighthouse / "node_modules/.bin/lighthouse"),
            url,
            f"--chrome-flags={FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ]
        if desktop:
            command.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        subprocess.run(command, check=True, env=env, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--lighthouse", type=Path, default=Path("/tmp/lh"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="one page kind (home, article, category, documents, search)")
    args = parser.parse_args()
    pages = pick_pages(args.output)
    if args.only:
        pages = {args.only: pages[args.only]}
    server = serve(args.output)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{'page':10} {'form':8} " + " ".join(f"{c[:6]:>6}" for c in CATEGORIES) + "  (median of runs)")
    worst = 100
    for kind, path in pages.items():
        for desktop in (False, True):
            runs = [score(args.lighthouse, base + path, desktop) for _ in range(args.runs)]
            medians = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
            worst = min(worst, *medians.values())
            form = "desktop" if desktop else "phone"
            perf = "/".join(str(r["performance"]) for r in runs)
            print(f"{kind:10} {form:8} " + " ".join(f"{medians[c]:>6}" for c in CATEGORIES) + f"  perf runs {perf}")
            sys.stdout.flush()
    server.shutdown()
    return 0 if worst >= 98 else 1


if __name__ == "__main__":
    sys.exit(main())
