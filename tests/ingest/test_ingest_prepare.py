"""What the worker processes hand to storing is what storing would have worked out itself."""

from __future__ import annotations

from khabar.extract.dispatch import article_text
from khabar.extract.record import IncomingItem
from khabar.pipeline import Job, entities_of, prepare
from khabar.stories.fingerprint import fingerprint
from khabar.stories.grouping import headline_countries, stem_counts

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
    assert ready.fingerprint is not None
    assert ready.fingerprint.digest == fingerprint(article_text(article)).digest
