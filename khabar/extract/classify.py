"""Tell what each line of a text page is: a paragraph, a headline, a label, a widget, chrome."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from khabar.extract import meta, vocab
from khabar.extract.lines import MENU_SPLIT, Line, is_menu_row

__all__ = ["LABELS", "MENU_SPLIT", "STOPS", "Kind", "classify", "is_menu_row", "is_navigation"]


class Kind(Enum):
    """What one line of a page is."""

    PROSE = "prose"  # a paragraph of running text
    TEXT = "text"  # anything short: headline, sub-heading, caption, menu item
    COUNT = "count"  # "22 خبر"
    SOURCE = "source"  # "المصدر: ..."
    BYLINE = "byline"
    DATE = "date"
    DATELINE = "dateline"  # a dateline standing alone: "بيروت - «الأخبار»"
    CREDIT = "credit"  # photo credit, maybe after its caption
    CAPTION = "caption"  # labelled caption
    SHARE = "share"  # share widget
    AD = "ad"  # inline advertisement label
    READ_ALSO = "read_also"  # "اقرأ أيضا" heading, or a link to another story inside the body
    RELATED = "related"  # heading of a related or most-read list
    COMMENTS = "comments"  # heading of the comments
    TAGS = "tags"
    FOOTER = "footer"
    DISCLAIMER = "disclaimer"  # "the views expressed are the author's own", comment rules


# Lines that end the article: what follows them is not body.
STOPS = frozenset(
    {Kind.SOURCE, Kind.RELATED, Kind.COMMENTS, Kind.TAGS, Kind.FOOTER, Kind.DISCLAIMER}
)
# Lines that say something about the article without being part of its text.
LABELS = frozenset(
    {Kind.BYLINE, Kind.DATE, Kind.DATELINE, Kind.CREDIT, Kind.CAPTION, Kind.SHARE, Kind.AD}
)

_EDGES = vocab.SEPARATORS + " ()[]*#0123456789"
_READ_ALSO = vocab.label_pattern(vocab.READ_ALSO)
_TAGS = vocab.label_pattern(vocab.TAGS_HEADINGS)
_COUNT = re.compile(rf"^\d+\s+(?:{'|'.join(re.escape(u) for u in vocab.COUNT_UNITS)})$")
_FOOTER_WORDS = tuple(m for m in vocab.FOOTER_MARKERS if m != "©")


def _heading_of(line: Line, phrases: tuple[str, ...], max_words: int = 6) -> bool:
    """Tell whether the line is one of the heading `phrases`, less counts and punctuation."""
    if line.words > max_words:
        return False
    core = line.folded.strip(_EDGES)
    return core in phrases or any(core.startswith(p + " ") for p in phrases if " " in p)


def _is_footer(line: Line) -> bool:
    if line.words > 25:
        return False
    if any(w in line.folded for w in _FOOTER_WORDS):
        return True
    return "©" in line.text and (line.words >= 5 or bool(re.search(r"\d{4}", line.text)))


def _is_tags(line: Line) -> bool:
    return _heading_of(line, vocab.TAGS_HEADINGS) or bool(
        _TAGS.match(line.folded) and ":" in line.text[:30]
    )


def is_dateline_only(line: Line) -> bool:
    """Tell whether a whole line is a dateline, standing alone above the first paragraph."""
    found = meta.parse_dateline(line.text)
    return found is not None and len(found[0]) >= len(line.text.rstrip(" :-–—")) - 1


def read_also_rest(line: Line) -> str:
    """Return the headline a "read also" line names after its label ("" for a bare heading)."""
    match = _READ_ALSO.match(line.folded)
    return meta.strip_label(line.text, match.group(0)) if match else ""


_CHECKS: tuple[tuple[Kind, Callable[[Line], object]], ...] = (
    (Kind.FOOTER, _is_footer),
    (Kind.SOURCE, meta.parse_sources),
    (Kind.DISCLAIMER, lambda ln: any(p in ln.folded for p in vocab.DISCLAIMERS)),
    (Kind.COMMENTS, lambda ln: _heading_of(ln, vocab.COMMENTS_HEADINGS, 5)),
    (Kind.READ_ALSO, lambda ln: _READ_ALSO.match(ln.folded)),
    (Kind.RELATED, lambda ln: _heading_of(ln, vocab.RELATED_HEADINGS)),
    (Kind.TAGS, _is_tags),
    (Kind.SHARE, lambda ln: ln.words <= 12 and vocab.only_words(ln.folded, vocab.SHARE_WORDS)),
    (Kind.AD, lambda ln: vocab.is_one_of(ln.folded, vocab.AD_WORDS)),
    (Kind.CAPTION, meta.parse_caption_label),
    (Kind.CREDIT, meta.parse_credit),
    (Kind.BYLINE, meta.parse_byline),
    (Kind.DATE, meta.parse_date_line),
    (Kind.DATELINE, lambda ln: ln.words <= 8 and is_dateline_only(ln)),
    (Kind.COUNT, lambda ln: _COUNT.match(ln.folded)),
    (Kind.PROSE, lambda ln: ln.is_prose),
)


def classify(line: Line) -> Kind:
    """Return the kind of one line, judged on the line alone."""
    for kind, check in _CHECKS:
        if check(line):
            return kind
    return Kind.TEXT


def is_navigation(line: Line) -> bool:
    """Tell whether a line looks like a menu entry or row: short, or made of section names."""
    if line.words <= 2 or is_menu_row(line.text):
        return True
    return vocab.only_words(line.folded, vocab.NAVIGATION_WORDS)
