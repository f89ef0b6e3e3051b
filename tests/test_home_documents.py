"""The home page's "Văn bản mới" block: a portal's readers look for the newest documents first."""

from __future__ import annotations

from sitekit import article, build_ok, page, write_site

CATEGORIES = ["Tin tức - Sự kiện", "Thông báo"]


def _site(tmp_path, issued: list[str]):
    files = {}
    for i, day in enumerate(issued):
        doc = (
            f'\ndocument:\n  number: "{i + 10}/KH-UBND"\n  issued: {day}\n  issuer: "UBND huyện"\n  file: "vb-{i}.pdf"'
        )
        text = article(f"Kế hoạch số {i + 10}", "Thông báo", f"2024-0{1 + i % 9}-16 08:00")
        files[f"2024/vb-{i}.md"] = text.replace("\n---\n\n", doc + "\n---\n\n", 1)
    files["2024/tin.md"] = article("Tin thường", "Tin tức - Sự kiện", "2024-06-01 08:00")
    site = write_site(tmp_path / "site", files, categories=CATEGORIES)
    for i in range(len(issued)):
        (site / "content" / "2024" / f"vb-{i}.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    return site


def test_the_newest_five_documents_by_date_issued_are_on_the_home_page(tmp_path):
    issued = ["2023-01-05", "2024-03-01", "2022-12-31", "2024-03-02", "2023-07-07", "2021-01-01", "2024-01-01"]
    home = page(build_ok(_site(tmp_path, issued)), "")
    block = home.find("section", class_="home-documents")
    items = block.find_all("li")
    numbers = [li.find("span", class_="doc-mini-number").text for li in items]
    assert numbers == ["13/KH-UBND", "11/KH-UBND", "16/KH-UBND", "14/KH-UBND", "10/KH-UBND"]
    assert items[0].find("a").attrs["href"] == "/2024/04/vb-3/"  # the document's own page
    assert items[0].find("time").attrs["datetime"] == "2024-03-02"
    assert all(
        a.attrs["href"] == "/van-ban/" for a in block.find_all("a") if "Tất cả" in a.text or "Văn bản mới" in a.text
    )


def test_a_site_without_documents_has_no_empty_block(tmp_path):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Tin", "Tin tức - Sự kiện")}, categories=CATEGORIES)
    assert page(build_ok(site), "").find("section", class_="home-documents") is None
