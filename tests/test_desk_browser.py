"""The desk in a real browser (Debian's Chromium), at a 390 px phone and a 1280 px desktop: writing an
article with a photo, seeing it in the preview and in a real build, renaming it, mistakes shown at
their fields, a save refused when the file changed on disk, delete and restore."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from servekit import get, running_preview, save_like_an_editor, wait_for
from sitekit import article, parse_html, run_cli_in_process, write_site

pytestmark = pytest.mark.slow

SCREENS = {"phone": (390, 844), "desktop": (1280, 900)}
TITLE = "Khánh thành cầu mới ở xã Tả Thanh Oai"


@pytest.fixture
def site(tmp_path):
    files = {
        "2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00", "Nội dung một.", tags=["Dân vận khéo"]),
        "2024/hai.md": article("Bài hai", "Nông thôn mới", "2024-05-02 08:00", "Nội dung hai."),
    }
    return write_site(tmp_path / "site", files)


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    """A page at the screen's width; a script error in the desk fails the test."""
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # "move to the trash?"
    page.screen = request.param  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, errors


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1000, 640), (30, 110, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


def show(page, tab: str) -> None:
    """On a phone the form and the preview are two tabs; on a desktop both are always shown."""
    if page.screen == "phone":
        page.click(f".tabs button[data-tab={tab}]")


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when DESK_SCREENSHOTS names a folder."""
    folder = os.environ.get("DESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.screen}.png"))


def add_photo(page, tmp_path: Path) -> None:
    """By the chooser on a phone, by drag and drop on a desktop."""
    data = photo_bytes()
    if page.screen == "phone":
        file = tmp_path / "IMG 2024 Cầu Mới.JPG"
        file.write_bytes(data)
        page.set_input_files("input[name=photo]", str(file))
        return
    page.evaluate(
        """([b64, name]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "image/jpeg"}));
            const area = document.querySelector("textarea[name=body]");
            area.focus();
            area.setSelectionRange(area.value.length, area.value.length);
            area.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        [base64.b64encode(data).decode(), "IMG 2024 Cầu Mới.JPG"],
    )


def preview_frame(page):
    return page.frame_locator("iframe[name=preview]")


