"""The steps of HTML extraction, one at a time, on small pages written for each rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import EmptyInputError, ExtractionError, NoArticleError
from khabar.extract import extract_string
from khabar.extract.html_body import find_lead, place_figures, xml_blocks
from khabar.extract.html_clean import clean_tree, is_hidden, part_of
from khabar.extract.html_dates import localize, parse_stamp, published_time, url_date
from khabar.extract.html_figures import Figure, read_figures, same_image
from khabar.extract.html_labels import agency_mark, sort_blocks
from khabar.extract.html_meta import (
    is_arabic,
    key,
    meta_titles,
    page_title,
    site_names,
    strip_site_name,
)
from khabar.extract.html_score import token_scores
from khabar.extract.html_shape import reshape
from khabar.extract.html_tree import parse_html, read_head, text_of
from khabar.extract.htmlpage import extract_html
from khabar.extract.record import Block, Image

PARAGRAPH = (
    "قال مسؤول في وزارة النقل إن أعمال صيانة الطريق الدولي ستبدأ مطلع الشهر المقبل وتستمر "
    "ثلاثة أشهر، مع تحويل حركة الشاحنات إلى طريق بديل خلال ساعات النهار لتخفيف الازدحام."
)
SECOND = (
    "وأضاف أن الوزارة خصصت فرقا للطوارئ على امتداد الطريق، وأنها ستعلن المواعيد الدقيقة "
    "لإغلاق كل مقطع قبل أسبوع على الأقل عبر وسائل الإعلام ومنصاتها الرسمية."
)


def page(body: str, head: str = "") -> str:
    return f"<html lang='ar'><head>{head}</head><body>{body}</body></html>"


def texts(html: str) -> str:
    root = parse_html(html)
    clean_tree(root)
    return text_of(root)


# --- cleaning ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        "<div hidden>نص مخفي</div>",
        "<div aria-hidden='true'>نص مخفي</div>",
        "<div style='display: none'>نص مخفي</div>",
        "<div class='modal-window rules'>نص مخفي</div>",
        "<div role='dialog'>نص مخفي</div>",
        "<dialog>نص مخفي</dialog>",
        "<template><p>نص مخفي</p></template>",
        "<span class='sr-only'>نص مخفي</span>",
    ],
)
def test_hidden_elements_go(markup: str) -> None:
    html = page(f"<article><h1>عنوان</h1><p>{PARAGRAPH}</p>{markup}</article>")
    assert "نص مخفي" not in texts(html)
    assert PARAGRAPH in texts(html)


def test_a_class_word_alone_does_not_hide() -> None:
    """Drupal's "field-label-hidden" hides a label, not the field holding the article."""
    html = page(f"<div class='field field-name-body field-label-hidden'><p>{PARAGRAPH}</p></div>")
    assert PARAGRAPH in texts(html)


def test_a_hidden_story_is_still_the_story() -> None:
    """Some pages hide their text until a script shows it: that text is the article."""
    html = page(
        f"<div class='story' style='display:none'><p>{PARAGRAPH}</p><p>{SECOND}</p></div>"
        "<div hidden><p>نص مخفي</p></div>"
    )
    text = texts(html)
    assert PARAGRAPH in text and SECOND in text
    assert "نص مخفي" not in text


def test_the_article_is_never_dropped_even_when_marked() -> None:
    html = page(f"<article class='post tag-politics share-enabled'><p>{PARAGRAPH}</p></article>")
    assert PARAGRAPH in texts(html)


@pytest.mark.parametrize(
    ("classes", "part"),
    [
        ("post-share", "share"),
        ("shareBox", "share"),
        ("sharethis-inline", "share"),
        ("related-posts", "related"),
        ("relatedposts", "related"),
        ("read-more-box", "related"),
        ("comments-area", "comments"),
        ("commentlist", "comments"),
        ("post-tags", "tags"),
        ("ad-slot", "ads"),
        ("adsbygoogle", "ads"),
        ("author-box", "author_box"),
        ("nav-links", "navigation"),
        ("commentary", None),
        ("header", None),
        ("lead", None),
    ],
)
def test_parts_named_by_class(classes: str, part: str | None) -> None:
    root = parse_html(page(f"<div class='{classes}'>x</div>"))
    assert part_of(root.xpath("//div")[0]) == part


def test_widgets_inside_the_article_go() -> None:
    html = page(
        f"<article><h1>عنوان</h1><div class='entry-content'><p>{PARAGRAPH}</p>"
        "<div class='share-buttons'><a href='#'>فيسبوك</a><a href='#'>تويتر</a></div>"
        "<div class='ad-slot'>إعلان</div>"
        f"<p>{SECOND}</p></div></article>"
    )
    text = texts(html)
    assert "فيسبوك" not in text and "إعلان" not in text
    assert PARAGRAPH in text and SECOND in text


