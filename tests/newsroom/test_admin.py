"""Editors see and edit everything in the admin, in Arabic, right to left."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Agency, Article, Block, Entity, Media, Section, Story

pytestmark = pytest.mark.django_db

MODELS = [Article, Story, Section, Agency, Entity, Media]


@pytest.fixture
def editor(client: Client, settings, tmp_path) -> Client:
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    user = User.objects.create_superuser("editor", "editor@example.org", "pass-for-tests-only")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_lists_and_edits_in_arabic_rtl(editor: Client, model) -> None:
    meta = model._meta
    listing = editor.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    doc = lxml_html.fromstring(listing.content.decode())
    assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"
    obj = model.objects.first()
    assert obj is not None
    change = editor.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_editor_changes_a_block_and_the_site_shows_it(editor: Client) -> None:
    article = Article.objects.filter(blocks__isnull=False).first()
    assert article is not None
    block = article.blocks.first()
    assert isinstance(block, Block)
    block.text = "فقرة عدّلها المحرر للتو."
    block.save()
    page = editor.get(article.get_absolute_url()).content.decode()
    assert "فقرة عدّلها المحرر للتو." in page


def test_story_admin_shows_article_counts(editor: Client) -> None:
    story = Story.objects.filter(articles__isnull=False).first()
    assert story is not None
    page = editor.get(reverse("admin:newsroom_story_changelist")).content.decode()
    assert story.title in page
    assert Section.objects.exists()
