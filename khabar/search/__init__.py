"""Search: one Arabic analyzer and two engines, SQLite FTS5 and PostgreSQL. No Django here.

The analyzer (`analyzer.py`) turns text into terms: normalize (diacritics, hamza, alef, ى/ي,
ة/ه, digits), tokenize, drop stop words, fold a few spellings (سوريا/سورية, أمريكي/أميركي),
light10 stem. Engines index its terms and rank with BM25 (headline 4, lead 2, body 1) times a
recency boost (`ranking.py`); `SqliteEngine` and `PostgresEngine` rank alike (same formula).

Wiring it into Django
---------------------
1. An engine per thread (sqlite3 and psycopg connections are not shared between threads):

       engine = SqliteEngine(sqlite3.connect(SEARCH_DB))          # a file of its own, or
       engine = SqliteEngine(connection.connection, commit=False)  # Django's SQLite, in atomic()
       engine = PostgresEngine(psycopg.connect(SEARCH_PG_URL))     # khabar.search.postgres

   For a file of its own, set `PRAGMA journal_mode=WAL` and a generous `mmap_size` (see
   bench/search_speed.py). With commit=False the caller's transaction commits.
2. Tables: call `engine.setup()` once (a migration's RunPython, or a management command). It
   raises IndexMismatchError when the analyzer changed since the index was built: then
   `SqliteEngine.rebuild()` re-indexes the stored text, or `PostgresEngine.drop()` and index
   again.
3. Index: build a `Document` from a published Article (id=pk, title, lead, body = the blocks'
   text joined by blank lines, published=published_at, section=section slug, story=story_id,
   agencies/people/places = names, source_id, url=get_absolute_url()). On post_save of a
   published article: `transaction.on_commit(lambda: engine.index([doc]))` (index() replaces
   the document with that id). On delete or unpublish: `engine.delete([pk])`. Bulk load:
   `engine.index(docs_iterator)`, then `engine.optimize()` on SQLite.
4. Search in a view or the API:

       try:
           result = engine.search(q, Filters(section=..., since=...), page=page, per_page=10)
       except QueryError as error:
           ...  # show error.message_ar to the reader (str(error) is English, for logs)
       result.to_json()  # hits: id, source_id, url, title, snippet, score, published

   `hit.snippet` is escaped HTML with <mark> around matched words (mark_safe it in a template;
   `hit.snippet_text` and `hit.highlights` give plain text and offsets). `result.suggestion`
   is a query that matches when this one did not: offer it as «هل تقصد: ...». When
   `result.total_exact` is False the total is an estimate (a very common word): show «نحو».
   A query matching more than `engine.candidates` (2,000) articles ranks the newest 2,000.
"""

from khabar.search.analyzer import DEFAULT_ANALYZER, Analyzer
from khabar.search.engine import BaseEngine, SearchEngine
from khabar.search.errors import IndexMismatchError, QueryError, SearchError
from khabar.search.models import Document, Filters, Hit, SearchResult
from khabar.search.query import Clause, Query, parse_query
from khabar.search.sqlite import SqliteEngine

__all__ = [
    "DEFAULT_ANALYZER",
    "Analyzer",
    "BaseEngine",
    "Clause",
    "Document",
    "Filters",
    "Hit",
    "IndexMismatchError",
    "Query",
    "QueryError",
    "SearchEngine",
    "SearchError",
    "SearchResult",
    "SqliteEngine",
    "parse_query",
]
