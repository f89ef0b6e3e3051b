"""Every bad input an editor can make gets one clear message: file, line, what, and how to fix.

Each case builds a real site through the command line's ``main`` and asserts the exit status,
the exact file and line, and the words of the message and its hint.
"""

from __future__ import annotations

import pytest
from sitekit import NOW, article, run_cli_in_process, write_site

from newsroom import BuildOptions, collect
from newsroom.cli import main

GOOD_HEAD = 'title: "Tin hay"\ncategory: "Thông báo"\ndate: 2024-05-01 08:00\nauthor: "Thu Hà"\n'

ERRORS = [
    # (case id, file text, line, words in the message, words in the hint)
    ("no-front-matter", "Chỉ có nội dung.\n", 1, "no front matter", "---"),
    ("unclosed-front-matter", "---\ntitle: x\ncategory: y\n\nNội dung\n", 1, "never closed", "add a line '---'"),
    ("bad-indent", "---\n" + GOOD_HEAD + "  summary: lệch\n---\nx\n", 6, "indented", "beginning of the line"),
    ("tab", "---\n" + GOOD_HEAD + "tags:\n\t- a\n---\nx\n", 7, "tab character", "spaces"),
    ("unclosed-quote", '---\ntitle: "Tin hay\ncategory: "Thông báo"\n---\nx\n', 2, "never closed", "quote"),
    (
        "colon-in-title",
        "---\ntitle: Thanh Trì: khai mạc\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n",
        2,
        "': '",
        "double quotes",
    ),
    (
        "missing-title",
        "---\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n",
        1,
        "required field 'title' is missing",
        "title:",
    ),
    ("empty-title", '---\ntitle: ""\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n', 2, "'title' is empty", "title:"),
    ("blank-title", "---\ntitle:\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n", 2, "'title' is empty", "title:"),
    (
        "missing-date",
        '---\ntitle: "x"\ncategory: Thông báo\n---\nx\n',
        1,
        "required field 'date' is missing",
        "2024-05-01",
    ),
    (
        "unknown-category",
        '---\ntitle: "x"\ncategory: "Dang, doan the"\ndate: 2024-05-01\n---\nx\n',
        3,
        "not declared",
        "did you mean 'Đảng, đoàn thể'",
    ),
    (
        "unknown-category-typo",
        '---\ntitle: "x"\ncategory: "Thong bao chung"\ndate: 2024-05-01\n---\nx\n',
        3,
        "not declared",
        "Thông báo",
    ),
    (
        "impossible-date",
        '---\ntitle: "x"\ncategory: Thông báo\ndate: 2024-02-30\n---\nx\n',
        4,
        "not a real date",
        "29 days",
    ),
    (
        "date-day-first",
        '---\ntitle: "x"\ncategory: Thông báo\ndate: 15/10/2020 13:50\n---\nx\n',
        4,
        "not a date",
        "2020-10-15 13:50",
    ),
    (
        "date-time-only",
        '---\ntitle: "x"\ncategory: Thông báo\ndate: 12:30\n---\nx\n',
        4,
        "'date: 12:30'",
        "year-month-day",
    ),
    (
        "impossible-time",
        '---\ntitle: "x"\ncategory: Thông báo\ndate: 2024-05-01 25:10\n---\nx\n',
        4,
        "impossible time",
        "13:50",
    ),
    ("title-no", "---\ntitle: NO\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n", 2, "yes/no value", 'title: "NO"'),
    (
        "title-number",
        "---\ntitle: 2024\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n",
        2,
        "a number",
        'title: "2024"',
    ),
    ("tags-yes", "---\n" + GOOD_HEAD + "tags: yes\n---\nx\n", 6, "'tags' must be a list", 'tags: ["yes"]'),
    ("tags-text", "---\n" + GOOD_HEAD + "tags: Dân vận\n---\nx\n", 6, "'tags' must be a list", 'tags: ["Dân vận"]'),
    (
        "tags-number-item",
        "---\n" + GOOD_HEAD + "tags:\n  - Dân vận\n  - 2024\n---\nx\n",
        8,
        "each tag must be text",
        "double quotes",
    ),
    ("tags-nested", "---\n" + GOOD_HEAD + "tags: [[a, b]]\n---\nx\n", 6, "each tag must be text", "double quotes"),
    ("slug-octal", "---\n" + GOOD_HEAD + "slug: 012345\n---\nx\n", 6, "'slug' must be text", 'slug: "012345"'),
    (
        "slug-slash",
        "---\n" + GOOD_HEAD + "slug: tin/hay\n---\nx\n",
        6,
        "cannot use as they are: '/'",
        'slug: "tin-hay"',
    ),
    ("slug-dotdot", "---\n" + GOOD_HEAD + "slug: ..tin\n---\nx\n", 6, "cannot use as they are: '.'", "slug:"),
    ("slug-nul", "---\n" + GOOD_HEAD + 'slug: "tin\\0hay"\n---\nx\n', 6, "invisible character", "slug:"),
    ("slug-empty", "---\n" + GOOD_HEAD + 'slug: "---"\n---\nx\n', 6, "nothing but dashes", 'slug: "'),
    ("slug-question", "---\n" + GOOD_HEAD + 'slug: "tin?a=1"\n---\nx\n', 6, "'?', '='", 'slug: "tin-a-1"'),
    ("slug-hash", "---\n" + GOOD_HEAD + 'slug: "tin#hay"\n---\nx\n', 6, "'#'", 'slug: "tin-hay"'),
    ("slug-percent", "---\n" + GOOD_HEAD + 'slug: "tin%2e%2e"\n---\nx\n', 6, "'%'", "slug:"),
    ("slug-dots-only", "---\n" + GOOD_HEAD + 'slug: "..."\n---\nx\n', 6, "'.'", "slug:"),
    ("slug-dot", "---\n" + GOOD_HEAD + 'slug: "index.html"\n---\nx\n', 6, "'.'", 'slug: "index-html"'),
    ("slug-capitals", "---\n" + GOOD_HEAD + 'slug: "Tin-Moi"\n---\nx\n', 6, "capital letters", 'slug: "tin-moi"'),
    ("slug-accents", "---\n" + GOOD_HEAD + 'slug: "tin-mới"\n---\nx\n', 6, "letters with accents", 'slug: "tin-moi"'),
    ("slug-space", "---\n" + GOOD_HEAD + 'slug: "tin moi"\n---\nx\n', 6, "spaces", 'slug: "tin-moi"'),
    ("slug-long", "---\n" + GOOD_HEAD + f'slug: "{"a" * 300}"\n---\nx\n', 6, "300 characters long", "at most 200"),
    (
        "duplicate-key",
        "---\n" + GOOD_HEAD + 'title: "Lần hai"\n---\nx\n',
        6,
        "'title' is given twice (first on line 2)",
        "keep one",
    ),
    ("draft-not-bool", "---\n" + GOOD_HEAD + "draft: có\n---\nx\n", 6, "'draft' must be true or false", "draft: true"),
    ("empty-file", "", 1, "file is empty", "---"),
    ("whitespace-file", "  \n\n", 1, "file is empty", "---"),
    (
        "alias-bomb",
        "---\n" + GOOD_HEAD + "a: &x [1, 2]\nb: [*x, *x]\n---\nx\n",
        6,
        "anchors and aliases",
        "write the value out",
    ),
    (
        "python-tag",
        "---\n" + GOOD_HEAD + "summary: !!python/object/apply:os.system ['true']\n---\nx\n",
        6,
        "is not allowed",
        "remove",
    ),
    (
        "broken-md-link",
        "---\n" + GOOD_HEAD + "---\n\nĐoạn một.\n\nXem [bài khác](../2023/khong-co.md).\n",
        10,
        "no such article file",
        "check the file name",
    ),
]


