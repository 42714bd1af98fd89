"""Group articles into stories as they arrive, and keep the stories editors shape.

Each article becomes a sparse TF-IDF vector over light-stemmed words (headline weighted up, then
the lead, then the body) plus its named people, places and organizations as extra terms. A story
is the sum of its articles' vectors. A new article joins the story whose centroid is most similar,
once the similarity is discounted for the time since the story last moved, if that beats a
threshold; otherwise it starts a story. Candidates come from an inverted index from terms to
stories, so assignment never scans every story. Near-duplicate copies (`khabar.stories.dedup`)
join their original's story without moving its centroid and count once.

Editors' decisions are constraints the algorithm keeps: an article an editor moved is locked; a
story an editor split from another, or an article moved out of, never merges back with it; an
editor's title is never replaced. `python -m bench.stories` measures the method.
"""

from __future__ import annotations

import base64
import bisect
import heapq
import itertools
import math
import operator
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from khabar.arabic import light_stem, normalize, words
from khabar.stories.dedup import DuplicateIndex
from khabar.stories.entities import countries, default_gazetteer, recognize
from khabar.stories.fingerprint import (
    FUNCTION_WORDS,
    Fingerprint,
    from_signature_bytes,
    signature_bytes,
)

__all__ = [
    "Assignment",
    "Candidate",
    "GroupingConfig",
    "MergeProposal",
    "Story",
    "StoryArticle",
    "StoryIndex",
    "TimelineEntry",
    "TrendingStory",
    "article_entities",
    "bcubed",
    "headline_countries",
    "stem_counts",
    "trending",
    "words_stem_counts",
]

STATE_VERSION = 1
_VECTOR_CACHE = 2048  # article vectors kept for `vector()`; a few hundred KB
_DAY = 86400.0


@dataclass(frozen=True)
class StoryArticle:
    """What grouping needs of an article; `entities` as "kind:name" strings, None to find them."""

    id: str
    title: str
    lead: str
    body: str
    published: datetime
    entities: tuple[str, ...] | None = None
    # The MinHash fingerprint of title, lead and body when ingest already computed it (in its
    # worker processes): the same words give the same fingerprint, so it is not done twice.
    fingerprint: Fingerprint | None = field(default=None, compare=False, repr=False)
    # `stem_counts(title, lead, body)` when ingest's worker processes already counted them.
    stems: tuple[dict[str, int], dict[str, int], dict[str, int]] | None = field(
        default=None, compare=False, repr=False
    )
    # `headline_countries(title, lead)` when ingest's worker processes already found them.
    countries: frozenset[str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class GroupingConfig:
    """The knobs of the method; the defaults are the ones `bench/stories.py` chose."""

    threshold: float = 0.14
    title_weight: float = 3.0
    lead_weight: float = 2.0
    body_weight: float = 1.0
    # Names as extra terms measured no better than their words already in the text (see
    # bench/stories.py), so they are off; the story still lists its people and places.
    entity_weight: float = 0.0
    # Similarity is multiplied by exp(-(gap - grace) / decay) for a gap of days since the story
    # last moved; past `window` a story is no longer a candidate at all.
    grace_days: float = 1.0
    decay_days: float = 30.0
    window_days: float = 30.0
    merge_threshold: float = 0.35
    # A story about one country is a poor home for news about another: the score is multiplied
    # by (1 - country_penalty) when the countries of the headline and lead share none.
    country_penalty: float = 0.5
    max_terms: int = 80
    reweigh_until: int = 20_000
    query_terms: int = 12
    post_terms: int = 30
    max_candidates: int = 12
    max_posting: int = 500
    use_index: bool = True
    dedup: bool = True


@dataclass(frozen=True)
class Candidate:
    """A story the article might belong to, and its score."""

    story_id: str
    score: float


@dataclass(frozen=True)
class Assignment:
    """The decision for one article: a story to join (None for a new one), and why."""

    story_id: str | None
    score: float
    candidates: tuple[Candidate, ...]
    duplicate_of: str | None = None
    analysis: _Analysis | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class TimelineEntry:
    """One article of a story, with the ids of the copies that count with it."""

    article_id: str
    published: datetime
    title: str
    copies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """A snapshot of one story, as readers and editors see it."""

    id: str
    title: str
    count: int
    first: datetime
    last: datetime
    timeline: tuple[TimelineEntry, ...]
    people: tuple[str, ...]
    places: tuple[str, ...]
    organizations: tuple[str, ...]
    pinned: bool = False
    renamed: bool = False


@dataclass(frozen=True)
class MergeProposal:
    """Two stories that look like one; `automatic` when no editor decision stands in the way."""

    keep: str
    absorb: str
    score: float
    automatic: bool


@dataclass(frozen=True)
class TrendingStory:
    """A story and its trending score."""

    story_id: str
    score: float
    recent: int


@dataclass(frozen=True)
class _Analysis:
    vector: dict[int, float]
    tfs: dict[int, float]
    entities: tuple[str, ...]
    text: str
    countries: frozenset[str] = frozenset()
    fingerprint: Fingerprint | None = None


@dataclass
class _Article:
    id: str
    title: str
    published: float
    story: str
    terms: array[int]
    weights: array[float]
    tfs: array[float]
    entities: tuple[str, ...]
    duplicate_of: str | None = None
    locked: bool = False
    dedup: tuple[str, int, str | None] | None = None
    countries: tuple[str, ...] = ()

    def vector(self) -> dict[int, float]:
        return dict(zip(self.terms, self.weights, strict=True))


@dataclass
class _Story:
    id: str
    centroid: dict[int, float] = field(default_factory=dict)
    norm2: float = 0.0
    members: list[str] = field(default_factory=list)
    # (publication timestamp, id order, id) of the members, oldest first: the newest few are
    # read for every article that joins (related articles), without a pass over the story.
    timeline: list[tuple[float, int, str]] = field(default_factory=list)
    count: int = 0
    first: float = math.inf
    last: float = -math.inf
    title: str | None = None
    pinned: bool = False
    cannot_link: set[str] = field(default_factory=set)
    entities: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)


