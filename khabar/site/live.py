"""Live coverage (مباشر): the events list, an event's page and live blog, its SSE stream, JSON-LD.

New entries reach readers as Server-Sent Events. Each process runs one poller per event that
is being watched (an asyncio task asking the database for entries newer than the last one it
saw, every POLL_SECONDS); every connected reader of that event gets its entries from that one
poller, so a thousand readers cost two small indexed queries per tick, not a thousand.
Edits, removals and the event going off the air travel the same way, as named events (`edit`,
`remove`, `status`) read from the LiveChange rows the newsroom writes
(khabar.newsroom.live_changes). An entry's SSE id is its number, so a reconnecting reader's
Last-Event-ID resumes the entries; changes are replayed from the page's `?changes=` mark, which
does no harm: each of them can be applied twice.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.db import DatabaseError, close_old_connections
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from khabar.arabic.numbers import localize_digits
from khabar.newsroom.models import LiveChange, LiveEntry, LiveEvent
from khabar.site import structured
from khabar.site.templatetags.khabar import site_digits

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
EVENTS_SHOWN = 30
POLL_SECONDS = 1.5
HEARTBEAT_SECONDS = 15.0
RETRY_MS = 3000
CATCH_UP_BATCH = 100
# A reader whose connection cannot keep up is dropped; EventSource reconnects with
# Last-Event-ID and catches up from the database, so nothing is lost.
QUEUE_SIZE = 200


# Pages ----------------------------------------------------------------------------------------


def live_index(request: HttpRequest) -> HttpResponse:
    """Live events first, then the most recent ended ones, with their entry counts."""
    events = (
        LiveEvent.objects.annotate(n_entries=Count("entries"))
        .select_related("story")
        .order_by("-is_live", "-started_at", "-id")
    )
    page = Paginator(events, EVENTS_SHOWN).get_page(request.GET.get("page"))
    for event in page:
        event.entries_label = entries_count(event.n_entries)  # type: ignore[attr-defined]
    return render(request, "site/live.html", {"events": page, "page": page, "event": None})


def entries_count(n: int) -> str:
    """A count of updates with Arabic plural agreement: تحديثان، 3 تحديثات، 11 تحديثًا."""
    text = ngettext("%(count)d update", "%(count)d updates", n) % {"count": n}
    return localize_digits(text, site_digits())


def _chronological(event: LiveEvent) -> QuerySet[LiveEntry]:
    return event.entries.filter(pinned=False).order_by("-created_at", "-id")


def _older_than(
    entries: QuerySet[LiveEntry], ref: LiveEntry, *, inclusive: bool = False
) -> QuerySet[LiveEntry]:
    """Keyset page: entries after `ref` in newest-first order (ties broken by id)."""
    same_time = Q(created_at=ref.created_at) & (
        Q(id__lte=ref.pk) if inclusive else Q(id__lt=ref.pk)
    )
    return entries.filter(Q(created_at__lt=ref.created_at) | same_time)


def _entry_param(request: HttpRequest, event: LiveEvent, name: str) -> LiveEntry | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(f"{name}= takes an entry number")
    return get_object_or_404(LiveEntry, event=event, pk=int(raw))


def live_event(request: HttpRequest, slug: str) -> HttpResponse:
    """An event: its player, status and live blog (pinned first, then newest first).

    `?before=<id>` pages to older entries; `?at=<id>` opens the page that starts with that
    entry, where live.js sends a permalink whose entry is no longer on the first page.
    """
    event = get_object_or_404(LiveEvent.objects.select_related("story"), slug=slug)
    before = _entry_param(request, event, "before")
    at = None if before else _entry_param(request, event, "at")
    entries_qs = _chronological(event)
    if before is not None:
        entries_qs = _older_than(entries_qs, before)
    elif at is not None:
        entries_qs = _older_than(entries_qs, at, inclusive=True)
    paged = before is not None or at is not None
    entries = list(entries_qs[: PAGE_SIZE + 1])
    has_older = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    pinned = [] if paged else list(event.entries.filter(pinned=True).order_by("-created_at"))
    for entry in [*pinned, *entries]:
        entry.event = event  # the permalink needs the event's address: no query per entry
    shown = [*pinned, *entries]
    context = {
        "event": event,
        "pinned": pinned,
        "entries": entries,
        "older": entries[-1] if has_older else None,
        "paged": paged,
        "last_id": max((e.pk for e in shown), default=0),
        "last_change": latest_change(event.pk),
        "digits": site_digits(),
        "canonical": request.build_absolute_uri(event.get_absolute_url()),
        "json_ld": structured.as_script(live_blog_posting(request, event, shown)),
    }
    return render(request, "site/live.html", context)


# JSON-LD --------------------------------------------------------------------------------------


def live_blog_posting(
    request: HttpRequest, event: LiveEvent, entries: Iterable[LiveEntry]
) -> dict[str, Any]:
    """The schema.org LiveBlogPosting of an event, with its shown entries as BlogPostings."""
    url = request.build_absolute_uri(event.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": event.title[:110],
        "description": event.description,
        "inLanguage": "ar",
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": event.started_at.isoformat(),
        "coverageStartTime": event.started_at.isoformat(),
        "publisher": {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME},
        "liveBlogUpdate": [_blog_posting(request, e) for e in entries],
    }
    if event.ended_at:
        data["coverageEndTime"] = event.ended_at.isoformat()
    if event.stream_url:
        data["video"] = {
            "@type": "VideoObject",
            "name": event.title,
            "description": event.description or event.title,
            "contentUrl": structured.absolute(request, event.stream_url),
            "uploadDate": event.started_at.isoformat(),
            "publication": {
                "@type": "BroadcastEvent",
                "isLiveBroadcast": True,
                "startDate": event.started_at.isoformat(),
                **({"endDate": event.ended_at.isoformat()} if event.ended_at else {}),
            },
        }
    return data


def _blog_posting(request: HttpRequest, entry: LiveEntry) -> dict[str, Any]:
    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "headline": (entry.title or entry.body)[:110],
        "articleBody": entry.body,
        "datePublished": entry.created_at.isoformat(),
        "url": request.build_absolute_uri(entry.get_absolute_url()),
    }
    if entry.author:
        posting["author"] = {"@type": "Person", "name": entry.author}
    return posting


# Server-Sent Events ---------------------------------------------------------------------------


def render_entry(entry: LiveEntry) -> str:
    """One entry's HTML, the same fragment the page renders."""
    return render_to_string("site/_live_entry.html", {"entry": entry})


