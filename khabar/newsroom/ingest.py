"""Ingest: sources, URLs, files and folders in; each item stored once, in its own transaction.

The pipeline, one step each: read bytes (fetch or file) → `extract.dispatch.read_items` →
fetch the page of link-only items → identity (source id, version) → near-duplicate check
(`stories.dedup`) → `records.save_extracted` → one IngestLog line. A failure is logged with its
reason and the run goes on; an interrupted run, started again, finishes the work without
duplicates because every stored item is found again by its source id.

A wire's publication status is obeyed: a canceled item archives the stored article, a withheld
one is kept as a draft until a later usable version; either leaves the site, search and the
story index.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from khabar.db.prepared import Prepared as PreparedQuery
from khabar.db.rows import Insert
from khabar.errors import KhabarError
from khabar.extract.dispatch import KINDS, Kind, read_items
from khabar.extract.record import IncomingItem
from khabar.extract.wire_item import WireItem
from khabar.fetch import FetchError, FetchSettings
from khabar.fetch.process import FetchProcess
from khabar.newsroom import search_index, signals, storyline
from khabar.newsroom.models import Article, Entity, IngestLog, Source, first_or_none
from khabar.newsroom.records import Agencies, Authors, save_extracted
from khabar.pipeline import WORKER_NICE, Job, Prepared, Preparer, worker_context
from khabar.stories.dedup import DuplicateIndex
from khabar.stories.fingerprint import Fingerprint, from_signature_bytes, signature_bytes
from khabar.stories.grouping import StoryArticle

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
MAX_FILE = 50 * 1024 * 1024
_SIGNATURE_BATCH = 500
FIRST_CHUNK = 16
CHUNK = 64  # items fetched and prepared together, so a 50,000-URL sitemap is not all in memory
FETCH_THREADS = 4
# The reason logged for an item its agency withheld; `_lifts_hold` looks for it in the log.
WITHHELD_WHY = "withheld by the agency"
# A withheld item takes these off the site (published) or leaves them alone (archived); a
# draft or an article in review is updated as usual and stays unpublished.
_SHOWN_OR_GONE = (Article.Status.PUBLISHED, Article.Status.ARCHIVED)
# One row per item handled, written without building a model instance and a query each time.
_LOG = Insert(
    IngestLog,
    ["source_id", "target", "item_id", "outcome", "message", "article_id", "created_at"],
)
# The first original stored with the same text (content hash), if any: asked for every item.
_SAME_TEXT = PreparedQuery(
    lambda digest: (
        Article.objects.filter(content_hash=digest, duplicate_of__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:1]
    )
)
_STORING = (IngestLog.Outcome.NEW, IngestLog.Outcome.UPDATED, IngestLog.Outcome.DUPLICATE)


@dataclass
class IngestSummary:
    """What a run did: counts by outcome and every failure with its reason."""

    new: int = 0
    updated: int = 0
    duplicates: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        """Count one stored item by its outcome."""
        attr = {"duplicate": "duplicates"}.get(outcome, outcome)
        setattr(self, attr, getattr(self, attr) + 1)

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        return (
            f"new {self.new}, updated {self.updated}, duplicates {self.duplicates}, "
            f"unchanged {self.unchanged}, failed {len(self.failed)}"
        )


def fetch_settings() -> FetchSettings:
    """The fetcher's settings from Django's settings (timeouts, caps, address policy)."""
    return FetchSettings(
        allow_loopback=settings.KHABAR_FETCH_ALLOW_LOOPBACK,
        allow_private=settings.KHABAR_FETCH_ALLOW_PRIVATE,
        host_delay=settings.KHABAR_FETCH_HOST_DELAY,
        max_attempts=settings.KHABAR_FETCH_ATTEMPTS,
        backoff_base=settings.KHABAR_FETCH_BACKOFF,
        max_bytes=settings.KHABAR_FETCH_MAX_BYTES,
        read_timeout=settings.KHABAR_FETCH_TIMEOUT,
        total_timeout=max(settings.KHABAR_FETCH_TIMEOUT * 3, 1.0),
    )


class Ingestor:
    """Runs ingest over sources, URLs, files and folders, and keeps the summary."""

    def __init__(self, *, progress: Progress | None = None) -> None:
        self.progress = progress
        self.summary = IngestSummary()
        self._fetcher: FetchProcess | None = None
        self._dedup: DuplicateIndex | None = None
        self.preparer = Preparer()
        # Looked up once per run, not per article; dropped after a failed item, whose rolled
        # back transaction may have created rows these caches still hold.
        self._agencies = Agencies()
        self._authors = Authors()
        self._entities: dict[tuple[str, str], Entity] = {}
        self._logged: dict[str, Article] = {}
        # Stories joined by this chunk's articles, retitled once at the end of the chunk.
        self._joined: set[int] = set()
        # Other processes may have stored articles, and editors moved, merged or renamed
        # stories, since the last run: bring the story index up to the database.
        storyline.catch_up()

    # --- inputs -------------------------------------------------------------------------

    @property
    def fetcher(self) -> FetchProcess:
        """The HTTP fetcher: a process of its own, so fetching does not slow storing."""
        if self._fetcher is None:
            # Niced like the workers: the storing process is the one every item waits for.
            self._fetcher = FetchProcess(fetch_settings(), worker_context(), nice=WORKER_NICE)
        return self._fetcher

    def run(self, targets: list[str]) -> IngestSummary:
        """Ingest each target: a source id, a URL, a file or a folder."""
        with long_lived_frozen():
            for target in targets:
                try:
                    self._run_target(target)
                except KhabarError as exc:
                    self._fail(target, "", str(exc))
        return self.summary

    def _run_target(self, target: str) -> None:
        if target.isdigit():
            source = Source.objects.filter(pk=int(target)).first()
            if source is None:
                raise KhabarError(f"no source has id {target}: `khabar source list` shows them")
            self.run_source(source)
        elif target.startswith(("http://", "https://")):
            self._ingest_url(target, None)
        elif Path(target).exists():
            self._ingest_path(Path(target), None)
        else:
            raise KhabarError(
                f"{target!r} is not a source id, an http(s) URL or an existing file or folder"
            )

    def run_source(self, source: Source) -> IngestSummary:
        """Ingest one configured source, recording its last success or error."""
        try:
            if source.is_remote:
                self._ingest_url(source.address, source)
            else:
                self._ingest_path(Path(source.address), source)
        except KhabarError as exc:
            Source.objects.filter(pk=source.pk).update(
                last_error=str(exc), last_error_at=timezone.now()
            )
            raise
        Source.objects.filter(pk=source.pk).update(last_success_at=timezone.now())
        return self.summary

    def _kind(self, source: Source | None) -> Kind | None:
        if source is None or source.kind not in KINDS:
            return None
        return source.kind  # type: ignore[return-value]

    def _ingest_url(self, url: str, source: Source | None) -> None:
        etag = source.etag if source else None
        modified = source.last_modified if source else None
        result = self.fetcher.fetch(url, etag=etag or None, last_modified=modified or None)
        if source is not None:
            Source.objects.filter(pk=source.pk).update(
                etag=result.etag or "", last_modified=result.last_modified or ""
            )
        if result.not_modified:
            return
        items = read_items(result.content, kind=self._kind(source), url=str(result.url))
        self._store_all(items, source, url)

    def _ingest_path(self, path: Path, source: Source | None) -> None:
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if path.is_file():
            files = [path]
        for n, file in enumerate(files, 1):
            try:
                self._ingest_file(file, source)
            except KhabarError as exc:
                self._fail(str(file), "", str(exc))
            if self.progress and len(files) > 1:
                self.progress(n, len(files), file.name)

    def _ingest_file(self, file: Path, source: Source | None) -> None:
        if file.stat().st_size > MAX_FILE:
            raise KhabarError(f"{file}: larger than 50 MB; split it or leave it out")
        items = read_items(file.read_bytes(), kind=self._kind(source), filename=file.name)
        self._store_all(items, source, str(file))

    # --- storing ------------------------------------------------------------------------

    def _store_all(self, items: list[IncomingItem], source: Source | None, target: str) -> None:
        show = self.progress if len(items) > 1 else None
        chunks = _chunks(items)
        if not chunks:
            return
        done = 0
        # The next chunk is fetched and prepared (fetch threads, worker processes) while this
        # one is stored, so the workers' CPU and the main process's overlap instead of taking
        # turns. Only the main thread touches the database.
        with ThreadPoolExecutor(1) as ahead:
            todo = self._unchanged_out(chunks[0], source, target)
            pending = ahead.submit(self._prepare, todo)
            for n, chunk in enumerate(chunks):
                current, prepared = todo, pending.result()
                if n + 1 < len(chunks):
                    todo = self._unchanged_out(chunks[n + 1], source, target)
                    pending = ahead.submit(self._prepare, todo)
                self._store_chunk(current, prepared, source, target)
                done += len(chunk)
                if show:
                    show(done, len(items), chunk[-1].source_id)

    def _unchanged_out(
        self, chunk: list[IncomingItem], source: Source | None, target: str
    ) -> list[IncomingItem]:
        """Log the items already stored as they are; return the others, to fetch and store."""
        stored = _stored_by_source_id([item.source_id for item in chunk])
        todo = []
        for item in chunk:
            existing = stored.get(item.source_id)
            if existing is not None and not _replaces(item, existing):
                self._done("unchanged", item, source, target, existing, "already stored")
            else:
                todo.append(item)
        return todo

    def _prepare(self, todo: list[IncomingItem]) -> Iterator[Prepared]:
        """Fetch the items' pages and start preparing them (runs in a helper thread)."""
        return self.preparer.run(self._fetch_pages(todo))

    def _store_chunk(
        self,
        todo: list[IncomingItem],
        prepared: Iterator[Prepared],
        source: Source | None,
        target: str,
    ) -> None:
        """Store a chunk's prepared items, each in its own transaction, then retitle the stories
        they joined and update the search index once."""
        # Looked up again now: the previous chunk, stored since, may have held the same items.
        stored = _stored_by_source_id([item.source_id for item in todo])
        # One page-cache generation for the chunk, after its commits and its story titles.
        with signals.batched():
            with search_index.deferred():
                for item, ready in zip(todo, prepared, strict=True):
                    existing = stored.get(item.source_id)
                    if existing is not None and not _replaces(item, existing):
                        self._done("unchanged", item, source, target, existing, "already stored")
                        continue
                    # An item listed twice in one chunk is found stored the second time: `_done`
                    # notes each article it logs here.
                    self._logged = stored
                    try:
                        self.store(ready, existing, source, target)
                    except KhabarError as exc:
                        self._fail(target, item.source_id, str(exc), source)
                    finally:
                        self._logged = {}
            self._retitle(target, source)
        search_index.flush_dirty()  # the chunk's index updates in one batch

    def _fetch_pages(self, items: list[IncomingItem]) -> list[Job]:
        """Fetch the pages of link-only items, several hosts at once (each host politely)."""
        linked = [i.url for i in items if (i.article is None or i.needs_fetch) and i.url]
        pages = iter(self.fetcher.fetch_all(linked, FETCH_THREADS))  # in the items' order
        jobs = []
        for item in items:
            if item.article is not None and not item.needs_fetch:
                jobs.append(Job(item))
            elif not item.url:
                jobs.append(Job(item, error=f"{item.source_id}: no text and no link to fetch"))
            else:
                result = next(pages)
                if isinstance(result, FetchError):
                    jobs.append(Job(item, error=str(result)))
                else:
                    jobs.append(Job(item, page=result.content, page_url=str(result.url)))
        return jobs

    def store(
        self, prepared: Prepared, existing: Article | None, source: Source | None, target: str
    ) -> str:
        """Store one prepared item in its own transaction; return its outcome.

        The article, its log line, its entities, its story and its related articles commit
        together: a run killed at any point leaves each item either fully stored or absent.
        """
        item, article, fp = prepared.item, prepared.article, prepared.fingerprint
        status_only = self._status_only(item, existing, source, target)
        if status_only is not None:
            return status_only
        if prepared.error or article is None or fp is None:
            raise KhabarError(prepared.error or f"{item.source_id}: nothing could be read")
        if existing is not None and _same_text(item, existing, fp.digest):
            return self._done("unchanged", item, source, target, existing, "same text")
        original = None if existing else self._original_of(fp)
        if original is not None and _replaced_by(item, original):
            original = None  # the corrected version of the document it withdraws: news again
        status, why = _stored_as(item, original)
        # Read before saving: `save_extracted` updates `existing` in place.
        was_shown = existing is not None and existing.status == Article.Status.PUBLISHED
        try:
            with transaction.atomic():
                stored = save_extracted(
                    article,
                    source_id=item.source_id,
                    item=item,
                    origin=source,
                    section=source.section if source else None,
                    status=status,
                    content_hash=fp.digest,
                    signature=signature_bytes(fp.signature),
                    duplicate_of=original,
                    agency=source.agency if source else None,
                    agencies=self._agencies,
                    authors=self._authors,
                    stored=existing,
                    looked_up=True,
                )
                outcome = "updated" if existing else ("duplicate" if original else "new")
                self._done(outcome, item, source, target, stored, why)
                # Grouped when it reaches the site: a held item waits for its release.
                if status == Article.Status.PUBLISHED and not was_shown:
                    self._group(stored, prepared, source, target, again=existing is not None)
        except BaseException:
            self._agencies, self._authors, self._entities = Agencies(), Authors(), {}
            raise
        if original is None and existing is None:
            self.dedup.add(str(stored.pk), fp)
        return outcome

    def _status_only(
        self, item: IncomingItem, existing: Article | None, source: Source | None, target: str
    ) -> str | None:
        """Handle an item that only changes whether readers see the article (withdrawn, or
        withheld while on the site) and return its outcome; None for the others."""
        if _withdrawn(item):
            return self._withdraw(item, existing, source, target)
        if _withheld(item) and existing is not None and existing.status in _SHOWN_OR_GONE:
            return self._withhold(item, existing, source, target)
        if _withheld(item) and item.article is None:
            # A notice about another document (NITF management-doc-idref), with no text.
            why = "off the site already" if existing else "before it was stored: nothing stored"
            return self._done("unchanged", item, source, target, existing, f"withheld {why}")
        return None

    def _withdraw(
        self, item: IncomingItem, existing: Article | None, source: Source | None, target: str
    ) -> str:
        """Take a stored article off the site because its agency canceled it (kept archived,
        with its text, for the record); the search index drops it with the chunk's flush.
        A canceled item never stored is not stored."""
        if existing is None:
            why = f"{_withdrawn_why(item)} before it was stored: not stored"
            return self._done("unchanged", item, source, target, None, why)
        if existing.status == Article.Status.ARCHIVED:
            return self._done("unchanged", item, source, target, existing, "withdrawn already")
        return self._take_off(
            item, existing, Article.Status.ARCHIVED, _withdrawn_why(item), source, target
        )

    def _withhold(
        self, item: IncomingItem, existing: Article, source: Source | None, target: str
    ) -> str:
        """Take a published article off the site because its agency withheld it, kept as a
        draft that the next usable version publishes again; a withdrawn one stays withdrawn."""
        if existing.status == Article.Status.ARCHIVED:
            return self._done("unchanged", item, source, target, existing, "withdrawn already")
        why = f"{_withheld_why(item)}: taken off the site, kept as a draft"
        return self._take_off(item, existing, Article.Status.DRAFT, why, source, target)

    def _take_off(
        self,
        item: IncomingItem,
        existing: Article,
        status: str,
        why: str,
        source: Source | None,
        target: str,
    ) -> str:
        """Give a stored article a status readers do not see, and drop it from the story index.

        Its save marks it for search, which drops it with the chunk's flush. The near-duplicate
        index keeps it on purpose: another outlet's copy of a withdrawn or held item is stored
        as a copy, hidden like it, so the agency's decision covers the copies too.
        """
        with transaction.atomic():
            existing.status = status
            existing.updated_at = timezone.now()
            if item.version is not None:
                existing.version = item.version
            existing.save(update_fields=["status", "updated_at", "version"])
            outcome = self._done("updated", item, source, target, existing, why)
        # After the commit: the index in memory never holds less than the database shows.
        story = storyline.forget_article(existing.pk)
        storyline.stories_edited(here=False)  # other processes' indexes still hold it
        if story is not None:
            self._joined.add(story)  # its title may have been this article's headline
        return outcome

    def _group(
        self,
        article: Article,
        prepared: Prepared,
        source: Source | None,
        target: str,
        *,
        again: bool = False,
    ) -> None:
        """Tag the article's entities and put it in its story (`again`: back on the site after
        a hold), in a savepoint of the item's transaction: a failure here is logged with the
        article kept, so one odd article never stops the run."""
        item = prepared.item
        record = prepared.article
        assert record is not None  # stored articles were prepared with their text
        try:
            with transaction.atomic():
                tags = storyline.tag_entities(
                    article, prepared.entities, known=self._entities, marked=True
                )
                storyline.group(
                    article,
                    StoryArticle(
                        id=str(article.pk),
                        title=article.title,
                        lead=article.lead,
                        body="\n".join(record.body),
                        published=article.published_at or article.created_at,
                        # Empty when the text names no one: known, not to be looked for.
                        entities=tuple(f"{t.kind}:{t.name}" for t in tags),
                        stems=prepared.stems,
                        countries=prepared.countries,
                    ),
                    joined=self._joined,
                    again=again,
                )
        except Exception as exc:  # logged with its reason; the article is stored all the same
            self._entities = {}  # may hold entities the rolled-back savepoint created
            log.exception("grouping failed for %s", item.source_id)
            self._log_only(source, target, item.source_id, f"stored, not grouped: {exc}")

    def _retitle(self, target: str, source: Source | None) -> None:
        """Retitle the stories this chunk's articles joined, once each."""
        joined, self._joined = self._joined, set()
        try:
            storyline.retitle(joined)
        except Exception as exc:  # a stale title is shown until the next chunk; logged
            log.exception("retitling stories %s failed", sorted(joined))
            self._log_only(source, target, "", f"stories not retitled: {exc}")

    def _done(
        self,
        outcome: str,
        item: IncomingItem,
        source: Source | None,
        target: str,
        article: Article | None,
        message: str,
    ) -> str:
        _LOG(
            [
                (
                    source.pk if source else None,
                    target[:1000],
                    item.source_id[:500],
                    outcome,
                    message,
                    article.pk if article else None,
                    timezone.now(),
                )
            ]
        )
        if article is not None:
            self._logged[item.source_id] = article
        self.summary.count(outcome)
        return outcome

    def _log_only(self, source: Source | None, target: str, item_id: str, message: str) -> None:
        IngestLog.objects.create(
            source=source,
            target=target[:1000],
            item_id=item_id[:500],
            outcome=IngestLog.Outcome.FAILED,
            message=message,
        )

    def _fail(self, target: str, item_id: str, reason: str, source: Source | None = None) -> None:
        log.warning("ingest failed: %s %s: %s", target, item_id, reason)
        IngestLog.objects.create(
            source=source,
            target=target[:1000],
            item_id=item_id[:500],
            outcome=IngestLog.Outcome.FAILED,
            message=reason,
        )
        self.summary.failed.append((item_id or target, reason))

    # --- near-duplicates ----------------------------------------------------------------

    @property
    def dedup(self) -> DuplicateIndex:
        """The near-duplicate index of recent originals (this process's, caught up)."""
        if self._dedup is None:
            self._dedup = shared_dedup()
        return self._dedup

    def _original_of(self, fp: Fingerprint) -> Article | None:
        exact = _SAME_TEXT(fp.digest)
        if exact:
            return first_or_none(Article.objects.filter(pk=exact[0]))
        matches = self.dedup.find(fp)
        if not matches:
            return None
        return first_or_none(Article.objects.filter(pk=int(matches[0].key)))

    def close(self) -> None:
        """Close this run's fetcher (in the fetch process: its connections and caches); the
        fetch and worker processes themselves serve the next run."""
        if self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# The near-duplicate index outlives a run, like the story index: loading every signature of
