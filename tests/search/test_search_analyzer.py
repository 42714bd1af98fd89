"""The analyzer: one path from text to terms, the same at index and at query time."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.arabic import normalize, tokenize
from khabar.search import Analyzer
from khabar.search.analyzer import _TOKEN, DEFAULT_STEMMER
from khabar.search.snippets import make_snippet

A = Analyzer()


def test_default_stemmer_is_the_one_the_quality_bench_chose() -> None:
    assert DEFAULT_STEMMER == "light"
    assert A.signature.startswith("khabar-analyzer/1 stemmer=light stop=1 folds=1")


def test_diacritics_hamza_alef_and_tatweel_do_not_matter() -> None:
    assert A.terms("الأَمْرِيكِيّ") == A.terms("الامريكي") == A.terms("الأمريـــكي")
    assert A.terms("إعلان") == A.terms("اعلان") == A.terms("آعلان")
    assert A.terms("مستشفى") == A.terms("مستشفي")
    assert A.terms("الحصبة") == A.terms("الحصبه")


def test_arabic_indic_digits_and_number_forms() -> None:
    assert A.terms("٣") == A.terms("3") == ["3"]
    assert A.terms("١٬٠٠٠ دولار") == A.terms("1,000 دولار") == A.terms("1000 دولار")
    assert A.terms("٣٫٥") == A.terms("3.5") == ["3.5"]


def test_latin_names_inside_arabic_text() -> None:
    assert A.terms("قال José Ruiz إن Daad-13B جاهز") == [
        "قال",
        "jose",
        "ruiz",
        "daad",
        "13",
        "b",
        "جاهز",
    ]
    assert A.terms("l’Orient") == A.terms("L'Orient") == ["lorient"]


def test_stop_words_go_but_names_that_look_like_them_stay() -> None:
    assert A.terms("في من إلى عن هذا الذي") == []
    assert A.terms("علي") != []  # على normalizes to علي, the name Ali: not a stop word


def test_spelling_folds() -> None:
    assert A.terms("سوريا") == A.terms("سورية") == A.terms("السوري")
    assert A.terms("الأميركي") == A.terms("الأمريكي")
    assert A.terms("مسئول") == A.terms("مسؤول")


def test_spans_point_into_the_original_text() -> None:
    text = "«الهُدهُد-1» يصلُ إلى مَسقَط في ٣ أيام"
    spans = A.spans(text)
    assert [s.term for s in spans if s.term] == A.terms(text)
    assert [text[s.start : s.end] for s in spans][:3] == ["الهُدهُد", "1", "يصلُ"]
    assert text[spans[-2].start : spans[-2].end] == "٣"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_spans_agree_with_terms_on_any_text(text: str) -> None:
    spans = A.spans(text)
    assert [s.term for s in spans if s.term] == A.terms(text)
    for before, after in itertools.pairwise(spans):
        assert 0 <= before.start < before.end <= after.start <= len(text)


_LETTER = st.sampled_from(list("ابتثجحخدذرسشصطظعغفقكلمنهويىةءأإآؤئ"))
_MARKS = st.text(alphabet=st.sampled_from(list("ًٌٍَُِّْـ")), max_size=2)
_WORD = st.lists(st.tuples(_LETTER, _MARKS).map("".join), min_size=1, max_size=8).map("".join)
_NUMBER = st.text(alphabet=st.sampled_from(list("0123456789٠١٢٣")), min_size=1, max_size=4)
_SEPARATOR = st.sampled_from([" ", "، ", ".", "«", "» ", "؟ ", "\n"])
# Words as people write them: marks only after letters, words apart from numbers.
_ORDINARY = st.lists(st.tuples(st.one_of(_WORD, _NUMBER), _SEPARATOR).map("".join)).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ORDINARY)
def test_fast_tokenizer_agrees_with_khabar_arabic_tokenize(text: str) -> None:
    expected = [normalize(t.text) for t in tokenize(text)]
    assert _TOKEN.findall(normalize(text)) == [t for t in expected if t]


@settings(max_examples=200, deadline=None)
@given(_ORDINARY, _ORDINARY, st.data())
def test_snippet_highlights_are_words_of_the_query(
    lead: str, body: str, data: st.DataObject
) -> None:
    words = A.terms(lead + " " + body)
    terms = set(data.draw(st.lists(st.sampled_from(words), max_size=3))) if words else set()
    snippet = make_snippet(A, (lead, body), terms)
    for start, end in snippet.highlights:
        assert A.terms(snippet.text[start:end])[0] in terms
    if terms and any(t in terms for t in A.terms(lead + " " + body)):
        assert snippet.highlights
