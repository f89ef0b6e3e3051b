"""Vietnamese-aware text keys: URL slugs, accent-insensitive matching and dictionary order.

Python's ``unicodedata`` strips the tone marks but keeps ``đ`` (it is a letter of its own, not a
``d`` with a mark), and sorting by code point puts ``Đ`` after ``Z``. Both are wrong for
Vietnamese readers, so the three keys used across the site live here.
"""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _fold_slow(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# Every precomposed Latin letter (Vietnamese included: Latin-1, Extended-A/B and Extended Additional)
# mapped to its folded form, computed once. Other scripts' letters take the slow path in ``fold``, with the
# same result: the table only makes the common case fast (and a small table is quick to build at start).
_LATIN = (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
_FOLD_TABLE = {code: folded for code in _LATIN if (folded := _fold_slow(chr(code))) != chr(code)}
_COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lowercase ASCII without diacritics: ``Đảng ủy`` → ``dang uy``; for matching, not display."""
    folded = text.translate(_FOLD_TABLE).lower()
    if folded.isascii():
        return folded
    return _fold_slow(_COMBINING.sub("", unicodedata.normalize("NFC", folded)))


def slugify(text: str, limit: int | None = 80) -> str:
    """A stable ASCII URL part: ``Đảng, đoàn thể`` → ``dang-doan-the``; empty if nothing usable.

    Titles are cut at ``limit`` characters (at a dash); ``limit=None`` keeps everything, for file
    names that an editor already chose.
    """
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if limit is not None and len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {
    "\u0300": 2,
    "\u0309": 3,
    "\u0303": 4,
    "\u0301": 5,
    "\u0323": 6,
}  # huyền hỏi ngã sắc nặng
_SHAPES = {"\u0306": "ă", "\u0302": "^", "\u031b": "'"}  # breve, circumflex, horn
_SHAPED = {
    ("a", "ă"): "ă",
    ("a", "^"): "â",
    ("e", "^"): "ê",
    ("o", "^"): "ô",
    ("o", "'"): "ơ",
    ("u", "'"): "ư",
}


def _letters_and_tones(text: str) -> tuple[list[int], list[int]]:
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if ch in _SHAPES:
            if letters:
                base = _LETTERS[letters[-1]] if letters[-1] < len(_LETTERS) else ""
                shaped = _SHAPED.get((base, _SHAPES[ch]))
                if shaped:
                    letters[-1] = _LETTERS.index(shaped)
            continue
        if unicodedata.combining(ch):
            continue
        index = _LETTERS.find(ch)
        # Letters outside the alphabet (f, j, w, z, digits, spaces) keep a stable place after it.
        letters.append(index if index >= 0 else len(_LETTERS) + ord(ch))
        tones.append(1)
    return letters, tones


def sort_key(text: str) -> tuple:
    """Dictionary order for Vietnamese names: letters first (đ after d), then tones, then text."""
    letters, tones = _letters_and_tones(text)
    return (letters, tones, text)
