"""config.yaml mistakes stop the build at the line that has them, with a hint (issue 12, item 12).

``theme`` is a name, never a path; ``base_url`` a plain http(s) address; ``preserve`` entries paths
inside the output; permalink patterns are tidied (``./``, ``//``) before they are checked against
each other and against the files every build writes (home page, feeds, sitemap, robots.txt, 404).
Each case writes a real site and runs the command line; the runtime clash checks build real sites.
"""

from __future__ import annotations

import pytest
from sitekit import article, page, run_cli_in_process, write_site

from newsroom.cli import main

ARTICLES = {"2024/a.md": article("Tin một", "Thông báo", source_unit="Ban Dân vận", tags=["Dân vận"])}


def _line_of(site, prefix: str) -> int:
    """The 1-based line of config.yaml that starts with ``prefix``."""
    lines = (site / "config.yaml").read_text(encoding="utf-8").split("\n")
    return next(i for i, text in enumerate(lines, 1) if text.startswith(prefix))


def _build(site, *options: str) -> tuple[int, str]:
    result = run_cli_in_process("build", "--site", str(site), *options)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def _config_error(tmp_path, capsys, **config) -> str:
    """Build a site with these settings through the CLI's main; it must fail on config.yaml alone."""
    site = write_site(tmp_path / "site", ARTICLES, **config)
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and not (site / "output").exists()
    assert err.count("error:") == 1, err
    return err


# --- permalinks -------------------------------------------------------------------------------

PERMALINK_ERRORS = [
    # (case id, permalinks, the kind blamed, words in the message, words in the hint)
    (
        "archive-dot-slash-onto-home",
        {"archive": "./"},
        "archive",
        "would write onto the home page",
        'archive: "luu-tru/"',
    ),
    ("archive-dots", {"archive": "././/"}, "archive", "home page", "archive:"),
    ("search-empty", {"search": ""}, "search", "permalink for 'search' is empty", 'search: "tim-kiem/"'),
    (
        "tag-equal-to-category",
        {"tag": "chuyen-muc/{slug}/"},
        "tag",
        "would write onto the 'category' pages ('chuyen-muc/{slug}/')",
        'tag: "the/{slug}/"',
    ),
    (
        "tag-equal-to-category-after-normalising",
        {"tag": "./chuyen-muc//{slug}/"},
        "tag",
        "'category' pages",
        "tag:",
    ),
    (
        "category-equal-to-article",
        {"article": "{slug}/", "category": "{slug}/"},
        "category",
        "'article' pages",
        "category:",
    ),
    ("case-only-difference", {"authors": "The/"}, "authors", "'tags' pages", 'authors: "tac-gia/"'),
    ("article-as-a-file", {"article": "{slug}.xml"}, "article", "must end in '/'", "article:"),
    ("folder-onto-robots", {"archive": "robots.txt/"}, "archive", "in the place of robots.txt", "archive:"),
    ("folder-onto-feed", {"tags": "feed.xml/"}, "tags", "site's Atom feed (feed.xml)", "tags:"),
    ("folder-onto-rss", {"source_units": "rss.xml/"}, "source_units", "RSS feed", "source_units:"),
    ("folder-onto-404", {"authors": "404.html/"}, "authors", "(404.html)", "authors:"),
    ("folder-onto-sitemap", {"archive": "sitemap.xml/"}, "archive", "sitemap", "archive:"),
    ("folder-onto-group-feeds", {"page": "feed.xml/{n}/"}, "page", "feeds of each 'category'", 'page: "trang/{n}/"'),
    ("page-onto-months", {"page": "{n}/"}, "page", "'month' pages", 'page: "trang/{n}/"'),
    ("parent", {"archive": "../luu-tru/"}, "archive", "must not contain '..'", "archive:"),
    ("absolute", {"archive": "/luu-tru/"}, "archive", "not '/luu-tru/'", 'archive: "luu-tru/"'),
    ("space", {"archive": "luu tru/"}, "archive", "contains ' '", "letters, digits"),
    ("question-mark", {"tags": "the?/"}, "tags", "contains '?'", "letters, digits"),
    ("year-without-year", {"year": "nam/"}, "year", "must contain {year}", 'year: "{year}/"'),
    ("page-without-n", {"page": "trang/"}, "page", "must contain {n}", "page:"),
]


@pytest.mark.parametrize(
    "permalinks,kind,message,hint", [c[1:] for c in PERMALINK_ERRORS], ids=[c[0] for c in PERMALINK_ERRORS]
)
def test_a_bad_permalink_is_a_config_error_at_its_own_line(tmp_path, capsys, permalinks, kind, message, hint):
    err = _config_error(tmp_path, capsys, permalinks=permalinks)
    line = _line_of(tmp_path / "site", f"  {kind}:")
    assert f"config.yaml:{line}: error: " in err and message in err, err
    assert "hint:" in err and hint in err.split("hint:")[1], err


