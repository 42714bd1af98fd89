"""The live page in Debian's chromium, served by uvicorn: entries arrive without a reload.

Django's live_server fixture is a WSGI server, where an endless Server-Sent Events stream cannot
run, so this test serves the site the way production does: uvicorn in a subprocess, on its own
data folder (SQLite database and media) that the test writes to through small Django scripts.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "tests" / "_artifacts" / "screenshots"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
HLS_JS = REPO / "khabar" / "site" / "static" / "vendor" / "hls.min.js"

# Run inside the site's data folder: the database and the demo live event (with its stream).
SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from khabar.newsroom.demo.live import load_live_demo
event = load_live_demo()
print(json.dumps({"url": event.get_absolute_url(), "stream": event.stream_url}))
"""

ADD_ENTRY = """
import django, json, sys
django.setup()
from khabar.newsroom.demo.live import SLUG
from khabar.newsroom.models import LiveEntry, LiveEvent
entry = LiveEntry.objects.create(
    event=LiveEvent.objects.get(slug=SLUG), title=sys.argv[1], body=sys.argv[2], author="المحرر"
)
print(json.dumps({"id": entry.pk}))
"""

# Pushes the demo's first entries off the first page; prints the oldest unpinned entry's number.
ADD_MANY = """
import django, json
django.setup()
from khabar.newsroom.demo.live import SLUG
from khabar.newsroom.models import LiveEntry, LiveEvent
from khabar.site.live import PAGE_SIZE
event = LiveEvent.objects.get(slug=SLUG)
for i in range(PAGE_SIZE):  # one save each, as editors do: the page cache hears of it
    LiveEntry.objects.create(event=event, body=f"متابعة قصيرة رقم {i}")
oldest = event.entries.filter(pinned=False).order_by("created_at", "id").first()
print(json.dumps({"id": oldest.pk}))
"""


