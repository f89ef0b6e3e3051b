"""slugs.py in isolation: URL slugs, accent-free matching and Vietnamese dictionary order.

These three keys decide every URL and every list order of the site, so their rules are pinned
here directly, in milliseconds, instead of only through whole builds.
"""

from __future__ import annotations

import unicodedata

import pytest

from newsroom.slugs import fold, slugify, sort_key


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đảng", "dang"),
        ("đảng", "dang"),
        ("ĐẢNG ỦY", "dang-uy"),
        ("Đảng, đoàn thể", "dang-doan-the"),
        ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
        ("Nông thôn mới", "nong-thon-moi"),
        ("Hội Liên hiệp Phụ nữ", "hoi-lien-hiep-phu-nu"),
        ("Thông báo số 45/KH-UBND", "thong-bao-so-45-kh-ubnd"),
        ("  --Khai mạc--  ", "khai-mac"),
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full-width"),  # compatibility forms fold too
    ],
)
def test_slugify_makes_plain_ascii_url_parts(text, slug):
    assert slugify(text) == slug


def test_slugify_is_the_same_for_composed_and_decomposed_text():
    # A title pasted from Word (NFD) must not get a different URL from one typed (NFC).
    title = "Nguyễn Thị Hường được khen thưởng"
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(title) == "nguyen-thi-huong-duoc-khen-thuong"


def test_slugify_gives_nothing_when_nothing_is_usable():
    assert slugify("!!! ??? …") == ""
    assert slugify("") == ""


def test_slugify_cuts_long_titles_at_a_dash():
    title = " ".join(["công tác dân vận"] * 20)
    slug = slugify(title)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert (slugify(title, limit=None) + "-").startswith(slug + "-")  # a whole number of words
    assert slugify("abcdefghij", limit=4) == "abcd"  # one long word is cut where it must be
    assert len(slugify("x" * 300, limit=None)) == 300


def test_fold_drops_marks_and_case_but_keeps_punctuation():
    assert fold("Đảng ủy") == "dang uy"
    assert fold("Dân vận KHÉO!") == "dan van kheo!"
    assert fold("e\u0301") == "e"  # a stray combining mark
    assert fold("Ăn Âm Ơ Ư Đ") == "an am o u d"


# Dictionary order: a ă â b c d đ e ê … ; u before ư; then the tones ngang huyền hỏi ngã sắc nặng.
@pytest.mark.parametrize(
    "ordered",
    [
        ["An", "Ăn", "Âm", "Ba", "Dung", "Đức", "Em", "Êm", "Gia"],
        ["Hùng", "Hưng", "Hừng", "Hửng", "Hững", "Hứng", "Hựng"],
        ["Đa", "Đà", "Đảng", "Đăng", "Đông"],
        ["ba", "Bình", "Zung"],  # letter case does not move a name
    ],
    ids=["letters", "horn-and-tones", "d-stroke", "case"],
)
def test_sort_key_is_vietnamese_dictionary_order(ordered):
    assert sorted(reversed(ordered), key=sort_key) == ordered
    assert sorted(ordered[::2] + ordered[1::2], key=sort_key) == ordered


def test_sort_key_puts_d_stroke_after_d_not_after_z():
    # Code-point order would put "Đ" (U+0110) after "Z"; readers expect it right after "D".
    names = ["Zung", "Đức", "Dũng", "Em"]
    assert sorted(names, key=sort_key) == ["Dũng", "Đức", "Em", "Zung"]


def test_sort_key_is_total_for_spellings_that_compare_equal():
    # Same letters and tones, different text: still a fixed order, so the output never depends on
    # the order files were read in.
    a, b = sorted(["hùng", "Hùng"], key=sort_key), sorted(["Hùng", "hùng"], key=sort_key)
    assert a == b
