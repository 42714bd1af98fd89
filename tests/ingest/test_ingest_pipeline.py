"""Ingest end to end: feeds, pages, wires and folders in; each article stored once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from khabar.newsroom.export import iter_export
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, IngestLog, Source

pytestmark = pytest.mark.django_db

STORIES = [
    (
        "افتتاح محطة لتحلية مياه البحر في مدينة صور بطاقة إنتاجية كبيرة",
        [
            "افتتحت وزارة الطاقة والمياه صباح اليوم محطة جديدة لتحلية مياه البحر في مدينة صور "
            "الساحلية، بطاقة إنتاجية تبلغ عشرين ألف متر مكعب يوميا تكفي حاجة نحو مئة ألف نسمة.",
            "وقال مدير المشروع إن المحطة تعمل بالطاقة الشمسية في ساعات النهار، وإن كلفة إنتاج "
            "المتر المكعب ستنخفض إلى النصف مقارنة بالمحطات القديمة التي تعمل بالوقود.",
            "وأضاف أن المرحلة الثانية من المشروع ستبدأ في الربيع المقبل وتشمل مد شبكة أنابيب "
            "جديدة إلى القرى المجاورة التي تعاني من انقطاع المياه خلال أشهر الصيف.",
        ],
    ),
    (
        "فريق جامعي يطور تطبيقا لرصد جودة الهواء في الأحياء المزدحمة",
        [
            "أعلن فريق من طلاب كلية الهندسة عن تطبيق جديد يقيس جودة الهواء في الأحياء المزدحمة "
            "عبر أجهزة استشعار صغيرة تثبت على أعمدة الإنارة وترسل قراءاتها كل خمس دقائق.",
            "وأوضحت رئيسة الفريق أن التطبيق ينبه السكان عندما ترتفع نسبة الجسيمات الدقيقة فوق "
            "الحد الآمن، ويقترح عليهم طرقا بديلة للمشي بعيدا عن الشوارع الأكثر تلوثا.",
            "وتعتزم البلدية تجربة التطبيق في ثلاثة أحياء خلال الشهر المقبل قبل تعميمه على "
            "المدينة كلها إذا أثبتت القراءات دقتها مقارنة بمحطات الرصد الرسمية.",
        ],
    ),
]


def html_page(title: str, paragraphs: list[str], canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title>{link}</head><body><nav><a href='/'>الرئيسية</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>جميع الحقوق محفوظة</footer>"
        f"</body></html>"
    )


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed whose entries carry only a summary and a link."""
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<description>{summary}</description>"
        f"<pubDate>Mon, 02 Nov 2026 08:00:00 +0300</pubDate></item>"
        for t, path, summary in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>موقع تجريبي</title><link>{base}/</link><description>أخبار</description>"
        f"{entries}</channel></rss>"
    )


@pytest.fixture
def news_site(site, loopback):
    items = []
    for n, (title, paras) in enumerate(STORIES, 1):
        path = f"/news/{n}?utm_source=feed"
        site.put(f"/news/{n}", html_page(title, paras))
        site.put(path, html_page(title, paras))
        items.append((title, path, paras[0][:80]))
    site.put(
        "/feed.xml",
        rss(site.base, items),
        "application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"'},
    )
    return site


def export() -> list[dict]:
    return list(iter_export())


def test_feed_with_summaries_fetches_each_page_and_stores_once(news_site) -> None:
    summary = Ingestor().run([news_site.base + "/feed.xml"])
    assert (summary.new, summary.failed) == (2, [])
    rows = export()
    assert sorted(r["title"] for r in rows) == sorted(t for t, _ in STORIES)
    for row in rows:
        assert row["source_id"].startswith(news_site.base)  # the feed's GUID
        assert "utm_source" not in row["url"]
        assert len(row["body"]) == 3
    again = Ingestor().run([news_site.base + "/feed.xml"])
    assert (again.new, again.updated) == (0, 0)
    assert Article.objects.count() == 2


def test_source_remembers_etag_so_unchanged_feed_costs_one_304(news_site) -> None:
    source = Source.objects.create(name="تجريبي", address=news_site.base + "/feed.xml")
    Ingestor().run([str(source.pk)])
    pages_fetched = news_site.hits.get("/news/1?utm_source=feed", 0)
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_success_at is not None
    Ingestor().run([str(source.pk)])
    assert news_site.hits["/feed.xml"] == 2
    assert news_site.hits.get("/news/1?utm_source=feed", 0) == pages_fetched


