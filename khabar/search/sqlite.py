"""The embedded engine: SQLite FTS5 over the analyzer's terms.

Tables (the prefix is `khabar_search` unless given):
  _fts    contentless FTS5 table, columns title, lead, body, holding analyzed terms
  _doc    id, published (Unix seconds), section, story: narrow, so ranking joins stay cheap
  _text   id, source_id, url and the original title, lead and body, for hits and snippets
  _facet  (kind, key, doc) for agency, person and place filters
  _meta   the analyzer and schema the index was built with
A contentless table cannot give its text back, so removing a document re-analyzes its stored
text and hands FTS5 the same terms ('delete' command); the analyzer signature in _meta makes
sure those are the terms that were indexed. Ranking is bm25() with the field weights times the
recency factor, over the candidates of engine.CANDIDATES; `total` is exact unless the newest
candidates are saturated, when it is estimated (SearchResult.total_exact is False).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from khabar.search.analyzer import DEFAULT_ANALYZER, Analyzer
from khabar.search.engine import CANDIDATES, BaseEngine, Ranked, batched, table_names
from khabar.search.errors import IndexMismatchError
from khabar.search.models import Document, Filters, StoredDoc, facet_key, utc
from khabar.search.query import Clause, Query
from khabar.search.ranking import FIELD_WEIGHTS, RECENCY_BOOST, RECENCY_DAYS, SECONDS_PER_DAY

__all__ = ["DF_CAP", "SCHEMA_VERSION", "SqliteEngine", "fts_expression"]

SCHEMA_VERSION = "1"
TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '.'"
# doc_freqs counts at most this many documents per term: enough to tell the common from the rare.
DF_CAP = 1_000


def _phrase(terms: Sequence[str]) -> str:
    return '"' + " ".join(term.replace('"', '""') for term in terms) + '"'


def _clause(clause: Clause) -> str:
    if not clause.variants:
        return _phrase(clause.terms)
    return "(" + " OR ".join(_phrase((term,)) for term in clause.alternatives) + ")"


def fts_expression(query: Query, columns: str | None = None) -> str:
    """Return the FTS5 MATCH expression of `query`: every term quoted, nothing typed passes.

    With `columns` ("title lead"), the required words must all be found in those columns.
    """
    expression = " AND ".join(_clause(clause) for clause in query.required)
    if columns:
        expression = f"{{{columns}}} : ({expression})"
    for clause in query.excluded:
        expression = f"({expression}) NOT {_phrase(clause.terms)}"
    return expression


def _epoch(moment: datetime) -> int:
    return int(utc(moment).timestamp())


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class SqliteEngine(BaseEngine):
    """Search over SQLite FTS5; give it any sqlite3 connection (a file, or Django's)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        analyzer: Analyzer = DEFAULT_ANALYZER,
        *,
        prefix: str = "khabar_search",
        commit: bool = True,
        candidates: int = CANDIDATES,
        head_candidates: int = 0,
        expand_prefixes: bool = True,
    ) -> None:
        super().__init__(
            analyzer,
            commit=commit,
            candidates=candidates,
            head_candidates=head_candidates,
            expand_prefixes=expand_prefixes,
        )
        self.conn = conn
        self.t = table_names(prefix, ("fts", "doc", "text", "facet", "meta"))
        self.vocab = f"{prefix}_vocab"

    def _schema(self) -> list[str]:
        t = self.t
        return [
            f"CREATE TABLE IF NOT EXISTS {t['meta']} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['doc']} (id INTEGER PRIMARY KEY, "
            "published INTEGER NOT NULL, section TEXT, story INTEGER)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_published ON {t['doc']} (published)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_section ON {t['doc']} (section)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_story ON {t['doc']} (story)",
            f"CREATE TABLE IF NOT EXISTS {t['text']} (id INTEGER PRIMARY KEY, source_id TEXT, "
            "url TEXT, title TEXT NOT NULL, lead TEXT NOT NULL, body TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['facet']} (kind TEXT NOT NULL, key TEXT NOT NULL, "
            "doc INTEGER NOT NULL, PRIMARY KEY (kind, key, doc)) WITHOUT ROWID",
            f"CREATE INDEX IF NOT EXISTS {t['facet']}_doc ON {t['facet']} (doc)",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t['fts']} USING fts5(title, lead, body, "
            f"content='', tokenize=\"{TOKENIZER}\")",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.vocab} USING fts5vocab({t['fts']}, 'row')",
        ]

    def setup(self) -> None:
        """Create the tables if needed; raise IndexMismatchError if another analyzer built them."""
        for statement in self._schema():
            self.conn.execute(statement)
        stored = dict(self.conn.execute(f"SELECT key, value FROM {self.t['meta']}").fetchall())
        wanted = {"analyzer": self.analyzer.signature, "schema": SCHEMA_VERSION}
        for key, value in wanted.items():
            if key in stored and stored[key] != value:
                raise IndexMismatchError(
                    f"the search index was built with {key} {stored[key]!r}, not {value!r}: "
                    "call rebuild() to re-index the stored articles"
                )
        self.conn.executemany(
            f"INSERT OR REPLACE INTO {self.t['meta']} (key, value) VALUES (?, ?)", wanted.items()
        )
        self._done()

    def rebuild(self) -> int:
        """Re-index every stored article with this engine's analyzer; return how many."""
        self.conn.execute(f"INSERT INTO {self.t['fts']} ({self.t['fts']}) VALUES ('delete-all')")
        rows = self.conn.execute(f"SELECT id, title, lead, body FROM {self.t['text']}")
        self.conn.executemany(
            f"INSERT INTO {self.t['fts']} (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
            (self._terms_row(row) for row in rows.fetchall()),
        )
        self.conn.executemany(
            f"INSERT OR REPLACE INTO {self.t['meta']} (key, value) VALUES (?, ?)",
            [("analyzer", self.analyzer.signature), ("schema", SCHEMA_VERSION)],
        )
        self._done()
        return self.count()

    def optimize(self) -> None:
        """Merge the FTS5 index segments into one: run after a bulk load, or nightly."""
        self.conn.execute(f"INSERT INTO {self.t['fts']} ({self.t['fts']}) VALUES ('optimize')")
        self._done()

    def _done(self) -> None:
        if self.commit:
            self.conn.commit()

    def _terms_row(self, row: Sequence[Any]) -> tuple[Any, ...]:
        terms = self.analyzer.terms
        return (row[0], *(" ".join(terms(text)) for text in row[1:4]))

    def index(self, docs: Iterable[Document]) -> int:
        """Add or replace documents; return how many were indexed."""
        total = 0
        for batch in batched(docs):
            unique = list({doc.id: doc for doc in batch}.values())
            self._remove([doc.id for doc in unique])
            self._insert(unique)
            total += len(unique)
        self._done()
        return total

    def _insert(self, docs: Sequence[Document]) -> None:
        t = self.t
        self.conn.executemany(
            f"INSERT INTO {t['doc']} (id, published, section, story) VALUES (?, ?, ?, ?)",
            [
                (
                    d.id,
                    _epoch(d.published),
                    None if d.section is None else facet_key(d.section),
                    d.story,
                )
                for d in docs
            ],
        )
        self.conn.executemany(
            f"INSERT INTO {t['text']} (id, source_id, url, title, lead, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(d.id, d.source_id, d.url, d.title, d.lead, d.body) for d in docs],
        )
        self.conn.executemany(
            f"INSERT INTO {t['facet']} (kind, key, doc) VALUES (?, ?, ?)",
            [(kind, key, d.id) for d in docs for kind, key in d.facets()],
        )
        self.conn.executemany(
            f"INSERT INTO {t['fts']} (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
            [self._terms_row((d.id, d.title, d.lead, d.body)) for d in docs],
        )

    def _remove(self, ids: Sequence[int]) -> int:
        t = self.t
        marks = _placeholders(len(ids))
        rows = self.conn.execute(
            f"SELECT id, title, lead, body FROM {t['text']} WHERE id IN ({marks})", ids
        ).fetchall()
        if not rows:
            return 0
        self.conn.executemany(
            f"INSERT INTO {t['fts']} ({t['fts']}, rowid, title, lead, body) "
            "VALUES ('delete', ?, ?, ?, ?)",
            [self._terms_row(row) for row in rows],
        )
        found = [row[0] for row in rows]
        marks = _placeholders(len(found))
        for table, column in (("doc", "id"), ("text", "id"), ("facet", "doc")):
            self.conn.execute(f"DELETE FROM {t[table]} WHERE {column} IN ({marks})", found)
        return len(found)

    def delete(self, ids: Iterable[int]) -> int:
        """Remove documents by id; unknown ids are skipped. Return how many were removed."""
        removed = sum(self._remove(batch) for batch in batched(ids))
        self._done()
        return removed

    def count(self) -> int:
        """Return how many documents are indexed."""
        row = self.conn.execute(f"SELECT count(*) FROM {self.t['doc']}").fetchone()
        return int(row[0])

    def _where(self, query: Query, filters: Filters) -> tuple[str, list[Any]]:
        clauses = [f"{self.t['fts']} MATCH ?"]
        params: list[Any] = [fts_expression(query)]
        section = filters.section_key()
        for sql, value in (
            ("d.section = ?", section),
            ("d.story = ?", filters.story),
            ("d.published >= ?", filters.since and _epoch(filters.since)),
            ("d.published <= ?", filters.until and _epoch(filters.until)),
        ):
            if value is not None:
                clauses.append(sql)
                params.append(value)
        for kind, key in filters.facets():
            clauses.append(
                f"d.id IN (SELECT doc FROM {self.t['facet']} WHERE kind = ? AND key = ?)"
            )
            params += [kind, key]
        return " AND ".join(clauses), params

    def _from(self) -> str:
        # CROSS JOIN keeps FTS5 as the outer loop: the full-text match drives, filters follow.
        return (
            f"FROM {self.t['fts']} CROSS JOIN {self.t['doc']} AS d ON d.id = {self.t['fts']}.rowid"
        )

    def rank(
        self, query: Query, filters: Filters, offset: int, limit: int, now: datetime
    ) -> Ranked:
        """Return one page of (id, score), best first, and the number of matches."""
        where, params = self._where(query, filters)
        score = self._score()
        newest = (
            f"SELECT d.id AS id, {score} AS score {self._from()} WHERE {where} "
            f"ORDER BY {self.t['fts']}.rowid DESC LIMIT ?"
        )
        sql = (
            f"SELECT id, score, count(*) OVER (), min(id) OVER () FROM ({newest}) "
            "ORDER BY score DESC, id DESC LIMIT ?"
        )
        args = [_epoch(now), *params, self.candidates, offset + limit]
        rows = self.conn.execute(sql, args).fetchall()
        ranked = [(int(r[0]), float(r[1])) for r in rows]
        found = int(rows[0][2]) if rows else 0
        if found < self.candidates:
            return ranked[offset : offset + limit], found, True
        # Saturated: older articles matching in headline or lead compete too, and the total
        # is estimated from how densely the candidates fill the newest ids (counting every
        # match of a common word would walk its whole doclist and join every row).
        low = int(rows[0][3])
        if self.head_candidates:
            ranked += self._heads(query, filters, low, now, offset + limit)
            ranked.sort(key=lambda r: (-r[1], -r[0]))
        return ranked[offset : offset + limit], self._estimate(found, low), False

    def _estimate(self, found: int, low: int) -> int:
        row = self.conn.execute(f"SELECT max(id) FROM {self.t['doc']}").fetchone()
        top = int(row[0] or 0)
        return min(top, max(found, round(found * top / max(1, top - low + 1))))

    def _score(self) -> str:
        weights = ", ".join(str(w) for w in FIELD_WEIGHTS)
        return (
            f"-bm25({self.t['fts']}, {weights}) * (1.0 + {RECENCY_BOOST} / (1.0 + "
            f"max(0, ? - d.published) / {SECONDS_PER_DAY * RECENCY_DAYS}))"
        )

    def _heads(
        self, query: Query, filters: Filters, below: int, now: datetime, n: int
    ) -> list[tuple[int, float]]:
        """Score the newest headline-or-lead matches older than `below`."""
        fts = self.t["fts"]
        where, params = self._where(query, filters)
        params[0] = fts_expression(query, "title lead")
        ids = [
            int(r[0])
            for r in self.conn.execute(
                f"SELECT {fts}.rowid {self._from()} WHERE {where} AND {fts}.rowid < ? "
                f"ORDER BY {fts}.rowid DESC LIMIT ?",
                [*params, below, self.head_candidates],
            )
        ]
        if not ids:
            return []
        # FTS5 walks the full query only over the candidates' rowid range, scoring just them:
        # seeking each rowid on its own would restart the query every time, far slower.
        sql = (
            f"SELECT d.id, {self._score()} AS score {self._from()} WHERE {fts} MATCH ? "
            f"AND {fts}.rowid BETWEEN ? AND ? AND +{fts}.rowid IN (SELECT value FROM "
            "json_each(?)) ORDER BY score DESC LIMIT ?"
        )
        args = [_epoch(now), fts_expression(query), min(ids), max(ids), json.dumps(ids), n]
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, args)]

    def _count(self, query: Query, filters: Filters) -> int:
        if filters == Filters():
            fts = self.t["fts"]
            sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?"
            return int(self.conn.execute(sql, [fts_expression(query)]).fetchone()[0])
        where, params = self._where(query, filters)
        row = self.conn.execute(f"SELECT count(*) {self._from()} WHERE {where}", params)
        return int(row.fetchone()[0])

    def matches(self, query: Query, filters: Filters) -> bool:
        """Return True if at least one document matches."""
        where, params = self._where(query, filters)
        row = self.conn.execute(f"SELECT 1 {self._from()} WHERE {where} LIMIT 1", params)
        return row.fetchone() is not None

    def doc_freqs(self, terms: Collection[str]) -> dict[str, int]:
        """Return how many documents hold each term, counted up to DF_CAP; absent ones left out."""
        wanted = list(terms)
        fts = self.t["fts"]
        counts: dict[str, int] = {}
        # fts5vocab would walk a common term's whole doclist; a capped count stops early.
        one = (
            f"SELECT ?, (SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ? "
            f"LIMIT {DF_CAP}))"
        )
        for batch in batched(wanted, 100):
            sql = " UNION ALL ".join([one] * len(batch))
            args = [x for term in batch for x in (term, _phrase((term,)))]
            counts.update({str(t): int(n) for t, n in self.conn.execute(sql, args) if n})
        return counts

    def fetch(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        """Return what is stored of the documents `ids`."""
        if not ids:
            return {}
        rows = self.conn.execute(
            f"SELECT t.id, t.source_id, t.url, t.title, t.lead, t.body, d.published "
            f"FROM {self.t['text']} AS t JOIN {self.t['doc']} AS d ON d.id = t.id "
            f"WHERE t.id IN ({_placeholders(len(ids))})",
            list(ids),
        ).fetchall()
        return {
            row[0]: StoredDoc(
                row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromtimestamp(row[6], UTC)
            )
            for row in rows
        }
