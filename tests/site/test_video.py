"""Video articles: the player, its captions and poster, VideoObject JSON-LD and the videos page."""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image

from khabar.newsroom.demo import videos as demo_videos
from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Article, Media, Section, Video
from khabar.site import video
from khabar.site.images import make_renditions

pytestmark = pytest.mark.django_db

CAPTIONS = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nنص تجريبي للترجمة المصاحبة.\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def section() -> Section:
    return Section.objects.create(name="علوم", slug="tech")


def poster() -> Media:
    out = io.BytesIO()
    Image.new("RGB", (1280, 720), (20, 60, 120)).save(out, "JPEG")
    media = Media(caption="صورة غلاف", credit="تصوير: قسم الفيديو", alt="غلاف الفيديو")
    media.image.save("poster.jpg", ContentFile(out.getvalue()), save=False)
    media.save()
    make_renditions(media)
    return media


def video_article(section: Section, title: str = "تقرير مصوّر عن مختبر", **video_fields) -> Article:
    clip = Video(title=title, duration=205, credit="وحدة الفيديو", **video_fields)
    if "url" not in video_fields:
        clip.file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    clip.captions.save("clip.vtt", ContentFile(CAPTIONS.encode()), save=False)
    clip.poster = poster()
    clip.save()
    return Article.objects.create(
        title=title,
        lead="مقدمة تصف ما في الفيديو",
        section=section,
        status=Article.Status.PUBLISHED,
        video=clip,
    )


def json_ld(doc: lxml_html.HtmlElement) -> dict:
    scripts = doc.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_clock_and_iso_duration() -> None:
    assert video.clock(205) == "3:25"
    assert video.clock(205, "arabic") == "٣:٢٥"
    assert video.clock(9) == "0:09"
    assert video.clock(3725) == "1:02:05"
    assert video.clock(None) == ""
    assert video.iso_duration(205) == "PT3M25S"
    assert video.iso_duration(180) == "PT3M"
    assert video.iso_duration(3725) == "PT1H2M5S"
    assert video.iso_duration(0) == "PT0S"


def test_video_article_has_player_captions_poster_and_video_object(
    client: Client, section: Section, media_root: Path
) -> None:
    article = video_article(section)
    clip = article.video
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content.decode())

    player = doc.cssselect("figure.video-player video")
    assert len(player) == 1
    el = player[0]
    assert el.get("controls") is not None and el.get("preload") == "none"
    assert re.fullmatch(r"/media/renditions/\d+/\w+-960\.webp", el.get("poster"))
    source = el.cssselect("source")[0]
    assert source.get("src") == clip.file.url and source.get("type") == "video/mp4"
    track = el.cssselect("track")[0]
    assert track.get("kind") == "captions" and track.get("srclang") == "ar"
    assert track.get("label") == "العربية" and track.get("default") is not None
    assert track.get("src") == clip.captions.url
    captions = client.get(track.get("src"))
    assert captions.status_code == 200
    assert b"".join(captions.streaming_content).decode().startswith("WEBVTT")
    duration = doc.cssselect(".video-player time.duration")[0]
    assert duration.text == "3:25" and duration.get("datetime") == "PT3M25S"
    assert not doc.cssselect("figure.hero")  # the player takes the hero's place

    data = json_ld(doc)
    assert data["@type"] == "NewsArticle"
    obj = data["video"]
    assert obj["@type"] == "VideoObject"
    assert obj["name"] == article.title and obj["description"] == article.lead
    assert obj["thumbnailUrl"] == ["http://testserver" + el.get("poster")]
    assert datetime.fromisoformat(obj["uploadDate"]) == article.published_at
    assert obj["duration"] == "PT3M25S"
    assert obj["contentUrl"] == "http://testserver" + clip.file.url


def test_duration_follows_the_site_digits(client: Client, section: Section, settings) -> None:
    settings.KHABAR_DIGITS = "arabic"
    article = video_article(section)
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert doc.cssselect("time.duration")[0].text == "٣:٢٥"