def test_read_also_box_and_inline_link_go_to_related() -> None:
    html = page(
        f"<article><h1>عنوان</h1><div class='body'><p>{PARAGRAPH}</p>"
        "<div class='box'><h3>اقرأ أيضًا</h3><ul><li><a href='/1'>افتتاح جسر جديد فوق النهر</a></li>"
        "<li><a href='/2'>تعديل مواعيد القطارات في الصيف</a></li></ul></div>"
        "<p><strong>اقرأ أيضا:</strong> <a href='/3'>الحكومة تقر خطة للنقل العام</a></p>"
        f"<p>{SECOND}</p></div></article>"
    )
    root = parse_html(html)
    cleaning = clean_tree(root)
    text = text_of(root)
    assert "افتتاح جسر" not in text and "خطة للنقل" not in text
    assert PARAGRAPH in text and SECOND in text
    assert cleaning.related == [
        "افتتاح جسر جديد فوق النهر",
        "تعديل مواعيد القطارات في الصيف",
        "الحكومة تقر خطة للنقل العام",
    ]


def test_is_hidden_reads_the_markup_only() -> None:
    root = parse_html(page("<p style='color: red'>نص</p><p class='hidden'>نص</p>"))
    shown, hidden = root.xpath("//p")
    assert not is_hidden(shown)
    assert is_hidden(hidden)


# --- reshaping ---------------------------------------------------------------------------------


def test_layout_tables_become_divs_and_data_tables_stay() -> None:
    html = page(
        f"<table><tr><td><h1>عنوان</h1><p>{PARAGRAPH}</p><p>{SECOND}</p></td></tr></table>"
        "<table><tr><th>المدينة</th><th>الحرارة</th></tr><tr><td>عمّان</td><td>24</td></tr></table>"
    )
    root = parse_html(html)
    reshape(root)
    assert len(root.xpath("//table")) == 1
    assert root.xpath("//table//td")[0].text == "عمّان"


def test_loose_text_between_blocks_is_wrapped() -> None:
    root = parse_html(page(f"<div id='story'><div>{PARAGRAPH}</div>{SECOND}<br><br>نهاية</div>"))
    reshape(root)
    assert [text_of(p) for p in root.xpath("//p")] == [SECOND]


def test_live_blog_posts_and_their_headers_open_up() -> None:
    posts = "".join(
        f"<article><header><time>10:0{i}</time><h3>تحديث {i}</h3></header><p>{PARAGRAPH}</p>"
        "</article>"
        for i in range(3)
    )
    root = parse_html(page(f"<main><h1>تغطية</h1><div class='feed'>{posts}</div></main>"))
    reshape(root)
    assert not root.xpath("//article") and not root.xpath("//header")


def test_quotes_in_another_language_are_not_code() -> None:
    root = parse_html(page("<blockquote lang='en'><p>We will not stand by.</p></blockquote>"))
    reshape(root)
    assert root.xpath("//blockquote")[0].get("lang") is None


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2020-06-03T03:01+0400", datetime(2020, 6, 3, 3, 1, tzinfo=timezone(timedelta(hours=4)))),
        ("2026-01-08T11:42:50Z", datetime(2026, 1, 8, 11, 42, 50, tzinfo=UTC)),
        ("2020-12-01 02:00:00", datetime(2020, 12, 1, 2, 0)),
        ("2024-05-20T08:12:40.000Z", datetime(2024, 5, 20, 8, 12, 40, tzinfo=UTC)),
        ("Tue, 17 Mar 2020 17:27:41 GMT", datetime(2020, 3, 17, 17, 27, 41, tzinfo=UTC)),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", datetime(2020, 10, 7, 12, 9)),
        ("الجمعة 8 فيفري 2019", datetime(2019, 2, 8)),
        ("21 novembre 2024 à 10h15", datetime(2024, 11, 21, 10, 15)),
        ("قريبا", None),
    ],
)
def test_parse_stamp(text: str, value: datetime | None) -> None:
    assert parse_stamp(text) == value


def test_the_local_offset_of_the_same_instant_wins() -> None:
    utc = datetime(2020, 12, 24, 23, 59, 50, tzinfo=UTC)
    local = datetime(2020, 12, 25, 1, 59, 50, tzinfo=timezone(timedelta(hours=2)))
    assert localize(utc, [local], []) == local
    assert localize(utc, [], []) == utc


