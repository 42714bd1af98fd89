"""Size caps, streamed: oversized bodies with and without Content-Length, and gzip bombs."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from khabar.fetch import (
    ContentEncodingError,
    DecompressionBombError,
    Fetcher,
    TooLargeError,
)
from khabar.fetch.testing import LocalServer, respond

MakeFetcher = Callable[..., Fetcher]
MB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)
# 10 MB of zeros: about 10 KB once gzipped.
BOMB = gzip.compress(bytes(10 * MB), compresslevel=9)


def _fifty_megabytes(with_length: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    """Return a route streaming 50 MB in 64 KB chunks, never holding it whole."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        if with_length:
            handler.send_header("Content-Length", str(50 * MB))
        handler.end_headers()
        for _ in range(50 * MB // len(CHUNK)):
            handler.wfile.write(CHUNK)

    return route


def test_a_declared_50_mb_body_is_refused_before_reading_it(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/big"] = _fifty_megabytes(with_length=True)
    started = time.monotonic()
    with pytest.raises(TooLargeError, match=r"52,428,800 bytes \(Content-Length\), over the 10 MB"):
        make_fetcher().fetch(server.url("/big"))
    assert time.monotonic() - started < 2


def test_an_undeclared_50_mb_body_is_cut_off_at_the_cap(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.routes["/big"] = _fifty_megabytes(with_length=False)
    with pytest.raises(TooLargeError, match="sent more than 10 MB") as caught:
        make_fetcher().fetch(server.url("/big"))
    assert caught.value.url == server.url("/big")


def test_a_body_at_the_cap_is_accepted(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.serve("/exact", b"a" * 1000)
    assert len(make_fetcher(max_bytes=1000).fetch(server.url("/exact")).content) == 1000


def test_a_gzip_bomb_is_refused_past_the_cap(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    assert len(BOMB) < 20 * 1024
    server.serve("/bomb", BOMB, headers={"Content-Encoding": "gzip"})
    with pytest.raises(DecompressionBombError, match="refused as a decompression bomb"):
        make_fetcher(max_bytes=MB).fetch(server.url("/bomb"))
    # Even when any ratio is allowed, the decoded size alone stops it at the cap.
    with pytest.raises(DecompressionBombError, match=r"compressed bytes to more than 1 MB"):
        make_fetcher(max_bytes=MB, max_decompression_ratio=1e9).fetch(server.url("/bomb"))


def test_a_gzip_bomb_is_refused_by_its_ratio_under_a_large_cap(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve(
        "/bomb",
        BOMB,
        headers={"Content-Encoding": "gzip"},
    )
    with pytest.raises(DecompressionBombError, match="past the allowed 100"):
        make_fetcher(max_bytes=50 * MB).fetch(server.url("/bomb"))


def test_gzip_and_deflate_bodies_are_decoded(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    text = ("<rss><item>خبر عاجل</item></rss>" * 200).encode()
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.serve("/gz", gzip.compress(text), headers={"Content-Encoding": "gzip"})
    server.serve("/zlib", zlib.compress(text), headers={"Content-Encoding": "deflate"})
    server.serve(
        "/raw",
        raw_deflate.compress(text) + raw_deflate.flush(),
        headers={"Content-Encoding": "deflate"},
    )
    fetcher = make_fetcher()
    for path in ("/gz", "/zlib", "/raw"):
        assert fetcher.fetch(server.url(path)).content == text, path


def test_a_large_honest_gzip_body_is_decoded_in_full(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    # Highly repetitive, but under the ratio: a long sitemap compresses about this well.
    body = b"".join(b"<url><loc>https://example.com/%d</loc></url>\n" % n for n in range(60000))
    server.serve("/sitemap", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert make_fetcher().fetch(server.url("/sitemap")).content == body


def test_an_encoding_khabar_does_not_decode_is_reported(
    server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/br", b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(ContentEncodingError, match="'br'"):
        make_fetcher().fetch(server.url("/br"))


def test_corrupt_gzip_is_reported(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.serve("/bad", b"\x1f\x8b\x08\x00garbage-garbage", headers={"Content-Encoding": "gzip"})
    with pytest.raises(ContentEncodingError, match="corrupt"):
        make_fetcher().fetch(server.url("/bad"))


def test_an_empty_gzip_reply_is_fine(server: LocalServer, make_fetcher: MakeFetcher) -> None:
    server.routes["/empty"] = lambda h: respond(h, 200, b"", {"Content-Encoding": "gzip"})
    assert make_fetcher().fetch(server.url("/empty")).content == b""
