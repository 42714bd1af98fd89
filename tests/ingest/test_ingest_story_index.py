"""The story index outlives an ingest run: caught up from new rows, reloaded after edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import F

from khabar.newsroom import editing, storyline
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, Story, StoryEdits

pytestmark = pytest.mark.django_db

FIRE = (
    "حريق كبير في غابات جبال الأطلس يأتي على مئات الهكتارات",
    "اندلع حريق كبير في غابات جبال الأطلس المتوسط مساء أمس، وأتى على مئات الهكتارات من "
    "أشجار الأرز والبلوط، فيما تواصل فرق الوقاية المدنية وطائرات الإطفاء محاولة السيطرة "
    "على النيران التي تغذيها رياح قوية وحرارة مرتفعة.",
)
FIRE_AGAIN = (
    "طائرات الإطفاء تواصل مكافحة حريق غابات الأطلس لليوم الثاني",
    "واصلت طائرات الإطفاء وفرق الوقاية المدنية لليوم الثاني مكافحة حريق غابات جبال الأطلس "
    "المتوسط الذي أتى على مئات الهكتارات من أشجار الأرز والبلوط، وسط رياح قوية وحرارة "
    "مرتفعة تعيق السيطرة على النيران.",
)


UNRELATED = (
    "البنك المركزي يبقي سعر الفائدة دون تغيير للمرة الثالثة على التوالي",
    "قرر البنك المركزي في اجتماعه الدوري الإبقاء على سعر الفائدة الرئيسي دون تغيير للمرة "
    "الثالثة على التوالي، مشيرا إلى تراجع معدلات التضخم واستقرار سعر صرف العملة المحلية "
    "خلال الأشهر الأخيرة.",
)


def ingest(tmp_path: Path, name: str, title: str, body: str) -> Article:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"{title}\n\n{body}\n\nالمصدر: وكالات\n", encoding="utf-8")
    with Ingestor() as ingestor:
        ingestor.run([str(path)])
    return Article.objects.get(title=title)


def stored_elsewhere(pk: int | None = None) -> Article:
    """The fire article and its story, as another process stores them (not in this index),
    published when the unrelated article already ingested was."""
    story = Story.objects.create(title="حريق الأطلس", slug="atlas-fire")
    return Article.objects.create(
        pk=pk,
        title=FIRE[0],
        lead=FIRE[1],
        status=Article.Status.PUBLISHED,
        story=story,
        published_at=Article.objects.get(title=UNRELATED[0]).published_at,
    )


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full loads of the index from the database."""
    made: list[int] = []
    real = storyline._load

    def counted() -> storyline.StoryIndex:
        made.append(1)
        return real()

    monkeypatch.setattr(storyline, "_load", counted)
    return made


def test_the_index_is_loaded_once_across_runs(tmp_path: Path, loads: list[int]) -> None:
    first = ingest(tmp_path, "a", *FIRE)
    second = ingest(tmp_path, "b", *FIRE_AGAIN)
    assert len(loads) == 1
    assert first.story_id is not None and second.story_id == first.story_id


def test_articles_another_process_stored_join_the_index(tmp_path: Path, loads: list[int]) -> None:
    ingest(tmp_path, "x", *UNRELATED)
    # Stored by another worker: its rows are in the database, not in this process's index.
    other = stored_elsewhere()
    later = ingest(tmp_path, "b", *FIRE_AGAIN)
    assert len(loads) == 1  # caught up, not reloaded
    index = storyline.story_index()
    assert str(other.pk) in index
    assert later.story_id == other.story_id  # grouped with what the other process stored


def test_stories_edited_anywhere_make_the_next_run_reload(tmp_path: Path, loads: list[int]) -> None:
    first = ingest(tmp_path, "a", *FIRE)
    assert len(loads) == 1
    # Another process (the admin, the merge pass) moved the count: reload before the next run.
    StoryEdits.objects.get_or_create(pk=1)
    StoryEdits.objects.filter(pk=1).update(revision=F("revision") + 1)
    ingest(tmp_path, "b", *FIRE_AGAIN)
    assert len(loads) == 2
    # An editor's merge here bumps the count too, and drops this process's index at once.
    other = Story.objects.create(title="ملف آخر", slug="other-file")
    before = storyline.edit_revision()
    assert first.story is not None
    editing.merge([first.story, other])
    assert storyline.edit_revision() == before + 1
    assert storyline._index is None


