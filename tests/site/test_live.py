"""Live coverage: the pages, the JSON-LD, the SSE stream under ASGI, the demo event."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from khabar.newsroom.demo import live as demo_live
from khabar.newsroom.models import LiveChange, LiveEntry, LiveEvent, Story
from khabar.site import live

pytestmark = pytest.mark.django_db


def make_event(n: int = 3, *, is_live: bool = True, **extra: object) -> LiveEvent:
    """An event with n entries, one minute apart, the last one the newest."""
    start = timezone.now() - timedelta(hours=2)
    event = LiveEvent.objects.create(
        title="مباشر: اجتماع مجلس الوزراء الطارئ",
        description="متابعة لحظية لجلسة استثنائية تناقش موازنة الطوارئ.",
        is_live=is_live,
        started_at=start,
        **extra,
    )
    for i in range(n):
        LiveEntry.objects.create(
            event=event,
            title=f"تحديث رقم {i + 1}",
            body=f"نص التحديث رقم {i + 1} عن مجريات الجلسة.",
            author="مراسلنا",
            created_at=start + timedelta(minutes=i + 1),
        )
    return event


def parse(client: Client, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def test_index_pages_through_older_events(client: Client) -> None:
    start = timezone.now() - timedelta(days=60)
    for i in range(live.EVENTS_SHOWN + 1):
        LiveEvent.objects.create(
            title=f"تغطية {i}", slug=f"ev-{i}", is_live=False, started_at=start + timedelta(days=i)
        )
    first = parse(client, "/live/")
    assert len(first.cssselect(".liveblog-event")) == live.EVENTS_SHOWN
    assert first.cssselect(".pagination a[rel=next]")
    second = parse(client, "/live/?page=2")
    links = [a.get("href") for a in second.cssselect(".liveblog-event .card-title a")]
    assert links == ["/live/ev-0/"]


def entry_ids(doc: lxml_html.HtmlElement, css: str = ".liveblog-entry") -> list[int]:
    return [int(e.get("data-entry")) for e in doc.cssselect(css)]


# Pages ----------------------------------------------------------------------------------------


def test_index_lists_live_events_before_ended_ones(client: Client) -> None:
    ended = make_event(2, is_live=False, slug="old", ended_at=timezone.now())
    on_air = make_event(4, slug="now")
    doc = parse(client, "/live/")
    links = [a.get("href") for a in doc.cssselect(".liveblog-event .card-title a")]
    assert links == [on_air.get_absolute_url(), ended.get_absolute_url()]
    statuses = [" ".join(p.text_content().split()) for p in doc.cssselect(".liveblog-status")]
    assert statuses == ["على الهواء", "انتهت"]
    assert [c.text_content() for c in doc.cssselect(".liveblog-event .count")] == [
        "4 تحديثات",
        "تحديثان",
    ]


def test_entries_count_agrees_with_the_number() -> None:
    got = [live.entries_count(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103)]
    assert got == [
        "لا تحديثات",
        "تحديث واحد",
        "تحديثان",
        "3 تحديثات",
        "10 تحديثات",
        "11 تحديثًا",
        "99 تحديثًا",
        "100 تحديث",
        "102 تحديث",
        "103 تحديثات",
    ]


def test_event_page_pinned_first_then_newest_with_anchors_and_permalinks(client: Client) -> None:
    event = make_event(4)
    old = event.entries.order_by("created_at").first()
    assert old is not None
    old.pinned = True
    old.save()
    doc = parse(client, event.get_absolute_url())
    assert doc.cssselect("h1")[0].text_content().strip() == event.title
    assert " ".join(doc.cssselect(".liveblog-status")[0].text_content().split()) == "على الهواء"
    newest_first = list(
        event.entries.filter(pinned=False).order_by("-created_at").values_list("pk", flat=True)
    )
    assert entry_ids(doc) == [old.pk, *newest_first]
    for pk in entry_ids(doc):
        node = doc.get_element_by_id(f"entry-{pk}")
        link = node.cssselect(".liveblog-permalink")[0]
        assert link.text_content() == "رابط هذا التحديث"
        assert link.get("href") == f"{event.get_absolute_url()}#entry-{pk}"
        stamp = node.cssselect("time")[0]
        assert stamp.get("datetime") and stamp.get("title")  # ISO time, and news_time written
    assert doc.cssselect(".liveblog-pinned .liveblog-pin")[0].text_content() == "مثبّت"
    # Readers without JS have everything; readers with JS resume from the newest shown entry,
    # and from the newest change (pinning the old entry was one).
    feed = doc.get_element_by_id("live-feed")
    after, changes = max([*newest_first, old.pk]), live.latest_change(event.pk)
    assert changes > 0
    assert feed.get("data-stream").endswith(f"?after={after}&changes={changes}")
    assert doc.get_element_by_id("live-announcer").get("aria-live") == "polite"


def test_event_page_json_ld_is_a_live_blog_posting(client: Client) -> None:
    event = make_event(3, is_live=False, ended_at=timezone.now())
    doc = parse(client, event.get_absolute_url())
    scripts = doc.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == event.title
    assert data["coverageStartTime"] == event.started_at.isoformat()
    assert data["coverageEndTime"] == event.ended_at.isoformat()
    updates = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates] == ["BlogPosting"] * 3
    newest = event.entries.order_by("-created_at").first()
    assert updates[0]["headline"] == newest.title
    assert updates[0]["datePublished"] == newest.created_at.isoformat()
    assert urlsplit(updates[0]["url"]).fragment == f"entry-{newest.pk}"
    assert updates[0]["url"].startswith("http://testserver/live/")
    # An ended event shows انتهت and does not open a stream.
    assert " ".join(doc.cssselect(".liveblog-status")[0].text_content().split()) == "انتهت"
    assert doc.get_element_by_id("live-feed").get("data-stream") is None


def test_player_uses_the_sites_own_hls_js_and_no_cdn(client: Client) -> None:
    event = make_event(1, stream_url="/media/live/demo/index.m3u8")
    doc = parse(client, event.get_absolute_url())
    video = doc.cssselect("video#live-video")[0]
    assert video.get("playsinline") is not None and video.get("controls") is not None
    assert video.get("data-src") == "/media/live/demo/index.m3u8"
    sources = [s.get("src") for s in doc.cssselect("script[src]")]
    assert "/static/vendor/hls.min.js" in sources and "/static/khabar/live.js" in sources
    assert all(s.startswith("/static/") for s in sources)
    no_stream = make_event(1, slug="no-stream")
    doc = parse(client, no_stream.get_absolute_url())
    assert not doc.cssselect("video")
    assert "لا يرافق هذه التغطية بث مرئي" in doc.cssselect(".liveblog-noplayer")[0].text_content()


def test_older_entries_are_paginated_with_before(client: Client) -> None:
    event = make_event(live.PAGE_SIZE + 5)
    first = parse(client, event.get_absolute_url())
    page1 = entry_ids(first)
    assert len(page1) == live.PAGE_SIZE
    older = first.cssselect('.pagination a[rel="next"]')[0].get("href")
    assert older == f"?before={page1[-1]}"
    second = parse(client, event.get_absolute_url() + older)
    page2 = entry_ids(second)
    assert len(page2) == 5 and not set(page1) & set(page2)
    everything = list(event.entries.order_by("-created_at").values_list("pk", flat=True))
    assert page1 + page2 == everything
    assert not second.cssselect('.pagination a[rel="next"]')
    assert second.get_element_by_id("live-feed").get("data-stream") is None
    assert client.get(event.get_absolute_url() + "?before=abc").status_code == 404


def test_at_opens_the_page_starting_with_an_entry(client: Client) -> None:
    event = make_event(live.PAGE_SIZE + 5)
    everything = list(event.entries.order_by("-created_at").values_list("pk", flat=True))
    target = everything[live.PAGE_SIZE + 2]
    doc = parse(client, f"{event.get_absolute_url()}?at={target}")
    assert entry_ids(doc) == everything[live.PAGE_SIZE + 2 :]
    assert doc.get_element_by_id("live-feed").get("data-stream") is None
    other = make_event(1, slug="other")
    stranger = other.entries.get().pk
    assert client.get(f"{event.get_absolute_url()}?at={stranger}").status_code == 404


def test_page_query_count_does_not_grow_with_entries(
    client: Client, django_assert_max_num_queries
) -> None:
    event = make_event(live.PAGE_SIZE)
    client.get(event.get_absolute_url())  # warm up caches the chrome may keep
    with django_assert_max_num_queries(8):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_header_links_to_the_event_on_air(client: Client) -> None:
    doc = parse(client, "/live/")
    assert doc.cssselect("a.live")[0].get("href") == "/live/"
    event = make_event(1)
    doc = parse(client, "/live/")
    link = doc.cssselect("a.live")[0]
    assert link.get("href") == event.get_absolute_url()
    assert link.text_content().strip() == "مباشر"


# Server-Sent Events under ASGI ----------------------------------------------------------------


@dataclass
class Reader:
    """One SSE connection driven through Django's ASGI handler, as uvicorn would drive it."""

    path: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    gone: asyncio.Event = field(default_factory=asyncio.Event)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def start(self) -> None:
        path, _, query = self.path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [(b"host", b"localhost"), *self.headers],
            "server": ("localhost", 80),
            "client": ("127.0.0.1", 50000),
        }
        asked = False

        async def receive() -> dict[str, object]:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                self.status = int(message["status"])  # type: ignore[call-overload]
                self.response_headers = {
                    k.decode().lower(): v.decode()
                    for k, v in message["headers"]  # type: ignore[attr-defined]
                }
            else:
                self.body += bytes(message.get("body", b"")).decode()  # type: ignore[arg-type]
            self.changed.set()

        self.task = asyncio.create_task(ASGIHandler()(scope, receive, send))

    def events(self, kind: str = "message") -> list[dict[str, object]]:
        """Complete messages of one kind (`event:`; new entries are "message"), parsed JSON."""
        found = []
        for block in self.body.split("\n\n")[:-1]:
            fields = dict(
                line.split(": ", 1) for line in block.splitlines() if not line.startswith(":")
            )
            if "data" in fields and fields.get("event", "message") == kind:
                data = json.loads(fields["data"])
                found.append({"id": int(fields["id"]), **data} if "id" in fields else data)
        return found

    async def wait_for(self, check: Callable[[], bool], seconds: float = 5.0) -> None:
        """Wait until check() holds for what arrived, failing after `seconds`."""
        async with asyncio.timeout(seconds):
            while not check():
                self.changed.clear()
                await self.changed.wait()

    async def close(self) -> None:
        """Disconnect like a browser closing the tab; the handler must end by itself."""
        self.gone.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)


