"""Feeds: every fixture read field by field, and the documents that are not feeds refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import EmptyInputError, ExtractionError
from khabar.extract.feeds import FeedError, NotAFeedError, is_feed, parse_feed
from khabar.extract.record import Block, ExtractedArticle, Image, IncomingItem

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def article(item: IncomingItem) -> ExtractedArticle:
    assert item.article is not None
    return item.article


def test_rss2_full_content_gives_whole_articles() -> None:
    first, second = parse_feed(read("rss2_full.xml"))
    a = article(first)
    assert first.source_id == "akhbar-2024-118734"
    assert first.url == (
        "https://akhbar.example.com/economy/2024/11/05/desalination?utm_source=rss&utm_medium=feed"
    )
    assert first.needs_fetch is False
    assert first.kind == "feed"
    assert first.subjects == ["اقتصاد", "طاقة"]
    assert first.summary == "محطة جديدة على الساحل الجنوبي تكفي مياهها نحو مئة ألف نسمة."
    assert a.title == "افتتاح محطة لتحلية المياه تعمل بالطاقة الشمسية في العقبة"
    assert a.lead == first.summary
    assert a.byline == "ليلى الحسيني"
    assert a.published == datetime(2024, 11, 5, 6, 30, tzinfo=UTC)
    assert a.language == "ar"
    assert a.url == first.url
    assert [b.kind for b in a.blocks] == [
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
        "quote",
        "paragraph",
    ]
    assert a.blocks[0].text.startswith("العقبة (وكالة أنباء الساحل) - افتتحت السلطات المحلية")
    assert a.subheadings == ["كلفة أقل للطاقة"]
    assert a.blocks[4] == Block(
        kind="quote",
        text="«هذه خطوة أولى نحو أمن مائي لا يعتمد على الوقود المستورد»، "
        "قالت وزيرة المياه في كلمة الافتتاح.",
    )
    assert a.blocks[-1].text == (
        "ويتوقع خبراء أن تشجع التجربة مدنا ساحلية أخرى على اعتماد النموذج نفسه خلال السنوات "
        "المقبلة."
    )
    assert a.dateline == "العقبة (وكالة أنباء الساحل) -"
    assert a.sources == ["وكالة أنباء الساحل"]
    assert a.image is None
    text = "\n".join(a.body)
    for dropped in ("فيسبوك", "واتساب", "trackView", "شارك الخبر", "video.example.net"):
        assert dropped not in text

    b = article(second)
    assert second.source_id == "https://akhbar.example.com/sport/2024/11/04/juniors-final?page=2"
    assert second.needs_fetch is False
    assert b.subheadings == ["موعد النهائي"]
    assert len(b.blocks) == 4
    assert b.dateline is None and b.sources == []
    assert b.published == datetime(2024, 11, 4, 19, 45, tzinfo=UTC)


def test_rss2_summary_only_entries_need_fetching() -> None:
    guid, link, bare = parse_feed(read("rss2_summary_only.xml"))
    assert [i.needs_fetch for i in (guid, link, bare)] == [True, True, True]
    assert guid.source_id == "https://madina.example.org/local/4411"
    assert article(guid).byline == "فريق التحرير"
    assert article(guid).language == "ar"  # "ar-LB" keeps its primary subtag
    assert article(guid).blocks == []
    assert guid.subjects == ["محليات"]
    assert article(guid).published == datetime(2024, 11, 2, 10, 0, tzinfo=UTC)

    assert link.source_id == "https://madina.example.org/culture/4409"
    assert link.url == "https://madina.example.org/culture/4409?utm_source=twitter&gclid=XYZ"
    assert link.summary == "يفتح المعرض أبوابه مساء الخميس بمشاركة عشرين مكتبة."

    assert bare.url is None
    assert bare.source_id.startswith("sha256:") and len(bare.source_id) == 7 + 64
    assert article(bare).title == "تنبيه: انقطاع المياه عن الأحياء الشرقية"
    assert article(bare).published is None


def test_hash_identity_is_stable_and_tells_entries_apart() -> None:
    once = parse_feed(read("rss2_summary_only.xml"))[2].source_id
    again = parse_feed(read("rss2_summary_only.xml"))[2].source_id
    other = read("rss2_summary_only.xml").replace("الثامنة".encode(), "التاسعة".encode())
    assert once == again
    assert parse_feed(other)[2].source_id != once


def test_rss1_rdf() -> None:
    (item,) = parse_feed(read("rss1_rdf.xml"))
    a = article(item)
    assert item.source_id == "https://wadi.example.net/agri/771"
    assert item.url == "https://wadi.example.net/agri/771"
    assert a.title == "موسم قطاف الزيتون يبدأ مبكرا هذا العام"
    assert a.lead == "يتوقع المزارعون محصولا أوفر بعد أمطار الربيع الغزيرة."
    assert a.byline == "هالة يوسف"
    assert item.subjects == ["زراعة"]
    assert a.published == datetime(2024, 10, 28, 4, 0, tzinfo=UTC)
    assert item.updated == a.published
    assert a.language == "ar"
    assert item.needs_fetch is True


def test_rss091_with_its_netscape_doctype() -> None:
    first, second = parse_feed(read("rss091.xml"))
    assert first.source_id == "https://mina.example.com/news/ship-arrival.html"
    assert article(first).title == "وصول أول سفينة حاويات إلى الرصيف الجديد"
    assert article(first).published is None
    assert article(first).language == "ar"
    assert second.source_id == "https://mina.example.com/news/customs-hours.html"
    assert second.url == "https://mina.example.com/news/customs-hours.html#top"
    assert first.needs_fetch and second.needs_fetch


def test_atom_with_xhtml_content() -> None:
    (item,) = parse_feed(read("atom_xhtml.xml"))
    a = article(item)
    assert item.source_id == "tag:riwaq.example.com,2024:culture-55120"
    assert item.url == "https://riwaq.example.com/culture/55120"
    assert item.needs_fetch is False
    assert item.subjects == ["ثقافة", "مكتبات"]
    assert item.updated == datetime(2024, 11, 5, 4, 15, tzinfo=UTC)
    assert a.published == datetime(2024, 11, 4, 15, 0, tzinfo=UTC)
    assert a.title == "مكتبة عامة تعيد فتح أبوابها بعد ترميم دام ثلاث سنوات"
    assert a.lead == "المبنى التاريخي يستقبل القراء من جديد بقاعات أوسع وأرشيف رقمي."
    assert a.byline == "سامر العلي"
    assert a.language == "ar"
    assert [b.kind for b in a.blocks] == [
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
        "quote",
        "paragraph",
    ]
    assert a.subheadings == ["أرشيف رقمي"]
    assert a.blocks[4].text == "نريد أن يجد الطلاب هنا ما لا يجدونه على هواتفهم."
    assert a.image == Image(url="https://img.riwaq.example.com/55120.jpg")


def test_json_feed_11() -> None:
    full, short = parse_feed(read("jsonfeed_11.json"))
    a = article(full)
    assert full.source_id == "nabd-2024-0915"
    assert full.url == "https://nabd.example.edu/campus/robotics-team"
    assert full.needs_fetch is False
    assert full.subjects == ["جامعات", "تكنولوجيا"]
    assert full.updated == datetime(2024, 11, 3, 14, 5, tzinfo=UTC)
    assert a.published == datetime(2024, 11, 3, 12, 20, tzinfo=UTC)
    assert a.byline == "رنا خليل، عمر داود"
    assert a.lead == "طلاب الهندسة يتفوقون على ثلاثين فريقا بروبوت لفرز النفايات."
    assert a.image == Image(url="https://nabd.example.edu/img/robotics.jpg")
    assert a.subheadings == ["منحة للمرحلة التالية"]
    assert [b.kind for b in a.blocks] == ["paragraph", "paragraph", "subheading", "paragraph"]

    b = article(short)
    assert short.source_id == "2"  # a number where a string belongs is read as text
    assert short.needs_fetch is True
    assert b.body == ["نشرت عمادة الشؤون الأكاديمية جدول امتحانات الفصل الأول."]
    assert b.byline == "فريق نبض الجامعة"  # the feed's authors, as JSON Feed 1.1 says
    assert b.language == "ar"
    assert b.published == datetime(2024, 11, 2, 9, 0, tzinfo=UTC)


def test_json_feed_10_author_and_relative_links() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1",
        "title": "t",
        "author": {"name": "هيئة التحرير"},
        "items": [{"id": "a1", "url": "/news/a1", "content_text": "نص قصير."}],
    }
    (item,) = parse_feed(json.dumps(feed).encode(), url="https://site.example/feed.json")
    assert item.url == "https://site.example/news/a1"
    assert article(item).byline == "هيئة التحرير"


def test_windows_1256_declared_in_the_xml_declaration() -> None:
    data = read("rss2_windows1256.xml")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (item,) = parse_feed(data)
    a = article(item)
    assert item.source_id == "nahar-66120"
    assert a.title == "ارتفاع أسعار الذهب في السوق المحلية"
    assert a.lead == "سجل سعر غرام الذهب عيار 21 ارتفاعا بنسبة ثلاثة في المئة خلال أسبوع."
    assert item.subjects == ["اقتصاد"]
    assert a.published == datetime(2024, 11, 6, 10, 0, tzinfo=UTC)


def test_media_rss_photos_with_caption_and_credit() -> None:
    content, group, thumbnail, enclosure = parse_feed(read("rss2_media.xml"))
    assert article(content).image == Image(
        url="https://cdn.adasa.example.com/3301-large.jpg",
        caption="متطوعون يساعدون أصحاب المحال على إخراج البضائع من المياه في السوق القديم.",
        credit="نادر سليم",
    )
    assert article(group).image == Image(
        url="https://cdn.adasa.example.com/3302-large.jpg",
        caption="طائرات ورقية فوق الشاطئ",
        credit="وكالة أنباء الساحل",
    )
    assert article(thumbnail).image == Image(url="https://cdn.adasa.example.com/3303-thumb.jpg")
    assert article(enclosure).image == Image(url="https://cdn.adasa.example.com/3304.jpg")
    # feedparser files media:description as content; it must not become the article's body
    assert article(content).blocks == []
    assert content.needs_fetch is True
    assert article(content).lead == "فرق الدفاع المدني تسحب المياه من الأزقة الضيقة."


def test_a_feed_that_never_names_media_rss_is_not_read_for_it() -> None:
    from khabar.extract import wire_feed_media as media
    from khabar.extract.wire_xml import parse_xml

    # A feed that never names the Media RSS namespace is not read entry by entry for it: the
    # same answer as reading every entry.
    for name in ("rss2_full.xml", "rss2_summary_only.xml", "rss1_rdf.xml", "atom_xhtml.xml"):
        data = read(name)
        assert b"search.yahoo.com/mrss" not in data
        root = parse_xml(data, "feed", recover=True)
        every = [media._read_entry(n) for n in root.iter() if media._is_entry(n)]
        assert media.entry_media(data) == every and len(every) > 0


def test_an_html_page_is_refused_with_its_feed_address() -> None:
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(read("not_a_feed.html"))
    message = str(caught.value)
    assert "HTML page, not a feed: add it as a web page source" in message
    assert "https://akhbar.example.com/rss.xml" in message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rss2_full.xml", True),
        ("rss2_summary_only.xml", True),
        ("rss1_rdf.xml", True),
        ("rss091.xml", True),
        ("atom_xhtml.xml", True),
        ("jsonfeed_11.json", True),
        ("rss2_windows1256.xml", True),
        ("rss2_media.xml", True),
        ("not_a_feed.html", False),
    ],
)
def test_is_feed(name: str, expected: bool) -> None:
    assert is_feed(read(name)) is expected


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"<rsss/>", b"\x89PNG\r\n", b"<urlset/>", "<p>نص</p>".encode(), b'{"items": []}'],
)
def test_is_feed_never_raises(data: bytes) -> None:
    assert is_feed(data) is False


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInputError, "empty"),
        (b"   \n", EmptyInputError, "empty"),
        (b"<rss><channel><item><title>", FeedError, "broken"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", NotAFeedError, "No RSS, Atom"),
        (b'{"version": "1.0", "items": []}', NotAFeedError, "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', FeedError, "no items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', ExtractionError, "JSON"),
        (
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
            NotAFeedError,
            "sitemap",
        ),
        (b"\x1f\x8b\x08\x00rest", ExtractionError, "gzip"),
    ],
)
def test_broken_or_foreign_documents_give_clear_errors(
    data: bytes, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        parse_feed(data)


def test_a_truncated_feed_keeps_its_complete_entries() -> None:
    data = read("rss2_summary_only.xml")
    cut = data[: data.index("معرض للكتاب".encode())]
    items = parse_feed(cut)
    assert items[0].source_id == "https://madina.example.org/local/4411"


def test_a_feed_without_entries_is_not_an_error() -> None:
    assert parse_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>') == []


def test_relative_links_resolve_against_the_feed_address() -> None:
    data = (
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        b"<link>/news/1?utm_source=rss</link></item></channel></rss>"
    )
    (item,) = parse_feed(data, url="https://site.example/rss.xml")
    assert item.url == "https://site.example/news/1?utm_source=rss"
    assert item.source_id == "https://site.example/news/1"


def test_a_filename_is_never_opened() -> None:
    # feedparser opens a path it is given; the bytes must be read as a document, never a name
    with pytest.raises(ExtractionError):
        parse_feed(b"/etc/passwd")


def test_html_inside_a_feed_does_not_make_it_a_page() -> None:
    body = (
        "<html><head><title>x</title></head><body><p>" + "فقرة طويلة. " * 60 + "</p></body></html>"
    )
    data = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>خبر</title><guid>g-1</guid><description><![CDATA[{body}]]></description>"
        "</item></channel></rss>"
    ).encode()
    (item,) = parse_feed(data)
    assert item.source_id == "g-1"
    assert item.summary is not None and item.summary.startswith("فقرة طويلة.")
