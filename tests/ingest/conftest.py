"""A news site on 127.0.0.1 for ingest tests: feeds, pages and wires served from memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Site:
    """Pages by path; counts requests so tests can see what was fetched."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.hits: dict[str, int] = {}
        self.base = ""

    def put(
        self,
        path: str,
        body: str | bytes,
        ctype: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, ctype, data, headers or {})
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
            if self.path == "/robots.txt" and self.path not in state.pages:
                self.send_response(404)
                self.end_headers()
                return
            status, ctype, data, headers = state.pages.get(
                self.path, (404, "text/plain", b"not found", {})
            )
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(settings) -> None:
    """Let the fetcher reach the test server on 127.0.0.1, with no politeness delay."""
    settings.KHABAR_FETCH_ALLOW_LOOPBACK = True
    settings.KHABAR_FETCH_HOST_DELAY = 0.0
    settings.KHABAR_FETCH_BACKOFF = 0.01