def run(coro: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(coro)()


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "POLL_SECONDS", 0.1)


@pytest.mark.django_db(transaction=True)
def test_stream_resumes_after_last_event_id(fast_poll: None) -> None:
    event = make_event(5)
    ids = list(event.entries.order_by("id").values_list("pk", flat=True))

    async def scenario() -> None:
        reader = Reader(f"/live/{event.slug}/events", [(b"last-event-id", str(ids[1]).encode())])
        reader.start()
        await reader.wait_for(lambda: len(reader.events()) >= 3)
        assert reader.status == 200
        assert reader.response_headers["content-type"].startswith("text/event-stream")
        assert reader.response_headers["cache-control"] == "no-cache"
        assert reader.response_headers["x-accel-buffering"] == "no"
        assert reader.body.startswith(f"retry: {live.RETRY_MS}\n\n")
        got = reader.events()
        assert [e["id"] for e in got] == ids[2:]
        assert all(f'id="entry-{e["id"]}"' in str(e["html"]) for e in got)
        assert all(str(e["created_at"]).startswith(str(timezone.now().year)) for e in got)
        await reader.close()

    run(scenario)
    assert live._pollers == {} or all(not p.subscribers for p in live._pollers.values())


@pytest.mark.django_db(transaction=True)
def test_new_entry_reaches_every_reader_from_one_shared_poller(fast_poll: None) -> None:
    event = make_event(2)
    newest = event.entries.order_by("-id").first()
    assert newest is not None

    async def scenario() -> None:
        page_reader = Reader(f"/live/{event.slug}/events?after={newest.pk}")
        fresh_reader = Reader(f"/live/{event.slug}/events")  # no id at all: only what comes next
        page_reader.start()
        fresh_reader.start()
        for r in (page_reader, fresh_reader):
            await r.wait_for(lambda r=r: r.body.startswith("retry:"))
        poller = live._pollers[event.pk]
        assert len(poller.subscribers) == 2  # one poller for both readers
        entry = await sync_to_async(LiveEntry.objects.create)(
            event=event, title="عاجل", body="أعلن رئيس الجلسة رفعها حتى الغد."
        )
        for r in (page_reader, fresh_reader):
            await r.wait_for(lambda r=r: any(e["id"] == entry.pk for e in r.events()))
            assert [e["id"] for e in r.events()] == [entry.pk]
            assert "أعلن رئيس الجلسة رفعها حتى الغد." in str(r.events()[0]["html"])
        await page_reader.close()
        await fresh_reader.close()
        # The poller stops at its next tick once nobody listens.
        await asyncio.wait_for(poller.task, 2)
        assert event.pk not in live._pollers

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_many_readers_cost_one_query_per_tick(
    fast_poll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(1)
    real = live.entries_after
    calls = {"n": 0}

    def counted(event_id: int, last: int, limit: int = live.CATCH_UP_BATCH) -> list:
        calls["n"] += 1
        return real(event_id, last, limit)

    monkeypatch.setattr(live, "entries_after", counted)

    async def scenario() -> None:
        readers = [Reader(f"/live/{event.slug}/events") for _ in range(20)]
        for r in readers:
            r.start()
        for r in readers:
            await r.wait_for(lambda r=r: r.body.startswith("retry:"))
        await asyncio.sleep(0.3)  # every reader's own catch-up query is done
        before = calls["n"]
        await asyncio.sleep(1.0)  # about ten ticks of 0.1 s
        polled = calls["n"] - before
        # One poller's query per tick for all twenty (not twenty per tick), and it does poll.
        assert 3 <= polled <= 12, polled
        for r in readers:
            await r.close()

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_poller_survives_a_failed_query(
    fast_poll: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    event = make_event(1)
    real = live.entries_after
    failures = {"left": 0}

    def flaky(event_id: int, last: int, limit: int = live.CATCH_UP_BATCH) -> list:
        if failures["left"]:
            failures["left"] -= 1
            raise DatabaseError("the database went away for a moment")
        return real(event_id, last, limit)

    monkeypatch.setattr(live, "entries_after", flaky)

    async def scenario() -> None:
        reader = Reader(f"/live/{event.slug}/events")
        reader.start()
        await reader.wait_for(lambda: reader.body.startswith("retry:"))
        await asyncio.sleep(0.3)  # the reader's own catch-up query is done by now
        failures["left"] = 1
        entry = await sync_to_async(LiveEntry.objects.create)(event=event, body="بعد العطل")
        await reader.wait_for(lambda: [e["id"] for e in reader.events()] == [entry.pk])
        await reader.close()

    run(scenario)
    assert failures["left"] == 0
    assert "polling entries of event" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_idle_stream_sends_heartbeats(fast_poll: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)
    event = make_event(1)

    async def scenario() -> None:
        reader = Reader(f"/live/{event.slug}/events")
        reader.start()
        await reader.wait_for(lambda: ": ping\n\n" in reader.body)
        assert reader.events() == []
        await reader.close()

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_stream_of_an_unknown_event_is_404() -> None:
    async def scenario() -> None:
        reader = Reader("/live/no-such-event/events")
        reader.start()
        assert reader.task is not None
        await asyncio.wait_for(reader.task, 5)
        assert reader.status == 404

    run(scenario)


def test_under_wsgi_the_stream_sends_what_is_waiting_and_ends(client: Client) -> None:
    event = make_event(3)
    ids = list(event.entries.order_by("id").values_list("pk", flat=True))
    response = client.get(f"/live/{event.slug}/events", HTTP_LAST_EVENT_ID=str(ids[0]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("retry:")
    assert [int(line[4:]) for line in body.splitlines() if line.startswith("id: ")] == ids[1:]
    assert body.endswith("event: bye\ndata: reconnect\n\n")


# The demo -------------------------------------------------------------------------------------


def test_demo_event_is_idempotent_and_tied_to_its_story(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    Story.objects.create(title="قمة المياه الإقليمية", slug=demo_live.STORY)
    lines: list[str] = []
    first = demo_live.load_live_demo(say=lines.append)
    second = demo_live.load_live_demo(say=lines.append)
    assert first.pk == second.pk and LiveEvent.objects.count() == 1
    assert second.entries.count() == len(demo_live.ENTRIES) == 8
    assert second.story is not None and second.story.slug == demo_live.STORY
    assert second.entries.filter(pinned=True).count() == 1
    if demo_live.shutil.which("ffmpeg"):
        assert second.stream_url == "/media/live/demo/index.m3u8"
        playlist = (tmp_path / "live" / "demo" / "index.m3u8").read_text()
        assert playlist.startswith("#EXTM3U") and playlist.count(".ts") >= 3
        assert lines == []
    else:
        assert second.stream_url == ""
        assert "ffmpeg" in lines[0]


def test_demo_without_ffmpeg_says_how_to_get_a_stream(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo_live.shutil, "which", lambda name: None)
    lines: list[str] = []
    event = demo_live.load_live_demo(say=lines.append)
    assert event.stream_url == ""
    assert len(lines) == 1 and "apt-get install ffmpeg" in lines[0]


def test_demo_stream_is_served_from_media(client: Client, settings, tmp_path: Path) -> None:
    if not demo_live.shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg): no demo stream to serve")
    settings.MEDIA_ROOT = tmp_path
    event = demo_live.load_live_demo(say=print)
    # The site serves MEDIA_ROOT under /media/, this test's folder included.
    assert event.stream_url.endswith("/live/demo/index.m3u8")
    response = client.get(event.stream_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"#EXTM3U")


@pytest.mark.django_db(transaction=True)
def test_edits_removals_and_the_end_reach_open_pages(fast_poll: None) -> None:
    event = make_event(3)
    first, second, newest = event.entries.order_by("id")

    async def scenario() -> None:
        reader = Reader(f"/live/{event.slug}/events?after={newest.pk}&changes=0")
        reader.start()
        await reader.wait_for(lambda: reader.body.startswith("retry:"))

        first.title = "تصحيح: الجلسة بدأت متأخرة نصف ساعة"
        await sync_to_async(first.save)()
        await reader.wait_for(lambda: len(reader.events("edit")) == 1)
        (edit,) = reader.events("edit")
        assert edit["id"] == first.pk
        assert "تصحيح: الجلسة بدأت متأخرة نصف ساعة" in str(edit["html"])
        assert f'id="entry-{first.pk}"' in str(edit["html"])

        removed = second.pk
        await sync_to_async(second.delete)()
        await reader.wait_for(lambda: len(reader.events("remove")) == 1)
        assert reader.events("remove") == [{"id": removed}]

        event.is_live = False
        await sync_to_async(event.save)()
        await reader.wait_for(lambda: len(reader.events("status")) == 1)
        assert reader.events("status") == [{"live": False}]
        assert reader.events() == []  # no new entry was announced by any of this
        await reader.close()

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_changes_made_before_connecting_are_replayed_from_the_pages_mark(
    fast_poll: None,
) -> None:
    event = make_event(2)
    older, newest = event.entries.order_by("id")
    mark = live.latest_change(event.pk)  # what the page was rendered with
    older.body = "نص معدّل بعد النشر."
    older.save()
    removed = newest.pk
    newest.delete()

    async def scenario() -> None:
        behind = Reader(f"/live/{event.slug}/events?after={removed}&changes={mark}")
        latest = await sync_to_async(live.latest_change)(event.pk)
        current = Reader(f"/live/{event.slug}/events?after={removed}&changes={latest}")
        behind.start()
        current.start()
        await behind.wait_for(lambda: len(behind.events("remove")) == 1)
        assert [e["id"] for e in behind.events("edit")] == [older.pk]
        assert behind.events("remove") == [{"id": removed}]
        await current.wait_for(lambda: current.body.startswith("retry:"))
        await asyncio.sleep(0.3)  # a few poller ticks: nothing is due to this reader
        assert current.events("edit") == current.events("remove") == []
        await behind.close()
        await current.close()

    run(scenario)


def test_changes_are_recorded_for_edits_removals_and_air_status_only() -> None:
    event = make_event(2)
    entry = event.entries.first()
    assert entry is not None
    pk = entry.pk
    assert not LiveChange.objects.exists()  # new entries need no change row
    entry.body = "نص جديد"
    entry.save()
    entry.delete()
    event.description = "وصف جديد"
    event.save()  # still on the air: nothing for readers to learn
    event.is_live = False
    event.save()
    kinds = list(LiveChange.objects.order_by("id").values_list("kind", "entry_id"))
    assert kinds == [("edit", pk), ("remove", pk), ("status", None)]
    event.delete()  # its entries go first: no change is left pointing nowhere
    assert not LiveChange.objects.exists()


def test_ending_coverage_from_the_admin_tells_open_pages(admin_client: Client) -> None:
    on_air, ended = make_event(1, slug="on-air"), make_event(1, is_live=False, slug="over")
    response = admin_client.post(
        "/admin/newsroom/liveevent/",
        {"action": "end_coverage", "_selected_action": [on_air.pk, ended.pk]},
        follow=True,
    )
    assert response.status_code == 200
    on_air.refresh_from_db()
    assert not on_air.is_live
    changes = list(LiveChange.objects.values_list("event_id", "kind"))
    assert changes == [(on_air.pk, "status")]  # the event that was already over: nothing


def test_under_wsgi_changes_since_the_pages_mark_come_with_the_entries(client: Client) -> None:
    event = make_event(2)
    older, newest = event.entries.order_by("id")
    older.title = "عنوان مصحح"
    older.save()
    response = client.get(f"/live/{event.slug}/events?after={newest.pk}&changes=0")
    body = b"".join(response.streaming_content).decode()
    assert "event: edit" in body and "عنوان مصحح" in body
    assert body.rstrip().endswith("data: reconnect")
