"""The pure steps of ingest, composed: an item (and its fetched page) → article + fingerprint.

No Django here, so the CPU-heavy part of ingest (HTML extraction, MinHash) runs in worker
processes, or in a batch engine, while the newsroom stores the results in one place.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext

from khabar.arabic import normalize, words
from khabar.errors import KhabarError
from khabar.extract.api import extract_bytes
from khabar.extract.dispatch import article_text
from khabar.extract.record import ExtractedArticle, IncomingItem
from khabar.extract.urls import clean_url
from khabar.stories.entities import entity_counts, recognize
from khabar.stories.fingerprint import Fingerprint, words_fingerprint
from khabar.stories.fingerprint import text_words as fingerprint_words
from khabar.stories.grouping import headline_countries, words_stem_counts

MAX_ENTITIES = 40  # a list of thousands of names is not tagging; keep the most mentioned
# The Arabic decimal and thousands separators, which the fingerprint reads as "." and ",".
_SEPARATORS = re.compile("[\u066b\u066c]")

# Below this many items a batch is prepared in-process: starting workers costs more.
PARALLEL_MIN = 16
# How much lower the workers' scheduling priority is than the storing process's.
WORKER_NICE = 10


@dataclass
class Job:
    """One item to prepare, with the bytes of its page when the page had to be fetched."""

    item: IncomingItem
    page: bytes | None = None
    page_url: str | None = None
    error: str | None = None


@dataclass
class Prepared:
    """An item ready to store: its article and fingerprint, or why it could not be read."""

    item: IncomingItem
    article: ExtractedArticle | None = None
    fingerprint: Fingerprint | None = None
    error: str | None = None
    # (kind, canonical name, aliases) of the people, places and organizations named, most first.
    entities: list[tuple[str, str, tuple[str, ...]]] | None = None
    # Stem counts of headline, lead and body for story grouping (`stories.grouping.stem_counts`).
    stems: tuple[dict[str, int], dict[str, int], dict[str, int]] | None = None
    # The countries of headline and lead (`stories.grouping.headline_countries`).
    countries: frozenset[str] | None = None


def _merge_feed_fields(article: ExtractedArticle, item: IncomingItem) -> None:
    """Fill what the page lacks from what the feed or sitemap said about it."""
    if item.article is None:
        return
    article.title = article.title or item.article.title
    article.published = article.published or item.article.published
    article.image = article.image or item.article.image


def prepare(job: Job) -> Prepared:
    """Extract the job's page (if fetched) and fingerprint the article's text."""
    if job.error:
        return Prepared(job.item, error=job.error)
    try:
        if job.page is not None:
            article = extract_bytes(job.page, url=job.page_url)
            article.url = clean_url(article.url or job.page_url or job.item.url or "")
            _merge_feed_fields(article, job.item)
        elif job.item.article is not None:
            article = job.item.article
        else:
            raise KhabarError(f"{job.item.source_id}: the item has no text and no link to fetch")
        text = article_text(article)
        # From the same strings the newsroom stores (lead "" when missing), so grouping in the
        # main process gets exactly what it would have counted itself.
        part_words, text_words = _words_of(article.title, article.lead or "", article.body)
        return Prepared(
            job.item,
            article,
            words_fingerprint(text_words),
            entities=entities_of(text),
            stems=words_stem_counts(*part_words),
            countries=headline_countries(article.title, article.lead or ""),
        )
    except KhabarError as exc:
        return Prepared(job.item, error=str(exc))


def _words_of(
    title: str, lead: str, body: list[str]
) -> tuple[tuple[list[str], list[str], list[str]], list[str]]:
    """The words of headline, lead and body, each normalized once, for both their stems
    (`words_stem_counts`) and the fingerprint of `article_text` (`words_fingerprint`).

    Normalizing maps each character on its own and no word spans a line, so the words of
    the joined text are the parts' words in order. The fingerprint lowercases them and reads
    Arabic decimal separators as Latin ones: a part with those is read again its own way.
    """
    parts: list[list[str]] = []
    text_words: list[str] = []
    for part in (title, lead, "\n".join(body)):
        normalized = normalize(part)
        found = words(normalized)
        parts.append(found)
        if _SEPARATORS.search(normalized):
            text_words.extend(fingerprint_words(part))
        else:
            text_words.extend(map(str.lower, found))
    return (parts[0], parts[1], parts[2]), text_words


def entities_of(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The entities named in a text, most mentioned first, at most MAX_ENTITIES."""
    found = entity_counts(recognize(text))[:MAX_ENTITIES]
    return [(e.kind, e.name, tuple(e.aliases)) for e, _count in found]


class Preparer:
    """Prepares batches in worker processes when they are big enough.

    The worker processes are shared by every Preparer of this process and outlive them: a
    `khabar worker` that polls sources every few minutes, or a test suite, starts them once.
    They are forked from a server that imported and warmed the pipeline once
    (`khabar.pipeline_warm`), so a new worker starts in milliseconds, not a second and a half.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or min(4, os.cpu_count() or 1)

    def run(self, jobs: Sequence[Job]) -> Iterator[Prepared]:
        """Prepared results in the order of the jobs."""
        if len(jobs) < PARALLEL_MIN or self.workers < 2:
            return map(prepare, jobs)
        return shared_pool(self.workers).map(prepare, jobs, chunksize=4)


_pools: dict[tuple[int, int], ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """This process's pool of `workers` worker processes, started on first use and started
    again after a worker died (a crash in a parser must not stop every later ingest)."""
    key = (os.getpid(), workers)  # a forked child must not use its parent's pool
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None and getattr(pool, "_broken", False):
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        if pool is None:
            context = worker_context()
            # Niced: the storing process is the one every item waits for, so it gets a core
            # whenever it wants one and the workers take what is left (measured: 69 to 85
            # articles/s on two cores, bench/ingest.py).
            pool = _pools[key] = ProcessPoolExecutor(
                workers, mp_context=context, initializer=os.nice, initargs=(WORKER_NICE,)
            )
        return pool


def worker_context() -> BaseContext:
    """How ingest starts its helper processes (pipeline workers, the fetch process): forked
    from a server that imported and warmed the pipeline once, so they start clean (without
    the parent's threads or open database) and fast."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["khabar.pipeline_warm"])
    return context


def worker_pids() -> list[int]:
    """The process ids of this process's pipeline workers (for measurement)."""
    with _pools_lock:
        pools = [pool for (pid, _n), pool in _pools.items() if pid == os.getpid()]
    return [p for pool in pools for p in (getattr(pool, "_processes", None) or {})]
