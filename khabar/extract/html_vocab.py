"""What the markup of news pages says about its parts: class and id words, and widget phrases.

Class and id values are split into words ("post-shareBox" -> post, share, box). A word of a
part's set, or two neighbouring words of its pairs ("read", "more"), mark the element as that
part; `PREFIXES` catch one-word compounds ("sharethis", "relatedposts", "commentlist").
"""

from __future__ import annotations

from collections.abc import Iterable

from khabar.extract.vocab import fold


def phrases(words: Iterable[str]) -> tuple[str, ...]:
    """Return the folded forms of `words`, longest first, each once."""
    return tuple(sorted({fold(w) for w in words}, key=len, reverse=True))


Part = tuple[frozenset[str], tuple[tuple[str, str], ...]]


def _part(words: str, pairs: str = "") -> Part:
    """Return a part's class words and its word pairs, written "a b c" and "a-b c-d"."""
    couples = tuple((a, b) for a, b in (p.split("-") for p in pairs.split()))
    return frozenset(words.split()), couples


# Each part of a page: the single class words that name it, and the neighbouring pairs that do.
PARTS: dict[str, Part] = {
    "modal": _part("modal popup lightbox dialog"),
    "comments": _part("comment comments disqus respond replies", "fb-comments leave-reply"),
    "share": _part("share shares sharing social addthis sharethis sharer follow"),
    "related": _part(
        "related readmore readalso recommended recommendations outbrain taboola mgid trending "
        "popular mostread suggested",
        "read-more read-also also-read most-read more-news more-stories more-articles you-may",
    ),
    "tags": _part("tags tag taglist keywords hashtags labels"),
    "navigation": _part(
        "pagination pager breadcrumb breadcrumbs next prev", "post-navigation nav-links"
    ),
    "ads": _part(
        "ad ads adv advert adverts advertisement advertising adsbygoogle adslot dfp gpt sponsor "
        "sponsored promo newsletter subscribe"
    ),
    "author_box": _part(
        "bio authorbox biography", "author-box author-bio about-author author-info"
    ),
}
# Whole class names that hide an element (a class word alone would catch "field-label-hidden").
HIDDEN_CLASSES = frozenset(
    {
        "hidden", "hide", "is-hidden", "invisible", "d-none", "sr-only", "visually-hidden",
        "visuallyhidden", "screen-reader-text", "element-invisible", "u-hidden",
    }
)  # fmt: skip
# Compounds a site may write as one word: "relatedPosts" splits, "relatedposts" does not.
PREFIXES: dict[str, str] = {
    "comment": "comments",
    "share": "share",
    "related": "related",
    "social": "share",
    "newsletter": "ads",
    "advert": "ads",
    "readmore": "related",
}
NOT_PREFIXED = frozenset({"commentary", "commentaries", "commentator", "shared"})

# Words of the blocks under articles that explain what readers may post.
COMMENT_POLICY = phrases(
    [
        "مراجعة التعليقات", "التعليقات قبل نشرها", "إرشادات الاستخدام", "معايير المجتمع",
        "قواعد الموقع", "قواعد النشر", "حذف التعليق", "حذف التعليقات", "تعليق المستخدم",
        "التعليقات المسيئة", "يحق للموقع حذف", "إدارة الموقع لها الحق", "جميع مشاركاتك",
        "يظهر بعد المراجعة", "تم إضافة تعليقك", "comment policy", "community guidelines",
        "comments are moderated", "charte de modération",
    ]
)  # fmt: skip

# Lines that ask readers to follow the site elsewhere: "تابعوا أخبارنا عبر غوغل نيوز".
FOLLOW_US = phrases(["تابعوا", "تابعونا", "تابعنا", "follow us", "suivez-nous", "suivez nous"])

# Words that make a headline's affix a site name: "بوابة أخبار اليوم", "Sputnik Arabic".
SITE_NAME_WORDS = phrases(
    [
        "بوابة", "جريدة", "صحيفة", "موقع", "قناة", "شبكة", "وكالة", "نيوز", "اليوم", "الإلكترونية",
        "أونلاين", "news", "arabic", "online", "tv", "com", "net", "arabia", "journal",
    ]
)  # fmt: skip

# Types of schema.org objects whose date and headline are the page's own.
ARTICLE_TYPES = frozenset(
    {
        "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting",
        "ScholarlyArticle", "Report", "VideoObject", "WebPage", "ItemPage",
    }
)  # fmt: skip
