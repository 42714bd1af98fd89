"""Engines for the search tests: every engine test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator

import pytest

from khabar.search import Analyzer, BaseEngine, SqliteEngine

PG_URL = os.environ.get("KHABAR_TEST_PG_URL")
EngineFactory = Callable[..., BaseEngine]


def _sqlite(analyzer: Analyzer | None = None) -> BaseEngine:
    engine = SqliteEngine(sqlite3.connect(":memory:"), analyzer or Analyzer())
    engine.setup()
    return engine


@pytest.fixture(params=["sqlite", "postgres"])
def make_engine(request: pytest.FixtureRequest) -> Iterator[EngineFactory]:
    """A factory of empty engines (fresh tables) of one kind; PostgreSQL needs its URL."""
    if request.param == "sqlite":
        yield _sqlite
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need KHABAR_TEST_PG_URL=postgresql://user:pass@host/db")
    psycopg = pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]'")
    from khabar.search.postgres import PostgresEngine

    made: list[PostgresEngine] = []

    def make(analyzer: Analyzer | None = None) -> BaseEngine:
        conn = psycopg.connect(PG_URL)
        engine = PostgresEngine(conn, analyzer or Analyzer(), prefix=f"t{uuid.uuid4().hex[:12]}")
        engine.setup()
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.conn.rollback()
        engine.drop()
        engine.conn.close()


@pytest.fixture
def engine(make_engine: EngineFactory) -> BaseEngine:
    """An empty engine with the shipped analyzer."""
    return make_engine()
