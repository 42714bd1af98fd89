"""The full-page cache: hits, 304s, gzip, invalidation on publish and edit, what is never cached."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from khabar.newsroom.models import Article, Block, Comment, Section, Story
from khabar.site import pagecache
from khabar.site.pagecache import ASGIFastPath, Entry, PageLRU

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_generation(settings: Any, tmp_path: Path) -> Path:
    """A generation file of this test's own, so no other process's bump disturbs it."""
    settings.DATA_DIR = tmp_path
    settings.KHABAR_PAGE_CACHE = True
    pagecache.reset()
    return tmp_path / "page-generation"


@pytest.fixture
def article() -> Article:
    section = Section.objects.create(name="سياسة", slug="politics")
    story = Story.objects.create(title="قمة المياه", slug="water-summit")
    item = Article.objects.create(
        title="القادة يتفقون على خطة للمياه",
        slug="water-plan",
        lead="اتفق القادة على خطة مشتركة.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        section=section,
        story=story,
    )
    Block.objects.create(article=item, kind="paragraph", text="نص الخبر.", position=0)
    return item


def get(client: Client, url: str, **headers: str) -> Any:
    return client.get(url, headers=headers)


def test_second_request_is_a_hit_with_the_same_page(client: Client, article: Article) -> None:
    first = get(client, "/")
    second = get(client, "/")
    assert first.status_code == second.status_code == 200
    assert first["X-Khabar-Cache"] == "miss"
    assert second["X-Khabar-Cache"] == "hit"
    assert second.content == first.content
    assert article.title in second.content.decode()
    assert second["Content-Language"] == "ar"  # headers of inner middleware are kept
    assert second["X-Frame-Options"] == "DENY"


def test_gzip_body_is_stored_and_served_to_clients_that_accept_it(
    client: Client, article: Article
) -> None:
    plain = get(client, article.get_absolute_url())
    zipped = get(client, article.get_absolute_url(), accept_encoding="gzip, br")
    assert zipped["X-Khabar-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert gzip.decompress(zipped.content) == plain.content
    assert "Content-Encoding" not in plain


def test_etag_and_last_modified_answer_304(client: Client, article: Article) -> None:
    page = get(client, "/")
    etag, modified = page["ETag"], page["Last-Modified"]
    assert etag.startswith('W/"')
    assert get(client, "/", if_none_match=etag).status_code == 304
    assert get(client, "/", if_none_match=f'"other", {etag}').status_code == 304
    assert get(client, "/", if_none_match='"other"').status_code == 200
    assert get(client, "/", if_modified_since=modified).status_code == 304
    old = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert get(client, "/", if_modified_since=old).status_code == 200
    not_modified = get(client, "/", if_none_match=etag)
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag


def test_cache_control_lets_downstream_keep_the_page_briefly(
    client: Client, article: Article
) -> None:
    control = get(client, "/")["Cache-Control"]
    assert control.startswith("public, max-age=")
    assert 0 < int(control.split("max-age=")[1].split(",")[0]) <= 5
    assert "stale-while-revalidate=" in control


def test_editing_an_article_shows_at_once(client: Client, article: Article) -> None:
    url = article.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Khabar-Cache"] == "hit"
    article.title = "عنوان بعد التحرير"
    article.save()
    for page_url in (url, "/", "/story/water-summit/", "/section/politics/"):
        page = get(client, page_url)
        assert page["X-Khabar-Cache"] == "miss", page_url
        assert "عنوان بعد التحرير" in page.content.decode(), page_url


def test_publishing_a_new_article_shows_on_home(client: Client, article: Article) -> None:
    get(client, "/")
    Article.objects.create(
        title="خبر عاجل جديد",
        slug="breaking",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    assert "خبر عاجل جديد" in get(client, "/").content.decode()


def test_block_and_tag_changes_invalidate(client: Client, article: Article) -> None:
    url = article.get_absolute_url()
    get(client, url)
    Block.objects.create(article=article, kind="paragraph", text="فقرة أضيفت لاحقا.", position=1)
    assert "فقرة أضيفت لاحقا" in get(client, url).content.decode()
    get(client, url)
    article.agencies.create(name="رويترز", slug="reuters")
    assert get(client, url)["X-Khabar-Cache"] == "miss"


def test_a_pending_comment_keeps_pages_but_approving_it_does_not(
    client: Client, article: Article
) -> None:
    url = article.get_absolute_url()
    get(client, url)
    comment = Comment.objects.create(article=article, name="قارئ", body="تعليق بانتظار المراجعة")
    assert get(client, url)["X-Khabar-Cache"] == "hit"
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert get(client, url)["X-Khabar-Cache"] == "miss"


def test_scheduled_article_appears_on_time(client: Client, article: Article) -> None:
    at = timezone.now() + timedelta(seconds=1.5)
    Article.objects.create(
        title="خبر مجدول للنشر", slug="scheduled", status=Article.Status.PUBLISHED, published_at=at
    )
    before = get(client, "/")
    assert "خبر مجدول للنشر" not in before.content.decode()
    assert int(before["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.1)
    after = get(client, "/")
    assert after["X-Khabar-Cache"] == "miss"
    assert "خبر مجدول للنشر" in after.content.decode()


def test_what_is_never_cached(client: Client, article: Article) -> None:
    for _ in range(2):
        assert "X-Khabar-Cache" not in client.get("/admin/login/")
        assert "X-Khabar-Cache" not in client.get(f"/api/articles/{article.pk}/")
        missing = client.get("/story/no-such-story/")
        assert missing.status_code == 404 and "X-Khabar-Cache" not in missing
    client.cookies["sessionid"] = "an-editor"
    assert "X-Khabar-Cache" not in client.get("/")
    assert "X-Khabar-Cache" not in client.post("/")
    assert not pagecache.cacheable_request("GET", "/live/final/events", {}, False)
    assert not pagecache.cacheable_request("GET", "/", {}, True)  # Authorization header


def test_response_setting_a_cookie_is_not_cached() -> None:
    from django.http import HttpResponse

    response = HttpResponse(b"<p>page</p>")
    response.set_cookie("csrftoken", "x")
    assert pagecache.make_entry(response, 60) is None
    private = HttpResponse(b"<p>page</p>", headers={"Cache-Control": "private"})
    assert pagecache.make_entry(private, 60) is None
    assert pagecache.make_entry(HttpResponse(b"x", status=302), 60) is None
    assert pagecache.make_entry(HttpResponse(b"<p>page</p>"), 60) is not None


def test_cache_off_by_setting(client: Client, settings: Any, article: Article) -> None:
    settings.KHABAR_PAGE_CACHE = False
    pagecache.reset()
    page = get(client, "/")
    assert page.status_code == 200 and "X-Khabar-Cache" not in page


def test_lru_stays_within_its_byte_budget() -> None:
    lru = PageLRU(max_bytes=10_000)
    for i in range(20):
        body = bytes(3000)
        lru.put(str(i), Entry(200, [], body, b"", "", 0, time.time() + 60))
        assert lru.bytes <= 10_000
    assert lru.get("19") is not None and lru.get("0") is None
    assert len(lru) == 3
    lru.put("old", Entry(200, [], b"x", b"", "", 0, time.time() - 1))
    assert lru.get("old") is None


def test_a_bump_in_another_process_is_seen_within_a_second(
    client: Client, article: Article, own_generation: Path
) -> None:
    get(client, "/")
    assert get(client, "/")["X-Khabar-Cache"] == "hit"
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'khabar.settings'; "
        "django.setup(); from django.conf import settings; from pathlib import Path; "
        f"settings.DATA_DIR = Path({str(own_generation.parent)!r}); "
        "from khabar.site import pagecache; pagecache.page_cache().clear()"
    )
    before = own_generation.read_text() if own_generation.exists() else ""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)
    assert own_generation.read_text() != before
    time.sleep(1.05)
    assert get(client, "/")["X-Khabar-Cache"] == "miss"


# ------------------------------------------------------------------- the ASGI fast path


def asgi_get(app: ASGIFastPath, path: str, headers: dict[str, str], method: str = "GET") -> Any:
    """Call the ASGI application once; the status, headers and body it sent."""
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": path,
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return (
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        b"".join(m.get("body", b"") for m in sent[1:]),
    )


class Inner:
    """Stands for Django: counts the requests the fast path hands on."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"django"})