def _moment(record: _Article) -> tuple[float, int, str]:
    """A member's place in its story's timeline: by publication time, then by id (decimal ids,
    the database's, in numeric order: a shorter one is smaller)."""
    order = len(record.id) if record.id.isdigit() else 1 << 30
    return (record.published, order, record.id)


def sparse_dot(vector: dict[int, float], other: dict[int, float]) -> float:
    """The dot product of two sparse vectors: w * other.get(t, 0.0) added up over the first
    one's terms in order, as a generator would add them (the same float), with no Python
    frame per term."""
    found = map(other.get, vector.keys(), itertools.repeat(0.0))
    return float(sum(map(operator.mul, vector.values(), found)))


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    gazetteer = default_gazetteer()
    extra = gazetteer.words.get("stop", frozenset()) | gazetteer.words.get(
        "speech_verbs", frozenset()
    )
    return FUNCTION_WORDS | extra


@lru_cache(maxsize=1 << 17)
def _stem_of(word: str) -> str | None:
    """The stem a word of normalized text counts as, None for a stop word, a number or a stem
    of one letter: the whole decision kept per word, as news repeats its vocabulary."""
    word = word.lower()
    if word in _stopwords() or len(word) < 2 or word.isdigit():
        return None
    stem = light_stem(word)
    return stem if len(stem) >= 2 else None


def _stems(found: list[str]) -> list[str]:
    stem_of = _stem_of
    return [stem for word in found if (stem := stem_of(word)) is not None]


