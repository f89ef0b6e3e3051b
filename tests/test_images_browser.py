"""In a real browser: at phone width the photo downloaded is a small variant; no drawing runs a program.

The built site is served by a plain ``http.server`` on 127.0.0.1 (a free port, stopped at the
end), as a static host would serve it; Chromium at 390 px wide and device scale factor 2 (a
common phone) loads an article with a 4000 px photo, and ``img.currentSrc`` says which file it
chose. A drawing that runs a script (which Chromium is first shown to run, served raw) stops the
build; a plain one is shown in its article and opened on its own without any dialog.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitekit import article, build_ok, run_cli_in_process, write_site
from test_images import big_photo

pytestmark = pytest.mark.slow  # drives Chromium: the whole suite runs it, the quick run does not


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


@pytest.mark.slow
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


HOSTILE_DRAWING = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" onload="alert(\'onload\')">\n'
    '<rect width="120" height="60" fill="#c00"/>\n'
    "<script>document.title = 'pwned'; alert('script')</script>\n"
    "</svg>\n"
)


def _visit(context, url: str, dialogs: list[str]):
    """Open ``url`` in a new tab, noting every dialog (and dismissing it, so the page goes on)."""
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = tab.goto(url)
    assert response is not None and response.ok, url
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(300)  # an onload handler or a script would have run by now
    return tab


@pytest.mark.slow
def test_no_drawing_runs_a_program_in_the_browser(browser, tmp_path):
    from test_svg import BENIGN

    body = "Mở đầu.\n\n![Sơ đồ dân số](images/dan-so.svg)\n*Sơ đồ dân số. Nguồn: UBND xã*\n"
    site = write_site(tmp_path / "site", {"2024/so-do.md": article("Sơ đồ dân số", body=body)})
    images = site / "content/2024/images"
    images.mkdir(parents=True)
    (images / "dan-so.svg").write_text(BENIGN, encoding="utf-8")
    (images / "doc-hai.svg").write_text(HOSTILE_DRAWING, encoding="utf-8")
    out = build_ok(site, base_url="http://127.0.0.1/")

    # The hostile drawing, shown in an article, stops the build: the site online stays as it was.
    source = site / "content/2024/so-do.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n![Độc hại](images/doc-hai.svg)\n", encoding="utf-8")
    result = run_cli_in_process("build", "--site", str(site), "--base-url", "http://127.0.0.1/")
    assert result.returncode == 1 and "images/doc-hai.svg' is not safe to publish" in result.stderr
    assert not list(out.rglob("doc-hai*"))

    context = browser.new_context()
    try:
        # What the browser would have done with it, had it been published as before: a check
        # that this browser really reports what a drawing runs.
        control: list[str] = []
        with serving(images) as address:
            tab = _visit(context, f"{address}/doc-hai.svg", control)
            assert tab.title() == "pwned" and "script" in control, control

        dialogs: list[str] = []
        with serving(out) as address:
            tab = _visit(context, f"{address}/2024/05/so-do/", dialogs)
            title = tab.title()
            drawing = tab.locator(".article-body img").first
            assert drawing.get_attribute("src") == "/2024/images/dan-so.svg"
            assert tab.evaluate("img => img.complete && img.naturalWidth", drawing.element_handle()) == 240
            tab = _visit(context, f"{address}/2024/images/dan-so.svg", dialogs)
            assert tab.title() == "Sơ đồ dân số xã Tả Thanh Oai"  # its own <title>, not a script's
    finally:
        context.close()
    assert dialogs == [] and "pwned" not in title