def test_the_later_of_two_clashing_patterns_is_blamed(tmp_path, capsys):
    err = _config_error(tmp_path, capsys, permalinks={"search": "trang-chung/", "archive": "trang-chung/"})
    line = _line_of(tmp_path / "site", "  archive:")
    assert f"config.yaml:{line}: error: permalink for 'archive' ('trang-chung/') would write onto" in err
    assert "'search' pages" in err


def test_a_permalink_clash_is_shown_by_check_and_on_the_command_line(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES, permalinks={"archive": "./"})
    for command in ("build", "check"):
        result = run_cli_in_process(command, "--site", str(site))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"config.yaml:{_line_of(site, '  archive:')}: error:" in result.stderr
        assert "home page" in result.stderr
    assert not (site / "output").exists()


def test_permalinks_are_tidied_before_use(tmp_path):
    site = write_site(
        tmp_path / "site",
        ARTICLES,
        permalinks={"archive": ".//luu-tru//", "tags": "./chu-de/./", "tag": "chu-de/{slug}/"},
    )
    code, err = _build(site)
    assert code == 0, err
    out = site / "output"
    assert (out / "luu-tru/index.html").is_file() and (out / "chu-de/index.html").is_file()
    assert (out / "chu-de/dan-van/index.html").is_file()
    hrefs = {a.attrs.get("href") for a in page(out, "").find_all("a")}
    assert "/luu-tru/" in hrefs and "/chu-de/" in hrefs
    assert not any("//" in h or "/./" in h for h in hrefs if h and h.startswith("/")), hrefs


def test_a_permalink_group_in_one_line_is_located_at_that_line(tmp_path, capsys):
    site = write_site(tmp_path / "site", ARTICLES)
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'permalinks: {tags: "the/", archive: "./"}\n', "utf-8")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"config.yaml:{_line_of(site, 'permalinks:')}: error: permalink for 'archive'" in err


def test_the_default_permalinks_build_and_no_pattern_may_replace_a_file_they_write(tmp_path, capsys):
    """Every file a build writes at the top of the output is one the config check protects.

    The check keeps its own list of what discovery and pages write (they import config); this
    fails when one of them starts writing a file there that a permalink could replace.
    """
    site = write_site(tmp_path / "site", ARTICLES)
    code, err = _build(site)
    assert code == 0, err
    top_files = sorted(p.name for p in (site / "output").iterdir() if p.is_file() and not p.name.startswith("."))
    assert "index.html" in top_files and "robots.txt" in top_files
    for name in top_files:
        folder = "./" if name == "index.html" else f"{name}/"
        write_site(site, {}, permalinks={"archive": folder})
        assert main(["check", "--site", str(site)]) == 1, name
        err = capsys.readouterr().err
        assert f"config.yaml:{_line_of(site, '  archive:')}: error: permalink for 'archive'" in err, (name, err)


# --- the runtime clash check (what depends on the articles) -------------------------------------


def test_an_article_whose_folder_would_replace_a_feed_file_is_located(tmp_path):
    files = {"2024/a.md": article("Tin", "Thông báo", slug="feed")}
    site = write_site(tmp_path / "site", files, permalinks={"article": "{slug}.xml/"})
    code, err = _build(site)
    assert code == 1 and "Is a directory" not in err
    assert "content/2024/a.md:1: error: 'feed.xml/index.html' needs a folder 'feed.xml/'" in err, err
    assert "slug" in err.split("hint:")[1]


