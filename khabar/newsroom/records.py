"""Map the pure packages' records to the newsroom's models: the one way an article is stored."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from khabar.arabic.normalize import normalize
from khabar.db.prepared import Prepared
from khabar.db.rows import Create, Insert
from khabar.extract.record import ExtractedArticle, IncomingItem
from khabar.newsroom.models import (
    Agency,
    Article,
    ArticleRevision,
    Author,
    Block,
    Media,
    Section,
    Source,
    Story,
    first_or_none,
    unicode_slug,
)


def _key(name: str) -> str:
    return " ".join(normalize(name).casefold().replace('"', " ").split())


class Agencies:
    """The agencies by normalized name and alias, read from the database once: a batch of
    articles resolves its agencies with no query per article (drop it after a rollback)."""

    def __init__(self) -> None:
        self._known: dict[str, Agency] | None = None

    def _table(self) -> dict[str, Agency]:
        if self._known is None:
            self._known = {}
            for agency in Agency.objects.all():
                for alias in agency.names():
                    self._known.setdefault(_key(alias), agency)
        return self._known

    def resolve(self, names: list[str]) -> list[Agency]:
        """Find each named agency by its name or an alias, creating the ones not known yet."""
        known = self._table()
        found: list[Agency] = []
        for name in names:
            name = name.strip()
            if not name:
                continue
            agency = known.get(_key(name))
            if agency is None:
                slug = unicode_slug(name, 80)
                agency, _created = Agency.objects.get_or_create(slug=slug, defaults={"name": name})
                known[_key(name)] = agency
            if agency not in found:
                found.append(agency)
        return found


# The label a byline opens with ("كتب:"، "بقلم"، "By"): the names follow it.
_BYLINE_LABEL = re.compile(
    r"^\s*(?:كتبت|كتبه|كتب|بقلم|إعداد|اعداد|تقرير|تحرير|ترجمة|reporting\s+by|written\s+by|"
    r"by|par)\b\s*[:：\-–—]?\s*",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(r"^(?:د\.|د\s|dr\.?\s)\s*", re.IGNORECASE)
# Separators that only ever join names: commas, "&", and the conjunctions standing alone.
_LIST_SPLIT = re.compile(r"\s*[،,;&]\s*|\s+(?:و|and|et)\s+", re.IGNORECASE)
_NAME_MAX_WORDS = 5
# Words that make a byline name a desk, a team or an unnamed reporter, not a person: "وحدة
# الأخبار"، "قسم الأخبار الدولية"، "مراسلنا"، "news desk", "staff". Such a name gets no Author
# page (it would gather every unsigned article); the byline text is kept as written. Whole
# words, compared normalized and without "ال", so no personal name is caught by a part of it.
_DESK_WORDS = frozenset(
    _key(word)
    for word in (
        "وحدة", "قسم", "مكتب", "فريق", "هيئة", "أسرة", "غرفة", "خدمة", "تحرير", "محرر",
        "محررة", "محررو", "محرري", "أخبار", "مراسل", "مراسلة", "مراسلو", "مراسلون", "مراسلي",
        "مراسلنا", "مراسلتنا", "مراسلينا", "وكالات", "نيوز",
        "desk", "staff", "newsroom", "editors", "editorial", "team", "bureau", "wire", "wires",
        "agencies", "reporters", "correspondent", "correspondents", "news",
    )
)  # fmt: skip


def byline_names(byline: str) -> list[str]:
    """The people a byline names, label and honorifics stripped ("كتب: أحمد علي ومحمد حسن"
    gives both names). Only clear lists are split: on commas and on "و" joined to a word only
    when both sides are two-word names, since many names start with و (وليد، وائل). Desks
    ("وحدة الأخبار", "news desk") are left out."""
    text = _BYLINE_LABEL.sub("", " ".join(byline.split()))
    names: list[str] = []
    for part in _LIST_SPLIT.split(text):
        for name in _split_attached_and(part.strip(" .:-–—")):
            name = _HONORIFIC.sub("", name).strip()
            words = name.split()
            plausible = words and len(words) <= _NAME_MAX_WORDS and not _is_desk(words)
            if plausible and not any(c.isdigit() for c in name) and name not in names:
                names.append(name)
    return names


def _is_desk(words: list[str]) -> bool:
    """Whether a name is a desk or a team ("قسم الأخبار الدولية", "News Desk")."""
    for word in words:
        key = _key(word)
        if key in _DESK_WORDS or (key.startswith("ال") and key[2:] in _DESK_WORDS):
            return True
    return False


def _split_attached_and(part: str) -> list[str]:
    """Split "أحمد علي ومحمد حسن" in two; leave "محمد عبد الله وليد حسن" (one name) alone."""
    words = part.split()
    if len(words) == 4 and words[2].startswith("و") and len(words[2]) > 3:
        return [" ".join(words[:2]), " ".join([words[2][1:], words[3]])]
    return [part] if part else []


class Authors:
    """Authors by name, read from the database once for a batch (drop it after a rollback)."""

    def __init__(self) -> None:
        self._known: dict[str, Author] | None = None

    def resolve(self, names: list[str]) -> list[Author]:
        """The Author row of each name, created when new (its slug made unique)."""
        if not names:
            return []
        if self._known is None:
            self._known = {a.name: a for a in Author.objects.all()}
        found = []
        for name in names:
            name = name[:160]
            author = self._known.get(name)
            if author is None:
                author = self._known[name] = _new_author(name)
            if author not in found:
                found.append(author)
        return found


def _new_author(name: str) -> Author:
    slug = base = unicode_slug(name, 150) or "author"
    n = 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Author.objects.create(name=name, slug=slug)


def resolve_agencies(names: list[str]) -> list[Agency]:
    """Find each named agency by its name or an alias, creating the ones not known yet."""
    return Agencies().resolve(names)


def keep_revision(article: Article) -> ArticleRevision:
    """Snapshot what an article says now, before it is replaced."""
    return ArticleRevision.objects.create(
        article=article,
        version=article.version,
        title=article.title,
        lead=article.lead,
        body=[{"kind": b.kind, "text": b.text} for b in article.blocks.all()],
    )


def _apply_item(article: Article, item: IncomingItem | None) -> None:
    if item is None:
        return
    article.version = item.version
    article.urgency = item.urgency
    article.subjects = list(item.subjects)
    article.embargo_until = item.embargo


def _apply_hero(article: Article, record: ExtractedArticle) -> None:
    if record.image is None:
        return
    hero = article.hero or Media()
    hero.caption = record.image.caption or ""
    hero.credit = record.image.credit or ""
    hero.alt = record.image.alt or ""
    hero.url = record.image.url or hero.url
    hero.save()
    article.hero = hero


# No savepoint inside a caller's transaction (ingest's, per item): a failure here fails the
# whole item anyway, and a savepoint costs two statements.
@transaction.atomic(savepoint=False)
def save_extracted(
    record: ExtractedArticle,
    *,
    source_id: str | None = None,
    section: Section | None = None,
    story: Story | None = None,
    status: str = Article.Status.PUBLISHED,
    item: IncomingItem | None = None,
    origin: Source | None = None,
    agency: Agency | None = None,
    content_hash: str = "",
    signature: bytes | None = None,
    duplicate_of: Article | None = None,
    agencies: Agencies | None = None,
    authors: Authors | None = None,
    stored: Article | None = None,
    looked_up: bool = False,
) -> Article:
    """Store an extracted article, or update (keeping a revision) the one with its source id.

    A batch passes its `agencies` and `authors` caches, and, with `looked_up`, the article it
    already found by source id (`stored`, None for a new one) so it is not queried again.
    """
    if looked_up:
        article = stored
    else:
        article = first_or_none(Article.objects.filter(source_id=source_id)) if source_id else None
    is_new = article is None
    if article is None:
        article = Article(source_id=source_id, duplicate_of=duplicate_of)
    else:
        keep_revision(article)
        article.updated_at = timezone.now()
    article.title = record.title
    article.slug = unicode_slug(record.title)
    article.lead = record.lead or ""
    article.byline = record.byline or ""
    article.dateline = record.dateline or ""
    article.source_line = record.source_line or ""
    article.language = record.language or "ar"
    if record.url and not _URL_TAKEN(record.url, article.pk or 0):
        article.canonical_url = record.url
    article.section = section or article.section
    article.story = story or article.story
    article.origin = origin or article.origin
    article.status = status
    article.published_at = record.published or article.published_at or timezone.now()
    if item is not None and item.embargo and item.embargo > article.published_at:
        article.published_at = item.embargo
    article.content_hash = content_hash or article.content_hash
    article.signature = signature if signature is not None else article.signature
    _apply_item(article, item)
    _apply_hero(article, record)
    if is_new:
        # save() with its INSERT written once: the slug and publication time Article.save()
        # would fill in are set above; its signals (search, page cache) are sent.
        _NEW_ARTICLE(article)
    else:
        article.save()
        article.blocks.all().delete()
    # bulk_create's way (no signals: the article's save marked it for search and the cache).
    _BLOCKS(
        [
            (article.pk, i, b.kind, b.text, None)
            for i, b in enumerate(record.blocks)
            if b.kind != "image"
        ]
    )
    names = list(record.sources)
    if item is not None and item.agency:
        names.append(item.agency)
    found = (agencies or Agencies()).resolve(names)
    if agency is not None and agency not in found:
        found.append(agency)
    writers = (authors or Authors()).resolve(byline_names(article.byline))
    if is_new:
        # The link rows in one insert each, not `add` (a query for existing links and two
        # signals per relation): the article's save above already marked it for search and
        # the page cache, in this same transaction.
        _link(Article.agencies.through, "agency_id", article, found)
        _link(Article.authors.through, "author_id", article, writers)
    else:
        article.agencies.set(found)
        article.authors.set(writers)
    return article


def _link(through: Any, column: str, article: Article, targets: list[Any]) -> None:
    """Insert the rows of a many-to-many relation from a new article to `targets`."""
    if targets:
        insert = _LINKS.get((through, column))
        if insert is None:
            insert = _LINKS[through, column] = Insert(
                through, ["article_id", column], ignore_conflicts=True
            )
        insert([(article.pk, t.pk) for t in targets])


_LINKS: dict[tuple[Any, str], Insert] = {}
_NEW_ARTICLE = Create(Article)
_BLOCKS = Insert(Block, ["article_id", "position", "kind", "text", "media_id"])
# Whether another article holds a canonical URL (then this one keeps none: the URL is unique).
_URL_TAKEN = Prepared(
    lambda url, pk: (
        Article.objects.filter(canonical_url=url).exclude(pk=pk).values_list("pk", flat=True)[:1]
    )
)