def test_a_wall_clock_shown_on_the_page_gives_the_offset() -> None:
    utc = datetime(2024, 2, 21, 22, 30, tzinfo=UTC)
    shown = datetime(2024, 2, 22, 1, 30)
    found = localize(utc, [], [shown])
    assert found.isoformat() == "2024-02-22T01:30:00+03:00"
    assert localize(utc, [], [datetime(2024, 2, 22, 1, 37)]) == utc  # no quarter-hour offset


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "2013-08-03"),
        ("https://www.youm7.com/story/2020/8/24/title/4943459", "2020-08-24"),
        ("https://www.albayan.ae/uae/news/2020-06-03-1.3874341", "2020-06-03"),
        ("https://example.com/news/12345", None),
    ],
)
def test_url_date(url: str, day: str | None) -> None:
    found = url_date([url])
    assert (found.date().isoformat() if found else None) == day


def test_published_order_and_updated_lines() -> None:
    html = page(
        "<h1>عنوان</h1><div class='post-date'>آخر تحديث: 5 مارس 2024 18:00</div>"
        "<div class='date'>نشر في: 4 مارس 2024 09:15</div>"
    )
    root = parse_html(html)
    assert published_time(root, read_head(root), [None]) == datetime(2024, 3, 4, 9, 15)
    with_meta = page(
        "<h1>عنوان</h1>",
        "<meta property='article:published_time' content='2024-03-03T10:00:00+02:00'>",
    )
    root = parse_html(with_meta)
    found = published_time(root, read_head(root), [None])
    assert found is not None and found.isoformat() == "2024-03-03T10:00:00+02:00"


# --- titles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "stripped"),
    [
        ("وزير الرى يشهد توقيع عقد - اليوم السابع", "وزير الرى يشهد توقيع عقد"),
        ("المدينة نيوز - أميركا :50 الفا حصيلة الوفيات", "أميركا :50 الفا حصيلة الوفيات"),
        ("مصر تسجل 30 إصابة جديدة - Sputnik Arabic", "مصر تسجل 30 إصابة جديدة"),
        ("السودان - مصر: اتفاق على تقاسم مياه النهر", "السودان - مصر: اتفاق على تقاسم مياه النهر"),
        ("عنوان الخبر | بوابة الأهرام", "عنوان الخبر"),
    ],
)
def test_strip_site_name(title: str, stripped: str) -> None:
    assert strip_site_name(title, set()) == stripped


@pytest.mark.parametrize(
    ("markup", "title"),
    [
        (
            "<title>T - Site</title></head><body><h1>CNN</h1><h1>The real headline</h1>",
            "The real headline",
        ),
        (
            "<meta property='og:title' content='عنوان الخبر - موقع النبأ'><title>x</title>",
            "عنوان الخبر",
        ),
        ("<title>عنوان الخبر | بوابة الأهرام</title>", "عنوان الخبر"),
    ],
)
def test_title_sources_in_order(markup: str, title: str) -> None:
    root = parse_html(f"<html><head>{markup}</body></html>")
    head = read_head(root)
    assert page_title(root, head, site_names(meta_titles(root, head), head)) == title


def test_the_h1_the_titles_agree_on_keeps_its_quotes() -> None:
    html = page(
        '<h1>"شعر وردي" يثير السخرية على مواقع التواصل</h1>',
        "<meta property='og:title' content='شعر وردي يثير السخرية على مواقع التواصل'>"
        "<title>شعر وردي يثير السخرية على مواقع التواصل - Lebanon News</title>",
    )
    root = parse_html(html)
    head = read_head(root)
    titles = [t for t in (head.meta("og:title"), text_of(root.xpath("//title")[0])) if t]
    assert page_title(root, head, site_names(titles, head)) == (
        '"شعر وردي" يثير السخرية على مواقع التواصل'
    )
    assert key('"شعر وردي"') == key("شعر وردي")


# --- figures ------------------------------------------------------------------------------------


def test_bbc_style_figure_credit_and_caption() -> None:
    html = page(
        "<figure><div><img src='https://img.example/news/976/photo-bees.jpg'>"
        "<p role='text'><span class='x1'>صدر الصورة، </span>Getty Images</p></div>"
        "<figcaption><span class='x1'>التعليق على الصورة، </span>نحل على زهرة برية</figcaption>"
        f"</figure><p>{PARAGRAPH}</p>"
    )
    root = parse_html(html)
    figures = read_figures(root, None)
    assert [f.image.caption for f in figures] == ["نحل على زهرة برية"]
    assert figures[0].image.credit == "Getty Images"
    assert figures[0].next_text == PARAGRAPH
    assert "صدر الصورة" not in text_of(root)


