"""Read what an HTML page says about its article: headline, address, author, photo, language."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

import py3langid
from lxml import etree
from lxml.html import HtmlElement

from khabar.extract import meta, vocab
from khabar.extract.html_tree import (
    PageHead,
    following,
    headlines,
    ld_text,
    ld_types,
    spaced_text,
    squeeze,
    tag_of,
    text_of,
)
from khabar.extract.html_vocab import SITE_NAME_WORDS
from khabar.extract.lines import make_line
from khabar.extract.vocab import fold

_TITLE_SPLIT = re.compile(r"\s+[-|–—»«]{1,2}\s+|\s*[|»«]\s*|\s+::\s+")
_NOT_WORD = re.compile(r"[^\w\s]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
# A headline is a line of text; a longer <h1> is a page section written as one.
_MAX_TITLE_WORDS = 40
# A site's name, in a title's affix, is a few words.
_MAX_SITE_WORDS = 4
_MAX_BYLINE_WORDS = 8
# Where a byline may show: an author link, an author element, a byline or writer class. Matched
# through the attribute axis, which libxml2 walks far faster than `//*[@rel=... or ...]`.
_AUTHOR_ELEMENTS = etree.XPath(
    "(//@rel[. = 'author'] | //@itemprop[. = 'author'] | //@class[contains(., 'author')"
    " or contains(., 'writer') or contains(., 'byline') or contains(., 'reporter')])/parent::*"
)
_PUBLISHERS = etree.XPath("//@itemprop[. = 'publisher']/parent::*")
_NOT_BYLINES = frozenset({"meta", "link", "body", "article", "html"})
# How many elements after the headline a "كتب: ..." line may stand, and in which elements.
_NEAR_TITLE = 40
_LINE_TAGS = frozenset({"div", "span", "p", "a", "li", "strong", "b"})
_MAX_LABELLED_CHARS = 80
# The words a byline line opens with (`vocab.BYLINE_LABELS`), to skip other lines unread.
_BYLINE_START = re.compile(
    r"\s*(?:كتب|بقلم|[إا]عداد|تقرير|تحرير|ترجمة|by\b|par\b|reporting)", re.IGNORECASE
)
# A screen-reader label before an author's name: "Author, ...".
_AUTHOR_LABEL = re.compile(r"^(?:authors?|auteurs?|الكاتب|المؤلف)\s*[,،:]\s*", re.IGNORECASE)
# Below this many words of text, the language <html lang> declares is trusted over a guess.
_MIN_LANGUAGE_WORDS = 20
# The opening of the text tells its language as well as all of it, for a fraction of the time.
_LANGUAGE_SAMPLE = 1500
# py3langid costs more than the rest of the language step on a short page; most Khabar pages
# are Arabic, told apart by their letters from Persian, Urdu or Kurdish ones (پ چ ژ گ ی ے ...).
# Counted as the length of what is left once everything else is cut out: a run of non-letters
# goes at once, where findall would build a string for each letter.
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_ARABIC_LETTER = re.compile("[^\u0621-\u064a]+")
_OTHER_ARABIC_SCRIPT = re.compile(
    "[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06c1\u06d2\u0679\u0688\u0691\u06ba\u06c6\u06ce\u06d5]"
)
_SCRIPT_SAMPLE = 400
_MIN_SCRIPT_SHARE = 0.8
_MAX_OTHER_SHARE = 0.01
_SITE_TYPES = frozenset({"Organization", "NewsMediaOrganization", "WebSite"})


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """Return the comparison form of a headline: folded, punctuation and quotes left out."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def meta_titles(root: HtmlElement, head: PageHead) -> list[str]:
    """Return the titles the page's data gives: og:title, twitter:title, JSON-LD, <title>."""
    return [*_data_titles(head), *_document_titles(root)]


def _data_titles(head: PageHead) -> list[str]:
    titles = head.meta_all("og:title", "twitter:title")
    return titles + [t for item in head.articles() if (t := ld_text(item.get("headline")))]


def _document_titles(root: HtmlElement) -> list[str]:
    return [t for t in (text_of(t) for t in root.iter("title")) if t]