def test_write_an_article_with_a_photo_see_it_and_rename_it(site, screen, tmp_path):
    page = screen
    with running_preview(site) as preview:
        page.goto(preview.url + "_desk/")
        page.wait_for_selector("tr.row")
        shot(page, "list")
        page.click("a[data-action=new]")
        page.wait_for_selector("textarea[name=body]")
        page.fill("input[name=title]", TITLE)
        page.select_option("select[name=category]", "Nông thôn mới")
        page.fill("input[name=date]", "2024-06-01")
        page.fill("input[name=date_time]", "09:30")
        page.fill("input[name=author]", "Thu Hà")
        page.fill("input[name=tags]", "Giao thông")
        page.press("input[name=tags]", "Enter")
        page.uncheck("input[name=draft]")
        page.fill("textarea[name=body]", "Sáng nay, cầu mới được khánh thành.\n\n")
        add_photo(page, tmp_path)
        page.wait_for_selector("input[name=alt]")
        page.fill("input[name=alt]", "Cầu mới")
        page.fill("input[name=caption]", "Lễ khánh thành cầu. Ảnh: Thu Hà")
        page.click("button[name=insert]")
        page.click("button[data-tool=article-link]")
        page.fill("input[name=find]", "bai mot")
        page.click("button[data-path='content/2024/mot.md']")
        body = page.input_value("textarea[name=body]")
        assert body == (
            "Sáng nay, cầu mới được khánh thành.\n\n"
            "![Cầu mới](images/img-2024-cau-moi.jpg)\n*Lễ khánh thành cầu. Ảnh: Thu Hà*\n\n[Bài một](mot.md)"
        )
        show(page, "preview")
        frame = preview_frame(page)
        frame.locator("figcaption", has_text="Lễ khánh thành cầu").wait_for(timeout=10000)
        assert frame.locator("h1").inner_text() == TITLE
        wait_for(lambda: frame.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0"), 10)
        shot(page, "editor")
        show(page, "write")
        page.click("button[name=save]")
        page.wait_for_selector(".savebar .note.ok")
        source = site / "content/2024/khanh-thanh-cau-moi-o-xa-ta-thanh-oai.md"
        assert source.read_text(encoding="utf-8") == (
            "---\n"
            f'title: "{TITLE}"\n'
            'category: "Nông thôn mới"\n'
            "date: 2024-06-01 09:30\n"
            'author: "Thu Hà"\n'
            'tags: ["Giao thông"]\n'
            "---\n" + body
        )
        assert (site / "content/2024/images/img-2024-cau-moi.jpg").read_bytes() == photo_bytes()
        assert "#/edit?path=content%2F2024%2Fkhanh-thanh" in page.url

        # The preview server rebuilt it: the page, with its photo, on the site as readers will see it.
        url = "2024/06/khanh-thanh-cau-moi-o-xa-ta-thanh-oai/"
        wait_for(lambda: get(preview, "/" + url)[0] == 200, timeout=20)
        doc = parse_html(get(preview, "/" + url)[2].decode())
        assert doc.find("figcaption").text == "Lễ khánh thành cầu. Ảnh: Thu Hà"
        src = doc.find("figure").find("img").attrs["src"]
        assert get(preview, src)[0] == 200

        # ... and a real build publishes the same.
        result = run_cli_in_process("build", "--site", str(site))
        assert result.returncode == 0, result.stderr
        built = parse_html((site / "output" / url / "index.html").read_text(encoding="utf-8"))
        assert built.find("h1").text == TITLE and built.find("figcaption").text == "Lễ khánh thành cầu. Ảnh: Thu Hà"
        assert (site / "output" / built.find("figure").find("img").attrs["src"].lstrip("/")).is_file()
        assert any(a.attrs.get("href") == "/2024/05/mot/" for a in built.find_all("a"))  # the picked link

        # Renaming it: the page and the lists (home, category) change.
        page.click("a.button[href='#/']")
        page.fill("input[name=q]", "khanh thanh cau")  # accents and case ignored
        page.click(f"tr.row[data-path='{source.relative_to(site).as_posix()}'] td.title a")
        page.wait_for_selector("textarea[name=body]")
        page.fill("input[name=title]", TITLE + " (cập nhật)")
        page.click("button[name=save]")
        page.wait_for_selector(".savebar .note.ok")
        assert f'title: "{TITLE} (cập nhật)"\n' in source.read_text(encoding="utf-8")
        new_title = TITLE + " (cập nhật)"
        wait_for(lambda: new_title in get(preview, "/" + url)[2].decode(), timeout=20)
        assert new_title in get(preview, "/")[2].decode()
        assert new_title in get(preview, "/chuyen-muc/nong-thon-moi/")[2].decode()
        page.goto(preview.url + url)
        assert page.locator("h1").inner_text() == new_title


def test_mistakes_are_shown_at_their_fields_and_a_draft_can_be_saved_with_them(site, screen):
    page = screen
    (site / "content/2024/ngay.md").write_text(article("Ngày sai", "Thông báo", "15/10/2020"), encoding="utf-8")
    with running_preview(site) as preview:
        page.goto(preview.url + "_desk/#/edit?path=content%2F2024%2Fngay.md")
        date = page.locator(".field[data-field=date] ul.problems li")
        date.wait_for()
        assert "15/10/2020" in date.inner_text() and "2020-10-15" in date.inner_text()

        page.goto(preview.url + "_desk/#/edit?path=content%2F2024%2Fmot.md")
        page.reload()
        page.wait_for_selector("textarea[name=body]")
        page.click("details.more summary")
        page.fill("input[name=slug]", "Bài Một")
        slug = page.locator(".field[data-field=slug] ul.problems li")
        slug.wait_for()
        assert "slug 'Bài Một'" in slug.inner_text() and "bai-mot" in slug.inner_text()
        page.fill("input[name=title]", "")
        page.locator(".field[data-field=title] ul.problems li", has_text="title").wait_for()
        assert page.locator(".field[data-field=title]").get_attribute("class").split() == ["field", "has-error"]
        shot(page, "editor-errors")
        before = (site / "content/2024/mot.md").read_text(encoding="utf-8")
        page.click("button[name=save]")
        page.wait_for_selector(".savebar .note.bad")
        assert "not saved" in page.inner_text(".savebar .note")
        assert (site / "content/2024/mot.md").read_text(encoding="utf-8") == before
        page.check("input[name=draft]")
        page.click("button[name=save]")
        page.wait_for_selector(".savebar .note.ok")
        saved = (site / "content/2024/mot.md").read_text(encoding="utf-8")
        assert 'slug: "Bài Một"\n' in saved and "draft: true\n" in saved and "title:" not in saved
        assert page.locator(".field[data-field=slug] ul.problems li").count() == 1  # still shown after saving


def test_a_file_changed_on_disk_meanwhile_then_delete_and_restore(site, screen):
    page = screen
    source = site / "content/2024/hai.md"
    with running_preview(site) as preview:
        page.goto(preview.url + "_desk/#/edit?path=content%2F2024%2Fhai.md")
        page.wait_for_selector("textarea[name=body]")
        page.fill("textarea[name=body]", "Bản của tôi, gõ trong bàn biên tập.\n")
        theirs = source.read_text(encoding="utf-8").replace("Nội dung hai.", "Bản sửa trong Notepad.")
        save_like_an_editor(source, theirs)
        page.click("button[name=save]")
        dialog = page.locator(".modal-box")
        dialog.locator(".versions").wait_for()
        assert "Bản sửa trong Notepad." in dialog.locator(".theirs pre").inner_text()
        assert "Bản của tôi, gõ trong bàn biên tập." in dialog.locator(".mine pre").inner_text()
        assert dialog.locator(".theirs pre ins").inner_text().strip() == "Bản sửa trong Notepad."
        shot(page, "conflict")
        assert source.read_text(encoding="utf-8") == theirs  # nothing was overwritten
        page.click("button[name=keep-mine]")
        page.wait_for_selector(".savebar .note.ok")
        assert source.read_text(encoding="utf-8").endswith("---\nBản của tôi, gõ trong bàn biên tập.\n")
        kept = source.read_bytes()

        page.click("button[name=delete]")
        page.wait_for_selector("tr[data-id] button[name=restore]")
        assert not source.exists()
        trashed = list((site / "content/.trash").rglob("hai.md"))
        assert len(trashed) == 1 and trashed[0].read_bytes() == kept
        assert "Bài hai" in page.inner_text("table.items")
        wait_for(lambda: get(preview, "/2024/05/hai/")[0] == 404, timeout=20)  # gone from the preview
        page.click("tr[data-id] button[name=restore]")
        page.wait_for_selector("textarea[name=body]")
        assert source.read_bytes() == kept
        assert re.search(r"#/edit\?path=content%2F2024%2Fhai\.md$", page.url)
        wait_for(lambda: get(preview, "/2024/05/hai/")[0] == 200, timeout=20)
