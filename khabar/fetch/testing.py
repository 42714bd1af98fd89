"""Local servers for tests: serve pages, feeds and failures on this machine, never the internet."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self, cast

__all__ = ["LocalServer", "Seen", "SilentServer", "closed_port", "respond"]

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Seen:
    """One request a LocalServer received."""

    path: str
    headers: Mapping[str, str]
    at: float


def respond(
    handler: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    *,
    length: bool = True,
) -> None:
    """Send a whole response; `length=False` leaves out Content-Length (the body ends at close)."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        owner = cast(_Server, self.server).owner
        owner._enter(self)
        try:
            route = owner.routes.get(self.path.split("?")[0])
            if route is None:
                respond(self, 404, b"not found", {"Content-Type": "text/plain"})
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # The client gave up on purpose (a size cap, a timeout).
        finally:
            owner._leave()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class LocalServer:
    """An HTTP/1.0 server in a thread, answering each path with a route, recording requests."""

    def __init__(self, host: str = "127.0.0.1", *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self._scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval, so that stop() returns at once rather than after half a second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        """Return the URL of a path on this server."""
        host = str(self._server.server_address[0])
        return f"{self._scheme}://{host}:{self.port}{path}"

    def serve(
        self, path: str, body: bytes, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer `path` with a fixed response."""
        self.routes[path] = lambda handler: respond(handler, status, body, headers)

    def hits(self, path: str) -> list[Seen]:
        """Return the requests received for a path (query string ignored)."""
        with self._lock:
            return [seen for seen in self.requests if seen.path.split("?")[0] == path]

    def start(self) -> Self:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _enter(self, handler: BaseHTTPRequestHandler) -> None:
        headers = {name.lower(): value for name, value in handler.headers.items()}
        with self._lock:
            self.requests.append(Seen(handler.path, headers, time.monotonic()))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class SilentServer:
    """A TCP server that accepts connections and never answers: a host that hangs."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._socket = socket.create_server((host, 0))
        # accept() wakes up now and then to see whether the server was stopped.
        self._socket.settimeout(0.05)
        self._stopped = threading.Event()
        self._accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, path: str = "/") -> str:
        """Return the URL of a path on this server."""
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}{path}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._accepted.append(connection)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        self._thread.join()
        self._socket.close()
        for connection in self._accepted:
            connection.close()


def closed_port(host: str = "127.0.0.1") -> int:
    """Return a port nothing listens on (bound, then released), to provoke connection refused."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
