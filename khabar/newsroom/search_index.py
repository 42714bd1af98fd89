"""The search index follows the articles: every change marks the article dirty in the same
transaction (so the update cannot be lost), and the index is brought up to date right after
the commit; `khabar reindex` rebuilds it all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from khabar.db.rows import Insert
from khabar.newsroom.models import Article, Block, Entity, SearchDirty, page_url
from khabar.search import Document, IndexMismatchError
from khabar.search.engine import BaseEngine

BATCH = 500
_MARK = Insert(SearchDirty, ["article_id", "marked_at"], ignore_conflicts=True)


def engine_for(conn: Any) -> BaseEngine:
    """The search engine on a Django database connection, inside its transactions."""
    conn.ensure_connection()
    if conn.vendor == "postgresql":
        from khabar.search.postgres import PostgresEngine

        return PostgresEngine(conn.connection, commit=False)
    from khabar.search import SqliteEngine

    return SqliteEngine(conn.connection, commit=False)


def get_engine() -> BaseEngine:
    """The search engine on the default database."""
    return engine_for(connection)


def searchable() -> Any:
    """Articles that belong in the index: published originals (future ones are filtered later)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, duplicate_of__isnull=True)


def documents(ids: list[int]) -> list[Document]:
    """The searchable articles among `ids` as search sees them (body from the blocks in order,
    agencies, people and places by name), read as plain rows: four queries for any number of
    articles and no model instances (ingest indexes each chunk)."""
    rows = list(
        searchable()
        .filter(pk__in=ids)
        .values_list(
            "pk",
            "title",
            "lead",
            "published_at",
            "created_at",
            "section__slug",
            "story_id",
            "source_id",
            "slug",
        )
    )
    found = [row[0] for row in rows]
    if not found:
        return []
    texts: dict[int, list[str]] = {pk: [] for pk in found}
    blocks = Block.objects.filter(article_id__in=found).order_by("article_id", "position")
    for pk, text in blocks.values_list("article_id", "text"):
        if text:
            texts[pk].append(text)
    agencies: dict[int, list[str]] = {pk: [] for pk in found}
    links = Article.agencies.through.objects.filter(article_id__in=found)
    for pk, name in links.order_by("agency__name").values_list("article_id", "agency__name"):
        agencies[pk].append(name)
    names: dict[int, dict[str, list[str]]] = {pk: {} for pk in found}
    tags = Article.entities.through.objects.filter(article_id__in=found)
    for pk, kind, name in tags.order_by("entity__name").values_list(
        "article_id", "entity__kind", "entity__name"
    ):
        names[pk].setdefault(kind, []).append(name)
    return [
        Document(
            id=pk,
            title=title,
            lead=lead,
            body="\n".join(texts[pk]),
            published=published or created,
            section=section,
            story=story,
            agencies=agencies[pk],
            people=names[pk].get(Entity.Kind.PERSON, []),
            places=names[pk].get(Entity.Kind.PLACE, []),
            source_id=source_id,
            url=page_url("site:article", pk, slug),
        )
        for pk, title, lead, published, created, section, story, source_id, slug in rows
    ]


def sync(ids: Iterable[int]) -> None:
    """Index the searchable articles among `ids` and remove the others from the index."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return
    engine = get_engine()
    docs = documents(wanted)
    gone = set(wanted) - {d.id for d in docs}
    if gone:
        engine.delete(gone)
    if docs:
        engine.index(docs)


def flush_dirty() -> int:
    """Bring the index up to date with every article marked dirty; return how many."""
    done = 0
    while True:
        with transaction.atomic():
            ids = list(SearchDirty.objects.values_list("article_id", flat=True)[:BATCH])
            if not ids:
                return done
            sync(ids)
            SearchDirty.objects.filter(article_id__in=ids).delete()
        done += len(ids)


def indexed_ids() -> list[int]:
    """Every article id the index holds, whether or not the article still exists."""
    table = get_engine().t["doc"]  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table}")  # table name from the engine, not input
        return [int(row[0]) for row in cursor.fetchall()]


def clear() -> int:
    """Remove everything from the index; return how many entries there were."""
    ids = indexed_ids()
    if ids:
        with transaction.atomic():
            get_engine().delete(ids)
    return len(ids)


def rebuild(progress: Callable[[int, int, str], None] | None = None) -> int:
    """Re-create the index from every stored article; return how many were indexed."""
    engine = get_engine()
    with transaction.atomic():
        try:
            engine.setup()
        except IndexMismatchError:
            # Tables of an older PostgreSQL schema (or analyzer) cannot be updated in place;
            # every article is indexed again below anyway, so start from empty ones.
            drop = getattr(engine, "drop", None)
            if drop is None:
                raise
            drop()
            engine.setup()
    clear()
    ids = list(searchable().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            sync(ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids), "")
    SearchDirty.objects.all().delete()
    return len(ids)


_deferred = threading.local()


@contextmanager
def deferred() -> Iterator[None]:
    """Within this block changes are only marked; the caller flushes in batches (bulk ingest)."""
    depth = getattr(_deferred, "depth", 0)
    _deferred.depth = depth + 1
    try:
        yield
    finally:
        _deferred.depth = depth


def mark_dirty(article_id: int | None) -> None:
    """Note in the current transaction that an article's index entry must be refreshed."""
    if article_id is None:
        return
    # One INSERT ... ON CONFLICT DO NOTHING, not get_or_create's SELECT + savepoint + INSERT:
    # ingest marks every article several times (its save, its links) in one transaction.
    _MARK([(article_id, timezone.now())])
    if not getattr(_deferred, "depth", 0):
        transaction.on_commit(flush_dirty)


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def _article_changed(sender: Any, instance: Article, **kwargs: Any) -> None:
    mark_dirty(instance.pk)


@receiver(post_save, sender=Block)
@receiver(post_delete, sender=Block)
def _block_changed(sender: Any, instance: Block, **kwargs: Any) -> None:
    mark_dirty(instance.article_id)


def _m2m_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        mark_dirty(instance.pk)


m2m_changed.connect(_m2m_changed, sender=Article.agencies.through)
m2m_changed.connect(_m2m_changed, sender=Article.entities.through)
