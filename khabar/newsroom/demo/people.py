"""The demo's people: authors with short bios, readers' comments, follow-us channels, reads.

Everyone here is invented. Running it again updates the same rows, never duplicates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from khabar.newsroom.models import Article, Author, Comment

# The correspondents the demo's bylines name, with a line about each.
AUTHORS: dict[str, str] = {
    "وليد القاسم": "محرر العلوم والتكنولوجيا. يتابع الفضاء والذكاء الاصطناعي في المنطقة، "
    "ويكتب عن الشركات الناشئة ومختبرات الجامعات العربية.",
    "مراد الشاذلي": "مراسل رياضي يغطي كرة القدم العربية والبطولات القارية من الملاعب مباشرة.",
    "نادية الرحماني": "محررة الثقافة في الرباط. تكتب عن الكتب والجوائز الأدبية ومعارض الفن.",
    "دينا العمري": "محررة الصحة. تقرأ الدراسات الطبية وتشرحها بلغة قريبة من القارئ.",
    "هالة منصور": "مراسلة في عمّان، تغطي ملفات المياه والبيئة والعلاقات الإقليمية.",
    "ريم السقا": "صحفية ميدانية تتابع حملات الصحة العامة في القرى والمناطق النائية.",
    "حازم فاروق": "محرر رياضي مهتم بالرياضات الفردية، من الإسكواش إلى ألعاب القوى.",
    "إيمان الدريدي": "مراسلة اقتصادية في تونس، تكتب عن الأسواق والعملة وحياة الناس اليومية.",
    "طارق بن يوسف": "محلل اقتصادي يكتب عن السياسات النقدية والمؤسسات المالية الدولية.",
    "سيف الدين عباس": "مراسل في بغداد، يغطي الشؤون الاجتماعية والخدمات العامة.",
}

# Comments by article slug: (name, text, status, minutes after publication).
# Pending and rejected ones are here so the demo shows that readers never see them.
COMMENTS: dict[str, list[tuple[str, str, str, int]]] = {
    "amman-water-declaration-signed": [
        (
            "أبو يزن",
            "خطوة تأخرت كثيرًا. المهم الآن أن يرى الناس أثرها في الصنابير لا في البيانات.",
            "approved",
            12,
        ),
        (
            "سلمى من صفاقس",
            "سؤال للمحرر: هل ستكون بيانات المرصد متاحة للجامعات؟\nنحن طلاب هندسة مياه "
            "ونحتاج إليها في مشاريع التخرج.",
            "approved",
            40,
        ),
        ("Karim B.", "تغطية واضحة ومختصرة، شكرًا.", "approved", 95),
        ("زائر", "رابط إعلاني لا علاقة له بالخبر", "rejected", 100),
        ("منى", "أتمنى أن تنضم دول أخرى قريبًا.", "pending", 110),
    ],
    "daad-open-source-arabic-language-model": [
        (
            "مهندسة برمجيات",
            "جرّبته على نصوص بلهجتنا وكانت النتائج أفضل مما توقعت.\nلكن الإجابات الطويلة "
            "ما زالت تتكرر أحيانًا.",
            "approved",
            3,
        ),
        ("عمر ح.", "الترخيص المفتوح هو أهم ما في الخبر.", "pending", 4),
    ],
    "arab-u23-final-preview-morocco-jordan": [
        ("مشجع أردني", "النشامى قادرون على المفاجأة الليلة!", "approved", 10),
        ("ياسين", "المغرب أقرب إلى اللقب، لكن النهائيات لا تعترف بالترشيحات.", "approved", 22),
    ],
    "rabat-book-fair-closes-record-visitors": [
        (
            "قارئة من فاس",
            "زرت المعرض ثلاث مرات هذا العام، وجناح كتب الأطفال كان الأجمل.",
            "approved",
            300,
        ),
    ],
}

# Fictional handles on platforms readers know, in the order the header lists them.
CHANNELS: list[tuple[str, str, str]] = [
    ("فيسبوك", "https://www.facebook.com/khabar.demo", "facebook"),
    ("إكس", "https://x.com/khabar_demo", "x"),
    ("تلغرام", "https://t.me/khabar_demo", "telegram"),
    ("يوتيوب", "https://www.youtube.com/@khabar-demo", "youtube"),
    ("واتساب", "https://whatsapp.com/channel/khabar-demo", "whatsapp"),
]

# Today's reads for a few articles, so the most-read list has something to show at once.
READS: dict[str, int] = {
    "amman-water-declaration-signed": 1840,
    "arab-u23-final-preview-morocco-jordan": 1620,
    "daad-open-source-arabic-language-model": 1210,
    "heat-wave-recedes-who-calls-for-plans": 870,
    "tunisia-central-bank-holds-rate": 640,
    "gulf-markets-rise-wall-street-oil": 410,
    "nour-elhuda-selim-wins-el-gouna-squash": 260,
}


@dataclass
class PeopleResult:
    """What the demo's people step stored."""

    authors: int = 0
    bylined: int = 0
    comments: int = 0
    channels: int = 0


def _demo_articles() -> dict[str, Article]:
    return {
        a.source_id.removeprefix("demo:"): a
        for a in Article.objects.filter(source_id__startswith="demo:")
    }


def _load_authors(articles: dict[str, Article], result: PeopleResult) -> None:
    authors = {}
    for name, bio in AUTHORS.items():
        authors[name], _ = Author.objects.update_or_create(name=name, defaults={"bio": bio})
        result.authors += 1
    for article in articles.values():
        named = [a for n, a in authors.items() if n in article.byline]
        article.authors.set(named)
        result.bylined += bool(named)


def _load_comments(articles: dict[str, Article], now: datetime, result: PeopleResult) -> None:
    # The demo owns the comments on its own articles: replace them rather than add again.
    Comment.objects.filter(article__in=list(articles.values())).delete()
    rows = []
    for slug, comments in COMMENTS.items():
        article = articles.get(slug)
        if article is None or article.published_at is None:
            continue
        # A recent article's comments are squeezed into the time since it was published:
        # none may be written in the future.
        span = (now - article.published_at).total_seconds() / 60
        last = max(after for *_, after in comments) + 1
        squeeze = min(1.0, span / last)
        for name, body, status, after in comments:
            when = article.published_at + timedelta(minutes=after * squeeze)
            rows.append(
                Comment(article=article, name=name, body=body, status=status, created_at=when)
            )
    Comment.objects.bulk_create(rows)
    result.comments = len(rows)


def _load_channels(result: PeopleResult) -> None:
    from khabar.site.models import Channel

    for order, (name, url, icon) in enumerate(CHANNELS):
        Channel.objects.update_or_create(
            name=name, defaults={"url": url, "icon": icon, "order": order}
        )
        result.channels += 1
    # The site's own feeds now sit beside the channels; a channel pointing at a made-up
    # feed address would only repeat them, wrongly.
    Channel.objects.filter(name="RSS", url__startswith="https://example.org/").delete()


def _load_reads(articles: dict[str, Article], now: datetime) -> None:
    from khabar.site.models import ReadCount

    day = now.date()
    for slug, count in READS.items():
        if slug in articles:
            ReadCount.objects.update_or_create(
                article=articles[slug], day=day, defaults={"count": count}
            )


def load_people(now: datetime) -> PeopleResult:
    """Store the demo's authors (linked from bylines), comments, channels and today's reads."""
    result = PeopleResult()
    with transaction.atomic():
        articles = _demo_articles()
        _load_authors(articles, result)
        _load_comments(articles, now, result)
        _load_channels(result)
        _load_reads(articles, now)
    return result