def test_an_index_an_hour_old_is_reloaded(
    tmp_path: Path, loads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(tmp_path, "a", *FIRE)
    monkeypatch.setattr(storyline, "RELOAD_SECONDS", 0.0)  # the 30-day window has moved on
    ingest(tmp_path, "b", *FIRE_AGAIN)
    assert len(loads) == 2


def test_a_withdrawal_here_keeps_this_index_unless_others_edited_too(tmp_path: Path) -> None:
    ingest(tmp_path, "a", *FIRE)
    storyline.stories_edited(here=False)  # this process already dropped the article itself
    assert storyline._index is not None
    storyline.catch_up()
    assert storyline._index is not None  # the only change was its own
    StoryEdits.objects.filter(pk=1).update(revision=F("revision") + 1)  # someone else's
    storyline.stories_edited(here=False)
    storyline.catch_up()
    assert storyline._index is None


def test_the_near_duplicate_index_outlives_a_run_and_catches_up(tmp_path: Path) -> None:
    from khabar.newsroom import ingest as ingest_module

    original = ingest(tmp_path, "a", *FIRE)
    shared = ingest_module._dedup["index"]
    assert shared is not None and str(original.pk) in shared
    # As if another process had stored it: this process's index has not seen it yet.
    shared.remove(str(original.pk))
    ingest_module._dedup["seen"] = original.pk - 1
    title, body = FIRE
    copy = ingest(tmp_path, "copy", title + " (محدث)", body)
    assert ingest_module._dedup["index"] is shared  # the same index, caught up
    assert str(original.pk) in shared
    assert copy.duplicate_of_id == original.pk


def test_a_row_committed_after_a_higher_id_is_caught_up(tmp_path: Path, loads: list[int]) -> None:
    """On PostgreSQL a transaction can commit after one that took a higher id."""
    ingest(tmp_path, "x", *UNRELATED)
    # Another process's draft took a high id and committed first; this process has seen it.
    Article.objects.create(pk=500, title="مسودة", status=Article.Status.DRAFT)
    storyline.catch_up()
    assert storyline._loaded["seen"] == 500
    # Then a transaction that had taken a lower id commits its article.
    late = stored_elsewhere(pk=400)
    later = ingest(tmp_path, "b", *FIRE_AGAIN)
    assert len(loads) == 1  # caught up, not reloaded
    assert str(late.pk) in storyline.story_index()
    assert later.story_id == late.story_id


def test_the_near_duplicate_index_catches_up_rows_committed_late(tmp_path: Path) -> None:
    from khabar.newsroom import ingest as ingest_module

    original = ingest(tmp_path, "a", *FIRE)
    shared = ingest_module._dedup["index"]
    assert shared is not None
    # Committed by another process after this one had seen a higher id (another's draft).
    shared.remove(str(original.pk))
    Article.objects.create(pk=original.pk + 10, title="مسودة", status=Article.Status.DRAFT)
    ingest_module._dedup["seen"] = original.pk + 10
    title, body = FIRE
    copy = ingest(tmp_path, "copy", title + " (محدث)", body)
    assert ingest_module._dedup["index"] is shared
    assert copy.duplicate_of_id == original.pk


def test_the_story_index_holds_as_copies_exactly_the_articles_stored_as_copies(
    tmp_path: Path, settings
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from khabar.newsroom.ingest import forget_dedup

    first = ingest(tmp_path, "a", *FIRE)
    copy = ingest(tmp_path, "b", FIRE[0] + " (تحديث)", FIRE[1])  # the same text: a copy
    assert copy.duplicate_of_id == first.pk
    # Older than near-duplicate checking looks back, younger than stories do: the same text
    # again is stored as news, and the story index does not take it for a copy either.
    settings.KHABAR_DEDUP_DAYS = 1
    Article.objects.filter(pk__in=[first.pk, copy.pk]).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    forget_dedup()
    again = ingest(tmp_path, "c", FIRE[0] + " (إعادة)", FIRE[1])
    assert again.duplicate_of_id is None
    index = storyline.story_index()
    for article in (first, copy, again):
        stored = Article.objects.get(pk=article.pk)
        assert index.original(str(article.pk)) == str(stored.duplicate_of_id or stored.pk)
    storyline.forget_index()
    reloaded = storyline.story_index()
    for article in (first, copy, again):
        assert reloaded.original(str(article.pk)) == index.original(str(article.pk))
