"""What the worker processes hand to storing is what storing would have worked out itself."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.extract.dispatch import article_text
from khabar.extract.record import IncomingItem
from khabar.pipeline import Job, _words_of, entities_of, prepare
from khabar.stories.fingerprint import fingerprint, text_words
from khabar.stories.grouping import headline_countries, stem_counts, words_stem_counts

PAGE = (
    '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>وزير الخارجية التركي يزور القاهرة لبحث التجارة</title></head><body><article>"
    "<h1>وزير الخارجية التركي يزور القاهرة لبحث التجارة</h1>"
    "<p>وصل وزير الخارجية التركي إلى القاهرة صباح اليوم في زيارة تستمر يومين.</p>"
    "<p>ويبحث الوزير مع نظيره المصري زيادة التبادل التجاري بين البلدين وفتح خطوط شحن جديدة.</p>"
    "<p>وقالت مصادر دبلوماسية إن الزيارة تمهد لاجتماع مجلس التعاون الاستراتيجي الشهر المقبل.</p>"
    "</article></body></html>"
).encode()


def test_prepared_item_carries_the_analysis_of_the_strings_stored() -> None:
    url = "https://example.invalid/news/1"
    ready = prepare(Job(IncomingItem(source_id=url, url=url), page=PAGE, page_url=url))
    article = ready.article
    assert article is not None and ready.error is None
    lead = article.lead or ""
    assert ready.stems == stem_counts(article.title, lead, "\n".join(article.body))
    assert ready.countries == headline_countries(article.title, lead)
    assert "تركيا" in ready.countries  # named by its adjective in the headline
    assert ready.entities == entities_of(article_text(article))
    whole = fingerprint(article_text(article))
    assert ready.fingerprint is not None and ready.fingerprint.words == whole.words > 40
    assert ready.fingerprint.digest == whole.digest
    assert np.array_equal(ready.fingerprint.hashes, whole.hashes)
    assert ready.fingerprint.signature == whole.signature


# Letters, diacritics, tatweel, both digit sets, the Arabic separators, Latin, odd spaces and
# joiners: everything normalizing or tokenizing treats specially.
PIECES = st.sampled_from(
    [
        "الخارجية",
        "وزير",
        "أعلن",
        "إلى",
        "مصطفى",
        "مدرسة",
        "ـ",
        "\u064e",
        "\u0651",
        "٣",
        "٫",
        "٬",
        "12",
        "3.5",
        "Reuters",
        "l'Orient",
        "\u00a0",
        "\u200c",
        "\u200f",
        "،",
        ".",
        " ",
        "\n",
        "ﻻ",
        "Ⅻ",
        "İ",
    ]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@given(title=TEXTS, lead=TEXTS, body=st.lists(TEXTS, max_size=4))
@settings(max_examples=300, deadline=None)
def test_words_read_once_give_the_stems_and_fingerprint_of_the_whole_text(
    title: str, lead: str, body: list[str]
) -> None:
    parts, found = _words_of(title, lead, body)
    assert words_stem_counts(*parts) == stem_counts(title, lead, "\n".join(body))
    assert found == text_words("\n".join([title, lead, *body]))
