"""Responsive images: Pillow-made WebP renditions, srcset/sizes in pages, bad pictures refused."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client
from lxml import html as lxml_html
from PIL import Image

from khabar.errors import ImageError
from khabar.newsroom.models import Article, Media, Section
from khabar.site import images
from khabar.site.images import make_renditions, needs_renditions, target_widths

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    images._memo.items.clear()  # each test encodes its own pictures
    images._memo.size = 0
    return tmp_path


def jpeg(width: int, height: int, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=85)
    return out.getvalue()


def stored_media(name: str, data: bytes, **fields: object) -> Media:
    media = Media(caption="صورة للاختبار", alt="وصف الصورة للاختبار", **fields)
    media.image.save(name, ContentFile(data), save=False)
    media.save()
    return media


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; the pixel data is a few bytes and never decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_target_widths_never_upscale_and_offer_the_full_width() -> None:
    assert target_widths(1200) == [320, 640, 960, 1200]
    assert target_widths(3000) == [320, 640, 960, 1280]
    assert target_widths(1280) == [320, 640, 960, 1280]
    assert target_widths(500) == [320, 500]
    assert target_widths(200) == [200]


def test_renditions_are_webp_at_the_right_sizes(media_root: Path) -> None:
    media = stored_media("wide.jpg", jpeg(1600, 900))
    made = make_renditions(media)
    assert [(r["width"], r["height"]) for r in made] == [
        (320, 180),
        (640, 360),
        (960, 540),
        (1280, 720),
    ]
    media.refresh_from_db()
    assert media.renditions == made
    assert (media.width, media.height) == (1600, 900)
    for r in made:
        assert r["path"].startswith(f"renditions/{media.pk}/") and r["path"].endswith(".webp")
        with Image.open(media_root / r["path"]) as img:
            assert img.format == "WEBP"
            assert img.size == (r["width"], r["height"])
    # The original stays as it was: it is the fallback src for browsers without WebP.
    with Image.open(media_root / media.image.name) as original:
        assert original.format == "JPEG" and original.size == (1600, 900)
    assert not needs_renditions(media)


def test_a_small_picture_gets_one_rendition_at_its_own_width() -> None:
    media = stored_media("small.jpg", jpeg(300, 200))
    made = make_renditions(media)
    assert [(r["width"], r["height"]) for r in made] == [(300, 200)]


def test_replacing_the_picture_replaces_its_renditions(media_root: Path) -> None:
    media = stored_media("first.jpg", jpeg(800, 450))
    old = [r["path"] for r in make_renditions(media)]
    media.image.save("second.jpg", ContentFile(jpeg(700, 700, (10, 90, 200))), save=True)
    assert needs_renditions(media)
    new = make_renditions(media)
    assert {r["path"] for r in new}.isdisjoint(old)
    assert not any((media_root / p).exists() for p in old)
    assert new[-1]["width"] == 700 and new[-1]["height"] == 700


def test_external_url_media_gets_no_renditions() -> None:
    media = Media.objects.create(url="https://example.org/photo.jpg", caption="صورة من وكالة")
    assert make_renditions(media) == []
    assert not needs_renditions(media)
    pic = images.picture(media, "hero")
    assert pic.src == "https://example.org/photo.jpg" and pic.srcset == "" and pic.sizes == ""


def test_a_corrupt_file_gives_a_clear_error_and_stores_nothing(media_root: Path) -> None:
    media = stored_media("broken.jpg", b"\xff\xd8\xff\xe0 this is not really a jpeg" * 20)
    with pytest.raises(ImageError, match=r"broken.*not a readable picture.*upload a JPEG"):
        make_renditions(media)
    media.refresh_from_db()
    assert media.renditions == []
    assert media.image.name.endswith(".jpg") and media.caption == "صورة للاختبار"
    assert not (media_root / "renditions").exists()


def test_a_decompression_bomb_is_refused_before_decoding(media_root: Path, monkeypatch) -> None:
    # 50,000 × 50,000 pixels would be 7.5 GB decoded; the file itself is 45 bytes.
    media = stored_media("bomb.png", png_header_only(50_000, 50_000))
    with pytest.raises(ImageError, match=r"bomb.png is too big.*MAX_IMAGE_PIXELS.*smaller"):
        make_renditions(media)
    media.refresh_from_db()
    assert media.renditions == [] and media.width is None
    assert not (media_root / "renditions").exists()


def test_the_pillow_pixel_limit_is_honoured(media_root: Path, monkeypatch) -> None:
    # A real, decodable picture just over a lowered limit: refused, even though Pillow itself
    # would only warn below twice its limit.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000 * 600)
    media = stored_media("big.jpg", jpeg(1000, 610))
    with pytest.raises(ImageError, match="MAX_IMAGE_PIXELS"):
        make_renditions(media)
    assert Media.objects.get(pk=media.pk).renditions == []
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000 * 620)
    assert len(make_renditions(media)) == 4


def test_a_failed_write_removes_what_was_written(media_root: Path, monkeypatch) -> None:
    media = stored_media("photo.jpg", jpeg(1000, 500))
    storage = images.default_storage
    real_save = storage.save
    calls = {"n": 0}

    def flaky_save(name: str, content: object) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_save(name, content)

    monkeypatch.setattr(storage, "save", flaky_save)
    with pytest.raises(ImageError, match="cannot store renditions"):
        make_renditions(media)
    assert Media.objects.get(pk=media.pk).renditions == []
    assert list((media_root / "renditions").rglob("*.webp")) == []


def test_srcset_and_sizes_for_a_media() -> None:
    media = stored_media("srcset.jpg", jpeg(1000, 500))
    make_renditions(media)
    pic = images.picture(media, "hero")
    entries = pic.srcset.split(", ")
    assert [e.rsplit(" ", 1)[1] for e in entries] == ["320w", "640w", "960w", "1000w"]
    assert all(e.startswith("/media/renditions/") for e in entries)
    assert pic.sizes == images.SIZES["hero"]
    assert (pic.width, pic.height) == (1000, 500)
    assert pic.src == media.image.url


def test_renditions_command_backfills_and_reports_failures(media_root: Path, capsys) -> None:
    good = stored_media("good.jpg", jpeg(900, 500))
    bad = stored_media("bad.jpg", b"not a picture at all")
    Media.objects.create(url="https://example.org/only-a-link.jpg")
    with pytest.raises(CommandError, match="1 pictures could not be resized"):
        call_command("renditions")
    out, err = capsys.readouterr()
    assert "1 pictures resized, 0 already done, 1 failed (of 2 uploaded pictures)" in out
    assert f"media #{bad.pk}" in err
    good.refresh_from_db()
    assert [r["width"] for r in good.renditions] == [320, 640, 900]
    bad.delete()
    call_command("renditions")
    assert "0 pictures resized, 1 already done, 0 failed" in capsys.readouterr().out


def test_article_and_card_html_use_srcset_sizes_and_lazy_loading(client: Client) -> None:
    section = Section.objects.create(name="سياسة", slug="politics")
    hero = stored_media("hero.jpg", jpeg(1200, 675))
    make_renditions(hero)
    inline = stored_media("inline.jpg", jpeg(800, 600))
    make_renditions(inline)
    article = Article.objects.create(
        title="خبر بصورة متجاوبة",
        lead="مقدمة الخبر",
        section=section,
        hero=hero,
        status=Article.Status.PUBLISHED,
    )
    article.blocks.create(position=0, kind="image", media=inline)
    other = Article.objects.create(
        title="خبر آخر في القسم نفسه", section=section, hero=hero, status="published"
    )
    assert other.pk

    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    img = doc.cssselect("figure.hero img")[0]
    assert img.get("src") == hero.image.url
    assert img.get("srcset").count("w,") == 3 and img.get("srcset").endswith(" 1200w")
    assert img.get("sizes") == images.SIZES["hero"]
    assert (img.get("width"), img.get("height")) == ("1200", "675")
    assert img.get("loading") == "eager" and img.get("fetchpriority") == "high"
    assert img.get("decoding") == "async"
    assert img.get("alt") == "وصف الصورة للاختبار"
    body_img = doc.cssselect(".article-body figure img")[0]
    assert body_img.get("loading") == "lazy" and body_img.get("fetchpriority") is None
    assert (body_img.get("width"), body_img.get("height")) == ("800", "600")
    assert " 800w" in body_img.get("srcset")

    doc = lxml_html.fromstring(client.get(section.get_absolute_url()).content.decode())
    cards = doc.cssselect(".card .card-media img")
    assert len(cards) == 2
    for card in cards:
        assert card.get("loading") == "lazy" and card.get("decoding") == "async"
        assert card.get("sizes") == images.SIZES["card"]
        assert "/media/renditions/" in card.get("srcset")
        assert (card.get("width"), card.get("height")) == ("1200", "675")
        assert card.get("alt") == ""  # the card's link is aria-hidden: the title says it all

    # The home page's top story is the first thing a reader sees: fetched first, never lazily.
    doc = lxml_html.fromstring(client.get("/").content.decode())
    top = doc.cssselect(".top-story .card-media img")[0]
    assert top.get("loading") == "eager" and top.get("fetchpriority") == "high"
    assert top.get("sizes") == images.SIZES["big"]


def test_stale_renditions_are_not_offered_after_a_failed_remake() -> None:
    media = stored_media("before.jpg", jpeg(900, 500))
    make_renditions(media)
    media.image.save("after.jpg", ContentFile(b"garbage, not a picture"), save=True)
    with pytest.raises(ImageError):
        make_renditions(media)
    media.refresh_from_db()
    assert media.renditions  # the row is left as it was ...
    pic = images.picture(media, "card")
    # ... but the page offers no picture of the old file under the new one's src.
    assert pic.srcset == "" and pic.sizes == "" and pic.src.endswith(".jpg")
    assert needs_renditions(media)


def test_a_picture_uploaded_in_the_admin_gets_renditions(client: Client, media_root: Path) -> None:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    upload = SimpleUploadedFile("upload.jpg", jpeg(1100, 620), content_type="image/jpeg")
    response = client.post(
        "/admin/newsroom/media/add/",
        {"image": upload, "caption": "صورة رفعها محرر", "credit": "تصوير: المحرر", "alt": "وصف"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    media = Media.objects.get(caption="صورة رفعها محرر")
    assert [r["width"] for r in media.renditions] == [320, 640, 960, 1100]
    assert (media.width, media.height) == (1100, 620)
    assert all((media_root / r["path"]).is_file() for r in media.renditions)
    page = client.get(f"/admin/newsroom/media/{media.pk}/change/").content.decode()
    assert "1100×620" in page  # the renditions, read-only, on the editor's form
