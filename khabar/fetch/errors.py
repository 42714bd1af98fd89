"""The errors `khabar.fetch` raises: each says what happened to which URL and what to do next."""

from __future__ import annotations

from khabar.errors import KhabarError

__all__ = [
    "BlockedAddressError",
    "ContentEncodingError",
    "DecompressionBombError",
    "FetchError",
    "FetchTimeoutError",
    "HTTPStatusError",
    "InvalidURLError",
    "NetworkError",
    "RobotsDisallowedError",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnsupportedSchemeError",
]


class FetchError(KhabarError):
    """A URL could not be fetched; `url` names it when known."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class InvalidURLError(FetchError):
    """The URL cannot be fetched as written (no host, credentials in it, unparsable)."""


class UnsupportedSchemeError(InvalidURLError):
    """The URL's scheme is not http or https."""


class BlockedAddressError(FetchError):
    """The host is, or resolves to, an address the policy refuses (private, loopback...)."""


class RobotsDisallowedError(FetchError):
    """The site's robots.txt disallows the URL, or could not be read (which disallows for now)."""


class TooLargeError(FetchError):
    """The response body is larger than FetchSettings.max_bytes."""


class DecompressionBombError(FetchError):
    """A compressed body expands past the size cap or the allowed expansion ratio."""


class ContentEncodingError(FetchError):
    """The body is compressed in a way Khabar does not decode, or the compressed data is corrupt."""


class TooManyRedirectsError(FetchError):
    """The redirects go round in a loop or are more than FetchSettings.max_redirects."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, or 5xx after the retries)."""

    def __init__(
        self, message: str, *, url: str, status: int, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class FetchTimeoutError(FetchError):
    """Connecting, reading or the whole request took longer than the settings allow."""


class NetworkError(FetchError):
    """The connection failed: refused, reset, unresolvable host, broken protocol."""
