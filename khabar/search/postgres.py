"""The PostgreSQL engine: tsvector over the analyzer's terms, GIN indexes, and BM25 in SQL.

`ts_rank` ranks Arabic poorly (MRR@10 0.54 against 0.71 for BM25 in earlier measurements), so
this engine computes FTS5's BM25 itself, with the same weights and recency, in the ranking query:
  _doc.tsv    terms with positions, weighted A (title), B (lead), C (body); GIN-indexed; it
              finds the matches, phrases included. It is built from the analyzer's terms, as
              to_tsvector('simple', ...) would be, without depending on PostgreSQL's parser or
              the database locale.
  _doc.head   the same for title and lead only (GIN-indexed): headline-and-lead candidates
  _post       (term, id, tf): one row per term of each document with its weighted frequency,
              the per-document half of BM25, and one per filter value: reserved terms no
              analyzer term can equal (they start with FILTER_MARK, "#"): #section:..,
              #story:.., #agency:.., #person:.., #place:.. and the publication #month:YYYY-MM
              and #day:YYYY-MM-DD (UTC), with tf 0. They count in no document's length and
              no word's statistics; _term holds their document frequencies too. The primary
              key (term, id) includes tf, so an index-only scan reads the postings of a range
              of ids: for most queries it both finds the newest matches and gives their
              frequencies, reading a few leaf pages where a GIN bitmap would read each
              match's heap row (and its TOASTed tsvector)
  _doc.doc_len, _stat (documents, total length) and _term (term, document frequency, with
              changes appended to _delta until optimize() folds them in): the rest
  _text       the original text, for hits and snippets
Candidates are ranked as in the SQLite engine (see engine.CANDIDATES). When a word is so common
that the newest candidates fill a slice of the newest ids, `total` is estimated from that slice
(SearchResult.total_exact is False), as SQLite estimates it: counting every match would visit
every matching row.
Two ways to find the candidates, chosen per query by estimated cost. Postings: a filter is one
more need of the query, like a word (a date range: the month and day terms covering it, its
exact bounds checked on each hit's _doc row); in a slice of the newest ids sized from the
document frequencies, the postings of the rarest need and of the other terms worth reading
are merged newest first, the terms most documents hold are probed per id, and reading stops
at `candidates` matches; phrases are then checked on the tsvector of the documents holding
all their words. Or the GIN indexes (bitmaps AND-ed with the facet, section and date
indexes), whose candidates then read their frequencies from _post (a range scan for a term
with few postings among them, a probe per candidate for the others): they serve
head_candidates, and the few searches whose postings would cost well over GIN's estimate.
Changing this layout bumps SCHEMA_VERSION: setup() then refuses the old tables, and
`khabar reindex` drops and rebuilds them.
Phrases are ranked as FTS5 would only approximately: frequency and document frequency of the
rarest of their terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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

__all__ = [
    "FILTER_MARK",
    "SCHEMA_VERSION",
    "PostgresEngine",
    "filter_terms",
    "period_terms",
    "tsquery",
    "tsvector",
]

SCHEMA_VERSION = "3"
# Filters are postings terms too (see filter_terms), marked by a first character no analyzer
# term has: a normalized term holds only letters, digits and inner dots, and even without
# normalization an edge character is never punctuation.
FILTER_MARK = "#"
_WEIGHT_LETTERS = ("A", "B", "C")
_MAX_POSITION = 16_383
_MAX_POSITIONS_PER_TERM = 256
# Positions of the next field start past a gap, so no phrase spans a title and its lead.
_FIELD_GAP = 64
# Each next slice of newest ids searched for candidates is this many times wider.
_SLICE_GROWTH = 8
# What the postings path may cost before the GIN indexes are considered, in µs: reading a
# posting (index-only, cached) newest first, merging it with the other terms' and grouping
# it by id, about 0.6 µs; probing a term for one id, 4 µs; each match's _doc row, 3 µs, and
# 15 µs more with a phrase (its tsvector is read). Measured on the 1M bench index.
_POSTINGS_BUDGET_US = 50_000
_MERGE_US = 0.6
_PROBE_US = 4.0
_HIT_US = 3.0
_PHRASE_US = 15.0
# The GIN path, estimated to choose between the two: it decodes every posting of the query's
# words and filters once per slice it tries (about 0.1 µs each), then probes _post once per
# candidate and term. Over the 300 bench queries at 1M it ran 1.5 times further over its
# estimate than the postings path did (its bitmaps and heap pages are colder), hence the
# margin.
_GIN_POSTING_US = 0.1
_GIN_MARGIN = 1.5
# psycopg.pq.TransactionStatus.INERROR, without importing psycopg at module level.
_IN_ERROR = 3


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


def filter_terms(
    section: str | None, story: int | None, facets: Iterable[str], published: datetime
) -> list[str]:
    """Return the reserved postings terms of a document's filter values: its section (stored
    form), story, facets ("agency:..."), and publication month and day (UTC)."""
    moment = utc(published)
    terms = [_month_term(moment.date()), _day_term(moment.date())]
    if section is not None:
        terms.append(f"{FILTER_MARK}section:{section}")
    if story is not None:
        terms.append(f"{FILTER_MARK}story:{story}")
    return terms + [f"{FILTER_MARK}{facet}" for facet in facets]


def _month_term(day: date) -> str:
    return f"{FILTER_MARK}month:{day.year:04d}-{day.month:02d}"


def _day_term(day: date) -> str:
    return f"{FILTER_MARK}day:{day.year:04d}-{day.month:02d}-{day.day:02d}"


def period_terms(first: date, last: date) -> list[str]:
    """Return the month and day terms covering the days first..last (UTC): whole months as
    one term, the days of a month only partly inside as day terms."""
    terms = []
    day = first
    while day <= last:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.day == 1 and month_end <= last:
            terms.append(_month_term(day))
            day = month_end + timedelta(days=1)
        else:
            terms.append(_day_term(day))
            day += timedelta(days=1)
    return terms


def _expected_matches(
    query: Query, df: dict[str, int], top: int, limits: Sequence[Sequence[str]] = ()
) -> float:
    """Return how many documents hold every clause's words, and one term of each filter
    clause in `limits`, if words were independent (for a phrase, all its words: more than
    match it in order)."""
    expected = float(max(1, top))
    for alternatives in limits:
        expected *= min(1.0, sum(df.get(term, 0) for term in alternatives) / max(1, top))
    for clause in query.required:
        if clause.is_phrase:
            for term in clause.terms:
                expected *= min(1.0, df.get(term, 0) / max(1, top))
        else:
            held = sum(df.get(term, 0) for term in clause.alternatives)
            expected *= min(1.0, held / max(1, top))
    return expected


@dataclass(frozen=True)
class _Part:
    """Terms read into one frequency column: a word's term, or every term of a filter."""

    column: str
    terms: tuple[str, ...]

    def held(self, df: dict[str, int]) -> int:
        """Return how many documents hold one of the terms."""
        return sum(df.get(term, 0) for term in self.terms)

    def frequency(self, alias: str) -> tuple[str, list[Any]]:
        """Return the aggregate giving this part's frequency (NULL: absent) and its values."""
        if len(self.terms) == 1:
            return f"max({alias}.tf) FILTER (WHERE {alias}.term = %s) AS {self.column}", [
                self.terms[0]
            ]
        sql = f"max({alias}.tf) FILTER (WHERE {alias}.term = ANY(%s)) AS {self.column}"
        return sql, [list(self.terms)]


