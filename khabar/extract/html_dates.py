"""Find an HTML page's publication time, as the page's own local time.

Tried in order: JSON-LD `datePublished`, the publication <meta> tags, marked-up elements
(`itemprop`, RDFa, <time>), a date in the URL, a labelled date line shown on the page, and
htmldate last. Offsets are kept as the page gives them, never turned into UTC: a story
published at 01:59 in Cairo is dated that day, not the day before. When the chosen value is
in UTC, the same instant written with the local offset elsewhere on the page wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from lxml import etree
from lxml.html import HtmlElement

from khabar.arabic.dates import parse_datetime
from khabar.extract import latin_dates, meta, vocab
from khabar.extract.html_tree import PageHead, headlines, ld_text, squeeze, text_of
from khabar.extract.lines import make_line

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "og:published_time", "published_time", "datePublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "dc.date.created", "date",
    "original-publish-date", "article.published", "datecreated",
)  # fmt: skip
# Elements marked as the publication date. XPaths are compiled once, and match attributes
# through the attribute axis, which libxml2 walks far faster than `//*[@itemprop=...]`.
_MARKED = etree.XPath(
    "(//@itemprop[. = 'datePublished' or . = 'dateCreated']"
    " | //@property[. = 'dc:date' or . = 'dcterms:created' or . = 'dc:created'])/parent::*"
)
_ARTICLE_TIMES = etree.XPath("//article//time[@datetime]")
_PUBLISHED_CLASS = re.compile(r"publish|created|pubdate|posted", re.IGNORECASE)
# Dates shown with the article stand around its (first) headline; a page without one is read
# whole.
_AROUND = etree.XPath("preceding::*[position() <= 15] | following::*[position() <= 80]")
_NAMED = etree.XPath("(//@class | //@id)/parent::*")
_DATE_CLASS = re.compile(r"date|time|publish|created|posted", re.IGNORECASE)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_URL_DATE = (
    re.compile(r"/((?:19|20)\d{2})/(?:[a-z_\-]+/)?(\d{1,2})/(\d{1,2})(?:/|$)", re.IGNORECASE),
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/](\d{2})[-_/](\d{2})(?!\d)"),
)
# Offsets a page may give for its local time; anything else is no clock.
_MAX_OFFSET = timedelta(hours=14)
_SAME_INSTANT = timedelta(minutes=2)
# An element marked as a date holds a short text: "تم نشره الجمعة 24 نيسان 2020 09:22 مساءً".
_MAX_DATE_CHARS = 120
_MAX_DATE_WORDS = 14
# The first date lines in the page are the article's; the later ones date other stories.
_MAX_SHOWN = 6


def parse_stamp(text: str) -> datetime | None:
    """Read one date value: ISO 8601, RFC 2822, or an Arabic, English or French date line."""
    value = squeeze(text)
    if not value:
        return None
    if _ISO.match(value):
        try:
            return datetime.fromisoformat(value.replace(",", ".").replace(" ", "T", 1))
        except ValueError:
            pass
    if value[:3].isalpha() and "," in value[:5]:
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            pass
    return parse_datetime(value) or latin_dates.parse(value)


def _ld_dates(head: PageHead) -> list[str]:
    found: list[str] = []
    for item in head.articles():
        for key in ("datePublished", "dateCreated", "uploadDate"):
            text = ld_text(item.get(key))
            if text:
                found.append(text)
    return found


def _marked_dates(tree: HtmlElement) -> list[str]:
    found: list[str] = []
    for element in _MARKED(tree):
        if element.tag != "meta":  # the <meta> tags are read with the others
            found.append(element.get("content") or element.get("datetime") or text_of(element))
    for time in tree.iter("time"):
        marked = time.get("pubdate") is not None or _PUBLISHED_CLASS.search(
            f"{time.get('class') or ''} {time.get('itemprop') or ''}"
        )
        if marked and time.get("datetime"):
            found.append(time.get("datetime") or "")
    return found


def _first_time(tree: HtmlElement) -> list[str]:
    """Return the datetime of the first <time> inside an <article>, the page's own."""
    times = _ARTICLE_TIMES(tree)
    return [times[0].get("datetime")] if times else []


def structured_dates(tree: HtmlElement, head: PageHead) -> list[datetime]:
    """Return the dates the page's data gives for its publication, best source first.

    The marked-up elements are read only when the JSON-LD and <meta> tags give no local time.
    """
    stamps = [
        s for t in (*_ld_dates(head), *head.meta_all(*PUBLISHED_META)) if (s := parse_stamp(t))
    ]
    if stamps and _offset(stamps[0]) not in (None, timedelta(0)):
        return stamps
    texts = [*_marked_dates(tree), *_first_time(tree)]
    return stamps + [s for t in texts if (s := parse_stamp(t))]


