"""Fetch feeds, sitemaps, wires and pages over HTTP: politely, safely, and without mojibake.

    with Fetcher(FetchSettings()) as fetcher:
        result = fetcher.fetch(url, etag=saved_etag, last_modified=saved_last_modified)
        if not result.not_modified:
            text = result.text()

Every failure is a FetchError (khabar.fetch.errors) whose message says what to do next.
`khabar.fetch.testing` serves pages on 127.0.0.1 for tests.
"""

from khabar.arabic.encoding import decode_bytes, parse_content_type
from khabar.fetch.errors import (
    BlockedAddressError,
    ContentEncodingError,
    DecompressionBombError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    NetworkError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from khabar.fetch.fetcher import Fetcher
from khabar.fetch.policy import AddressPolicy, Resolver, address_kind
from khabar.fetch.result import FetchResult
from khabar.fetch.settings import DEFAULT_USER_AGENT, FetchSettings

__all__ = [
    "DEFAULT_USER_AGENT",
    "AddressPolicy",
    "BlockedAddressError",
    "ContentEncodingError",
    "DecompressionBombError",
    "FetchError",
    "FetchResult",
    "FetchSettings",
    "FetchTimeoutError",
    "Fetcher",
    "HTTPStatusError",
    "InvalidURLError",
    "NetworkError",
    "Resolver",
    "RobotsDisallowedError",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnsupportedSchemeError",
    "address_kind",
    "decode_bytes",
    "parse_content_type",
]
