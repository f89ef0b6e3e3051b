#!/usr/bin/env python3
"""Save-to-reload latency of the live preview, as an editor sees it (issue 5).

    python bench/reload.py SITE [--runs 10] [--article content/2020/x.md]

Starts the real preview server (newsroom.serve.Preview) on a free 127.0.0.1 port, opens the
article in headless Chromium (Playwright driving Debian's /usr/bin/chromium), then repeatedly
edits the article's Markdown by write-to-temp-then-rename and measures the time until the new
text is on the screen without navigating. Prints every run and the median. The SITE folder is
copied to a temporary folder first, so the original is never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from newsroom.config import load_config
from newsroom.content import find_sources, parse_article
from newsroom.serve import Preview
from tools.screenshot import CHROMIUM_ARGS  # one list of flags for Debian's Chromium here


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--article", help="site-relative article file to edit (default: the first one found)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("output", ".cache", ".output*"))
        config = load_config(site)
        source = args.article or next(s for s, _ in find_sources(config))
        path = site / source
        article = parse_article(source, path.read_bytes(), config).article
        assert article is not None, f"{source} does not parse"
        started = time.perf_counter()
        preview = Preview(site, port=0, say=lambda text: None)
        with preview:
            print(f"initial preview build: {time.perf_counter() - started:.2f} s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(preview.url + article.url)
                page.wait_for_timeout(500)  # let the reload channel connect
                text = path.read_text(encoding="utf-8")
                times = []
                for run in range(args.runs):
                    marker = f"Dòng sửa số {run} lúc {time.time_ns()}"
                    temp_file = path.with_name(path.name + ".tmp~")
                    temp_file.write_text(text + f"\n\n{marker}\n", encoding="utf-8")
                    t0 = time.perf_counter()
                    os.replace(temp_file, path)
                    page.wait_for_function(f"() => document.body.innerText.includes({marker!r})", timeout=120_000)
                    times.append(time.perf_counter() - t0)
                    print(f"run {run + 1}: {times[-1]:.3f} s")
                    page.wait_for_timeout(300)
                browser.close()
    print(
        f"median save-to-reload: {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, n={len(times)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