@pytest.mark.parametrize(
    ("caption", "credit_markup", "want"),
    [
        ("رجال الإنقاذ في موقع الانهيار (رويترز)", "", ("رجال الإنقاذ في موقع الانهيار", "رويترز")),
        ("لاعبو المنتخب (أ ف ب)", "", ("لاعبو المنتخب", "أ ف ب")),
        (
            "الوزير خلال الجولة - ",
            "<span class='photo-credit'>وام</span>",
            ("الوزير خلال الجولة", "وام"),
        ),
        ("ساحة المدينة (تصوير: علي سالم)", "", ("ساحة المدينة", "علي سالم")),
        ("ساحة المدينة", "<small class='copyright'>© AFP</small>", ("ساحة المدينة", "AFP")),
    ],
)
def test_captions_and_credits(caption: str, credit_markup: str, want: tuple[str, str]) -> None:
    html = page(
        f"<figure><img src='/a.jpg'><figcaption>{caption}{credit_markup}</figcaption></figure>"
    )
    image = read_figures(parse_html(html), None)[0].image
    assert (image.caption, image.credit) == want


def test_wordpress_caption_outside_a_figure() -> None:
    html = page(
        "<div class='wp-caption'><img src='/u/2024/04/lights.jpg'>"
        "<p class='wp-caption-text'>إنارة الشوارع بالطاقة الشمسية</p></div>"
    )
    figures = read_figures(parse_html(html), "https://example.com/post/")
    assert figures[0].image.caption == "إنارة الشوارع بالطاقة الشمسية"
    assert figures[0].image.url == "https://example.com/u/2024/04/lights.jpg"


def test_same_image_across_sizes() -> None:
    assert same_image(
        "https://a.example/w800/photo-123456.jpg", "https://cdn.example/photo-123456.jpg"
    )
    assert not same_image("https://a.example/1.jpg", "https://a.example/2.jpg")


def test_place_figures_before_their_paragraph() -> None:
    image = Image(caption="صورة", credit="رويترز")
    blocks = [Block("paragraph", PARAGRAPH), Block("paragraph", SECOND)]
    placed = place_figures(blocks, [Figure(image, SECOND)])
    assert [b.kind for b in placed] == ["paragraph", "image", "paragraph"]


# --- labels among the body's blocks --------------------------------------------------------------


def test_labels_are_sorted_out() -> None:
    blocks = [
        Block("paragraph", "عنوان الخبر كما هو"),
        Block("paragraph", "كتب: سامي يوسف"),
        Block("paragraph", PARAGRAPH),
        Block("paragraph", "اقرأ أيضا: الحكومة تقر خطة للنقل العام"),
        Block("paragraph", "شارك فيسبوك تويتر واتساب"),
        Block("paragraph", "تابعوا أخبارنا عبر غوغل نيوز"),
        Block("paragraph", SECOND),
        Block("paragraph", "المصدر: وكالات"),
    ]
    kept, labels = sort_blocks(blocks, "عنوان الخبر كما هو")
    assert [b.text for b in kept] == [PARAGRAPH, SECOND]
    assert labels.byline == "كتب: سامي يوسف"
    assert labels.related == ["الحكومة تقر خطة للنقل العام"]
    assert labels.sources == ["وكالات"] and labels.source_line == "المصدر: وكالات"


def test_comment_rules_end_the_article() -> None:
    blocks = [
        Block("paragraph", PARAGRAPH),
        Block("paragraph", SECOND),
        Block("paragraph", "ترحب الشبكة بالنقاش، وكي لا نضطر إلى مراجعة التعليقات قبل نشرها."),
        Block("paragraph", "تعليق من قارئ يطول ويطول ويتحدث عن أمور كثيرة لا صلة لها بالخبر."),
    ]
    kept, _ = sort_blocks(blocks, "")
    assert [b.text for b in kept] == [PARAGRAPH, SECOND]


def test_a_sentence_that_sounds_like_a_disclaimer_is_text() -> None:
    sentence = "وقال إن تصريحات الوزير لا تعبر عن رأي الحكومة كلها."
    blocks = [Block("paragraph", t) for t in (PARAGRAPH, SECOND, sentence, PARAGRAPH)]
    assert len(sort_blocks(blocks, "")[0]) == 4
    disclaimer = "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط."
    blocks = [Block("paragraph", t) for t in (PARAGRAPH, SECOND, disclaimer, PARAGRAPH)]
    assert len(sort_blocks(blocks, "")[0]) == 2


