#!/usr/bin/env python3
"""Screenshots of built pages at phone and desktop widths, for looking at the theme.

    python tools/screenshot.py OUTPUT_DIR PATH [PATH...] --out DIR [--full] [--only phone|desktop]

Serves OUTPUT_DIR on 127.0.0.1 (a free port) and drives Debian's Chromium with Playwright. The
widths are the ones issue 13 judges the theme at: a 390 px phone and a 1280 px desktop. A path
may end with ``#print`` to capture the page as it prints (the print stylesheet), or ``#menu`` to
capture it with the phone menu opened.
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
SCREENS = {"phone": (390, 844), "desktop": (1280, 900)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder without a log line per request (the screenshots' paths are printed instead)."""

    def log_message(self, format, *args):
        pass


def _slug(path: str) -> str:
    """A file name for a page path: ``/2024/05/x/#print`` → ``2024_05_x-print``."""
    page, _, mode = path.partition("#")
    page, _, query = page.partition("?")
    slug = page.strip("/").replace("/", "_") or "home"
    return slug + (f"-q-{query.replace('=', '-')}" if query else "") + (f"-{mode}" if mode else "")


def _capture(page, base: str, path: str, target: Path, full: bool) -> None:
    """Load one page, put it in the requested state, and save its picture."""
    url, _, mode = path.partition("#")
    page.emulate_media(media="print" if mode == "print" else "screen")
    page.goto(base + url, wait_until="networkidle")
    if mode == "menu" and page.is_visible("label[for=nav-toggle]"):  # the button is only there on phones
        page.click("label[for=nav-toggle]")
    page.screenshot(path=str(target), full_page=full or mode == "print")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--full", action="store_true", help="capture the whole page, not only the first screen")
    parser.add_argument("--only", choices=sorted(SCREENS), help="only this screen size")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(args.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (width, height) in SCREENS.items():
            if args.only and name != args.only:
                continue
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in args.paths:
                target = args.out / f"{_slug(path)}-{name}.png"
                _capture(page, base, path, target, args.full)
                print(target)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
