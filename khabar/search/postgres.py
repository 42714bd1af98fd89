"""The PostgreSQL engine: tsvector over the analyzer's terms, GIN indexes, and BM25 in SQL.

`ts_rank` ranks Arabic poorly (MRR@10 0.54 against 0.71 for BM25 in earlier measurements), so
this engine computes FTS5's BM25 itself, with the same weights and recency, in the ranking query:
  _doc.tsv    terms with positions, weighted A (title), B (lead), C (body); GIN-indexed; it
              finds the matches, phrases included. It is built from the analyzer's terms, as
              to_tsvector('simple', ...) would be, without depending on PostgreSQL's parser or
              the database locale.
  _doc.head   the same for title and lead only (GIN-indexed): headline-and-lead candidates
  _post       (term, id, tf): one row per term of each document with its weighted frequency,
              the per-document half of BM25. Its primary key (term, id) includes tf, so an
              index-only scan reads the query terms' postings of a range of ids: for most
              queries it both finds the newest matches and gives their frequencies, reading a
              few leaf pages where a GIN bitmap would read each match's heap row (and its
              TOASTed tsvector, for a word with prefix variants the planner filters on)
  _doc.doc_len, _stat (documents, total length) and _term (term, document frequency, with
              changes appended to _delta until optimize() folds them in): the rest
  _text       the original text, for hits and snippets
Candidates are ranked as in the SQLite engine (see engine.CANDIDATES). When a word is so common
that the newest candidates fill a slice of the newest ids, `total` is estimated from that slice
(SearchResult.total_exact is False), as SQLite estimates it: counting every match would visit
every matching row.
Two ways to find the candidates, chosen per query: postings (index-only range scans over a
slice of the newest ids, sized from the document frequencies; phrases are then checked on the
tsvector of the documents holding all their words), or the GIN indexes, whose candidates then
read their frequencies from _post (a range scan for a term with few postings among them, a
probe per candidate for the others). GIN serves filtered searches (bitmaps AND-ed with the
facet, section and date indexes spare reading each match's row), head_candidates, and words
that must all match when their postings would cost more than _POSTINGS_BUDGET_US (a rare
word next to a very common one: GIN intersects them, postings would read all of the common).
Phrases are ranked as FTS5 would only approximately: frequency and document frequency of the
rarest of their terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from khabar.search.analyzer import DEFAULT_ANALYZER, Analyzer
from khabar.search.engine import CANDIDATES, BaseEngine, Ranked, batched, table_names
from khabar.search.errors import IndexMismatchError
from khabar.search.models import Document, Filters, StoredDoc, facet_key, utc
from khabar.search.query import Clause, Query
from khabar.search.ranking import (
    FIELD_WEIGHTS,
    K1,
    RECENCY_BOOST,
    RECENCY_DAYS,
    SECONDS_PER_DAY,
    B,
    bm25_idf,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA_VERSION", "PostgresEngine", "tsquery", "tsvector"]

SCHEMA_VERSION = "2"
_WEIGHT_LETTERS = ("A", "B", "C")
_MAX_POSITION = 16_383
_MAX_POSITIONS_PER_TERM = 256
# Positions of the next field start past a gap, so no phrase spans a title and its lead.
_FIELD_GAP = 64
# Each next slice of newest ids searched for candidates is this many times wider.
_SLICE_GROWTH = 8
# What the postings path may cost before the GIN indexes are used instead, in µs: reading a
# posting (index-only, cached) about 0.25 µs, grouping it by id 1.2 µs more; each document
# holding every clause looked up in _doc, 3 µs, and 15 µs more with a phrase (its tsvector is
# read). Measured with EXPLAIN ANALYZE on the 100k bench index.
_POSTINGS_BUDGET_US = 25_000
_POSTING_US = 0.25
_GROUP_US = 1.2
_HIT_US = 3.0
_PHRASE_US = 15.0
# The GIN path, estimated to choose between the two: it decodes every posting of the query's
# words, whatever the slice (about 0.1 µs each, from the 1M bench index), then probes _post
# once per candidate and term (about 4 µs).
_GIN_POSTING_US = 0.1
_PROBE_US = 4.0


def _lexeme(term: str) -> str:
    if "'" in term or "\\" in term:
        term = term.replace("\\", "\\\\").replace("'", "''")
    return f"'{term}'"


def _position_labels() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f"{p}{w}" for p in range(_MAX_POSITION + 1)) for w in _WEIGHT_LETTERS)


_LABELS = _position_labels()


def _analyzed(fields: Sequence[Sequence[str]]) -> tuple[str, dict[str, float]]:
    """Return the tsvector literal and the weighted term frequencies of per-field terms."""
    positions: dict[str, list[str]] = {}
    tf: dict[str, float] = {}
    position = 0
    for labels, weight, terms in zip(_LABELS, FIELD_WEIGHTS, fields, strict=False):
        for term in terms:
            position = min(position + 1, _MAX_POSITION)
            found = positions.get(term)
            if found is None:
                positions[term] = [labels[position]]
                tf[term] = weight
            else:
                found.append(labels[position])
                tf[term] += weight
        position = min(position + _FIELD_GAP, _MAX_POSITION)
    literal = " ".join(
        f"{_lexeme(term)}:{','.join(p[:_MAX_POSITIONS_PER_TERM])}" for term, p in positions.items()
    )
    return literal, tf


def tsvector(fields: Sequence[Sequence[str]]) -> str:
    """Return the tsvector literal of per-field term lists (title, lead, body)."""
    return _analyzed(fields)[0]


def _clause(clause: Clause) -> str:
    if clause.variants:
        return "(" + " | ".join(_lexeme(term) for term in clause.alternatives) + ")"
    if not clause.is_phrase:
        return _lexeme(clause.terms[0])
    return "(" + " <-> ".join(_lexeme(term) for term in clause.terms) + ")"


def tsquery(query: Query, *, head: bool = False) -> str:
    """Return the tsquery literal of `query`: quoted lexemes only, nothing typed passes.

    With `head`, the required words only (for the headline-and-lead tsvector).
    """
    parts = [_clause(clause) for clause in query.required]
    if not head:
        parts += [f"!{_clause(clause)}" for clause in query.excluded]
    return " & ".join(parts)


def _expected_matches(query: Query, df: dict[str, int], top: int) -> float:
    """Return how many documents hold every clause's words if words were independent (for
    a phrase, all its words: more than match it in order)."""
    expected = float(max(1, top))
    for clause in query.required:
        if clause.is_phrase:
            for term in clause.terms:
                expected *= min(1.0, df.get(term, 0) / max(1, top))
        else:
            held = sum(df.get(term, 0) for term in clause.alternatives)
            expected *= min(1.0, held / max(1, top))
    return expected


def _postings_cost(query: Query, df: dict[str, int], terms: _Terms, top: int) -> float:
    """Return the estimated µs of ranking `query` from the postings of every id."""
    phrases = any(c.is_phrase for c in (*query.required, *query.excluded))
    postings = sum(df.get(term, 0) for term in terms.required)
    # With several clauses only the ids of the rarest are grouped (see _postings_sql).
    rarest = sum(df.get(term, 0) for term in _rarest(query, df))
    grouped = rarest * len(query.required) if len(query.required) > 1 else postings
    hits = _expected_matches(query, df, top) * (_HIT_US + (_PHRASE_US if phrases else 0.0))
    return postings * _POSTING_US + grouped * _GROUP_US + hits


def _rarest(query: Query, df: dict[str, int]) -> list[str]:
    """Return the terms of the required clause held by the fewest documents (of a phrase,
    its rarest term): every match holds one of them."""

    def held(clause: Clause) -> tuple[int, list[str]]:
        if clause.is_phrase:
            term = min(clause.terms, key=lambda x: df.get(x, 0))
            return df.get(term, 0), [term]
        return sum(df.get(x, 0) for x in clause.alternatives), list(clause.alternatives)

    return min((held(clause) for clause in query.required), key=lambda pair: pair[0])[1]


class _Terms:
    """A query's required terms, each named by a column (c0, c1, ...) of its frequency."""

    def __init__(self, query: Query) -> None:
        self.required: tuple[str, ...] = tuple(
            sorted({t for c in query.required for t in c.alternatives})
        )
        self._names = {term: f"c{i}" for i, term in enumerate(self.required)}

    def column(self, term: str) -> str:
        """Return the column holding `term`'s frequency."""
        return self._names[term]


