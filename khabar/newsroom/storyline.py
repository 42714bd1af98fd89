"""Stories as articles arrive: named entities, the story each article joins, related articles.

The pure work (recognition, similarity, grouping) is `khabar.stories`; this module keeps one
`StoryIndex` per process, loaded from the database on first use, and writes its decisions back.
What an editor decided (an article moved by hand, a renamed story, stories kept apart) is loaded
as a lock the algorithm never undoes.

Loading 30 days of articles costs about 2 ms an article, so the index outlives a run: before
each run `catch_up()` adds the articles other processes stored since (new rows say all there is
to know about them), and reloads only when the StoryEdits count moved (editors or the merge
pass changed stories; `stories_edited()` moves it) or the index is RELOAD_SECONDS old (the
30-day window slides).
"""

from __future__ import annotations

import bisect
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from khabar.db.prepared import Prepared
from khabar.db.rows import Insert, Update
from khabar.newsroom import search_index
from khabar.newsroom.models import Article, Entity, Story, StoryEdits, unicode_slug
from khabar.newsroom.signals import content_changed
from khabar.pipeline import entities_of
from khabar.stories.grouping import GroupingConfig, StoryArticle, StoryIndex
from khabar.stories.related import related

RELATED = 6
RELATED_POOL = 50
RELOAD_SECONDS = 3600.0
_CATCH_UP_BATCH = 500
# How far below the highest id it has seen catch-up looks for rows committed late (ids are
# handed out when a row is inserted, not when its transaction commits).
LATE_COMMITS = 1000
# The rows grouping writes for every article, without a query built each time.
_NEW_ENTITIES = Insert(Entity, ["kind", "name", "slug", "aliases"], ignore_conflicts=True)
_TAGS = Insert(Article.entities.through, ["article_id", "entity_id"], ignore_conflicts=True)
_PLACE = Update(Article, ["story_id", "related_ids"])
_ENTITIES_BY_SLUG = Prepared(lambda slugs: Entity.objects.filter(slug__in=slugs))

_lock = threading.RLock()
_index: StoryIndex | None = None
# (published timestamp, id) of every original article the index has seen, oldest first: the
# "most recent news" pool of related articles, kept here so no query is needed per article.
_recent: list[tuple[float, int]] = []
# What the index was loaded from: the StoryEdits count, when (time.monotonic()), and the
# highest article id it has looked at, from which catch_up() goes on.
_loaded = {"revision": -1, "at": 0.0, "seen": 0}


def _text(article: Article) -> str:
    return "\n".join(b.text for b in article.blocks.all() if b.text)


def story_article(article: Article) -> StoryArticle:
    """An article as grouping sees it, with its stored entities."""
    names = tuple(f"{e.kind}:{e.name}" for e in article.entities.all())
    return StoryArticle(
        id=str(article.pk),
        title=article.title,
        lead=article.lead,
        body=_text(article),
        published=article.published_at or article.created_at,
        entities=names or None,
    )


def _new_story() -> str:
    """A story row for a story the index starts; it gets its title once its article is in."""
    temp = f"new-{uuid.uuid4().hex[:12]}"
    return str(Story.objects.create(title=temp, slug=temp).pk)


def _create_story(title: str) -> str:
    """A story row for a story started by an article, titled with that article's headline
    (a one-article story's most representative headline is its own)."""
    temp = f"new-{uuid.uuid4().hex[:12]}"
    # bulk_create, not create: no post_save signal, because the article saved in the same
    # transaction already invalidates the page cache and marks search dirty.
    story = Story.objects.bulk_create([Story(title=title[:200] or temp, slug=temp)])[0]
    if title:
        Story.objects.filter(pk=story.pk).update(slug=f"{unicode_slug(title, 150)}-{story.pk}")
    return str(story.pk)


def _published_in_window(since_pk: int = 0) -> QuerySet[Article]:
    since = timezone.now() - timedelta(days=CONFIG.window_days)
    # Published articles only: a withdrawn or held-back one must not draw later news to it.
    return Article.objects.filter(
        story__isnull=False,
        published_at__gte=since,
        status=Article.Status.PUBLISHED,
        pk__gt=since_pk,
    )


def _add_rows(index: StoryIndex, rows: QuerySet[Article], recent: list[tuple[float, int]]) -> None:
    rows = rows.prefetch_related("blocks", "entities").order_by("published_at", "pk")
    for article in rows.iterator(chunk_size=500):
        dup = str(article.duplicate_of_id) if article.duplicate_of_id else None
        item = story_article(article)
        index.add(
            item,
            story_id=str(article.story_id),
            duplicate_of=dup if dup in index else None,
            locked=article.story_locked,
        )
        if dup is None:
            recent.append((item.published.timestamp(), article.pk))


# Which articles are copies is decided once, by ingest's near-duplicate check, and stored
# (Article.duplicate_of): the index takes the database's word for it rather than looking for
# copies again with a near-duplicate index of its own, so the two never disagree (an article
# the index alone took for a copy was an original again after a reload) and no article is
# fingerprinted twice while it is stored.
CONFIG = GroupingConfig(dedup=False)


