"""The recogniser memoizes what it finds out about each word: learning a name must not go stale."""

from __future__ import annotations

from khabar.stories.entities import Entity, Gazetteer, recognize


def test_a_name_learnt_after_reading_is_found() -> None:
    gazetteer = Gazetteer.load()
    text = "وقعت الأزرق للطاقة عقدا جديدا."
    assert [m.entity.name for m in recognize(text, gazetteer)] != ["مجموعة الأزرق للطاقة"]
    gazetteer.add(Entity("org", "مجموعة الأزرق للطاقة", ("الأزرق للطاقة",)))
    assert [m.entity.name for m in recognize(text, gazetteer)] == ["مجموعة الأزرق للطاقة"]
