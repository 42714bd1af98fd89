"""PostgreSQL only: its two ways of finding candidates (postings, GIN) must rank alike, with
and without filters, and its postings must follow the documents (filter terms included)."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from khabar.search import Document, Filters, IndexMismatchError, SearchResult

PG_URL = os.environ.get("KHABAR_TEST_PG_URL")
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
WORDS = [
    "الاقتصاد", "النفط", "بالنفط", "للنفط", "الحكومة", "الوزير", "قال", "وقال", "المنتخب",
    "الأردني", "موجة", "الحر", "الأسعار", "تطعيم", "حملة", "بغداد", "لبنان", "اليوم",
]  # fmt: skip
QUERIES = [
    "النفط",
    "قال",
    "النفط الحكومة",
    "الوزير قال الأسعار",
    '"موجة الحر"',
    '"المنتخب الأردني" اليوم',
    "النفط -الحكومة",
    'الأسعار -"موجة الحر"',
    "لبنان بغداد",
]
AGENCIES = ["رويترز", "فرانس برس", "الأناضول"]
NAMES = ["نادر", "سلمى", "عمان", "القاهرة"]
# Sections, stories, facets and dates: alone, together, at their edges, inside one month,
# across months, naive and in another time zone, and matching nothing.
FILTERS = [
    Filters(section="economy"),
    Filters(section=" Economy "),
    Filters(story=3),
    Filters(agency="رويترز"),
    Filters(person="نادر", place="عمان"),
    Filters(since=NOW - timedelta(days=10)),
    Filters(until=NOW - timedelta(days=30)),
    Filters(since=NOW - timedelta(days=40), until=NOW - timedelta(days=20)),
    Filters(
        since=datetime(2026, 10, 5, 3, tzinfo=UTC), until=datetime(2026, 10, 20, 17, tzinfo=UTC)
    ),
    Filters(since=datetime(2026, 10, 31, 23), until=datetime(2026, 11, 1, 1)),
    Filters(since=datetime(2026, 11, 1, 1, tzinfo=timezone(timedelta(hours=3)))),
    Filters(section="sports", agency="الأناضول", since=NOW - timedelta(days=50)),
    Filters(since=NOW - timedelta(days=5000), until=NOW + timedelta(days=1)),
    Filters(agency="لا أحد"),
    Filters(since=NOW + timedelta(days=1)),
]

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="needs KHABAR_TEST_PG_URL=postgresql://..."),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def _engine() -> Any:
    """A PostgreSQL engine over 400 seeded articles, ranking at most 30 candidates."""
    psycopg = pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]'")
    from khabar.search.postgres import PostgresEngine

    engine = PostgresEngine(
        psycopg.connect(PG_URL), prefix=f"t{uuid.uuid4().hex[:12]}", candidates=30
    )
    engine.setup()
    rng = random.Random(4)
    engine.index(
        Document(
            id=i,
            title=" ".join(rng.choices(WORDS, k=4)),
            lead=" ".join(rng.choices(WORDS, k=8)),
            body=" ".join(rng.choices(WORDS, k=rng.randrange(10, 60))),
            published=NOW - timedelta(hours=rng.randrange(0, 2000)),
            section=rng.choice(["economy", "sports"]),
            story=rng.choice([None, None, 3, 4]),
            agencies=[rng.choice(AGENCIES)],
            people=[rng.choice(NAMES)],
            places=[rng.choice(NAMES)],
        )
        for i in range(1, 401)
    )
    return engine


def _close(engine: Any) -> None:
    engine.conn.rollback()
    engine.drop()
    engine.conn.close()


@pytest.fixture
def pg_engine() -> Iterator[Any]:
    """The seeded engine, for a test that changes it."""
    engine = _engine()
    yield engine
    _close(engine)


@pytest.fixture(scope="module")
def pg_index() -> Iterator[Any]:
    """The seeded engine, shared by the tests that only search it."""
    engine = _engine()
    yield engine
    _close(engine)


def _page(result: SearchResult) -> tuple[Any, ...]:
    return (
        [(hit.id, round(hit.score, 9)) for hit in result.hits],
        result.total,
        result.total_exact,
    )


# Plans of the postings path beside the engine's own choice: every term the driver's ids
# need probed, or every term merged (the GIN path left out).
PLANS = {
    "probe": {"_PROBE_US": 0.0, "_HIT_US": 0.0},
    "merge": {"_PROBE_US": 1e12, "_HIT_US": 1e12, "_POSTINGS_BUDGET_US": 1e30},
}


def _both_paths(
    engine: Any, text: str, filters: Filters | None, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[list[SearchResult]], list[SearchResult]]:
    """Return pages 1 and 2 from the postings path (checked to be taken) in each plan, then
    from GIN."""
    from khabar.search import postgres

    taken: list[object] = []
    original = type(engine)._rank_postings

    def spy(*args: Any, **kw: Any) -> Any:
        taken.append(original(*args, **kw))
        return taken[-1]

    plans = []
    for costs in ({}, *PLANS.values()):
        with monkeypatch.context() as patch:
            patch.setattr(type(engine), "_rank_postings", spy)
            for name, value in costs.items():
                patch.setattr(postgres, name, value)
            plans.append([engine.search(text, filters, now=NOW, page=p) for p in (1, 2)])
    # Nothing taken: a filter value or word no document holds, so nothing to rank.
    assert None not in taken
    assert taken or all(page.total == 0 for page in plans[0])
    # None from the postings path sends every query down the GIN path.
    monkeypatch.setattr(type(engine), "_rank_postings", lambda *args, **kw: None)
    gin = [engine.search(text, filters, now=NOW, page=p, per_page=10) for p in (1, 2)]
    return plans, gin


def _assert_alike(plans: list[list[SearchResult]], gin: list[SearchResult]) -> None:
    for postings, other in (pair for pages in plans for pair in zip(pages, gin, strict=True)):
        assert [hit.id for hit in postings.hits] == [hit.id for hit in other.hits]
        assert [round(h.score, 9) for h in postings.hits] == [round(h.score, 9) for h in other.hits]
        assert postings.total_exact == other.total_exact
        if postings.total_exact:
            assert postings.total == other.total


@pytest.mark.parametrize("text", QUERIES)
def test_postings_and_gin_rank_alike(
    pg_index: Any, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_alike(*_both_paths(pg_index, text, None, monkeypatch))


@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
@pytest.mark.parametrize("text", ["النفط", "قال", "النفط الحكومة", '"موجة الحر"', "النفط -قال"])
def test_filtered_postings_and_gin_rank_alike(
    pg_index: Any, text: str, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_alike(*_both_paths(pg_index, text, filters, monkeypatch))


def test_date_bounds_are_inclusive_to_the_second(
    pg_index: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = pg_index.fetch([9])[9]
    text, published, second = stored.title.split()[0], stored.published, timedelta(seconds=1)
    # Articles are published on the hour: the second ranges hold none.
    for filters, held in (
        (Filters(since=published, until=published), True),
        (Filters(since=published + second, until=published + timedelta(hours=1) - second), False),
        (Filters(since=published - timedelta(hours=1) + second, until=published - second), False),
    ):
        plans, gin = _both_paths(pg_index, text, filters, monkeypatch)
        monkeypatch.undo()
        _assert_alike(plans, gin)
        found = [hit.id for hit in gin[0].hits]
        assert (9 in found) if held else found == []


def test_period_terms_cover_whole_months_and_edge_days() -> None:
    from khabar.search.postgres import period_terms

    assert period_terms(date(2026, 10, 30), date(2026, 12, 2)) == [
        "#day:2026-10-30",
        "#day:2026-10-31",
        "#month:2026-11",
        "#day:2026-12-01",
        "#day:2026-12-02",
    ]
    assert period_terms(date(2024, 2, 1), date(2024, 2, 29)) == ["#month:2024-02"]
    assert period_terms(date(2026, 3, 4), date(2026, 3, 4)) == ["#day:2026-03-04"]
    assert period_terms(date(2026, 3, 5), date(2026, 3, 4)) == []


def test_postings_follow_replace_and_delete(pg_engine: Any) -> None:
    t = pg_engine.t
    postings = f"SELECT term, tf FROM {t['post']} WHERE id = %s".encode()
    assert pg_engine.conn.execute(postings, (7,)).fetchall()
    pg_engine.index(
        [
            Document(
                id=7,
                title="خبر جديد",
                lead="",
                body="",
                published=datetime(2026, 11, 27, 23, 30, tzinfo=timezone(-timedelta(hours=1))),
                section="Tech",
                agencies=["واس"],
            )
        ]
    )
    found = dict(pg_engine.conn.execute(postings, (7,)).fetchall())
    words = set(pg_engine.analyzer.terms("خبر جديد"))
    marks = {"#section:tech", "#agency:واس", "#month:2026-11", "#day:2026-11-28"}
    assert set(found) == words | marks
    assert {found[term] for term in marks} == {0.0}
    assert pg_engine.search("جديد", Filters(section="tech"), now=NOW).hits[0].id == 7
    assert pg_engine.doc_freqs(["#section:tech"]) == {"#section:tech": 1}
    pg_engine.delete([7])
    assert pg_engine.conn.execute(postings, (7,)).fetchall() == []
    assert pg_engine.search("جديد", now=NOW).total == 0
    assert pg_engine.doc_freqs(["#section:tech"]) == {}


def test_filter_terms_leave_lengths_and_scores_alone(pg_index: Any) -> None:
    """The same texts without section, story or facets rank with the same scores."""
    import psycopg

    from khabar.search.postgres import PostgresEngine

    plain = PostgresEngine(
        psycopg.connect(PG_URL), prefix=f"t{uuid.uuid4().hex[:12]}", candidates=30
    )
    plain.setup()
    try:
        stored = pg_index.fetch(range(1, 401))
        plain.index(Document(i, d.title, d.lead, d.body, d.published) for i, d in stored.items())
        stats = "SELECT n_docs, total_len FROM {} WHERE id = 1"
        assert (
            pg_index.conn.execute(stats.format(pg_index.t["stat"]).encode()).fetchone()
            == plain.conn.execute(stats.format(plain.t["stat"]).encode()).fetchone()
        )
        for text in QUERIES:
            ours, theirs = (e.search(text, now=NOW, per_page=20) for e in (pg_index, plain))
            assert [(h.id, h.score) for h in ours.hits] == [(h.id, h.score) for h in theirs.hits]
    finally:
        plain.drop()
        plain.conn.close()


def test_an_index_of_an_older_schema_is_refused_until_dropped(pg_engine: Any) -> None:
    meta = pg_engine.t["meta"]
    pg_engine.conn.execute(f"UPDATE {meta} SET value = '2' WHERE key = 'schema'".encode())
    with pytest.raises(IndexMismatchError, match="schema"):
        pg_engine.setup()
    pg_engine.conn.rollback()
    pg_engine.conn.execute(f"UPDATE {meta} SET value = '2' WHERE key = 'schema'".encode())
    pg_engine.drop()
    pg_engine.setup()
    assert pg_engine.count() == 0


@pytest.mark.parametrize("autocommit", [False, True], ids=["transaction", "autocommit"])
@pytest.mark.parametrize("path", ["postings", "gin"])
def test_planner_settings_are_restored(
    pg_index: Any, autocommit: bool, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = pg_index.conn
    names = (
        "enable_sort",
        "enable_hashjoin",
        "enable_indexscan",
        "max_parallel_workers_per_gather",
    )
    show = "SELECT " + ", ".join(f"current_setting('{name}')" for name in names)
    conn.commit()
    conn.autocommit = autocommit
    try:
        before = conn.execute(show.encode()).fetchone()
        inside: list[str] = []
        original = type(pg_index)._merge_scans

        @contextmanager
        def spy(engine: Any) -> Iterator[None]:
            with original(engine):
                inside.append(conn.execute(b"SELECT current_setting('enable_sort')").fetchone()[0])
                yield

        monkeypatch.setattr(type(pg_index), "_merge_scans", spy)
        if path == "gin":
            monkeypatch.setattr(type(pg_index), "_rank_postings", lambda *args, **kw: None)
        assert pg_index.search("النفط الحكومة", Filters(section="economy"), now=NOW).hits
        # In force for the statements inside (with autocommit too), restored after.
        assert set(inside) == ({"off"} if path == "postings" else set())
        assert conn.execute(show.encode()).fetchone() == before
    finally:
        conn.rollback()
        conn.autocommit = False
