"""Per-host politeness: a pause between requests to a host, and one request at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from khabar.fetch import Fetcher
from khabar.fetch.politeness import HostGate
from khabar.fetch.testing import LocalServer, respond

MakeFetcher = Callable[..., Fetcher]


def test_requests_to_one_host_are_spaced_by_the_delay(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/a", b"a")
    server.serve("/b", b"b")
    fetcher = make_fetcher(host_delay=0.2)
    fetcher.fetch(server.url("/a"))
    fetcher.fetch(server.url("/b"))
    first, second = server.hits("/a")[0], server.hits("/b")[0]
    assert second.at - first.at >= 0.2


def test_one_request_at_a_time_per_host_across_threads(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(0.05)
        respond(handler, 200, b"slow")

    server.routes["/slow"] = slow
    fetcher = make_fetcher()
    threads = [
        threading.Thread(target=fetcher.fetch, args=(server.url("/slow"),)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.hits("/slow")) == 4
    assert server.max_in_flight == 1


def test_the_gate_waits_per_host_and_not_across_hosts() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = HostGate(1.0, clock=lambda: now[0], sleep=sleep)
    with gate.turn("a.example"):
        now[0] += 0.25
    with gate.turn("b.example"):
        pass
    assert slept == []
    with gate.turn("A.example"):
        pass
    assert slept == [1.0]
