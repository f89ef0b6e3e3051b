"""What editors type never becomes markup or script: raw HTML, unsafe URLs, hostile titles."""

from __future__ import annotations

import pytest
from sitekit import article, build_ok, page, write_site

HOSTILE = "Tin \"nóng\" <script>alert(1)</script> & 'x'"


def test_raw_html_is_escaped_by_default_and_allowed_by_config(tmp_path):
    body = 'Trước.\n\n<div class="x"><script>alert(1)</script></div>\n\nSau <b>đậm</b>.'
    site = write_site(tmp_path / "a", {"2024/a.md": article("Bài", body=body)})
    doc = page(build_ok(site), "2024/05/a/")
    content = doc.find("div", class_="article-body")
    assert content.find("script") is None and content.find("b") is None
    assert "<script>alert(1)</script>" in content.text
    trusted = write_site(tmp_path / "b", {"2024/a.md": article("Bài", body=body)}, allow_html=True)
    content = page(build_ok(trusted), "2024/05/a/").find("div", class_="article-body")
    assert content.find("b").text == "đậm"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox",
        "data:text/html;base64,PHNjcmlwdD4=",
        "java%0ascript:alert(1)",
    ],
)
def test_unsafe_urls_never_become_links(tmp_path, url):
    body = f"[bấm vào đây]({url}) và <{url}>\n\n![ảnh]({url})"
    site = write_site(tmp_path / "s", {"2024/a.md": article("Bài", body=body)})
    content = page(build_ok(site), "2024/05/a/").find("div", class_="article-body")
    for a in content.find_all("a"):
        assert not a.attrs.get("href", "").lower().replace("%0a", "").startswith(("javascript", "vbscript", "data"))
    for img in content.find_all("img"):
        assert not img.attrs.get("src", "").lower().startswith(("javascript", "vbscript", "data"))


def test_front_matter_values_are_escaped_in_text_and_attributes(tmp_path):
    site = write_site(
        tmp_path / "s",
        {"2024/a.md": article(HOSTILE, author=HOSTILE, source_unit=HOSTILE, tags=[HOSTILE], summary=HOSTILE)},
    )
    out = build_ok(site)
    for url in ("2024/05/a/", "", "chuyen-muc/tin-tuc-su-kien/", "the/", "tac-gia/"):
        doc = page(out, url)
        # The theme's own scripts (share buttons, quick filters) may be there; none holds editor text.
        scripts = [s for s in doc.find_all("script") if s.attrs.get("type") != "application/ld+json"]
        assert all("alert(1)" not in s.text and "nóng" not in s.text for s in scripts), url
        assert HOSTILE in doc.text, url
    doc = page(out, "2024/05/a/")
    assert doc.find("h1").text == HOSTILE.replace("  ", " ")
    assert doc.find("meta", name="description").attrs["content"] == HOSTILE
    assert doc.find("title").text.startswith(HOSTILE)
