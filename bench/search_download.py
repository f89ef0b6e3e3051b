#!/usr/bin/env python3
"""What one search downloads, as a reader's browser fetches it (issue 14: at 100,000 articles, at most 2× the 10,000 figure).

    python bench/search_download.py OUTPUT [OUTPUT ...] [--json FILE]

Serves each built site's OUTPUT folder on a free 127.0.0.1 port, opens its search page in headless
Chromium (Playwright driving Debian's /usr/bin/chromium) once per query of QUERIES, each time with an
empty cache, and adds up every file of the search index the page fetched until the first page of
results is on the screen: meta.json, the postings shards, the result chunks. Sizes are given as
served (raw) and as a static host that compresses JSON sends them (gzip level 6). Prints a table per
site, the median and the largest query, and, given two sites, the second's figures as a multiple of
the first's (the 100k/10k ratio when called with the 10k output first).

The queries are what a district's readers type into the portal, common and rare, with and without
accents, one with a filter: the kind of words the bench corpus (bench/corpus.py) is made of.
It runs the theme's real search.js, so whatever the browser would download is what is counted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tools.screenshot import CHROMIUM_ARGS  # one list of flags for Debian's Chromium here

QUERIES = [
    {"q": "hội nghị"},
    {"q": "nông thôn mới"},
    {"q": "đảng viên"},
    {"q": "Gia Lâm"},
    {"q": "chuyen doi so"},
    {"q": "OCOP"},
    {"q": "an toàn giao thông"},
    {"q": "Bát Tràng"},
    {"q": "tiêm chủng"},
    {"q": "phòng cháy chữa cháy"},
    {"q": "cải cách hành chính"},
    {"q": "học sinh giỏi", "sap-xep": "moi"},
    {"q": "kết nạp đảng viên", "muc": "dang-doan-the"},
]
SEARCH_PAGE = "tim-kiem/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(output: Path) -> list[dict]:
    """One row per query: what its search fetched from the index (files, raw bytes, gzip bytes)."""
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for query in QUERIES:
                context = browser.new_context()  # an empty cache: a reader's first search
                page = context.new_page()
                fetched: dict[str, bytes] = {}
                page.on("response", lambda r, f=fetched: f.setdefault(r.url, r.body()) if "/index/" in r.url else None)
                page.goto(base + SEARCH_PAGE + "?" + urlencode(query, quote_via=quote))
                searching = json.loads(page.locator("#search-texts").text_content())["searching"]
                page.wait_for_function(
                    "s => { const t = document.getElementById('search-status').textContent; return t && t !== s; }",
                    arg=searching,
                    timeout=120_000,
                )
                page.wait_for_load_state("networkidle")
                status = page.locator("#search-status").text_content()
                shown = page.locator(".search-result").count()
                context.close()
                bodies = list(fetched.values())
                rows.append(
                    {
                        "query": query,
                        "files": len(bodies),
                        "raw": sum(map(len, bodies)),
                        "gzip": sum(len(gzip.compress(b, 6)) for b in bodies),
                        "shown": shown,
                        "status": status,
                    }
                )
            browser.close()
    finally:
        server.shutdown()
    return rows


def _label(query: dict) -> str:
    extra = ", ".join(f"{k}={v}" for k, v in query.items() if k != "q")
    return query["q"] + (f" ({extra})" if extra else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outputs", nargs="+", type=Path, help="built sites' output folders")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    results = {}
    for output in args.outputs:
        rows = measure(output)
        results[str(output)] = rows
        print(f"\n{output}\n")
        print("| query | files | raw KB | gzip KB | results shown |")
        print("|---|---:|---:|---:|---:|")
        for row in rows:
            print(
                f"| {_label(row['query'])} | {row['files']} | {row['raw'] / 1000:.1f} | {row['gzip'] / 1000:.1f} | {row['shown']} |"
            )
        for key in ("raw", "gzip"):
            values = [row[key] for row in rows]
            print(f"{key}: median {statistics.median(values) / 1000:.1f} KB, largest {max(values) / 1000:.1f} KB")
    if len(args.outputs) == 2:
        first, second = (results[str(o)] for o in args.outputs)
        for key in ("raw", "gzip"):
            med = statistics.median(r[key] for r in second) / statistics.median(r[key] for r in first)
            top = max(r[key] for r in second) / max(r[key] for r in first)
            print(f"{key}: second / first: median {med:.2f}×, largest {top:.2f}×")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
