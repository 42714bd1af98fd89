"""One suite, both engines: indexing, ranking, filters, pages, snippets, suggestions, junk."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.search import Analyzer, BaseEngine, Document, Filters, IndexMismatchError, QueryError

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
EngineFactory = Callable[..., BaseEngine]


def doc(doc_id: int, title: str, lead: str = "", body: str = "", **extra: object) -> Document:
    """Return a Document published a day before NOW unless told otherwise."""
    fields: dict[str, object] = {"published": NOW - timedelta(days=1), **extra}
    return Document(id=doc_id, title=title, lead=lead, body=body, **fields)  # type: ignore[arg-type]


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def ids(engine: BaseEngine, text: str, filters: Filters | None = None, **kw: int) -> list[int]:
    """Return the ids of one page of hits."""
    return [hit.id for hit in engine.search(text, filters, now=NOW, **kw).hits]


def test_index_count_replace_delete(engine: BaseEngine) -> None:
    assert engine.count() == 0
    assert engine.index([doc(1, "قمة المياه في عمّان"), doc(2, "موجة الحر في البصرة")]) == 2
    assert engine.count() == 2
    engine.index([doc(1, "افتتاح معرض الكتاب")])
    assert engine.count() == 2
    assert ids(engine, "الكتاب") == [1]
    assert engine.search("المياه", now=NOW).total == 0
    assert engine.delete([1, 99]) == 1
    assert engine.count() == 1
    assert engine.search("الكتاب", now=NOW).total == 0


def test_optimize_keeps_results_and_counts(engine: BaseEngine) -> None:
    engine.index(
        [doc(i, f"خبر عن الاقتصاد {i}", body="النفط" if i % 2 else "") for i in range(1, 9)]
    )
    engine.delete([1, 2])
    before = (engine.doc_freqs(["اقتصاد", "نفط"]), ids(engine, "الاقتصاد"), ids(engine, "النفط"))
    engine.optimize()
    after = (engine.doc_freqs(["اقتصاد", "نفط"]), ids(engine, "الاقتصاد"), ids(engine, "النفط"))
    assert before == after
    assert after[0] == {"اقتصاد": 6, "نفط": 3}


def test_headline_above_lead_above_body(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(1, "أخبار اليوم", body="تحدث الوزير عن الفيضانات في الجنوب " + "وكلام آخر " * 5),
            doc(2, "أخبار اليوم", lead="الفيضانات تغمر قرى الجنوب " + "وكلام آخر " * 5),
            doc(3, "الفيضانات تغمر قرى الجنوب", body="وكلام آخر " * 5),
        ]
    )
    assert ids(engine, "الفيضانات") == [3, 2, 1]


def test_recency_orders_equally_relevant_articles(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(1, "انتخابات بلدية في تونس", published=NOW - timedelta(days=300)),
            doc(2, "انتخابات بلدية في تونس", published=NOW - timedelta(hours=2)),
            doc(3, "انتخابات بلدية في تونس", published=NOW - timedelta(days=20)),
        ]
    )
    assert ids(engine, "انتخابات تونس") == [2, 3, 1]


def test_recency_does_not_bury_the_relevant_article(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(
                1,
                "ارتفاع أسعار النفط بعد قرار أوبك",
                lead="النفط يرتفع",
                published=NOW - timedelta(days=30),
            ),
            doc(2, "نشرة الأخبار", body="وفي خبر آخر عن النفط " + "حديث طويل " * 30, published=NOW),
        ]
    )
    assert ids(engine, "النفط")[0] == 1


def test_phrases_and_exclusions(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(1, "وزير الخارجية يزور القاهرة"),
            doc(2, "الخارجية تستدعي الوزير"),
            doc(3, "وزير الخارجية في الرياض"),
        ]
    )
    assert sorted(ids(engine, '"وزير الخارجية"')) == [1, 3]
    assert ids(engine, '"وزير الخارجية" -الرياض') == [1]
    assert ids(engine, "«وزير الخارجية» -القاهرة -الرياض") == []


def test_diacritics_hamza_alef_digits_and_latin(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(
                1,
                "الأمريكيُّ يُعلِن إطلاق القمر",
                lead="في ٣ أيام",
                body="قالت شركة OpenSky إن José فاز",
            ),
        ]
    )
    for text in ("الامريكي", "الأَمريكي", "يعلن", "اطلاق", "3 ايام", "opensky", "jose", "OPENSKY"):
        assert ids(engine, text) == [1], text


def test_filters(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(
                1,
                "قمة المياه",
                section="politics",
                story=7,
                agencies=["رويترز"],
                people=["نادر الشوبكي"],
                places=["الأردن"],
                published=NOW - timedelta(days=3),
            ),
            doc(
                2,
                "قمة المياه",
                section="economy",
                agencies=["أ ف ب"],
                places=["مصر"],
                published=NOW - timedelta(days=40),
            ),
        ]
    )
    assert ids(engine, "المياه", Filters(section="politics")) == [1]
    assert ids(engine, "المياه", Filters(story=7)) == [1]
    assert ids(engine, "المياه", Filters(agency="رويترز")) == [1]
    assert ids(engine, "المياه", Filters(person="نادر الشُّوبكي")) == [1]
    assert ids(engine, "المياه", Filters(place="الاردن")) == [1]
    assert ids(engine, "المياه", Filters(since=NOW - timedelta(days=10))) == [1]
    assert ids(engine, "المياه", Filters(until=NOW - timedelta(days=10))) == [2]
    assert ids(engine, "المياه", Filters(since=NOW - timedelta(days=3), until=NOW)) == [1]
    assert ids(engine, "المياه", Filters(place="مصر", section="politics")) == []


def test_pages(engine: BaseEngine) -> None:
    engine.index([doc(i, f"خبر عن الاقتصاد رقم {i}") for i in range(1, 26)])
    pages = [engine.search("الاقتصاد", page=p, per_page=10, now=NOW) for p in (1, 2, 3, 4)]
    assert [r.total for r in pages] == [25, 25, 25, 25]
    assert [len(r.hits) for r in pages] == [10, 10, 5, 0]
    seen = [hit.id for r in pages for hit in r.hits]
    assert sorted(seen) == list(range(1, 26))
    assert pages[0].pages == 3
    with pytest.raises(QueryError):
        engine.search("الاقتصاد", page=0, now=NOW)
    with pytest.raises(QueryError):
        engine.search("الاقتصاد", per_page=1000, now=NOW)


def test_many_matches_rank_the_newest_candidates_but_count_all(make_engine: EngineFactory) -> None:
    engine = make_engine()
    engine.candidates = 5
    engine.index(
        [doc(i, "خبر عن الاقتصاد", published=NOW - timedelta(days=100 - i)) for i in range(1, 13)]
    )
    result = engine.search("الاقتصاد", per_page=3, now=NOW)
    assert result.total == 12 and not result.total_exact  # estimated from the newest five
    assert [hit.id for hit in result.hits] == [12, 11, 10]
    assert engine.search("الاقتصاد 7", now=NOW).total_exact


def test_an_older_headline_match_competes_with_the_newest_matches(
    make_engine: EngineFactory,
) -> None:
    engine = make_engine()
    engine.candidates = 4
    engine.head_candidates = 1  # off by default
    engine.index(
        [doc(1, "الدينار التونسي يتراجع أمام اليورو", published=NOW - timedelta(days=30))]
        + [doc(i, "أخبار اليوم", body="ذكر الدينار عرضا " + "كلام " * 40) for i in range(2, 12)]
    )
    result = engine.search("الدينار", per_page=3, now=NOW)
    assert result.total == 11
    assert result.hits[0].id == 1


def test_snippet_marks_matches_in_the_original_text(engine: BaseEngine) -> None:
    lead = "قالت وزارةُ الصحّة إنَّ حملةَ التطعيم ضد الحَصبة بلغت ٩٢٪ من الأطفال <المستهدفين>."
    engine.index([doc(1, "ختام الحملة", lead=lead, body="نص " * 100)])
    hit = engine.search("الحصبه التطعيم", now=NOW).hits[0]
    marked = [hit.snippet_text[a:b] for a, b in hit.highlights]
    assert marked == ["التطعيم", "الحَصبة"]
    assert "الحَصبة" in hit.snippet_text and "٩٢٪" in hit.snippet_text
    assert "<mark>الحَصبة</mark>" in hit.snippet
    assert "&lt;المستهدفين&gt;" in hit.snippet


def test_snippet_comes_from_the_body_when_the_lead_lacks_the_words(engine: BaseEngine) -> None:
    body = (
        ("كلام تمهيدي " * 60)
        + "وأعلن المهندس أن القمر الصناعي «الهدهد» أرسل صوره الأولى. "
        + ("ختام " * 40)
    )
    engine.index([doc(1, "الهدهد", lead="مقدمة عامة لا صلة لها", body=body)])
    hit = engine.search("الهدهد صوره", now=NOW).hits[0]
    assert hit.snippet_text.startswith("\u2026 ") and hit.snippet_text.endswith(" \u2026")
    assert [hit.snippet_text[a:b] for a, b in hit.highlights] == ["الهدهد", "صوره"]


def test_json_hits_best_first(engine: BaseEngine) -> None:
    engine.index(
        [
            doc(1, "الدينار التونسي يتراجع", source_id="w-1", url="https://x.example/1"),
            doc(2, "البنك المركزي", body="الدينار", source_id="w-2", url="https://x.example/2"),
        ]
    )
    data = engine.search("الدينار", now=NOW).to_json()
    assert [h["id"] for h in data["hits"]] == [1, 2]
    hit = data["hits"][0]
    assert set(hit) == {"id", "source_id", "url", "title", "snippet", "score", "published"}
    assert hit["source_id"] == "w-1" and hit["url"] == "https://x.example/1"
    assert hit["score"] > data["hits"][1]["score"]
    assert hit["published"].startswith("2026-11-27")
    assert data["total"] == 2 and data["suggestion"] is None


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("التطعييم", "التطعيم"), ("سوريا الكوكب", "سوريا"), ("مصطفا", "مصطفى"), ("مسءول", "مسؤول")],
)
def test_suggestion_when_nothing_matches(engine: BaseEngine, typed: str, suggested: str) -> None:
    engine.index([doc(1, "سوريا تطلق حملة التطعيم", body="قال مصطفى إن المسؤول وصل")])
    result = engine.search(typed, now=NOW)
    assert result.total == 0 and result.hits == []
    assert result.suggestion == suggested
    assert engine.search(result.suggestion, now=NOW).total == 1


@pytest.mark.parametrize(
    ("typed", "written"),
    [("لسوريا", "سوريا"), ("جائزة", "فازت بجائزة الكتاب"), ("ببغداد", "في بغداد")],
)
def test_a_lone_proclitic_on_either_side_still_matches(
    engine: BaseEngine, typed: str, written: str
) -> None:
    engine.index([doc(1, written), doc(2, "البنك المركزي")])
    assert ids(engine, typed) == [1]


def test_no_suggestion_for_what_is_not_there(engine: BaseEngine) -> None:
    engine.index([doc(1, "سوريا تطلق حملة التطعيم")])
    assert engine.search("بطولة الاسكواش", now=NOW).suggestion is None


BAD = [
    "!!!",
    "في من عن",
    "ًٌٍَُ",
    "ا" * 10_000,
    '"',
    "*",
    "NEAR(سوريا حلب)",
    "^سوريا",
    "title:سوريا",
    "سوريا AND OR NOT",
    "'; DROP TABLE khabar_search_doc; --",
    "1 OR 1=1",
    "\u202bسوريا\u202c",
    "😀 سوريا 🎉",
    "\x00سوريا",
    "-سوريا",
    "سوريا -سوريا",
    '"سوريا',
    "سوريا*",
    "(سوريا",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_input_gives_a_result_or_a_clear_message(engine: BaseEngine, text: str) -> None:
    engine.index([doc(1, "سوريا تطلق حملة التطعيم")])
    try:
        result = engine.search(text, now=NOW)
    except QueryError as error:
        assert error.message_ar
        return
    assert result.total in (0, 1)
    assert engine.count() == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_any_text_as_a_query_never_raises_anything_but_query_error(
    engine: BaseEngine, text: str
) -> None:
    if engine.count() == 0:
        engine.index([doc(1, "سوريا تطلق حملة التطعيم", lead="قال José إن ٣ فرق جاهزة")])
    with contextlib.suppress(QueryError):
        engine.search(text, now=NOW)


def test_index_built_by_another_analyzer_is_refused(make_engine: EngineFactory) -> None:
    engine = make_engine()
    engine.index([doc(1, "سوريا")])
    other = type(engine)(engine.conn, Analyzer(stemmer="snowball"), prefix=_prefix(engine))  # type: ignore[call-arg, attr-defined]
    with pytest.raises(IndexMismatchError, match="analyzer"):
        other.setup()


def _prefix(engine: BaseEngine) -> str:
    table: str = engine.t["doc"]  # type: ignore[attr-defined]
    return re.sub(r"_doc$", "", table)


@pytest.mark.parametrize("prefix", ["news; DROP TABLE x", "a-b", ""])
def test_a_table_prefix_that_is_not_a_plain_name_is_refused(prefix: str) -> None:
    import sqlite3

    from khabar.search import SqliteEngine
    from khabar.search.errors import SearchError

    with pytest.raises(SearchError, match="table prefix"):
        SqliteEngine(sqlite3.connect(":memory:"), prefix=prefix)
