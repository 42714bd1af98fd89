"""DuplicateIndex: copies found after edits, different news kept apart, short texts, removal."""

from __future__ import annotations

import threading

import pytest

from khabar.stories.dedup import MIN_WORDS, DuplicateIndex, Match, _lsh_params
from khabar.stories.fingerprint import content_hash, from_signature_bytes, signature_bytes

WIRE = """البنك المركزي الأردني يرفع أسعار الفائدة ربع نقطة

عمان (بترا) - قرر البنك المركزي الأردني اليوم الخميس رفع أسعار الفائدة على جميع أدوات السياسة
النقدية بمقدار 25 نقطة أساس، ليصل سعر الفائدة الرئيسي إلى 7.75 في المئة.

وقال البنك في بيان إن قراره يأتي في إطار الحفاظ على جاذبية الأصول المقومة بالدينار وتعزيز
الاستقرار النقدي، مشيرا إلى أن المعدل السنوي للتضخم بلغ 2.1 في المئة في الشهر الماضي.

وأضاف البنك أنه سيواصل متابعة التطورات الاقتصادية المحلية والعالمية عن كثب، ولن يتردد في
اتخاذ الإجراءات اللازمة للحفاظ على الاستقرار النقدي."""

# The same wire story as an outlet ran it: another headline and dateline, Arabic-Indic digits,
# bare alefs, a sentence added at the end and a "read also" line.
COPY = (
    WIRE.replace(
        "البنك المركزي الأردني يرفع أسعار الفائدة ربع نقطة", "المركزي الأردني يرفع الفائدة"
    )
    .replace("عمان (بترا) -", "عمان - أ ف ب")
    .replace("25", "٢٥")
    .replace("7.75", "٧٫٧٥")
    .replace("أ", "ا")
    + " وكان البنك قد أبقى أسعار الفائدة دون تغيير في اجتماعه السابق.\n\nاقرأ أيضا: أسعار الذهب"
)

# Different news from the same agency template: another bank, another decision, other numbers.
OTHER_BANK = """البنك المركزي المصري يبقي أسعار الفائدة دون تغيير

القاهرة (رويترز) - قرر البنك المركزي المصري اليوم الخميس الإبقاء على سعر عائد الإيداع والإقراض
لليلة واحدة عند 27.25 في المئة و28.25 في المئة على الترتيب، للاجتماع الثالث على التوالي.

وقالت لجنة السياسة النقدية في بيان إن قرارها يعكس تقييمها لآخر تطورات التضخم وتوقعاته، مشيرة
إلى أن المعدل السنوي للتضخم العام في المدن تراجع إلى 24 في المئة في الشهر الماضي.

وأضافت اللجنة أنها ستواصل متابعة التطورات الاقتصادية عن كثب، ولن تتردد في استخدام جميع
أدواتها لتحقيق استقرار الأسعار على المدى المتوسط."""

UNRELATED = """فاز فريق شباب المرفأ على ضيفه أهلي الواحة بنتيجة 2-1 في المباراة التي جرت بينهما مساء
اليوم السبت على ملعب المرفأ، ضمن منافسات الجولة الثامنة عشرة من الدوري الممتاز لكرة القدم. وتقدم
أهلي الواحة بهدف في الدقيقة 23، قبل أن يدرك المدافع خالد منصور التعادل برأسية في الدقيقة 41، ثم
أحرز البديل يوسف الحداد هدف الفوز في الدقيقة 87."""

FLASH = "عاجل: مقتل 3 أشخاص في انفجار بمدينة الموصل"


def test_find_returns_the_original_after_edits() -> None:
    index = DuplicateIndex()
    index.add("wire", WIRE)
    index.add("other", OTHER_BANK)
    matches = index.find(COPY)
    assert [m.key for m in matches] == ["wire"]
    assert index.threshold <= matches[0].similarity < 1.0


def test_different_news_on_the_same_template_is_not_matched() -> None:
    index = DuplicateIndex()
    index.add("wire", WIRE)
    assert index.find(OTHER_BANK) == []
    assert index.find(UNRELATED) == []


