"""In a real browser at phone width: the photo actually downloaded is a small variant.

The built site is served by a plain ``http.server`` on 127.0.0.1 (a free port, stopped at the
end), as a static host would serve it; Chromium at 390 px wide and device scale factor 2 (a
common phone) loads an article with a 4000 px photo, and ``img.currentSrc`` says which file it
chose.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitekit import article, build_ok, write_site
from test_images import big_photo


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the test output clean
        pass


@contextmanager
def serving(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_phone_downloads_a_small_variant_not_the_large_one(browser, tmp_path):
    body = (
        "**Sáng nay, hội nghị khai mạc.**\n\n"
        "![Quang cảnh hội nghị](images/quang-canh.jpg)\n*Quang cảnh hội nghị. Ảnh: Thanh Hồng*\n\n"
        "Nội dung bài.\n"
    )
    site = write_site(tmp_path / "site", {"2024/hoi-nghi.md": article("Hội nghị", "Đảng, đoàn thể", body=body)})
    big_photo(site / "content/2024/images/quang-canh.jpg")
    out = build_ok(site, base_url="http://127.0.0.1/")

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        tab = context.new_page()
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        with serving(out) as address:
            tab.goto(f"{address}/2024/05/hoi-nghi/")
            tab.wait_for_function("document.querySelector('.article-body img').complete")
            chosen = tab.evaluate("document.querySelector('.article-body img').currentSrc")
            home = tab.goto(f"{address}/")
            assert home is not None and home.ok
            tab.wait_for_function("document.querySelector('.card-image img').complete")
            thumbnail = tab.evaluate("document.querySelector('.card-image img').currentSrc")
    finally:
        context.close()

    # 390 px less the page's margins is about 320 CSS px, 640 device pixels: the 800 px WebP.
    assert "/2024/images/quang-canh-800." in chosen and chosen.endswith(".webp"), chosen
    assert chosen in requested
    assert not any("-1200." in url or "-1600." in url or url.endswith("/quang-canh.jpg") for url in requested)
    assert "/2024/images/quang-canh-800." in thumbnail and thumbnail.endswith(".webp"), thumbnail