@dataclass(frozen=True)
class _Need:
    """What every match holds: one of these parts (a word or its variants; a filter)."""

    parts: tuple[_Part, ...]

    def held(self, df: dict[str, int]) -> int:
        """Return how many documents hold one of the parts (an overestimate with variants)."""
        return sum(part.held(df) for part in self.parts)

    def test(self) -> str:
        """Return the SQL test of this need on its parts' frequency columns."""
        return "(" + " OR ".join(f"{part.column} IS NOT NULL" for part in self.parts) + ")"


def _needs(query: Query, terms: _Terms, limits: Sequence[Sequence[str]]) -> list[_Need]:
    """Return what a match of `query` with these filter clauses holds: each word clause (each
    word of a phrase), then each filter."""
    needs = []
    for clause in query.required:
        parts = [_Part(terms.column(term), (term,)) for term in clause.alternatives]
        if clause.is_phrase:
            needs += [_Need((part,)) for part in parts]
        else:
            needs.append(_Need(tuple(parts)))
    needs += [_Need((_Part(f"f{i}", tuple(c)),)) for i, c in enumerate(limits)]
    return needs


@dataclass
class _Plan:
    """How the postings path finds the newest matches of a slice: the postings of the driver
    (the rarest need) and of the other merged terms are read newest first and merged by id;
    the terms most documents hold are probed for each id left."""

    driver: _Need
    others: list[_Need]
    merged: list[_Part] = field(default_factory=list)
    probes: list[list[_Part]] = field(default_factory=list)
    cost: float = 0.0

    def tests(self) -> tuple[list[str], list[str]]:
        """Return the tests of each id on its merged columns, then those needing a probe."""
        merged = {part.column for part in self.merged}
        driver = " OR ".join(f"{part.column} IS NOT NULL" for part in self.driver.parts)
        held: list[str] = [f"({driver})"]
        probed: list[str] = []
        probes = {part.column for group in self.probes for part in group}
        for need in self.others:
            columns = {part.column for part in need.parts}
            if columns <= merged:
                held.append(need.test())
            elif columns <= merged | probes:
                probed.append(need.test())
        return held, probed


