"""The address policy: non-public addresses are refused, and before any connection."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.fetch import (
    AddressPolicy,
    BlockedAddressError,
    Fetcher,
    FetchSettings,
    InvalidURLError,
    NetworkError,
    address_kind,
)

MakeFetcher = Callable[..., Fetcher]


class _NoSockets:
    """Stands in for socket.socket and socket.create_connection: any use fails the test."""

    def __init__(self) -> None:
        self.calls: list[object] = []

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.calls.append(args)
        raise AssertionError(f"a socket was opened: {args}")


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> _NoSockets:
    """Make opening any socket fail, to prove a refusal happened before connecting."""
    guard = _NoSockets()
    monkeypatch.setattr(socket, "socket", guard)
    monkeypatch.setattr(socket, "create_connection", guard)
    return guard


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://10.0.0.1/", "private"),
        ("http://192.168.1.1/feed", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://100.64.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://news.localhost:8000/", "loopback"),
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1.2.3:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[2002:a00:1::]/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://0.1.2.3/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("https://2130706433/", "loopback"),
    ],
)
def test_non_public_urls_are_refused_without_sending_a_packet(
    url: str, kind: str, no_sockets: _NoSockets
) -> None:
    with (
        Fetcher(FetchSettings(obey_robots=False)) as fetcher,
        pytest.raises(BlockedAddressError, match=f"it is a {kind} address") as caught,
    ):
        fetcher.fetch(url)
    assert caught.value.url is not None
    assert no_sockets.calls == []


def test_the_messages_say_which_setting_allows_what(no_sockets: _NoSockets) -> None:
    with Fetcher(FetchSettings(obey_robots=False)) as fetcher:
        with pytest.raises(BlockedAddressError, match="allow_loopback=True"):
            fetcher.fetch("http://127.0.0.1/")
        with pytest.raises(BlockedAddressError, match="allow_private=True"):
            fetcher.fetch("http://10.0.0.1/")
        with pytest.raises(BlockedAddressError, match="never fetches"):
            fetcher.fetch("http://169.254.169.254/")


def test_credentials_in_the_url_are_refused_and_not_echoed(no_sockets: _NoSockets) -> None:
    with (
        Fetcher(FetchSettings(obey_robots=False)) as fetcher,
        pytest.raises(InvalidURLError, match="user name or password") as caught,
    ):
        fetcher.fetch("https://editor:s3cret@example.com/feed")
    assert "s3cret" not in str(caught.value)


def _resolver(table: dict[str, list[str]]) -> Callable[[str, int], Sequence[str]]:
    def resolve(host: str, port: int) -> Sequence[str]:
        return table[host]

    return resolve


def test_a_public_name_that_resolves_to_a_private_address_is_refused(
    no_sockets: _NoSockets,
) -> None:
    resolver = _resolver({"intranet.example": ["93.184.216.34", "10.1.2.3"]})
    with (
        Fetcher(FetchSettings(obey_robots=False), resolver=resolver) as fetcher,
        pytest.raises(BlockedAddressError, match=r"intranet\.example \(10\.1\.2\.3\)"),
    ):
        fetcher.fetch("https://intranet.example/feed")


def test_dns_rebinding_is_caught_at_connect_time(no_sockets: _NoSockets) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> Sequence[str]:
        return next(answers)

    # The URL check sees a public address; the connection would go to loopback.
    with (
        Fetcher(FetchSettings(obey_robots=False), resolver=rebinding) as fetcher,
        pytest.raises(BlockedAddressError, match="loopback"),
    ):
        fetcher.fetch("http://rebind.example/")
    assert next(answers, None) is None


def test_an_unresolvable_host_is_a_network_error(no_sockets: _NoSockets) -> None:
    def failing(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with (
        Fetcher(FetchSettings(obey_robots=False), resolver=failing) as fetcher,
        pytest.raises(NetworkError, match=r"Could not resolve the host name nowhere\.example"),
    ):
        fetcher.fetch("http://nowhere.example/")


def test_the_allow_flags_open_only_their_own_ranges() -> None:
    resolver = _resolver({"lan.example": ["192.168.1.20"], "lo.example": ["127.0.0.1"]})
    private = AddressPolicy(allow_private=True, resolver=resolver)
    assert private.addresses("lan.example", 80) == [ipaddress.ip_address("192.168.1.20")]
    with pytest.raises(BlockedAddressError):
        private.addresses("lo.example", 80)
    with pytest.raises(BlockedAddressError):
        private.addresses("169.254.169.254", 80)
    loopback = AddressPolicy(allow_loopback=True, resolver=resolver)
    assert loopback.addresses("::1", 80) == [ipaddress.ip_address("::1")]
    with pytest.raises(BlockedAddressError):
        loopback.addresses("lan.example", 80)


def test_public_addresses_pass() -> None:
    for address in ("93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"):
        assert address_kind(ipaddress.ip_address(address)) is None, address


@given(st.integers(min_value=0, max_value=2**24 - 1))
def test_all_of_ten_slash_eight_is_private(offset: int) -> None:
    address = ipaddress.IPv4Address(int(ipaddress.IPv4Address("10.0.0.0")) + offset)
    assert address_kind(address) == "private"


@given(st.ip_addresses(v=4))
def test_an_ipv4_mapped_address_is_judged_as_its_ipv4_address(
    address: ipaddress.IPv4Address,
) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert address_kind(mapped) == address_kind(address)
