"""A wire item its agency withholds is stored as a draft, off the site and out of search, until
a later usable version publishes it; a withheld or withdrawn article leaves the story index."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from khabar.newsroom import search_index
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, ArticleRevision, IngestLog

pytestmark = pytest.mark.django_db
WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
STATUS = WIRES / "status"
HELD = "withheld by the agency"


def newsml(tmp_path: Path, name: str, *, status: str, version: int) -> str:
    """The NewsML-G2 fixture with another pubStatus and version."""
    text = (WIRES / "newsmlg2_item.xml").read_text(encoding="utf-8")
    text = text.replace('<pubStatus qcode="stat:usable"/>', f'<pubStatus qcode="{status}"/>')
    text = text.replace('version="2"', f'version="{version}"', 1)
    return _write(tmp_path / name, text)


def ninjs(tmp_path: Path, name: str, **changes: object) -> str:
    """The NINJS v1 fixture with some fields changed (None removes one)."""
    item = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    item.update(changes)
    item = {k: v for k, v in item.items() if v is not None}
    return _write(tmp_path / name, json.dumps(item, ensure_ascii=False))


def nitf(tmp_path: Path, name: str, *, status: str, version: int) -> str:
    """The usable NITF status fixture with another management-status and version."""
    text = (STATUS / "nitf_usable.xml").read_text(encoding="utf-8")
    text = text.replace('management-status="usable"', f'management-status="{status}"')
    text = text.replace('part="1" version="1"', f'part="1" version="{version}"')
    return _write(tmp_path / name, text)


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def last_message(article: Article) -> str:
    return IngestLog.objects.filter(article=article).latest("pk").message


def assert_hidden(article: Article) -> None:
    """Stored, but neither on the site nor in search."""
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.pk not in search_index.indexed_ids()


def assert_shown(article: Article) -> None:
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.pk in search_index.indexed_ids()


# --- withheld -------------------------------------------------------------------------------


def test_withheld_item_is_a_draft_until_a_later_usable_version(tmp_path: Path) -> None:
    held = Ingestor().run([newsml(tmp_path, "v2.xml", status="stat:withheld", version=2)])
    assert (held.new, held.failed) == (1, [])
    article = Article.objects.get()
    assert_hidden(article)
    assert article.story_id is None, "grouped only once readers may see it"
    assert last_message(article).startswith(HELD)

    released = Ingestor().run([newsml(tmp_path, "v3.xml", status="stat:usable", version=3)])

    assert (released.updated, released.new, released.failed) == (1, 0, [])
    assert_shown(article)
    assert article.version == 3
    assert article.story_id is not None
    assert ArticleRevision.objects.filter(article=article, version=2).count() == 1
    assert HELD not in last_message(article)
    assert Article.objects.count() == 1


def test_withheld_version_takes_a_published_article_off_until_the_next(
    tmp_path: Path, client: Client
) -> None:
    Ingestor().run([ninjs(tmp_path, "v1.json")])
    article = Article.objects.get()
    story = article.story_id
    assert story is not None
    assert_shown(article)

    held = Ingestor().run([ninjs(tmp_path, "v2.json", version="2", pubstatus="withheld")])

    assert (held.updated, held.failed) == (1, [])
    assert_hidden(article)
    assert article.version == 2
    assert last_message(article).startswith(HELD)
    assert client.get(article.get_absolute_url()).status_code == 404

    released = Ingestor().run([ninjs(tmp_path, "v3.json", version="3", pubstatus="usable")])

    assert released.updated == 1
    assert_shown(article)
    assert article.story_id == story, "back in the story it was in"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_nitf_withheld_item_waits_for_a_later_version(tmp_path: Path) -> None:
    Ingestor().run([nitf(tmp_path, "h1.xml", status="withheld", version=1)])
    article = Article.objects.get()
    assert_hidden(article)
    assert last_message(article).startswith(HELD)

    # The same version marked usable is not a later version: the hold stays.
    same = Ingestor().run([nitf(tmp_path, "u1.xml", status="usable", version=1)])
    assert same.unchanged == 1
    assert_hidden(article)

    Ingestor().run([nitf(tmp_path, "u2.xml", status="usable", version=2)])
    assert_shown(article)


def test_a_stale_hold_does_not_take_a_later_version_off(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "v3.json", version="3")])
    late = Ingestor().run([ninjs(tmp_path, "v2.json", version="2", pubstatus="withheld")])
    assert (late.unchanged, late.updated) == (1, 0)
    article = Article.objects.get()
    assert_shown(article)
    assert article.version == 3


def test_withheld_twice_changes_nothing(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "v1.json")])
    path = ninjs(tmp_path, "v2.json", version="2", pubstatus="withheld")
    Ingestor().run([path])
    article = Article.objects.get()
    revisions = ArticleRevision.objects.count()

    again = Ingestor().run([path])

    assert (again.unchanged, again.updated, again.new) == (1, 0, 0)
    assert ArticleRevision.objects.count() == revisions
    assert_hidden(article)


def test_unversioned_item_resent_usable_after_a_hold_is_published(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "held.json", version=None, pubstatus="withheld")])
    article = Article.objects.get()
    assert_hidden(article)

    # Same text, no version: only the status tells the hold is lifted.
    released = Ingestor().run([ninjs(tmp_path, "usable.json", version=None, pubstatus="usable")])

    assert released.updated == 1
    assert_shown(article)


def test_a_resend_does_not_publish_an_editors_draft(tmp_path: Path) -> None:
    path = ninjs(tmp_path, "a.json", version=None)
    Ingestor().run([path])
    Article.objects.update(status=Article.Status.DRAFT)  # an editor took it off

    assert Ingestor().run([path]).unchanged == 1
    assert Article.objects.get().status == Article.Status.DRAFT


def test_withheld_after_a_cancellation_stays_withdrawn(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "v1.json")])
    Ingestor().run([ninjs(tmp_path, "v2.json", version="2", pubstatus="canceled")])

    held = Ingestor().run([ninjs(tmp_path, "v3.json", version="3", pubstatus="withheld")])

    assert (held.unchanged, held.updated) == (1, 0)
    assert Article.objects.get().status == Article.Status.ARCHIVED


# --- the story index ------------------------------------------------------------------------


def recent(tmp_path: Path, name: str, hours_ago: int, **status: object) -> str:
    """A status fixture dated a few hours ago: the index loads only the last weeks' news."""
    text = (STATUS / name).read_text(encoding="utf-8")
    when = (timezone.now() - timedelta(hours=hours_ago)).strftime("%Y%m%dT%H%M%S+0000")
    text = re.sub(r'<date.issue norm="[^"]+"/>', f'<date.issue norm="{when}"/>', text)
    if status:
        text = text.replace('management-status="usable"', f'management-status="{status["to"]}"')
        text = text.replace('part="1" version="1"', f'part="1" version="{status["version"]}"')
    return _write(tmp_path / f"{hours_ago}-{name}", text)


