"""Split text into word and number tokens that keep their offsets in the original text.

Search highlighting slices the original text with these offsets, so a token's `text` is always
`original[start:end]`: tokenizing never normalizes. Normalize each token afterwards instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Literal, NamedTuple

__all__ = ["Token", "TokenKind", "starts_arabic", "token_pieces", "tokenize", "words"]

TokenKind = Literal["arabic", "latin", "number", "other"]

# A regex class body: the letters of the Arabic blocks and presentation forms.
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u0870-\u0887\u0889-\u088e\u08a0-\u08c9"
    "\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7\ufdf0-\ufdfb\ufe70-\ufe74\ufe76-\ufefc"
)
# Tatweel and the small waw and yeh are letters to Unicode but only stretch or annotate a word,
# so they may sit inside an Arabic word and never start one.
_ARABIC_INNER = "\u0640\u06e5\u06e6"
_JOINERS = "\u200c\u200d"

_LATIN_LETTERS = (
    "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0250-\u02af"
    "\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a"
)
# Apostrophes and hyphens join Latin words only between two letters: l'Orient, al-Assad.
_LATIN_JOINERS = "'\u2019\\-\u2010\u2011"

_NUMBER_SEPARATORS = ".,\u066b\u066c"

_KINDS: dict[str, TokenKind] = {
    "arabic": "arabic",
    "latin": "latin",
    "number": "number",
    "other": "other",
}


def _mark_ranges() -> str:
    """Return a regex class body of every combining mark in planes 0 and 1 and the selectors."""
    codes = [c for c in range(0x20000) if unicodedata.category(chr(c)).startswith("M")]
    codes.extend(range(0xE0100, 0xE01F0))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def _token_pattern() -> re.Pattern[str]:
    # Built on first use: scanning the Unicode tables for marks costs tens of milliseconds,
    # which an import of khabar.arabic should not pay when it only normalizes.
    marks = _mark_ranges()
    # A letter, a run of letters, inner letters and marks, then any number of joiner runs each
    # followed by a letter and its run: a joiner stays inside a word only before a letter. One
    # character class per run, not an alternation per character: a third faster.
    inside = f"[{ARABIC_LETTERS}{_ARABIC_INNER}{marks}]*"
    arabic = f"(?P<arabic>[{ARABIC_LETTERS}]{inside}(?:[{_JOINERS}]+[{ARABIC_LETTERS}]{inside})*)"
    latin_part = f"[{_LATIN_LETTERS}][{_LATIN_LETTERS}{marks}]*"
    latin = f"(?P<latin>{latin_part}(?:[{_LATIN_JOINERS}]{latin_part})*)"
    number = f"(?P<number>\\d+(?:[{_NUMBER_SEPARATORS}]\\d+)*)"
    not_ours = f"(?![{ARABIC_LETTERS}{_ARABIC_INNER}{_LATIN_LETTERS}])"
    other = f"(?P<other>{not_ours}[^\\W\\d_](?:{not_ours}[^\\W\\d_]|[{marks}])*)"
    return re.compile("|".join((arabic, latin, number, other)))


class Token(NamedTuple):
    """One word or number, with its offsets in the original text (a named tuple: made for
    every word of every article, three times cheaper than a frozen dataclass)."""

    text: str
    start: int
    end: int
    kind: TokenKind


def tokenize(text: str) -> list[Token]:
    """Return the words and numbers of `text` in order; punctuation and spaces are not tokens."""
    tokens: list[Token] = []
    for match in _token_pattern().finditer(text):
        kind = _KINDS[match.lastgroup or "other"]
        tokens.append(Token(match.group(), match.start(), match.end(), kind))
    return tokens


def token_pieces(text: str) -> list[str]:
    """Return `text` cut into what lies before the first token, then each token followed by
    what lies between it and the next (the last one by the rest): a caller that reads every
    token with its gaps gets them in one C call, with no match object per word. The pieces
    join back into `text`; a token's offsets are the lengths of the pieces before it."""
    return _pieces_pattern().split(text)


@cache
def _pieces_pattern() -> re.Pattern[str]:
    return re.compile(f"({_words_pattern().pattern})")


def starts_arabic(token: str) -> bool:
    """Whether a token of `token_pieces` is an Arabic word (kind "arabic" in `tokenize`):
    only that kind can begin with an Arabic letter."""
    return _arabic_letter(token[0])


@lru_cache(maxsize=4096)
def _arabic_letter(char: str) -> bool:
    return _ARABIC_START.match(char) is not None


_ARABIC_START = re.compile(f"[{ARABIC_LETTERS}]")


@cache
def _words_pattern() -> re.Pattern[str]:
    # The same pattern without its named groups, so findall returns the matched strings
    # themselves, built in C: three times faster than a match object per word.
    return re.compile(re.sub(r"\(\?P<\w+>", "(?:", _token_pattern().pattern))


def words(text: str) -> list[str]:
    """Return the text of every token of `text`, in order."""
    return _words_pattern().findall(text)