def _plan(needs: list[_Need], df: dict[str, int], share: float, top: int) -> _Plan:
    """Return the cheapest plan by estimate: a term is merged when reading its postings in
    the slice costs less than probing it for each id left by the rarer needs."""
    ordered = sorted(needs, key=lambda need: need.held(df))
    plan = _Plan(ordered[0], ordered[1:], list(ordered[0].parts))
    ids = plan.driver.held(df) * share
    plan.cost = ids * _MERGE_US
    placed = {part.column for part in plan.merged}
    for need in plan.others:
        probed: list[_Part] = []
        for part in (p for p in need.parts if p.column not in placed):
            placed.add(part.column)
            merge = part.held(df) * share * _MERGE_US
            # A filter of periods is not probed (a lookup per period): unless merged, its
            # test is the date bounds' on each hit's _doc row, read anyway.
            periods = len(part.terms) > 1
            probe = ids * (_HIT_US if periods else _PROBE_US)
            if merge <= probe:
                plan.merged.append(part)
            elif not periods:
                probed.append(part)
            plan.cost += min(merge, probe)
        if probed:
            plan.probes.append(probed)
        ids *= min(1.0, need.held(df) / max(1, top))
    return plan


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


@dataclass(frozen=True)
class _Limits:
    """A search's filters for the postings path: clauses of filter terms (a match holds a term
    of each) and the exact date bounds."""

    clauses: tuple[tuple[str, ...], ...] = ()
    since: datetime | None = None
    until: datetime | None = None


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
        """Return the doc and text rows of `doc`, its postings (weighted term frequencies, and
        its filter terms at 0, outside its length) and its length."""
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
        tf.update(dict.fromkeys(filter_terms(section, doc.story, facets, doc.published), 0.0))
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
        # A document's postings are found from its tsvector's lexemes (the same terms) and its
        # filter values, by primary key: an index on _post.id alone would cost as much again
        # as the postings.
        marks = self._stored_filter_terms(ids)
        terms = self.conn.execute(
            f"DELETE FROM {t['post']} AS p USING (SELECT id, unnest(tsvector_to_array(tsv)) "
            f"AS term FROM {t['doc']} WHERE id = ANY(%s) "
            "UNION ALL SELECT * FROM unnest(%s::bigint[], %s::text[])) AS x "
            "WHERE p.term = x.term AND p.id = x.id RETURNING p.term".encode(),
            (list(ids), [doc_id for doc_id, _ in marks], [term for _, term in marks]),
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

    def _stored_filter_terms(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """Return (id, term) of the filter terms of the indexed documents `ids`."""
        rows = self.conn.execute(
            f"SELECT id, section, story, facets, published FROM {self.t['doc']} "
            "WHERE id = ANY(%s)".encode(),
            (list(ids),),
        ).fetchall()
        return [(int(r[0]), term) for r in rows for term in filter_terms(r[1], r[2], r[3], r[4])]

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
        limits = self._limits(filters)
        df = self.doc_freqs({*terms.required, *(t for c in limits.clauses for t in c)})
        top, floors = self._slices(query, df, limits)
        if not _expected_matches(query, df, top, limits.clauses):
            # A required word (or filter value) no document holds: nothing can match, and the
            # other words' postings need not be read.
            self._done()
            return [], 0, True
        score, score_params = self._score_sql(query, now, df, terms)
        # head_candidates needs the head GIN.
        if not self.head_candidates:
            ranked = self._rank_postings(
                query, limits, (offset, limit), (top, floors, df), terms, (score, score_params)
            )
            if ranked is not None:
                self._done()
                return ranked
        ranked = self._rank_gin(
            query, filters, (offset, limit), (top, floors), df, (score, score_params)
        )
        self._done()
        return ranked

    def _limits(self, filters: Filters) -> _Limits:
        """Return `filters` as clauses of filter terms, and the date bounds to check exactly."""
        clauses: list[tuple[str, ...]] = []
        section = filters.section_key()
        if section is not None:
            clauses.append((f"{FILTER_MARK}section:{section}",))
        if filters.story is not None:
            clauses.append((f"{FILTER_MARK}story:{filters.story}",))
        clauses += [(f"{FILTER_MARK}{kind}:{key}",) for kind, key in filters.facets()]
        since = filters.since and utc(filters.since)
        until = filters.until and utc(filters.until)
        if since or until:
            period = self._period(since, until)
            if period is not None:
                clauses.append(period)
        return _Limits(tuple(clauses), since, until)

    def _period(self, since: datetime | None, until: datetime | None) -> tuple[str, ...] | None:
        """Return the month and day terms covering since..until within the indexed dates
        (empty: no document; None: every document is inside)."""
        row = self.conn.execute(
            f"SELECT min(published), max(published) FROM {self.t['doc']}".encode()
        ).fetchone()
        if row is None or row[0] is None:
            return ()
        oldest, newest = utc(row[0]), utc(row[1])
        if (since is None or since <= oldest) and (until is None or until >= newest):
            return None
        first = max(since, oldest) if since else oldest
        last = min(until, newest) if until else newest
        return tuple(period_terms(first.date(), last.date()))

    def _rank_postings(
        self,
        query: Query,
        limits: _Limits,
        page: tuple[int, int],
        stats: tuple[int, list[int], dict[str, int]],
        terms: _Terms,
        score: tuple[str, list[Any]],
    ) -> Ranked | None:
        """Rank from the postings of the newest ids; None when that would cost too much."""
        top, floors, df = stats
        expected = _expected_matches(query, df, top, limits.clauses)
        needs = _needs(query, terms, limits.clauses)
        # A slice expected to hold twice `candidates` matches (words taken as independent,
        # so a phrase may need a wider one); the whole index if the query is not that common.
        width = 2 * self.candidates * top / max(1.0, expected)
        floor = top - int(width) if width < top else -1
        offset, limit = page
        # The GIN path can beat postings only for needs that must all match and that many
        # documents hold (it decodes a posting for a sixth of what merging one costs, but
        # once per slice it tries). For one need it would visit the heap row of each match,
        # and for a phrase test the same tsvectors, in cruder slices.
        phrases = any(c.is_phrase for c in (*query.required, *query.excluded))
        bounded = len(needs) > 1 and not phrases
        gin = self._gin_cost(needs, df, expected, (top, floors), len(terms.required))
        hit_us = _HIT_US + (_PHRASE_US if phrases else 0.0)
        while True:
            share = 1.0 if floor < 0 else (top - floor) / max(1, top)
            # Reading stops at `candidates` matches: about half of a slice sized for twice
            # as many.
            read = share * min(1.0, self.candidates / max(1.0, expected * share))
            plan = _plan(needs, df, read, top)
            cost = plan.cost + min(expected * share, self.candidates) * hit_us
            if bounded and cost > max(_POSTINGS_BUDGET_US, gin * _GIN_MARGIN):
                return None
            sql, params = self._postings_sql(query, limits, plan, floor, score[0])
            with self._merge_scans():
                rows = self.conn.execute(
                    sql.encode(), [*params, self.candidates, *score[1], limit, offset]
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

    def _gin_cost(
        self,
        needs: list[_Need],
        df: dict[str, int],
        expected: float,
        slices: tuple[int, list[int]],
        terms: int,
    ) -> float:
        """Return the estimated µs of the GIN path: it decodes every posting of the needs'
        terms once per slice it counts matches in and once more to fetch them, then probes
        _post once per candidate and term."""
        top, floors = slices
        passes = 1
        for floor in floors[:-1]:
            passes += 1
            if expected * (top - floor) / max(1, top) >= self.candidates:
                break
        held = sum(need.held(df) for need in needs)
        hits = min(expected, self.candidates) * (_HIT_US + _PROBE_US * terms)
        return held * _GIN_POSTING_US * passes + hits

    def _postings_sql(
        self, query: Query, limits: _Limits, plan: _Plan, floor: int, score: str
    ) -> tuple[str, list[Any]]:
        """Return the postings ranking query of `plan` above `floor`, and its parameters.

        The merged terms' postings come newest first from index-only range scans, merged into
        one stream by id and grouped as it flows (each term's frequency, NULL if absent);
        the ids holding the merged needs then probe the other terms (a few µs each, so a
        word most documents hold is not read whole) and their _doc row, where phrases,
        excluded words and date bounds are checked. Nothing is sorted or hashed, so reading
        stops at `candidates` matches.
        """
        t = self.t
        branches: list[str] = []
        params: list[Any] = []
        for k, part in enumerate(plan.merged):
            for term in part.terms:
                branches.append(
                    f"(SELECT id, tf, {k} AS k FROM {t['post']} WHERE term = %s AND id > %s "
                    "ORDER BY id DESC)"
                )
                params += [term, floor]
        columns = ", ".join(
            f"max(u.tf) FILTER (WHERE u.k = {k}) AS {part.column}"
            for k, part in enumerate(plan.merged)
        )
        probes = ""
        for i, group in enumerate(plan.probes):
            probed, values = self._frequencies(group, "x")
            probes += (
                f"CROSS JOIN LATERAL (SELECT {probed} FROM {t['post']} AS x WHERE "
                f"x.term = ANY(%s) AND x.id = h.id) AS q{i} "
            )
            params += [*values, [term for part in group for term in part.terms]]
        held, probed_tests = plan.tests()
        late, checks = self._late(query, limits)
        sql = (
            f"WITH hit AS (SELECT u.id, {columns} FROM ({' UNION ALL '.join(branches)}) AS u "
            "GROUP BY u.id ORDER BY u.id DESC), "
            "newest AS MATERIALIZED (SELECT h.*, "
            + "".join(f"q{i}.*, " for i in range(len(plan.probes)))
            + "d.published, d.doc_len "
            f"FROM (SELECT * FROM hit WHERE {' AND '.join(held)}) AS h "
            # One primary-key probe per hit (OFFSET 0 keeps the planner from flattening the
            # LATERAL into a merge join, which reads every _doc row of the slice).
            f"{probes}CROSS JOIN LATERAL (SELECT * FROM {t['doc']} AS d WHERE d.id = h.id "
            f"OFFSET 0) AS d WHERE {' AND '.join([*probed_tests, *late] or ['true'])} "
            "ORDER BY h.id DESC LIMIT %s), "
            f"page AS (SELECT id, {score} AS score FROM newest "
            "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s) "
            "SELECT c.n, c.low, page.id, page.score FROM (SELECT count(*) AS n, min(id) AS low "
            "FROM newest) AS c LEFT JOIN page ON true ORDER BY page.score DESC, page.id DESC"
        )
        return sql, [*params, *checks]

    @staticmethod
    def _frequencies(parts: Sequence[_Part], alias: str) -> tuple[str, list[Any]]:
        """Return the frequency columns of `parts` read from `alias`, and their values."""
        pairs = [part.frequency(alias) for part in parts]
        return ", ".join(sql for sql, _ in pairs), [v for _, values in pairs for v in values]

    def _late(self, query: Query, limits: _Limits) -> tuple[list[str], list[Any]]:
        """Return the tests of a hit that need its _doc row or a lookup (phrases, exclusions,
        date bounds), and their parameters."""
        late: list[str] = []
        checks: list[Any] = []
        for clause in query.required:
            if clause.is_phrase:
                late.append("d.tsv @@ %s::tsquery")
                checks.append(_clause(clause))
        for clause in query.excluded:
            if clause.is_phrase:
                late.append("NOT d.tsv @@ %s::tsquery")
                checks.append(_clause(clause))
            else:
                late.append(
                    f"NOT EXISTS (SELECT 1 FROM {self.t['post']} AS x WHERE x.term = ANY(%s) "
                    "AND x.id = h.id)"
                )
                checks.append(list(clause.alternatives))
        for sql, bound in (
            ("d.published >= %s", limits.since),
            ("d.published <= %s", limits.until),
        ):
            if bound is not None:
                late.append(sql)
                checks.append(bound)
        return late, checks

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
    def _merge_scans(self) -> Iterator[None]:
        """Keep the planner on ordered scans merged without sorts or hashes (and with no
        parallel workers), so a postings query stops at its LIMIT: its estimates of how
        many postings a term has in a slice are too rough to choose well."""
        off = ("enable_hashjoin", "enable_hashagg", "enable_sort", "enable_material")
        with self._planner({**dict.fromkeys(off, "off"), "max_parallel_workers_per_gather": "0"}):
            yield

    @contextmanager
    def _bitmap_scans(self) -> Iterator[None]:
        """Keep the planner on GIN bitmaps: a primary-key range scan would test each row's
        tsvector (it picks one for `id > floor` when it misjudges how many rows match)."""
        with self._planner({"enable_indexscan": "off"}):
            yield

    @contextmanager
    def _planner(self, settings: dict[str, str]) -> Iterator[None]:
        """Apply planner settings to the statements run inside, then restore them."""
        before = self._set(settings)
        try:
            yield
        finally:
            # An aborted transaction undoes them when it is rolled back.
            if self.conn.info.transaction_status != _IN_ERROR:
                self._set(before)

    def _set(self, settings: dict[str, str]) -> dict[str, str]:
        """Set planner settings; return their values before. In a transaction they hold until
        its end at most; with autocommit (Django outside atomic()) a local setting would end
        with its own statement, so they are set for the session."""
        local = "false" if self.conn.autocommit else "true"
        calls = ", ".join(f"current_setting(%s), set_config(%s, %s, {local})" for _ in settings)
        values = [x for name, value in settings.items() for x in (name, name, value)]
        row = self.conn.execute(f"SELECT {calls}".encode(), values).fetchone() or ()
        return dict(zip(settings, row[::2], strict=True))

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

    def _slices(self, query: Query, df: dict[str, int], limits: _Limits) -> tuple[int, list[int]]:
        """Return the highest id and the id floors, newest slice first, ending with -1 (all)."""
        row = self.conn.execute(f"SELECT max(id) FROM {self.t['doc']}".encode()).fetchone()
        top = int(row[0]) if row and row[0] is not None else 0
        # No more documents match than hold the rarest clause or filter, and about as many as
        # independent words would give: start from a slice that would hold twice `candidates`
        # of them if the matches were spread evenly over the ids (each slice tried costs the
        # GIN path a bitmap of every match, so rather too wide than too narrow).
        bound = min(
            _expected_matches(query, df, top, limits.clauses),
            *(sum(df.get(t, 0) for t in clause) for clause in limits.clauses),
            *(
                min(df.get(t, 0) for t in c.terms)
                if c.is_phrase
                else sum(df.get(t, 0) for t in c.alternatives)
                for c in query.required
            ),
        )
        if bound <= self.candidates or top <= 0:
            return top, [-1]
        floors, width = [], max(self.candidates * 2, int(2 * self.candidates * top / bound))
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
