"""The pieces under the readers: markup to blocks, teasers, machine dates, sniffing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.extract.record import Block, Image
from khabar.extract.wire_body import html_blocks, primary_language, text_blocks
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_feed_entry import FeedEntry, entry_item, needs_fetch
from khabar.extract.wire_xml import root_name

LONG = "جملة عربية طويلة بما يكفي لتكون فقرة من فقرات الخبر. " * 4


def kinds_and_texts(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in blocks]


def test_double_breaks_split_paragraphs_and_single_breaks_join_lines() -> None:
    blocks = html_blocks("السطر الأول<br>يكمل<br><br>الفقرة الثانية<br/> <br />الثالثة")
    assert kinds_and_texts(blocks) == [
        ("paragraph", "السطر الأول يكمل"),
        ("paragraph", "الفقرة الثانية"),
        ("paragraph", "الثالثة"),
    ]


def test_widgets_go_but_long_text_with_a_widget_class_stays() -> None:
    markup = (
        f"<div class='entry-content social-ready'><p>{LONG}</p><p>{LONG}</p>"
        "<ul class='share-list'><li>تويتر</li><li>فيسبوك</li></ul>"
        "<div id='related-posts'><a href='/x'>خبر آخر</a></div>"
        "<p>اقرأ أيضا: خبر قديم عن الموضوع نفسه</p>"
        "<p>The post <a href='/p'>X</a> appeared first on Y.</p></div>"
    )
    assert kinds_and_texts(html_blocks(markup)) == [("paragraph", LONG.strip())] * 2


def test_figures_become_image_blocks() -> None:
    markup = (
        "<p>قبل</p><figure><img data-src='https://i.example/a.jpg' src='data:image/gif;base64,R0'"
        " alt='وصف'><figcaption>تعليق الصورة <span class='credit'>تصوير: سامي</span>"
        "</figcaption></figure><p>بعد</p>"
    )
    blocks = html_blocks(markup)
    assert blocks[1] == Block(
        kind="image",
        image=Image(
            url="https://i.example/a.jpg",
            caption="تعليق الصورة تصوير: سامي",
            credit="تصوير: سامي",
            alt="وصف",
        ),
    )
    assert [b.kind for b in blocks] == ["paragraph", "image", "paragraph"]


def test_a_heading_repeating_the_title_is_dropped() -> None:
    blocks = html_blocks("<h1>العنوان</h1><h2>فرعي</h2><p>نص</p>", title="العنوان")
    assert kinds_and_texts(blocks) == [("subheading", "فرعي"), ("paragraph", "نص")]


def test_comments_go_and_the_text_around_them_stays() -> None:
    assert html_blocks("<p>قبل <!-- ملاحظة -->بعد</p>")[0].text == "قبل بعد"


def test_everything_inside_a_quote_is_quote() -> None:
    blocks = html_blocks("<blockquote><p>أ</p><h3>ب</h3><div>ج</div></blockquote>")
    assert [b.kind for b in blocks] == ["quote", "quote", "quote"]


def test_plain_text_paragraphs() -> None:
    assert [b.text for b in text_blocks("أ\nب")] == ["أ", "ب"]
    assert [b.text for b in text_blocks("أ\nتكملة\n\nب")] == ["أ تكملة", "ب"]
    assert text_blocks("  \n ") == []


@pytest.mark.parametrize(
    ("chars", "summary", "expected"),
    [
        (0, None, True),
        (399, None, True),
        (400, None, False),
        (500, "x" * 300, True),
        (600, "x" * 300, False),
    ],
)
def test_teaser_thresholds(chars: int, summary: str | None, expected: bool) -> None:
    assert needs_fetch(chars, summary) is expected


def test_a_summary_repeating_the_body_opening_is_no_lead() -> None:
    body = "<p>" + LONG + "</p><p>" + LONG + "</p>"
    entry = FeedEntry(
        title="ع", link="https://x.example/1", summary=LONG[:60] + " […]", content=body
    )
    item = entry_item(entry)
    assert item.article is not None and item.article.lead is None
    assert item.summary == LONG[:60] + " […]"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20241109T061500+0000", datetime(2024, 11, 9, 6, 15, tzinfo=UTC)),
        ("2024-11-05T08:30+02:00", datetime(2024, 11, 5, 6, 30, tzinfo=UTC)),
        ("2024-11-05", datetime(2024, 11, 5, tzinfo=UTC)),
        ("Tue, 05 Nov 2024 08:30:00 +0200", datetime(2024, 11, 5, 6, 30, tzinfo=UTC)),
        ("الثلاثاء", None),
        ("", None),
        (None, None),
        (20241105, None),
    ],
)
def test_machine_dates(raw: object, expected: datetime | None) -> None:
    assert parse_machine_date(raw) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ar", "ar"), ("ar-EG", "ar"), ("AR_lb", "ar"), ("", None), ("123", None), (None, None)],
)
def test_primary_language(tag: object, expected: str | None) -> None:
    assert primary_language(tag) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<?xml version="1.0"?>\n<!-- <html> -->\n<rss version="2.0"/>', "rss"),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'/>", "feed"),
        ('<?xml version="1.0"?><nitf/>'.encode("utf-16"), "nitf"),
        (b"<!DOCTYPE x [<!ELEMENT x ANY>]><rdf:RDF/>", "RDF"),
        (b"no markup", None),
    ],
)
def test_root_name_sniffing(data: bytes, expected: str | None) -> None:
    assert root_name(data) == expected