# the last KHABAR_DEDUP_DAYS at each run (each source poll) grows with the archive. Each run
# adds the originals other processes stored since; it is reloaded hourly (the window slides).
DEDUP_RELOAD_SECONDS = 3600.0
_dedup_lock = threading.Lock()
_dedup: dict[str, Any] = {"index": None, "seen": 0, "at": 0.0}


def shared_dedup() -> DuplicateIndex:
    """This process's near-duplicate index of recent originals, up to date with the database."""
    with _dedup_lock:
        index: DuplicateIndex | None = _dedup["index"]
        newest = storyline.newest_article_id()
        stale = time.monotonic() - _dedup["at"] > DEDUP_RELOAD_SECONDS
        if index is None or stale or newest < _dedup["seen"]:
            index = DuplicateIndex()
            _dedup.update(index=index, seen=0, at=time.monotonic())
        # Ids just below the last one seen are read again for rows committed late
        # (`storyline.LATE_COMMITS`); those this process holds already are skipped.
        _add_signatures(index, max(0, _dedup["seen"] - storyline.LATE_COMMITS), newest)
        _dedup["seen"] = newest
        return index


def forget_dedup() -> None:
    """Drop this process's near-duplicate index (tests; a replaced database)."""
    with _dedup_lock:
        _dedup.update(index=None, seen=0, at=0.0)


