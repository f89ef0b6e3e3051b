"""In Chromium: an article with a YouTube video, a local video and a document asks nothing of another host
until the reader clicks play; then the youtube-nocookie.com player is put in.

The built site is served by a plain ``http.server`` on 127.0.0.1. Every request the page makes is
recorded (``page.on("request")``); requests to any other host are answered by the test itself
(``page.route``), so the test needs no network and nothing reaches YouTube.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitekit import article, build_ok, write_site
from test_media import PDF, VIDEO_ID, mp4

pytestmark = pytest.mark.slow  # drives Chromium: the whole suite runs it, the quick run does not

BODY = (
    "**Sáng nay, lễ ra quân huấn luyện năm 2024 được tổ chức tại sân vận động huyện.**\n\n"
    f"https://www.youtube.com/watch?v={VIDEO_ID}&t=90s&si=Ab_Cd-12\n"
    "*Lễ ra quân huấn luyện năm 2024*\n\n"
    "Toàn văn [Kế hoạch số 45/KH-UBND](files/45-kh-ubnd.pdf) đính kèm.\n\n"
    "![Phóng sự của Trung tâm Văn hóa](videos/phong-su.mp4)\n"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("media")
    site = write_site(root / "site", {"2024/ra-quan.md": article("Lễ ra quân huấn luyện", body=BODY)})
    for rel, data in {"files/45-kh-ubnd.pdf": PDF, "videos/phong-su.mp4": mp4(640, 360)}.items():
        path = site / "content/2024" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return build_ok(site, base_url="http://127.0.0.1/")


def elsewhere(url: str) -> bool:
    return urlsplit(url).hostname != "127.0.0.1"


def offline(tab, outside: list[str]) -> None:
    """Answer every request to another host here, recording it: nothing leaves the machine."""

    def answer(route):
        outside.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>stand-in</title>")

    tab.route(lambda url: elsewhere(url), answer)


def test_nothing_is_asked_of_another_host_before_the_click_then_the_player_comes(browser, built):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        tab = context.new_page()
        requested: list[str] = []
        outside: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        offline(tab, outside)
        with serving(built) as address:
            tab.goto(f"{address}/2024/05/ra-quan/", wait_until="networkidle")
            tab.wait_for_timeout(300)
            before = list(requested)
            assert before and not [url for url in before if elsewhere(url)], before
            assert not [url for url in before if url.endswith(".mp4")], "preload=none: no video bytes before play"
            assert not [url for url in before if url.endswith(".pdf")]
            assert tab.locator("iframe").count() == 0
            assert tab.locator("a.attachment + .file-meta").inner_text() == "(PDF, 320 KB)"
            box = tab.locator("a.video-play").bounding_box()
            assert box and abs(box["width"] / box["height"] - 16 / 9) < 0.02  # the poster keeps its frame

            tab.locator("a.video-play").click()
            player = tab.wait_for_selector("figure.video-youtube iframe")
            assert (
                player.get_attribute("src") == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1&start=90"
            )
            assert player.get_attribute("title") == "Lễ ra quân huấn luyện năm 2024"
            assert "autoplay" in player.get_attribute("allow")
            assert tab.locator("a.video-play").count() == 0
            assert tab.url == f"{address}/2024/05/ra-quan/"  # the page stayed
            tab.wait_for_timeout(300)
            after = [url for url in requested[len(before) :] if elsewhere(url)]
            assert after and all(urlsplit(url).hostname == "www.youtube-nocookie.com" for url in after), after
    finally:
        context.close()


def test_the_play_button_works_from_the_keyboard(browser, built):
    context = browser.new_context()
    try:
        tab = context.new_page()
        offline(tab, [])
        with serving(built) as address:
            tab.goto(f"{address}/2024/05/ra-quan/")
            tab.focus("a.video-play")
            tab.keyboard.press("Enter")
            tab.wait_for_selector("figure.video-youtube iframe")
    finally:
        context.close()


def test_without_javascript_the_button_is_a_link_to_the_video_on_youtube(browser, built):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        outside: list[str] = []
        offline(tab, outside)
        with serving(built) as address:
            tab.goto(f"{address}/2024/05/ra-quan/")
            assert outside == []
            tab.locator("a.video-play").click()
            tab.wait_for_url("https://www.youtube.com/**")
            assert outside == [f"https://www.youtube.com/watch?v={VIDEO_ID}&t=90s"]
    finally:
        context.close()