@dataclass
class Site:
    """The uvicorn-served site of one test: its address, data folder and demo event."""

    url: str
    env: dict[str, str]
    event_url: str
    stream_url: str

    def django(self, script: str, *args: str) -> dict[str, object]:
        """Run a Django script on the site's data folder; return the JSON it prints."""
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp_path = tmp_path_factory.mktemp("live-site")
    env = {
        **os.environ,
        "KHABAR_DATA": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "khabar.settings",
        # Plain static names through the finders, so no collectstatic is needed for the test.
        "KHABAR_DEBUG": "1",
    }
    # The served site must really be async-safe: never inherit the browser tests' escape hatch.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = free_port()
    site = Site(f"http://127.0.0.1:{port}", env, "", "")
    made = site.django(SETUP)
    site.event_url, site.stream_url = str(made["url"]), str(made["stream"])
    log = (tmp_path / "uvicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "khabar.asgi:application", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "uvicorn.log").read_text()
            try:
                if httpx.get(site.url + "/live/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass  # not listening yet: wait for it below
            assert time.monotonic() < deadline, "uvicorn did not answer within 60 s"
            time.sleep(0.3)
        yield site
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(browser):
    """The shared chromium, once the site's copy of hls.js is there."""
    if not HLS_JS.exists():
        pytest.skip(f"{HLS_JS.relative_to(REPO)} is absent: run `make install` (needs npm)")
    return browser


def test_new_entry_appears_without_reload_and_the_stream_plays(site: Site, browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.url + site.event_url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".liveblog-entry").count() == 8  # rendered by the server
    page.wait_for_selector('.liveblog[data-stream="open"]', timeout=10_000)
    page.evaluate("window.__sameDocument = true")

    added = site.django(ADD_ENTRY, "مؤتمر صحفي مشترك", "بدأ المؤتمر الصحفي المشترك لرؤساء الوفود.")
    arrived = time.monotonic()
    entry = page.locator(f"#entry-{added['id']}")
    entry.wait_for(state="visible", timeout=6_000)
    assert time.monotonic() - arrived < 6
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    # Newest first: the new entry sits at the top of the feed, announced to screen readers.
    assert page.locator("#live-feed .liveblog-entry").first.get_attribute("id") == (
        f"entry-{added['id']}"
    )
    assert "مؤتمر صحفي مشترك" in page.locator("#live-announcer").inner_text()
    assert (
        entry.locator(".liveblog-permalink").get_attribute("href").endswith(f"#entry-{added['id']}")
    )
    assert entry.locator("[data-ago]").inner_text() == "الآن"

    if site.stream_url:
        # The player's own test is below; here, wait for it so the picture shows the video.
        page.wait_for_selector('.liveblog[data-player="ready"]', timeout=20_000)
    page.screenshot(path=str(SHOTS / "live-desktop.png"), full_page=True)

    if AXE.exists():
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [v["id"] for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        assert serious == []

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="ar")
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(site.url + site.event_url)
    assert phone.locator(f"#entry-{added['id']}").count() == 1
    phone.wait_for_selector('.liveblog[data-stream="open"]', timeout=10_000)
    if site.stream_url:
        phone.wait_for_selector('.liveblog[data-player="ready"]', timeout=20_000)
    phone.screenshot(path=str(SHOTS / "live-phone.png"), full_page=True)
    phone.goto(site.url + "/live/")
    phone.screenshot(path=str(SHOTS / "live-index-phone.png"), full_page=True)
    phone.close()
    page.close()
    assert errors == []


# Chromium plays HLS natively since 2025; hiding that makes the page take the hls.js path too.
HIDE_NATIVE_HLS = """
const canPlay = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlay.call(this, type);
};
"""


NO_MEDIA_SOURCE = "delete window.MediaSource; delete window.ManagedMediaSource;"


def test_a_browser_without_hls_gets_a_message_in_arabic(site: Site, browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ar")
    page.add_init_script(HIDE_NATIVE_HLS + NO_MEDIA_SOURCE)
    page.goto(site.url + site.event_url)
    if not site.stream_url:
        assert page.locator(".liveblog-noplayer").is_visible()
        return
    note = page.locator("#live-player-note")
    note.wait_for(state="visible", timeout=10_000)
    assert "لا يدعم هذا المتصفح تشغيل البث المباشر" in note.inner_text()
    assert page.locator(".liveblog").get_attribute("data-player") == "none"
    page.close()


@pytest.mark.parametrize("path", ["as the browser chooses", "hls.js"])
def test_demo_stream_plays_in_the_video_element(site: Site, browser, path: str) -> None:
    if not site.stream_url:
        pytest.skip("ffmpeg is absent (apt-get install ffmpeg): the demo has no stream to play")
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if path == "hls.js":
        page.add_init_script(HIDE_NATIVE_HLS)
    page.goto(site.url + site.event_url)
    # The manifest was parsed (MANIFEST_PARSED or loadedmetadata) and the element knows the
    # stream's length.
    page.wait_for_selector('.liveblog[data-player="ready"]', timeout=20_000)
    page.wait_for_function(
        "() => document.getElementById('live-video').readyState > 0", timeout=20_000
    )
    assert page.evaluate("document.getElementById('live-video').duration") > 0
    kind = page.locator(".liveblog").get_attribute("data-player-kind")
    assert kind == "hls.js" if path == "hls.js" else kind in {"native", "hls.js"}
    assert page.locator("#live-player-note").is_hidden()
    page.close()
    assert errors == []


def test_permalink_to_an_entry_off_the_first_page_opens_its_page(site: Site, browser) -> None:
    # Runs last: it adds a page of entries to the module's site.
    oldest = site.django(ADD_MANY)["id"]
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    page.goto(f"{site.url}{site.event_url}#entry-{oldest}")
    page.wait_for_url(re.compile(rf"\?at={oldest}#entry-{oldest}$"), timeout=10_000)
    target = page.locator(f"#entry-{oldest}")
    target.wait_for(state="visible")
    assert page.locator(".liveblog-entry").first.get_attribute("id") == f"entry-{oldest}"
    page.close()


# An event of its own (the demo's stays on the air for the other tests), with three entries.
NEW_EVENT = """
import django, json
django.setup()
from khabar.newsroom.models import LiveEntry, LiveEvent
event = LiveEvent.objects.create(title="تغطية تُصحَّح ثم تنتهي", slug="corrected")
ids = [LiveEntry.objects.create(event=event, body=f"تحديث رقم {i}").pk for i in range(3)]
print(json.dumps({"url": event.get_absolute_url(), "ids": ids}))
"""

CORRECT_AND_END = """
import django, json, sys
django.setup()
from khabar.newsroom.models import LiveEntry, LiveEvent
edited = LiveEntry.objects.get(pk=int(sys.argv[1]))
edited.title = "تصحيح: الرقم الصحيح 12 لا 21"
edited.save()
LiveEntry.objects.get(pk=int(sys.argv[2])).delete()
event = LiveEvent.objects.get(slug="corrected")
event.is_live = False
event.save()
print(json.dumps({}))
"""


def test_corrections_removals_and_the_end_reach_an_open_page(site: Site, browser) -> None:
    made = site.django(NEW_EVENT)
    first, second, _ = made["ids"]  # type: ignore[misc]
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site.url}{made['url']}")
    page.wait_for_selector('.liveblog[data-stream="open"]', timeout=10_000)
    page.evaluate("window.__sameDocument = true")
    site.django(CORRECT_AND_END, str(first), str(second))
    page.wait_for_selector('.liveblog[data-live="ended"]', timeout=8_000)
    assert page.evaluate("window.__sameDocument") is True
    assert "تصحيح: الرقم الصحيح 12 لا 21" in page.locator(f"#entry-{first}").inner_text()
    assert page.locator(f"#entry-{second}").count() == 0
    assert page.locator(".liveblog-status").first.inner_text().strip() == "انتهت"
    assert page.locator("#live-connection").inner_text().startswith("انتهت التغطية")
    page.close()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_under_a_wsgi_server_entries_still_arrive(live_server, browser, settings, tmp_path) -> None:
    """Django's WSGI live server cannot hold a stream open: each response ends, EventSource
    comes back with Last-Event-ID, and the new entry still appears without a reload."""
    from khabar.newsroom.demo.live import load_live_demo
    from khabar.newsroom.models import LiveEntry

    settings.MEDIA_ROOT = tmp_path
    event = load_live_demo(say=lambda line: None)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + event.get_absolute_url())
    page.wait_for_selector('.liveblog[data-stream="open"]', timeout=10_000)
    page.evaluate("window.__sameDocument = true")
    entry = LiveEntry.objects.create(
        event=event, title="تحديث عبر WSGI", body="وصل بعد إعادة الاتصال."
    )
    page.locator(f"#entry-{entry.pk}").wait_for(state="visible", timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True
    # The expected end of each response is not shown to the reader as a lost connection.
    assert page.locator("#live-connection").inner_text().startswith("تصل التحديثات")
    page.close()
    assert errors == []
