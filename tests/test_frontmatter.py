"""The front-matter module: one layout for the reader, the importer, ``new``, the desk and photos.

Fast unit tests: where ``split`` cuts a file (byte-order mark, Windows and old Mac line breaks,
no closing line, empty front matter, ``---`` in the body) and that its line numbers are the ones
the build reports; that ``write`` gives any readable file back byte for byte and changes only
the field that changed (Hypothesis, over hand-written-looking files); and that what ``new`` and
``import`` write reads back through ``content.parse_article`` as the values they were given.
"""

from __future__ import annotations

import json
from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sitekit import NOW, article, write_site

from newsroom import BuildOptions, build, frontmatter
from newsroom.config import load_config
from newsroom.content import parse_article
from newsroom.desk import Desk, Request, digest
from newsroom.errors import DeskError
from newsroom.importer import LegacyArticle, clean_text, import_paths, render_markdown
from newsroom.scaffold import render_new
from newsroom.yamltext import YamlProblem

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return load_config(write_site(tmp_path_factory.mktemp("site"), {}))


# --- split: where the front matter ends and the body begins -------------------------------------


def test_split_gives_front_body_and_the_body_line():
    parts = frontmatter.split('---\ntitle: "A"\ndate: 2024-05-01\n---\nFirst line.\n')
    assert parts == frontmatter.Split('title: "A"\ndate: 2024-05-01\n', "First line.\n", 5)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ufeff---\ntitle: A\n---\nBody\n\nMore\n", id="byte-order-mark"),
        pytest.param("---\r\ntitle: A\r\n---\r\nBody\r\n\r\nMore\r\n", id="crlf"),
        pytest.param("---\rtitle: A\r---\rBody\r\rMore\r", id="old-mac-cr"),
        pytest.param("\ufeff---\r\ntitle: A\r---\nBody\r\n\rMore\n", id="bom-and-mixed"),
    ],
)
def test_split_reads_bom_and_any_line_break_as_the_build_does(text):
    assert frontmatter.split(text) == frontmatter.Split("title: A\n", "Body\n\nMore\n", 4)
    assert frontmatter.normalise(text) == "---\ntitle: A\n---\nBody\n\nMore\n"


def test_a_front_matter_never_closed_opens_but_does_not_split():
    for text in ("---\ntitle: A\n\nBody", "---", "---\n", "\ufeff--- \r\ntitle: A"):
        assert frontmatter.split(text) is None
        assert frontmatter.opens(text)


def test_a_file_without_the_opening_line_neither_opens_nor_splits():
    for text in ("", "\n---\ntitle: A\n---\n", "title: A\n---\n", "----\ntitle: A\n---\n", " ---\n---\n"):
        assert frontmatter.split(text) is None
        assert not frontmatter.opens(text)


def test_empty_front_matter_has_no_fields_and_the_body_on_line_3():
    parts = frontmatter.split("---\n---\nBody")
    assert parts == frontmatter.Split("", "Body", 3)
    assert frontmatter.fields(parts) == []
    assert frontmatter.split("---\n---") == frontmatter.Split("", "", 3)


def test_only_the_first_closing_line_counts_and_later_ones_are_body():
    text = '---  \ntitle: "A"\n...\nText\n---\nnot: front matter\n---\n'
    parts = frontmatter.split(text)
    assert parts.front == 'title: "A"\n' and parts.body_line == 4
    assert parts.body == "Text\n---\nnot: front matter\n---\n"
    assert frontmatter.read(text).values == {"title": "A"}


def test_fields_are_located_at_the_lines_the_build_reports(config):
    text = article("Tin", "Thông báo", "2024-13-01", tags=["a"], summary="Tóm tắt")
    parts = frontmatter.split(text)
    date = next(e for e in frontmatter.fields(parts) if e.key == "date")
    [problem] = [p for p in parse_article("content/x.md", text.encode(), config).problems if not p.warning]
    assert problem.line == frontmatter.file_line(date.line) == frontmatter.read(text).lines["date"][0] == 4


