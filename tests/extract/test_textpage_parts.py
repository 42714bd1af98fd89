"""The parts of a text page one at a time: labelled lines, and pages that break the usual shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import EmptyInputError, ExtractionError, NoArticleError
from khabar.extract import meta
from khabar.extract.classify import Kind, classify
from khabar.extract.lines import Line, make_line, split_lines
from khabar.extract.textpage import extract_text_page

PARAGRAPH = (
    "وقال المتحدث باسم الوزارة في مؤتمر صحفي إن الحكومة ستواصل العمل على تنفيذ خطتها "
    "الاقتصادية خلال الأشهر المقبلة رغم التحديات التي تواجهها الأسواق المحلية."
)


def line(text: str) -> Line:
    made = make_line(text)
    assert made is not None
    return made


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ('المصدر: "وكالة أ" + "قناة ب"', ["وكالة أ", "قناة ب"]),
        ("المصدر: وكالات", ["وكالات"]),
        ("المصادر: رويترز + أ ف ب", ["رويترز", "أ ف ب"]),
        ("المصدر : وكالة الأنباء الألمانية (د ب أ)", ["وكالة الأنباء الألمانية (د ب أ)"]),
        ("المصدر: رويترز، أ ف ب", ["رويترز", "أ ف ب"]),
        ("المصدر: رويترز وأ ف ب", ["رويترز", "أ ف ب"]),
        ("المصدر: «الشرق» - بتصرف", ["الشرق"]),
        ("Source: Reuters, AFP", ["Reuters", "AFP"]),
        ("Source : Le Courrier avec AFP", ["Le Courrier", "AFP"]),
    ],
)
def test_source_lines(text: str, sources: list[str]) -> None:
    assert meta.parse_sources(line(text)) == sources


def test_a_sentence_about_a_source_is_no_source_line() -> None:
    assert meta.parse_sources(line("المصدر المطلع أكد أن الاجتماع سيعقد غدا")) is None


@pytest.mark.parametrize(
    "text",
    ["كتب: أحمد علي", "كتبت - سارة محمود", "بقلم خالد يوسف", "بقلم: ليلى حسن", "By Jane Doe"],
)
def test_bylines(text: str) -> None:
    assert meta.parse_byline(line(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "كتب التاريخ المدرسية تصل إلى المدارس الأسبوع المقبل في موعدها.",
        "تقرير يكشف الحقائق",
        "By the numbers",
    ],
)
def test_not_bylines(text: str) -> None:
    assert meta.parse_byline(line(text)) is None


@pytest.mark.parametrize(
    ("text", "dateline", "agency"),
    [
        ("القاهرة (رويترز) - قال مسؤولون إن", "القاهرة (رويترز) -", "رويترز"),
        ("لندن، 5 مايو (أ ف ب) - أعلنت", "لندن، 5 مايو (أ ف ب) -", "أ ف ب"),
        ("بيروت - «الأخبار»: أقر المجلس", "بيروت - «الأخبار»", "الأخبار"),
        ("PARIS (AFP) - The government said", "PARIS (AFP) -", "AFP"),
    ],
)
def test_datelines(text: str, dateline: str, agency: str) -> None:
    assert meta.parse_dateline(text) == (dateline, agency)


def test_a_bare_place_is_a_dateline_only_when_loose() -> None:
    assert meta.parse_dateline("واشنطن - أعلن البيت الأبيض") is None
    assert meta.parse_dateline("واشنطن - أعلن البيت الأبيض", loose=True) == ("واشنطن -", None)


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("صدر الصورة، Getty Images", None, "Getty Images"),
        ("تصوير: محمد حسن", None, "محمد حسن"),
        ("الصورة: رويترز", None, "رويترز"),
        ("(أ ف ب)", None, "أ ف ب"),
        ("AFP/Getty", None, "AFP/Getty"),
        ("أطفال يلعبون في حديقة عامة (رويترز)", "أطفال يلعبون في حديقة عامة", "رويترز"),
        ("© AFP", None, "AFP"),
    ],
)
def test_credits(text: str, caption: str | None, credit: str) -> None:
    assert meta.parse_credit(line(text)) == (caption, credit)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("التعليقات", Kind.COMMENTS),
        ("تعليقات القراء (3)", Kind.COMMENTS),
        ("أخبار ذات صلة", Kind.RELATED),
        ("الأكثر قراءة", Kind.RELATED),
        ("اقرأ أيضا: عنوان خبر آخر", Kind.READ_ALSO),
        ("إعلان", Kind.AD),
        ("Advertisement", Kind.AD),
        ("شارك", Kind.SHARE),
        ("فيسبوك | تويتر | واتساب | نسخ الرابط", Kind.SHARE),
        ("جميع الحقوق محفوظة © 2025", Kind.FOOTER),
        ("نشر في: الاثنين 3 يونيو 2013 - 10:30", Kind.DATE),
        ("تاريخ النشر: 12/05/2024", Kind.DATE),
        ("آخر تحديث: الأحد 7 أيلول 2025", Kind.DATE),
        ("٢٢ خبر", Kind.COUNT),
        ("بيروت - «الأخبار»", Kind.DATELINE),
        (PARAGRAPH, Kind.PROSE),
        ("الحكومة تعلن خطة جديدة للنقل", Kind.TEXT),
    ],
)
def test_line_kinds(text: str, kind: Kind) -> None:
    assert classify(line(text)) is kind


def test_published_from_the_date_line() -> None:
    page = f"عنوان الخبر هنا كاملا\n\nنشر في: الاثنين 3 يونيو 2013 - 10:30\n\n{PARAGRAPH}\n"
    published = extract_text_page(page).published
    assert published is not None and published.isoformat() == "2013-06-03T10:30:00"


def test_a_lone_paragraph_is_an_article_with_no_title() -> None:
    article = extract_text_page(PARAGRAPH)
    assert article.title == "" and article.body == [PARAGRAPH] and article.lead is None


def test_the_url_is_kept() -> None:
    url = "https://example.org/news/1"
    assert extract_text_page(f"عنوان الخبر هنا\n\n{PARAGRAPH}", url=url).url == url


def test_empty_text() -> None:
    with pytest.raises(EmptyInputError):
        extract_text_page(" \n\t\n")


def test_a_menu_is_no_article() -> None:
    with pytest.raises(NoArticleError, match="section or index page"):
        extract_text_page("الرئيسية\nسياسة\nاقتصاد\n  • خبر أول قصير\n  • خبر ثان قصير\n")


def test_crlf_and_markdown_headings() -> None:
    page = f"# عنوان الخبر هنا\r\n\r\n{PARAGRAPH}\r\n\r\n## خلفية\r\n\r\n{PARAGRAPH}\r\n"
    article = extract_text_page(page)
    assert article.title == "عنوان الخبر هنا"
    assert article.subheadings == ["خلفية"]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    words = PARAGRAPH.split()
    wrapped = "\n".join(" ".join(words[i : i + 6]) for i in range(0, len(words), 6))
    lines = split_lines("\n\n".join([wrapped] * 4))
    assert len(lines) >= 4
    assert all(ln.text.endswith("المحلية.") for ln in lines)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتثجحخ دذرزسش.:\n-•«»()0123456789")), max_size=400))
def test_any_text_gives_an_article_or_an_extraction_error(text: str) -> None:
    try:
        article = extract_text_page(text)
    except ExtractionError:
        return
    assert article.body
