"""Articles arriving through ingest are tagged and grouped into stories; editors win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from khabar.newsroom.export import iter_export
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, Story

pytestmark = pytest.mark.django_db

QUAKE = [
    (
        "زلزال بقوة 6 درجات يضرب جنوب تركيا ويخلف أضرارا في المباني",
        "ضرب زلزال بقوة ست درجات على مقياس ريختر ولاية هاتاي جنوب تركيا فجر اليوم، وأفادت "
        "السلطات التركية بانهيار عدد من المباني القديمة وإصابة العشرات. وقال وزير الداخلية "
        "التركي إن فرق الإنقاذ تعمل على رفع الأنقاض في ثلاث بلدات.",
    ),
    (
        "ارتفاع عدد المصابين في زلزال جنوب تركيا وفرق الإنقاذ تواصل البحث",
        "ارتفع عدد المصابين جراء الزلزال الذي ضرب ولاية هاتاي جنوب تركيا إلى مئة وعشرين "
        "مصابا، فيما تواصل فرق الإنقاذ البحث تحت أنقاض المباني المنهارة. وأعلنت السلطات "
        "التركية فتح مراكز إيواء مؤقتة للعائلات المتضررة من الزلزال.",
    ),
]
FOOTBALL = (
    "الوداد يفوز على الرجاء في ديربي الدار البيضاء ويعتلي صدارة الدوري",
    "حقق نادي الوداد فوزا ثمينا على غريمه الرجاء بهدفين مقابل هدف في ديربي الدار البيضاء "
    "مساء أمس، ليعتلي صدارة الدوري المغربي لكرة القدم. وسجل مهاجم الوداد هدف الفوز في "
    "الدقائق الأخيرة من المباراة أمام أكثر من أربعين ألف متفرج.",
)


def write(tmp_path: Path, name: str, title: str, body: str) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"{title}\n\n{body}\n\nالمصدر: وكالات\n", encoding="utf-8")
    return path


def test_follow_up_joins_the_story_and_other_news_does_not(tmp_path: Path) -> None:
    paths = [write(tmp_path, f"q{i}", t, b) for i, (t, b) in enumerate(QUAKE)]
    paths.append(write(tmp_path, "f", *FOOTBALL))
    with Ingestor() as ingestor:
        for path in paths:
            ingestor.run([str(path)])
    quake = [Article.objects.get(title=t) for t, _ in QUAKE]
    football = Article.objects.get(title=FOOTBALL[0])
    assert quake[0].story_id is not None
    assert quake[0].story_id == quake[1].story_id
    assert football.story_id not in (None, quake[0].story_id)
    rows = {r["title"]: r for r in iter_export()}
    assert rows[QUAKE[0][0]]["story"]["id"] == quake[0].story_id
    assert "تركيا" in rows[QUAKE[0][0]]["entities"]["places"]
    assert (
        quake[1].pk in Article.objects.get(pk=quake[0].pk).related_ids
        or quake[0].pk in Article.objects.get(pk=quake[1].pk).related_ids
    )


def test_editor_locked_article_is_not_moved(tmp_path: Path) -> None:
    with Ingestor() as ingestor:
        ingestor.run([str(write(tmp_path, "q0", *QUAKE[0]))])
    first = Article.objects.get()
    mine = Story.objects.create(title="ملف المحرر", slug="editor-file", title_locked=True)
    Article.objects.filter(pk=first.pk).update(story=mine, story_locked=True)
    with Ingestor() as ingestor:
        ingestor.run([str(write(tmp_path, "q1", *QUAKE[1]))])
    first.refresh_from_db()
    assert first.story_id == mine.pk
    mine.refresh_from_db()
    assert mine.title == "ملف المحرر"


def test_stories_command_json(tmp_path: Path, capsys) -> None:
    with Ingestor() as ingestor:
        for i, (t, b) in enumerate(QUAKE):
            ingestor.run([str(write(tmp_path, f"q{i}", t, b))])
    call_command("stories", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    assert rows[0]["count"] == 2
    assert set(rows[0]) >= {"id", "title", "count", "first", "last", "articles"}
    assert len(rows[0]["articles"]) == 2


def _two_stories_of_one_event() -> list[Story]:
    from django.utils import timezone

    from khabar.newsroom.models import Block

    stories = [Story.objects.create(title=f"قصة {i}", slug=f"s{i}") for i in range(2)]
    titles = [QUAKE[0][0], "هزة أرضية قوية في جنوب تركيا"]
    for story, title in zip(stories, titles, strict=True):
        article = Article.objects.create(
            title=title, status="published", story=story, published_at=timezone.now()
        )
        Block.objects.create(article=article, position=0, text=QUAKE[0][1])
    return stories


def test_merge_pass_joins_two_stories_about_one_event() -> None:
    from khabar.newsroom import storyline

    stories = _two_stories_of_one_event()
    assert storyline.merge_pass() == 1
    assert Story.objects.filter(pk__in=[s.pk for s in stories]).count() == 1
    assert Article.objects.values("story").distinct().count() == 1


def test_merge_pass_never_joins_stories_an_editor_split() -> None:
    from khabar.newsroom import storyline

    stories = _two_stories_of_one_event()
    stories[0].kept_apart.add(stories[1])
    assert storyline.merge_pass() == 0
    assert Story.objects.filter(pk__in=[s.pk for s in stories]).count() == 2


def test_a_text_naming_no_one_is_not_read_for_names_again_when_grouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khabar.stories import grouping

    calls: list[str] = []
    real = grouping.recognize
    monkeypatch.setattr(grouping, "recognize", lambda text, *a: calls.append(text) or real(text))
    plain = (
        "ارتفاع أسعار الخضر في الأسواق مع بداية موسم البرد",
        "شهدت أسواق الخضر ارتفاعا في الأسعار مع بداية موسم البرد، وقال باعة إن قلة المعروض "
        "وارتفاع كلفة النقل وراء الزيادة التي طالت الطماطم والبطاطا والبصل خلال الأسبوع.",
    )
    with Ingestor() as ingestor:
        ingestor.run([str(write(tmp_path, "plain", *plain))])
    article = Article.objects.get(title=plain[0])
    assert article.story_id is not None and not article.entities.exists()
    assert calls == []  # the workers found no names; grouping took their word for it
