"""Full-page cache of the reader site: rendered once, served to every anonymous reader.

What is cached: anonymous GET/HEAD requests for reader pages that answer 200 with no cookie set.
Never the newsroom (/admin/), the API, static or media files, live-blog event streams, requests
carrying a session cookie (an editor logged in sees fresh pages), or streaming responses.

Invalidation: every save or delete of something a page shows (articles, blocks, stories, sections,
media, comments, live entries, authors, agencies, tags, channels) bumps one *generation*. The key
of a page holds the generation, so a bump makes every old page unreachable at once. The generation
lives where every worker process can read it cheaply: a small file in KHABAR_DATA (embedded), or a
Redis key when KHABAR_REDIS_URL is set (several machines). Each process re-reads it at most once
per second, so a reader sees a page at most about a second older than the editor's publish.

A page lives at most KHABAR_PAGE_CACHE_TTL seconds (60), and never past the next scheduled
publish time, so an article published in the future appears on time with no save to bump anything.

Two entry points share one cache: `PageCacheMiddleware` (Django: stores pages, serves hits under
any server) and `ASGIFastPath` (wraps the ASGI application: serves hits from this process's memory
before Django builds a request, which is what makes cached pages cheap under uvicorn).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.cookie import parse_cookie
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import trans_real

from khabar.newsroom import signals

logger = logging.getLogger(__name__)

# Paths never cached: the newsroom, the API, files served by WhiteNoise or the media view.
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/")
# Server-Sent Events of a live blog: a stream that must reach each reader as it happens.
EVENT_STREAM = re.compile(r"^/live/[^/]+/events")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers the cache writes itself when it answers; anything stored under these names is dropped.
OWN_HEADERS = frozenset(
    {"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary"}
)
MAX_PAGE_BYTES = 4 * 1024 * 1024
GENERATION_KEY = "generation"

Headers = list[tuple[str, str]]
T = TypeVar("T")


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --------------------------------------------------------------------------- the generation


class FileGenerationStore:
    """The generation as the content of a small file: one machine, any number of processes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> str:
        """The current generation ("0" before the first bump)."""
        try:
            return self.path.read_text(encoding="ascii").strip() or "0"
        except FileNotFoundError:
            return "0"

    def write(self, value: str) -> None:
        """Replace the generation atomically, so a reader never sees half a value."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(value, encoding="ascii")
        os.replace(tmp, self.path)


class CacheGenerationStore:
    """The generation as a key of a Django cache (Redis when KHABAR_REDIS_URL is set)."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def read(self) -> str:
        """The current generation ("0" before the first bump)."""
        return str(self.cache.get(GENERATION_KEY) or "0")

    def write(self, value: str) -> None:
        """Store the new generation with no expiry."""
        self.cache.set(GENERATION_KEY, value, timeout=None)


class Generation:
    """The shared generation, re-read at most once per `interval` seconds by each process."""

    def __init__(self, store: FileGenerationStore | CacheGenerationStore, interval: float) -> None:
        self.store = store
        self.interval = interval
        self._value = ""
        self._checked = -1e18

    def current(self) -> str:
        """The generation, as this process last read it (at most `interval` seconds ago)."""
        now = time.monotonic()
        if now - self._checked >= self.interval:
            self._value = self.store.read()
            self._checked = now
        return self._value

    def bump(self) -> str:
        """Start a new generation: every page cached so far becomes unreachable."""
        value = f"{time.time_ns():x}{secrets.token_hex(3)}"
        self.store.write(value)
        self._value, self._checked = value, time.monotonic()
        return value


# --------------------------------------------------------------------------- entries