def _add_signatures(index: DuplicateIndex, after: int, upto: int) -> None:
    """Add the recent originals with ids in (after, upto] that the index lacks (this process
    added its own as it stored them): their ids first, then the signatures of those only."""
    since = timezone.now() - timedelta(days=settings.KHABAR_DEDUP_DAYS)
    recent = Article.objects.filter(
        duplicate_of__isnull=True,
        signature__isnull=False,
        created_at__gte=since,
        pk__gt=after,
        pk__lte=upto,
    )
    missing = [pk for pk in recent.values_list("pk", flat=True) if str(pk) not in index]
    for start in range(0, len(missing), _SIGNATURE_BATCH):  # bounded IN lists
        batch = missing[start : start + _SIGNATURE_BATCH]
        rows = Article.objects.filter(pk__in=batch).values_list("pk", "signature", "content_hash")
        for pk, sig, digest in rows:
            index.add(str(pk), from_signature_bytes(bytes(sig)), digest=digest or None)


_frozen_lock = threading.Lock()
_frozen_runs = 0


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Keep the objects that exist before a run out of the garbage collector's full passes
    during it (`gc.freeze`), and give them back after.

    A worker process holds tens of thousands of long-lived objects (Django, the pipeline's
    modules, the story and near-duplicate indexes), and every full collection walks them
    all: 0.1 to 0.2 s a run of 400 articles, and more as the indexes grow. What a run makes
    is still collected as usual; the old objects are only deferred to a full pass after it.
    Runs in several threads share one freeze, lifted when the last of them ends.
    """
    global _frozen_runs
    with _frozen_lock:
        _frozen_runs += 1
        if _frozen_runs == 1:
            gc.freeze()
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_runs -= 1
            if _frozen_runs == 0:
                gc.unfreeze()


def _chunks(items: list[IncomingItem]) -> list[list[IncomingItem]]:
    """The items in chunks of FIRST_CHUNK, twice that, and so on up to CHUNK: nothing is
    stored until the first chunk is fetched and prepared, so a small one starts storing
    sooner, and each chunk is prepared while the one before it, half its size, is stored."""
    chunks, start, size = [], 0, FIRST_CHUNK
    while start < len(items):
        chunks.append(items[start : start + size])
        start, size = start + size, min(2 * size, CHUNK)
    return chunks


def _stored_by_source_id(source_ids: list[str]) -> dict[str, Article]:
    """The stored articles of a chunk's items, in one query."""
    wanted = list(dict.fromkeys(source_ids))
    found = Article.objects.filter(source_id__in=wanted).order_by()  # no sort needed
    return {a.source_id: a for a in found if a.source_id}


