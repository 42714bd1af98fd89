"""Reading what readers type: words, phrases, exclusions, and clear refusals of junk."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.search import QueryError, parse_query
from khabar.search.postgres import tsquery
from khabar.search.query import MAX_CLAUSES, MAX_LENGTH
from khabar.search.sqlite import fts_expression


def test_words_phrases_and_exclusions() -> None:
    query = parse_query('قمة المياه "وزير الخارجية" -الأردن -"البنك الدولي"')
    assert query.terms == ("قم", "ميا")
    assert query.phrases == (("زير", "خارج"),)
    assert query.excluded_terms == (("اردن",), ("بنك", "دول"))


def test_arabic_quotes_make_a_phrase_and_an_open_quote_runs_to_the_end() -> None:
    assert parse_query("«قمة المياه»").phrases == (("قم", "ميا"),)
    assert parse_query('"قمة المياه').phrases == (("قم", "ميا"),)


def test_a_hyphenated_latin_name_is_a_phrase() -> None:
    assert parse_query("Daad-13B").phrases == (("daad", "13", "b"),)


def test_stop_words_inside_a_query_are_ignored() -> None:
    query = parse_query("سعر الخبز في سوريا")
    assert query.terms == ("سعر", "خبز", "سور")
    assert "في" in query.ignored


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no word"),
        ("!!! ؟؟ ... ،،", "no word"),
        ("في من إلى عن هذا", "very common"),
        ("ًٌٍَُِّْ", "no word"),
        ("\u202b\u202e\u200f\u2066", "no word"),
        ("🔥😀🇸🇦", "no word"),
        ("-سوريا", "only excludes"),
        ("ا" * 10_000, "characters long"),
    ],
)
def test_junk_is_refused_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert says in str(caught.value)
    assert caught.value.message_ar


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR(a b)",
        "^title",
        "title:x",
        "a AND OR NOT b",
        "'; DROP TABLE x; --",
        "1 OR 1=1",
        'x" OR "y',
        "\\'",
        "(((",
        "%_%",
        "سوريا\u202e",
        "مرحبا 🎉",
    ],
)
def test_query_language_and_sql_characters_become_plain_terms(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    expression = fts_expression(query)
    assert expression.count('"') % 2 == 0
    for clause in query.required:
        for term in clause.terms:
            assert '"' not in term and "'" not in term and "(" not in term
    assert "'" in tsquery(query)


def test_too_many_words_are_cut_with_a_note() -> None:
    query = parse_query(" ".join(f"كلمة{i}" for i in range(MAX_CLAUSES + 5)))
    assert len(query.required) == MAX_CLAUSES
    assert query.notes


def test_length_limit_is_exact() -> None:
    parse_query("ا" * (MAX_LENGTH - 2) + " ب")
    with pytest.raises(QueryError):
        parse_query("ا" * (MAX_LENGTH + 1))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert error.message_ar
        return
    assert query.required
    fts_expression(query)
    tsquery(query)
