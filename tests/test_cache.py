"""The build cache is data, never code: a hostile or damaged file in .cache/ is ignored (issue 14)."""

from __future__ import annotations

import hashlib
import os
import pickle
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import article, build_ok, write_site

from newsroom import codec
from newsroom.cache import FORMAT
from newsroom.config import Category
from newsroom.errors import ContentError
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


def _signed(payload: bytes) -> bytes:
    """A cache file as newsroom writes them: header, checksum, payload (an attacker can do this too)."""
    return FORMAT + hashlib.sha256(payload).digest() + payload


class _Payload:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_hostile_pickle_in_the_cache_is_never_run_and_the_build_equals_a_clean_one(tmp_path):
    site = _site(tmp_path)
    out = build_ok(site)
    canary = tmp_path / "ran"
    files = list((site / ".cache/build").rglob("*.cache"))
    assert files, "the cache was not written"
    for path in files:
        path.write_bytes(_signed(pickle.dumps(("x", _Payload(str(canary))))))
    (site / "content/2024/b.md").write_text(
        article("Tin hai đã sửa", "Thông báo", "2024-06-01 08:00"), encoding="utf-8"
    )
    build_ok(site)
    assert not canary.exists(), "a file in .cache/ ran code"
    assert snapshot(out) == snapshot(build_ok(site, tmp_path / "clean", clean=True))


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"{",
        b'["x", {"~": "Popen", "args": ["touch", "/tmp/x"]}]',
        b'["x", {"~": "Article", "title": "no other fields"}]',
        b'["x", {"~": "dt", "v": "2024-01-01T00:00:00", "z": "../../../../etc/passwd"}]',
        b'["x", {"~": "map", "v": [[[1, 2], 3]]}]',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["empty", "truncated", "foreign-type", "missing-fields", "odd-zone", "unhashable-key", "deep"],
)
def test_damaged_or_foreign_cache_files_are_ignored(tmp_path, payload):
    site = _site(tmp_path)
    out = build_ok(site)
    for path in (site / ".cache/build").rglob("*.cache"):
        path.write_bytes(_signed(payload))
    build_ok(site)
    assert snapshot(out) == snapshot(build_ok(site, tmp_path / "clean", clean=True))


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
