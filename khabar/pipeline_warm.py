"""Imported once by the server that forks the ingest workers (`pipeline.shared_pool`).

Importing the pipeline (trafilatura, lxml, numpy, datasketch with scipy) and its first run
(extraction settings, the gazetteer, the stemmer) cost about 1.5 s of CPU; done here, once,
every worker forked afterwards starts with all of it in memory.

That memory is then frozen for the garbage collector (`gc.freeze`): the workers inherit it
frozen, so their full collections never walk the tens of thousands of objects the imports
made (0.1 ms an article measured), and never write to those shared pages.
"""

from __future__ import annotations

import gc

from khabar.extract.record import IncomingItem
from khabar.pipeline import Job, prepare

_PAGE = (
    '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>تجربة الإعداد</title></head><body><article><h1>تجربة الإعداد</h1>"
    "<p>قال وزير الخارجية في القاهرة يوم الأحد إن المحادثات مستمرة بين الطرفين.</p>"
    "<p>وأضاف أن الجولة المقبلة من المحادثات تعقد في عمان الأسبوع المقبل.</p>"
    "</article></body></html>"
).encode()


def warm() -> None:
    """Run the pipeline once on a small page, so its lazy parts are loaded. What it reads is
    not used: a pipeline that cannot read pages says so for each real item instead."""
    url = "https://warm.invalid/news/1"
    prepare(Job(IncomingItem(source_id=url, url=url), page=_PAGE, page_url=url))


warm()
gc.freeze()
