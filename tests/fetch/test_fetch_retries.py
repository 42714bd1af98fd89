"""Retries with backoff on 5xx, 429 and network errors; never on 4xx; timeouts and deadlines."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest

from khabar.fetch import Fetcher, FetchTimeoutError, HTTPStatusError, NetworkError
from khabar.fetch.retry import backoff_delay, is_retryable_status, retry_after_seconds
from khabar.fetch.testing import LocalServer, SilentServer, closed_port, respond

MakeFetcher = Callable[..., Fetcher]


def _fails_then_succeeds(failures: int, status: int = 503, headers: dict[str, str] | None = None):
    """Return a route that answers `status` `failures` times, then 200."""
    calls = {"n": 0}

    def route(handler: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] <= failures:
            respond(handler, status, b"busy", headers)
        else:
            respond(handler, 200, b"fresh news")

    return route


def test_retries_503_with_growing_backoff_then_succeeds(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/flaky"] = _fails_then_succeeds(2)
    result = make_fetcher(backoff_base=0.1, backoff_max=1.0).fetch(server.url("/flaky"))
    assert result.status == 200 and result.content == b"fresh news"
    times = [seen.at for seen in server.hits("/flaky")]
    assert len(times) == 3
    # Equal jitter: each pause is at least half its exponential step (0.1 s, then 0.2 s).
    assert times[1] - times[0] >= 0.05
    assert times[2] - times[1] >= 0.1


def test_gives_up_on_5xx_after_max_attempts(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.serve("/down", b"oops", status=500)
    with pytest.raises(HTTPStatusError, match="after 3 attempts") as caught:
        make_fetcher().fetch(server.url("/down"))
    assert caught.value.status == 500
    assert len(server.hits("/down")) == 3


def test_never_retries_a_404(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    with pytest.raises(HTTPStatusError, match="404 Not Found: the page is gone") as caught:
        make_fetcher().fetch(server.url("/missing"))
    assert caught.value.status == 404
    assert caught.value.url == server.url("/missing")
    assert len(server.hits("/missing")) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 410, 501])
def test_final_statuses_are_not_retried(
    status: int, server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/no", b"no", status=status)
    with pytest.raises(HTTPStatusError):
        make_fetcher().fetch(server.url("/no"))
    assert len(server.hits("/no")) == 1


def test_honours_retry_after_on_429(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.routes["/limited"] = _fails_then_succeeds(2, 429, {"Retry-After": "7"})
    fetcher = make_fetcher(backoff_base=0.01)
    pauses: list[float] = []
    fetcher._sleep = pauses.append
    assert fetcher.fetch(server.url("/limited")).status == 200
    assert pauses == [7.0, 7.0]


def test_a_retry_after_beyond_the_cap_fails_at_once_for_the_scheduler(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/later", b"busy", status=503, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(HTTPStatusError) as caught:
        make_fetcher(retry_after_max=60).fetch(server.url("/later"))
    assert time.monotonic() - started < 1
    assert caught.value.status == 503 and caught.value.retry_after == 3600
    assert len(server.hits("/later")) == 1


def test_connection_refused_is_a_network_error_after_retries(
    make_fetcher: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/feed"
    with (
        caplog.at_level(logging.INFO, logger="khabar.fetch"),
        pytest.raises(NetworkError, match="after 3 attempts") as caught,
    ):
        make_fetcher().fetch(url)
    assert caught.value.url == url
    retries = [r for r in caplog.records if r.getMessage().startswith("Retrying")]
    assert len(retries) == 2


def test_a_host_that_never_answers_times_out(make_fetcher: MakeFetcher) -> None:
    with SilentServer() as silent:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError, match=r"sent nothing for 0\.2 s") as caught:
            make_fetcher(read_timeout=0.2, max_attempts=2).fetch(silent.url("/feed"))
    assert 0.4 <= time.monotonic() - started < 3
    assert "after 2 attempts" in str(caught.value)


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """Send a byte every 50 ms: never idle long enough for the read timeout to fire."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        handler.wfile.write(b".")
        handler.wfile.flush()
        time.sleep(0.05)


def test_the_total_deadline_stops_a_server_that_drips(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/drip"] = _drip
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match=r"total deadline of 0\.3 s"):
        make_fetcher(read_timeout=1.0, total_timeout=0.3, max_attempts=1).fetch(server.url("/drip"))
    assert time.monotonic() - started < 1.0


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    low = [backoff_delay(n, base=1.0, cap=5.0, rng=lambda: 0.0) for n in (1, 2, 3, 4, 5)]
    high = [backoff_delay(n, base=1.0, cap=5.0, rng=lambda: 1.0) for n in (1, 2, 3, 4, 5)]
    assert low == [0.5, 1.0, 2.0, 2.5, 2.5]
    assert high == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now=now) == 120
    assert (
        retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now)
        == 30
    )
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None) is None


def test_which_statuses_are_retried() -> None:
    assert all(is_retryable_status(s) for s in (429, 500, 502, 503, 504))
    assert not any(is_retryable_status(s) for s in (200, 304, 400, 403, 404, 410, 501, 505))