def ingest(paths: list[str], *, one_run: bool) -> None:
    """Ingest the paths in order, in one run (the index in memory) or one run each (the index
    loaded again from the database each time)."""
    if one_run:
        with Ingestor() as ingestor:
            for path in paths:
                ingestor.run([path])
    else:
        for path in paths:
            Ingestor().run([path])


ONE_RUN = pytest.mark.parametrize("one_run", [True, False], ids=["in-memory", "reloaded"])


@ONE_RUN
def test_same_topic_items_are_grouped_and_related(tmp_path: Path, one_run: bool) -> None:
    """The control for the tests below: without a withdrawal the two items go together."""
    paths = [recent(tmp_path, "nitf_usable.xml", 48), recent(tmp_path, "nitf_followup.xml", 2)]
    ingest(paths, one_run=one_run)
    first, later = Article.objects.order_by("pk")
    assert later.story_id == first.story_id
    assert first.pk in later.related_ids


@ONE_RUN
def test_withdrawn_article_leaves_the_story_index(tmp_path: Path, one_run: bool) -> None:
    paths = [
        recent(tmp_path, "nitf_usable.xml", 48),
        recent(tmp_path, "nitf_canceled.xml", 24),
        recent(tmp_path, "nitf_followup.xml", 2),
    ]
    ingest(paths, one_run=one_run)
    first, later = Article.objects.order_by("pk")
    assert first.status == Article.Status.ARCHIVED
    assert later.story_id not in (None, first.story_id)
    assert first.pk not in later.related_ids


@ONE_RUN
def test_withheld_article_leaves_the_story_index_and_comes_back(
    tmp_path: Path, one_run: bool
) -> None:
    paths = [
        recent(tmp_path, "nitf_usable.xml", 48),
        recent(tmp_path, "nitf_usable.xml", 24, to="withheld", version=2),
        recent(tmp_path, "nitf_followup.xml", 2),
    ]
    ingest(paths, one_run=one_run)
    first, later = Article.objects.order_by("pk")
    assert first.status == Article.Status.DRAFT
    assert later.story_id not in (None, first.story_id)
    assert first.pk not in later.related_ids

    ingest([recent(tmp_path, "nitf_usable.xml", 1, to="usable", version=3)], one_run=one_run)
    first.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED
    assert later.pk in first.related_ids, "its related articles are worked out again"
