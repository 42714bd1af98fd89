"""Which URLs and addresses the fetcher may reach: public http(s) hosts only, unless allowed.

Every check happens before a socket is opened, and the transport checks the addresses again at
connect time (see transport.py), so a host that resolves differently the second time (DNS
rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from khabar.fetch.errors import (
    BlockedAddressError,
    InvalidURLError,
    NetworkError,
    UnsupportedSchemeError,
)

__all__ = ["AddressPolicy", "IPAddress", "Resolver", "address_kind", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the IP addresses to try, as text ("192.0.2.1", "2001:db8::1").
Resolver = Callable[[str, int], Sequence[str]]

_SCHEMES = frozenset({"http", "https"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# 0.0.0.0/8 means "this host" to Linux: connecting to 0.1.2.3 reaches local services.
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


def system_resolver(host: str, port: int) -> list[str]:
    """Return the addresses a host name resolves to, in the system's order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_kind(ip: IPAddress) -> str | None:
    """Say why an address is not public ("loopback", "private"...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and (kind := address_kind(embedded)) is not None:
            return kind
        if ip.ipv4_mapped is not None or ip in _NAT64:
            return None
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global or getattr(ip, "is_site_local", False):
        return "private"
    return None


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse non-public addresses, except loopback or private ranges when allowed."""

    allow_private: bool = False
    allow_loopback: bool = False
    resolver: Resolver = system_resolver

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """Return the URL parsed, without fragment, or raise if it may not be fetched."""
        parsed = _parse(url)
        text = str(parsed)
        if parsed.scheme not in _SCHEMES:
            raise UnsupportedSchemeError(
                f"{text} uses the {parsed.scheme or 'missing'} scheme: Khabar fetches only "
                "http:// and https:// URLs; give the http(s) address of the feed or page.",
                url=text,
            )
        if parsed.userinfo:
            raise InvalidURLError(
                f"{_without_userinfo(parsed)} carries a user name or password in the URL: "
                "Khabar does not send credentials; remove them from the address.",
                url=_without_userinfo(parsed),
            )
        if not parsed.raw_host:
            raise InvalidURLError(f"{text} has no host name: give a full URL.", url=text)
        try:
            self.addresses(parsed.raw_host.decode("ascii"), parsed.port or _default_port(parsed))
        except (BlockedAddressError, NetworkError) as exc:
            exc.url = text
            raise
        return parsed

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Resolve a host and return its addresses, or raise if any of them is refused."""
        name = host.strip("[]").rstrip(".").lower()
        if name == "localhost" or name.endswith(".localhost"):
            # RFC 6761: these names are loopback wherever they resolve; refuse before asking DNS.
            self._refuse_kind(host, name, "loopback")
        literal = _literal_ip(name)
        found = [literal] if literal is not None else self._resolve(name, port)
        for ip in found:
            kind = address_kind(ip)
            if kind is not None:
                self._refuse_kind(host, str(ip), kind)
        return found

    def _refuse_kind(self, host: str, address: str, kind: str) -> None:
        if (kind == "loopback" and self.allow_loopback) or (
            kind == "private" and self.allow_private
        ):
            return
        flag = {"loopback": "allow_loopback", "private": "allow_private"}.get(kind)
        advice = (
            f"set FetchSettings.{flag}=True only if this source really lives there"
            if flag
            else "Khabar never fetches such addresses"
        )
        shown = host if host == address else f"{host} ({address})"
        raise BlockedAddressError(
            f"Refused to connect to {shown}: it is a {kind} address, not the public internet; "
            f"{advice}."
        )

    def _resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            found = [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            raise NetworkError(
                f"Could not resolve the host name {host} ({exc}): check the address; if it is "
                "right, DNS may be failing, so try again later."
            ) from exc
        if not found:
            raise NetworkError(f"The host name {host} has no address: check the URL.")
        return found


def _parse(url: str | httpx.URL) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InvalidURLError(
            f"{url!s} is not a valid URL ({exc}): check it.", url=str(url)
        ) from exc
    return parsed.copy_with(fragment=None) if parsed.fragment else parsed


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _without_userinfo(url: httpx.URL) -> str:
    return str(url.copy_with(username=None, password=None))
