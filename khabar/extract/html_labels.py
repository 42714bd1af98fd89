"""Sort the labels out of an HTML article's blocks: bylines, sources, credits, widgets, rules.

trafilatura keeps some lines that are about the article rather than of it: "كتب: ...",
"المصدر: وكالات", a credit, a lone "(بترا)" after the last paragraph, "اقرأ أيضا" links,
share and ad labels, and the comment rules and disclaimers under the text. Each text block is
judged as a line of a text page would be (`khabar.extract.classify`); labels are kept aside
for the record, widgets are dropped, and the boilerplate under the article ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khabar.extract import meta, vocab
from khabar.extract.classify import Kind, classify, read_also_rest
from khabar.extract.html_meta import key
from khabar.extract.html_vocab import COMMENT_POLICY, FOLLOW_US, phrases
from khabar.extract.lines import Line, make_line
from khabar.extract.record import Block

# Kinds after which nothing is article text, once most of the article has been read.
_ENDS = frozenset({Kind.DISCLAIMER, Kind.COMMENTS, Kind.TAGS, Kind.RELATED})
# A sentence of the article may say "لا تعبر عن رأي" or "حقوق النشر"; a disclaimer or a footer
# speaks of the site, the paper or the writer, and a footer is a short line.
_SITE_WORDS = phrases(
    [
        "الموقع", "موقع", "الصحيفة", "صحيفة", "الجريدة", "الشبكة", "القناة", "كاتبها", "كاتبه",
        "أصحابها", "الكاتب", "site", "website", "newspaper", "journal", "auteur", "auteurs",
    ]
)  # fmt: skip
_MAX_FOOTER_WORDS = 12
# Lines longer than this are no byline, source, credit, date or widget label.
_MAX_LABEL_WORDS = 30
_READ_ALSO = vocab.label_pattern(vocab.READ_ALSO)
_PUNCTUATION = vocab.SEPARATORS + " ()[]«»\"'*"
# An agency named alone within this many words of the end signs the article: "--(بترا)".
_TRAILER = 12
_MAX_FOLLOW_WORDS = 15
_LETTER = re.compile(r"[^\W\d_]")
_MENU_SEPARATORS = re.compile(r"\s+[-–—|•·/]\s+")
_MIN_MENU_ITEMS = 3


@dataclass
class Labels:
    """What the blocks said about the article, kept apart from its text."""

    byline: str | None = None
    dateline: str | None = None
    source_line: str | None = None
    sources: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


def is_comment_policy(folded: str) -> bool:
    """Tell whether a folded text explains the comment rules or speaks for the site's readers."""
    return any(p in folded for p in COMMENT_POLICY)


def agency_mark(text: str) -> str | None:
    """Return the agency a line names alone ("--(بترا)", "(رويترز)"), or None."""
    core = text.strip(_PUNCTUATION + "-–—")
    return core if core and len(core.split()) <= 4 and meta.is_agency(core) else None


def _words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks if b.kind != "image")


def _note(line: Line, kind: Kind, labels: Labels) -> None:
    """Keep what a label line says about the article."""
    if kind is Kind.SOURCE and labels.source_line is None:
        labels.source_line = line.text
        labels.sources = meta.parse_sources(line) or []
    elif kind is Kind.READ_ALSO and (rest := read_also_rest(line)):
        labels.related.append(rest)
    elif kind is Kind.BYLINE and labels.byline is None:
        labels.byline = line.text
    elif kind is Kind.DATELINE and labels.dateline is None:
        found = meta.parse_dateline(line.text)
        labels.dateline = found[0] if found else line.text


def _is_menu(line: Line) -> bool:
    """Tell whether a line is a row of section names: "الرئيسية - محليات - رياضة"."""
    parts = [p for p in _MENU_SEPARATORS.split(line.text) if p.strip()]
    return len(parts) >= _MIN_MENU_ITEMS and vocab.only_words(line.folded, vocab.NAVIGATION_WORDS)


def _kind(line: Line) -> Kind | None:
    """Return the label kind of a line, or None when it is article text."""
    if is_comment_policy(line.folded):
        return Kind.DISCLAIMER
    if line.words <= _MAX_FOLLOW_WORDS and line.folded.startswith(FOLLOW_US):
        return Kind.SHARE
    if not _LETTER.search(line.text) or _is_menu(line):
        return Kind.COUNT  # a clock time, a counter or a menu: nothing to keep
    kind = classify(line) if line.words <= _MAX_LABEL_WORDS else _long_kind(line)
    if kind is Kind.DISCLAIMER and not any(w in line.folded.split() for w in _SITE_WORDS):
        return None
    if kind is Kind.FOOTER and (line.words > _MAX_FOOTER_WORDS or line.ends_sentence):
        return None
    return None if kind in (Kind.PROSE, Kind.TEXT) else kind


def _long_kind(line: Line) -> Kind:
    """Return the kind of a long line: only a disclaimer or a "read also" line is that long."""
    if any(p in line.folded for p in vocab.DISCLAIMERS):
        return Kind.DISCLAIMER
    return Kind.READ_ALSO if _READ_ALSO.match(line.folded) else Kind.PROSE


def _ends_article(kind: Kind, kept: list[Block], rest: list[Block]) -> bool:
    """Tell whether boilerplate ends the article: most of its text is above, not below."""
    return kind in _ENDS and _words(kept) >= _words(rest)


def sort_blocks(blocks: list[Block], title: str) -> tuple[list[Block], Labels]:
    """Return the article's own blocks and the labels found among them."""
    labels = Labels()
    kept: list[Block] = []
    title_key, title_words = key(title), len(title.split())
    for index, block in enumerate(blocks):
        line = make_line(block.text) if block.kind != "image" else None
        if line is None:
            if block.kind == "image":
                kept.append(block)
            continue
        if abs(line.words - title_words) <= 2 and title_key and key(line.text) == title_key:
            continue  # the headline, repeated above the text
        kind = _kind(line)
        if kind is None:
            kept.append(block)
        elif _ends_article(kind, kept, blocks[index + 1 :]):
            break
        elif (agency := agency_mark(line.text)) and _words(blocks[index + 1 :]) < _TRAILER:
            labels.sources = labels.sources or [agency]
        else:
            _note(line, kind, labels)
    return kept, labels