@pytest.mark.parametrize(
    ("line", "agency"),
    [("--(بترا)", "بترا"), ("(رويترز)", "رويترز"), ("رويترز", "رويترز"), (PARAGRAPH, None)],
)
def test_agency_mark(line: str, agency: str | None) -> None:
    assert agency_mark(line) == agency


def test_an_agency_alone_after_the_text_is_the_source() -> None:
    kept, labels = sort_blocks([Block("paragraph", PARAGRAPH), Block("paragraph", "--(بترا)")], "")
    assert [b.text for b in kept] == [PARAGRAPH]
    assert labels.sources == ["بترا"]


def test_menu_rows_and_clock_times_are_not_text() -> None:
    blocks = [
        Block("paragraph", "الرئيسية - محليات - ثقافة - رياضة"),
        Block("paragraph", "18:30"),
        Block("paragraph", PARAGRAPH),
    ]
    assert [b.text for b in sort_blocks(blocks, "")[0]] == [PARAGRAPH]


# --- body mapping and lead -----------------------------------------------------------------------


def test_xml_blocks_kinds() -> None:
    from lxml import etree

    body = etree.fromstring(
        "<body><head rend='h2'>عنوان فرعي</head><p>سطر أول<lb/>سطر ثان</p>"
        "<p><hi rend='#b'>عنوان بالخط العريض</hi></p><quote><p>قول مأثور طويل</p></quote>"
        "<list><item>بند أول</item><item>بند ثان</item></list>"
        "<table><row><cell>أ</cell><cell>1</cell></row></table></body>"
    )
    blocks = xml_blocks(body)
    assert [(b.kind, b.text) for b in blocks] == [
        ("subheading", "عنوان فرعي"),
        ("paragraph", "سطر أول"),
        ("paragraph", "سطر ثان"),
        ("subheading", "عنوان بالخط العريض"),
        ("quote", "قول مأثور طويل"),
        ("paragraph", "بند أول"),
        ("paragraph", "بند ثان"),
        ("paragraph", "أ | 1"),
    ]


def test_find_lead_from_the_summary() -> None:
    root = parse_html(page(f"<div class='lead'><p>{PARAGRAPH}</p></div><div><p>{SECOND}</p></div>"))
    summary = PARAGRAPH[:90] + "..."
    assert find_lead(root, summary, [Block("paragraph", SECOND)]) == PARAGRAPH
    assert find_lead(root, summary, [Block("paragraph", PARAGRAPH)]) is None


# --- the whole page -----------------------------------------------------------------------------


def test_a_page_with_no_article_raises() -> None:
    html = page("<nav><a href='/'>الرئيسية</a><a href='/s'>رياضة</a></nav><p>مرحبا</p>")
    with pytest.raises(NoArticleError, match="No article found"):
        extract_html(html)


def test_whitespace_is_refused() -> None:
    with pytest.raises(EmptyInputError):
        extract_string("   \n")


def test_language_from_the_text_not_the_chrome() -> None:
    html = (
        "<html lang='fr'><head><title>Un titre</title></head><body>"
        f"<nav>Accueil Politique Sport</nav><article><h1>عنوان</h1><p>{PARAGRAPH}</p>"
        f"<p>{SECOND}</p></article></body></html>"
    )
    assert extract_html(html).language == "ar"


def test_is_arabic_tells_persian_apart() -> None:
    assert is_arabic(PARAGRAPH)
    assert not is_arabic(
        "وزیر امور خارجه گفت که کشورش برای گفتگو آماده است و پیشنهاد را بررسی می‌کند"
    )
    assert not is_arabic("The minister said the road works would start next month.")


def test_token_scores() -> None:
    assert token_scores(["أحمد في البيت"], ["احمد في البيت"]).f1 == 1.0
    half = token_scores(["واحد اثنان"], ["واحد ثلاثة"])
    assert (half.precision, half.recall) == (0.5, 0.5)
    assert token_scores([], []).f1 == 1.0 and token_scores(["كلمة"], []).f1 == 0.0


_WORDS = st.sampled_from(["خبر", "في", "المدينة", "قال", "news", "2024", "«", "-", ":"])
_TAGS = st.sampled_from(["p", "div", "span", "h2", "li", "table", "td", "figure", "article"])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{tag}>")
        else:
            parts.append(" ".join(draw(st.lists(_WORDS, max_size=30))))
    return "".join(parts)


@settings(max_examples=40, deadline=None)
@given(_markup())
def test_any_page_reads_or_raises_an_extraction_error(body: str) -> None:
    try:
        article = extract_html(page(body))
    except ExtractionError:
        return
    assert isinstance(article.title, str)
    assert all(b.text or b.kind == "image" for b in article.blocks)