def url_date(urls: Iterable[str | None]) -> datetime | None:
    """Return the date a URL path carries ("/2020/8/24/", "/2020-06-03-1.387"), or None."""
    for url in urls:
        path = (url or "").split("?")[0]
        for pattern in _URL_DATE:
            match = pattern.search(path)
            if match is None:
                continue
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime(year, month, day)
            except ValueError:
                continue
    return None


def shown_dates(tree: HtmlElement) -> list[meta.DateLine]:
    """Return the date lines shown near the article ("نشر في: ...") that carry a full date."""
    found: list[meta.DateLine] = []
    # A date shows in nested elements, and a <time> near the headline is met twice: each text
    # is read once.
    readings: dict[str, meta.DateLine | None] = {}
    headline = next(iter(headlines(tree)), None)
    around = (_AROUND(headline) if headline is not None else []) or _NAMED(tree)
    for element in [*around, *tree.iter("time")]:
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag != "time" and not _DATE_CLASS.search(names):
            continue
        text = text_of(element)
        if text not in readings:
            readings[text] = _date_line(text)
        dated = readings[text]
        if dated is not None:
            found.append(dated)
        if len(found) >= _MAX_SHOWN:
            break
    return found


def _date_line(text: str) -> meta.DateLine | None:
    """Read the text of an element marked as a date: a date line, or a short text with a date."""
    line = make_line(text) if 0 < len(text) <= _MAX_DATE_CHARS else None
    if line is None:
        return None
    dated = meta.parse_date_line(line)
    if dated is not None and dated.value is not None:
        return dated
    value = parse_datetime(text) if line.words <= _MAX_DATE_WORDS else None
    if value is None:
        return None
    updated = any(label in line.folded for label in vocab.UPDATED_LABELS)
    return meta.DateLine("updated" if updated else "plain", text, value)


def _best_shown(
    lines: list[meta.DateLine], roles: tuple[str, ...] = ("published", "plain", "updated")
) -> datetime | None:
    """Return the first shown date of the best role: published, then plain, then updated."""
    for role in roles:
        for line in lines:
            if line.role == role and line.value is not None:
                return line.value
    return None


def _offset(value: datetime) -> timedelta | None:
    return value.utcoffset() if value.tzinfo is not None else None


def _same_moment(a: datetime, b: datetime) -> bool:
    if a.tzinfo is None:
        return b.replace(tzinfo=None) == a
    return b.tzinfo is not None and abs(a - b) <= _SAME_INSTANT


def _shifted(value: datetime, clocks: list[datetime]) -> datetime | None:
    """Return a UTC time in the offset a wall clock shown on the page implies, or None."""
    for clock in clocks:
        if clock.tzinfo is not None or (clock.hour, clock.minute) == (0, 0):
            continue
        delta = clock - value.replace(tzinfo=None)
        quarter = timedelta(minutes=15)
        if timedelta(0) < abs(delta) <= _MAX_OFFSET and delta % quarter == timedelta(0):
            return value.astimezone(timezone(delta))
    return None


def localize(value: datetime, others: list[datetime], clocks: list[datetime]) -> datetime:
    """Return `value` in the page's local offset when the page shows it elsewhere."""
    if _offset(value) not in (None, timedelta(0)):
        return value
    for other in others:
        if _offset(other) not in (None, timedelta(0)) and _same_moment(value, other):
            return other
    if value.tzinfo is not None:
        return _shifted(value, clocks) or value
    return value


def _htmldate(tree: HtmlElement, url: str | None) -> datetime | None:
    from htmldate import find_date  # imported here: only pages without a dated field need it

    found = find_date(tree, url=url, original_date=True, extensive_search=True)
    return datetime.fromisoformat(found) if found else None


def _with_clock(day: datetime, shown: list[meta.DateLine]) -> datetime:
    """Return a date from the URL with the time a shown publication line gives that day."""
    clock = _best_shown(shown, ("published", "plain"))
    return clock if clock is not None and clock.date() == day.date() else day


def published_time(tree: HtmlElement, head: PageHead, urls: list[str | None]) -> datetime | None:
    """Return the page's publication time in its local offset (naive when it gives none)."""
    structured = structured_dates(tree, head)
    if structured and _offset(structured[0]) not in (None, timedelta(0)):
        return structured[0]
    shown = shown_dates(tree)
    if structured:
        # An update's clock would give the offset of another moment: publication lines only.
        clocks = [d.value for d in shown if d.value is not None and d.role != "updated"]
        return localize(structured[0], structured[1:], clocks)
    from_url = url_date(urls)
    if from_url is not None:
        return _with_clock(from_url, shown)
    return _best_shown(shown) or _htmldate(tree, next((u for u in urls if u), None))