def _declared_names(head: PageHead) -> set[str]:
    names = head.meta_all("og:site_name", "application-name", "al:android:app_name")
    for item in head.objects:
        publisher = ld_text(item.get("publisher"))
        names.extend(n for n in [publisher] if n)
        if ld_types(item) & _SITE_TYPES:
            names.extend(n for n in [ld_text(item.get("name"))] if n)
    return {key(n) for n in names if key(n)}


def site_names(titles: list[str], head: PageHead) -> set[str]:
    """Return the keys of the site's names: declared, and the affixes its titles carry."""
    names = _declared_names(head)
    affixes: set[str] = set()
    for title in titles:
        kept = key(strip_site_name(title, names))
        affixes.update(k for p in _TITLE_SPLIT.split(title) if (k := key(p)) and k not in kept)
    return names | affixes


def _joins(outer: str, inner: str) -> bool:
    """Tell whether `outer` is `inner`, maybe with a site name before or after it."""
    if len(inner.split()) < 2:
        return outer == inner and bool(inner)
    return outer == inner or outer.startswith(inner + " ") or outer.endswith(" " + inner)


def _is_site_part(part: str, names: set[str], rest: str) -> bool:
    """Tell whether one part of a title is the site's name rather than the headline's."""
    part_key = key(part)
    words = part_key.split()
    if len(words) > _MAX_SITE_WORDS:
        return False
    if not part_key or any(part_key in n or n in part_key for n in names):
        return True
    if _ARABIC.search(rest) and not _ARABIC.search(part):
        return True  # "Sputnik Arabic" after an Arabic headline
    return len(words) <= 3 and any(w in SITE_NAME_WORDS for w in words)


def strip_site_name(title: str, names: set[str]) -> str:
    """Return a title less the site name before or after it ("... - اليوم السابع")."""
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    count = len(parts)
    while len(parts) > 1 and _is_site_part(parts[-1], names, " ".join(parts[:-1])):
        parts.pop()
    while len(parts) > 1 and _is_site_part(parts[0], names, " ".join(parts[1:])):
        parts.pop(0)
    if len(parts) == count:
        return squeeze(title)
    # Cut the title at the kept parts' ends, so the headline keeps its own separators.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return squeeze(title[start:end])


def page_title(root: HtmlElement, head: PageHead, names: set[str]) -> str:
    """Return the headline: the <h1> the page's titles agree on, else og:title, else <h1>.

    Titles lose the site's name they carry ("... - اليوم السابع"); <title> comes last.
    """
    title_keys = [key(t) for t in meta_titles(root, head)]
    texts = [text_of(h) for h in headlines(root)]
    texts = [h for h in texts if h and len(h.split()) <= _MAX_TITLE_WORDS]
    agreed = [h for h in texts if any(_joins(k, key(h)) for k in title_keys)]
    if agreed:
        return max(agreed, key=len)
    for title in _data_titles(head):
        if stripped := strip_site_name(title, names):
            return stripped
    if texts:
        return max(texts, key=lambda h: len(h.split()))  # the site's logo is shorter
    return next((s for t in _document_titles(root) if (s := strip_site_name(t, names))), "")


def canonical_url(root: HtmlElement, head: PageHead, url: str | None) -> str | None:
    """Return the page's canonical address (<link rel=canonical>, og:url), else `url`."""
    links = [
        href
        for link in root.iter("link")
        if " canonical " in f" {link.get('rel') or ''} " and (href := link.get("href")) is not None
    ]
    for found in [*links, *head.meta_all("og:url")]:
        address = urljoin(url or "", squeeze(found))
        if address.startswith(("http://", "https://")):
            return address
    return url


def description(head: PageHead) -> str | None:
    """Return the page's summary (og:description, description), the lead it often repeats."""
    return head.meta("og:description", "description", "twitter:description")


def declared_language(root: HtmlElement, head: PageHead) -> str | None:
    """Return the primary language code <html lang> or the meta tags declare ("ar"), or None."""
    values = [root.get("lang"), root.get("xml:lang")]
    values += head.meta_all("content-language", "og:locale", "language")
    for value in values:
        code = re.split(r"[-_]", (value or "").strip().lower())[0]
        if code.isalpha() and 2 <= len(code) <= 3:
            return code
    return None