def _run(tmp_path, text: str | bytes, name: str = "2024/bai.md", capsys=None, extra: dict | None = None):
    files = {name: text, **(extra or {})}
    site = write_site(tmp_path / "site", files, categories=["Đảng, đoàn thể", "Thông báo"])
    code = main(["build", "--site", str(site)])
    return site, code


@pytest.mark.parametrize("text,line,message,hint", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_bad_input_gives_one_clear_located_error(tmp_path, capsys, text, line, message, hint):
    site, code = _run(tmp_path, text)
    err = capsys.readouterr().err
    assert code == 1
    assert f"content/2024/bai.md:{line}:" in err, err
    assert message in err, err
    assert "hint:" in err and hint in err, err
    assert "Traceback" not in err
    assert not (site / "output").exists()


def test_every_error_is_reported_not_just_the_first(tmp_path, capsys):
    bad = {
        "2024/a.md": "---\ntitle: NO\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n",
        "2024/b.md": '---\ntitle: "b"\ncategory: "Sai"\ndate: 2024-02-30\n---\nx\n',
    }
    site = write_site(tmp_path / "site", bad, categories=["Thông báo"])
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/a.md:2:" in err
    assert "content/2024/b.md:3:" in err and "content/2024/b.md:4:" in err
    assert "3 errors" in err


def test_not_utf8_names_the_byte_offset(tmp_path, capsys):
    data = ("---\n" + GOOD_HEAD + "---\n\nĐoạn một.\n").encode("utf-8") + b"Ng\xe0y 15\n"
    _, code = _run(tmp_path, data)
    err = capsys.readouterr().err
    offset = data.index(b"\xe0")
    assert code == 1
    assert f"content/2024/bai.md:9: error: file is not UTF-8 text (byte 0xE0 at byte offset {offset})" in err
    assert "UTF-8" in err.split("hint:")[1]


def test_bom_and_crlf_are_accepted_silently(tmp_path, capsys):
    text = "\ufeff" + article("Tin có BOM", "Thông báo", "2024-05-01 08:00", "Dòng một.\n\nDòng hai.")
    site, code = _run(tmp_path, text.replace("\n", "\r\n").encode("utf-8"))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "warning" not in captured.err
    assert "Tin có BOM" in (site / "output/2024/05/bai/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text,line,message,hint",
    [
        (
            "---\n" + GOOD_HEAD + "source-unit: Ban Dân vận\n---\nx\n",
            6,
            "unknown front-matter field 'source-unit'",
            "did you mean 'source_unit'?",
        ),
        ('---\ntitle: "x"\ncategory: Thông báo\ndate: 2024-05-01\n---\nx\n', 1, "no author given", "author:"),
        (
            "---\n" + GOOD_HEAD + "---\n\nẢnh:\n\n![Hội nghị](images/khong-co.jpg)\n",
            10,
            "image 'images/khong-co.jpg' not found",
            "picture file",
        ),
    ],
    ids=["unknown-key", "no-author", "missing-image"],
)
def test_warnings_do_not_fail_unless_strict(tmp_path, capsys, text, line, message, hint):
    site, code = _run(tmp_path, text)
    err = capsys.readouterr().err
    assert code == 0
    assert f"content/2024/bai.md:{line}: warning: {message}" in err, err
    assert hint in err
    assert (site / "output/index.html").is_file()
    assert main(["build", "--site", str(site), "--strict"]) == 1


@pytest.mark.parametrize(
    "name_a,name_b,words",
    [("anh.png", "Anh.png", "letter case"), ("m\u1edbi.png", "mo\u031b\u0301i.png", "accents")],
    ids=["case", "nfc-nfd"],
)
def test_urls_differing_only_by_case_or_normalisation_clash(tmp_path, capsys, name_a, name_b, words):
    site = write_site(tmp_path / "site", {"2024/a.md": article("Một", "Thông báo")}, categories=["Thông báo"])
    (site / "static").mkdir()
    (site / "static" / name_a).write_bytes(b"a")
    (site / "static" / name_b).write_bytes(b"b")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert name_a in err and name_b in err and words in err


def test_oversized_file_is_refused(tmp_path, capsys):
    text = article("To quá", "Thông báo", body="chữ " * 400_000)
    _, code = _run(tmp_path, text)
    err = capsys.readouterr().err
    assert code == 1 and "content/2024/bai.md: error: file is" in err and "max_file_kb" in err


def test_check_lists_problems_drafts_and_schedule_without_writing(tmp_path, capsys):
    files = {
        "2024/ok.md": article("Bình thường", "Thông báo", "2024-05-01 08:00"),
        "2024/nhap.md": article("Nháp", "Thông báo", "2024-05-02 08:00", "[x](khong-co.md)", draft=True),
        "2099/sau.md": article("Sau này", "Thông báo", "2099-01-01 08:00"),
    }
    site = write_site(tmp_path / "site", files, categories=["Thông báo"])
    code = main(["check", "--site", str(site)])
    out = capsys.readouterr()
    assert code == 1
    assert "content/2024/nhap.md:" in out.err and "no such article file" in out.err
    assert "content/2024/nhap.md: not published yet: draft" in out.out
    assert "content/2099/sau.md: not published yet: scheduled for 2099-01-01 08:00" in out.out
    assert not (site / "output").exists()


def test_collect_api_reports_errors_without_raising(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": "---\ntitle: NO\n---\n"}, categories=["Thông báo"])
    result = collect(site, BuildOptions(now=NOW))
    assert result.errors and not result.files


def test_a_link_to_an_article_with_its_own_error_is_not_reported_as_missing(tmp_path, capsys):
    files = {
        "2024/a.md": article("Một", "Thông báo", body="Xem [bài hai](b.md)."),
        "2024/b.md": article("Hai", "Không có chuyên mục này"),
    }
    site = write_site(tmp_path / "site", files, categories=["Thông báo"])
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2024/b.md:3: error: category" in err
    assert "no such article file" not in err and "1 error" in err


# --- issue 12, item 11: invisible characters, dates out of range, month-first dates (built through the CLI)


def _cli_build(tmp_path, text: str, *options: str):
    """Build a one-article site with ``python build.py build``; returns (exit status, stderr)."""
    site = write_site(tmp_path / "site", {"2024/bai.md": text}, categories=["Thông báo"])
    result = run_cli_in_process("build", "--site", str(site), *options)
    return result.returncode, result.stderr


@pytest.mark.parametrize("char", ["\x85", "\x90", "\ufffe"], ids=["nel", "c1", "fffe"])
def test_an_invisible_pasted_character_is_located_at_its_line(tmp_path, char):
    text = "---\n" + GOOD_HEAD + f"summary: Tóm{char} tắt\n---\nx\n"
    code, err = _cli_build(tmp_path, text)
    assert code == 1 and "Traceback" not in err
    assert f"content/2024/bai.md:6:13: error: this line contains an invisible character (U+{ord(char):04X})" in err
    assert "hint: it was probably pasted in with the text: delete this line and type it again" in err


def test_an_invisible_character_on_the_first_field_points_at_line_2(tmp_path):
    code, err = _cli_build(tmp_path, '---\ntitle: "Tin\x9d hay"\ncategory: "Thông báo"\ndate: 2024-05-01\n---\nx\n')
    assert code == 1 and "content/2024/bai.md:2:12: error:" in err and "U+009D" in err


@pytest.mark.parametrize(
    "value,year", [("0001-01-01T00:00+14:00", 1), ("9999-12-31T23:59-12:00", 9999)], ids=["year-1", "year-9999"]
)
@pytest.mark.parametrize("field", ["date", "updated"])
def test_a_date_out_of_range_is_refused_at_its_line_not_blamed_on_a_template(tmp_path, value, year, field):
    head = 'title: "Tin hay"\ncategory: "Thông báo"\n'
    dates = f"date: {value}\n" if field == "date" else f"date: 2024-05-01\nupdated: {value}\n"
    line = 4 if field == "date" else 5
    code, err = _cli_build(tmp_path, "---\n" + head + dates + 'author: "Thu Hà"\n---\nx\n', "--future")
    assert code == 1 and "Traceback" not in err and "templates" not in err and ".html" not in err, err
    assert f"content/2024/bai.md:{line}:" in err and f"'{field}: {value}' has the year {year}" in err, err
    assert "between the years 1900 and 2200" in err and "hint: check the year" in err


@pytest.mark.parametrize(
    "value,suggestion,note",
    [
        ("10/15/2020", "date: 2020-10-15", "month/day/year"),
        ("10/15/2020 13:50", "date: 2020-10-15 13:50", "month/day/year"),
        ("15/10/2020", "date: 2020-10-15", ""),
        ("05/10/2020", "date: 2020-10-05", "read day first, as usual in Việt Nam"),
    ],
    ids=["month-first", "month-first-time", "day-first", "both-readings"],
)
def test_a_slashed_date_gets_the_same_date_year_first_as_a_hint(tmp_path, value, suggestion, note):
    head = 'title: "Tin hay"\ncategory: "Thông báo"\n'
    code, err = _cli_build(tmp_path, "---\n" + head + f"date: {value}\n" + 'author: "Thu Hà"\n---\nx\n')
    assert code == 1 and f"content/2024/bai.md:4:1: error: 'date: {value}' is not a date" in err
    hint = err.split("hint:")[1]
    assert f"write it year first:  {suggestion}" in hint and note in hint
    if value == "05/10/2020":
        assert "2020-05-10" in hint  # the other reading is offered too


def test_an_impossible_offset_is_named_as_such(tmp_path):
    head = 'title: "Tin hay"\ncategory: "Thông báo"\n'
    code, err = _cli_build(tmp_path, "---\n" + head + "date: 2024-05-01T10:00+25:00\n---\nx\n")
    assert code == 1 and "content/2024/bai.md:4:1:" in err and "impossible offset from UTC (+25:00" in err
    assert "+07:00" in err.split("hint:")[1]
