"""Fetcher: fetch one URL politely and safely, following redirects and retrying what is transient.

One fetch: check the URL against the address policy, ask the origin's robots.txt, wait for the
host's turn, send (retrying timeouts, network errors, 5xx and 429 with backoff), and follow
redirects, each hop checked again from the top.
"""

from __future__ import annotations

import http
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Self

import httpx

from khabar.arabic.encoding import parse_content_type
from khabar.fetch.body import ACCEPT_ENCODING, read_body
from khabar.fetch.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    NetworkError,
    RobotsDisallowedError,
    TooManyRedirectsError,
)
from khabar.fetch.policy import AddressPolicy, Resolver, system_resolver
from khabar.fetch.politeness import HostGate
from khabar.fetch.result import FetchResult
from khabar.fetch.retry import backoff_delay, is_retryable_status, retry_after_seconds
from khabar.fetch.robots import RobotsCache, RobotsRules, rules_from_outcome
from khabar.fetch.settings import FetchSettings
from khabar.fetch.transport import Deadline, GuardedTransport, deadline

__all__ = ["Fetcher"]

logger = logging.getLogger("khabar.fetch")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class _Reply:
    url: httpx.URL
    status: int
    headers: httpx.Headers
    content: bytes
    attempts: int = 1


class _Transient(Exception):
    """A failure worth another attempt (a timeout, a network error), before it is reported."""

    def __init__(self, kind: type[FetchTimeoutError | NetworkError], detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail

    def final(self, url: str, attempts: int) -> FetchError:
        """Return the error to raise once no attempt is left."""
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        if self.kind is FetchTimeoutError:
            message = (
                f"{url} timed out after {tries} (last: {self.detail}): the server is slow or "
                "down; try again later, or raise the timeouts in FetchSettings."
            )
        else:
            message = (
                f"Could not fetch {url} after {tries} (last: {self.detail}): check the address "
                "and the network, or try again later."
            )
        return self.kind(message, url=url)


class Fetcher:
    """Fetch feeds, sitemaps, wires and pages; one Fetcher may be shared by several threads."""

    def __init__(
        self, settings: FetchSettings | None = None, *, resolver: Resolver | None = None
    ) -> None:
        self.settings = settings = settings or FetchSettings()
        self._policy = AddressPolicy(
            settings.allow_private, settings.allow_loopback, resolver or system_resolver
        )
        self._client = httpx.Client(
            transport=GuardedTransport(self._policy),
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            follow_redirects=False,
            # Proxies from the environment would connect on our behalf, past the address policy.
            trust_env=False,
        )
        self._gate = HostGate(settings.host_delay)
        # Replaceable in tests, to see the pauses between attempts without waiting them out.
        self._sleep: Callable[[float], None] = time.sleep
        self._robots = RobotsCache(
            self._load_robots, ttl=settings.robots_ttl, error_ttl=settings.robots_error_ttl
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections this fetcher keeps open."""
        self._client.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch a URL (conditionally, given validators); raise a FetchError when it cannot."""
        started = time.monotonic()
        headers = _conditional_headers(etag, last_modified)
        reply, history = self._follow(url, headers, robots=self.settings.obey_robots)
        logger.debug("Fetched %s: %s, %d bytes", reply.url, reply.status, len(reply.content))
        return _result(reply, history, time.monotonic() - started, etag, last_modified)

    def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool
    ) -> tuple[_Reply, tuple[str, ...]]:
        """Send, and follow redirects ourselves so that every hop passes every check."""
        history: list[str] = []
        target = self._policy.check_url(url)
        while True:
            if robots:
                self._check_robots(target)
            reply = self._send(target, headers)
            location = reply.headers.get("location") if reply.status in _REDIRECTS else None
            if not location:
                return _accept(reply), tuple(history)
            history.append(str(target))
            target = self._policy.check_url(self._next_hop(history, reply, location))

    def _next_hop(self, history: list[str], reply: _Reply, location: str) -> httpx.URL:
        """Return where a redirect points, or raise on a loop or one redirect too many."""
        try:
            target = reply.url.join(location).copy_with(fragment=None)
        except httpx.InvalidURL as exc:
            raise InvalidURLError(
                f"{reply.url} redirects to an invalid address ({location!r}): the site is "
                "misconfigured; try again later or report it.",
                url=str(reply.url),
            ) from exc
        chain = " -> ".join([*history, str(target)])
        # A redirect to the same URL that sets a cookie is a cookie check, not a loop.
        if str(target) in history and "set-cookie" not in reply.headers:
            raise TooManyRedirectsError(
                f"Redirect loop: {chain}. The site is misconfigured; try again later.",
                url=history[0],
            )
        if len(history) > self.settings.max_redirects:
            raise TooManyRedirectsError(
                f"More than {self.settings.max_redirects} redirects: {chain}. Fetch the final "
                "address directly, or raise FetchSettings.max_redirects.",
                url=history[0],
            )
        return target

    def _check_robots(self, target: httpx.URL) -> None:
        """Raise RobotsDisallowedError unless the origin's robots.txt lets us fetch the URL."""
        if target.path == "/robots.txt":
            return  # RFC 9309: robots.txt itself is always allowed.
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        rules = self._robots.rules_for(origin)
        if rules.allows(str(target), self.settings.user_agent):
            return
        if rules.temporary:
            message = (
                f"{origin}/robots.txt could not be read ({rules.reason}); RFC 9309 says to treat "
                f"the whole site as disallowed until it can: try again later."
            )
        else:
            agent = self.settings.user_agent.split("/")[0]
            message = (
                f"{target} is disallowed for {agent} by {origin}/robots.txt: skip it, or ask "
                "the site to allow it."
            )
        raise RobotsDisallowedError(message, url=str(target))

    def _load_robots(self, origin: str) -> RobotsRules:
        """Fetch an origin's robots.txt and interpret the outcome (see khabar.fetch.robots)."""
        try:
            reply, _ = self._follow(f"{origin}/robots.txt", {}, robots=False)
        except HTTPStatusError as exc:
            return rules_from_outcome(exc.status)
        except TooManyRedirectsError:
            return RobotsRules("allow-all", "robots.txt redirects too often: treated as absent")
        except FetchError as exc:
            return rules_from_outcome(None, problem=str(exc))
        return rules_from_outcome(reply.status, reply.content)

    def _send(self, target: httpx.URL, headers: dict[str, str]) -> _Reply:
        """Send one request, retrying transient failures up to max_attempts."""
        attempts = self.settings.max_attempts
        attempt = 1
        while True:
            try:
                reply = self._send_once(target, headers)
            except _Transient as exc:
                if attempt >= attempts:
                    raise exc.final(str(target), attempt) from exc.__cause__
                pause, why = self._backoff(attempt), exc.detail
            else:
                retry_pause = self._retry_pause(reply, attempt)
                if retry_pause is None:
                    return replace(reply, attempts=attempt)
                pause, why = retry_pause, f"HTTP {reply.status}"
            logger.info(
                "Retrying %s in %.2f s: attempt %d of %d failed (%s)",
                target,
                pause,
                attempt,
                attempts,
                why,
            )
            self._sleep(pause)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(
            attempt, base=self.settings.backoff_base, cap=self.settings.backoff_max
        )

    def _retry_pause(self, reply: _Reply, attempt: int) -> float | None:
        """Return how long to wait before retrying this reply, or None to stop here."""
        if not is_retryable_status(reply.status) or attempt >= self.settings.max_attempts:
            return None
        wait = retry_after_seconds(reply.headers.get("retry-after"))
        if wait is None:
            return self._backoff(attempt)
        # Too long a wait is left to the caller's scheduler (HTTPStatusError.retry_after).
        return wait if wait <= self.settings.retry_after_max else None

    def _send_once(self, target: httpx.URL, headers: dict[str, str]) -> _Reply:
        """Make one attempt in the host's turn, within the total deadline."""
        with (
            self._gate.turn(target.raw_host.decode("ascii")),
            deadline(self.settings.total_timeout) as clock,
        ):
            try:
                return self._exchange(target, headers)
            except httpx.TimeoutException as exc:
                raise _Transient(FetchTimeoutError, self._timeout_detail(exc, clock)) from exc
            except httpx.TransportError as exc:
                _refuse_bad_certificate(exc, target)
                raise _Transient(NetworkError, f"{type(exc).__name__}: {exc}") from exc

    def _exchange(self, target: httpx.URL, headers: dict[str, str]) -> _Reply:
        """Send the request and read a 2xx body; other answers need only their headers."""
        request = self._client.build_request("GET", target, headers=headers)
        response = self._client.send(request, stream=True)
        try:
            content = b""
            if 200 <= response.status_code < 300:
                content = read_body(
                    response,
                    url=str(target),
                    max_bytes=self.settings.max_bytes,
                    max_ratio=self.settings.max_decompression_ratio,
                )
        finally:
            response.close()
        return _Reply(target, response.status_code, response.headers, content)

    def _timeout_detail(self, exc: httpx.TimeoutException, clock: Deadline) -> str:
        settings = self.settings
        if clock.expired():
            return f"the total deadline of {settings.total_timeout:g} s passed"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"no connection within {settings.connect_timeout:g} s"
        if isinstance(exc, httpx.ReadTimeout):
            return f"the server sent nothing for {settings.read_timeout:g} s"
        return f"{type(exc).__name__}: {exc}"


def _refuse_bad_certificate(exc: BaseException, target: httpx.URL) -> None:
    """Raise NetworkError at once if a TLS certificate failed: trying again will not mend it."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        raise NetworkError(
            f"The TLS certificate of {target.host} could not be verified ({cause}): the site's "
            "certificate is invalid or self-signed, and Khabar does not fetch insecurely.",
            url=str(target),
        ) from exc


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Return If-None-Match / If-Modified-Since for the validators the caller holds."""
    headers = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    for name, value in headers.items():
        if value is not None and any(ch in value for ch in "\r\n"):
            raise FetchError(
                f"The value for {name} holds a line break ({value!r}): pass it as saved."
            )
    return {name: value for name, value in headers.items() if value}


def _accept(reply: _Reply) -> _Reply:
    """Return a 2xx or 304 reply; raise HTTPStatusError for anything else."""
    if 200 <= reply.status < 300 or reply.status == 304:
        return reply
    raise HTTPStatusError(
        _status_message(reply),
        url=str(reply.url),
        status=reply.status,
        retry_after=retry_after_seconds(reply.headers.get("retry-after")),
    )


def _status_message(reply: _Reply) -> str:
    """Say what an error status means for the person running the ingest."""
    status = reply.status
    try:
        said = f"{reply.url} answered {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        said = f"{reply.url} answered {status}"
    tries = f" after {reply.attempts} attempts" if reply.attempts > 1 else ""
    if status in (404, 410):
        return f"{said}: the page is gone; check the URL, or remove it from the sources."
    if status in (401, 403):
        return f"{said}: the site refuses Khabar or wants a login; check the URL or ask the site."
    if status == 429:
        return f"{said}{tries}: the site is rate-limiting Khabar; fetch it less often."
    if status >= 500:
        return f"{said}{tries}: the server is failing; try again later."
    if 300 <= status < 400:
        return f"{said} without a usable Location: the site is misconfigured; report it."
    return f"{said}: the request was refused; check the URL."


def _result(
    reply: _Reply,
    history: tuple[str, ...],
    elapsed: float,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    media, charset = parse_content_type(reply.headers.get("content-type"))
    unchanged = reply.status == 304
    return FetchResult(
        url=str(reply.url),
        status=reply.status,
        headers=reply.headers,
        content=reply.content,
        # A 304 need not repeat the validators: the caller's ones are still the current ones.
        etag=reply.headers.get("etag") or (etag if unchanged else None),
        last_modified=reply.headers.get("last-modified") or (last_modified if unchanged else None),
        content_type=media,
        declared_charset=charset,
        elapsed=elapsed,
        history=history,
    )
