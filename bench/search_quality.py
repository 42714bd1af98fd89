"""Search quality: MRR@10 and Recall@10 of each analyzer on Khabar's retrieval test set.

The corpus is the 40 demo articles (khabar/newsroom/demo/content.json) and 60 more original
articles (tests/fixtures/search/corpus.jsonl), several per topic so ranking matters. The queries
(tests/fixtures/search/queries.jsonl) are written the way readers type: no diacritics, no
hamza, prefixes attached, ه for ة, Arabic-Indic digits, alternate spellings, Latin names.
Every analyzer runs through the same SqliteEngine; the shipped one also through PostgreSQL
when KHABAR_TEST_PG_URL is set.

    python -m bench.search_quality
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from khabar.search import Analyzer, BaseEngine, Document, QueryError, SqliteEngine

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "khabar/newsroom/demo/content.json"
FIXTURES = ROOT / "tests/fixtures/search"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
CORPUS_IDS = 100

ANALYZERS: list[tuple[str, Analyzer]] = [
    (
        "whitespace tokens only",
        Analyzer(normalized=False, stemmer="none", stop_words=False, folds=False),
    ),
    ("normalization only", Analyzer(stemmer="none", stop_words=False, folds=False)),
    ("normalization + Snowball", Analyzer(stemmer="snowball", stop_words=False, folds=False)),
    ("normalization + light stemming", Analyzer(stemmer="light", stop_words=False, folds=False)),
    ("light stemming + stop words", Analyzer(stemmer="light", folds=False)),
    ("Snowball + stop words + folds", Analyzer(stemmer="snowball")),
    ("shipped: light + stop words + folds", Analyzer()),
]


@dataclass(frozen=True)
class Judged:
    """One test query and the keys of the articles that answer it."""

    query: str
    relevant: frozenset[str]
    form: str


def documents() -> tuple[list[Document], dict[int, str]]:
    """Return the demo and fixture articles as Documents, and each id's article key."""
    docs: list[Document] = []
    keys: dict[int, str] = {}
    demo = json.loads(DEMO.read_text(encoding="utf-8"))["articles"]
    for i, a in enumerate(demo, start=1):
        tags = a.get("tags", [])
        docs.append(
            Document(
                id=i,
                title=a["title"],
                lead=a["lead"],
                body="\n\n".join(b["text"] for b in a["body"]),
                published=NOW - timedelta(minutes=a["age_minutes"]),
                section=a["section"],
                agencies=a["agencies"],
                people=[t["name"] for t in tags if t["kind"] == "person"],
                places=[t["name"] for t in tags if t["kind"] == "place"],
                source_id=a["slug"],
                url=f"/{a['slug']}",
            )
        )
        keys[i] = a["slug"]
    lines = (FIXTURES / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines, start=CORPUS_IDS + 1):
        a = json.loads(line)
        docs.append(
            Document(
                id=i,
                title=a["title"],
                lead=a["lead"],
                body=a["body"],
                published=datetime.fromisoformat(a["published"]),
                section=a["section"],
                agencies=a["agencies"],
                people=a["people"],
                places=a["places"],
                source_id=a["id"],
                url=f"/{a['id']}",
            )
        )
        keys[i] = a["id"]
    return docs, keys


def judged() -> list[Judged]:
    """Return the test queries with their relevant articles."""
    lines = (FIXTURES / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [Judged(r["query"], frozenset(r["relevant"]), r["form"]) for r in rows]


def ranked_keys(engine: BaseEngine, keys: dict[int, str], query: str) -> list[str]:
    """Return the article keys of the top ten hits (none if the query is refused)."""
    try:
        result = engine.search(query, per_page=10, now=NOW)
    except QueryError:
        return []
    return [keys[hit.id] for hit in result.hits]


def scores(
    engine: BaseEngine, keys: dict[int, str], tests: Sequence[Judged]
) -> tuple[float, float]:
    """Return MRR@10 and Recall@10 of the engine over the tests."""
    mrr = recall = 0.0
    for test in tests:
        found = ranked_keys(engine, keys, test.query)
        ranks = [i for i, key in enumerate(found, start=1) if key in test.relevant]
        mrr += 1 / ranks[0] if ranks else 0.0
        recall += len(ranks) / len(test.relevant)
    return mrr / len(tests), recall / len(tests)


def sqlite_engine(
    analyzer: Analyzer, docs: Sequence[Document], *, expand_prefixes: bool = True
) -> BaseEngine:
    """Index the corpus in a fresh in-memory SQLite engine."""
    engine = SqliteEngine(sqlite3.connect(":memory:"), analyzer, expand_prefixes=expand_prefixes)
    engine.setup()
    engine.index(docs)
    return engine


def postgres_engine(url: str) -> Callable[[Analyzer, Sequence[Document]], BaseEngine]:
    """Return a factory indexing the corpus into fresh PostgreSQL tables."""
    import psycopg

    from khabar.search.postgres import PostgresEngine

    def make(analyzer: Analyzer, docs: Sequence[Document]) -> BaseEngine:
        engine = PostgresEngine(psycopg.connect(url), analyzer, prefix="khabar_quality")
        engine.drop()
        engine.setup()
        engine.index(docs)
        return engine

    return make


def main(argv: Sequence[str] | None = None) -> None:
    """Print MRR@10 and Recall@10 for each analyzer."""
    del argv
    docs, keys = documents()
    tests = judged()
    print(f"# Search quality - {len(docs)} articles, {len(tests)} queries\n")
    print(f"| {'analyzer':<46} | MRR@10 | Recall@10 |")
    print(f"| {'-' * 46} | -----: | --------: |")
    for name, analyzer in ANALYZERS:
        mrr, recall = scores(sqlite_engine(analyzer, docs, expand_prefixes=False), keys, tests)
        print(f"| {'SQLite, ' + name:<46} | {mrr:6.3f} | {recall:9.3f} |")
    mrr, recall = scores(sqlite_engine(Analyzer(), docs), keys, tests)
    print(f"| {'SQLite, shipped + ب/ل/ك/ف query expansion':<46} | {mrr:6.3f} | {recall:9.3f} |")
    url = os.environ.get("KHABAR_TEST_PG_URL")
    if url:
        engine = postgres_engine(url)(Analyzer(), docs)
        mrr, recall = scores(engine, keys, tests)
        print(f"| {'PostgreSQL, shipped + expansion':<46} | {mrr:6.3f} | {recall:9.3f} |")
    else:
        print("\nPostgreSQL skipped: set KHABAR_TEST_PG_URL=postgresql://user:pass@host/db")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
