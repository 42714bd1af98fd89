"""Most read: the beacon, the in-memory buffer, the batched upsert and the home's list."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from khabar.newsroom.models import Article
from khabar.site import readcount
from khabar.site.models import ReadCount
from khabar.site.readcount import ReadBuffer, most_read, upsert_sql

PG_URL = os.environ.get("KHABAR_TEST_PG_URL")


@pytest.fixture(autouse=True)
def buffer(monkeypatch: pytest.MonkeyPatch) -> ReadBuffer:
    """A fresh buffer for each test, due only when a test says so."""
    fresh = ReadBuffer(flush_seconds=3600, flush_hits=10_000)
    monkeypatch.setattr(readcount, "BUFFER", fresh)
    return fresh


def make_article(title: str = "خبر", **fields: object) -> Article:
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    return Article.objects.create(title=title, **fields)


def reads(article: Article) -> int:
    return sum(ReadCount.objects.filter(article=article).values_list("count", flat=True))


@pytest.mark.django_db
def test_beacon_counts_after_flush(client: Client, buffer: ReadBuffer) -> None:
    article = make_article()
    for _ in range(3):
        assert client.post(f"/api/read/{article.pk}/").status_code == 204
    assert reads(article) == 0  # nothing written until the buffer is flushed
    assert buffer.pending() == 3
    assert buffer.flush() == 3
    assert reads(article) == 3
    client.post(f"/api/read/{article.pk}/")
    buffer.flush()
    row = ReadCount.objects.get(article=article)
    assert (row.count, row.day) == (4, timezone.now().date())


@pytest.mark.django_db
def test_beacon_flushes_by_itself_when_due(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readcount, "BUFFER", ReadBuffer(flush_seconds=3600, flush_hits=5))
    article = make_article()
    for _ in range(5):
        client.post(f"/api/read/{article.pk}/")
    assert reads(article) == 5
    assert readcount.BUFFER.pending() == 0


def test_buffer_is_due_after_its_seconds() -> None:
    now = [100.0]
    buffer = ReadBuffer(flush_seconds=30, flush_hits=1000, clock=lambda: now[0])
    assert buffer.add(1) is False
    now[0] += 31
    assert buffer.add(1) is True


@pytest.mark.django_db
def test_beacon_refuses_get_and_ignores_unknown_ids(client: Client, buffer: ReadBuffer) -> None:
    article = make_article()
    assert client.get(f"/api/read/{article.pk}/").status_code == 405
    assert client.post("/api/read/0/").status_code == 404
    assert client.post(f"/api/read/{2**63}/").status_code == 404
    assert client.post("/api/read/abc/").status_code == 404
    assert client.post(f"/api/read/{article.pk + 1000}/").status_code == 204
    assert buffer.flush() == 1  # counted, then dropped by the join: no error, no row
    assert not ReadCount.objects.exists()


@pytest.mark.django_db
def test_beacon_needs_no_csrf_token_and_skips_bots_and_prefetch(buffer: ReadBuffer) -> None:
    client = Client(enforce_csrf_checks=True)
    article = make_article()
    url = f"/api/read/{article.pk}/"
    assert client.post(url).status_code == 204
    assert client.post(url, headers={"user-agent": "Googlebot/2.1"}).status_code == 204
    assert client.post(url, headers={"sec-purpose": "prefetch"}).status_code == 204
    assert buffer.pending() == 1


@pytest.mark.django_db
def test_most_read_ranks_the_last_24_hours() -> None:
    today = timezone.now().date()
    a, b, c, d = (make_article(t) for t in ["أ", "ب", "ج", "د"])
    old = make_article("قديم")
    draft = make_article("مسودة", status=Article.Status.DRAFT)
    ReadCount.objects.bulk_create(
        [
            ReadCount(article=a, day=today, count=10),
            ReadCount(article=b, day=today, count=30),
            ReadCount(article=c, day=today, count=5),
            ReadCount(article=c, day=today - timedelta(days=1), count=40),  # 45 in all
            ReadCount(article=d, day=today, count=1),
            ReadCount(article=old, day=today - timedelta(days=3), count=999),
            ReadCount(article=draft, day=today, count=500),
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        ranked = most_read(3)
    assert len(queries) == 1
    assert [x.title for x in ranked] == ["ج", "ب", "أ"]
    assert [x.reads for x in ranked] == [45, 30, 10]


@pytest.mark.django_db
def test_home_shows_most_read_in_order(client: Client) -> None:
    today = timezone.now().date()
    first, second = make_article("الأول قراءة"), make_article("الثاني قراءة")
    ReadCount.objects.create(article=first, day=today, count=9)
    ReadCount.objects.create(article=second, day=today, count=4)
    doc = lxml_html.fromstring(client.get("/").content.decode())
    (block,) = doc.cssselect(".most-read")
    assert block.cssselect("h2")[0].text_content() == "الأكثر قراءة"
    links = block.cssselect(".most-read-list a")
    assert [a.text_content() for a in links] == ["الأول قراءة", "الثاني قراءة"]
    assert links[0].get("href") == first.get_absolute_url()


@pytest.mark.django_db
def test_article_page_carries_the_beacon(client: Client) -> None:
    article = make_article()
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    (script,) = doc.cssselect("script[data-read]")
    assert script.get("data-read") == f"/api/read/{article.pk}/"
    assert script.get("src").endswith("khabar/read.js")


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_and_flushes_lose_and_double_nothing() -> None:
    articles = [make_article(f"خبر {i}") for i in range(4)]
    buffer = ReadBuffer(flush_seconds=3600, flush_hits=10_000)
    per_thread, errors = 300, []
    start = threading.Barrier(4)

    def reader(article: Article) -> None:
        start.wait()
        for _ in range(per_thread):
            buffer.add(article.pk)

    def flusher() -> None:
        try:
            start.wait()
            for _ in range(20):
                buffer.flush()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=reader, args=(articles[0],)),
        threading.Thread(target=reader, args=(articles[1],)),
        threading.Thread(target=flusher),
        threading.Thread(target=flusher),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    buffer.flush()
    assert [reads(a) for a in articles] == [per_thread, per_thread, 0, 0]


@pytest.mark.django_db(transaction=True)
def test_two_threads_flushing_at_once_write_each_view_once() -> None:
    article = make_article()
    buffers = [ReadBuffer(), ReadBuffer()]  # two buffers, as a test or a task might make
    for b in buffers:
        for _ in range(50):
            b.add(article.pk)
    start, errors = threading.Barrier(2), []

    def flush(b: ReadBuffer) -> None:
        try:
            start.wait()
            b.flush()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush, args=(b,)) for b in buffers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert reads(article) == 100


def test_upsert_adds_up_on_a_sqlite_file_from_two_connections_at_once(tmp_path) -> None:
    # Two processes share a SQLite file the way this test's two connections do: the second
    # writer waits for the first (the busy timeout), and no view is lost or counted twice.
    path = tmp_path / "reads.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE article (id integer PRIMARY KEY)")
        conn.execute(
            "CREATE TABLE reads (id integer PRIMARY KEY, article_id integer NOT NULL "
            'REFERENCES article (id), day date NOT NULL, "count" integer NOT NULL, '
            "UNIQUE (article_id, day))"
        )
        conn.execute("INSERT INTO article VALUES (1), (2)")
    today = timezone.now().date().isoformat()
    rows = [(1, today, 7), (2, today, 1), (99, today, 5)]  # 99: no such article
    sql = upsert_sql(len(rows), table="reads", article_table="article", quote=lambda n: n)
    sql = sql.replace("%s", "?")
    params = [v for row in rows for v in row]
    start, errors = threading.Barrier(2), []

    def write() -> None:
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            start.wait()
            for _ in range(25):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(sql, params)
                conn.execute("COMMIT")
            conn.close()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(path) as conn:
        got = conn.execute('SELECT article_id, "count" FROM reads ORDER BY article_id').fetchall()
    assert got == [(1, 350), (2, 50)]


@pytest.fixture
def pg():
    """A PostgreSQL connection with the two tables the upsert touches, in a scratch schema."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need KHABAR_TEST_PG_URL=postgresql://user:pass@host/db")
    psycopg = pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]'")
    schema = f"t{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.article (id bigint PRIMARY KEY)")
        conn.execute(
            f"CREATE TABLE {schema}.reads (id bigserial PRIMARY KEY, "
            f"article_id bigint NOT NULL REFERENCES {schema}.article (id), day date NOT NULL, "
            f'"count" integer NOT NULL, UNIQUE (article_id, day))'
        )
        conn.execute(f"INSERT INTO {schema}.article VALUES (1), (2)")
    yield psycopg, schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_upsert_adds_up_on_postgresql_from_two_connections_at_once(pg) -> None:
    psycopg, schema = pg
    today = timezone.now().date()
    rows = [(1, today, 7), (2, today, 1), (99, today, 5)]  # 99: no such article
    sql = upsert_sql(
        len(rows),
        table=f"{schema}.reads",
        article_table=f"{schema}.article",
        quote=lambda name: name if "." in name else f'"{name}"',
    )
    params = [v for row in rows for v in row]
    start, errors = threading.Barrier(2), []

    def write() -> None:
        try:
            with psycopg.connect(PG_URL) as conn:
                start.wait()
                for _ in range(10):
                    conn.execute(sql, params)
                    conn.commit()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(PG_URL) as conn:
        got = conn.execute(
            f'SELECT article_id, "count" FROM {schema}.reads ORDER BY article_id'
        ).fetchall()
    assert got == [(1, 140), (2, 20)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_read_js_sends_one_beacon_per_article_view(live_server, buffer: ReadBuffer) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the live server thread uses the ORM
    article = make_article("خبر يقرؤه المتصفح")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        with page.expect_request(lambda r: "/api/read/" in r.url) as sent:
            page.goto(live_server.url + article.get_absolute_url())
        assert sent.value.method == "POST"
        assert sent.value.url.endswith(f"/api/read/{article.pk}/")
        page.wait_for_load_state("networkidle")
        browser.close()
    assert errors == []
    assert buffer.pending() == 1
    buffer.flush()
    assert reads(article) == 1
