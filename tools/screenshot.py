#!/usr/bin/env python3
"""Screenshots of built pages at phone and desktop widths, for looking at the theme.

    python tools/screenshot.py OUTPUT_DIR PATH [PATH...] --out DIR

Serves OUTPUT_DIR on 127.0.0.1 (a free port) and drives Debian's Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--full", action="store_true", help="capture the whole page, not only the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, width, height in (("phone", 390, 844), ("desktop", 1366, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in args.paths:
                page.goto(base + path)
                slug = path.strip("/").replace("/", "_") or "home"
                target = args.out / f"{slug}-{name}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(target)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