def test_a_yaml_problem_is_on_the_same_line_for_the_reader_and_for_read(config):
    text = '---\ntitle: "A"\ncategory: "Thông báo"\ntitle: "B"\n---\n'
    [problem] = parse_article("content/x.md", text.encode(), config).problems
    with pytest.raises(YamlProblem) as raised:
        frontmatter.fields(frontmatter.split(text))
    assert problem.line == frontmatter.file_line(raised.value.line) == 4
    with pytest.raises(YamlProblem) as whole:
        frontmatter.read(text)
    assert whole.value.line + 1 == 4  # read counts the file's lines from 0


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_the_lines_read_gives_are_the_reader_s_lines_whatever_the_line_breaks(config, breaks, bom):
    """The desk places a problem at its field by these lines: a file saved on Windows (CRLF, BOM)
    or an old Mac (CR) must give the same line numbers as the build (once they were not read)."""
    text = bom + article("Tin", "Thông báo", "2024-02-30 08:00", summary="Tóm tắt").replace("\n", breaks)
    [problem] = [p for p in parse_article("content/x.md", text.encode(), config).problems if not p.warning]
    lines = frontmatter.read(text).lines
    assert frontmatter.field_at(lines, problem.line) == "date"
    assert frontmatter.split(text).body_line == lines["summary"][1] + 2


# --- write: byte for byte, one field at a time ----------------------------------------------------

KEYS = [*frontmatter.ORDER, "ghi_chu", "x-extra"]
_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=20)
_WORD = st.text(st.sampled_from("abcdđêơư ĐÂ0123456789-_.,"), min_size=1, max_size=12).map(str.strip).filter(bool)


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_text(draw, key: str) -> str:
    """One field's value as a person might type it: quoted either way, bare, a list, a group."""
    style = draw(st.sampled_from(["double", "single", "bare", "flow", "block", "date", "flag", "number", "empty"]))
    if style == "double":
        return " " + frontmatter.quote(draw(_TEXT))
    if style == "single":
        return " " + _single_quoted(draw(_TEXT))
    if style == "bare":
        return " " + draw(_WORD)
    if style == "flow":
        return " [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in draw(st.lists(_WORD, max_size=3))) + "]"
    if style == "block":
        items = draw(st.lists(_WORD, min_size=1, max_size=3))
        indent = draw(st.sampled_from(["", "  "]))
        return "".join(f"\n{indent}- {_single_quoted(item)}" for item in items)
    if style == "date":
        return " " + draw(st.sampled_from(["2024-05-01", "2024-05-01 08:00", "2020-10-15T13:50+07:00", "15/10/2020"]))
    if style == "flag":
        return " " + draw(st.sampled_from(["true", "false", "yes", "No", "on"]))
    if style == "number":
        return " " + str(draw(st.integers(-5, 10**6)))
    return draw(st.sampled_from(["", " ~", ' ""', " []"]))


@st.composite
def files(draw) -> str:
    """A readable file: fields in any order and style, comments, a document group, any body."""
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=len(KEYS)))
    lines = [f"# {draw(_WORD)}" for _ in range(draw(st.integers(0, 2)))]
    for key in keys:
        if key == "document":
            inner = draw(st.lists(st.sampled_from(["number", "issued", "issuer", "file"]), unique=True, min_size=1))
            lines.append("document:" + "".join(f"\n  {k}:{_value_text(draw, k)}" for k in inner))
        else:
            lines.append(f"{key}:{_value_text(draw, key)}" + draw(st.sampled_from(["", "  # ghi chú"])))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# giữa các trường", "   "])))
    body = draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=60))
    body = draw(st.sampled_from(["", "\n", "---\n", "\n---\nkhông phải: front matter\n...\n"])) + body
    return (
        "---\n" + "".join(line + "\n" for line in lines) + draw(st.sampled_from(["---", "...", "---  "])) + "\n" + body
    )


