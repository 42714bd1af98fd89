"""Read a streamed response body within a size cap, decompressing a piece at a time.

gzip and deflate are decoded here rather than by httpx, because zlib's `max_length` lets the
body grow 64 KB at a time: a bomb is stopped as it passes the cap, and never expands in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

from khabar.fetch.errors import ContentEncodingError, DecompressionBombError, TooLargeError

__all__ = ["ACCEPT_ENCODING", "read_body"]

ACCEPT_ENCODING = "gzip, deflate"
_PIECE = 64 * 1024
# Below this decoded size the expansion ratio is not judged: small, repetitive pages
# (an empty feed, a page of spaces) compress very well and are harmless.
_RATIO_FLOOR = 1024 * 1024
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _Decoder:
    """Pass the body through unchanged, or inflate gzip/deflate in pieces of at most 64 KB."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding
        self.fed = 0
        self._zlib = zlib.decompressobj(_WBITS[encoding]) if encoding else None
        self._produced = 0
        self._raw_tried = False

    @property
    def consumed(self) -> int:
        """Return how many compressed bytes have been decoded so far."""
        tail = len(self._zlib.unconsumed_tail) if self._zlib else 0
        return self.fed - tail

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """Yield the decoded pieces of the next raw chunk."""
        self.fed += len(chunk)
        if self._zlib is None:
            yield chunk
            return
        data = chunk
        while True:
            piece = self._inflate(data)
            self._produced += len(piece)
            if piece:
                yield piece
            data = self._zlib.unconsumed_tail
            if (not data and len(piece) < _PIECE) or self._zlib.eof:
                return

    def flush(self) -> bytes:
        """Return what zlib still holds once the body has ended."""
        return self._zlib.flush() if self._zlib else b""

    def _inflate(self, data: bytes) -> bytes:
        assert self._zlib is not None
        try:
            return self._zlib.decompress(data, _PIECE)
        except zlib.error:
            if self.encoding != "deflate" or self._produced or self._raw_tried:
                raise
            # "deflate" often means a raw deflate stream, without the zlib header RFC 9110 asks.
            self._raw_tried = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._zlib.decompress(data, _PIECE)


def _content_encoding(response: httpx.Response, url: str) -> str | None:
    """Return the one compression to undo (None for none), or refuse what cannot be undone."""
    value: str = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in value.split(",")]
    codings = [c for c in codings if c not in ("", "identity")]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in _WBITS:
        return codings[0]
    raise ContentEncodingError(
        f"{url} came compressed as {value!r}, which Khabar does not decode (it asks for "
        f"{ACCEPT_ENCODING}): the server ignores Accept-Encoding; report it to the site.",
        url=url,
    )


class _Tally:
    """Count raw and decoded bytes, and stop the read when either passes the limits."""

    def __init__(self, url: str, max_bytes: int, max_ratio: float, compressed: bool) -> None:
        self.url = url
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.compressed = compressed
        self.parts: list[bytes] = []
        self.size = 0

    def raw(self, received: int) -> None:
        if received > self.max_bytes:
            raise TooLargeError(
                f"{self.url} sent more than {_mb(self.max_bytes)}, the limit: raise "
                "FetchSettings.max_bytes if this source really needs more.",
                url=self.url,
            )

    def add(self, piece: bytes, consumed: int) -> None:
        self.parts.append(piece)
        self.size += len(piece)
        if self.size > self.max_bytes:
            if not self.compressed:
                self.raw(self.size)
            raise DecompressionBombError(
                f"{self.url} expands from {consumed:,} compressed bytes to more than "
                f"{_mb(self.max_bytes)}, the limit: refused as a decompression bomb.",
                url=self.url,
            )
        ratio = self.size / max(consumed, 1)
        if self.compressed and self.size >= _RATIO_FLOOR and ratio > self.max_ratio:
            raise DecompressionBombError(
                f"{self.url} expands {ratio:.0f} times ({consumed:,} compressed bytes give "
                f"{self.size:,} so far), past the allowed {self.max_ratio:g}: refused as a "
                "decompression bomb; raise FetchSettings.max_decompression_ratio if it is real.",
                url=self.url,
            )


def _check_declared_length(response: httpx.Response, url: str, max_bytes: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise TooLargeError(
            f"{url} is {int(declared):,} bytes (Content-Length), over the {_mb(max_bytes)} "
            "limit: raise FetchSettings.max_bytes if this source really needs more.",
            url=url,
        )


def read_body(response: httpx.Response, *, url: str, max_bytes: int, max_ratio: float) -> bytes:
    """Read and decode a streamed body, refusing oversize bodies and decompression bombs."""
    _check_declared_length(response, url, max_bytes)
    decoder = _Decoder(_content_encoding(response, url))
    tally = _Tally(url, max_bytes, max_ratio, compressed=decoder.encoding is not None)
    try:
        for chunk in response.iter_raw():
            tally.raw(decoder.fed + len(chunk))
            for piece in decoder.feed(chunk):
                tally.add(piece, decoder.consumed)
        tally.add(decoder.flush(), decoder.consumed)
    except zlib.error as exc:
        raise ContentEncodingError(
            f"{url} claims {decoder.encoding} compression but the data is corrupt ({exc}): "
            "try again later; if it persists, the site is broken.",
            url=url,
        ) from exc
    return b"".join(tally.parts)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