def sse_message(entry: LiveEntry) -> bytes:
    """One entry as an SSE message: `id:` is its number, `data:` its JSON (id, html, time)."""
    payload = {
        "id": entry.pk,
        "html": render_entry(entry),
        "created_at": entry.created_at.isoformat(),
    }
    # json.dumps escapes newlines, so the data fits on the one line SSE needs.
    return f"id: {entry.pk}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def entries_after(event_id: int, last: int, limit: int = CATCH_UP_BATCH) -> list[tuple[int, bytes]]:
    """Entries of an event with a number above `last`, oldest first, as SSE messages.

    One query on the (event, id) index; the event is fetched once for all permalinks.
    """
    entries = list(
        LiveEntry.objects.filter(event_id=event_id, id__gt=last)
        .select_related("event")
        .order_by("id")[:limit]
    )
    return [(e.pk, sse_message(e)) for e in entries]


def _named(kind: str, payload: dict[str, Any]) -> bytes:
    # No `id:` line: Last-Event-ID keeps counting entries, which is what a reconnect resumes.
    return f"event: {kind}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def status_message(event: LiveEvent) -> bytes:
    """The event went on or off the air."""
    return _named("status", {"live": event.is_live})


def changes_after(event_id: int, last: int, limit: int = CATCH_UP_BATCH) -> list[tuple[int, bytes]]:
    """Edits, removals and status changes of an event after change `last`, as SSE messages.

    Three indexed queries at most: the changes, the edited entries, the event.
    """
    changes = list(LiveChange.objects.filter(event_id=event_id, id__gt=last).order_by("id")[:limit])
    if not changes:
        return []
    edited = {c.entry_id for c in changes if c.kind == LiveChange.Kind.EDIT}
    entries = LiveEntry.objects.select_related("event").in_bulk(list(edited)) if edited else {}
    event = None
    if any(c.kind == LiveChange.Kind.STATUS for c in changes):
        event = LiveEvent.objects.filter(pk=event_id).only("is_live").first()
    out = []
    for change in changes:
        if change.kind == LiveChange.Kind.EDIT and change.entry_id in entries:
            entry = entries[change.entry_id]
            edit = {"id": entry.pk, "change": change.pk, "html": render_entry(entry)}
            out.append((change.pk, _named("edit", edit)))
        elif change.kind == LiveChange.Kind.REMOVE:
            out.append((change.pk, _named("remove", {"id": change.entry_id})))
        elif change.kind == LiveChange.Kind.STATUS and event is not None:
            out.append((change.pk, status_message(event)))
        # an edit of an entry removed since: its own removal follows
    return out


