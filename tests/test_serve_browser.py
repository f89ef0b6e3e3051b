"""The live preview in a real browser: edits show up without navigating, CSS swaps in place,
errors appear in an overlay and go away when fixed."""

from __future__ import annotations

import pytest
from servekit import copy_builtin_css, running_preview, save_like_an_editor
from sitekit import article, write_site

pytestmark = pytest.mark.slow  # drives Chromium: the whole suite runs it, the quick run does not


@pytest.fixture
def site(tmp_path):
    body = "\n\n".join(f"Đoạn văn số {i} của bài viết về công tác Dân vận." for i in range(60))
    files = {
        "2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00", body),
        "2024/hai.md": article("Bài hai", "Thông báo", "2024-05-02 08:00", "Nội dung hai."),
    }
    return write_site(tmp_path / "site", files)


# Keeps each EventSource the page opens and notes when the preview's first event ("ok", sent once the
# server is following the build) arrived: an edit saved before that could go unseen by the page.
WATCH_EVENTS = """
(() => {
  const Native = window.EventSource;
  window.__newsroomSources = [];
  window.EventSource = function (url, options) {
    const source = new Native(url, options);
    source.addEventListener("ok", () => { source.__following = true; });
    source.addEventListener("build-error", () => { source.__following = true; });
    window.__newsroomSources.push(source);
    return source;
  };
  window.EventSource.prototype = Native.prototype;
})();
"""
FOLLOWING = "() => (window.__newsroomSources || []).some(s => s.__following && s.readyState === 1)"
SECONDS = 20_000  # a rebuild on a loaded machine; each wait ends as soon as the page shows the change


def test_edit_css_and_error_overlay_in_the_browser(site, browser_page):
    css = copy_builtin_css(site)
    source = site / "content/2024/mot.md"
    good = source.read_text(encoding="utf-8")
    with running_preview(site) as preview:
        page = browser_page
        page.add_init_script(WATCH_EVENTS)
        page.goto(preview.url + "2024/05/mot/")
        page.wait_for_function(FOLLOWING, timeout=SECONDS)
        page.evaluate("window.scrollTo(0, 600)")

        # 1. Markdown edited by write-to-temp-then-rename: the new text shows up by itself.
        save_like_an_editor(source, good.replace("Đoạn văn số 0 ", "Đoạn văn ĐÃ SỬA "))
        page.wait_for_function("() => document.body.innerText.includes('Đoạn văn ĐÃ SỬA')", timeout=SECONDS)
        page.wait_for_function("() => window.scrollY > 500", timeout=SECONDS)  # scroll position kept
        page.wait_for_function(FOLLOWING, timeout=SECONDS)  # the reloaded page listens again

        # 2. CSS edited: the new style applies with no reload (a window marker survives).
        page.evaluate("window.__marker = 42")
        css.write_text(
            css.read_text(encoding="utf-8") + "\nbody { background-color: rgb(1, 2, 3) !important; }\n",
            encoding="utf-8",
        )
        page.wait_for_function(
            "() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=SECONDS
        )
        assert page.evaluate("window.__marker") == 42

        # 3. A front-matter error: an overlay names the file and line.
        save_like_an_editor(source, good.replace("category: Thông báo", 'category: "Không có"'))
        overlay = page.wait_for_selector("#newsroom-overlay", timeout=SECONDS)
        text = overlay.inner_text()
        assert "content/2024/mot.md:3:" in text and "not declared" in text and "Error building the site" in text

        # 4. Fixed: the overlay goes and the page shows the article again.
        save_like_an_editor(source, good.replace("Đoạn văn số 1 ", "Đoạn văn SỬA LẠI "))
        page.wait_for_function("() => document.body.innerText.includes('Đoạn văn SỬA LẠI')", timeout=SECONDS)
        assert page.query_selector("#newsroom-overlay") is None
