"""Properties over arbitrary text: idempotence, exact offsets, and no exceptions."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.arabic import (
    display_safe,
    find_dates,
    light_stem,
    normalize,
    normalize_mapped,
    parse_date,
    parse_datetime,
    snowball_stem,
    tokenize,
)
from khabar.arabic.tokenize import starts_arabic, token_pieces

EXAMPLES = settings(max_examples=250, deadline=None)

# Arbitrary Unicode finds crashes; text built from the characters Arabic news is made of finds
# the boundary cases (marks, tatweel, digits, separators, controls) far more often.
ARABIC_PIECES = st.sampled_from(
    [
        *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱ",
        *"\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u06d6",
        *"٠١٢٣٤٥٦٧٨٩۰۴0123456789",
        *"٫٬.,،؛؟/-() :'\n",
        *"\u200b\u200c\u200d\u200e\u200f\u061c\u202b\u2067\ufeff\u00ad\u00a0\u202f\u2009",
        *"aéZ\u0301Жㄱ",
        "يونيو",
        "حزيران",
        "آب",
        "أمس",
        "اليوم",
        "الساعة",
        "هـ",
        "2013",
        "عام",
        "الاثنين",
        "رجب",
    ]
)
ARABIC_TEXT = st.lists(ARABIC_PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), ARABIC_TEXT)
FLAGS = st.fixed_dictionaries(
    {
        name: st.booleans()
        for name in (
            "diacritics",
            "tatweel",
            "alef",
            "alef_maqsura",
            "teh_marbuta",
            "hamza",
            "digits",
            "invisible",
            "spaces",
        )
    }
)


@EXAMPLES
@given(ANY_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@EXAMPLES
@given(ANY_TEXT, FLAGS)
def test_normalize_is_idempotent_for_any_steps(text: str, flags: dict[str, bool]) -> None:
    once = normalize(text, **flags)
    assert normalize(once, **flags) == once


@EXAMPLES
@given(ANY_TEXT)
def test_display_safe_is_idempotent_and_only_removes_or_replaces(text: str) -> None:
    once = display_safe(text)
    assert display_safe(once) == once
    assert len(once) <= len(text)


@EXAMPLES
@given(ANY_TEXT)
def test_tokens_slice_the_original_in_order(text: str) -> None:
    position = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.text
        assert token.start >= position
        position = token.end


@EXAMPLES
@given(ANY_TEXT)
def test_stemmers_never_raise(text: str) -> None:
    for token in tokenize(text):
        assert isinstance(light_stem(token.text), str)
        assert isinstance(snowball_stem(token.text), str)
    assert isinstance(light_stem(text), str)
    assert isinstance(snowball_stem(text), str)


@EXAMPLES
@given(ANY_TEXT, st.none() | st.dates())
def test_dates_never_raise_and_slice_the_original(text: str, today: date | None) -> None:
    position = 0
    for match in find_dates(text, today=today, hijri=True):
        assert text[match.start : match.end] == match.text
        assert match.start >= position
        position = match.end
    parse_date(text, today=today)
    parse_datetime(text, today=today)


@EXAMPLES
@given(ANY_TEXT)
def test_mapped_offsets_find_the_source_of_each_character(text: str) -> None:
    mapped = normalize_mapped(text)
    assert mapped.text == normalize(text)
    for index, char in enumerate(mapped.text):
        assert normalize(text[mapped.original_offset(index)]) == char
    start, end = mapped.original_span(0, len(mapped.text))
    assert normalize(text[start:end]) == mapped.text


@given(
    st.text(
        alphabet=st.sampled_from(list("أإآٱاىيةهؤئو٠١٢۳ \u00a0\u200f\u0640\u064e\u0651بتث")),
        min_size=200,
        max_size=2000,
    )
)
def test_fast_path_equals_translate_on_long_text(text: str) -> None:
    from khabar.arabic.normalize import _INDEX

    assert normalize(text) == text.translate(_INDEX.table)


@EXAMPLES
@given(ANY_TEXT)
def test_token_pieces_are_the_tokens_and_the_gaps_between_them(text: str) -> None:
    pieces = token_pieces(text)
    assert "".join(pieces) == text
    tokens, start = [], len(pieces[0])
    for n in range(1, len(pieces), 2):
        token = pieces[n]
        tokens.append((token, start, start + len(token), starts_arabic(token)))
        start += len(token) + len(pieces[n + 1])
    assert tokens == [(t.text, t.start, t.end, t.kind == "arabic") for t in tokenize(text)]
