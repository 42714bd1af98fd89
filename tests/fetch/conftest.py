"""Fixtures for khabar.fetch: a local HTTP server and fetchers tuned to be fast in tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from khabar.fetch import Fetcher, FetchSettings, Resolver
from khabar.fetch.testing import LocalServer

# Loopback allowed (the servers live on 127.0.0.1), no pauses, tiny backoff, short timeouts.
FAST: dict[str, Any] = {
    "allow_loopback": True,
    "host_delay": 0.0,
    "backoff_base": 0.01,
    "backoff_max": 0.05,
    "obey_robots": False,
    "connect_timeout": 2.0,
    "read_timeout": 2.0,
    "total_timeout": 10.0,
}

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A started LocalServer on 127.0.0.1; add routes with `serve` or `routes[path] = ...`."""
    with LocalServer() as running:
        yield running


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    """Build Fetchers with the FAST settings plus overrides; all are closed after the test."""
    made: list[Fetcher] = []

    def make(resolver: Resolver | None = None, **overrides: Any) -> Fetcher:
        fetcher = Fetcher(FetchSettings(**{**FAST, **overrides}), resolver=resolver)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()