def test_exact_copy_is_found_by_content_hash() -> None:
    index = DuplicateIndex()
    index.add("wire", WIRE)
    respaced = "  ".join(WIRE.split()) + " ."
    assert index.find(respaced) == [Match("wire", 1.0)]


def test_check_and_add_links_copies_to_the_earliest_original() -> None:
    index = DuplicateIndex()
    assert index.check_and_add("reuters", WIRE) is None
    assert index.check_and_add("egypt", OTHER_BANK) is None
    assert index.check_and_add("afp", COPY) == "reuters"
    assert index.check_and_add("same-again", WIRE) == "reuters"
    assert len(index) == 2
    assert "afp" not in index


def test_earliest_added_wins_over_most_similar() -> None:
    index = DuplicateIndex()
    index.add("first", COPY)
    index.add("second", WIRE)
    assert index.find(WIRE)[0].key == "second"
    assert index.check_and_add("third", WIRE) == "first"


def test_short_texts_match_by_content_hash_only() -> None:
    index = DuplicateIndex()
    assert len(FLASH.split()) < MIN_WORDS
    assert index.check_and_add("flash", FLASH) is None
    assert index.check_and_add("again", "عاجل - مقتل ٣ اشخاص في انفجار بمدينة الموصل") == "flash"
    assert index.check_and_add("update", FLASH.replace("3", "5")) is None
    assert index.find("عاجل") == []


def test_empty_texts_never_match() -> None:
    index = DuplicateIndex()
    assert index.check_and_add("a", "") is None
    assert index.check_and_add("b", " ... ") is None
    assert len(index) == 2


def test_remove() -> None:
    index = DuplicateIndex()
    index.add("wire", WIRE)
    index.add("flash", FLASH)
    index.remove("wire")
    index.remove("flash")
    assert len(index) == 0
    assert index.find(COPY) == []
    assert index.find(FLASH) == []
    with pytest.raises(KeyError, match="wire"):
        index.remove("wire")
    index.add("wire", WIRE)
    assert index.find(COPY)[0].key == "wire"


def test_keys_are_unique() -> None:
    index = DuplicateIndex()
    index.add("wire", WIRE)
    with pytest.raises(ValueError, match="remove"):
        index.add("wire", OTHER_BANK)


def test_index_rebuilt_from_stored_signatures() -> None:
    index = DuplicateIndex()
    stored = {
        key: (signature_bytes(index.fingerprint(text).signature), content_hash(text))
        for key, text in (("wire", WIRE), ("egypt", OTHER_BANK))
    }
    restored = DuplicateIndex()
    for key, (signature, digest) in stored.items():
        restored.add(key, from_signature_bytes(signature), digest=digest)
    assert [m.key for m in restored.find(COPY)] == ["wire"]
    assert restored.find(WIRE) == [Match("wire", 1.0)]
    assert restored.find(UNRELATED) == []


def test_fingerprints_from_other_settings_are_refused() -> None:
    index = DuplicateIndex(k=3)
    with pytest.raises(ValueError, match=r"index\.fingerprint"):
        index.find(DuplicateIndex(k=5).fingerprint(WIRE))
    assert index.find(index.fingerprint(WIRE)) == []


def test_threshold_must_be_a_similarity() -> None:
    with pytest.raises(ValueError, match="threshold"):
        DuplicateIndex(threshold=0.0)


@pytest.mark.parametrize("threshold", [0.3, 0.4, 0.45, 0.5, 0.7, 0.9, 1.0])
def test_lsh_layout_finds_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = _lsh_params(threshold, 128)
    assert bands >= 2
    assert bands * rows <= 128
    assert 1 - (1 - threshold**rows) ** bands >= 0.98


def test_concurrent_check_and_add_keeps_one_original() -> None:
    index = DuplicateIndex()
    results: list[str | None] = []
    copies = [COPY.replace("السابق", f"السابق {n}") for n in range(8)]

    def ingest(n: int) -> None:
        results.append(index.check_and_add(f"outlet-{n}", copies[n]))

    threads = [threading.Thread(target=ingest, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 1
    assert len(index) == 1