def _load() -> StoryIndex:
    index = StoryIndex(CONFIG, new_id=_new_story)
    # Read before loading: an edit made while loading moves the count again, and the next
    # catch_up() reloads.
    _loaded.update(revision=edit_revision(), at=time.monotonic(), seen=newest_article_id())
    recent: list[tuple[float, int]] = []
    _add_rows(index, _published_in_window().filter(pk__lte=_loaded["seen"]), recent)
    for story in Story.objects.prefetch_related("kept_apart"):
        for other in story.kept_apart.all():
            index.keep_apart(str(story.pk), str(other.pk))
        if story.title_locked:
            index.rename(str(story.pk), story.title)
    _recent[:] = sorted(recent)
    return index


def newest_article_id() -> int:
    """The highest article id stored (0 for none): where a process's indexes have read up to."""
    return int(Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)


def edit_revision() -> int:
    """How many times stories were changed in ways new article rows do not show."""
    return int(StoryEdits.objects.filter(pk=1).values_list("revision", flat=True).first() or 0)


def stories_edited(*, here: bool = True) -> None:
    """Stories were moved, merged, split or renamed, or an article left them: every process's
    index reloads before its next run. `here=False` when this process's index already shows
    the change (forget_article): it stays, unless another process changed stories too."""
    StoryEdits.objects.get_or_create(pk=1)
    StoryEdits.objects.filter(pk=1).update(revision=F("revision") + 1)
    if here:
        forget_index()
        return
    with _lock:
        if _index is not None and edit_revision() == _loaded["revision"] + 1:
            _loaded["revision"] += 1  # the only change since loading is this one


def catch_up() -> None:
    """Before a run: bring this process's index up to the database.

    A reload when stories were edited since it was loaded, or it is RELOAD_SECONDS old; else
    only the articles stored since by other processes are added (those this process grouped
    itself are in already).
    """
    with _lock:
        if _index is None:
            return  # loaded on first use
        stale = time.monotonic() - _loaded["at"] > RELOAD_SECONDS
        if stale or edit_revision() != _loaded["revision"]:
            forget_index()
            return
        newest = newest_article_id()
        if newest < _loaded["seen"]:
            forget_index()  # rows were deleted (or the database replaced): start again
            return
        # The last LATE_COMMITS ids seen are read again: on PostgreSQL a transaction can
        # commit after one that took a higher id, and its article would be missed.
        after = max(0, _loaded["seen"] - LATE_COMMITS)
        rows = _published_in_window(after).filter(pk__lte=newest)
        missing = [pk for pk in rows.values_list("pk", flat=True) if str(pk) not in _index]
        recent: list[tuple[float, int]] = []
        for start in range(0, len(missing), _CATCH_UP_BATCH):  # bounded IN lists
            batch = missing[start : start + _CATCH_UP_BATCH]
            _add_rows(_index, Article.objects.filter(pk__in=batch), recent)
        for entry in recent:
            bisect.insort(_recent, entry)
        _loaded["seen"] = newest


def story_index() -> StoryIndex:
    """This process's story index, loaded from the database on first use."""
    global _index
    with _lock:
        if _index is None:
            _index = _load()
        return _index


def forget_index() -> None:
    """Drop the in-memory index (tests, or after editors changed many stories at once)."""
    global _index
    with _lock:
        _index = None
        _recent.clear()
        _loaded.update(revision=-1, at=0.0, seen=0)


def forget_article(article_id: int) -> int | None:
    """Take an article that left the site (withdrawn, or held back by its agency) and its
    copies out of the story index and the recent pool; return the story it was in, whose
    title may now come from another headline (None when the index did not hold it)."""
    with _lock:
        if _index is None:
            return None  # loaded later from the database, which no longer counts it
        return _drop(_index, article_id)


def _drop(index: StoryIndex, article_id: int) -> int | None:
    """Remove an article and its copies from the index and the recent pool; its story id."""
    key = str(article_id)
    story = index.story_of(key) if key in index else None
    gone = {int(pk) for pk in index.remove(key)} | {article_id}
    _recent[:] = [entry for entry in _recent if entry[1] not in gone]
    return int(story) if story is not None else None


def tag_entities(
    article: Article,
    found: list[tuple[str, str, tuple[str, ...]]] | None = None,
    *,
    known: dict[tuple[str, str], Entity] | None = None,
    marked: bool = False,
) -> list[Entity]:
    """Tag an article with the people, places and organizations it names (recognised here
    unless the ingest workers already did). `known` caches entities by (kind, slug) across a
    batch; drop it after a rollback. `marked`: the caller's transaction has already marked
    the article for search (ingest saved it just before)."""
    if found is None:
        found = entities_of("\n".join([article.title, article.lead, _text(article)]))
    wanted = {(kind, unicode_slug(name)): (name, aliases) for kind, name, aliases in found}
    if not wanted:
        return []
    known = {} if known is None else known
    missing = [key for key in wanted if key not in known]
    if missing:
        # The (kind, slug) ones already stored stay as editors left them.
        _NEW_ENTITIES([(k, wanted[k, s][0], s, list(wanted[k, s][1])) for k, s in missing])
        again = _ENTITIES_BY_SLUG(sorted({s for _k, s in missing}))
        known.update({(e.kind, e.slug): e for e in again})
    tags = [known[key] for key in wanted if key in known]
    # The through rows in one insert, not `entities.add` (a query for existing links and two
    # signals): the article's own save marked it for search and the page cache.
    _TAGS([(article.pk, tag.pk) for tag in tags])
    if not marked:
        search_index.mark_dirty(article.pk)
    return tags


