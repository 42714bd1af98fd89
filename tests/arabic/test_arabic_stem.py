"""The light10 stripper and the Snowball wrapper on a table of words."""

from __future__ import annotations

import threading

import pytest

from khabar.arabic import light_stem, normalize, snowball_stem, stem
from khabar.arabic.stem import StemMethod
from khabar.errors import ConfigurationError

# word, light10 stem, Snowball stem
TABLE = [
    ("والمؤتمر", "موتمر", "والموتمر"),
    ("بالمؤتمرات", "موتمر", "موتمر"),
    ("للمدرسة", "مدرس", "مدرس"),
    ("كالطالب", "طالب", "طالب"),
    ("فالكتاب", "كتاب", "فالكتاب"),
    ("المعلمون", "معلم", "معلم"),
    ("مدرستها", "مدرست", "مدرس"),
    ("والكتب", "كتب", "والكتب"),
    ("مُعَلِّمَاتٌ", "معلم", "معلما"),
    ("الجامعيين", "جامع", "جامع"),
    ("الطلاب", "طلاب", "طلاب"),
    ("وقال", "قال", "قال"),
]


@pytest.mark.parametrize(("word", "light", "_snowball"), TABLE)
def test_light_stem(word: str, light: str, _snowball: str) -> None:
    assert light_stem(word) == light
    assert stem(word) == light


@pytest.mark.parametrize(("word", "_light", "snowball"), TABLE)
def test_snowball_stem(word: str, _light: str, snowball: str) -> None:
    assert snowball_stem(word) == snowball
    assert stem(word, method="snowball") == snowball


def test_light_waw_needs_three_letters_after_it() -> None:
    assert light_stem("ولد") == "ولد"
    assert light_stem("وعد") == "وعد"
    assert light_stem("وكتب") == "كتب"


def test_light_article_needs_two_letters_after_it() -> None:
    assert light_stem("الم") == "الم"
    assert light_stem("الأب") == "اب"


def test_light_suffixes_are_stripped_repeatedly_longest_first() -> None:
    # ين comes off before ي, then ي, leaving the stem.
    assert light_stem("سياسيين") == "سياس"
    # Stripping stops when two letters would not remain.
    assert light_stem("يده") == "يد"
    assert light_stem("به") == "به"


def test_light_stems_teh_marbuta_and_heh_spellings_alike() -> None:
    # Snowball does not: it reads a final ه as the pronoun "his" and keeps it on short words.
    assert light_stem("المدرسة") == light_stem("المدرسه") == "مدرس"


@pytest.mark.parametrize("method", ["light", "snowball"])
def test_stems_are_in_the_indexing_form(method: StemMethod) -> None:
    for word, _, _ in TABLE:
        result = stem(word, method=method)
        assert normalize(result) == result


@pytest.mark.parametrize("method", ["light", "snowball"])
def test_non_arabic_tokens_are_lowercased(method: StemMethod) -> None:
    assert stem("ÉCOLE", method=method) == "école"
    assert stem("Gaza", method=method) == "gaza"
    assert stem("٢٠٢٤", method=method) == "2024"


def test_unknown_method_says_what_to_use() -> None:
    with pytest.raises(ConfigurationError, match="light"):
        stem("كتاب", method="porter")  # type: ignore[arg-type]


def test_snowball_is_safe_across_threads() -> None:
    words = [word for word, _, _ in TABLE] * 50
    expected = [snowball_stem(word) for word in words]
    results: list[list[str]] = []

    def work() -> None:
        results.append([snowball_stem(word) for word in words])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