@dataclass(slots=True)
class Entry:
    """One rendered page: both bodies, its headers and validators, and when it expires."""

    status: int
    headers: Headers
    body: bytes
    gzipped: bytes
    etag: str
    created: int
    expires: float
    vary: str = "Accept-Encoding"
    size: int = field(init=False)
    last_modified: str = field(init=False)
    raw_headers: list[tuple[bytes, bytes]] = field(init=False)

    def __post_init__(self) -> None:
        self.size = len(self.body) + len(self.gzipped) + 200 * len(self.headers) + 300
        self.last_modified = http_date(self.created)
        # Encoded once, for the ASGI fast path, which answers with bytes.
        self.raw_headers = [
            (n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in self.headers
        ]

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """True when the client's copy is this page (RFC 9110: If-None-Match wins)."""
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or self.etag.removeprefix("W/") in tags
        if if_modified_since is not None:
            since = parse_http_date_safe(if_modified_since)
            return since is not None and self.created <= since
        return False

    def answer(
        self,
        *,
        gzip_ok: bool,
        not_modified: bool,
        head: bool,
        hit: bool,
        max_age: int = 5,
        stale: int = 30,
    ) -> tuple[int, Headers, bytes]:
        """Status, headers and body to send for one request (a 304 has no stored headers)."""
        status, headers, body = self.answer_own(gzip_ok, not_modified, head, hit, max_age, stale)
        return status, headers if not_modified else [*self.headers, *headers], body

    def answer_own(
        self, gzip_ok: bool, not_modified: bool, head: bool, hit: bool, max_age: int, stale: int
    ) -> tuple[int, Headers, bytes]:
        """Status, the headers the cache writes itself, and the body, for one request."""
        # Downstream caches never keep a page past the moment it leaves this cache.
        max_age = min(max_age, max(0, int(self.expires - time.time())))
        headers = [
            ("ETag", self.etag),
            ("Last-Modified", self.last_modified),
            ("Cache-Control", f"public, max-age={max_age}, stale-while-revalidate={stale}"),
            ("Vary", self.vary),
            ("X-Khabar-Cache", "hit" if hit else "miss"),
        ]
        if not_modified:
            return 304, headers, b""
        body = self.gzipped if gzip_ok else self.body
        if gzip_ok:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return self.status, headers, b"" if head else body


def make_entry(response: HttpResponseBase, ttl: float) -> Entry | None:
    """An entry for a response the cache may keep, else None (cookies, errors, streams...)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if response.has_header("Set-Cookie") or response.has_header("Content-Encoding"):
        return None
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return None
    body = response.content  # type: ignore[attr-defined]
    if len(body) > MAX_PAGE_BYTES:
        return None
    headers = [(n, v) for n, v in response.items() if n.lower() not in OWN_HEADERS]
    varies = {p.strip() for p in response.get("Vary", "").split(",") if p.strip()}
    digest = hashlib.blake2b(body, digest_size=10).hexdigest()
    entry = Entry(
        status=200,
        headers=headers,
        body=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        etag=f'W/"{digest}"',
        created=int(time.time()),
        expires=time.time() + ttl,
        vary=", ".join(sorted(varies | {"Accept-Encoding"})),
    )
    return entry


class PageLRU:
    """This process's pages, least recently used dropped first, within a byte budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._pages: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str) -> Entry | None:
        """The live entry under key, or None (an expired one is dropped)."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            if entry.expires <= time.time():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        """Keep entry, evicting the least recently used pages past the budget."""
        if entry.size > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._pages.clear()
            self.bytes = 0

    def _drop(self, key: str) -> None:
        self.bytes -= self._pages.pop(key).size


# --------------------------------------------------------------------------- the cache


_languages: dict[tuple[str | None, str], str] = {}


def request_language(cookies: dict[str, str], accept_language: str) -> str:
    """The language LocaleMiddleware will pick for these cookies and Accept-Language header."""
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    known = _languages.get((chosen, accept_language))
    if known is not None:
        return known
    fake = SimpleNamespace(COOKIES=cookies, META={"HTTP_ACCEPT_LANGUAGE": accept_language})
    language = str(trans_real.get_language_from_request(fake, check_path=False))  # type: ignore[arg-type]
    if len(_languages) > 1000:  # headers are the client's to choose: keep the memo bounded
        _languages.clear()
    _languages[(chosen, accept_language)] = language
    return language


def cacheable_request(method: str, path: str, cookies: dict[str, str], authorized: bool) -> bool:
    """True when a request may be answered from, or stored in, the page cache."""
    if method not in ("GET", "HEAD") or authorized:
        return False
    if path.startswith(EXCLUDED_PREFIXES) or EVENT_STREAM.match(path):
        return False
    return settings.SESSION_COOKIE_NAME not in cookies


class PageCache:
    """The pages of one process (an LRU), optionally backed by a shared Django cache (Redis)."""

    def __init__(self) -> None:
        self.enabled = bool(_setting("KHABAR_PAGE_CACHE", True))
        self.ttl = float(_setting("KHABAR_PAGE_CACHE_TTL", 60))
        # Read once: settings are looked up through a lazy object, which costs on every hit.
        self.max_age = int(_setting("KHABAR_PAGE_MAX_AGE", 5))
        self.stale = int(_setting("KHABAR_PAGE_STALE", 30))
        self.digits = str(_setting("KHABAR_DIGITS", ""))
        self.proxy_header: tuple[str, str] | None = settings.SECURE_PROXY_SSL_HEADER
        self.local = PageLRU(int(float(_setting("KHABAR_PAGE_CACHE_MB", 64)) * 1024 * 1024))
        self.shared: Any = None
        if _setting("KHABAR_REDIS_URL", ""):
            from django.core.cache import caches

            self.shared = caches["pages"]
            store: FileGenerationStore | CacheGenerationStore = CacheGenerationStore(self.shared)
        else:
            store = FileGenerationStore(Path(settings.DATA_DIR) / "page-generation")
        self.generation = Generation(store, float(_setting("KHABAR_PAGE_GENERATION_CHECK", 1.0)))
        self._seen_generation = ""
        self._next_publish: tuple[str, float | None] | None = None
        self._memo: dict[str, tuple[str, float, Any]] = {}

    def key(self, scheme: str, host: str, language: str, path: str, query: str) -> str:
        """The cache key of a page: generation, address, language and digits."""
        generation = self.generation.current()
        return f"{generation}|{scheme}://{host}{path}?{query}|{language}|{self.digits}"

    def get(self, key: str, *, shared: bool = True) -> Entry | None:
        """The entry under key from this process, else (if `shared`) from the shared cache."""
        generation = key.partition("|")[0]
        if generation != self._seen_generation:
            # A new generation: the pages held here are unreachable, free their memory now.
            self.local.clear()
            self._seen_generation = generation
            self._next_publish = None
        entry = self.local.get(key)
        if entry is None and shared and self.shared is not None:
            entry = self.shared.get(key)
            if entry is not None and entry.expires > time.time():
                self.local.put(key, entry)
            else:
                entry = None
        return entry

    def store(self, key: str, response: HttpResponseBase) -> Entry | None:
        """Keep a freshly rendered page if it may be cached; its entry, or None."""
        ttl = self.ttl
        publish_at = self.next_scheduled_publish(key.partition("|")[0])
        if publish_at is not None:
            ttl = min(ttl, publish_at - time.time())
        if ttl <= 0:
            return None
        entry = make_entry(response, ttl)
        if entry is None:
            return None
        self.local.put(key, entry)
        if self.shared is not None:
            self.shared.set(key, entry, timeout=max(1, int(ttl)))
        return entry

    def next_scheduled_publish(self, generation: str) -> float | None:
        """When the next article scheduled for later goes out (a Unix time), or None."""
        known = self._next_publish
        if known is not None and known[0] == generation and (known[1] or 1e18) > time.time():
            return known[1]
        from django.db.models import Min
        from django.utils import timezone

        from khabar.newsroom.models import Article

        at = (
            Article.objects.filter(
                status=Article.Status.PUBLISHED,
                published_at__gt=timezone.now(),
                duplicate_of__isnull=True,
            )
            .aggregate(at=Min("published_at"))
            .get("at")
        )
        value = at.timestamp() if at is not None else None
        self._next_publish = (generation, value)
        return value

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """compute() once per generation in this process, kept at most as long as a page."""
        generation = self.generation.current()
        now = time.time()
        known = self._memo.get(name)
        if known is not None and known[0] == generation and known[1] > now:
            return known[2]  # type: ignore[no-any-return]
        value = compute()
        publish_at = self.next_scheduled_publish(generation)
        expires = min(now + self.ttl, publish_at if publish_at is not None else now + self.ttl)
        self._memo[name] = (generation, expires, value)
        return value

    def clear(self) -> None:
        """Forget every page, here and everywhere (a new generation)."""
        self.local.clear()
        self.generation.bump()


_cache: PageCache | None = None
_cache_lock = threading.Lock()


def page_cache() -> PageCache:
    """This process's page cache, made on first use from the settings."""
    global _cache
    if _cache is None:
        with _cache_lock:
            if _cache is None:
                _cache = PageCache()
    return _cache


def per_generation(name: str, compute: Callable[[], T]) -> T:
    """The value of compute(), computed once per page generation in this process.

    For what every page shows around its content (menus, the stories strip): it changes only
    when something is saved, which starts a new generation, so a page missing the cache still
    need not ask the database for it. Like a page, it is kept at most KHABAR_PAGE_CACHE_TTL
    seconds and never past the next scheduled publish. KHABAR_PAGE_CACHE=0 turns off whole
    pages only: this memo follows the same generation, so it is as fresh with the cache off.
    """
    return page_cache().memo(name, compute)


def reset() -> None:
    """Drop this process's cache object, so the next use reads the settings again (tests)."""
    global _cache
    _cache = None


# --------------------------------------------------------------------------- Django middleware


class PageCacheMiddleware:
    """Serve anonymous readers from the page cache; store what they are served; answer 304s.

    Put it first in MIDDLEWARE, so a stored page holds every header the other middleware add.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        cache = page_cache()
        authorized = "HTTP_AUTHORIZATION" in request.META
        if not cache.enabled or not cacheable_request(
            request.method or "", request.path, request.COOKIES, authorized
        ):
            return self.get_response(request)
        language = request_language(request.COOKIES, request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        key = cache.key(
            request.scheme or "http",
            request.get_host(),
            language,
            request.path,
            request.META.get("QUERY_STRING", ""),
        )
        entry = cache.get(key)
        hit = entry is not None
        if entry is None:
            response = self.get_response(request)
            entry = cache.store(key, response)
            if entry is None:
                return response
        status, headers, body = entry.answer(
            gzip_ok=bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))),
            not_modified=entry.not_modified(
                request.META.get("HTTP_IF_NONE_MATCH"), request.META.get("HTTP_IF_MODIFIED_SINCE")
            ),
            head=False,  # the server drops a HEAD body; Content-Length stays the GET's
            hit=hit,
            max_age=cache.max_age,
            stale=cache.stale,
        )
        answer = HttpResponse(body, status=status)
        for name, value in headers:
            answer.headers[name] = value
        return answer


# --------------------------------------------------------------------------- ASGI fast path

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ASGIFastPath:
    """Answer cached pages straight from this process's memory, before Django runs.

    Only pages already in this process's cache are answered here; everything else (a miss, a
    cookie, the newsroom) goes to Django, whose middleware stores the page for the next reader.
    The key is built from the same parts as the middleware's, so it can only find a page Django
    itself served for the same address, host, language and generation.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a cached page, or hand the request to the wrapped application."""
        answer = self._cached(scope) if scope["type"] == "http" else None
        if answer is None:
            await self.app(scope, receive, send)
            return
        status, raw, body = answer
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    def _cached(self, scope: Scope) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        cache = page_cache()
        if not cache.enabled:
            return None
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            headers[name.decode("latin-1")] = value.decode("latin-1")
        cookies = parse_cookie(headers["cookie"]) if "cookie" in headers else {}
        method, path = scope["method"], scope["path"]
        host = headers.get("host")
        if host is None or not cacheable_request(method, path, cookies, "authorization" in headers):
            return None
        key = cache.key(
            _scheme(scope, headers, cache.proxy_header),
            host,
            request_language(cookies, headers.get("accept-language", "")),
            path,
            scope.get("query_string", b"").decode("latin-1"),
        )
        entry = cache.get(key, shared=False)
        if entry is None:
            return None
        not_modified = entry.not_modified(
            headers.get("if-none-match"), headers.get("if-modified-since")
        )
        status, own, body = entry.answer_own(
            bool(ACCEPTS_GZIP.search(headers.get("accept-encoding", ""))),
            not_modified,
            method == "HEAD",
            True,
            cache.max_age,
            cache.stale,
        )
        raw = [] if not_modified else list(entry.raw_headers)
        raw += [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in own]
        return status, raw, body


def _scheme(scope: Scope, headers: dict[str, str], proxy: tuple[str, str] | None) -> str:
    """The scheme Django's request.scheme reports for this request."""
    if proxy:
        name, secure = proxy
        value = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower())
        if value is not None:
            return "https" if value.split(",")[0].strip() == secure else "http"
    return str(scope.get("scheme", "http"))


