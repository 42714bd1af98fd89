"""The words news pages use around an article: labels, headings, agencies and widgets.

General vocabularies of Arabic, English and French news sites, matched on a folded form (no
diacritics, one alef, casefolded), so each phrase is written once in its common spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from khabar.arabic.normalize import normalize

# Punctuation that may separate a label from what it labels ("المصدر: ...", "كتب - ...").
SEPARATORS = ":：-–—|.…،,؛;>»"


def fold(text: str) -> str:
    """Return the matching form of `text`: normalized Arabic, casefolded, spaces collapsed."""
    return " ".join(normalize(text).casefold().split())


def _phrases(words: Iterable[str]) -> tuple[str, ...]:
    # Longest first, so "اقرأ أيضا" wins over "اقرأ" in an alternation.
    return tuple(sorted({fold(w) for w in words}, key=len, reverse=True))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in _phrases(words))


AGENCIES = _phrases(
    [
        "رويترز", "أ ف ب", "أ.ف.ب", "ا ف ب", "فرانس برس", "وكالة فرانس برس", "أسوشيتد برس",
        "اسوشيتدبرس", "أ ب", "د ب أ", "د.ب.أ", "الأناضول", "وكالة الأناضول", "شينخوا", "إفي",
        "أ ش أ", "وكالة أنباء الشرق الأوسط", "واس", "وام", "قنا", "كونا", "بترا", "سانا", "وفا",
        "تاس", "سبوتنيك", "بي بي سي", "سي إن إن", "الجزيرة", "العربية", "وكالات", "الوكالات",
        "وكالات الأنباء", "مواقع التواصل", "مواقع التواصل الاجتماعي", "أرشيف", "أرشيفية",
        "صورة أرشيفية", "صورة تعبيرية", "AP", "AFP", "Reuters", "EPA", "EPA-EFE", "EFE", "dpa",
        "Getty", "Getty Images", "AFP via Getty Images", "Associated Press", "Anadolu",
        "Anadolu Agency", "Xinhua", "Bloomberg", "Shutterstock", "Alamy", "iStock", "UPI", "ANSA",
        "TASS", "SPA", "WAM", "KUNA", "QNA", "MENA", "Petra", "SANA", "BBC", "CNN", "Sipa", "Pool",
        "Archive", "Archives", "Handout",
    ]
)  # fmt: skip

CREDIT_LABELS = _phrases(
    [
        "صدر الصورة", "مصدر الصورة", "حقوق الصورة", "تصوير", "الصورة", "صورة", "عدسة", "Photo",
        "Photo credit", "Photograph", "Image", "Image source", "Image credit", "Credit",
        "Crédit photo", "Crédit", "Photo :", "©",
    ]
)  # fmt: skip

CAPTION_LABELS = _phrases(["التعليق على الصورة", "تعليق الصورة", "Caption", "Légende"])

SOURCE_LABELS = _phrases(["المصدر", "المصادر", "مصدر الخبر", "Source", "Sources"])

BYLINE_LABELS = _phrases(["كتب", "كتبت", "كتبه", "بقلم", "By", "Par"])
BYLINE_STRICT_LABELS = _phrases(["إعداد", "تقرير", "تحرير", "ترجمة", "Reporting by"])

PUBLISHED_LABELS = _phrases(
    [
        "نشر في", "نشر بتاريخ", "نشر", "تاريخ النشر", "بتاريخ", "نشر يوم", "Published",
        "Published on", "Posted", "Posted on", "Publié le", "Publié",
    ]
)  # fmt: skip
UPDATED_LABELS = _phrases(
    [
        "آخر تحديث", "اخر تحديث", "تم التحديث", "تحديث", "حدث في", "Updated", "Last updated",
        "Mis à jour le", "Mis à jour", "Modifié le",
    ]
)  # fmt: skip

COMMENTS_HEADINGS = _phrases(
    [
        "التعليقات", "تعليقات", "تعليقات القراء", "تعليقات الزوار", "تعليق", "أضف تعليقك",
        "أضف تعليق", "أضف تعليقا", "اترك تعليقا", "اترك تعليقاً", "اكتب تعليقك", "شارك برأيك",
        "آراء القراء", "عدد التعليقات", "Comments", "Comment", "Leave a comment", "Add a comment",
        "Commentaires", "Réagir", "Laisser un commentaire",
    ]
)  # fmt: skip

RELATED_HEADINGS = _phrases(
    [
        "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "موضوعات ذات صلة", "ذات صلة",
        "أخبار متعلقة", "موضوعات متعلقة", "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا",
        "الأكثر تعليقا", "الأكثر تفاعلا", "الأكثر تصفحا", "المزيد من الأخبار", "أخبار أخرى",
        "قد يعجبك أيضا", "قد يهمك أيضا", "قد يهمك", "المزيد من", "Related", "Related articles",
        "Related stories", "Related news", "Most read", "Most popular", "More stories", "More from",
        "Sur le même sujet", "Les plus lus", "À voir aussi",
    ]
)  # fmt: skip

READ_ALSO = _phrases(
    [
        "اقرأ أيضا", "اقرأ ايضا", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "شاهد أيضا", "طالع أيضا",
        "يهمك أيضا", "Read more", "Read also", "See also", "Also read", "Lire aussi",
        "À lire aussi", "Voir aussi",
    ]
)  # fmt: skip

TAGS_HEADINGS = _phrases(
    [
        "الوسوم", "وسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "كلمات دلالية", "الكلمات الدلالية",
        "Tags", "Topics", "Mots-clés", "Mots clés",
    ]
)  # fmt: skip

SHARE_WORDS = _phrases(
    [
        "شارك", "شاركها", "مشاركة", "شارك الخبر", "شارك المقال", "شارك على", "فيسبوك", "فيس بوك",
        "تويتر", "إكس", "واتساب", "واتس اب", "واتس آب", "تيليجرام", "تلغرام", "تليجرام", "لينكد إن",
        "لينكدإن", "نسخ الرابط", "انسخ الرابط", "تم نسخ الرابط", "طباعة", "إرسال",
        "البريد الإلكتروني", "أرسل لصديق", "حفظ", "Share", "Share this", "Facebook", "Twitter", "X",
        "WhatsApp", "Telegram", "LinkedIn", "Copy link", "Email", "E-mail", "Print", "Partager",
        "Imprimer", "Copier le lien",
    ]
)  # fmt: skip

# Boilerplate under opinion pieces and above comments.
DISCLAIMERS = _phrases(
    [
        "لا تعبر عن رأي", "لا تعبر بالضرورة عن", "تعبر عن رأي كاتبها", "تعبر عن وجهة نظر كاتبها",
        "سياسة التعليقات", "شروط التعليق", "قواعد التعليق", "the views expressed",
        "do not necessarily reflect", "les opinions exprimées", "n'engagent que leurs auteurs",
    ]
)  # fmt: skip

AD_WORDS = _phrases(
    [
        "إعلان", "إعلانات", "اعلان", "محتوى مدعوم", "إعلان ممول", "مساحة إعلانية", "Advertisement",
        "Ad", "Ads", "Sponsored", "Sponsored content", "Publicité", "Contenu sponsorisé",
    ]
)  # fmt: skip

FOOTER_MARKERS = _phrases(
    [
        "©", "حقوق النشر", "حقوق الطبع", "جميع الحقوق محفوظة", "جميع الحقوق محفوظه",
        "All rights reserved", "Tous droits réservés", "Copyright",
    ]
)  # fmt: skip

# Section names and account links that fill a site's menus.
NAVIGATION_WORDS = _phrases(
    [
        "الرئيسية", "الصفحة الرئيسية", "أخبار", "الأخبار", "آخر الأخبار", "عاجل", "سياسة", "اقتصاد",
        "رياضة", "فن", "فنون", "ثقافة", "منوعات", "تكنولوجيا", "علوم", "صحة", "حوادث", "محافظات",
        "عربي ودولي", "عربي", "دولي", "العالم", "عالم", "مقالات", "آراء", "رأي", "فيديو",
        "فيديوهات", "صور", "بث مباشر", "مباشر", "المزيد", "اتصل بنا", "من نحن", "مجتمع", "تعليم",
        "برلمان", "بنوك", "سيارات", "محليات", "الخليج", "مصر", "لبنان", "المغرب", "تابعونا",
        "تابعنا", "اشترك", "النشرة البريدية", "تسجيل الدخول", "بحث", "القائمة", "أقسام", "الأقسام",
        "English", "Français", "Home", "News", "World", "Politics", "Business", "Sport", "Sports",
        "Culture", "Opinion", "Video", "Videos", "Live", "Subscribe", "Sign in", "Menu", "Search",
        "Accueil", "Actualités", "Monde", "Politique", "Économie", "Vidéos", "Direct",
        "Se connecter", "S'abonner",
    ]
)  # fmt: skip

COUNT_UNITS = _phrases(
    [
        "خبر", "خبرا", "أخبار", "قصة", "قصص", "مقال", "مقالات", "مادة", "مواد", "موضوع", "مواضيع",
        "articles", "article", "items", "news", "sujets", "articles",
    ]
)  # fmt: skip

# Words a text near a date carries: weekdays, times of day, and the connecting words.
DATE_FILLER = _phrases(
    [
        "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "يوم",
        "في", "الساعة", "ص", "م", "صباحا", "مساء", "ظهرا", "بتوقيت", "غرينتش", "مكة", "القاهرة",
        "GMT", "UTC", "am", "pm", "at", "on", "le", "à", "h", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday", "lundi", "mardi", "mercredi", "jeudi",
        "vendredi", "samedi", "dimanche",
    ]
)  # fmt: skip

LABEL_END = rf"(?=$|\s|[{re.escape(SEPARATORS)}])"


def label_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Return a regex matching a folded line that starts with one of `words` as a whole word."""
    return re.compile(rf"^(?:{_alternation(words)}){LABEL_END}")


def is_one_of(folded: str, words: tuple[str, ...]) -> bool:
    """Tell whether a folded line, less edge punctuation, is exactly one of `words`."""
    return folded.strip(SEPARATORS + " ()[]*#") in words


@lru_cache(maxsize=64)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)")


def only_words(folded: str, words: tuple[str, ...]) -> bool:
    """Tell whether a folded line is made of `words` alone, with separators between them."""
    rest = _any_of(words).sub(" ", folded)
    return bool(folded.strip()) and not rest.strip(SEPARATORS + " ()[]*•·/\\")
