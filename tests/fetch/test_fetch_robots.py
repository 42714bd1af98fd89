"""robots.txt: rules obeyed, fetched once per origin, and RFC 9309's reading of errors."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from khabar.fetch import Fetcher, RobotsDisallowedError
from khabar.fetch.robots import RobotsCache, RobotsRules, rules_from_outcome
from khabar.fetch.testing import LocalServer

MakeFetcher = Callable[..., Fetcher]

ROBOTS = b"""User-agent: *
Disallow: /private/

User-agent: GreedyBot
Disallow: /
"""


def test_a_disallowed_url_is_refused_and_an_allowed_one_fetched(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    server.serve("/news/1", b"story")
    server.serve("/private/admin", b"secret")
    fetcher = make_fetcher(obey_robots=True)
    assert fetcher.fetch(server.url("/news/1")).content == b"story"
    with pytest.raises(RobotsDisallowedError, match=r"disallowed for KhabarBot by .*robots\.txt"):
        fetcher.fetch(server.url("/private/admin"))
    assert not server.hits("/private/admin")
    # One robots.txt request for the origin, however many pages.
    assert len(server.hits("/robots.txt")) == 1


def test_rules_for_khabarbot_by_name_apply(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.serve("/robots.txt", b"User-agent: KhabarBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    with pytest.raises(RobotsDisallowedError):
        make_fetcher(obey_robots=True).fetch(server.url("/news/1"))


def test_a_missing_robots_txt_allows_everything(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/page", b"ok")
    assert make_fetcher(obey_robots=True).fetch(server.url("/page")).content == b"ok"
    assert len(server.hits("/robots.txt")) == 1


def test_an_unreachable_robots_txt_disallows_the_site_for_a_while(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/robots.txt", b"oops", status=503)
    server.serve("/page", b"ok")
    fetcher = make_fetcher(obey_robots=True, max_attempts=2)
    for _ in range(2):
        with pytest.raises(RobotsDisallowedError, match=r"could not be read .*503.*RFC 9309"):
            fetcher.fetch(server.url("/page"))
    assert not server.hits("/page")
    # Retried once, then the verdict is cached for robots_error_ttl.
    assert len(server.hits("/robots.txt")) == 2


def test_robots_txt_is_loaded_once_even_by_many_threads(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/robots.txt", ROBOTS)
    server.serve("/page", b"ok")
    fetcher = make_fetcher(obey_robots=True)
    threads = [
        threading.Thread(target=fetcher.fetch, args=(server.url("/page"),)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.hits("/robots.txt")) == 1
    assert len(server.hits("/page")) == 4


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, "rules"),
        (401, "allow-all"),
        (403, "allow-all"),
        (404, "allow-all"),
        (410, "allow-all"),
        (429, "disallow-all"),
        (500, "disallow-all"),
        (503, "disallow-all"),
    ],
)
def test_rfc_9309_reading_of_statuses(status: int, verdict: str) -> None:
    rules = rules_from_outcome(status, b"User-agent: *\nDisallow: /x\n")
    assert rules.verdict == verdict
    assert rules.temporary == (verdict == "disallow-all")


def test_an_unreachable_robots_txt_disallows() -> None:
    rules = rules_from_outcome(None, problem="connection refused")
    assert not rules.allows("https://example.com/", "KhabarBot/0.1")
    assert rules.temporary and rules.reason == "connection refused"


def test_parsed_rules_are_usable_at_once() -> None:
    rules = rules_from_outcome(200, b"\xef\xbb\xbfUser-agent: *\nDisallow: /private/\n")
    assert rules.allows("https://example.com/news", "KhabarBot/0.1 (+https://x)")
    assert not rules.allows("https://example.com/private/a", "KhabarBot/0.1 (+https://x)")


def test_the_cache_reloads_after_the_ttl_and_sooner_after_an_error() -> None:
    now = [0.0]
    loads: list[str] = []
    outcomes = iter([rules_from_outcome(503), rules_from_outcome(404), rules_from_outcome(404)])

    def load(origin: str) -> RobotsRules:
        loads.append(origin)
        return next(outcomes)

    cache = RobotsCache(load, ttl=100.0, error_ttl=10.0, clock=lambda: now[0])
    assert cache.rules_for("https://a.example").verdict == "disallow-all"
    now[0] = 9.0
    assert cache.rules_for("https://a.example").verdict == "disallow-all"
    now[0] = 11.0
    assert cache.rules_for("https://a.example").verdict == "allow-all"
    now[0] = 105.0
    cache.rules_for("https://a.example")
    assert len(loads) == 2
    now[0] = 112.0
    cache.rules_for("https://a.example")
    assert len(loads) == 3


def test_robots_txt_itself_is_fetched_without_asking_robots_txt(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/robots.txt", b"User-agent: *\nDisallow: /\n")
    assert make_fetcher(obey_robots=True).fetch(server.url("/robots.txt")).status == 200
    assert len(server.hits("/robots.txt")) == 1