def _title_story(story_id: int, index: StoryIndex) -> None:
    retitle([story_id])


def retitle(story_ids: Iterable[int]) -> int:
    """Give stories the title the index chooses now (editors' titles stay); return how many
    changed. Ingest calls it once per chunk for the stories its articles joined."""
    wanted = set(story_ids)
    if not wanted:
        return 0
    index = story_index()
    changed = 0
    with _lock, transaction.atomic():
        for story in Story.objects.filter(pk__in=wanted, title_locked=False):
            title = index.title(str(story.pk))
            if title and title[:200] != story.title:
                story.title = title[:200]
                story.slug = f"{unicode_slug(title, 150)}-{story.pk}"
                story.save(update_fields=["title", "slug"])  # signals: page cache, search
                changed += 1
    return changed


def group(
    article: Article,
    item: StoryArticle | None = None,
    *,
    joined: set[int] | None = None,
    again: bool = False,
) -> int | None:
    """Put a stored article in its story (or a new one) and store its related articles; return
    the story id. With `joined`, an existing story's new title is left to `retitle(joined)`
    (the caller's, once per batch) and the story's id is added to it. With `again`, an article
    the index holds already (loaded after it came back on the site) is placed afresh."""
    index = story_index()
    key = str(article.pk)
    # No savepoint of its own: ingest calls it in the item's savepoint already, and on a
    # failure the caller's transaction (or savepoint) is rolled back as a whole.
    with _lock, transaction.atomic(savepoint=False):
        if key in index and not again:
            return int(index.story_of(key))
        if key in index:
            _drop(index, article.pk)
        item = item or story_article(article)
        original = str(article.duplicate_of_id) if article.duplicate_of_id else None
        original = original if original in index else None
        assignment = None
        if article.story_id and (article.story_locked or original is None):
            # Back on the site after a hold, or placed by an editor: it stays in its story.
            sid: str | None = str(article.story_id)
        elif original is not None:
            sid = index.story_of(original)
        else:
            assignment = index.assign(item)
            sid = assignment.story_id
        new = sid is None
        if sid is None:
            sid = _create_story(article.title)
        # The database first: if a write fails, the transaction rolls back and the index has
        # not changed. After `add`, a failure would leave the index ahead of the database.
        index.add(
            item, sid, assignment=assignment, duplicate_of=original, locked=article.story_locked
        )
        try:
            article.story_id = int(sid)
            if article.duplicate_of_id is None:
                bisect.insort(_recent, (item.published.timestamp(), article.pk))
            article.related_ids = related_for(article, index)
            _PLACE(article.pk, [article.story_id, article.related_ids])
            # A new story was titled with its only headline when created; a story joined
            # may now be better named by another headline.
            if not new and joined is None:
                retitle([article.story_id])
            elif not new and joined is not None:
                joined.add(article.story_id)
        except BaseException:
            forget_index()  # reloaded from the database on next use, so nothing half-done stays
            raise
    return article.story_id


def related_for(article: Article, index: StoryIndex) -> list[int]:
    """The related articles of an article: its story first, then similar recent ones.

    The candidates are those the database query of earlier versions gave (the 50 newest
    articles of the story, then the 50 newest originals; the newer id first on a tie), taken
    from the index in memory instead of two queries per article.
    """
    me = article.pk
    in_story = index.newest(index.story_of(str(me)), RELATED_POOL + 1)
    pool = [int(pk) for pk in in_story if int(pk) != me][:RELATED_POOL]
    newest: list[int] = []
    for _when, pk in reversed(_recent):
        if pk != me:
            newest.append(pk)
            if len(newest) >= RELATED_POOL:
                break
    candidates = [str(pk) for pk in dict.fromkeys(pool + newest) if str(pk) in index]
    found = related(str(me), candidates, RELATED, index=index)
    return [int(r.article_id) for r in found]


def merge_pass() -> int:
    """Merge stories that turned out to be one (never against an editor); return how many."""
    index = story_index()
    with _lock, transaction.atomic():
        applied = index.apply_merges(index.merge_pass(timezone.now()))
        for proposal in applied:
            keep, absorb = int(proposal.keep), int(proposal.absorb)
            Article.objects.filter(story_id=absorb, story_locked=False).update(story_id=keep)
            if not Article.objects.filter(story_id=absorb).exists():
                Story.objects.filter(pk=absorb, pinned=False, title_locked=False).delete()
            _title_story(keep, index)
    if applied:
        stories_edited()  # other processes' indexes hold the absorbed stories
        content_changed.send(sender=Story)
    return len(applied)
