"""An article taken off the site (withdrawn, withheld) leaves the story index with its copies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from khabar.stories.grouping import StoryArticle, StoryIndex

T0 = datetime(2031, 3, 2, 8, 0, tzinfo=UTC)
QUAKE = (
    "زلزال بقوة 6 درجات يضرب ولاية وان شرقي تركيا",
    "ضرب زلزال قوي ولاية وان شرقي تركيا فجر اليوم وانهارت مبان في بلدة أرجيش.",
    "وقالت إدارة الكوارث التركية إن فرق الإنقاذ تبحث عن ناجين تحت الأنقاض في أرجيش، "
    "فيما فتحت البلدية مدارس المدينة لإيواء العائلات التي فقدت منازلها.",
)
QUAKE_2 = (
    "ارتفاع حصيلة ضحايا زلزال وان في تركيا إلى 40 قتيلا",
    "ارتفعت حصيلة ضحايا الزلزال الذي ضرب ولاية وان إلى 40 قتيلا وفرق الإنقاذ تواصل البحث.",
    "ونصبت إدارة الكوارث التركية خياما للناجين في أرجيش وسط البرد.",
)


def _article(id: str, title: str, lead: str, body: str, hours: float = 0) -> StoryArticle:
    return StoryArticle(id, title, lead, body, T0 + timedelta(hours=hours))


def test_remove_takes_the_article_and_its_copies_out() -> None:
    index = StoryIndex()
    story = index.place(_article("a1", *QUAKE)).story_id
    assert story is not None
    copy = index.place(_article("c1", *QUAKE, hours=1))
    assert (copy.story_id, copy.duplicate_of) == (story, "a1")
    index.place(_article("a2", *QUAKE_2, hours=2))

    assert index.remove("a1") == ["a1", "c1"]

    assert "a1" not in index and "c1" not in index
    assert [m for _when, m in index.members(story)] == ["a2"]
    # Another copy of the removed text is no longer a copy of anything indexed.
    again = index.assign(_article("c2", *QUAKE, hours=3))
    assert again.duplicate_of is None
    assert index.title(story) == QUAKE_2[0]


def test_removing_the_last_article_drops_its_story() -> None:
    index = StoryIndex()
    story = index.place(_article("a1", *QUAKE)).story_id
    assert story is not None
    index.remove("a1")
    assert len(index) == 0 and index.members(story) == [] and index.title(story) is None
    assert index.assign(_article("a2", *QUAKE_2, hours=2)).story_id is None


def test_removing_an_unknown_article_does_nothing() -> None:
    index = StoryIndex()
    index.place(_article("a1", *QUAKE))
    assert index.remove("nope") == []
    assert len(index) == 1