# --------------------------------------------------------------------------- invalidation


def bump(**_: Any) -> None:
    """Invalidate every cached page now, and again once the writing transaction commits.

    Bumping now keeps a process's own next request fresh (and tests, whose transactions never
    commit); bumping after the commit drops any page rendered between the save and the commit.
    Inside `signals.batched()` (a bulk ingest) the bump waits for the end of the batch: one
    new generation for a chunk of articles instead of two per article.
    """
    from django.db import connection, transaction

    if signals.in_batch():
        signals.note_change()
        return
    cache = page_cache()
    cache.clear()
    if connection.in_atomic_block and not any(
        pending[1] is _bump_after_commit for pending in connection.run_on_commit
    ):
        transaction.on_commit(_bump_after_commit)


def _bump_after_commit() -> None:
    page_cache().clear()


def _comment_saved(instance: Any, created: bool, **kwargs: Any) -> None:
    # A new comment waiting for moderation changes no page: a flood of them must not empty
    # the cache. Approving, rejecting or editing one does.
    if created and instance.status != instance.Status.APPROVED:
        return
    bump()


def connect_signals() -> None:
    """Bump the generation whenever something a reader page shows is saved or deleted."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from khabar.newsroom import models as news
    from khabar.site.models import Channel

    senders = [
        news.Article,
        news.Block,
        news.Story,
        news.Section,
        news.Media,
        news.Video,
        news.LiveEvent,
        news.LiveEntry,
        news.Author,
        news.Agency,
        news.Entity,
        Channel,
    ]
    for model in senders:
        post_save.connect(bump, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    for model in [*senders, news.Comment]:
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache-del-{model.__name__}")
    post_save.connect(_comment_saved, sender=news.Comment, dispatch_uid="pagecache-save-Comment")
    signals.content_changed.connect(bump, dispatch_uid="pagecache-content-changed")
    for through in (
        news.Article.agencies.through,
        news.Article.entities.through,
        news.Article.authors.through,
        news.Story.kept_apart.through,
    ):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}")


class SyncPagesMiddleware:
    """Last in MIDDLEWARE: keep a page's whole trip through Django on one thread under ASGI.

    Django adapts each middleware to the mode of the one inside it. With an async-capable
    middleware innermost, a sync view under ASGI hops between the event loop and a new thread
    for every middleware (2 ms of CPU a request, measured); a sync-only one innermost makes the
    chain sync, entered once. Async views (the live blog's event stream) still return their
    streaming response, which the ASGI handler then sends from the event loop.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)