def test_rewritten_copy_is_linked_not_shown_twice(news_site, tmp_path: Path) -> None:
    title, paras = STORIES[0]
    copy = [
        "صور (وكالات) - " + paras[0].replace("صباح اليوم", "اليوم"),
        paras[1],
        paras[2] + " وتأتي هذه الخطوة ضمن خطة وطنية.",
    ]
    (tmp_path / "copy.html").write_text(
        html_page(
            "محطة تحلية جديدة في صور تنتج عشرين ألف متر مكعب يوميا",
            copy,
            "https://other.example/a/9",
        ),
        encoding="utf-8",
    )
    Ingestor().run([news_site.base + "/feed.xml"])
    summary = Ingestor().run([str(tmp_path / "copy.html")])
    assert summary.duplicates == 1
    rows = {r["source_id"]: r for r in export()}
    dup = rows["https://other.example/a/9"]
    assert dup["duplicate_of"] is not None
    original = rows[dup["duplicate_of"]]
    assert original["title"] == title
    assert [c["source_id"] for c in original["also_reported_by"]] == ["https://other.example/a/9"]
    assert Article.objects.published().count() == 2


def test_bad_inputs_are_logged_and_change_nothing_stored(news_site, tmp_path: Path) -> None:
    Ingestor().run([news_site.base + "/feed.xml"])
    before = json.dumps(export(), sort_keys=True)
    (tmp_path / "broken.xml").write_bytes(b'<?xml version="1.0"?><rss><channel><item><title>')
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    news_site.put("/gone", "", status=500)
    summary = Ingestor().run(
        [str(tmp_path), news_site.base + "/gone", "10.1.2.3", "http://10.0.0.7/feed"]
    )
    assert summary.new == 0
    assert len(summary.failed) >= 5
    assert all(reason for _, reason in summary.failed)
    assert IngestLog.objects.filter(outcome="failed").count() == len(summary.failed)
    assert json.dumps(export(), sort_keys=True) == before


def test_interrupted_run_finishes_on_the_next_run_without_duplicates(
    news_site, monkeypatch
) -> None:
    calls = {"n": 0}
    real = Ingestor.store

    def dies_on_second(self, prepared, existing, source, target):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is killed mid-run
        return real(self, prepared, existing, source, target)

    monkeypatch.setattr(Ingestor, "store", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        Ingestor().run([news_site.base + "/feed.xml"])
    assert Article.objects.count() == 1
    monkeypatch.setattr(Ingestor, "store", real)
    summary = Ingestor().run([news_site.base + "/feed.xml"])
    assert (summary.new, summary.unchanged) == (1, 1)
    assert Article.objects.count() == 2


def test_ingest_command_prints_summary(news_site, capsys) -> None:
    call_command("ingest", news_site.base + "/feed.xml", "/no/such/path")
    out = capsys.readouterr().out
    assert "new 2" in out and "failed 1" in out
    assert "/no/such/path" in out


def test_hostile_servers_are_recorded_and_change_nothing(news_site, settings) -> None:
    settings.KHABAR_FETCH_MAX_BYTES = 200_000
    settings.KHABAR_FETCH_TIMEOUT = 0.5
    settings.KHABAR_FETCH_ATTEMPTS = 1
    Ingestor().run([news_site.base + "/feed.xml"])
    before = json.dumps(export(), sort_keys=True)
    news_site.put("/loop", b"", status=302, headers={"Location": "/loop"})
    news_site.put("/huge", b"<p>" + "خبر ".encode() * 300_000 + b"</p>")
    news_site.put("/html-feed", html_page("صفحة وليست خلاصة", STORIES[1][1]))
    gzip_bomb = __import__("gzip").compress(b"\0" * 20_000_000)
    news_site.put("/bomb", gzip_bomb, headers={"Content-Encoding": "gzip"})
    source = Source.objects.create(name="خلاصة", address=news_site.base + "/html-feed", kind="feed")
    summary = Ingestor().run(
        [
            news_site.base + "/loop",
            news_site.base + "/huge",
            news_site.base + "/bomb",
            str(source.pk),
        ]
    )
    reasons = [reason for _, reason in summary.failed]
    assert len(reasons) == 4, reasons
    assert any("redirect" in r.lower() for r in reasons)
    assert any("feed" in r.lower() for r in reasons)
    source.refresh_from_db()
    assert source.last_error and source.last_error_at
    assert json.dumps(export(), sort_keys=True) == before
