"""The theme speaks the site's language (issues 14 and 16): its texts are msgids of its own catalogues
(themes/default/locale/<lang>/LC_MESSAGES/theme.po), newsroom's code hands it labels as data, and dates,
numbers and ``lang`` follow ``language:`` in config.yaml.

The English site is built once through the real command line with ASCII names everywhere (title,
categories, authors, units, issuers) and one article written in Vietnamese, so any Vietnamese letter
in a page outside that article's text is the theme's or newsroom's own words, untranslated.
"""

from __future__ import annotations

import ast
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from sitekit import ROOT, all_pages, article, crawl, links, page, parse_html, resolve, run_cli_in_process, write_site

from newsroom.i18n import read_po_entries

THEME = ROOT / "themes" / "default"
CATEGORIES = ["News", "Notices", "Economy", "Culture", "Health", "Schools", "Sport", "Tourism"]  # 8: a "more" entry
VIETNAMESE_BODY = "Hội nghị tổng kết công tác dân vận năm 2020 diễn ra sáng nay."


def vietnamese(text: str) -> list[str]:
    """The letters in ``text`` that Vietnamese writes and English does not (đ, and vowels with marks: ư, ơ, ă,
    â, ê, ô, toned ones), in order; other signs (×, …, “ ”) are not letters and do not count."""

    def marked_vowel(char: str) -> bool:
        return not char.isascii() and char.isalpha() and unicodedata.normalize("NFD", char)[0].lower() in "aeiouy"

    return [char for char in text if char in "đĐ" or marked_vowel(char)]


def story(title: str, category: str, date: str, **fields) -> str:
    """An article written in English (sitekit's default text is Vietnamese)."""
    return article(title, category, date, **{"body": f"The text of {title}.", **fields})


