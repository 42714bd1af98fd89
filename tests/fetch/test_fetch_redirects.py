"""Redirects, followed by hand: every hop checked, loops and long chains reported."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from khabar.fetch import (
    BlockedAddressError,
    Fetcher,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from khabar.fetch.testing import LocalServer, respond

MakeFetcher = Callable[..., Fetcher]


def _redirect(server: LocalServer, path: str, location: str, status: int = 302) -> None:
    server.serve(path, b"", status=status, headers={"Location": location})


def test_follows_redirects_and_reports_the_chain(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    _redirect(server, "/old", "/middle", 301)
    _redirect(server, "/middle", server.url("/new"), 307)
    server.serve("/new", b"here")
    result = make_fetcher().fetch(server.url("/old"))
    assert result.content == b"here"
    assert result.url == server.url("/new")
    assert result.history == (server.url("/old"), server.url("/middle"))


def test_a_redirect_loop_is_reported_as_a_loop(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    _redirect(server, "/a", "/b")
    _redirect(server, "/b", "/a")
    with pytest.raises(TooManyRedirectsError, match=r"Redirect loop: .*/a -> .*/b -> .*/a"):
        make_fetcher().fetch(server.url("/a"))
    assert len(server.hits("/a")) == 1


def test_a_self_redirect_that_sets_a_cookie_is_a_cookie_check_not_a_loop(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        if "seen=1" in (handler.headers.get("Cookie") or ""):
            respond(handler, 200, b"welcome back")
        else:
            respond(handler, 302, headers={"Location": "/gate", "Set-Cookie": "seen=1; Path=/"})

    server.routes["/gate"] = route
    assert make_fetcher().fetch(server.url("/gate")).content == b"welcome back"


def test_five_redirects_are_followed_and_a_sixth_is_refused(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    for n in range(7):
        _redirect(server, f"/r{n}", f"/r{n + 1}")
    server.serve("/r5", b"end of five")
    assert make_fetcher().fetch(server.url("/r0")).content == b"end of five"
    server.routes.pop("/r5")
    _redirect(server, "/r5", "/r6")
    with pytest.raises(TooManyRedirectsError, match="More than 5 redirects"):
        make_fetcher().fetch(server.url("/r0"))
    assert not server.hits("/r7")


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/feed", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/"],
)
def test_a_redirect_to_a_private_address_is_refused(
    location: str, server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    _redirect(server, "/out", location)
    with pytest.raises(BlockedAddressError, match="Refused to connect") as caught:
        make_fetcher().fetch(server.url("/out"))
    assert caught.value.url == location


def test_a_redirect_to_another_scheme_is_refused(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    _redirect(server, "/ftp", "ftp://example.com/feed.xml")
    with pytest.raises(UnsupportedSchemeError):
        make_fetcher().fetch(server.url("/ftp"))


def _non_loopback_address() -> str | None:
    """Return this machine's own non-loopback IPv4 address, if it has one."""
    for probe_target in ("192.0.2.1", "10.255.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                # Connecting a UDP socket sends nothing: it only picks the local address.
                probe.connect((probe_target, 9))
            except OSError:
                continue
            address = str(probe.getsockname()[0])
        if not address.startswith("127."):
            return address
    return None


@pytest.fixture
def lan_server() -> Iterator[LocalServer]:
    """A LocalServer on this machine's non-loopback address."""
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to serve on")
    with LocalServer(address) as running:
        yield running


def test_a_redirect_to_loopback_is_refused_when_loopback_is_not_allowed(
    lan_server: LocalServer, server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    _redirect(lan_server, "/in", server.url("/secret"))
    _redirect(lan_server, "/named", "http://localhost/secret")
    server.serve("/secret", b"internal")
    fetcher = make_fetcher(allow_loopback=False, allow_private=True)
    for path in ("/in", "/named"):
        with pytest.raises(BlockedAddressError, match="loopback"):
            fetcher.fetch(lan_server.url(path))
    assert not server.hits("/secret")
