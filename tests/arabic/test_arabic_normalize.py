"""Each normalization step on its own, all together, and display_safe."""

from __future__ import annotations

import pytest

from khabar.arabic import display_safe, normalize, normalize_mapped

ALL_OFF = dict.fromkeys(
    (
        "diacritics",
        "tatweel",
        "alef",
        "alef_maqsura",
        "teh_marbuta",
        "hamza",
        "digits",
        "invisible",
        "spaces",
    ),
    False,
)


def only(step: str) -> dict[str, bool]:
    """Return keyword arguments that turn on `step` alone."""
    return {**ALL_OFF, step: True}


@pytest.mark.parametrize(
    ("step", "given", "expected"),
    [
        ("diacritics", "كَتَبَ الطّالِبُ دَرْسًا", "كتب الطالب درسا"),
        ("diacritics", "هٰذا", "هذا"),
        ("diacritics", "قُلْ ۖ", "قل "),
        ("tatweel", "الســـلام", "السلام"),
        ("alef", "أحمد وإيمان وآمال والٱسم", "احمد وايمان وامال والاسم"),
        ("alef_maqsura", "مستشفى على", "مستشفي علي"),
        ("teh_marbuta", "مدرسة جميلة", "مدرسه جميله"),
        ("hamza", "مسؤول قائد", "مسوول قايد"),
        ("digits", "عام ٢٠٢٤ و۱۴۰۲", "عام 2024 و1402"),
        ("invisible", "نص\u200fمع\u200bعلامات\u202bخفية\u202c\ufeff", "نصمععلاماتخفية"),
        ("invisible", "a\u00adb\u2066c\u2069\u061cd\u200ce\u200df\u200eg", "abcdefg"),
        ("spaces", "a\u00a0b\u202fc\u2009d\u3000e", "a b c d e"),
        ("spaces", "سطر\u2028سطر", "سطر\nسطر"),
    ],
)
def test_each_step_alone(step: str, given: str, expected: str) -> None:
    assert normalize(given, **only(step)) == expected


def test_steps_leave_what_they_do_not_own() -> None:
    text = "أَحْمَدُ فِي المدرسة ٣"
    assert normalize(text, **only("digits")) == "أَحْمَدُ فِي المدرسة 3"
    assert normalize(text, **only("teh_marbuta")) == "أَحْمَدُ فِي المدرسه ٣"


def test_all_steps_by_default() -> None:
    text = "إِنَّ المُستشفــى\u200f استقبل ٣٥ مسؤولاً في مدرسة\u00a0الأطفال"
    assert normalize(text) == "ان المستشفي استقبل 35 مسوولا في مدرسه الاطفال"


def test_arabic_punctuation_is_kept() -> None:
    assert normalize("هل جاء؟ نعم، جاء؛ ثم ذهب.") == "هل جاء؟ نعم، جاء؛ ثم ذهب."


def test_runs_of_spaces_are_not_collapsed() -> None:
    assert normalize("a\u00a0\u00a0 b\n\tc") == "a   b\n\tc"


def test_latin_accents_stay() -> None:
    assert normalize("Café Genève") == "Café Genève"


def test_normalize_all_off_changes_nothing() -> None:
    text = "أَحْمَدُ\u200f ٣\u00a0ة"
    assert normalize(text, **ALL_OFF) == text


def test_display_safe_keeps_letters_and_marks() -> None:
    text = "\ufeffأَحْمَدُ\u200f قال:\u00a0«نعم»\u200b ٣"
    assert display_safe(text) == "أَحْمَدُ قال: «نعم» ٣"


def test_display_safe_drops_control_characters_but_keeps_layout() -> None:
    assert display_safe("a\x00b\x07c\td\ne\rf\x85g") == "abc\td\ne\rf\ng"


def test_mapped_offsets_point_into_the_original() -> None:
    text = "قالَ\u200f غداً"
    mapped = normalize_mapped(text)
    assert mapped.text == "قال غدا"
    start = mapped.text.index("غدا")
    first, last = mapped.original_span(start, start + 3)
    assert text[first:last] == "غداً"
    assert mapped.original_offset(0) == 0
