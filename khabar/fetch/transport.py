"""An httpx transport that connects only where the address policy allows, within a deadline.

The policy is checked again here, at connect time, on the very addresses the socket will use:
checking the URL beforehand is not enough, since DNS may answer differently the second time.
The total deadline is enforced on every socket operation, so a server that drips bytes cannot
stretch a request past FetchSettings.total_timeout.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from khabar.fetch.errors import NetworkError
from khabar.fetch.policy import AddressPolicy

__all__ = ["Deadline", "GuardedTransport", "deadline"]

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)

# The deadline of the request running in this thread (or task); None outside a request.
_DEADLINE: ContextVar[Deadline | None] = ContextVar("khabar_fetch_deadline", default=None)


class Deadline:
    """The moment by which the current request must be over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def expired(self) -> bool:
        """Tell whether the deadline has passed."""
        return time.monotonic() >= self.ends

    def clamp(self, timeout: float | None, error: type[Exception]) -> float | None:
        """Shorten a socket timeout to the time left, raising `error` when none is left."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise error(f"the total deadline of {self.seconds:g} s passed")
        return left if timeout is None else min(timeout, left)


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Bound every socket operation of the requests made inside the block by one deadline."""
    current = Deadline(seconds)
    token = _DEADLINE.set(current)
    try:
        yield current
    finally:
        _DEADLINE.reset(token)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    current = _DEADLINE.get()
    return timeout if current is None else current.clamp(timeout, error)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes never outlive the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wrapped = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(wrapped)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check every address against the policy, then connect to an allowed one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._policy.addresses(host, port)
        except NetworkError as exc:
            # Let httpx see a resolution failure as the connect error it is, so it is retried.
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception = httpcore.ConnectError(f"{host} has no address to connect to")
        for address in addresses:
            try:
                # Connecting to the checked IP itself pins it: nothing is resolved again.
                stream = self._inner.connect_tcp(
                    str(address),
                    port,
                    _clamp(timeout, httpcore.ConnectTimeout),
                    local_address,
                    list(socket_options or []),
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.UnsupportedProtocol("Khabar fetches over TCP only, not Unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Return one verifying TLS context for every fetcher: loading the CA bundle takes time."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport, with connections made through the address policy and deadline."""

    def __init__(self, policy: AddressPolicy, *, limits: httpx.Limits | None = None) -> None:
        context = _ssl_context()
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=context, trust_env=False, limits=limits)
        # httpx has no public way to hand its pool a network backend, so the pool is rebuilt
        # with the same settings; tests/fetch checks that connections really go through it.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(policy),
        )
