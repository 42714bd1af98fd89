"""PostgreSQL only: its two ways of finding candidates (postings, GIN) must rank alike."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from khabar.search import Document, SearchResult

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

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="needs KHABAR_TEST_PG_URL=postgresql://..."),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def pg_engine() -> Iterator[Any]:
    """A PostgreSQL engine over 400 seeded articles, ranking at most 30 candidates."""
    psycopg = pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]'")
    from khabar.search.postgres import PostgresEngine

    conn = psycopg.connect(PG_URL)
    engine = PostgresEngine(conn, prefix=f"t{uuid.uuid4().hex[:12]}", candidates=30)
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
        )
        for i in range(1, 401)
    )
    yield engine
    conn.rollback()
    engine.drop()
    conn.close()


def _page(result: SearchResult) -> tuple[Any, ...]:
    return (
        [(hit.id, round(hit.score, 9)) for hit in result.hits],
        result.total,
        result.total_exact,
    )


@pytest.mark.parametrize("text", QUERIES)
def test_postings_and_gin_rank_alike(
    pg_engine: Any, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [pg_engine.search(text, now=NOW, page=p, per_page=10) for p in (1, 2)]
    # None from the postings path sends every query down the GIN path.
    monkeypatch.setattr(type(pg_engine), "_rank_postings", lambda *args, **kw: None)
    gin = [pg_engine.search(text, now=NOW, page=p, per_page=10) for p in (1, 2)]
    for postings, other in zip(pages, gin, strict=True):
        assert [hit.id for hit in postings.hits] == [hit.id for hit in other.hits]
        assert [round(h.score, 9) for h in postings.hits] == [round(h.score, 9) for h in other.hits]
        assert postings.total_exact == other.total_exact
        if postings.total_exact:
            assert postings.total == other.total


def test_postings_follow_replace_and_delete(pg_engine: Any) -> None:
    t = pg_engine.t
    count = f"SELECT count(*) FROM {t['post']} WHERE id = %s".encode()
    assert pg_engine.conn.execute(count, (7,)).fetchone()[0] > 0
    pg_engine.index([Document(id=7, title="خبر جديد", lead="", body="", published=NOW)])
    terms = set(pg_engine.analyzer.terms("خبر جديد"))
    assert pg_engine.conn.execute(count, (7,)).fetchone()[0] == len(terms) > 0
    assert pg_engine.search("جديد", now=NOW).hits[0].id == 7
    pg_engine.delete([7])
    assert pg_engine.conn.execute(count, (7,)).fetchone()[0] == 0
    assert pg_engine.search("جديد", now=NOW).total == 0
