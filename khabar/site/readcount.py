"""Most read (الأكثر قراءة): views counted by a beacon, kept in memory, written in batches.

Pages are fully cached, so the server never sees a page view: read.js posts a beacon to
/api/read/<id>/ instead. The beacon only adds to an in-process counter; every FLUSH_SECONDS or
FLUSH_HITS views (and when the process exits) the counter is added to ReadCount with one
INSERT … ON CONFLICT DO UPDATE statement, which SQLite and PostgreSQL both understand.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from khabar.db.prepared import Prepared
from khabar.newsroom.models import Article
from khabar.site import queries
from khabar.site.models import ReadCount

log = logging.getLogger(__name__)

FLUSH_SECONDS = 30.0
FLUSH_HITS = 500
MAX_ID = 2**63 - 1  # the largest BigAutoField key; anything above cannot be an article

# Crawlers that run JavaScript still announce themselves; their visits are not readers'.
BOTS = re.compile(r"bot|crawl|spider|slurp|preview|lighthouse|facebookexternalhit", re.I)

Key = tuple[int, date]

# One flush writes at a time in a process, whichever buffer it empties: two writers racing
# gain nothing, and SQLite would make one of them wait anyway. Other processes' flushes are
# the database's to order (ON CONFLICT under a row lock, or SQLite's busy timeout).
_WRITING = threading.Lock()


class ReadBuffer:
    """Article views not yet written to the database, safe to share between threads."""

    def __init__(
        self,
        flush_seconds: float = FLUSH_SECONDS,
        flush_hits: int = FLUSH_HITS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.flush_seconds = flush_seconds
        self.flush_hits = flush_hits
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()
        self._hits = 0
        self._since = clock()

    def add(self, article_id: int, day: date | None = None) -> bool:
        """Count one view of an article; return True when the buffer is due for a flush."""
        key = (article_id, day or timezone.now().date())
        with self._lock:
            self._counts[key] += 1
            self._hits += 1
            return (
                self._hits >= self.flush_hits or self._clock() - self._since >= self.flush_seconds
            )

    def pending(self) -> int:
        """How many views wait to be written."""
        with self._lock:
            return self._hits

    def discard(self) -> int:
        """Drop the views waiting to be written (tests); return how many there were."""
        return sum(self._take().values())

    def _take(self) -> Counter[Key]:
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._hits = 0
            self._since = self._clock()
        return counts

    def _put_back(self, counts: Counter[Key]) -> None:
        with self._lock:
            self._counts.update(counts)
            self._hits += sum(counts.values())

    def flush(self, *, wait: bool = True) -> int:
        """Add the buffered views to ReadCount; return how many views were written.

        With wait=False a flush already running elsewhere is left to finish the job. When the
        database refuses, the views go back into the buffer for the next flush and the error
        is raised.
        """
        if not _WRITING.acquire(blocking=wait):
            return 0
        try:
            counts = self._take()
            if not counts:
                return 0
            try:
                write_counts(counts)
            except DatabaseError:
                self._put_back(counts)
                raise
            return sum(counts.values())
        finally:
            _WRITING.release()


def _chunks(rows: list[tuple[Key, int]], size: int) -> Iterable[list[tuple[Key, int]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upsert_sql(n_rows: int, *, table: str, article_table: str, quote: Callable[[str], str]) -> str:
    """The statement adding `n_rows` (article id, day, views) rows to the read counts.

    Ids of articles that do not exist are dropped by the join, so a made-up id in a beacon
    costs nothing and breaks nothing. `WHERE true` is how SQLite tells the upsert's ON CONFLICT
    apart from a join's ON.
    """
    t, a, c = quote(table), quote(article_table), quote("count")
    values = ", ".join(["(%s, %s, %s)"] * n_rows)
    return (
        f"WITH hits (article_id, day, n) AS (VALUES {values}) "
        f"INSERT INTO {t} (article_id, day, {c}) "
        f"SELECT hits.article_id, hits.day, hits.n FROM hits "
        f"JOIN {a} ON {a}.id = hits.article_id WHERE true "
        f"ON CONFLICT (article_id, day) DO UPDATE SET {c} = {t}.{c} + excluded.{c}"
    )


def write_counts(counts: Mapping[Key, int]) -> None:
    """Add view counts to ReadCount: one statement per flush, in one transaction."""
    rows = sorted(counts.items())
    # SQLite builds cap a statement's parameters (999 in old ones); three per row.
    per_statement = (connection.features.max_query_params or 3000) // 3
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(rows, per_statement):
            sql = upsert_sql(
                len(chunk),
                table=ReadCount._meta.db_table,
                article_table=Article._meta.db_table,
                quote=connection.ops.quote_name,
            )
            params = [value for (pk, day), n in chunk for value in (pk, day, n)]
            cursor.execute(sql, params)


BUFFER = ReadBuffer()


def _flush_at_exit() -> None:
    try:
        BUFFER.flush()
    except DatabaseError:
        log.exception("the last %d article views could not be written", BUFFER.pending())


atexit.register(_flush_at_exit)


@csrf_exempt
@require_POST
def beacon(request: HttpRequest, pk: int) -> HttpResponse:
    """Count one view of an article, as read.js reports it; answers 204 No Content.

    Touches no database unless the buffer is due: unknown ids are dropped when it is written.
    """
    if not 0 < pk <= MAX_ID:
        raise Http404("no such article")
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if BOTS.search(request.headers.get("User-Agent", "")) or "prefetch" in purpose:
        return HttpResponse(status=204)
    if BUFFER.add(pk):
        try:
            BUFFER.flush(wait=False)
        except DatabaseError:
            # The views are back in the buffer; the reader's page must not suffer for it.
            log.exception("article views kept in memory: the read counts could not be written")
    return HttpResponse(status=204)


def most_read(limit: int = 5, now: datetime | None = None) -> list[Article]:
    """The published articles read most in the last 24 hours, in one query.

    Counts are kept per day, so "the last 24 hours" means the days those hours touch.
    """
    since = ((now or timezone.now()) - timedelta(hours=24)).date()
    return _MOST_READ(since, timezone.now(), limit=limit)


_MOST_READ = Prepared(
    lambda since, now, limit: (
        queries.published(now)
        .filter(read_counts__day__gte=since)
        .annotate(reads=Sum("read_counts__count"))
        .order_by("-reads", "-published_at")[:limit]
    )
)