class PostgresEngine(BaseEngine):
    """Search over PostgreSQL; give it a psycopg 3 connection."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
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
        self.t = table_names(prefix, ("doc", "post", "text", "term", "delta", "stat", "meta"))

    def _schema(self) -> list[str]:
        t = self.t
        return [
            f"CREATE TABLE IF NOT EXISTS {t['meta']} (key text PRIMARY KEY, value text NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['doc']} (id bigint PRIMARY KEY, "
            "published timestamptz NOT NULL, section text, story bigint, "
            "facets text[] NOT NULL DEFAULT '{}', doc_len integer NOT NULL, "
            "tsv tsvector NOT NULL, head tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_tsv ON {t['doc']} USING gin (tsv)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_head ON {t['doc']} USING gin (head)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_facets ON {t['doc']} USING gin (facets)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_published ON {t['doc']} (published)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_section ON {t['doc']} (section)",
            f"CREATE INDEX IF NOT EXISTS {t['doc']}_story ON {t['doc']} (story)",
            # tf in the key's index so ranking reads no heap page: index-only scans need the
            # visibility map, so autovacuum visits after 1% new rows rather than 20%.
            f"CREATE TABLE IF NOT EXISTS {t['post']} (term text NOT NULL, id bigint NOT NULL, "
            "tf real NOT NULL, PRIMARY KEY (term, id) INCLUDE (tf)) "
            "WITH (autovacuum_vacuum_insert_scale_factor = 0.01)",
            f"CREATE TABLE IF NOT EXISTS {t['text']} (id bigint PRIMARY KEY, source_id text, "
            "url text, title text NOT NULL, lead text NOT NULL, body text NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['term']} (term text PRIMARY KEY, df integer NOT NULL)",
            # Document frequencies change by appending (term, change) rows: a COPY, no upsert.
            # optimize() folds them into _term.
            f"CREATE TABLE IF NOT EXISTS {t['delta']} (term text NOT NULL, n integer NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {t['delta']}_term ON {t['delta']} (term)",
            f"CREATE TABLE IF NOT EXISTS {t['stat']} (id smallint PRIMARY KEY, "
            "n_docs bigint NOT NULL, total_len bigint NOT NULL)",
            f"INSERT INTO {t['stat']} VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING",
        ]

    def setup(self) -> None:
        """Create the tables if needed; raise IndexMismatchError if another analyzer built them."""
        for statement in self._schema():
            self.conn.execute(statement.encode())
        rows = self.conn.execute(f"SELECT key, value FROM {self.t['meta']}".encode()).fetchall()
        stored = dict(rows)
        wanted = {"analyzer": self.analyzer.signature, "schema": SCHEMA_VERSION}
        for key, value in wanted.items():
            if key in stored and stored[key] != value:
                raise IndexMismatchError(
                    f"the search index was built with {key} {stored[key]!r}, not {value!r}: "
                    "drop() it and index the articles again"
                )
        with self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.t['meta']} VALUES (%s, %s) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value".encode(),
                list(wanted.items()),
            )
        self._done()

    def drop(self) -> None:
        """Drop the engine's tables (all indexed data is lost)."""
        for table in self.t.values():
            self.conn.execute(f"DROP TABLE IF EXISTS {table}".encode())
        self._done()

    def _done(self) -> None:
        if self.commit:
            self.conn.commit()

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

    def _rows(self, doc: Document) -> tuple[list[tuple[Any, ...]], dict[str, float], int]:
        """Return the doc and text rows of `doc`, its weighted term frequencies and length."""
        fields = [self.analyzer.terms(text) for text in (doc.title, doc.lead, doc.body)]
        literal, tf = _analyzed(fields)
        head = _analyzed(fields[:2])[0]
        length = sum(len(terms) for terms in fields)
        facets = [f"{kind}:{key}" for kind, key in doc.facets()]
        section = None if doc.section is None else facet_key(doc.section)
        rows = [
            (doc.id, utc(doc.published), section, doc.story, facets, length, literal, head),
            (doc.id, doc.source_id, doc.url, doc.title, doc.lead, doc.body),
        ]
        return rows, tf, length

    def _insert(self, docs: Sequence[Document]) -> None:
        tables: list[list[tuple[Any, ...]]] = [[], [], []]
        df: Counter[str] = Counter()
        total_len = 0
        for doc in docs:
            rows, tf, length = self._rows(doc)
            tables[0].append(rows[0])
            tables[2].append(rows[1])
            tables[1] += [(term, doc.id, freq) for term, freq in tf.items()]
            df.update(tf.keys())
            total_len += length
        columns = (
            ("doc", "id, published, section, story, facets, doc_len, tsv, head"),
            ("post", "term, id, tf"),
            ("text", "id, source_id, url, title, lead, body"),
        )
        with self.conn.cursor() as cur:
            for (name, cols), rows_ in zip(columns, tables, strict=True):
                with cur.copy(f"COPY {self.t[name]} ({cols}) FROM STDIN".encode()) as copy:
                    for row in rows_:
                        copy.write_row(row)
        self._update_stats(df, len(docs), total_len)

    def _update_stats(self, df: Counter[str], n_docs: int, total_len: int) -> None:
        if not n_docs:
            return
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {self.t['delta']} (term, n) FROM STDIN".encode()) as copy,
        ):
            for term, change in df.items():
                copy.write_row((term, change))
        self.conn.execute(
            f"UPDATE {self.t['stat']} SET n_docs = n_docs + %s, total_len = total_len + %s "
            "WHERE id = 1".encode(),
            (n_docs, total_len),
        )

    def optimize(self) -> None:
        """Fold the document-frequency changes into _term: run after a bulk load, or nightly."""
        t = self.t
        self.conn.execute(
            f"WITH moved AS (DELETE FROM {t['delta']} RETURNING term, n) "
            f"INSERT INTO {t['term']} AS t (term, df) SELECT term, sum(n) FROM moved "
            "GROUP BY term ON CONFLICT (term) DO UPDATE SET df = t.df + excluded.df".encode()
        )
        self.conn.execute(f"DELETE FROM {t['term']} WHERE df <= 0".encode())
        self._done()

    def _remove(self, ids: Sequence[int]) -> int:
        wanted = (list(ids),)
        t = self.t
        # A document's postings are found from its tsvector's lexemes (the same terms), by
        # primary key: an index on _post.id alone would cost as much again as the postings.
        terms = self.conn.execute(
            f"DELETE FROM {t['post']} AS p USING (SELECT id, unnest(tsvector_to_array(tsv)) "
            f"AS term FROM {t['doc']} WHERE id = ANY(%s)) AS x "
            "WHERE p.term = x.term AND p.id = x.id RETURNING p.term".encode(),
            wanted,
        ).fetchall()
        lengths = self.conn.execute(
            f"DELETE FROM {t['doc']} WHERE id = ANY(%s) RETURNING doc_len".encode(), wanted
        ).fetchall()
        if not lengths:
            return 0
        self.conn.execute(f"DELETE FROM {t['text']} WHERE id = ANY(%s)".encode(), wanted)
        df: Counter[str] = Counter(str(term) for (term,) in terms)
        df = Counter({term: -n for term, n in df.items()})
        self._update_stats(df, -len(lengths), -sum(int(row[0]) for row in lengths))
        return len(lengths)

    def delete(self, ids: Iterable[int]) -> int:
        """Remove documents by id; unknown ids are skipped. Return how many were removed."""
        removed = sum(self._remove(batch) for batch in batched(ids))
        self._done()
        return removed

    def count(self) -> int:
        """Return how many documents are indexed."""
        row = self.conn.execute(f"SELECT n_docs FROM {self.t['stat']} WHERE id = 1".encode())
        found = row.fetchone()
        self._done()
        return int(found[0]) if found else 0

    def _filters(self, filters: Filters) -> tuple[list[str], list[Any]]:
        """Return the SQL conditions on `d` (the _doc table) of `filters`, and their values."""
        clauses: list[str] = []
        params: list[Any] = []
        for sql, value in (
            ("d.section = %s", filters.section_key()),
            ("d.story = %s", filters.story),
            ("d.published >= %s", filters.since and utc(filters.since)),
            ("d.published <= %s", filters.until and utc(filters.until)),
        ):
            if value is not None:
                clauses.append(sql)
                params.append(value)
        facets = [f"{kind}:{key}" for kind, key in filters.facets()]
        if facets:
            clauses.append("d.facets @> %s::text[]")
            params.append(facets)
        return clauses, params

    def _where(self, query: Query, filters: Filters) -> tuple[str, list[Any]]:
        clauses, params = self._filters(filters)
        return " AND ".join(["d.tsv @@ %s::tsquery", *clauses]), [tsquery(query), *params]

    def _stats(self) -> tuple[int, float]:
        row = self.conn.execute(
            f"SELECT n_docs, total_len FROM {self.t['stat']} WHERE id = 1".encode()
        ).fetchone()
        n_docs, total_len = (int(row[0]), int(row[1])) if row else (0, 0)
        return n_docs, (total_len / n_docs if n_docs else 1.0)

    def rank(
        self, query: Query, filters: Filters, offset: int, limit: int, now: datetime
    ) -> Ranked:
        """Return one page of (id, score), best first, and the number of matches."""
        terms = _Terms(query)
        df = self.doc_freqs(terms.required)
        top, floors = self._slices(query, df)
        if not _expected_matches(query, df, top):
            # A required word no document holds: nothing can match, and the other words'
            # postings need not be read.
            self._done()
            return [], 0, True
        score, score_params = self._score_sql(query, now, df, terms)
        # Filters need each hit's _doc row, which the GIN path's bitmaps (AND-ed with the
        # facet, section and date indexes) avoid reading; head_candidates needs the head GIN.
        if not self.head_candidates and filters == Filters():
            ranked = self._rank_postings(
                query, (offset, limit), top, df, terms, (score, score_params)
            )
            if ranked is not None:
                self._done()
                return ranked
        ranked = self._rank_gin(
            query, filters, (offset, limit), (top, floors), df, (score, score_params)
        )
        self._done()
        return ranked

    def _rank_postings(
        self,
        query: Query,
        page: tuple[int, int],
        top: int,
        df: dict[str, int],
        terms: _Terms,
        score: tuple[str, list[Any]],
    ) -> Ranked | None:
        """Rank from the postings of the newest ids; None when that would cost too much."""
        expected = _expected_matches(query, df, top)
        cost = _postings_cost(query, df, terms, top)
        # A slice expected to hold twice `candidates` matches (words taken as independent,
        # so a phrase may need a wider one); the whole index if the query is not that common.
        width = 2 * self.candidates * top / max(1.0, expected)
        floor = top - int(width) if width < top else -1
        sql, params = self._postings_sql(query, terms, score, df)
        offset, limit = page
        # The GIN path beats postings only for words that all must match, one of them rare
        # and another common (GIN intersects them; postings read all of the common one's).
        # For one clause it would visit the heap row of each match, and for a phrase test
        # the same tsvectors, in cruder slices.
        phrases = any(c.is_phrase for c in (*query.required, *query.excluded))
        bounded = len(query.required) > 1 and not phrases
        gin = sum(df.get(term, 0) for term in terms.required) * _GIN_POSTING_US + min(
            expected, self.candidates
        ) * (_HIT_US + _PROBE_US * len(terms.required))
        while True:
            share = 1.0 if floor < 0 else (top - floor) / max(1, top)
            if bounded and cost * share > max(_POSTINGS_BUDGET_US, gin):
                return None
            rows = self.conn.execute(
                sql.encode(), [*params(floor), self.candidates, *score[1], limit, offset]
            ).fetchall()
            found, low = int(rows[0][0]), rows[0][1]
            ranked = [(int(r[2]), float(r[3])) for r in rows if r[2] is not None]
            if found >= self.candidates:
                # Saturated: estimate from how densely the candidates fill the newest ids.
                estimate = round(found * top / max(1, top - int(low) + 1))
                return ranked, min(estimate, top), False
            if floor < 0:
                return ranked, found, True
            # Too few in this slice: widen it as far as the density seen says (at least
            # twice, at most _SLICE_GROWTH times), so a rare phrase does not take many steps.
            width = top - floor
            growth = min(_SLICE_GROWTH, max(2.0, 1.5 * self.candidates / max(1, found)))
            floor = top - int(width * growth) if width * growth < top else -1

    def _postings_sql(
        self,
        query: Query,
        terms: _Terms,
        score: tuple[str, list[Any]],
        df: dict[str, int],
    ) -> tuple[str, Callable[[int], list[Any]]]:
        """Return the postings ranking query and a function giving its parameters for a floor.

        One index-only scan reads the postings of every required term among ids above the
        floor; grouped by id they give each term's frequency (NULL: absent), from which the
        clauses are tested; only phrases read the tsvector, of documents holding all their
        terms. Only the ids holding the rarest clause are grouped: grouping every posting of a
        common word costs some 1.5 µs per posting and term, five times what reading it does.
        An excluded word is looked up per match instead (it may be a very common one).
        """
        t = self.t
        columns = ", ".join(
            f"max(p.tf) FILTER (WHERE p.term = %s) AS {terms.column(term)}"
            for term in terms.required
        )
        conditions: list[str] = []
        checks: list[Any] = []
        for clause in query.required:
            if clause.is_phrase:
                conditions.append(
                    "("
                    + " AND ".join(f"{terms.column(x)} IS NOT NULL" for x in clause.terms)
                    + " AND d.tsv @@ %s::tsquery)"
                )
                checks.append(_clause(clause))
            else:
                conditions.append(
                    "("
                    + " OR ".join(f"{terms.column(x)} IS NOT NULL" for x in clause.alternatives)
                    + ")"
                )
        for clause in query.excluded:
            if clause.is_phrase:
                conditions.append("NOT d.tsv @@ %s::tsquery")
                checks.append(_clause(clause))
            else:
                conditions.append(
                    f"NOT EXISTS (SELECT 1 FROM {t['post']} AS x WHERE x.term = ANY(%s) "
                    "AND x.id = h.id)"
                )
                checks.append(list(clause.alternatives))
        several = len(query.required) > 1
        rare = (
            f"AND p.id IN (SELECT r.id FROM {t['post']} AS r WHERE r.term = ANY(%s) AND r.id > %s)"
        )
        rare = rare if several else ""
        sql = (
            f"WITH hit AS (SELECT p.id, {columns} FROM {t['post']} AS p "
            f"WHERE p.term = ANY(%s) AND p.id > %s {rare} GROUP BY p.id), "
            # One primary-key probe per hit (OFFSET 0 keeps the planner from flattening the
            # LATERAL into a merge join, which reads every _doc row of the slice).
            "newest AS MATERIALIZED (SELECT h.*, d.published, d.doc_len FROM hit AS h "
            f"CROSS JOIN LATERAL (SELECT * FROM {t['doc']} AS d WHERE d.id = h.id OFFSET 0) "
            "AS d WHERE "
            f"{' AND '.join(conditions)} ORDER BY h.id DESC LIMIT %s), "
            f"page AS (SELECT id, {score[0]} AS score FROM newest "
            "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s) "
            "SELECT c.n, c.low, page.id, page.score FROM (SELECT count(*) AS n, min(id) AS low "
            "FROM newest) AS c LEFT JOIN page ON true ORDER BY page.score DESC, page.id DESC"
        )

        rarest = _rarest(query, df)

        def params(floor: int) -> list[Any]:
            required = list(terms.required)
            head = [*required, required, floor, *([rarest, floor] if several else [])]
            return [*head, *checks]

        return sql, params

    def _rank_gin(
        self,
        query: Query,
        filters: Filters,
        page: tuple[int, int],
        slices: tuple[int, list[int]],
        df: dict[str, int],
        score: tuple[str, list[Any]],
    ) -> Ranked:
        """Rank candidates found with the GIN indexes, their frequencies read from _post."""
        offset, limit = page
        top, floors = slices
        where, where_params = self._where(query, filters)
        doc = f"SELECT d.id, d.published, d.doc_len FROM {self.t['doc']} AS d WHERE {where}"
        # Candidates: the newest matches, found in a slice of the newest ids that grows until
        # it holds `candidates` of them (so a common word reads few heap rows), and with
        # head_candidates the newest matches in headline or lead. `d.id + 0` keeps the
        # planner off a backward primary-key scan testing every row's tsvector.
        order = "ORDER BY d.id + 0 DESC LIMIT %s"
        with self._bitmap_scans():
            floor, estimate = self._floor(top, floors, where, where_params)
            newest = self.conn.execute(
                f"{doc} AND d.id > %s {order}".encode(), [*where_params, floor, self.candidates]
            ).fetchall()
            heads = []
            if self.head_candidates:
                heads = self.conn.execute(
                    f"{doc} AND d.head @@ %s::tsquery {order}".encode(),
                    [*where_params, tsquery(query, head=True), self.head_candidates],
                ).fetchall()
        seen = {row[0] for row in newest}
        candidates = newest + [row for row in heads if row[0] not in seen]
        ranked = self._score_rows(candidates, _Terms(query), (df, top), score, (offset, limit))
        found, exact = len(newest), True
        if floor >= 0:
            found, exact = estimate, False
        elif found >= self.candidates:
            # Saturated: estimate from how densely the candidates fill the newest ids.
            low = min(int(row[0]) for row in newest)
            found, exact = round(found * top / max(1, top - low + 1)), False
        return ranked, found if exact else min(found, top), exact

    def _score_rows(
        self,
        rows: Sequence[tuple[Any, ...]],
        terms: _Terms,
        stats: tuple[dict[str, int], int],
        score: tuple[str, list[Any]],
        page: tuple[int, int],
    ) -> list[tuple[int, float]]:
        """Return one page of (id, score) of candidate rows (id, published, doc_len).

        Each term's frequencies are read from _post by a range scan over the candidates' ids
        when its postings there are few, else by one probe per candidate (some 4 µs each,
        about what reading 15 postings of a range costs). OFFSET 0 keeps the probes probes:
        the planner would rather sort every posting of a common word for a merge join.
        """
        if not rows:
            return []
        df, top = stats
        ids = [int(row[0]) for row in rows]
        low, high = min(ids), max(ids)
        share = (high - low + 1) / max(1, top)
        ranged = [t for t in terms.required if df.get(t, 0) * share <= 15 * len(ids)]
        probed = [t for t in terms.required if t not in ranged]
        columns = ", ".join(
            f"max(f.tf) FILTER (WHERE f.term = %s) AS {terms.column(term)}"
            for term in terms.required
        )
        post = self.t["post"]
        sql = (
            "WITH m AS MATERIALIZED (SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], "
            "%s::integer[]) AS m(id, published, doc_len)), "
            f"f AS (SELECT p.id, p.term, p.tf FROM {post} AS p WHERE p.term = ANY(%s) "
            "AND p.id BETWEEN %s AND %s AND p.id IN (SELECT id FROM m) "
            "UNION ALL SELECT p.id, p.term, p.tf FROM m CROSS JOIN LATERAL (SELECT * "
            f"FROM {post} AS p WHERE p.term = ANY(%s) AND p.id = m.id OFFSET 0) AS p), "
            f"x AS (SELECT f.id, {columns} FROM f GROUP BY f.id) "
            f"SELECT m.id, {score[0]} AS score FROM m LEFT JOIN x ON x.id = m.id "
            "ORDER BY score DESC, m.id DESC LIMIT %s OFFSET %s"
        )
        params = [
            ids,
            [row[1] for row in rows],
            [int(row[2]) for row in rows],
            ranged,
            low,
            high,
            probed,
            *terms.required,
            *score[1],
            page[1],
            page[0],
        ]
        found = self.conn.execute(sql.encode(), params).fetchall()
        return [(int(r[0]), float(r[1])) for r in found]

    @contextmanager
    def _bitmap_scans(self) -> Iterator[None]:
        """Keep the planner on GIN bitmaps: a primary-key range scan would test each row's
        tsvector (it picks one for `id > floor` when it misjudges how many rows match)."""
        row = self.conn.execute(b"SELECT set_config('enable_indexscan', 'off', true)")
        row.fetchone()
        try:
            yield
        finally:
            self.conn.execute(b"SELECT set_config('enable_indexscan', 'on', true)").fetchone()

    def _floor(self, top: int, floors: list[int], where: str, params: list[Any]) -> tuple[int, int]:
        """Return the lowest id of the newest slice holding `candidates` matches (-1: all ids)
        and, for a slice, the number of matches estimated from the slice's share."""
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.t['doc']} AS d WHERE {where} "
            "AND d.id > %s LIMIT %s) AS s"
        )
        for floor in floors[:-1]:
            limit = self.candidates * _SLICE_GROWTH
            row = self.conn.execute(sql.encode(), [*params, floor, limit]).fetchone()
            inside = int(row[0]) if row else 0
            if inside >= self.candidates:
                # Counting every match of a common word costs a heap visit each: estimate it.
                return floor, round(inside * top / (top - floor))
        return -1, 0

    def _count(self, where: str, params: list[Any]) -> int:
        row = self.conn.execute(
            f"SELECT count(*) FROM {self.t['doc']} AS d WHERE {where}".encode(), params
        ).fetchone()
        return int(row[0]) if row else 0

    def _slices(self, query: Query, df: dict[str, int]) -> tuple[int, list[int]]:
        """Return the highest id and the id floors, newest slice first, ending with -1 (all)."""
        row = self.conn.execute(f"SELECT max(id) FROM {self.t['doc']}".encode()).fetchone()
        top = int(row[0]) if row and row[0] is not None else 0
        # No more documents match than hold the rarest clause: start from a slice that would
        # hold twice `candidates` of them if the matches were spread evenly over the ids.
        bound = min(
            min(df.get(t, 0) for t in c.terms)
            if c.is_phrase
            else sum(df.get(t, 0) for t in c.alternatives)
            for c in query.required
        )
        if bound <= self.candidates or top <= 0:
            return top, [-1]
        floors, width = [], max(self.candidates * 2, 2 * self.candidates * top // bound)
        while width < top:
            floors.append(top - width)
            width *= _SLICE_GROWTH
        return top, [*floors, -1]

    def _score_sql(
        self, query: Query, now: datetime, df: dict[str, int], terms: _Terms
    ) -> tuple[str, list[Any]]:
        """Return the BM25 x recency expression over the term columns, doc_len and
        published, and its parameters."""
        n_docs, avg_len = self._stats()
        parts: list[str] = []
        params: list[Any] = []
        # As FTS5 does: one part per phrase, each alternative of a word being a phrase.
        groups = [
            (c.terms,) if c.is_phrase else tuple((t,) for t in c.alternatives)
            for c in query.required
        ]
        for phrase in (phrase for group in groups for phrase in group):
            rarest = min(phrase, key=lambda term: df.get(term, 0))
            idf = bm25_idf(n_docs, df.get(rarest, 0))
            freq = f"coalesce(least({', '.join(terms.column(term) for term in phrase)}), 0)"
            parts.append(f"(%s * {freq} / ({freq} + %s + %s * doc_len))")
            params += [idf * (K1 + 1), K1 * (1 - B), K1 * B / avg_len]
        recency = (
            "(1.0 + %s / (1.0 + greatest(0.0, extract(epoch FROM (%s - published))::float8) / %s))"
        )
        params += [RECENCY_BOOST, utc(now), SECONDS_PER_DAY * RECENCY_DAYS]
        return f"({' + '.join(parts)}) * {recency}", params

    def matches(self, query: Query, filters: Filters) -> bool:
        """Return True if at least one document matches."""
        where, params = self._where(query, filters)
        row = self.conn.execute(
            f"SELECT 1 FROM {self.t['doc']} AS d WHERE {where} LIMIT 1".encode(), params
        ).fetchone()
        self._done()
        return row is not None

    def doc_freqs(self, terms: Collection[str]) -> dict[str, int]:
        """Return how many documents hold each term; absent terms are left out."""
        if not terms:
            return {}
        t = self.t
        rows = self.conn.execute(
            f"SELECT term, sum(df) FROM (SELECT term, df FROM {t['term']} WHERE term = ANY(%s) "
            f"UNION ALL SELECT term, n FROM {t['delta']} WHERE term = ANY(%s)) AS f "
            "GROUP BY term HAVING sum(df) > 0".encode(),
            (list(terms), list(terms)),
        ).fetchall()
        return {str(term): int(df) for term, df in rows}

    def fetch(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        """Return what is stored of the documents `ids`."""
        if not ids:
            return {}
        rows = self.conn.execute(
            f"SELECT x.id, x.source_id, x.url, x.title, x.lead, x.body, d.published "
            f"FROM {self.t['text']} AS x JOIN {self.t['doc']} AS d ON d.id = x.id "
            "WHERE x.id = ANY(%s)".encode(),
            (list(ids),),
        ).fetchall()
        self._done()
        return {
            int(r[0]): StoredDoc(int(r[0]), r[1], r[2], r[3], r[4], r[5], utc(r[6])) for r in rows
        }
