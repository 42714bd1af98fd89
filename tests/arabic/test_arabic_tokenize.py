"""Tokens, their kinds, and their offsets in the original text."""

from __future__ import annotations

import pytest

from khabar.arabic import Token, tokenize, words


def spans(text: str) -> list[tuple[str, str]]:
    """Return (text, kind) for each token, after checking every offset."""
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.text
    return [(t.text, t.kind) for t in tokens]


def test_vocalized_word_is_one_token() -> None:
    assert spans("مُحَمَّدٌ رَسُولُ") == [("مُحَمَّدٌ", "arabic"), ("رَسُولُ", "arabic")]


def test_tatweel_stays_inside_a_word() -> None:
    assert spans("الســلامـ عليكم") == [("الســلامـ", "arabic"), ("عليكم", "arabic")]


def test_offsets_are_in_the_original_text() -> None:
    text = "\u200fقالَ الوزيرُ: «نعم»."
    tokens = tokenize(text)
    assert tokens == [
        Token("قالَ", 1, 5, "arabic"),
        Token("الوزيرُ", 6, 13, "arabic"),
        Token("نعم", 16, 19, "arabic"),
    ]


def test_mixed_script_word_splits_at_the_digit() -> None:
    assert spans("مؤتمر جنيف2 انتهى") == [
        ("مؤتمر", "arabic"),
        ("جنيف", "arabic"),
        ("2", "number"),
        ("انتهى", "arabic"),
    ]


@pytest.mark.parametrize("number", ["3.5", "٣٫٥", "1,000", "٢٬٥٠٠", "2024", "۱۴۰۲", "12,500.75"])
def test_numbers_with_separators_are_one_token(number: str) -> None:
    assert spans(f"بلغ {number} دولار") == [
        ("بلغ", "arabic"),
        (number, "number"),
        ("دولار", "arabic"),
    ]


def test_separator_not_between_digits_is_punctuation() -> None:
    assert spans("في 2013. وفي 5، ثم") == [
        ("في", "arabic"),
        ("2013", "number"),
        ("وفي", "arabic"),
        ("5", "number"),
        ("ثم", "arabic"),
    ]


def test_latin_words_with_accents_apostrophes_and_hyphens() -> None:
    assert spans("L'Orient-Le Jour, café, Jean-Pierre's al-") == [
        ("L'Orient-Le", "latin"),
        ("Jour", "latin"),
        ("café", "latin"),
        ("Jean-Pierre's", "latin"),
        ("al", "latin"),
    ]


def test_decomposed_accent_stays_in_the_latin_word() -> None:
    assert spans("e\u0301te\u0301 x") == [("e\u0301te\u0301", "latin"), ("x", "latin")]


def test_other_scripts_are_other() -> None:
    assert spans("وكالة ТАСС و新华社") == [
        ("وكالة", "arabic"),
        ("ТАСС", "other"),
        ("و", "arabic"),
        ("新华社", "other"),
    ]


def test_arabic_and_latin_touching_are_two_tokens() -> None:
    assert spans("بـCNN") == [("بـ", "arabic"), ("CNN", "latin")]


def test_punctuation_symbols_and_lone_marks_are_not_tokens() -> None:
    assert tokenize("؟ ، ؛ « » - ـــ \u064e !?") == []


def test_words_returns_the_token_texts() -> None:
    assert words("قال 3 مسؤولين, said") == ["قال", "3", "مسؤولين", "said"]
