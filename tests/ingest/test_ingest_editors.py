"""What an editor decides about stories is never undone by the grouping algorithm."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from test_ingest_stories import QUAKE, write  # tests/ingest is on sys.path under pytest

from khabar.newsroom.admin import StoryAdmin
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Client) -> Client:
    user = User.objects.create_superuser("ed", "ed@example.org", "pass-for-tests-only")
    client.force_login(user)
    return client


def ingest(tmp_path: Path, n: int) -> None:
    with Ingestor() as ingestor:
        ingestor.run([str(write(tmp_path, f"q{n}", *QUAKE[n]))])


def test_split_story_is_not_merged_back(editor: Client, tmp_path: Path) -> None:
    ingest(tmp_path, 0)
    ingest(tmp_path, 1)
    first, second = Article.objects.order_by("pk")
    assert first.story_id == second.story_id
    editor.post(
        "/admin/newsroom/article/",
        {"action": "split_into_new_story", "_selected_action": [second.pk]},
    )
    second.refresh_from_db()
    assert second.story_id != first.story_id and second.story_locked
    new_story = Story.objects.get(pk=second.story_id)
    assert new_story.kept_apart.filter(pk=first.story_id).exists()


def test_merge_and_rename_are_kept(editor: Client, tmp_path: Path) -> None:
    ingest(tmp_path, 0)
    a = Story.objects.get()
    b = Story.objects.create(title="قصة أخرى", slug="other")
    Article.objects.create(title="خبر في القصة الأخرى", story=b, status="published")
    editor.post(
        "/admin/newsroom/story/", {"action": "merge_stories", "_selected_action": [a.pk, b.pk]}
    )
    assert list(Story.objects.values_list("pk", flat=True)) == [a.pk]
    assert all(Article.objects.values_list("story_locked", flat=True))
    request = RequestFactory().post("/")
    request.user = User.objects.get(username="ed")
    form = StoryAdmin(Story, admin.site).get_form(request, a)(
        {
            "title": "زلزال هاتاي",
            "slug": a.slug,
            "description": "",
            "created_at_0": "2026-11-01",
            "created_at_1": "10:00:00",
        },
        instance=a,
    )
    assert form.is_valid(), form.errors
    StoryAdmin(Story, admin.site).save_model(request, form.save(commit=False), form, True)
    a.refresh_from_db()
    assert a.title_locked
    ingest(tmp_path, 1)
    a.refresh_from_db()
    assert a.title == "زلزال هاتاي"