def test_hls_stream_gets_its_type(client: Client, section: Section) -> None:
    article = video_article(section, url="https://live.example.org/news/index.m3u8")
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    source = doc.cssselect("video source")[0]
    assert source.get("type") == "application/vnd.apple.mpegurl"
    assert json_ld(doc)["video"]["contentUrl"] == "https://live.example.org/news/index.m3u8"


def test_video_without_a_file_shows_the_poster_and_a_note(client: Client, section: Section) -> None:
    article = video_article(section, url="")
    article.video.file = ""
    article.video.save()
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert not doc.cssselect("video")
    assert doc.cssselect(".video-missing img[srcset]")
    assert "غير متاح" in doc.cssselect(".video-note")[0].text_content()
    assert "contentUrl" not in json_ld(doc)["video"]


def test_videos_page_lists_only_video_articles_and_paginates(
    client: Client, section: Section
) -> None:
    with_video = [video_article(section, f"تقرير مصوّر رقم {n}") for n in range(13)]
    Article.objects.create(title="خبر مكتوب بلا فيديو", section=section, status="published")
    url = reverse("site:videos")
    assert url == "/videos/"
    first = lxml_html.fromstring(client.get(url).content.decode())
    titles = [" ".join(e.text_content().split()) for e in first.cssselect(".video-card h2")]
    assert len(titles) == video.PAGE_SIZE == 12
    assert "خبر مكتوب بلا فيديو" not in first.text_content()
    assert first.cssselect(".video-card .duration-badge")[0].text == "3:25"
    assert first.cssselect('.pagination a[rel="next"]')
    second = lxml_html.fromstring(client.get(url + "?page=2").content.decode())
    titles += [" ".join(e.text_content().split()) for e in second.cssselect(".video-card h2")]
    assert sorted(titles) == sorted(a.title for a in with_video)


def test_videos_page_queries_do_not_grow_with_the_page(
    client: Client, section: Section, django_assert_max_num_queries
) -> None:
    for n in range(12):
        video_article(section, f"تقرير رقم {n}")
    # 2 for the page, 5 for the chrome on its first request of a generation (test_chrome.py).
    with django_assert_max_num_queries(7):
        assert client.get("/videos/").status_code == 200


def test_webvtt_is_well_formed() -> None:
    text = demo_videos.webvtt(((0.0, 2.5, "أول"), (2.5, 61.25, "ثانٍ")))
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nأول\n")
    assert "00:00:02.500 --> 00:01:01.250\nثانٍ" in text


def test_demo_video_articles_without_ffmpeg(
    client: Client, media_root: Path, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(demo_videos.shutil, "which", lambda name: None)
    monkeypatch.setattr(demo_videos, "_clips", {})  # no clip made earlier in this process
    with caplog.at_level(logging.WARNING, logger="khabar.newsroom.demo.videos"):
        load_demo()
    assert "ffmpeg is not on PATH" in caplog.text
    articles = list(Article.objects.filter(video__isnull=False).select_related("video"))
    assert len(articles) == len(demo_videos.VIDEOS) == 3
    for article in articles:
        clip = article.video
        assert not clip.file and clip.duration is None
        assert clip.captions and (media_root / clip.captions.name).read_text().startswith("WEBVTT")
        assert clip.poster.credit and clip.poster.renditions
    doc = lxml_html.fromstring(client.get("/videos/").content.decode())
    assert len(doc.cssselect(".video-card")) == 3
    count = Article.objects.count()
    load_demo()  # a second load updates, never duplicates
    assert Article.objects.count() == count


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_demo_video_with_ffmpeg_is_a_playable_mp4(client: Client, media_root: Path) -> None:
    load_demo()
    article = Article.objects.filter(video__isnull=False).select_related("video").first()
    clip = article.video
    assert clip.file.name.endswith(".mp4") and clip.duration
    assert (media_root / clip.file.name).read_bytes()[4:8] == b"ftyp"
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert doc.cssselect("video source")[0].get("src") == clip.file.url


def test_video_admin_lists_videos_with_their_length(client: Client, section: Section) -> None:
    from django.contrib.auth.models import User

    video_article(section, "تقرير للمحررين")
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    listing = client.get("/admin/newsroom/video/").content.decode()
    assert "تقرير للمحررين" in listing and "3:25" in listing
    assert client.get("/admin/newsroom/video/add/").status_code == 200
