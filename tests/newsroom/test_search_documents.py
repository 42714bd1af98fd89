"""What the search index is given for each article: read as rows, the same as the models say."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.newsroom import search_index
from khabar.newsroom.models import Agency, Article, Block, Entity, Section, Story
from khabar.search import Document

pytestmark = pytest.mark.django_db


def from_models(article: Article) -> Document:
    """The document the way earlier versions built it, from model instances."""
    entities = list(article.entities.all())
    return Document(
        id=article.pk,
        title=article.title,
        lead=article.lead,
        body="\n".join(b.text for b in article.blocks.all() if b.text),
        published=article.published_at or article.created_at,
        section=article.section.slug if article.section else None,
        story=article.story_id,
        agencies=[a.name for a in article.agencies.all()],
        people=[e.name for e in entities if e.kind == Entity.Kind.PERSON],
        places=[e.name for e in entities if e.kind == Entity.Kind.PLACE],
        source_id=article.source_id,
        url=article.get_absolute_url(),
    )


def test_documents_match_the_models_and_leave_out_what_search_must_not_hold() -> None:
    section = Section.objects.create(name="اقتصاد", slug="economy")
    story = Story.objects.create(title="أزمة الوقود", slug="fuel")
    agencies = [Agency.objects.create(name=n, slug=s) for n, s in (("رويترز", "r"), ("واس", "w"))]
    people = [Entity.objects.create(kind="person", name=n, slug=n) for n in ("هدى", "باسل")]
    place = Entity.objects.create(kind="place", name="حلب", slug="حلب")
    org = Entity.objects.create(kind="org", name="الشركة", slug="الشركة")
    full = Article.objects.create(
        title="طوابير أمام المحطات",
        slug="queues",
        lead="عادت الطوابير.",
        status=Article.Status.PUBLISHED,
        published_at=datetime(2031, 2, 3, 4, 5, tzinfo=UTC),
        section=section,
        story=story,
        source_id="urn:full",
    )
    # Blocks out of order, one empty: the body follows positions and skips the empty one.
    for position, text in ((2, "الفقرة الثالثة"), (0, "الفقرة الأولى"), (1, "")):
        Block.objects.create(article=full, position=position, text=text)
    full.agencies.set(agencies)
    full.entities.set([*people, place, org])
    bare = Article.objects.create(title="خبر قصير", slug="short", status=Article.Status.PUBLISHED)
    draft = Article.objects.create(title="مسودة", slug="draft", status=Article.Status.DRAFT)
    copy = Article.objects.create(
        title="نسخة", slug="copy", status=Article.Status.PUBLISHED, duplicate_of=full
    )

    got = {d.id: d for d in search_index.documents([full.pk, bare.pk, draft.pk, copy.pk, 10**9])}

    assert set(got) == {full.pk, bare.pk}
    assert got[full.pk] == from_models(full)
    assert got[bare.pk] == from_models(bare)
    assert got[full.pk].body == "الفقرة الأولى\nالفقرة الثالثة"
    assert list(got[full.pk].people) == ["باسل", "هدى"]  # by name, as the models order them
    assert search_index.documents([draft.pk]) == []
