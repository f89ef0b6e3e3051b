"""search.py's encoding in isolation: postings, terms, shards and the files a browser downloads.

search.js decodes what these functions encode, so the format is pinned here: gap-encoded base-36
runs that round-trip for any sorted ids, FNV-1a hashes equal to the published test vectors, the
terms one article contributes, and an index whose every term can be found again in the shard its
hash names, with Vietnamese text kept as UTF-8.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import article, build_ok, model_article, write_site

from newsroom.config import Category, Config
from newsroom.search import (
    CHUNK,
    FORMAT_VERSION,
    SearchIndexer,
    clauses,
    decode_postings,
    document_terms,
    encode_postings,
    fnv1a,
    shard_group,
    term_keys,
)
from newsroom.site import make_site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NEWS = Category("Tin tức", "tin-tuc")
PARTY = Category("Đảng, đoàn thể", "dang-doan-the")


@pytest.mark.parametrize(
    ("ids", "text"),
    [
        ([], ""),
        ([0], "0"),
        ([5], "5"),
        ([0, 1, 2, 3], "0+3"),  # a run: start, then how many more follow
        ([0, 1, 2, 3, 10, 11, 40], "0+3,6+1,s"),  # gaps count from the end of the last run
        ([35, 36], "z+1"),
        ([36 * 36], "100"),  # base 36
    ],
)
def test_postings_encode_as_gap_runs_in_base_36(ids, text):
    assert encode_postings(ids) == text
    assert decode_postings(text) == ids


@pytest.mark.parametrize("seed", range(20))
def test_postings_round_trip_for_any_sorted_ids(seed):
    rng = random.Random(seed)
    for _ in range(20):
        # Dense runs, sparse ids and gaps past the precomputed base-36 table (36**3) all occur.
        size, top = rng.choice([(5, 10), (50, 60), (200, 100_000), (30, 10**7)])
        ordered = sorted(rng.sample(range(top), min(size, top)))
        encoded = encode_postings(ordered)
        assert decode_postings(encoded) == ordered
        assert set(encoded) <= set("0123456789abcdefghijklmnopqrstuvwxyz+,")


@pytest.mark.parametrize(
    ("text", "value"),
    [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968)],  # the reference vectors of FNV-1a, 32 bit
)
def test_fnv1a_matches_the_reference_vectors(text, value):
    assert fnv1a(text) == value


def test_fnv1a_hashes_utf8_bytes():
    assert fnv1a("đ") == fnv1a("\u0111") != fnv1a("d")
    assert 0 <= fnv1a("Đảng ủy " * 50) < 2**32


def test_clauses_cut_at_clause_marks_and_line_ends_and_compose_the_letters():
    decomposed = "Đa\u0309ng u\u0309y, Dân vận! Khéo\nmới… xong"
    assert clauses(decomposed) == [["đảng", "ủy"], ["dân", "vận"], ["khéo"], ["mới"], ["xong"]]


def test_document_terms_of_one_article():
    terms = document_terms("Dân vận khéo", "Ban Dân vận", "Nhân dân. Văn hóa\nDân vận").split("\n")
    assert len(terms) == len(set(terms))  # each once, in order of first appearance
    assert {"dan", "van", "kheo", "nhan", "hoa", "ban"} <= set(terms)  # folded syllables
    assert {"b:dan van", "b:van hoa", "b:van kheo"} <= set(terms)  # pairs anywhere
    assert "b:nhan dan" in terms and "b:dan van" in terms
    assert {"h:dan van", "h:van kheo", "s:ban dan", "s:dan van"} <= set(terms)  # title and summary pairs
    assert {"t:dan", "t:van", "t:kheo"} <= set(terms) and "t:ban" not in terms  # title syllables
    assert {"x:dân", "x:vận", "x:khéo"} <= set(terms)  # accented forms of title and summary words
    assert "x:hóa" not in terms  # the body's accents are not kept
    # A pair never spans a clause mark: "dân. Văn" is no phrase.
    assert "b:dan van" in document_terms("", "", "dân vận").split("\n")
    assert "b:dan van" not in document_terms("", "", "nhân dân. Văn hóa").split("\n")


def test_shard_group_puts_the_terms_of_one_query_word_together():
    assert shard_group("dan") == shard_group("t:dan") == shard_group("x:dân") == "dan"
    assert shard_group("b:dan van") == shard_group("h:dan van") == shard_group("s:dan van") == "dan van"
    assert shard_group("c:1") == "c:1" and shard_group("y:2024") == "y:2024"  # filters stay apart
    # a segment of a common term: the same group, with the segment's number
    assert shard_group("t:dan@3") == shard_group("x:dân@3") == "dan@3" and shard_group("h:dan van@0") == "dan van@0"


def test_a_rare_term_stays_whole_and_a_common_one_is_its_count_and_its_segments():
    assert term_keys("dan", [3, 20], 16) == {"dan": "3,g"}  # at most 16 // 8 ids: whole
    keys = term_keys("dan", [3, 5, 20, 40, 41], 16)
    assert keys == {"dan": "*5", "dan@0": "3,1", "dan@1": "4", "dan@2": "8+1"}  # gaps from each segment's start
    assert decode_postings(keys["dan@2"], 32) == [40, 41] and decode_postings(keys["dan@1"], 16) == [20]
    assert term_keys("dan", [], 16) == {}


def small_site(n: int):
    config = Config(Path("site"), "Thử", "https://host.example/tin-tuc/", (NEWS, PARTY))
    start = datetime(2023, 12, 30, 20, tzinfo=HANOI)
    articles = [
        model_article(
            f"bai-{i}",
            (NEWS, PARTY)[i % 2],
            start + timedelta(days=i),
            title=f"Đảng ủy xã {i} học tập Dân vận khéo",
            summary="Hội nghị quán triệt nghị quyết.",
            source_unit="Ban Dân vận" if i % 3 == 0 else "",
        )
        for i in range(n)
    ]
    return make_site(articles, config), config


def index_files(site, config, **options) -> dict[str, object]:
    terms = {a.source: document_terms(a.title, a.summary, a.body_md) for a in site.articles}
    files = SearchIndexer(**options).files(site, config, terms, "tim-kiem/index/")
    return {path: json.loads(data.decode("utf-8")) for path, data in files.items()}


def ids_of(files: dict, term: str) -> list[int]:
    """A term's ids as search.js gathers them: from its shard, or, for a count, from each segment's shard."""
    meta = files["tim-kiem/index/meta.json"]

    def value(key: str) -> str:
        return files[f"tim-kiem/index/t/{fnv1a(shard_group(key)) % meta['shards']}.json"].get(key, "")

    own = value(term)
    if not own.startswith("*"):
        return decode_postings(own)
    segments = range(-(-meta["docs"] // meta["segment"]))
    ids = [i for n in segments for i in decode_postings(value(f"{term}@{n}"), n * meta["segment"])]
    assert len(ids) == int(own[1:])
    return ids


@pytest.mark.parametrize("segment", [4096, 16])
def test_the_index_round_trips_every_term_through_its_shard(segment):
    site, config = small_site(40)
    files = index_files(site, config, segment=segment)
    meta = files["tim-kiem/index/meta.json"]
    assert meta["version"] == FORMAT_VERSION and meta["docs"] == 40 and meta["chunk"] == CHUNK
    assert meta["categories"] == [["tin-tuc", "Tin tức"], ["dang-doan-the", "Đảng, đoàn thể"]]
    assert meta["years"] == [2024, 2023]  # in the site's time zone
    assert meta["year_ids"] == [[2, 40], [0, 2]]  # ids oldest first: each year's are one run
    assert (
        meta["segment"] == segment and meta["since"] == ["30/12/2023", "15/01/2024", "31/01/2024"][: -(-40 // segment)]
    )
    found = {}
    for doc_id, item in enumerate(reversed(site.articles)):  # ids are positions, oldest first
        own = document_terms(item.title, item.summary, item.body_md).split("\n")
        for term in [*own, f"c:{[NEWS, PARTY].index(item.category)}", f"y:{item.date.year}"]:
            found.setdefault(term, []).append(doc_id)
    assert {term: ids_of(files, term) for term in found} == found
    assert any(files[p].get("dan", "").startswith("*") for p in files if "/t/" in p) == (segment == 16)


@pytest.mark.parametrize("seed", range(6))
def test_a_long_running_indexer_updated_after_edits_equals_a_fresh_one(seed):
    """Random term sets from a small vocabulary, edited again and again: terms cross the rare/common line
    both ways, in one segment or many; the files kept up to date equal those of a fresh indexer each time."""
    rng = random.Random(seed)
    site, config = small_site(40)
    vocabulary = [f"tu{n}" for n in range(30)]  # about three articles a word: around the line of two
    terms = {a.source: "\n".join(rng.sample(vocabulary, rng.randint(1, 4))) for a in site.articles}
    kept = SearchIndexer(segment=16)
    for _round in range(8):
        made = kept.files(site, config, terms, "tim-kiem/index/")
        assert made == SearchIndexer(segment=16).files(site, config, terms, "tim-kiem/index/")
        for source in rng.sample(sorted(terms), rng.randint(1, 6)):
            terms = {**terms, source: "\n".join(rng.sample(vocabulary, rng.randint(1, 4)))}


def test_result_chunks_hold_linked_titles_in_utf8_under_the_base_path():
    site, config = small_site(CHUNK + 3)
    files = index_files(site, config)
    chunks = sorted(path for path in files if path.startswith("tim-kiem/index/d/"))
    assert chunks == ["tim-kiem/index/d/0.json", "tim-kiem/index/d/1.json"]
    first = files["tim-kiem/index/d/0.json"][0]
    oldest = site.articles[-1]  # ids are positions, oldest first: a new article goes last
    assert first[0] == "/tin-tuc/" + oldest.url and first[1] == oldest.title and first[5] == oldest.summary
    assert len(files["tim-kiem/index/d/1.json"]) == 3
    assert files["tim-kiem/index/d/1.json"][-1][1] == site.articles[0].title


def test_the_index_is_byte_identical_from_one_build_to_the_next():
    site, config = small_site(12)
    terms = {a.source: document_terms(a.title, a.summary, a.body_md) for a in site.articles}
    first = SearchIndexer().files(site, config, terms, "tim-kiem/index/")
    again = SearchIndexer().files(site, config, dict(reversed(terms.items())), "tim-kiem/index/")
    assert first == again


def test_each_segment_says_the_date_of_its_first_article_even_after_many_pages(tmp_path):
    """Pages (content/pages/) take the first ids and have no date: a segment starting among them says the
    date of the first article in it."""
    files = {f"pages/trang-{n}.md": f'---\ntitle: "Trang {n}"\n---\n\nGiới thiệu.\n' for n in range(20)}
    files.update(
        {f"2024/tin-{n}.md": article(f"Tin {n}", "Thông báo", f"2024-03-{n + 1:02d} 08:00") for n in range(20)}
    )
    out = build_ok(write_site(tmp_path / "site", files, search_segment=16))
    meta = json.loads((out / "tim-kiem/index/meta.json").read_text(encoding="utf-8"))
    assert meta["since"] == ["", "01/03/2024", "13/03/2024"]  # ids 0–15 pages; 16–19 pages, then 20 (1 March)