def test_a_static_file_where_a_folder_of_pages_must_go_is_located(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    (site / "static").mkdir()
    (site / "static/the").write_bytes(b"not a folder")
    code, err = _build(site)
    assert code == 1 and "Is a directory" not in err
    assert "static/the: error: 'the/" in err and "needs a folder 'the/'" in err, err
    assert err.count("needs a folder") == 1  # once for the file in the way, not once per page under it
    assert "rename or move the file in static/" in err


def test_two_generated_pages_on_one_url_are_blamed_on_the_permalinks(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES, permalinks={"archive": "2024/"})
    code, err = _build(site)
    assert code == 1
    assert "config.yaml: error: '2024/index.html' (the year page) would have the same URL as the archive page" in err
    assert "permalink in config.yaml" in err.split("hint:")[1]


# --- theme, base_url, preserve ------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["../x", "/srv/themes/x", "a/b", "..", ".", "", " default", "a\\b"])
def test_theme_is_a_folder_name_never_a_path(tmp_path, capsys, theme):
    err = _config_error(tmp_path, capsys, theme=theme)
    assert f"config.yaml:{_line_of(tmp_path / 'site', 'theme:')}: error: theme" in err and "is not a theme name" in err
    assert "hint: theme is a folder name inside themes/" in err


@pytest.mark.parametrize(
    "url,words",
    [
        ("https://thanh tri.example/", "contains a space"),
        ("https://thanhtri.example/tin tuc/", "contains a space"),
        ("ftp://thanhtri.example/", "not a full web address"),
        ("thanhtri.example", "not a full web address"),
        ("https://", "not a full web address"),
        ("https:///tin-tuc/", "not a full web address"),
        ("https://thanhtri.example:99999/", "not a full web address"),
        ("https://admin:mat-khau@thanhtri.example/", "without a user name"),
        ("https://thanhtri.example/?trang=1", "'?...'"),
        ("https://thanhtri.example/#top", "'#...'"),
    ],
)
def test_base_url_must_be_a_plain_http_address(tmp_path, capsys, url, words):
    err = _config_error(tmp_path, capsys, base_url=url)
    assert f"config.yaml:{_line_of(tmp_path / 'site', 'base_url:')}: error: base_url" in err and words in err, err
    assert 'base_url: "https://example.gov.vn/"' in err.split("hint:")[1]


def test_a_bad_base_url_on_the_command_line_is_named_as_such(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    result = run_cli_in_process("build", "--site", str(site), "--base-url", "https://staging example/")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--base-url: error: base_url 'https://staging example/' contains a space" in result.stderr


@pytest.mark.parametrize(
    "entry,words",
    [
        (".", "would keep the whole output folder"),
        ("./", "would keep the whole output folder"),
        ("", "must be a file or folder name"),
        ("../CNAME", "must be a path inside the output folder"),
        ("a/../../CNAME", "must be a path inside the output folder"),
        ("/etc/passwd", "must be a path inside the output folder"),
        ("~/CNAME", "must be a path inside the output folder"),
        ("C:\\www\\CNAME", "must be a path inside the output folder"),
    ],
)
def test_a_preserve_entry_must_be_inside_the_output_and_not_all_of_it(tmp_path, capsys, entry, words):
    err = _config_error(tmp_path, capsys, preserve=["CNAME", entry])
    line = _line_of(tmp_path / "site", "preserve:") + 2  # the second item, on its own line
    assert f"config.yaml:{line}: error: " in err and words in err, err
    assert "preserve: [CNAME, .well-known/]" in err.split("hint:")[1]


def test_preserve_entries_are_tidied_and_kept(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES, preserve=["./CNAME", ".well-known//"])
    code, err = _build(site)
    assert code == 0, err
    (site / "output/CNAME").write_text("thanhtri.example\n")
    (site / "output/.well-known").mkdir()
    (site / "output/.well-known/security.txt").write_text("Contact: mailto:x@example\n")
    (site / "content/2024/b.md").write_text(article("Tin hai", "Thông báo"), encoding="utf-8")
    code, err = _build(site)
    assert code == 0, err
    assert (site / "output/CNAME").read_text() == "thanhtri.example\n"
    assert (site / "output/.well-known/security.txt").is_file()


# --- how config.yaml itself is read -------------------------------------------------------------


def test_an_invisible_character_in_config_yaml_is_located(tmp_path, capsys):
    site = write_site(tmp_path / "site", ARTICLES)
    config = site / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("per_page: 20", "per_page: 20\ndescription: Trang\x9c tin")
    config.write_text(text, encoding="utf-8")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"config.yaml:{_line_of(site, 'description:')}: error: this line contains an invisible character" in err
    assert "type it again" in err


def test_old_mac_line_endings_in_config_yaml_keep_messages_right(tmp_path, capsys):
    site = write_site(tmp_path / "site", ARTICLES)
    config = site / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("per_page: 20\n", "per_page: 20\n  feed_size: 5\n")
    config.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    line = text.split("\n").index("  feed_size: 5") + 1
    assert f"config.yaml:{line}: error: this line is indented" in err, err


def test_a_bad_category_entry_is_located_at_its_own_line(tmp_path, capsys):
    err = _config_error(tmp_path, capsys, categories=["Thông báo", "Tin tức", "Tin-tức"])
    lines = (tmp_path / "site/config.yaml").read_text(encoding="utf-8").split("\n")
    line = lines.index("- Tin-tức") + 1
    assert f"config.yaml:{line}: error: categories 'Tin tức' and 'Tin-tức' would share the URL part 'tin-tuc'" in err