def latest_change(event_id: int) -> int:
    """The number of an event's newest change, 0 when it has none."""
    found = LiveChange.objects.filter(event_id=event_id).aggregate(top=Max("id"))["top"]
    return int(found or 0)


def latest_id(event_id: int) -> int:
    """The highest entry number of an event, 0 when it has none."""
    found = LiveEntry.objects.filter(event_id=event_id).aggregate(top=Max("id"))["top"]
    return int(found or 0)


@dataclass(eq=False)
class Subscriber:
    """One connected reader: the messages waiting for it."""

    queue: asyncio.Queue[tuple[int, bytes]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE)
    )
    overflowed: bool = False


class EntryPoller:
    """Polls one event's new entries and hands each to every subscriber of this process."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        self.loop = asyncio.get_running_loop()
        self.subscribers: set[Subscriber] = set()
        self.ready = asyncio.Event()
        self.last = 0
        self.last_change = 0
        # A fresh context: the task must not inherit the first request's thread-sensitive
        # executor, which Django shuts down when that request ends.
        self.task = self.loop.create_task(self.run(), context=contextvars.Context())

    def subscribe(self) -> Subscriber:
        """Start receiving this event's new entries."""
        sub = Subscriber()
        self.subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        """Stop receiving; the poller stops at its next tick when nobody is left."""
        self.subscribers.discard(sub)

    def publish(self, messages: list[tuple[int, bytes]]) -> None:
        """Queue new messages for every subscriber; drop readers that cannot keep up."""
        for sub in list(self.subscribers):
            for message in messages:
                try:
                    sub.queue.put_nowait(message)
                except asyncio.QueueFull:
                    sub.overflowed = True
                    self.subscribers.discard(sub)
                    break

    def _alone(self) -> bool:
        """True when no reader is left, after leaving the registry (no await: atomic)."""
        if self.subscribers:
            return False
        if _pollers.get(self.event_id) is self:
            del _pollers[self.event_id]
        return True

    async def run(self) -> None:
        """Poll until no reader is left, then leave the registry."""
        # Readers wait for this starting point; without it they could miss or repeat entries.
        while not self.ready.is_set():
            try:
                self.last, self.last_change = await sync_to_async(_marks)(self.event_id)
                self.ready.set()
            except DatabaseError:
                logger.exception("live: reading where event %s stands failed", self.event_id)
                await sync_to_async(close_old_connections)()
                await asyncio.sleep(POLL_SECONDS)
                if self._alone():
                    return
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if self._alone():
                return
            try:
                messages, changes = await sync_to_async(_news)(
                    self.event_id, self.last, self.last_change
                )
            except Exception:
                # A database hiccup (or a bad entry) must not end every reader's stream: log
                # it and try again next tick.
                logger.exception("live: polling entries of event %s failed", self.event_id)
                # Drop a broken connection (a restarted database) so the next tick reconnects.
                await sync_to_async(close_old_connections)()
                continue
            if messages:
                self.last = messages[-1][0]
                self.publish(messages)
            if changes:
                self.last_change = changes[-1][0]
                self.publish([(CHANGE, message) for _, message in changes])


