"""Text helpers shared by search and places: Vietnamese diacritic folding and collation."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# "đ" has no decomposition in Unicode, so NFD alone would keep it. "ð"/"Ð" (Icelandic eth)
# look identical and old VNI/TCVN keyboards and OCR produce them instead of "đ"/"Đ".
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def _strip_marks(text: str) -> str:
    """Remove every combining mark after canonical decomposition."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_vietnamese(text: str) -> str:
    """Lower-case, strip diacritics, fold đ to d and collapse whitespace (for search keys)."""
    if text.isascii():
        # Most search queries are typed without diacritics: skip the Unicode work.
        return " ".join(text.lower().split())
    folded = _strip_marks(text.translate(_D_STROKE)).lower()
    return " ".join(folded.split())


# --- Vietnamese collation -------------------------------------------------------------------
# Primary level follows the Vietnamese alphabet, where ă â đ ê ô ơ ư are letters of their own;
# the tone marks only break ties (secondary level), in the dictionary order
# ngang < huyền < hỏi < ngã < sắc < nặng, as in CLDR's "vi" tailoring. Digraphs (ch, ng, nh,
# th, tr ...) sort letter by letter, which is what modern dictionaries and CLDR do.

_ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Space sorts before everything so that "Tân An" < "Tân Biên" and "Trà Vong" < "Trảng Bàng".
_SPACE, _OTHER_BASE, _LETTER_BASE, _FOREIGN_BASE = 0, 1, 0x200000, 0x300000


@lru_cache(maxsize=4096)
def _char_weights(char: str) -> tuple[int, int, int]:
    """Primary, secondary (tone) and tertiary (case) weight of one character."""
    if char.isspace():
        return (_SPACE, 0, 0)
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    is_upper = 1 if base.isupper() or char in "ĐÐ" else 0
    base = base.lower()
    if char in "đĐðÐ":
        base = "đ"
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = max((_TONE_RANK.get(m, 0) for m in marks), default=0)
    if letter in _LETTER_RANK:
        return (_LETTER_BASE + _LETTER_RANK[letter], tone, is_upper)
    if base.isalpha():
        return (_FOREIGN_BASE + ord(base), tone, is_upper)
    return (_OTHER_BASE + ord(char), 0, 0)


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Sort key giving Vietnamese dictionary order: letters first, then tones, then case."""
    normalized = unicodedata.normalize("NFC", " ".join(text.split()))
    # A stray combining mark that NFC could not attach carries no letter: ignore it.
    weights = [_char_weights(ch) for ch in normalized if not unicodedata.combining(ch)]
    return (
        tuple(w[0] for w in weights),
        tuple(w[1] for w in weights),
        tuple(w[2] for w in weights),
    )
