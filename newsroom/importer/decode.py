"""Bytes → text: the old portal's exports, whatever encoding they were saved in.

The exports were typed over fifteen years in whatever the editors had: UTF-8 (with or without a
byte-order mark), UTF-16, Windows-1258, TCVN3 (the ABC/.VnTime fonts, with .VnTimeH capitals),
and UTF-8 that was once read as Windows-1252 and saved again. This module turns the bytes into
NFC text and names the encoding it found, or refuses the file: a decoding that does not read as
Vietnamese is never accepted, because mojibake imported into the site is worse than an error the
editor can act on. It is pure (bytes in, text out), so it is tested and fuzzed without a disk.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import ContentError
from ..i18n import _

ENCODING_MESSAGE = _("cannot tell the text encoding; save it as UTF-8")
ENCODING_HINT = _(
    "it is not UTF-8, and it does not read as Vietnamese in Windows-1258 or TCVN3 (ABC) either: open it "
    "where it reads correctly and save it with the UTF-8 encoding"
)

# TCVN 5712:1993 "VN3", the code of the ABC/.VnTime fonts: precomposed lowercase letters and the
# seven shaped capitals in 0xA1–0xFE. Toned capitals are not in VN3 (editors switched to the
# all-capital .VnTimeH font, which reuses the lowercase codes); the ones that the fuller VN1
# table places at 0x80–0x9F, in a few gaps above and in C0 control positions are accepted too,
# as some converters wrote them. 0xB0–0xB4 are combining tone marks (composed by NFC later).
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    0xA0: "\u00a0",
}  # fmt: skip
_TCVN1_EXTRAS = {
    **dict(zip(range(0x80, 0xA0), "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ", strict=True)),
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}  # fmt: skip
TCVN3_TABLE: dict[int, str] = {b: chr(b) for b in range(0x80)} | _TCVN1_EXTRAS | _TCVN3_LETTERS
"""Every byte → its Unicode text in TCVN3 (ASCII below 0x80 apart from the VN1 capitals)."""

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?")
_LEGACY_CODECS = ("Windows-1258", "TCVN3")


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes → NFC text; all-capital words typed in .VnTimeH fonts are upper-cased."""
    text = unicodedata.normalize("NFC", "".join(TCVN3_TABLE[b] for b in data))
    return re.sub(r"\w+", _vntimeh_word, text)


def _vntimeh_word(match: re.Match[str]) -> str:
    # .VnTimeH shows the lowercase codes as capitals: "HUYÖN" decodes to "HUYệN" → "HUYỆN".
    word = match.group()
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    if sum(c.isupper() for c in ascii_letters) >= 2 and not any(c.islower() for c in ascii_letters):
        return word.upper()
    return word


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is spelled like a Vietnamese syllable: at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(c in _TONES for c in decomposed)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> tuple[int, float, float]:
    """How Vietnamese ``text`` reads: (number of words with non-ASCII letters that are Vietnamese
    syllables, the share of such words that are, the share of all words that have such letters).
    A right decoding of an article scores about (…, 1.0, 0.6); mojibake far lower."""
    words = [_strip_edges(w) for w in text.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    accented = [w for w in words if not w.isascii()]
    if not words or not accented:
        return (0, 0.0, 0.0)
    valid = 0
    neutral = 0
    for word in accented:
        if word.isupper() and all(c.isascii() or is_vietnamese_syllable(c.lower()) or c in "ĐĂÂÊÔƠƯ" for c in word):
            neutral += 1  # abbreviations such as HĐND, ĐBQH
        elif is_vietnamese_syllable(word):
            valid += 1
    judged = len(accented) - neutral
    return (valid, valid / judged if judged else 1.0, len(accented) / len(words))


def _strip_edges(word: str) -> str:
    """The word without the punctuation, digits and symbols around it: '(“Lực' → 'Lực'."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] not in "LM":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] not in "LM":
        end -= 1
    return word[start:end]


def _looks_vietnamese(text: str) -> bool:
    """Most accented words are Vietnamese syllables, there are enough of them, and NFC left no
    tone mark unattached (a wrong decoding leaves marks on letters that cannot carry them)."""
    _unused, valid_share, accented_share = vietnamese_score(text)
    stray_marks = any(unicodedata.combining(c) for c in text)
    return valid_share >= 0.9 and accented_share >= 0.15 and not stray_marks


def decode_export(data: bytes, source: str = "<text>") -> tuple[str, str]:
    """The export's text (NFC) and the name of the encoding it was in; raises ContentError.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are taken as they are. Anything else is
    tried as Windows-1258 and as TCVN3, and the decoding with the most Vietnamese syllables is
    kept; when neither reads as Vietnamese the file is refused rather than imported as mojibake.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError:
            raise ContentError(source, None, ENCODING_MESSAGE, _("it starts like UTF-16 text but is damaged")) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ContentError(
            source, line, ENCODING_MESSAGE, _("the file contains NUL bytes: is it really a text export?")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return _repair_double_utf8(unicodedata.normalize("NFC", text))
    candidates: list[tuple[tuple[int, float, float], str, str]] = []
    for name in _LEGACY_CODECS:
        try:
            text = data.decode("cp1258") if name == "Windows-1258" else decode_tcvn3(data)
        except UnicodeDecodeError:
            continue
        text = unicodedata.normalize("NFC", text)
        if _looks_vietnamese(text):
            candidates.append((vietnamese_score(text), name, text))
    if not candidates:
        raise ContentError(source, None, ENCODING_MESSAGE, ENCODING_HINT)
    _unused, name, text = max(candidates)  # the most Vietnamese syllables wins
    return text, name


def _repair_double_utf8(text: str) -> tuple[str, str]:
    """UTF-8 that was once read as Windows-1252 and saved again ("Huyá»‡n") is put right."""
    if text.isascii() or _looks_vietnamese(text):
        return text, "UTF-8"
    raw = bytearray()
    for ch in text:
        if ord(ch) < 0x100:
            raw.append(ord(ch))
        else:
            try:
                raw += ch.encode("cp1252")
            except UnicodeEncodeError:
                return text, "UTF-8"
    try:
        repaired = unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        return text, "UTF-8"
    return (repaired, "UTF-8 saved twice") if _looks_vietnamese(repaired) else (text, "UTF-8")
