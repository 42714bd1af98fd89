"""Normalize Arabic text for indexing and matching, and clean text for display.

Every step maps one character to one character or deletes it, and no step produces a character
that another step would change, so `normalize` is idempotent and the steps commute.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

__all__ = ["MappedText", "display_safe", "index_form", "normalize", "normalize_mapped"]

Table = dict[int, str | None]


def _span(first: int, last: int) -> range:
    return range(first, last + 1)


# Harakat, tanween, shadda, sukun, the combining hamza and madda, superscript alef, honorific
# signs and Quranic annotation marks. The Quranic range skips the characters that are not marks
# (end of ayah, rub el hizb, small waw and yeh, place of sajdah): they are visible symbols.
_DIACRITICS: tuple[int, ...] = (
    *_span(0x0610, 0x061A),
    *_span(0x064B, 0x065F),
    0x0670,
    *_span(0x06D6, 0x06DC),
    *_span(0x06DF, 0x06E4),
    *_span(0x06E7, 0x06E8),
    *_span(0x06EA, 0x06ED),
    *_span(0x0898, 0x089F),
    *_span(0x08CA, 0x08E1),
    *_span(0x08E3, 0x08FF),
)

_TATWEEL = 0x0640

_ALEF_FORMS = {
    0x0622: "ا",  # آ alef with madda
    0x0623: "ا",  # أ alef with hamza above
    0x0625: "ا",  # إ alef with hamza below
    0x0671: "ا",  # ٱ alef wasla
    0x0672: "ا",  # ٲ alef with wavy hamza above
    0x0673: "ا",  # ٳ alef with wavy hamza below
    0x0675: "ا",  # ٵ high hamza alef
}

# Persian keyboards type ی (U+06CC) for both ي and ى, so it folds the same way.
_ALEF_MAQSURA = {0x0649: "ي", 0x06CC: "ي"}

_TEH_MARBUTA = {0x0629: "ه"}

_HAMZA_CARRIERS = {0x0624: "و", 0x0626: "ي"}

_DIGITS = {
    **{0x0660 + i: str(i) for i in range(10)},
    **{0x06F0 + i: str(i) for i in range(10)},
}

# Characters that change nothing a reader sees but break matching: zero-width characters, bidi
# controls, the BOM, the soft hyphen and the C0/C1 control codes. Tab, newline and carriage
# return are layout, not noise, and the line-breaking controls are handled as spaces below.
_INVISIBLE: tuple[int, ...] = (
    0x00AD,
    0x061C,
    0x180E,
    *_span(0x200B, 0x200F),
    *_span(0x202A, 0x202E),
    *_span(0x2060, 0x2064),
    *_span(0x2066, 0x2069),
    0xFEFF,
    *(c for c in _span(0x00, 0x1F) if chr(c) not in "\t\n\r\v\f"),
    *(c for c in _span(0x7F, 0x9F) if c != 0x85),
)

# Line and paragraph separators keep their meaning as line breaks; every other Unicode space,
# including the no-break spaces that wire copy is full of, becomes a plain space.
_SPACES: dict[int, str] = {
    **{c: " " for c in (0x00A0, 0x1680, *_span(0x2000, 0x200A), 0x202F, 0x205F, 0x3000)},
    **{c: "\n" for c in (0x000B, 0x000C, 0x0085, 0x2028, 0x2029)},
}


class _Steps(NamedTuple):
    diacritics: bool = True
    tatweel: bool = True
    alef: bool = True
    alef_maqsura: bool = True
    teh_marbuta: bool = True
    hamza: bool = True
    digits: bool = True
    invisible: bool = True
    spaces: bool = True


class _Compiled(NamedTuple):
    table: Table
    deleted: re.Pattern[str]
    marks: re.Pattern[str]
    # (old, new) pairs for the fast path; empty when a replacement could feed another one.
    replacements: tuple[tuple[str, str], ...]


# Below this length str.translate wins; above it, one regex deletion plus str.replace per
# mapped character is several times faster (translate looks each character up in a dict).
_FAST_PATH_MIN = 256


def _replacements(table: Table) -> tuple[tuple[str, str], ...]:
    pairs = tuple(
        (chr(code), value if isinstance(value, str) else chr(value))
        for code, value in table.items()
        if value is not None
    )
    keys = {old for old, _ in pairs}
    if any(ch in keys for _, new in pairs for ch in new):
        return ()
    return pairs


def _apply(compiled: _Compiled, text: str) -> str:
    if len(text) < _FAST_PATH_MIN or not compiled.replacements:
        return text.translate(compiled.table)
    text = compiled.deleted.sub("", text)
    for old, new in compiled.replacements:
        if old in text:
            text = text.replace(old, new)
    return text


def _char_class(codes: Iterable[int]) -> str:
    return "".join(re.escape(chr(c)) for c in sorted(codes))


@cache
def _compile(steps: _Steps) -> _Compiled:
    table: Table = {}
    marks: list[int] = []
    if steps.diacritics:
        marks.extend(_DIACRITICS)
    if steps.tatweel:
        marks.append(_TATWEEL)
    table.update(dict.fromkeys(marks))
    for enabled, mapping in (
        (steps.alef, _ALEF_FORMS),
        (steps.alef_maqsura, _ALEF_MAQSURA),
        (steps.teh_marbuta, _TEH_MARBUTA),
        (steps.hamza, _HAMZA_CARRIERS),
        (steps.digits, _DIGITS),
        (steps.spaces, _SPACES),
    ):
        if enabled:
            table.update(mapping)
    if steps.invisible:
        table.update(dict.fromkeys(_INVISIBLE))
    deleted = [code for code, value in table.items() if value is None]
    return _Compiled(
        table=table,
        deleted=re.compile(f"[{_char_class(deleted)}]" if deleted else "(?!)"),
        marks=re.compile(f"[{_char_class(marks)}]*" if marks else ""),
        replacements=_replacements(table),
    )


_INDEX = _compile(_Steps())
_DISPLAY = _compile(
    _Steps(False, False, False, False, False, False, False, invisible=True, spaces=True)
)


@dataclass(frozen=True)
class MappedText:
    """Normalized text that remembers where each of its characters came from."""

    text: str
    original: str
    # For each deleted character, in order, how many characters were kept before it.
    kept_before: tuple[int, ...]
    marks: re.Pattern[str]

    def original_offset(self, index: int) -> int:
        """Return the offset in the original text of the character at `index` of `text`."""
        if index >= len(self.text):
            return len(self.original)
        return index + bisect_right(self.kept_before, index)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original span of `text[start:end]`, with the marks on its last letter."""
        if start >= end:
            offset = self.original_offset(start)
            return offset, offset
        first = self.original_offset(start)
        last = self.original_offset(end - 1) + 1
        # Diacritics and tatweel written after the last letter belong to it.
        match = self.marks.match(self.original, last)
        return first, match.end() if match else last