def _withdrawn(item: IncomingItem) -> bool:
    """Whether a wire item takes back what the agency sent before (pubStatus canceled)."""
    return isinstance(item, WireItem) and item.withdrawn


def _withdrawn_why(item: IncomingItem) -> str:
    status = item.pub_status if isinstance(item, WireItem) else None
    return f"withdrawn by the agency (status {status or 'canceled'})"


def _replaced_by(item: IncomingItem, stored: Article) -> bool:
    """Whether a wire item names the stored article as the earlier document it replaces."""
    return isinstance(item, WireItem) and bool(item.replaces) and item.replaces == stored.source_id


def _withheld(item: IncomingItem) -> bool:
    """Whether a wire item asks not to be published yet (pubStatus withheld)."""
    return isinstance(item, WireItem) and item.withheld


def _withheld_why(item: IncomingItem) -> str:
    status = item.pub_status if isinstance(item, WireItem) else None
    return f"{WITHHELD_WHY} (status {status or 'withheld'})"


def _stored_as(item: IncomingItem, original: Article | None) -> tuple[str, str]:
    """The status an item is stored with (a withheld one as a draft) and its log message."""
    why = f"copy of {original.source_id}" if original else ""
    if not _withheld(item):
        return Article.Status.PUBLISHED, why
    held = f"{_withheld_why(item)}: kept as a draft"
    return Article.Status.DRAFT, f"{held}; {why}" if why else held