def stem_counts(
    title: str, lead: str, body: str
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Return how often each stem occurs in the headline, the lead and the body (first seen
    first): the part of an article's analysis that needs no index, so workers can do it."""
    found = [words(normalize(text)) if text else [] for text in (title, lead, body)]
    return words_stem_counts(found[0], found[1], found[2])


def words_stem_counts(
    title: list[str], lead: list[str], body: list[str]
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """`stem_counts` from the words of each normalized part (`words(normalize(part))`), for a
    caller that has them already."""
    title_counts, lead_counts, body_counts = (
        dict(Counter(_stems(found))) for found in (title, lead, body)
    )
    return title_counts, lead_counts, body_counts


def article_entities(article: StoryArticle) -> tuple[str, ...]:
    """Return the entities of the article's headline, lead and body as "kind:name", each once."""
    if article.entities is not None:
        return article.entities
    text = "\n".join(part for part in (article.title, article.lead, article.body) if part)
    return tuple(dict.fromkeys(f"{m.entity.kind}:{m.entity.name}" for m in recognize(text)))


def _elsewhere(countries: frozenset[str], story: Counter[str]) -> bool:
    """Return whether a story about some countries is about none of `countries`."""
    if any(story.get(c, 0) > 0 for c in countries):
        return False
    return any(count > 0 for count in story.values())


def _text(article: StoryArticle) -> str:
    return "\n".join(p for p in (article.title, article.lead, article.body) if p)


def headline_countries(title: str, lead: str) -> frozenset[str]:
    """Return the countries a headline and lead name or qualify: what the news is about."""
    return frozenset(countries(f"{title}\n{lead}"))


def _countries(article: StoryArticle) -> frozenset[str]:
    if article.countries is not None:
        return article.countries
    return headline_countries(article.title, article.lead)


def bcubed(truth: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 of a clustering against labels, by item id."""
    by_label: dict[str, set[str]] = {}
    by_cluster: dict[str, set[str]] = {}
    for item, label in truth.items():
        by_label.setdefault(label, set()).add(item)
        by_cluster.setdefault(predicted[item], set()).add(item)
    precision = recall = 0.0
    for item, label in truth.items():
        cluster = by_cluster[predicted[item]]
        both = len(cluster & by_label[label])
        precision += both / len(cluster)
        recall += both / len(by_label[label])
    n = len(truth) or 1
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def trending(
    stories: Iterable[Story],
    now: datetime,
    *,
    half_life: timedelta = timedelta(hours=12),
    window: timedelta = timedelta(days=3),
    limit: int = 20,
) -> list[TrendingStory]:
    """Rank stories by recent activity: each distinct article counts, halving every half-life."""
    rate = math.log(2) / max(half_life.total_seconds(), 1.0)
    ranked = []
    for story in stories:
        recent = [e for e in story.timeline if timedelta(0) <= now - e.published <= window]
        score = sum(math.exp(-rate * (now - e.published).total_seconds()) for e in recent)
        if recent or story.pinned:
            ranked.append(
                (story.pinned, score, story.last, TrendingStory(story.id, score, len(recent)))
            )
    ranked.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [item[3] for item in ranked[:limit]]


class StoryIndex:
    """The stories of the last weeks, their centroids and the index that finds candidates.

    Call `place(article)` from the ingest step (or `assign` to decide and `add` to record, when
    the caller creates story ids), `merge_pass` and `expire` from a periodic task, and the editor
    methods (`rename`, `pin`, `move`, `merge`, `split`) from the admin. Thread-safe.
    """

    def __init__(
        self,
        config: GroupingConfig | None = None,
        *,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.config = config or GroupingConfig()
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._df: dict[int, int] = {}
        self._n = 0
        self._articles: dict[str, _Article] = {}
        self._stories: dict[str, _Story] = {}
        self._postings: dict[int, set[str]] = {}
        self._names: dict[str, str] = {}
        self._dedup = DuplicateIndex() if self.config.dedup else None
        self._counter = itertools.count(1)
        self._new_id = new_id or self._next_id
        self._lock = threading.RLock()
        self._reweighed_at = 0
        self._vectors: dict[str, tuple[array[float], dict[int, float]]] = {}
        # A dense copy of one vector at a time for `similarities`; zeros between calls.
        self._dense: np.ndarray[Any, np.dtype[np.float64]] | None = None

    def __len__(self) -> int:
        """Return the number of articles indexed."""
        return len(self._articles)

    def __contains__(self, article_id: object) -> bool:
        """Return whether the article is indexed."""
        return article_id in self._articles

    # Assignment.

    def assign(self, article: StoryArticle) -> Assignment:
        """Return the story `article` belongs to (None: a new one), without recording it."""
        analysis = self._analyze(article)
        with self._lock:
            duplicate = self._duplicate_of(analysis)
            if duplicate is not None:
                story = self._articles[duplicate].story
                return Assignment(story, 1.0, (Candidate(story, 1.0),), duplicate, analysis)
            when = _timestamp(article.published)
            scored = sorted(
                (
                    Candidate(s.id, self._score(analysis, s, when))
                    for s in self._candidates(analysis.vector, when)
                ),
                key=lambda c: (-c.score, c.story_id),
            )[:5]
            if scored and scored[0].score >= self.config.threshold:
                return Assignment(
                    scored[0].story_id, scored[0].score, tuple(scored), None, analysis
                )
            best = scored[0].score if scored else 0.0
            return Assignment(None, best, tuple(scored), None, analysis)

    def add(
        self,
        article: StoryArticle,
        story_id: str | None = None,
        *,
        assignment: Assignment | None = None,
        duplicate_of: str | None = None,
        locked: bool = False,
    ) -> str:
        """Record `article` in `story_id` (or the assignment's story, or a new one); return it."""
        analysis = (assignment.analysis if assignment else None) or self._analyze(article)
        if assignment is not None:
            story_id = story_id or assignment.story_id
            duplicate_of = duplicate_of or assignment.duplicate_of
        with self._lock:
            if article.id in self._articles:
                raise ValueError(f"article {article.id!r} is indexed already; move() it instead")
            story = self._story_or_new(story_id or self._new_id())
            record = self._record(article, story.id, analysis, duplicate_of, locked)
            if record.duplicate_of is None:
                self._count_terms(analysis.vector)
            self._attach(story, record)
            if self._n >= 2 * max(self._reweighed_at, 4) and self._n <= self.config.reweigh_until:
                self.reweigh()
            return story.id

    def place(self, article: StoryArticle) -> Assignment:
        """Assign `article` and record it; the returned assignment names its story."""
        with self._lock:
            assignment = self.assign(article)
            story_id = self.add(article, assignment=assignment)
            return replace(assignment, story_id=story_id)

    def remove(self, article_id: str) -> list[str]:
        """Forget an article and its copies (withdrawn, or held back by its agency), so no
        later article joins a story through them or gets them as related; return their ids."""
        with self._lock:
            record = self._articles.get(article_id)
            if record is None:
                return []
            copies = [a for a in self._articles.values() if a.duplicate_of == article_id]
            for item in (*copies, record):
                story = self._stories[item.story]
                self._detach(story, item)
                self._forget(item)
                if not story.members:
                    self._drop_story(story)
            return [article_id, *(c.id for c in copies)]

    # Editors.

    def rename(self, story_id: str, title: str | None) -> None:
        """Give a story the editor's title; None goes back to the most representative headline."""
        with self._lock:
            self._stories[story_id].title = title.strip() if title and title.strip() else None

    def pin(self, story_id: str, pinned: bool = True) -> None:
        """Pin a story: first in trending, and it does not fade out of assignment."""
        with self._lock:
            self._stories[story_id].pinned = pinned

    def move(self, article_id: str, story_id: str) -> None:
        """Move an article (and its copies) to a story, new or not; the algorithm won't move it."""
        with self._lock:
            old = self._articles[article_id].story
            self._relocate(article_id, story_id)
            self._articles[article_id].locked = True
            if old != story_id:
                self._separate(old, story_id)

    def split(
        self, story_id: str, article_ids: Sequence[str], new_story_id: str | None = None
    ) -> str:
        """Move `article_ids` out of `story_id` into a new story that will not merge back."""
        with self._lock:
            target = new_story_id or self._new_id()
            for article_id in article_ids:
                if self._articles[article_id].story != story_id:
                    raise ValueError(f"article {article_id!r} is not in story {story_id!r}")
                self._relocate(article_id, target)
                self._articles[article_id].locked = True
            self._separate(story_id, target)
            return target

    def keep_apart(self, a: str, b: str) -> None:
        """Record that stories `a` and `b` are different news (an editor's split, on rebuild)."""
        with self._lock:
            self._separate(a, b)

    def merge(self, keep: str, absorb: str, *, editor: bool = True) -> None:
        """Merge story `absorb` into `keep`; the algorithm may not merge what an editor split."""
        with self._lock:
            a, b = self._stories[keep], self._stories[absorb]
            if a is b:
                return
            if not editor and (b.id in a.cannot_link or a.id in b.cannot_link):
                raise ValueError(f"an editor separated stories {keep!r} and {absorb!r}")
            self._absorb(a, b)
            if editor:
                a.cannot_link.discard(b.id)

    # Periodic tasks.

    def merge_pass(self, now: datetime | None = None) -> list[MergeProposal]:
        """Return pairs of active stories that look like one story, most similar first."""
        with self._lock:
            when = _timestamp(now) if now else self._latest()
            active = [s for s in self._stories.values() if self._active(s, when)]
            proposals: dict[tuple[str, str], MergeProposal] = {}
            for story in sorted(active, key=lambda s: s.first):
                for other in self._merge_candidates(story, when):
                    pair = tuple(sorted((story.id, other.id)))
                    if pair not in proposals and (p := self._proposal(story, other)) is not None:
                        proposals[(pair[0], pair[1])] = p
            return sorted(proposals.values(), key=lambda p: -p.score)

    def apply_merges(self, proposals: Iterable[MergeProposal]) -> list[MergeProposal]:
        """Apply the automatic proposals whose stories still exist; return those applied."""
        applied = []
        with self._lock:
            for proposal in proposals:
                keep, absorb = self._stories.get(proposal.keep), self._stories.get(proposal.absorb)
                if proposal.automatic and keep and absorb and absorb.id not in keep.cannot_link:
                    self._absorb(keep, absorb)
                    applied.append(proposal)
        return applied

    def expire(self, now: datetime) -> list[str]:
        """Forget stories that have not moved for `window_days` (pinned ones stay); return them."""
        with self._lock:
            limit = _timestamp(now) - self.config.window_days * _DAY
            gone = [s for s in self._stories.values() if s.last < limit and not s.pinned]
            for story in gone:
                self._drop_story(story)
            return [s.id for s in gone]

    # Reading.

    def story_of(self, article_id: str) -> str:
        """Return the id of the story an article is in."""
        return self._articles[article_id].story

    def title(self, story_id: str) -> str | None:
        """Return a story's title (the editor's, or its most representative headline), the
        same as `story(story_id).title` without building the whole snapshot; None if unknown."""
        with self._lock:
            story = self._stories.get(story_id)
            if story is None:
                return None
            if story.title:
                return story.title
            members = [self._articles[m] for m in story.members]
            if not members:
                return None
            originals = sorted(
                (a for a in members if a.duplicate_of is None), key=lambda a: a.published
            )
            return self._representative(story, originals or members)

    def newest(self, story_id: str, k: int) -> list[str]:
        """Return the ids of a story's `k` newest articles, copies included, newest first (on
        the same publication time the higher id first, numerically for decimal ids); empty
        if the story is unknown. Reads k entries, however big the story."""
        with self._lock:
            story = self._stories.get(story_id)
            if story is None or k <= 0:
                return []
            return [entry[2] for entry in reversed(story.timeline[-k:])]

    def members(self, story_id: str) -> list[tuple[float, str]]:
        """Return (publication timestamp, id) of a story's articles, copies included (empty if
        the story is unknown): what a caller needs to pick the newest without a snapshot."""
        with self._lock:
            story = self._stories.get(story_id)
            if story is None:
                return []
            return [(self._articles[m].published, m) for m in story.members]

    def story(self, story_id: str) -> Story:
        """Return a snapshot of a story."""
        with self._lock:
            return self._snapshot(self._stories[story_id])

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Return snapshots of the stories that moved since `since` (all by default)."""
        with self._lock:
            limit = _timestamp(since) if since else -math.inf
            return [self._snapshot(s) for s in self._stories.values() if s.last >= limit]

    def assignments(self) -> dict[str, str]:
        """Return the story of every indexed article."""
        with self._lock:
            return {article_id: a.story for article_id, a in self._articles.items()}

    def trending(self, now: datetime, *, limit: int = 20) -> list[TrendingStory]:
        """Return the stories ranked by recent activity (see `trending`)."""
        return trending(self.stories(since=now - timedelta(days=3)), now, limit=limit)

    def vector(self, article: StoryArticle | str) -> dict[int, float]:
        """Return an article's unit vector: the stored one if it is indexed (or its id is given).
        The dict may be shared with later calls: read it, do not change it."""
        article_id = article if isinstance(article, str) else article.id
        record = self._articles.get(article_id)
        if record is not None:
            # Related articles score the same recent articles again and again: keep their
            # dicts, valid while the record keeps its weights (reweigh() makes new ones).
            cached = self._vectors.get(article_id)
            if cached is not None and cached[0] is record.weights:
                return cached[1]
            vector = record.vector()
            if len(self._vectors) >= _VECTOR_CACHE:
                del self._vectors[next(iter(self._vectors))]
            self._vectors[article_id] = (record.weights, vector)
            return vector
        if isinstance(article, str):
            raise KeyError(f"article {article!r} is not indexed; pass the StoryArticle instead")
        return self._analyze(article).vector

    def similarity(self, a: StoryArticle | str, b: StoryArticle | str) -> float:
        """Return the cosine similarity of two articles under this index's weights."""
        return sparse_dot(self.vector(a), self.vector(b))

    def similarities(
        self, article: StoryArticle | str, others: Sequence[StoryArticle | str]
    ) -> list[float]:
        """Return the cosine similarity of `article` with each of `others`, in order.

        The values of `similarity`, added in another order (equal to about 1e-15). Indexed
        articles given by id are scored together, from their stored arrays, with one gather
        over a dense copy of the article's vector: related articles score a hundred candidates
        for every article stored, several times faster than one `similarity` each.
        """
        mine = self.vector(article)
        scores = [0.0] * len(others)
        with self._lock:
            batch: list[_Article] = []
            places: list[int] = []
            for n, other in enumerate(others):
                record = self._articles.get(other) if isinstance(other, str) else None
                if record is None:
                    scores[n] = sparse_dot(mine, self.vector(other))
                else:
                    batch.append(record)
                    places.append(n)
            for n, score in zip(places, self._dots(mine, batch), strict=True):
                scores[n] = score
        return scores

    def _dots(self, vector: dict[int, float], records: Sequence[_Article]) -> list[float]:
        """Dot products of `vector` with the records' stored vectors, in order."""
        scores = [0.0] * len(records)
        places = [n for n, record in enumerate(records) if len(record.terms)]
        if places and vector:
            dots = self._batch_dots(vector, [records[n] for n in places])
            for n, dot in zip(places, dots, strict=True):
                scores[n] = dot
        return scores

    def _batch_dots(self, vector: dict[int, float], records: list[_Article]) -> list[float]:
        """Dot products of a non-empty `vector` with the records' stored vectors (none empty).
        Called under the index's lock: the dense copy is shared."""
        size = max(len(self._terms), max(vector) + 1)
        if self._dense is None or len(self._dense) < size:
            self._dense = np.zeros(2 * size)
        dense = self._dense
        keys = np.fromiter(vector.keys(), dtype=np.intp, count=len(vector))
        dense[keys] = np.fromiter(vector.values(), dtype=np.float64, count=len(vector))
        try:
            # The arrays' bytes joined in one C call, then read as one array each.
            terms = np.frombuffer(b"".join([r.terms for r in records]), dtype=np.intc)
            weights = np.frombuffer(b"".join([r.weights for r in records]), dtype=np.float32)
            starts = np.cumsum([0] + [len(r.terms) for r in records[:-1]])
            dots: list[float] = np.add.reduceat(dense[terms] * weights, starts).tolist()
            return dots
        finally:
            dense[keys] = 0.0  # the dense copy is all zeros between calls

    def original(self, article_id: str) -> str:
        """Return the id of the article an indexed article is a copy of, or its own id."""
        record = self._articles[article_id]
        return record.duplicate_of or record.id

    def timestamp(self, article_id: str) -> float:
        """Return when an indexed article was published, in seconds since the epoch."""
        return self._articles[article_id].published

    def published(self, article_id: str) -> datetime:
        """Return when an indexed article was published."""
        return _datetime(self._articles[article_id].published)

    def is_duplicate(self, a: StoryArticle | str, b: StoryArticle | str) -> bool:
        """Return whether two articles are copies of one item (indexed or not)."""
        ids = [x if isinstance(x, str) else x.id for x in (a, b)]
        if all(i in self._articles for i in ids):
            return self.original(ids[0]) == self.original(ids[1])
        texts = [x if isinstance(x, str) else _text(x) for x in (a, b)]
        if any(isinstance(x, str) and x not in self._articles for x in (a, b)):
            return False
        probe = DuplicateIndex()
        probe.add("a", texts[0])
        return bool(probe.find(texts[1]))

    # Persistence.

    def state_dict(self) -> dict[str, Any]:
        """Return the whole index as JSON-compatible data, for `from_state` after a restart."""
        with self._lock:
            return {
                "version": STATE_VERSION,
                "n": self._n,
                "df": {self._terms[t]: df for t, df in self._df.items()},
                "names": dict(self._names),
                "articles": [self._article_state(a) for a in self._ordered_articles()],
                "stories": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "pinned": s.pinned,
                        "cannot_link": sorted(s.cannot_link),
                    }
                    for s in self._stories.values()
                ],
                "next_id": next(self._counter),
            }

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        config: GroupingConfig | None = None,
        *,
        new_id: Callable[[], str] | None = None,
    ) -> StoryIndex:
        """Return the index that `state_dict` saved."""
        if state.get("version") != STATE_VERSION:
            raise ValueError("state saved by another version of Khabar; rebuild with add()")
        index = cls(config, new_id=new_id)
        index._counter = itertools.count(int(state["next_id"]))
        index._n = int(state["n"])
        index._df = {index._term_id(term): int(df) for term, df in state["df"].items()}
        index._names.update(state["names"])
        for item in state["articles"]:
            index._restore_article(item)
        for item in state["stories"]:
            story = index._story_or_new(item["id"])
            story.title, story.pinned = item["title"], bool(item["pinned"])
            story.cannot_link = set(item["cannot_link"])
        return index

    def _article_state(self, article: _Article) -> dict[str, Any]:
        return {
            "id": article.id,
            "title": article.title,
            "published": article.published,
            "story": article.story,
            "terms": [self._terms[t] for t in article.terms],
            "weights": list(article.weights),
            "tfs": list(article.tfs),
            "entities": list(article.entities),
            "duplicate_of": article.duplicate_of,
            "locked": article.locked,
            "dedup": list(article.dedup) if article.dedup else None,
            "countries": list(article.countries),
        }

    def _restore_article(self, item: dict[str, Any]) -> None:
        terms = array("i", (self._term_id(term) for term in item["terms"]))
        record = _Article(
            id=item["id"],
            title=item["title"],
            published=float(item["published"]),
            story=item["story"],
            terms=terms,
            weights=array("f", item["weights"]),
            tfs=array("f", item["tfs"]),
            entities=tuple(item["entities"]),
            duplicate_of=item["duplicate_of"],
            locked=bool(item["locked"]),
            dedup=tuple(item["dedup"]) if item["dedup"] else None,
            countries=tuple(item["countries"]),
        )
        self._attach(self._story_or_new(record.story), record)
        self._restore_dedup(record)

    def _restore_dedup(self, record: _Article) -> None:
        if self._dedup is None or record.dedup is None or record.duplicate_of is not None:
            return
        digest, count, signature = record.dedup
        if signature is not None:
            self._dedup.add(
                record.id, from_signature_bytes(base64.b64decode(signature)), digest=digest
            )
        elif count:
            short = replace(self._dedup.fingerprint(""), words=count, digest=digest)
            self._dedup.add(record.id, short)

    # Analysis.

    def _analyze(self, article: StoryArticle) -> _Analysis:
        config = self.config
        counts: dict[str, float] = {}
        parts = article.stems or stem_counts(article.title, article.lead, article.body)
        weights = (config.title_weight, config.lead_weight, config.body_weight)
        for part, weight in zip(parts, weights, strict=True):
            for stem, count in part.items():
                counts[stem] = counts.get(stem, 0.0) + weight * (1.0 + math.log(count))
        entities = article_entities(article)
        for entity in entities:
            key = "@" + normalize(entity).lower()
            self._names.setdefault(key, entity)
            if config.entity_weight > 0:
                counts[key] = counts.get(key, 0.0) + config.entity_weight
        text = "\n".join(p for p in (article.title, article.lead, article.body) if p)
        found = _countries(article) if config.country_penalty > 0 else frozenset()
        vector, tfs = self._weigh(counts)
        copyable = None
        if self._dedup is not None and text.strip():
            copyable = self._given_fingerprint(article) or self._dedup.fingerprint(text)
        return _Analysis(vector, tfs, tuple(entities), text, found, copyable)

    def _given_fingerprint(self, article: StoryArticle) -> Fingerprint | None:
        """Return the article's precomputed fingerprint if made with this index's settings."""
        found, dedup = article.fingerprint, self._dedup
        if found is None or dedup is None:
            return None
        same = (
            found.k == dedup.k
            and found.drop_function_words == dedup.drop_function_words
            and len(found.signature.hashvalues) == dedup.num_perm
        )
        return found if same else None

    def _weigh(self, counts: dict[str, float]) -> tuple[dict[int, float], dict[int, float]]:
        """Return the unit TF-IDF vector of the heaviest terms, and their term frequencies."""
        with self._lock:
            tfs = {self._term_id(term): tf for term, tf in counts.items()}
            # Smoothed inverse document frequency, log((n + 1) / (df + 1)) + 1, inlined for the
            # hundreds of terms of an article.
            articles, df, log = self._n + 1, self._df.get, math.log
            weighted = {
                term: tf * (log(articles / (df(term, 0) + 1)) + 1.0) for term, tf in tfs.items()
            }
        # Heaviest first, ties in first-seen order (a stable sort, reversed, keeps it).
        top = sorted(weighted, key=weighted.__getitem__, reverse=True)[: self.config.max_terms]
        norm = math.sqrt(sum(weighted[t] * weighted[t] for t in top)) or 1.0
        return {term: weighted[term] / norm for term in top}, {term: tfs[term] for term in top}

    def reweigh(self) -> None:
        """Recompute every vector with today's document frequencies, and the centroids with them.

        Vectors are weighed when their article arrives; while the index is young the document
        frequencies move fast, so `add` calls this each time the article count doubles, up to
        `reweigh_until` articles; past that a periodic task may call it now and then.
        """
        with self._lock:
            self._reweigh_records([r for r in self._articles.values() if len(r.terms)])
            self._postings.clear()
            for story in self._stories.values():
                story.centroid, story.norm2 = {}, 0.0
                for member in story.members:
                    record = self._articles[member]
                    if record.duplicate_of is None:
                        self._add_vector(story, record.vector(), 1.0)
            self._reweighed_at = self._n

    def _reweigh_records(self, records: list[_Article]) -> None:
        """Give the records (none without terms) unit weights under today's frequencies: the
        arithmetic of `_weigh` for all their terms at once, from their arrays."""
        if not records:
            return
        df = np.zeros(len(self._terms))
        known = np.fromiter(self._df.keys(), dtype=np.intp, count=len(self._df))
        df[known] = np.fromiter(self._df.values(), dtype=np.float64, count=len(self._df))
        idf = np.log((self._n + 1) / (df + 1.0)) + 1.0
        terms = np.frombuffer(b"".join([r.terms for r in records]), dtype=np.intc)
        tfs = np.frombuffer(b"".join([r.tfs for r in records]), dtype=np.float32)
        weights = tfs * idf[terms]
        lengths = [len(r.terms) for r in records]
        starts = np.cumsum([0, *lengths[:-1]])
        norms = np.sqrt(np.add.reduceat(weights * weights, starts))
        norms[norms == 0.0] = 1.0
        unit = (weights / np.repeat(norms, lengths)).astype(np.float32).tobytes()
        offset = 0
        for record, length in zip(records, lengths, strict=True):
            record.weights = array("f")
            record.weights.frombytes(unit[offset : offset + 4 * length])
            offset += 4 * length

    def _term_id(self, term: str) -> int:
        found = self._vocab.get(term)
        if found is None:
            found = self._vocab[term] = len(self._terms)
            self._terms.append(term)
        return found

    def _count_terms(self, vector: dict[int, float]) -> None:
        self._n += 1
        for term in vector:
            self._df[term] = self._df.get(term, 0) + 1

    def _duplicate_of(self, analysis: _Analysis) -> str | None:
        if self._dedup is None or analysis.fingerprint is None:
            return None
        matches = self._dedup.find(analysis.fingerprint)
        known = [m.key for m in matches if m.key in self._articles]
        return known[0] if known else None

    # Scoring.

    def _candidates(self, vector: dict[int, float], when: float) -> list[_Story]:
        if not self.config.use_index:
            return [s for s in self._stories.values() if s.count and self._active(s, when)]
        overlap: dict[str, float] = {}
        used = 0
        # The heaviest terms that some story has: a term no story has yet finds nothing.
        for term, weight in sorted(vector.items(), key=lambda kv: -kv[1]):
            posting = self._postings.get(term)
            if not posting or len(posting) > self.config.max_posting:
                continue
            for story_id in posting:
                overlap[story_id] = overlap.get(story_id, 0.0) + weight
            used += 1
            if used >= self.config.query_terms:
                break
        ranked = heapq.nlargest(4 * self.config.max_candidates, overlap, key=overlap.__getitem__)
        found = []
        for story_id in ranked:
            story = self._stories[story_id]
            if story.count and self._active(story, when):
                found.append(story)
                if len(found) >= self.config.max_candidates:
                    break
        return found

    def _score(self, analysis: _Analysis, story: _Story, when: float) -> float:
        score = self._cosine(analysis.vector, story) * self._fade(story, when)
        if analysis.countries and _elsewhere(analysis.countries, story.countries):
            score *= 1.0 - self.config.country_penalty
        return score

    @staticmethod
    def _cosine(vector: dict[int, float], story: _Story) -> float:
        if story.norm2 <= 0.0:
            return 0.0
        return sparse_dot(vector, story.centroid) / math.sqrt(story.norm2)

    def _gap_days(self, story: _Story, when: float) -> float:
        return max(0.0, story.first - when, when - story.last) / _DAY

    def _fade(self, story: _Story, when: float) -> float:
        if story.pinned:
            return 1.0
        late = self._gap_days(story, when) - self.config.grace_days
        return math.exp(-late / self.config.decay_days) if late > 0 else 1.0

    def _active(self, story: _Story, when: float) -> bool:
        return story.pinned or self._gap_days(story, when) <= self.config.window_days

    def _latest(self) -> float:
        return max((s.last for s in self._stories.values()), default=0.0)

    # Stories and their members.

    def _next_id(self) -> str:
        while True:
            candidate = f"s{next(self._counter)}"
            if candidate not in self._stories:
                return candidate

    def _story_or_new(self, story_id: str) -> _Story:
        story = self._stories.get(story_id)
        if story is None:
            story = self._stories[story_id] = _Story(story_id)
        return story

    def _record(
        self,
        article: StoryArticle,
        story_id: str,
        analysis: _Analysis,
        duplicate_of: str | None,
        locked: bool,
    ) -> _Article:
        vector = analysis.vector
        record = _Article(
            id=article.id,
            title=article.title,
            published=_timestamp(article.published),
            story=story_id,
            terms=array("i", vector.keys()),
            weights=array("f", vector.values()),
            tfs=array("f", (analysis.tfs[t] for t in vector)),
            entities=analysis.entities,
            duplicate_of=duplicate_of,
            locked=locked,
            countries=tuple(sorted(analysis.countries)),
        )
        if self._dedup is not None and duplicate_of is None and analysis.fingerprint is not None:
            record.dedup = self._index_copyable(record.id, analysis.fingerprint)
        return record

    def _index_copyable(self, key: str, found: Fingerprint) -> tuple[str, int, str | None] | None:
        assert self._dedup is not None
        if found.words == 0:
            return None
        self._dedup.add(key, found)
        if found.words < self._dedup.min_words or found.hashes.size == 0:
            return found.digest, found.words, None
        signature = base64.b64encode(signature_bytes(found.signature)).decode("ascii")
        return found.digest, found.words, signature

    def _attach(self, story: _Story, record: _Article) -> None:
        self._articles[record.id] = record
        record.story = story.id
        story.members.append(record.id)
        bisect.insort(story.timeline, _moment(record))
        if record.duplicate_of is None:
            self._add_vector(story, record.vector(), 1.0)
            story.count += 1
            story.first = min(story.first, record.published)
            story.last = max(story.last, record.published)
            story.entities.update("@" + normalize(e).lower() for e in record.entities)
            story.countries.update(record.countries)

    def _detach(self, story: _Story, record: _Article) -> None:
        story.members.remove(record.id)
        story.timeline.remove(_moment(record))
        if record.duplicate_of is None:
            self._add_vector(story, record.vector(), -1.0)
            story.count -= 1
            story.entities.subtract("@" + normalize(e).lower() for e in record.entities)
            story.countries.subtract(record.countries)
            times = [self._articles[m].published for m in story.members]
            story.first, story.last = min(times, default=math.inf), max(times, default=-math.inf)

    def _forget(self, record: _Article) -> None:
        """Drop a detached article's record, cached vector, copy check and term counts (the
        counts as a fresh index without it would have them)."""
        del self._articles[record.id]
        self._vectors.pop(record.id, None)
        if self._dedup is not None and record.id in self._dedup:
            self._dedup.remove(record.id)
        if record.duplicate_of is None:
            self._n -= 1
            for term in record.terms:
                left = self._df.get(term, 0) - 1
                if left > 0:
                    self._df[term] = left
                else:
                    self._df.pop(term, None)

    def _add_vector(self, story: _Story, vector: dict[int, float], sign: float) -> None:
        centroid = story.centroid
        dot = sparse_dot(vector, centroid)
        squares = sum(map(operator.mul, vector.values(), vector.values()))
        story.norm2 = max(0.0, story.norm2 + 2 * sign * dot + squares)
        # Only an article's heaviest terms lead to its story: enough to find it, and the lists
        # of common words stay short.
        posted = sorted(vector, key=vector.__getitem__, reverse=True)[: self.config.post_terms]
        for term, weight in vector.items():
            value = centroid.get(term, 0.0) + sign * weight
            if value > 1e-9:
                centroid[term] = value
            else:
                centroid.pop(term, None)
                self._unpost(term, story.id)
        if sign > 0:
            for term in posted:
                self._postings.setdefault(term, set()).add(story.id)

    def _unpost(self, term: int, story_id: str) -> None:
        posting = self._postings.get(term)
        if posting is not None:
            posting.discard(story_id)
            if not posting:
                del self._postings[term]

    def _relocate(self, article_id: str, story_id: str) -> None:
        record = self._articles[article_id]
        old = self._stories[record.story]
        if old.id == story_id:
            return
        new = self._story_or_new(story_id)
        copies = [
            self._articles[m] for m in old.members if self._articles[m].duplicate_of == article_id
        ]
        for item in (record, *copies):
            self._detach(old, item)
            self._attach(new, item)
        if not old.members:
            self._drop_story(old)

    def _separate(self, a: str, b: str) -> None:
        if a in self._stories and b in self._stories:
            self._stories[a].cannot_link.add(b)
            self._stories[b].cannot_link.add(a)

    def _absorb(self, keep: _Story, absorb: _Story) -> None:
        for term, weight in absorb.centroid.items():
            keep.centroid[term] = keep.centroid.get(term, 0.0) + weight
            self._unpost(term, absorb.id)
            self._postings.setdefault(term, set()).add(keep.id)
        keep.norm2 = sum(w * w for w in keep.centroid.values())
        for member in absorb.members:
            self._articles[member].story = keep.id
        keep.members.extend(absorb.members)
        keep.timeline = sorted(keep.timeline + absorb.timeline)
        keep.count += absorb.count
        keep.first, keep.last = min(keep.first, absorb.first), max(keep.last, absorb.last)
        keep.entities.update(absorb.entities)
        keep.countries.update(absorb.countries)
        keep.title = keep.title or absorb.title
        keep.pinned = keep.pinned or absorb.pinned
        keep.cannot_link |= absorb.cannot_link
        keep.cannot_link -= {keep.id, absorb.id}
        for other_id in absorb.cannot_link:
            other = self._stories.get(other_id)
            if other is not None:
                other.cannot_link.discard(absorb.id)
                other.cannot_link.add(keep.id)
        del self._stories[absorb.id]

    def _drop_story(self, story: _Story) -> None:
        for term in story.centroid:
            self._unpost(term, story.id)
        for member in story.members:
            self._articles.pop(member, None)
            if self._dedup is not None and member in self._dedup:
                self._dedup.remove(member)
        self._stories.pop(story.id, None)

    def _ordered_articles(self) -> list[_Article]:
        return sorted(
            self._articles.values(), key=lambda a: (a.duplicate_of is not None, a.published)
        )

    # Merging.

    def _merge_candidates(self, story: _Story, when: float) -> list[_Story]:
        top = sorted(story.centroid.items(), key=lambda kv: -kv[1])[: self.config.query_terms]
        overlap: dict[str, float] = {}
        for term, weight in top:
            posting = self._postings.get(term, set())
            if len(posting) <= self.config.max_posting:
                for other in posting:
                    overlap[other] = overlap.get(other, 0.0) + weight
        overlap.pop(story.id, None)
        best = heapq.nlargest(self.config.max_candidates, overlap, key=overlap.__getitem__)
        found = [self._stories[sid] for sid in best]
        return [s for s in found if s.count and self._active(s, when)]

    def _proposal(self, a: _Story, b: _Story) -> MergeProposal | None:
        if b.id in a.cannot_link or a.id in b.cannot_link or not a.norm2 or not b.norm2:
            return None
        small, large = (a, b) if len(a.centroid) <= len(b.centroid) else (b, a)
        dot = sum(w * large.centroid.get(t, 0.0) for t, w in small.centroid.items())
        gap = max(0.0, b.first - a.last, a.first - b.last) / _DAY - self.config.grace_days
        fade = math.exp(-gap / self.config.decay_days) if gap > 0 else 1.0
        score = dot / math.sqrt(a.norm2 * b.norm2) * fade
        if score < self.config.merge_threshold:
            return None
        keep, absorb = sorted((a, b), key=lambda s: (not self._touched(s), s.first, s.id))
        automatic = not (self._touched(a) and self._touched(b))
        return MergeProposal(keep.id, absorb.id, score, automatic)

    def _touched(self, story: _Story) -> bool:
        """Return whether an editor decided something about the story."""
        return (
            story.title is not None
            or story.pinned
            or bool(story.cannot_link)
            or any(self._articles[m].locked for m in story.members)
        )

    # Snapshots.

    def _snapshot(self, story: _Story) -> Story:
        members = [self._articles[m] for m in story.members]
        originals = sorted(
            (a for a in members if a.duplicate_of is None), key=lambda a: a.published
        )
        copies: dict[str, list[str]] = {}
        for item in members:
            if item.duplicate_of is not None:
                copies.setdefault(item.duplicate_of, []).append(item.id)
        timeline = tuple(
            TimelineEntry(a.id, _datetime(a.published), a.title, tuple(copies.get(a.id, ())))
            for a in originals
        )
        times = [a.published for a in originals or members]
        return Story(
            id=story.id,
            title=story.title or self._representative(story, originals or members),
            count=len(originals),
            first=_datetime(min(times)),
            last=_datetime(max(times)),
            timeline=timeline,
            people=self._top_names(story, "person"),
            places=self._top_names(story, "place"),
            organizations=self._top_names(story, "org"),
            pinned=story.pinned,
            renamed=story.title is not None,
        )

    def _representative(self, story: _Story, candidates: Sequence[_Article]) -> str:
        """Return the headline of the article closest to the story's centroid; earliest on ties."""
        if story.norm2 <= 0.0:
            return min(candidates, key=lambda a: a.published).title  # every cosine is 0
        norm = math.sqrt(story.norm2)
        # `_cosine(a.vector(), story)` for every candidate at once, from the stored arrays:
        # retitling a story of thousands costs milliseconds, not tens of them.
        dots = self._dots(story.centroid, candidates)

        def closeness(n: int) -> tuple[float, float]:
            return (round(dots[n] / norm, 9), -candidates[n].published)

        return candidates[max(range(len(candidates)), key=closeness)].title

    def _top_names(self, story: _Story, kind: str, limit: int = 5) -> tuple[str, ...]:
        prefix = f"@{kind}:"
        ranked = [(k, c) for k, c in story.entities.most_common() if c > 0 and k.startswith(prefix)]
        return tuple(self._names.get(k, k[1:]).split(":", 1)[1] for k, _ in ranked[:limit])
