"""The build cache is data, never code: a hostile or damaged file in .cache/ is ignored (issue 14)."""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import NOW, article, build_ok, write_site

from newsroom import BuildOptions, build, codec
from newsroom.cache import FILE, FORMAT, StoredProblems, cache_dir
from newsroom.config import Category
from newsroom.errors import MAX_WARNINGS_SHOWN, ContentError, shown_warnings
from newsroom.i18n import ENGLISH
from newsroom.model import Article


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _site(tmp_path):
    return write_site(
        tmp_path / "site",
        {
            "2024/a.md": article("Tin một", "Thông báo", tags=["Dân vận"], body="Một [liên kết](b.md)."),
            "2024/b.md": article("Tin hai", "Thông báo", "2024-06-01 08:00"),
        },
    )


def _edit(site: Path) -> None:
    """The editor's change the tests make after damaging the cache: article b's title."""
    (site / "content/2024/b.md").write_text(
        article("Tin hai đã sửa", "Thông báo", "2024-06-01 08:00"), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """What a clean build of the test site writes, as written ("as-written") and after ``_edit`` ("edited"):
    made once for the module, as every test's site has these same sources."""
    site = _site(tmp_path_factory.mktemp("clean"))
    outputs = {"as-written": snapshot(build_ok(site, site.parent / "as-written", clean=True))}
    _edit(site)
    outputs["edited"] = snapshot(build_ok(site, site.parent / "edited", clean=True))
    return outputs


def _memo(site: Path) -> Path:
    path = cache_dir(site, site / "output") / FILE
    assert path.is_file(), "the cache was not written"
    return path


def _sealed(payload: bytes) -> bytes:
    """A row value as newsroom writes it: checksum, then the payload (an attacker can do this too)."""
    return hashlib.blake2b(payload, digest_size=16).digest() + payload


def _rewrite_rows(path: Path, payload: bytes) -> None:
    """Put ``payload``, validly sealed, into every value of the memo file (a forged cache)."""
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE parse SET value=?", (_sealed(payload),))
        db.execute("UPDATE body SET facts=?, html=?, terms=?", (_sealed(payload), _sealed(payload), _sealed(payload)))
        db.execute("UPDATE info SET value=? WHERE name != 'code'", (_sealed(payload),))
    db.close()


class _Payload:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_hostile_pickle_in_the_cache_is_never_run_and_the_build_equals_a_clean_one(tmp_path, clean):
    site = _site(tmp_path)
    out = build_ok(site)
    canary = tmp_path / "ran"
    _rewrite_rows(_memo(site), pickle.dumps(("x", _Payload(str(canary)))))
    _edit(site)
    build_ok(site)
    assert not canary.exists(), "a file in .cache/ ran code"
    assert snapshot(out) == clean["edited"]


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"{",
        b'{"~": "Popen", "args": ["touch", "/tmp/x"]}',
        b'{"~": "Article", "title": "no other fields"}',
        b'{"~": "dt", "v": "2024-01-01T00:00:00", "z": "../../../../etc/passwd"}',
        b'{"~": "map", "v": [[[1, 2], 3]]}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"~": "Category.00000000", "v": ["Tin", "tin"]}',
        codec.encode(Category("Tin", "tin")).replace(b',"tin"]', b"]"),
        codec.encode(Category("Tin", "tin")).replace(b"]", b'],"title":"x"'),
    ],
    ids=[
        "empty",
        "truncated",
        "foreign-type",
        "missing-fields",
        "odd-zone",
        "unhashable-key",
        "deep",
        "changed-class",
        "a-value-short",
        "a-key-more",
    ],
)
def test_damaged_or_foreign_rows_are_ignored(tmp_path, clean, payload):
    site = _site(tmp_path)
    out = build_ok(site)
    _rewrite_rows(_memo(site), payload)
    build_ok(site)
    assert snapshot(out) == clean["as-written"]


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(5000))


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _flipped(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for at in range(100, len(data), 997):  # a byte in every page, headers and rows alike
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def _other_version(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={FORMAT + 1}")
    db.close()


def _other_code(path: Path) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE info SET value='another newsroom' WHERE name='code'")
    db.close()


def _wrong_schema(path: Path) -> None:
    """A SQLite file of the right version whose tables are not ours (another tool's, or a tampered one)."""
    path.unlink()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={FORMAT}")
    with db:
        db.execute("CREATE TABLE info (name TEXT, value TEXT)")
        db.execute("CREATE TABLE parse (source TEXT, value TEXT, extra TEXT)")
        db.execute("INSERT INTO info VALUES ('code', 'x')")
    db.close()


def _old_format(path: Path) -> None:
    """The shard files of format 6 beside it, signed as that format wrote them."""
    payload = b'["x", {"~": "Popen", "args": ["touch", "/tmp/x"]}]'
    old = b"newsroom-cache-6\n" + hashlib.sha256(payload).digest() + payload
    (path.parent / "meta.cache").write_bytes(old)
    (path.parent / "articles-00.cache").write_bytes(old)
    path.unlink()


@pytest.mark.parametrize(
    "damage",
    [_garbage, _truncated, _flipped, _other_version, _other_code, _wrong_schema, _old_format],
    ids=["garbage", "truncated", "flipped-bytes", "other-format-version", "other-code", "wrong-schema", "old-shards"],
)
def test_a_damaged_or_foreign_memo_file_is_ignored_and_the_build_equals_a_clean_one(tmp_path, clean, damage):
    site = _site(tmp_path)
    out = build_ok(site)
    damage(_memo(site))
    _edit(site)
    build_ok(site)
    assert snapshot(out) == clean["edited"]
    # and the next build trusts the file it wrote in its place
    build_ok(site)
    assert snapshot(out) == clean["edited"]
    assert not list((_memo(site).parent).glob("articles-*.cache")), "format 6 files are left behind"


def test_values_come_back_as_they_went_in():
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    value = {
        "article": Article(
            source="content/2024/a.md",
            title="Tin",
            category=Category("Thông báo", "thong-bao"),
            date=datetime(2024, 5, 1, 8, 0, tzinfo=zone),
            slug="a",
            url="2024/05/a/",
            body_md="",
            body_line=7,
            tags=("a", "b"),
        ),
        "problems": [ContentError("content/x.md", 3, "sai", "sửa", 2, True)],
        "day": date(2024, 1, 2),
        "pairs": {("a", 1): (None, "x")},
        "~": "not a tag here",
    }
    back = codec.decode(codec.encode(value))
    assert back == value
    assert back["article"].date.tzinfo == zone and isinstance(back["article"].tags, tuple)


def test_nothing_in_newsroom_reads_pickles_from_disk():
    # parallel.py unpickles results from its own forked workers through a pipe: never a file.
    root = Path(__file__).resolve().parent.parent / "newsroom"
    readers = [p.name for p in root.rglob("*.py") if "pickle.load" in p.read_text(encoding="utf-8")]
    assert readers == ["parallel.py"]


@pytest.mark.parametrize("damage", ["missing", "not-sealed"])
def test_a_body_whose_stored_html_is_gone_when_a_page_shows_it_makes_a_clean_build(tmp_path, clean, damage):
    """Bodies' HTML is read only for the pages a build renders: after b's title changes, the list pages showing
    a too are rendered and need a's HTML; when the memo lost it, the build starts over from a clean memo."""
    site = _site(tmp_path)
    out = build_ok(site)
    db = sqlite3.connect(_memo(site))
    with db:
        if damage == "missing":
            db.execute("DELETE FROM body WHERE source='content/2024/a.md'")
        else:
            db.execute("UPDATE body SET html=? WHERE source='content/2024/a.md'", (b"not sealed",))
    db.close()
    _edit(site)
    build_ok(site)
    assert snapshot(out) == clean["edited"]


def _problems_row(site: Path) -> tuple[int, bytes]:
    db = sqlite3.connect(_memo(site))
    try:
        return db.execute("SELECT rowid, value FROM info WHERE name='last_problems'").fetchone()
    finally:
        db.close()


def test_the_warnings_row_is_written_again_only_when_the_warnings_change(tmp_path):
    """A site with thousands of warnings rewrote them on every build; a build that finds the same ones
    (a fresh process reading them back) leaves their row alone. ``INSERT OR REPLACE`` gives a replaced
    row a new rowid: the same rowid means the row was not written."""
    site = write_site(
        tmp_path / "site",
        {
            "2024/a.md": article("Tin một", "Thông báo", body="Ảnh: ![ảnh](images/khong-co.jpg)"),
            "2024/b.md": article("Tin hai", "Thông báo", "2024-06-01 08:00"),
        },
    )
    build_ok(site)
    first = _problems_row(site)
    (site / "content/2024/b.md").write_text(
        article("Tin hai", "Thông báo", "2024-06-01 08:00", "Thân bài mới."), encoding="utf-8"
    )
    build_ok(site)
    assert _problems_row(site) == first
    (site / "content/2024/b.md").write_text(
        article("Tin hai", "Thông báo", "2024-06-01 08:00", "![x](images/x.jpg)"), encoding="utf-8"
    )
    build_ok(site)
    changed = _problems_row(site)
    assert changed != first and b"images/x.jpg" in changed[1]


@pytest.mark.parametrize(
    "moment",
    [
        datetime.max.replace(tzinfo=ZoneInfo("America/New_York")),  # "no scheduled article" behind UTC
        datetime.max.replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        datetime(2024, 10, 27, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # the hour that comes twice
        datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Berlin")),
    ],
)
def test_a_stored_moment_comes_back_as_it_was(moment):
    """A site in a zone behind UTC with nothing scheduled once could not read its own record back
    (``datetime.max`` pushed past year 9999 on the way through UTC): every build after the first crashed."""
    back = codec.decode(codec.encode(moment))
    assert back == moment and back.isoformat() == moment.isoformat() and back.tzinfo == moment.tzinfo
    assert back.utcoffset() == moment.utcoffset()


def _warned_site(tmp_path: Path, count: int) -> Path:
    """A site whose every article shows a picture that is not there: one warning each. Its files were saved
    long ago, so that a build right after another can tell nothing changed (file times within a few seconds
    of the build cannot vouch for a file's bytes)."""
    site = write_site(
        tmp_path / "site",
        {
            f"2024/bai-{n:02d}.md": article(f"Tin số {n}", "Thông báo", body=f"![Ảnh](images/khong-co-{n}.jpg)")
            for n in range(count)
        },
    )
    for path in site.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))
    return site


LONG_AGO = 1_700_000_000  # November 2023


def test_a_build_that_changed_nothing_reports_every_warning_and_decodes_only_those_it_prints(tmp_path):
    """At 100,000 articles a site may carry tens of thousands of warnings: a build that prints the first
    twenty and the count no longer revives all of them (half a second), yet reports the same ones."""
    site = _warned_site(tmp_path, MAX_WARNINGS_SHOWN + 5)
    out = tmp_path / "out"
    first = build(site, BuildOptions(output=out, now=NOW))
    assert len(first.warnings) == MAX_WARNINGS_SHOWN + 5
    again = build(site, BuildOptions(output=out, now=NOW))
    assert again.rendered == 0 and isinstance(again.warnings, StoredProblems)
    assert len(again.warnings) == len(first.warnings) and bool(again.warnings)
    assert shown_warnings(again.warnings, ENGLISH) == shown_warnings(first.warnings, ENGLISH)
    assert not again.warnings.decoded  # the lines printed came from the record's first twenty
    assert again.warnings == first.warnings and list(again.warnings) == first.warnings
    assert again.warnings.decoded
    assert again.warnings[-1] == first.warnings[-1] and again.warnings[3:7] == first.warnings[3:7]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda record: record.pop("problems"),
        lambda record: record["problems"]["warnings"].__setitem__(0, 3),  # a count the first ones do not fit
        lambda record: record["problems"].__setitem__("skipped", "nhiều"),
    ],
    ids=["no-heads", "wrong-count", "not-a-list"],
)
def test_a_record_whose_warnings_do_not_add_up_is_not_trusted(tmp_path, spoil):
    site = _warned_site(tmp_path, MAX_WARNINGS_SHOWN + 2)
    out = tmp_path / "out"
    first = build(site, BuildOptions(output=out, now=NOW))
    db = sqlite3.connect(cache_dir(site, out) / FILE, isolation_level=None)
    [(row,)] = db.execute("SELECT value FROM info WHERE name = 'last_build'").fetchall()
    record = codec.decode(row[16:])
    spoil(record)
    db.execute("UPDATE info SET value = ? WHERE name = 'last_build'", (_sealed(codec.encode(record)),))
    db.close()
    again = build(site, BuildOptions(output=out, now=NOW))
    assert not isinstance(again.warnings, StoredProblems)  # built again, not taken from the record
    assert again.warnings == first.warnings


def test_a_few_warnings_are_all_at_hand_without_decoding_the_row(tmp_path):
    """Fewer than twenty: the first twenty are all of them (the save after every body edit asks for them)."""
    site = _warned_site(tmp_path, 3)
    out = tmp_path / "out"
    first = build(site, BuildOptions(output=out, now=NOW))
    again = build(site, BuildOptions(output=out, now=NOW))
    assert again.warnings[:MAX_WARNINGS_SHOWN] == first.warnings and not again.warnings.decoded