def _same_text(item: IncomingItem, existing: Article, digest: str) -> bool:
    """Whether an item without a version repeats the stored text, and changes nothing."""
    if item.version is not None or existing.content_hash != digest:
        return False
    return not _lifts_hold(item, existing)


def _lifts_hold(item: IncomingItem, existing: Article) -> bool:
    """Whether a usable item releases a draft its agency had withheld.

    Needed for items without a version, resent with the same text once the hold is lifted:
    the same text alone would leave the draft as it is. The last log line that stored or
    changed the article tells a held draft from one an editor made, which a resend must not
    publish.
    """
    if _withheld(item) or existing.status != Article.Status.DRAFT:
        return False
    last = (
        IngestLog.objects.filter(article=existing, outcome__in=_STORING)
        .order_by("-pk")
        .values_list("message", flat=True)
        .first()
    )
    return bool(last and last.startswith(WITHHELD_WHY))


def _replaces(item: IncomingItem, existing: Article) -> bool:
    """Whether an item changes a stored article: a newer version, an edit, a cancellation,
    a hold on an article readers see (not a stale one, older than what they see)."""
    if _withdrawn(item):
        return True
    if _withheld(item) and existing.status == Article.Status.PUBLISHED:
        return not _is_newer_stored(item, existing)
    return _is_newer(item, existing)


def _is_newer(item: IncomingItem, existing: Article) -> bool:
    """Whether an item may replace what is stored: a later wire version, or any page edit."""
    if item.version is not None and existing.version is not None:
        return item.version > existing.version
    return True


def _is_newer_stored(item: IncomingItem, existing: Article) -> bool:
    """Whether the stored article is a later wire version than the item."""
    if item.version is not None and existing.version is not None:
        return existing.version > item.version
    return False


def iter_sources(ids: list[int] | None = None) -> Iterator[Source]:
    """Enabled sources, or the ones named."""
    qs = Source.objects.filter(pk__in=ids) if ids else Source.objects.filter(enabled=True)
    yield from qs.order_by("pk")