def _readable(text: str) -> frontmatter.FrontMatter:
    try:
        return frontmatter.read(text)
    except YamlProblem:
        assume(False)
        raise


@SETTINGS
@given(files())
@example("---\n# đầu tệp\ntitle: 'Một \"câu\"'  # ghi chú\ntags:\n- a\n\ndate: 2024-05-01\n...\n---\nThân bài\n")
def test_write_gives_any_readable_file_back_byte_for_byte(text):
    read = _readable(text)
    assert frontmatter.write(dict(read.values), frontmatter.split(text).body, text) == text


@SETTINGS
@given(files(), st.data())
def test_changing_one_field_keeps_every_other_line_and_the_body(text, data):
    read = _readable(text)
    assume(read.values)
    key = data.draw(st.sampled_from(sorted(read.values)))
    new = data.draw(_TEXT.filter(lambda t: t.strip() and t != read.values[key]))
    body = frontmatter.split(text).body
    out = frontmatter.write({**read.values, key: new}, body, text)
    again = frontmatter.read(out)
    assert again.values[key] == new
    assert again.preamble == read.preamble and frontmatter.split(out).body == body
    assert {k: s for k, s in again.segments.items() if k != key} == {k: s for k, s in read.segments.items() if k != key}


@SETTINGS
@given(files())
def test_line_of_finds_each_field_where_read_locates_it(text):
    read = _readable(text)
    for key in [*KEYS, "number", "issuer", "file"]:
        assert frontmatter.line_of(text, key) == (read.lines[key][0] if key in read.lines else None)


def test_keep_empty_writes_the_placeholders_only():
    values = {"title": "A", "author": "", "tags": [], "summary": "", "draft": False}
    assert frontmatter.write(values, "\n", keep_empty=("author", "tags")) == (
        '---\ntitle: "A"\nauthor: ""\ntags: []\n---\n\n'
    )


# --- what new and import write, read back as the build reads it -----------------------------------

_NAME = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@SETTINGS
@given(title=_NAME, author=_NAME, unit=_NAME, minute=st.integers(0, 59))
@example(title="Tin e\u200b\u0301 mới", author="Thanh\u00a0 Hồng", unit="", minute=0)
@example(title='a: b # c "d" \\e', author="", unit="Trung tâm", minute=5)
def test_what_new_writes_reads_back_as_the_same_values(config, title, author, unit, minute):
    title, author, unit = clean_text(title), clean_text(author), clean_text(unit)  # as new_article does
    assume(title)
    when = datetime(2024, 5, 1, 8, minute, tzinfo=ZONE)
    text = render_new(title, "Thông báo", when, author, unit)
    parsed = parse_article("content/2024/bai.md", text.encode("utf-8"), config)
    assert [p.message for p in parsed.problems if not p.warning] == []
    got = parsed.article
    assert (got.title, got.category.name, got.date, got.author, got.source_unit) == (
        title,
        "Thông báo",
        when,
        author,
        unit,
    )
    assert got.draft and got.tags == () and got.body_md == "\n"


@SETTINGS
@given(
    title=_NAME,
    lead=_NAME,
    author=_NAME,
    unit=_NAME,
    views=st.none() | st.integers(0, 10**12),
    has_time=st.booleans(),
    paragraphs=st.lists(_NAME.map(clean_text).filter(bool), max_size=3),
)
@example(title="Tin e\u200b\u0301 mới", lead="Lead", author="", unit="", views=0, has_time=True, paragraphs=[])
def test_what_import_writes_reads_back_as_the_export_said(
    config, title, lead, author, unit, views, has_time, paragraphs
):
    title, lead, author, unit = (clean_text(t) for t in (title, lead, author, unit))  # as parse_export does
    assume(title and lead)
    published = datetime(2020, 10, 15, 13, 50) if has_time else datetime(2020, 10, 15)
    legacy = LegacyArticle(
        "x.txt", "Thông báo", title, published, lead, tuple(paragraphs), author, unit, views, has_time
    )
    text = render_markdown(legacy, "Thông báo")
    parsed = parse_article("content/2020/bai.md", text.encode("utf-8"), config)
    assert [p.message for p in parsed.problems if not p.warning] == []
    got = parsed.article
    assert (got.title, got.summary, got.author, got.source_unit, got.legacy_views) == (title, lead, author, unit, views)
    assert got.date == published.replace(tzinfo=ZONE) and got.tags == ()


