"""A Fetcher in a process of its own, for a program whose main thread has other work.

Fetching is Python work too (httpx builds requests, parses responses, decompresses), about a
millisecond of CPU a page. In the process that stores articles it shares the one interpreter
lock with the storing thread, which every item waits for: measured, storing slowed by a fifth.
`FetchProcess` sends the URLs to a child process that keeps a `Fetcher` for it (its politeness
gates, robots.txt cache and connections live there, across calls, until `close()`) and fetches
a batch with a few threads; only the bytes come back.

Failures come back as `FetchError`s with the child's message (their own types do not cross
the process boundary; the message says what to do, as every FetchError's does).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.context import BaseContext

from khabar.errors import KhabarError
from khabar.fetch.errors import FetchError
from khabar.fetch.fetcher import Fetcher
from khabar.fetch.result import FetchResult
from khabar.fetch.settings import FetchSettings

__all__ = ["FetchProcess", "process_ids"]

# A failure as it crosses the process boundary: the message only.
_Failed = tuple[str]

_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


class FetchProcess:
    """Fetch through this process's fetch child (started on first use, kept, started again
    if it died), with `settings`; the child runs `nice` steps below its parent."""

    def __init__(self, settings: FetchSettings, context: BaseContext, *, nice: int = 0) -> None:
        self.settings = settings
        self.context = context
        self.nice = nice
        self.key = uuid.uuid4().hex  # names this caller's Fetcher in the child
        self._used = False

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch one URL, conditionally given validators, as `Fetcher.fetch` does."""
        found = self._pool().submit(_fetch_one, self._id(), url, etag, last_modified).result()
        if isinstance(found, FetchResult):
            return found
        raise FetchError(found[0], url=url)

    def fetch_all(self, urls: Sequence[str], threads: int) -> list[FetchResult | FetchError]:
        """Fetch the URLs, `threads` at a time (each host as politely as the settings say);
        each URL's result or its FetchError, in order."""
        if not urls:
            return []
        found = self._pool().submit(_fetch_all, self._id(), list(urls), threads).result()
        return [
            r if isinstance(r, FetchResult) else FetchError(r[0], url=u)
            for u, r in zip(urls, found, strict=True)
        ]

    def close(self) -> None:
        """Close this caller's Fetcher in the child (its connections and caches)."""
        if self._used:
            self._used = False
            self._pool().submit(_forget, self.key).result()

    def _id(self) -> tuple[str, FetchSettings]:
        self._used = True
        return (self.key, self.settings)

    def _pool(self) -> ProcessPoolExecutor:
        with _pools_lock:
            pool = _pools.get(os.getpid())  # a forked child must not use its parent's
            if pool is not None and getattr(pool, "_broken", False):
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            if pool is None:
                pool = _pools[os.getpid()] = ProcessPoolExecutor(
                    1, mp_context=self.context, initializer=os.nice, initargs=(self.nice,)
                )
            return pool


def process_ids() -> list[int]:
    """This process's fetch process id, once started (for measurement)."""
    with _pools_lock:
        pool = _pools.get(os.getpid())
    return list(getattr(pool, "_processes", None) or {})


# --------------------------------------------------------------------------- in the child

_fetchers: dict[str, Fetcher] = {}
# Callers that never closed theirs (a crashed run) do not pile up: the oldest goes.
_MAX_FETCHERS = 16


def _fetcher(caller: tuple[str, FetchSettings]) -> Fetcher:
    key, settings = caller
    found = _fetchers.get(key)
    if found is None:
        if len(_fetchers) >= _MAX_FETCHERS:
            _fetchers.pop(next(iter(_fetchers))).close()
        found = _fetchers[key] = Fetcher(settings)
    return found


def _forget(key: str) -> None:
    found = _fetchers.pop(key, None)
    if found is not None:
        found.close()


def _fetch_one(
    caller: tuple[str, FetchSettings], url: str, etag: str | None, last_modified: str | None
) -> FetchResult | _Failed:
    try:
        return _fetcher(caller).fetch(url, etag=etag, last_modified=last_modified)
    except KhabarError as exc:
        return (str(exc),)


def _fetch_all(
    caller: tuple[str, FetchSettings], urls: list[str], threads: int
) -> list[FetchResult | _Failed]:
    fetcher = _fetcher(caller)

    def one(url: str) -> FetchResult | _Failed:
        try:
            return fetcher.fetch(url)
        except KhabarError as exc:
            return (str(exc),)

    if len(urls) < 2 or threads < 2:
        return [one(url) for url in urls]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, urls))