def text_language(texts: list[str], declared: str | None) -> str | None:
    """Return the language of the text, or the declared one when there is too little text."""
    text = " ".join(texts)[:_LANGUAGE_SAMPLE]
    if len(text.split()) < _MIN_LANGUAGE_WORDS:
        return declared or (str(py3langid.classify(text)[0]) if text.strip() else None)
    return "ar" if is_arabic(text[:_SCRIPT_SAMPLE]) else str(py3langid.classify(text)[0])


def is_arabic(text: str) -> bool:
    """Tell whether a text is Arabic: mostly Arabic letters, next to none of Persian or Urdu."""
    letters = len(_NOT_LETTER.sub("", text))
    arabic = len(_NOT_ARABIC_LETTER.sub("", text))
    others = len(_OTHER_ARABIC_SCRIPT.findall(text))
    return arabic > _MIN_SCRIPT_SHARE * letters and others <= _MAX_OTHER_SHARE * arabic


def _plausible_name(text: str, names: set[str]) -> bool:
    words = text.split()
    if not 0 < len(words) <= _MAX_BYLINE_WORDS or _URL.match(text) or "http" in text:
        return False
    if vocab.only_words(fold(text), vocab.SHARE_WORDS + vocab.NAVIGATION_WORDS):
        return False
    return key(text) not in names


def _labelled_byline(root: HtmlElement) -> str | None:
    """Return a "كتب: ..." or "بقلم ..." line shown just below the headline, or None."""
    headline = next(iter(headlines(root)), None)
    for element in following(headline, _NEAR_TITLE) if headline is not None else ():
        if tag_of(element) not in _LINE_TAGS:
            continue
        raw = element.text_content().strip()
        if len(raw) > 2 * _MAX_LABELLED_CHARS or not _BYLINE_START.match(raw):
            continue  # a container or a line that opens with no byline label
        text = spaced_text(element)
        if len(text) > _MAX_LABELLED_CHARS:
            continue
        line = make_line(text)
        if line is not None and meta.parse_byline(line):
            return line.text
    return None


def shown_byline(root: HtmlElement, names: set[str]) -> str | None:
    """Return the byline shown on the page: a labelled line under the headline, an author."""
    labelled = _labelled_byline(root)
    if labelled:
        return labelled
    elements = [e for e in _author_elements(root) if e.tag not in _NOT_BYLINES]
    for element in sorted(elements, key=_author_rank):  # a stable sort: page order within a rank
        text = _AUTHOR_LABEL.sub("", spaced_text(element))
        if _plausible_name(text, names):
            return text
    return None


def _author_elements(root: HtmlElement) -> list[HtmlElement]:
    """Return the elements that may show a byline, in page order, outside the publisher's."""
    found: list[HtmlElement] = _AUTHOR_ELEMENTS(root)
    publishers = set(_PUBLISHERS(root)) if found else set()
    if not publishers:
        return found
    return [e for e in found if e not in publishers and publishers.isdisjoint(e.iterancestors())]


def _author_rank(element: HtmlElement) -> int:
    """Rank where a byline may show, most specific first: link, author element, byline."""
    if element.get("rel") == "author":
        return 0
    if element.get("itemprop") == "author":
        return 1
    classes = element.get("class") or ""
    return 2 if "author" in classes or "writer" in classes else 3


def declared_author(head: PageHead, names: set[str]) -> str | None:
    """Return the author the page's data names (JSON-LD author, meta author), or None."""
    candidates = [ld_text(item.get("author")) for item in head.articles()]
    candidates += head.meta_all("author", "article:author", "dc.creator", "byl")
    for candidate in candidates:
        if candidate and _plausible_name(candidate, names):
            return candidate
    return None


def declared_image(head: PageHead) -> str | None:
    """Return the address of the article's photo the page's data gives (og:image, JSON-LD)."""
    found = head.meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    if found:
        return found
    for item in head.articles():
        image = item.get("image") or item.get("thumbnailUrl")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url") or image.get("contentUrl")
        if isinstance(image, str) and image.strip():
            return image.strip()
    return None
