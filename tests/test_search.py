"""The search index, read back in Python: what is indexed, how it is encoded and sharded."""

from __future__ import annotations

import json

import pytest
from sitekit import article, build_ok, write_site

from newsroom.search import decode_postings, encode_postings, fnv1a


@pytest.mark.parametrize("ids", [[], [0], [0, 1, 2, 3], [5, 7, 8, 9, 40, 41, 1000], list(range(0, 300, 3))])
def test_postings_round_trip(ids):
    assert decode_postings(encode_postings(ids)) == ids


def test_runs_make_common_terms_small():
    assert encode_postings(list(range(10_000))) == "0+7pr"


def test_fnv1a_matches_the_reference_values():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def load_index(out):
    folder = out / "tim-kiem/index"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    terms = {}
    for shard in range(meta["shards"]):
        terms.update(json.loads((folder / f"t/{shard}.json").read_text(encoding="utf-8")))
    docs = [
        d for c in range(-(-meta["docs"] // meta["chunk"])) for d in json.loads((folder / f"d/{c}.json").read_text())
    ]
    return meta, terms, docs


def test_index_folds_d_with_stroke_and_skips_drafts_and_future(tmp_path):
    files = {
        "2024/a.md": article("Đảng ủy xã họp", "Thông báo", "2024-05-01 08:00", "Bàn về công tác dân vận."),
        "2024/nhap.md": article("Bài nháp bí mật", "Thông báo", "2024-05-02 08:00", draft=True),
        "2099/sau.md": article("Bài hẹn giờ tương lai", "Thông báo", "2099-01-01 08:00"),
    }
    out = build_ok(write_site(tmp_path / "s", files))
    meta, terms, docs = load_index(out)
    assert meta["docs"] == 1 and [d[1] for d in docs] == ["Đảng ủy xã họp"]
    assert decode_postings(terms["dang"]) == [0] and decode_postings(terms["uy"]) == [0]
    assert "b:dang uy" in terms and "x:đảng" in terms and "t:dang" in terms
    assert "dan" in terms and "van" in terms  # from the body
    assert "bi" not in terms and "tuong" not in terms
    out2 = build_ok(tmp_path / "s", tmp_path / "preview", drafts=True, future=True)
    assert load_index(out2)[0]["docs"] == 3


def test_no_search_builds_no_index(tmp_path):
    out = build_ok(write_site(tmp_path / "s", {"2024/a.md": article("Tin", "Thông báo")}), search=False)
    assert not (out / "tim-kiem/index").exists()
    assert (out / "tim-kiem/index.html").is_file()


def test_shards_follow_the_hash(tmp_path):
    files = {
        f"2024/a{i}.md": article(f"Tin số {i} về chủ đề {i * 7}", "Thông báo", f"2024-05-{1 + i % 28:02d} 08:00")
        for i in range(60)
    }
    meta, _terms, _ = load_index(build_ok(write_site(tmp_path / "s", files)))
    folder = tmp_path / "s/output/tim-kiem/index/t"
    for shard in range(meta["shards"]):
        for term in json.loads((folder / f"{shard}.json").read_text(encoding="utf-8")):
            assert fnv1a(term) % meta["shards"] == shard