def test_clean_text_leaves_no_tone_mark_apart_from_its_letter():
    """An invisible character between a letter and its tone mark was removed after NFC, so the
    imported title was decomposed and no longer the title the build read back."""
    assert clean_text("Tin e\u200b\u0301 mới\u00ad") == "Tin é mới"


def test_an_article_the_build_refuses_is_still_recognised_with_old_mac_line_breaks(tmp_path):
    """The importer's light reader splits a refused article as the build does (it once knew only
    ``\\n`` and ``\\r\\n``), so an export of the same story is skipped, not imported twice."""
    by_hand = article("Khai mạc lớp tập huấn", "Chuyên mục cũ", "2020-10-15 13:50").replace("\n", "\r")
    site = write_site(tmp_path / "site", {"2020/viet-tay.md": by_hand})
    export = tmp_path / "tin.txt"
    export.write_text(
        "Thông báo\nKhai mạc lớp tập huấn\nNgày đăng 15/10/2020 | 13:50\nNội dung bài.\nThanh Hồng - Trung tâm\n",
        encoding="utf-8",
    )
    report = import_paths(site, [export])
    assert [s.existing for s in report.skipped] == [site / "content/2020/viet-tay.md"]
    assert report.imported == [] and report.failed == []


# --- the desk's front-matter uses -------------------------------------------------------------------


def test_the_desk_refuses_a_raw_save_with_broken_yaml_placing_the_problem(tmp_path):
    """Saving as plain text (the desk's raw mode) a file whose front matter YAML cannot read used
    to raise YamlProblem out of the 'is it a draft?' check instead of answering 'not saved'."""
    site = write_site(tmp_path / "site", {"2024/mot.md": article("Bài một", "Thông báo", "2024-05-01 08:00")})
    before = (site / "content/2024/mot.md").read_bytes()
    form = {"path": "content/2024/mot.md", "hash": digest(before), "raw": '---\ntitle: "A"\ntitle: "B"\n---\nx\n'}
    with pytest.raises(DeskError) as refused:
        Desk(site).api_save(Request("POST", "/_desk/api/save", {}, {}, json.dumps(form).encode()))
    assert refused.value.status == HTTPStatus.UNPROCESSABLE_ENTITY
    assert refused.value.message.startswith("not saved: the article has errors")
    [problem] = refused.value.extra["problems"]
    assert (problem["field"], problem["line"]) == ("title", 3)
    assert (site / "content/2024/mot.md").read_bytes() == before


# --- the photo step's front-matter use --------------------------------------------------------------


def test_a_missing_featured_image_is_warned_at_the_line_the_build_counts(tmp_path):
    """The photo step counted lines its own way (``splitlines``): a U+2028 in a field before it,
    which YAML reads as a space, made a line of its own and moved the warning one line down."""
    text = (
        '---\ntitle: "Thiếu ảnh"\ncategory: "Thông báo"\ndate: 2024-05-01 08:00\nauthor: "Thanh Hồng"\n'
        'summary: "Một dòng\u2028tách"\nimage: "anh/khong-co.jpg"\n---\nNội dung.\n'
    )
    site = write_site(tmp_path / "site", {"2024/a.md": text})
    report = build(site, BuildOptions(output=tmp_path / "out", now=NOW))
    [warning] = [w for w in report.warnings if "khong-co.jpg" in w.message]
    assert warning.line == 7
