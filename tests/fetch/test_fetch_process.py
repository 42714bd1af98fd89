"""FetchProcess: fetching in a child process gives what a Fetcher gives, failures included."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from khabar.fetch import FetchError, FetchResult, FetchSettings
from khabar.fetch.process import FetchProcess
from khabar.fetch.testing import LocalServer

CONTEXT = multiprocessing.get_context("forkserver")
# Loopback allowed (the servers live on 127.0.0.1), no pauses, one attempt, short timeouts.
FAST = {
    "allow_loopback": True,
    "host_delay": 0.0,
    "max_attempts": 1,
    "obey_robots": False,
    "connect_timeout": 2.0,
    "read_timeout": 2.0,
    "total_timeout": 10.0,
}


def test_pages_come_back_in_order_with_their_failures(server: LocalServer) -> None:
    for n in range(6):
        server.serve(f"/p{n}", f"<p>صفحة {n}</p>".encode(), headers={"ETag": f'"v{n}"'})
    fetcher = FetchProcess(FetchSettings(**FAST), CONTEXT)
    urls = [server.url(f"/p{n}") for n in range(6)] + [server.url("/missing")]
    found = fetcher.fetch_all(urls, threads=3)
    assert [r.content.decode() for r in found[:6] if isinstance(r, FetchResult)] == [
        f"<p>صفحة {n}</p>" for n in range(6)
    ]
    assert [r.etag for r in found[:6] if isinstance(r, FetchResult)] == [
        f'"v{n}"' for n in range(6)
    ]
    assert isinstance(found[6], FetchError) and "404" in str(found[6])
    assert found[6].url == urls[6]
    # One fetch by itself, as a feed is fetched.
    one = fetcher.fetch(server.url("/p0"))
    assert one.status == 200 and one.url == server.url("/p0")
    fetcher.close()


def test_a_refused_address_fails_with_the_fetchers_message(server: LocalServer) -> None:
    server.serve("/p", b"<p>x</p>")
    strict = FetchProcess(FetchSettings(**{**FAST, "allow_loopback": False}), CONTEXT)
    try:
        strict.fetch(server.url("/p"))
    except FetchError as exc:
        assert "loopback" in str(exc).lower() or "127.0.0.1" in str(exc)
    else:
        raise AssertionError("a loopback address was fetched without the setting")
    finally:
        strict.close()


def test_a_dead_fetch_process_is_started_again(server: LocalServer) -> None:
    server.serve("/p", b"<p>x</p>")
    fetcher = FetchProcess(FetchSettings(**FAST), CONTEXT)
    fetcher.fetch(server.url("/p"))
    pool = fetcher._pool()
    pid = pool.submit(os.getpid).result()
    os.kill(pid, signal.SIGKILL)  # as if a page had crashed it
    deadline = time.monotonic() + 30
    while not getattr(pool, "_broken", False) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert getattr(pool, "_broken", False), "the pool never noticed its process died"
    assert fetcher.fetch(server.url("/p")).status == 200
    assert fetcher._pool().submit(os.getpid).result() != pid
    fetcher.close()