# Queued in place of an entry number: a change, which a reader always gets (applying one twice
# is harmless), where an entry it already has is skipped.
CHANGE = 0


def _marks(event_id: int) -> tuple[int, int]:
    return latest_id(event_id), latest_change(event_id)


def _news(
    event_id: int, last: int, last_change: int
) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    return entries_after(event_id, last), changes_after(event_id, last_change)


_pollers: dict[int, EntryPoller] = {}


def poller_for(event_id: int) -> EntryPoller:
    """This process's poller for an event, started when its first reader connects."""
    poller = _pollers.get(event_id)
    if poller is None or poller.loop is not asyncio.get_running_loop() or poller.task.done():
        poller = _pollers[event_id] = EntryPoller(event_id)
    return poller


def changes_seen(request: HttpRequest) -> int | None:
    """The page's mark of the changes it was rendered with (`?changes=`), if any."""
    raw = request.GET.get("changes", "").strip()
    return int(raw) if raw.isdigit() else None


def last_seen(request: HttpRequest) -> int | None:
    """The last entry a reader has: Last-Event-ID on reconnect, else ?after= from the page."""
    for raw in (request.headers.get("Last-Event-ID", ""), request.GET.get("after", "")):
        raw = raw.strip()
        if raw.isdigit():
            return int(raw)
    return None


async def _backlog(
    read: Callable[[int, int], list[tuple[int, bytes]]], event_id: int, since: int
) -> AsyncIterator[tuple[int, bytes]]:
    """What `read` gives after `since`, batch after batch, until a batch comes short."""
    while True:
        batch = await sync_to_async(read)(event_id, since)
        for number, message in batch:
            since = number
            yield number, message
        if len(batch) < CATCH_UP_BATCH:
            return


async def stream_entries(
    event_id: int, last: int | None, changed: int | None = None
) -> AsyncIterator[bytes]:
    """The SSE stream of one reader: catch-up from `last` (entries) and `changed` (changes),
    then what comes next, and heartbeats."""
    poller = poller_for(event_id)
    sub = poller.subscribe()  # before catching up, so nothing committed meanwhile is missed
    try:
        await poller.ready.wait()
        yield f"retry: {RETRY_MS}\n\n".encode()
        if last is None:
            last = poller.last  # a reader with no entries yet wants only what comes next
        async for number, message in _backlog(entries_after, event_id, last):
            last = number
            yield message
        if changed is not None and changed < poller.last_change:
            async for _, message in _backlog(changes_after, event_id, changed):
                yield message
        while not sub.overflowed:
            try:
                number, message = await asyncio.wait_for(sub.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                # A comment line keeps proxies from closing an idle connection.
                yield b": ping\n\n"
                continue
            if number == CHANGE:
                yield message
            elif number > last:
                last = number
                yield message
    finally:
        poller.unsubscribe(sub)


def _sse_response(content: Any) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold events back
    return response


async def live_stream(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Server-Sent Events of an event's new entries (served under ASGI)."""
    event = await LiveEvent.objects.filter(slug=slug).only("id").afirst()
    if event is None:
        raise Http404("no live event with this address")
    last = last_seen(request)
    if not isinstance(request, ASGIRequest):
        # Under WSGI an endless stream would hold a worker forever: send what is waiting and
        # close; EventSource reconnects after `retry` with Last-Event-ID, a slow poll.
        start = last if last is not None else await sync_to_async(latest_id)(event.pk)
        batch = await sync_to_async(entries_after)(event.pk, start)
        changed = changes_seen(request)
        if changed is not None:
            batch += await sync_to_async(changes_after)(event.pk, changed)
        # The closing "bye" tells live.js this end is expected, not a lost connection.
        return _sse_response(
            [
                f"retry: {RETRY_MS}\n\n".encode(),
                *(message for _, message in batch),
                b"event: bye\ndata: reconnect\n\n",
            ]
        )
    return _sse_response(stream_entries(event.pk, last, changes_seen(request)))
