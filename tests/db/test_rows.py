"""`khabar.db.rows`: inserts and updates written once per shape store what the ORM would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from khabar.db.rows import BATCH, Insert, Update
from khabar.newsroom.models import Article, Entity, IngestLog

pytestmark = pytest.mark.django_db

WHEN = datetime(2031, 4, 5, 6, 7, 8, 9000, tzinfo=UTC)


def test_insert_converts_values_as_the_orm_does() -> None:
    log = Insert(IngestLog, ["target", "item_id", "outcome", "message", "created_at"])
    log([("feed.xml", "urn:1", "new", "رسالة", WHEN), ("feed.xml", "urn:2", "failed", "", WHEN)])
    rows = list(IngestLog.objects.order_by("item_id"))
    assert [(r.item_id, r.outcome, r.message) for r in rows] == [
        ("urn:1", "new", "رسالة"),
        ("urn:2", "failed", ""),
    ]
    assert rows[0].created_at == WHEN  # time zone and microseconds kept
    assert rows[0].source is None and rows[0].article is None


def test_insert_keeps_json_and_ignores_conflicts_only_when_asked() -> None:
    entities = Insert(Entity, ["kind", "name", "slug", "aliases"], ignore_conflicts=True)
    entities([("person", "سلمى", "سلمى", ["سلمى الأحمد", "Salma"])])
    # The same (kind, slug) again: skipped, the stored row (an editor's) is kept as it is.
    entities([("person", "اسم آخر", "سلمى", []), ("place", "سلمى", "سلمى", [])])
    stored = {(e.kind, e.name): e.aliases for e in Entity.objects.all()}
    assert stored == {("person", "سلمى"): ["سلمى الأحمد", "Salma"], ("place", "سلمى"): []}
    strict = Insert(Entity, ["kind", "name", "slug", "aliases"])
    with pytest.raises(IntegrityError), transaction.atomic():
        strict([("person", "ثالث", "سلمى", [])])


def test_insert_writes_more_rows_than_one_statement_holds() -> None:
    log = Insert(IngestLog, ["target", "item_id", "outcome", "message", "created_at"])
    log([("t", f"urn:{n}", "new", "", WHEN) for n in range(BATCH * 2 + 3)])
    assert IngestLog.objects.count() == BATCH * 2 + 3


def test_bad_shapes_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="no column for nope"):
        Insert(IngestLog, ["target", "nope"])
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        Update(Article, ["title"])(1, ["a", "b"])
    with pytest.raises(ValueError, match="a row of 1 values for 2 columns"):
        Insert(IngestLog, ["target", "item_id"])([("only one",)])
    assert IngestLog.objects.count() == 0


def test_update_sets_the_fields_of_one_row() -> None:
    one = Article.objects.create(title="أول", slug="a1")
    two = Article.objects.create(title="ثان", slug="a2")
    place = Update(Article, ["related_ids", "title"])
    assert place(one.pk, [[two.pk, 7], "أول معدل"]) == 1
    assert place(10**9, [[], "لا أحد"]) == 0
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.related_ids, one.title) == ([two.pk, 7], "أول معدل")
    assert (two.related_ids, two.title) == ([], "ثان")


def test_create_stores_what_save_stores_and_sends_its_signals() -> None:
    from khabar.db.rows import Create
    from khabar.newsroom.models import SearchDirty, Section

    section = Section.objects.create(name="رياضة", slug="sport")
    values = {
        "title": "فوز في النهائي",
        "slug": "final-win",
        "lead": "فاز الفريق.",
        "status": Article.Status.PUBLISHED,
        "published_at": WHEN,
        "section": section,
        "related_ids": [3, 4],
        "signature": b"\x00\x01",
    }
    by_save = Article(source_id="urn:save", **values)
    by_save.save()
    made = Article(source_id="urn:create", **values)
    Create(Article)(made)

    assert made.pk and made.pk != by_save.pk and not made._state.adding
    stored = Article.objects.get(pk=made.pk)
    fields = [f.attname for f in Article._meta.concrete_fields if f.attname not in {"id"}]
    differ = [
        f
        for f in fields
        if getattr(stored, f) != getattr(Article.objects.get(pk=by_save.pk), f)
        and f not in {"source_id", "created_at"}
    ]
    assert differ == []
    assert SearchDirty.objects.filter(article_id=made.pk).exists()  # post_save was sent
    with pytest.raises(ValueError, match="new Article instances only"):
        Create(Article)(made)


def test_values_passed_on_as_they_are_only_where_django_would_pass_them_on() -> None:
    from django.db import connection
    from django.utils.safestring import mark_safe

    from khabar.db.rows import _Converters, _plain_type

    field = Article._meta.get_field
    assert _plain_type(field("title"), connection) is str
    assert _plain_type(field("urgency"), connection) is int
    assert _plain_type(field("section"), connection) is int  # a key to an integer id
    for name in ("published_at", "related_ids", "signature"):
        assert _plain_type(field(name), connection) is None
    names = ["title", "urgency", "section", "published_at", "related_ids", "lead", "version"]
    row = [7, "3", True, WHEN, [4, 5], mark_safe("<b>نص</b>"), None]  # odd types: converted
    fields = [field(n) for n in names]
    expected = [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
    assert _Converters(fields).params(row, connection) == expected
    plain = ["عنوان", 2, 9, WHEN, [], "مقدمة", 3]
    expected = [f.get_db_prep_save(v, connection) for f, v in zip(fields, plain, strict=True)]
    assert _Converters(fields).params(plain, connection) == expected