def _english_site(root: Path) -> Path:
    doc = '\ndocument:\n  number: "45/KH-UBND"\n  issued: 2020-10-15\n  issuer: "District Office"\n  file: "plan.pdf"'
    files = {
        "2020/meeting.md": article(
            "District meeting",
            "News",
            "2020-10-15 13:50",
            body=VIETNAMESE_BODY,
            summary="The district met.",
            author="Anna Tran",
            tags=["Civic"],
        ),
        "2020/plan.md": story("Plan 45", "Notices", "2020-10-16 08:00", author="Anna Tran").replace(
            "\n---\n\n", doc + "\n---\n\n", 1
        ),
        "2021/roads.md": story("New roads", "News", "2021-03-02 09:15", author="Binh Le", source_unit="Roads Unit"),
        "2021/school.md": story("School opens", "Schools", "2021-09-05 07:30", author="Binh Le", updated="2021-09-06"),
        "2021/more.md": story("More news", "News", "2021-11-20 10:00", author="Binh Le", tags=["Civic"]),
    }
    settings = {"title": "Test District Portal", "description": "News of the district", "language": "en"}
    site = write_site(root, files, categories=CATEGORIES, per_page=2, **settings)
    (site / "content" / "2020" / "plan.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 1_500_000)  # 1.4 MB
    return site


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    site = _english_site(tmp_path_factory.mktemp("en") / "site")
    done = run_cli_in_process("build", "--site", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    return site / "output"


def _chrome(html: str) -> str:
    """A page without the texts editors wrote in Vietnamese: the one Vietnamese article's text, and the quick
    filter's accent folding (a script's data, no label)."""
    html = html.replace(VIETNAMESE_BODY, "")
    return html.replace('.replace(/đ/g, "d").replace(/Đ/g, "D")', "")


def test_every_page_of_an_english_site_is_english(english):
    pages = all_pages(english)
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        doc = parse_html(html)
        assert doc.find("html").attrs["lang"] == "en", path
        assert doc.find("meta", property="og:locale").attrs["content"] == "en_GB", path
        assert vietnamese(_chrome(html)) == [], f"{path.relative_to(english)}: {''.join(vietnamese(_chrome(html)))}"
    # the article's own text stays as written
    assert VIETNAMESE_BODY in (english / "2020/10/meeting/index.html").read_text(encoding="utf-8")


def test_the_chrome_reads_in_english(english):
    home = page(english, "")
    nav = home.find("nav", class_="main-nav")
    assert nav.find("span", class_="nav-home-text").text == "Home"
    assert nav.find("button", class_="sub-button").text == "More sections"
    assert [a.text for a in nav.find_all("a")][-1] == "Archive"
    assert home.find("a", class_="skip-link").text == "Skip to main content"
    assert home.find("input", id="header-q").attrs["placeholder"] == "Search…"
    footer = home.find("footer")
    assert [a.text for a in footer.find("nav").find_all("a")] == [
        "Archive by date",
        "Topics",
        "Authors",
        "Reporting units",
        "Search",
    ]
    assert "Please credit “Test District Portal” when republishing" in footer.text

    crumbs = lambda doc: [li.text for li in doc.find("nav", class_="breadcrumbs").find_all("li")]  # noqa: E731
    assert crumbs(page(english, "luu-tru/")) == ["Home", "Archive"]
    assert crumbs(page(english, "2021/")) == ["Home", "Archive", "2021"]
    assert crumbs(page(english, "2021/11/")) == ["Home", "Archive", "2021", "11/2021"]
    assert crumbs(page(english, "tac-gia/")) == ["Home", "Authors"]
    second = page(english, "chuyen-muc/news/trang/2/")
    assert crumbs(second) == ["Home", "News", "Page 2"]
    assert second.find("title").text == "News - Page 2 | Test District Portal"
    pager = second.find("nav", class_="pagination")
    assert pager.attrs["aria-label"] == "Pages" and pager.find("a", rel="prev").text == "‹ Previous page"
    assert pager.find("p", class_="page-status").text == "Page 2 of 2"
    assert page(english, "chuyen-muc/news/").find("p", class_="list-count").text == "3 articles"
    assert page(english, "2021/").find("h2").text == "By month"

    author = page(english, "tac-gia/binh-le/")
    assert author.find("h1").text == "Authors: Binh Le"

    not_found = parse_html((english / "404.html").read_text(encoding="utf-8"))
    assert not_found.find("h1").text == "Page not found"
    assert not_found.find("title").text == "Page not found | Test District Portal"

    register = page(english, "van-ban/")
    assert register.find("h1").text == "Documents" and register.find("p", class_="list-count").text == "1 document"
    assert [th.text for th in register.find_all("th")] == ["Number", "Date issued", "Summary", "Issued by", "Download"]
    assert register.find("a", class_="chip").text.startswith("All")
    assert page(english, "van-ban/2020/").find("h1").text == "Documents of 2020"
    assert page(english, "van-ban/district-office/").find("h1").text == "Documents of District Office"

    search = page(english, "tim-kiem/")
    assert search.find("h1").text == "Search"
    assert [o.text for o in search.find("select", id="search-sap-xep").find_all("option")] == ["Best match", "Newest"]


def test_dates_numbers_and_sizes_are_written_the_english_way(english):
    story = page(english, "2020/10/meeting/")
    assert story.find("p", class_="meta").find("time").text == "15 Oct 2020, 13:50"
    assert "Published 15 Oct 2020, 13:50" in story.find("p", class_="meta").text
    assert page(english, "2021/09/school/").find("span", class_="updated").find("time").text == "6 Sep 2021"
    plan = page(english, "2020/10/plan/")
    box = plan.find("dl", class_="document-box")
    assert box.find("time").text == "15 Oct 2020"
    assert box.find("span", class_="file-meta").text == "(PDF, 1.4 MB)"
    card_times = [t.text for t in page(english, "chuyen-muc/news/").find_all("time")]
    assert card_times[:2] == ["20 Nov 2021, 10:00", "2 Mar 2021, 09:15"]


def test_an_english_site_is_whole_linked_and_its_feeds_and_search_work(english):
    reached = crawl(english)
    for article_page in ("2020/10/meeting/index.html", "2020/10/plan/index.html", "2021/11/more/index.html"):
        assert article_page in reached
    for rel in reached:
        for url in links(parse_html((english / rel).read_text(encoding="utf-8"))):
            target = resolve(english, url.split("?")[0])
            assert target is None or target.is_file(), f"{rel}: broken link {url}"
    atom = ET.parse(english / "feed.xml").getroot()
    assert atom.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "en"
    assert ET.parse(english / "rss.xml").getroot().find("channel/language").text == "en"
    sitemap = (english / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.test/2020/10/meeting/" in sitemap
    form = page(english, "tim-kiem/").find("form", class_="search-form")
    assert resolve(english, form.attrs["data-index"]).parent.is_dir()


def test_an_edited_theme_translation_re_renders_the_pages(tmp_path):
    """A site's own catalogue rewords the built-in theme, and editing it alone changes the pages of the next
    (incremental) build: the theme's catalogues are part of what the pages' fingerprints cover."""
    site = write_site(tmp_path / "site", {"2024/a.md": article("A story", "Tin tức - Sự kiện")})
    po = site / "themes" / "default" / "locale" / "vi" / "LC_MESSAGES" / "theme.po"
    po.parent.mkdir(parents=True)
    heading = lambda: page(site / "output", "luu-tru/").find("h1").text  # noqa: E731
    for wording in ("Kho lưu trữ", "Bài đã đăng"):
        po.write_text(f'msgid "Lưu trữ"\nmsgstr "{wording}"\n', encoding="utf-8")
        done = run_cli_in_process("build", "--site", str(site))
        assert done.returncode == 0, done.stdout + done.stderr
        assert heading() == wording
    # the built-in catalogue still words everything the site's does not
    assert page(site / "output", "").find("span", class_="nav-home-text").text == "Trang chủ"


def test_a_vietnamese_site_keeps_its_vietnamese_dates(tmp_path):
    site = write_site(tmp_path / "site", {"2020/a.md": article("Tin", date="2020-10-15 13:50")})
    done = run_cli_in_process("build", "--site", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    story = page(site / "output", "2020/10/a/")
    assert story.find("html").attrs["lang"] == "vi"
    assert story.find("p", class_="meta").find("time").text == "15/10/2020 | 13:50"


# --- the catalogues -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _theme_msgids() -> dict[str, str]:
    """Every msgid the default theme's templates use (Babel's Jinja extractor, as locale/babel.cfg says),
    with its plural msgid ('' for none)."""
    method_map = [("**.html", "jinja2"), ("**.xml", "jinja2"), ("**.txt", "jinja2")]
    options = {pattern: {"extensions": "jinja2.ext.i18n"} for pattern, _method in method_map}
    found: dict[str, str] = {}
    keywords = {"_": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(THEME / "templates"), method_map, options, keywords=keywords
    ):
        singular, plural = message if isinstance(message, tuple) else (message, "")
        found[singular] = plural
    return found


@pytest.mark.parametrize("language", sorted(p.name for p in (THEME / "locale").iterdir() if p.is_dir()))
def test_every_theme_text_is_translated_in_every_catalogue(language):
    used = _theme_msgids()
    assert len(used) > 80
    text = (THEME / "locale" / language / "LC_MESSAGES" / "theme.po").read_text(encoding="utf-8")
    entries = {e.msgid: e for e in read_po_entries(text) if e.msgid}
    assert sorted(set(used) - set(entries)) == [], "msgids missing from the catalogue"
    assert sorted(set(entries) - set(used)) == [], "msgids no template uses any more"
    forms = 1 if language == "vi" else 2
    for msgid, plural in used.items():
        entry = entries[msgid]
        assert not entry.fuzzy, msgid
        assert entry.plural == plural, msgid
        wanted = range(forms) if plural else range(1)
        names = set(_PLACEHOLDER.findall(msgid))
        for index in wanted:
            translated = entry.msgstr.get(index, "")
            assert translated, f"{language}: {msgid!r} has no msgstr[{index}]"
            assert set(_PLACEHOLDER.findall(translated)) <= names | {"num"}, f"{language}: {msgid!r}"
            assert set(_PLACEHOLDER.findall(translated)) >= names - {"num"}, f"{language}: {msgid!r}"
            assert "%" not in _PLACEHOLDER.sub("", translated), f"{language}: a stray % in {translated!r}"


# --- no UI wording in newsroom's code -------------------------------------------------------

# Vietnamese that may stay in newsroom/*.py outside docstrings and comments: examples of what an editor
# writes, quoted in hints and --help (they are content, not the site's words), and glosses of names.
EXAMPLES = (
    "Tin tức - Sự kiện",
    "Giới thiệu",
    "Dịch vụ công",
    "Thanh Hồng",
    "Dân vận khéo",
    "Nông thôn mới",
    "Khai mạc lớp tập huấn công tác Dân vận",
    "Tiêu đề bài viết",
    "Huyện Thanh Trì",
    "Ngày đăng",
    "Việt Nam",
    "bàn biên tập",
    "UBND huyện",
    "Kế hoạch",
    "Thanh Trì",
    "huyện",
    "Tin",
    "trong",
    "khai mạc lớp học",
    "ngày",
)
# Whole modules whose Vietnamese is data, not wording.
DATA_MODULES = {
    "slugs.py": "the table that folds Vietnamese letters into URL letters",
    "icons.py": "the administrative prefixes (xã, huyện …) left out of a logo's initials",
}


def _code_strings(path: Path):
    """The string constants of a module that are not docstrings, with their lines (comments are not strings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def _wording(path: Path) -> list[str]:
    found = []
    for line, value in _code_strings(path):
        rest = value
        for example in EXAMPLES:
            rest = rest.replace(example, "")
        if vietnamese(rest):
            found.append(f"{path.name}:{line}: {value!r}")
    return found


def test_newsroom_code_holds_no_vietnamese_ui_wording():
    modules = [p for p in sorted((ROOT / "newsroom").glob("*.py")) if p.name not in DATA_MODULES]
    found = [hit for p in modules for hit in _wording(p)]
    assert found == []
    for name in ("pages.py", "site.py", "render.py"):  # the labels moved to the theme (issue 14)
        assert _wording(ROOT / "newsroom" / name) == []