def normalize(
    text: str,
    *,
    diacritics: bool = True,
    tatweel: bool = True,
    alef: bool = True,
    alef_maqsura: bool = True,
    teh_marbuta: bool = True,
    hamza: bool = True,
    digits: bool = True,
    invisible: bool = True,
    spaces: bool = True,
) -> str:
    """Return the matching form of `text`; every step is on by default (the indexing form)."""
    steps = _Steps(
        diacritics, tatweel, alef, alef_maqsura, teh_marbuta, hamza, digits, invisible, spaces
    )
    return _apply(_compile(steps), text)


def normalize_mapped(
    text: str,
    *,
    diacritics: bool = True,
    tatweel: bool = True,
    alef: bool = True,
    alef_maqsura: bool = True,
    teh_marbuta: bool = True,
    hamza: bool = True,
    digits: bool = True,
    invisible: bool = True,
    spaces: bool = True,
) -> MappedText:
    """Return `normalize(text, ...)` with a map from its offsets back to offsets in `text`."""
    steps = _Steps(
        diacritics, tatweel, alef, alef_maqsura, teh_marbuta, hamza, digits, invisible, spaces
    )
    compiled = _compile(steps)
    kept_before = tuple(
        match.start() - count for count, match in enumerate(compiled.deleted.finditer(text))
    )
    return MappedText(_apply(compiled, text), text, kept_before, compiled.marks)


def index_form(text: str) -> str:
    """Return `normalize(text)` with every step on, without the keyword handling."""
    return _apply(_INDEX, text)


def display_safe(text: str) -> str:
    """Drop invisible and control characters and make odd spaces plain; no letter changes."""
    return _apply(_DISPLAY, text)
