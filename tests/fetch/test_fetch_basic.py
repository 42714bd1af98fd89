"""A plain fetch, the headers Khabar sends, conditional GET, settings and the error hierarchy."""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from khabar.errors import ConfigurationError, KhabarError
from khabar.fetch import (
    DEFAULT_USER_AGENT,
    BlockedAddressError,
    DecompressionBombError,
    Fetcher,
    FetchError,
    FetchSettings,
    FetchTimeoutError,
    HTTPStatusError,
    NetworkError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from khabar.fetch.testing import LocalServer, respond

MakeFetcher = Callable[..., Fetcher]

PAGE = "<html><head><title>خبر</title></head><body><p>مرحبا بالعالم</p></body></html>"


def test_a_normal_fetch_returns_body_headers_and_final_url(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/page", PAGE.encode(), headers={"Content-Type": "text/html; charset=UTF-8"})
    result = make_fetcher().fetch(server.url("/page#top"))
    assert result.status == 200
    assert result.url == server.url("/page")
    assert result.content == PAGE.encode()
    assert result.text() == PAGE
    assert result.content_type == "text/html"
    assert result.declared_charset == "utf-8"
    assert result.headers["content-type"] == "text/html; charset=UTF-8"
    assert not result.not_modified
    assert result.history == ()
    assert result.elapsed > 0


def test_sends_a_clear_user_agent_and_asks_only_for_encodings_it_decodes(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/ua", b"ok")
    make_fetcher().fetch(server.url("/ua"))
    (seen,) = server.hits("/ua")
    assert seen.headers["user-agent"] == DEFAULT_USER_AGENT
    assert "KhabarBot" in DEFAULT_USER_AGENT
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in seen.headers


def _conditional(handler: BaseHTTPRequestHandler) -> None:
    """Answer 304 when the client holds the current ETag or Last-Modified, else the feed."""
    etag, modified = '"v1"', "Wed, 21 Oct 2026 07:28:00 GMT"
    if handler.headers.get("If-None-Match") == etag:
        respond(handler, 304, headers={"ETag": etag})
    elif handler.headers.get("If-Modified-Since") == modified:
        respond(handler, 304)
    else:
        headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": "application/rss+xml"}
        respond(handler, 200, b"<rss/>", headers)


def test_conditional_get_with_etag_returns_304_without_body(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/feed"] = _conditional
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/feed"))
    assert first.status == 200 and first.etag == '"v1"'
    second = fetcher.fetch(server.url("/feed"), etag=first.etag)
    assert second.status == 304 and second.not_modified
    assert second.content == b"" and second.text() == ""
    assert second.etag == '"v1"'
    hits = server.hits("/feed")
    assert len(hits) == 2
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified_keeps_the_validator_on_304(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/feed"] = _conditional
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/feed"))
    assert first.last_modified == "Wed, 21 Oct 2026 07:28:00 GMT"
    second = fetcher.fetch(server.url("/feed"), last_modified=first.last_modified)
    assert second.not_modified
    # The 304 repeats no validator: the one the caller holds is still the current one.
    assert second.last_modified == first.last_modified
    assert second.etag is None
    assert server.hits("/feed")[1].headers["if-modified-since"] == first.last_modified


def test_a_changed_resource_answers_200_despite_validators(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/feed"] = _conditional
    result = make_fetcher().fetch(server.url("/feed"), etag='"old"')
    assert result.status == 200 and result.content == b"<rss/>" and result.etag == '"v1"'


def test_a_validator_with_a_line_break_is_refused_before_sending(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    with pytest.raises(FetchError, match="line break"):
        make_fetcher().fetch(server.url("/feed"), etag='"v1"\r\nX-Evil: 1')
    assert server.requests == []


def test_fetcher_is_a_context_manager_that_closes_its_connections(server: LocalServer) -> None:
    server.serve("/x", b"ok")
    with Fetcher(FetchSettings(allow_loopback=True, host_delay=0, obey_robots=False)) as fetcher:
        assert fetcher.fetch(server.url("/x")).content == b"ok"
    assert fetcher._client.is_closed


def test_unsupported_schemes_are_refused(make_fetcher: MakeFetcher) -> None:
    for url in ("ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://x/", "feed.xml"):
        with pytest.raises(UnsupportedSchemeError, match=r"http:// and https://"):
            make_fetcher().fetch(url)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("connect_timeout", 0),
        ("max_bytes", -1),
        ("max_attempts", 0),
        ("host_delay", -0.5),
        ("max_decompression_ratio", 0.5),
        ("user_agent", "Bot\r\nX: y"),
    ],
)
def test_settings_refuse_values_that_cannot_work(field: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=field.split("_")[0]):
        FetchSettings(**{field: value})  # type: ignore[arg-type]


def test_settings_defaults_are_safe() -> None:
    settings = FetchSettings()
    assert settings.max_bytes == 10 * 1024 * 1024
    assert settings.max_redirects == 5 and settings.max_attempts == 3
    assert not settings.allow_private and not settings.allow_loopback
    assert settings.obey_robots and settings.host_delay == 1.0


def test_every_fetch_error_is_a_khabar_error() -> None:
    for error in (
        BlockedAddressError,
        RobotsDisallowedError,
        TooLargeError,
        TooManyRedirectsError,
        HTTPStatusError,
        FetchTimeoutError,
        NetworkError,
        UnsupportedSchemeError,
        DecompressionBombError,
    ):
        assert issubclass(error, FetchError) and issubclass(error, KhabarError)