def test_fast_path_serves_what_django_stored(client: Client, article: Article) -> None:
    django_page = get(client, "/", accept_encoding="gzip")
    inner = Inner()
    app = ASGIFastPath(inner)
    status, headers, body = asgi_get(app, "/", {"host": "testserver", "accept-encoding": "gzip"})
    assert inner.calls == 0
    assert status == 200 and headers["x-khabar-cache"] == "hit"
    assert headers["etag"] == django_page["ETag"]
    assert body == django_page.content and headers["content-encoding"] == "gzip"
    status, headers, body = asgi_get(
        app, "/", {"host": "testserver", "if-none-match": django_page["ETag"]}
    )
    assert status == 304 and body == b""
    status, headers, body = asgi_get(app, "/", {"host": "testserver"}, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    assert inner.calls == 0


def test_fast_path_hands_on_what_it_must_not_answer(client: Client, article: Article) -> None:
    get(client, "/")
    inner = Inner()
    app = ASGIFastPath(inner)
    asgi_get(app, "/", {"host": "testserver", "cookie": "sessionid=editor"})
    asgi_get(app, "/", {"host": "evil.example"})  # another host: never stored, never served
    asgi_get(app, "/", {"host": "testserver", "accept-language": "en"})  # another language
    asgi_get(app, "/section/politics/", {"host": "testserver"})  # not rendered yet
    asgi_get(app, "/", {"host": "testserver"}, method="POST")
    assert inner.calls == 5
    article.title = "تغيير"
    article.save()
    asgi_get(app, "/", {"host": "testserver"})
    assert inner.calls == 6


# ------------------------------------------------------------------- Redis (scale-out)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server")
    pytest.importorskip("redis", reason="the redis package is not installed: pip install redis")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_pages_and_generation_shared_through_redis(
    client: Client, settings: Any, article: Article, redis_url: str
) -> None:
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    settings.KHABAR_REDIS_URL = redis_url
    settings.CACHES = {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}
    pagecache.reset()
    first = get(client, "/")
    assert first["X-Khabar-Cache"] == "miss"
    pagecache.page_cache().local.clear()  # as if another machine: only Redis holds the page
    second = get(client, "/")
    assert second["X-Khabar-Cache"] == "hit" and second.content == first.content
    generation = pagecache.page_cache().shared.get(pagecache.GENERATION_KEY)
    article.title = "عنوان عبر ريديس"
    article.save()
    assert pagecache.page_cache().shared.get(pagecache.GENERATION_KEY) != generation
    third = get(client, "/")
    assert third["X-Khabar-Cache"] == "miss" and "عنوان عبر ريديس" in third.content.decode()


# ------------------------------------------------------------------- static files


def test_collected_static_files_are_hashed_compressed_and_served(
    client: Client, settings: Any, article: Article, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    import re

    html = get(client, article.get_absolute_url()).content.decode()
    named = set(re.findall(r'/static/([^"\'\s)?#]+)', html))
    assert named, "the page names no static file"
    for name in named:
        assert re.search(r"\.[0-9a-f]{12}\.", name), f"{name} is not a hashed name"
        assert (settings.STATIC_ROOT / name).exists(), name
        if name.endswith((".css", ".js", ".svg")):
            assert (settings.STATIC_ROOT / f"{name}.gz").exists(), f"{name} has no gzip copy"
        served = client.get(f"/static/{name}", headers={"accept-encoding": "gzip"})
        assert served.status_code == 200, name
        assert "immutable" in served["Cache-Control"], name


def test_per_generation_computes_once_until_something_is_saved(article: Article) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert pagecache.per_generation("strip", compute) == 1
    assert pagecache.per_generation("strip", compute) == 1
    assert pagecache.per_generation("other", compute) == 2
    article.title = "تحرير"
    article.save()
    assert pagecache.per_generation("strip", compute) == 3


def test_per_generation_follows_saves_with_the_page_cache_off(
    settings: Any, article: Article
) -> None:
    settings.KHABAR_PAGE_CACHE = False
    pagecache.reset()
    calls: list[int] = []
    for _ in range(2):
        pagecache.per_generation("strip", lambda: calls.append(1))
    assert len(calls) == 1
    article.title = "عنوان بعد التعديل"
    article.save()
    pagecache.per_generation("strip", lambda: calls.append(1))
    assert len(calls) == 2


def test_saves_in_one_transaction_bump_again_once_after_commit(
    article: Article, own_generation: Path
) -> None:
    from django.db import connection

    def pending() -> list[Any]:
        return [p[1] for p in connection.run_on_commit if p[1] is pagecache._bump_after_commit]

    article.title = "أول"
    article.save()
    article.title = "ثان"
    article.save()
    assert len(pending()) == 1  # the test's transaction: one bump waits for its commit
    during = own_generation.read_text()
    pending()[0]()
    assert own_generation.read_text() != during


def test_a_batch_of_saves_starts_one_generation_at_its_end(
    client: Client, article: Article, own_generation: Path
) -> None:
    """Ingest stores a chunk inside `signals.batched()`: no bump per save, one at the end, and
    the page cached before the batch is not served after it."""
    from khabar.newsroom import signals

    url = article.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Khabar-Cache"] == "hit"
    before = own_generation.read_text()
    with signals.batched():
        for n in range(3):
            article.title = f"عنوان رقم {n}"
            article.save()
            Block.objects.create(article=article, kind="paragraph", text=f"فقرة {n}", position=n)
        assert own_generation.read_text() == before  # nothing bumped inside the batch
    assert own_generation.read_text() != before
    page = get(client, url)
    assert page["X-Khabar-Cache"] == "miss" and "عنوان رقم 2" in page.content.decode()


def test_a_batch_that_changes_nothing_bumps_nothing(own_generation: Path) -> None:
    from khabar.newsroom import signals

    pagecache.page_cache().clear()
    before = own_generation.read_text()
    with signals.batched(), signals.batched():
        pass
    assert own_generation.read_text() == before


def test_bulk_changes_by_editors_invalidate(client: Client, article: Article) -> None:
    """QuerySet.update() sends no post_save: the admin's bulk actions and story edits still do."""
    from django.contrib.auth.models import User

    from khabar.newsroom import editing

    url = article.get_absolute_url()
    pending = Comment.objects.create(article=article, name="قارئة", body="تعليق في الانتظار")
    get(client, url)
    assert get(client, url)["X-Khabar-Cache"] == "hit"
    editor = Client()
    editor.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    answer = editor.post(
        "/admin/newsroom/comment/",
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    assert answer.status_code == 302
    page = get(client, url)
    assert page["X-Khabar-Cache"] == "miss"
    assert "تعليق في الانتظار" in page.content.decode()

    assert get(client, url)["X-Khabar-Cache"] == "hit"
    elsewhere = Story.objects.create(title="ملف آخر", slug="other-story")
    editing.move(article, elsewhere)
    page = get(client, url)
    assert page["X-Khabar-Cache"] == "miss"
    assert "ملف آخر" in page.content.decode()
