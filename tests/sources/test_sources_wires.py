"""Wire items: NINJS 2.x and 1.x, NewsML-G2 and NITF read field by field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import EmptyInputError, ExtractionError
from khabar.extract.record import ExtractedArticle, Image, IncomingItem
from khabar.extract.wires import (
    UnknownWireFormatError,
    WireError,
    detect_wire_format,
    parse_wire,
)

WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
AGENCY = "وكالة أنباء الساحل"


def read(name: str) -> bytes:
    return (WIRES / name).read_bytes()


def article(item: IncomingItem) -> ExtractedArticle:
    assert item.article is not None
    return item.article


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ninjs_v1.json", "ninjs"),
        ("ninjs_v2.json", "ninjs"),
        ("ninjs_1x.json", "ninjs"),
        ("newsmlg2_item.xml", "newsmlg2"),
        ("nitf_item.xml", "nitf"),
    ],
)
def test_detect_wire_format(name: str, expected: str) -> None:
    assert detect_wire_format(read(name)) == expected


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"[1, 2]", b'{"title": "x"}', b"<rss/>", b"<html></html>", b"\x89PNG", b"<"],
)
def test_detect_wire_format_never_raises(data: bytes) -> None:
    assert detect_wire_format(data) is None


def test_ninjs_2_first_version() -> None:
    item = parse_wire(read("ninjs_v1.json"))
    a = article(item)
    assert item.source_id == "urn:newsml:sahel-news.example:20241106:AR-7731"
    assert item.kind == "ninjs"
    assert item.version == 1
    assert item.urgency == 3
    assert item.embargo == datetime(2024, 11, 6, 8, 0, tzinfo=UTC)
    assert item.updated == datetime(2024, 11, 6, 5, 40, tzinfo=UTC)
    assert item.subjects == ["بيئة", "زراعة"]
    assert item.agency == AGENCY
    assert item.credit == "© 2024 وكالة أنباء الساحل"
    assert item.needs_fetch is False
    assert item.url is None
    assert a.title == "الحكومة تعلن خطة لخفض استهلاك المياه في الزراعة بنسبة 15 في المئة"
    assert a.lead == "الخطة تشمل دعم الري بالتنقيط وتسعيرا جديدا للمياه الجوفية."
    assert item.summary == a.lead
    assert a.byline == "مراسل أنباء الساحل"
    assert a.published == datetime(2024, 11, 6, 5, 40, tzinfo=UTC)
    assert a.language == "ar"
    assert a.sources == [AGENCY]
    assert [b.kind for b in a.blocks] == ["paragraph", "paragraph", "subheading", "paragraph"]
    assert a.subheadings == ["تسعير جديد"]
    # the dateline is read, and the paragraph keeps it: body text is never rewritten
    assert a.dateline == "عمّان (أنباء الساحل) -"
    assert a.blocks[0].text.startswith("عمّان (أنباء الساحل) - أعلنت الحكومة صباح الأربعاء")
    assert a.image == Image(
        url="https://media.sahel-news.example/PH-2210/original.jpg",
        caption="مزارع يتفقد شبكة ري بالتنقيط في حقل للخضار.",
        credit="ليث الشامي",
    )


def test_ninjs_second_version_of_the_same_item() -> None:
    first, second = parse_wire(read("ninjs_v1.json")), parse_wire(read("ninjs_v2.json"))
    assert second.source_id == first.source_id
    assert (first.version, second.version) == (1, 2)
    assert second.urgency == 2
    assert second.updated == datetime(2024, 11, 6, 7, 5, tzinfo=UTC)
    assert article(second).published == article(first).published
    assert article(second).title == (
        "الحكومة تقر خطة لخفض استهلاك المياه في الزراعة بنسبة 20 في المئة"
    )
    assert article(second).title != article(first).title
    assert len(article(second).blocks) == len(article(first).blocks) + 1


def test_ninjs_1x_field_names() -> None:
    item = parse_wire(read("ninjs_1x.json"))
    a = article(item)
    assert item.source_id == "urn:newsml:sahel-news.example:20241107:AR-7790"
    assert item.version == 3
    assert item.urgency == 4  # sent as the string "4"
    assert item.embargo == datetime(2024, 11, 7, 14, 0, tzinfo=UTC)
    assert item.subjects == ["رياضة", "كرة القدم"]  # a subject with a code and no name is skipped
    assert item.agency == AGENCY
    assert a.title == "افتتاح أكاديمية لتكوين حكام كرة القدم الشباب"
    assert a.lead == "الأكاديمية تستقبل ستين متدربا في دفعتها الأولى."
    assert a.byline == "نور الهدى العلمي"
    assert a.dateline == "الرباط (أنباء الساحل) -"
    assert a.subheadings == ["معايير الانتقاء"]
    assert a.published == datetime(2024, 11, 7, 11, 0, tzinfo=UTC)
    assert a.image == Image(
        url="https://media.sahel-news.example/PH-2301/base.jpg",
        caption="متدربون خلال أول حصة تطبيقية في ملعب الأكاديمية.",
        credit="سعيد المرابط",
    )


def test_ninjs_plain_text_body_and_located_as_dateline() -> None:
    item = {
        "uri": "urn:x:1",
        "headline": "عنوان",
        "body_text": "الفقرة الأولى.\nالفقرة الثانية.",
        "located": "بيروت",
        "language": "ar",
    }
    a = article(parse_wire(json.dumps(item).encode()))
    assert a.body == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert a.dateline == "بيروت"


def test_newsml_g2_news_item() -> None:
    item = parse_wire(read("newsmlg2_item.xml"))
    a = article(item)
    assert item.source_id == "urn:newsml:sahel-news.example:20241108:AR-7812"
    assert item.kind == "newsmlg2"
    assert item.version == 2
    assert item.urgency == 2
    assert item.embargo == datetime(2024, 11, 8, 11, 0, tzinfo=UTC)
    assert item.updated == datetime(2024, 11, 8, 8, 20, tzinfo=UTC)
    assert item.subjects == ["علوم وتكنولوجيا", "فضاء"]  # the Arabic name of each subject
    assert item.agency == AGENCY
    assert item.credit == "أنباء الساحل"
    assert a.title == "إطلاق أول قمر صناعي جامعي لرصد الغطاء النباتي"
    assert a.lead == "القمر الصغير صممه طلاب وأساتذة في مدرسة للمهندسين ويزن أقل من كيلوغرامين."
    assert a.byline == "سلمى بن علي"
    assert a.published == datetime(2024, 11, 8, 7, 55, tzinfo=UTC)
    assert a.language == "ar"
    # the h1 repeating the headline is not body; h2 and blockquote keep their roles
    assert [b.kind for b in a.blocks] == [
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
        "quote",
        "paragraph",
    ]
    assert a.subheadings == ["بيانات مفتوحة"]
    assert a.blocks[4].text == "«أثبت طلابنا أن الفضاء لم يعد حكرا على الدول الكبرى»."
    assert a.dateline == "تونس (أنباء الساحل) -"
    assert a.blocks[0].text.startswith("تونس (أنباء الساحل) - أُطلق فجر الجمعة")


def test_newsml_g2_dateline_element_when_the_body_has_none() -> None:
    data = read("newsmlg2_item.xml").replace("تونس (أنباء الساحل) - ".encode(), b"")
    assert article(parse_wire(data)).dateline == "تونس، 8 نوفمبر/تشرين الثاني"


def test_newsml_g2_inside_a_news_message() -> None:
    item_xml = read("newsmlg2_item.xml").split(b"-->", 1)[1]
    message = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header/><itemSet>'
        + item_xml
        + b"</itemSet></newsMessage>"
    )
    assert detect_wire_format(message) == "newsmlg2"
    assert parse_wire(message).source_id == "urn:newsml:sahel-news.example:20241108:AR-7812"


def test_nitf_document() -> None:
    item = parse_wire(read("nitf_item.xml"))
    a = article(item)
    assert item.source_id == "SAHEL-AR-20241109-0042"
    assert item.kind == "nitf"
    assert item.version == 3
    assert item.urgency == 4
    assert item.embargo == datetime(2024, 11, 9, 8, 0, tzinfo=UTC)
    assert item.subjects == ["النقل", "النقل الجوي", "خطوط جوية", "سياحة"]
    assert item.agency == AGENCY
    assert item.credit == AGENCY
    assert a.title == "شركة طيران إقليمية تفتتح خطا مباشرا بين الدار البيضاء ونواكشوط"
    assert a.lead == "الخط الجديد يختصر زمن الرحلة بين المدينتين إلى ساعتين ونصف."
    assert a.byline == "بقلم يوسف الإدريسي"
    assert a.published == datetime(2024, 11, 9, 6, 15, tzinfo=UTC)
    assert a.language == "ar"
    assert [b.kind for b in a.blocks] == [
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
        "quote",
        "image",
        "paragraph",
    ]
    assert a.subheadings == ["أسعار تنافسية"]
    assert a.blocks[3].text.startswith("وأوضح مدير المبيعات أن الشركة")  # inline <person> kept
    assert a.dateline == "الدار البيضاء (أنباء الساحل) -"
    photo = Image(
        url="https://photos.sahel-news.example/2024/11/09/plane.jpg",
        caption="طائرة ركاب على مدرج المطار خلال رحلة تجريبية.",
        credit="حسن الأمين / أنباء الساحل",
        alt="طائرة على المدرج",
    )
    assert a.blocks[5].image == photo
    assert a.image == photo
    assert "أنباء الساحل)" not in a.body[-1]  # body.end's tagline is not body


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInputError, "empty"),
        (b'{"uri": "urn:x", "headlines": [', ExtractionError, "not valid JSON"),
        (b'{"title": "not ninjs"}', UnknownWireFormatError, "NINJS, NewsML-G2 or NITF"),
        (b'{"headlines": [{"value": "x"}], "standard": {"name": "ninjs"}}', WireError, "uri"),
        (b"<rss version='2.0'/>", UnknownWireFormatError, "NINJS, NewsML-G2 or NITF"),
        (b"<nitf><head>", ExtractionError, "not well-formed"),
        (b"<newsMessage><itemSet/></newsMessage>", WireError, "no newsItem"),
        (b"[" * 100_000 + b"]" * 100_000, ExtractionError, "JSON"),
    ],
)
def test_broken_or_foreign_documents_give_clear_errors(
    data: bytes, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        parse_wire(data)
