"""Read the labelled lines of a news page: source, byline, dateline, photo credit, date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from khabar.arabic.dates import DateMatch, find_dates, parse_datetime
from khabar.extract import latin_dates, vocab
from khabar.extract.lines import Line
from khabar.extract.vocab import fold

DateRole = Literal["published", "updated", "plain"]

_SOURCE = vocab.label_pattern(vocab.SOURCE_LABELS)
_BYLINE = vocab.label_pattern(vocab.BYLINE_LABELS)
_BYLINE_STRICT = vocab.label_pattern(vocab.BYLINE_STRICT_LABELS)
_CREDIT = vocab.label_pattern(vocab.CREDIT_LABELS)
_CAPTION = vocab.label_pattern(vocab.CAPTION_LABELS)
_PUBLISHED = vocab.label_pattern(vocab.PUBLISHED_LABELS)
_UPDATED = vocab.label_pattern(vocab.UPDATED_LABELS)

_LABEL_SEP = re.compile(r"^\s*[:：\-–—،,]")
_QUOTES = "\"'«»“”„‘’ "
_ADAPTED = re.compile(r"\s*[-–—(]*\s*(?:بتصرف|بتصرّف|adapted)\s*\)?\.?\s*$", re.IGNORECASE)
_SOURCE_SPLIT = re.compile(r"\s*(?:\+|&|،|,|;|؛|/|\|| - | – )\s*|\s+(?:and|avec|et)\s+")
_AND = re.compile(r"\s+(?=و\S)")

_PLACE = r"[^\s()\-–—:«»\"“”]+"
_DATELINE_WIRE = re.compile(
    rf"^(?P<place>{_PLACE}(?:[ ،,]+{_PLACE}){{0,5}})\s*\((?P<agency>[^()]{{1,40}})\)\s*[-–—:]"
)
_DATELINE_PAPER = re.compile(
    rf"^(?P<place>{_PLACE}(?:\s{_PLACE}){{0,2}})\s*[-–—]\s*"
    r"(?P<agency>«[^»]{1,40}»|\"[^\"]{1,40}\"|“[^”]{1,40}”)"
)
_DATELINE_PLACE = re.compile(rf"^(?P<place>{_PLACE}(?:\s{_PLACE})?)\s+[-–—]\s+(?=\w)")

# A caption with its credit at the end: "... في موقع الهجوم (رويترز)".
MAX_CAPTION_WORDS = 30
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_TRAILING_CREDIT = re.compile(r"^(?P<caption>.+?)\s*[(\[](?P<credit>[^()\[\]]{1,40})[)\]]\.?$")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class DateLine:
    """A line that gives the page's date: its role and the moment it names, when readable."""

    role: DateRole
    text: str
    value: datetime | None


def strip_label(text: str, label: str) -> str:
    """Return `text` less its leading label (given folded) and the separators after it."""
    for end in range(1, min(len(text), 80) + 1):
        if fold(text[:end]) == label:
            # Marks after the label's last letter ("أيضاً") fold away: they belong to it.
            while end < len(text) and fold(text[: end + 1]) == label:
                end += 1
            return text[end:].strip().lstrip(vocab.SEPARATORS + " ").strip()
    return text


def _label(line: Line, pattern: re.Pattern[str]) -> tuple[str, bool] | None:
    """Return what follows the label `pattern` matches, and whether a separator came first."""
    match = pattern.match(line.folded)
    if match is None:
        return None
    has_sep = bool(_LABEL_SEP.match(line.folded[match.end() :]))
    return strip_label(line.text, match.group(0)), has_sep


def _labelled(line: Line, pattern: re.Pattern[str], *, needs_sep: bool) -> str | None:
    """Return what follows the label `pattern` matches at the start of the line, or None."""
    found = _label(line, pattern)
    if found is None or (needs_sep and not found[1]):
        return None
    return found[0]


def is_agency(text: str) -> bool:
    """Tell whether `text` names a news or photo agency from the general list."""
    parts = [p for p in re.split(r"\s*/\s*|\s+via\s+", fold(text).strip("()[] .")) if p]
    return bool(parts) and all(p in vocab.AGENCIES for p in parts)


def _clean_source(part: str) -> str:
    return part.strip(_QUOTES).rstrip(".").strip(_QUOTES)


def _split_and(part: str) -> list[str]:
    """Split "رويترز وأ ف ب" into agencies where the part after "و" is a known agency."""
    pieces = _AND.split(part)
    out = [pieces[0]]
    for piece in pieces[1:]:
        if is_agency(piece[1:].strip(_QUOTES)):
            out.append(piece[1:])
        else:
            out[-1] = f"{out[-1]} {piece}"
    return out


def parse_sources(line: Line) -> list[str] | None:
    """Return the agencies a source line ("المصدر: رويترز + أ ف ب") names, or None."""
    if line.words > 16:
        return None
    rest = _labelled(line, _SOURCE, needs_sep=True)
    if rest is None:
        return None
    rest = _ADAPTED.sub("", rest)
    names: list[str] = []
    for part in _SOURCE_SPLIT.split(rest):
        names.extend(_clean_source(p) for p in _split_and(part))
    return [n for n in names if n]


def parse_byline(line: Line) -> str | None:
    """Return the byline when the line is one ("كتب: ...", "بقلم ...", "By ..."), else None."""
    if line.words > 10 or line.is_prose:
        return None
    if _labelled(line, _BYLINE_STRICT, needs_sep=True):
        return line.text
    found = _label(line, _BYLINE)
    if found is None or not found[0]:
        return None
    name = found[0]
    if name[0].isascii() and not name[0].isupper():
        return None  # "By the numbers": an English name is capitalized
    if found[1] or (line.words <= 5 and not line.ends_sentence):
        return line.text
    return None


def parse_dateline(text: str, *, loose: bool = False) -> tuple[str, str | None] | None:
    """Return the dateline opening a paragraph ("القاهرة (رويترز) -") and its agency, or None.

    `loose` also accepts a bare place ("واشنطن - "), which only the first paragraph may carry.
    """
    wire = _DATELINE_WIRE.match(text)
    if wire and len(wire.group("agency").split()) <= 4:
        return wire.group(0).strip(), wire.group("agency").strip()
    paper = _DATELINE_PAPER.match(text)
    if paper:
        return paper.group(0).strip(), paper.group("agency").strip(_QUOTES)
    place = _DATELINE_PLACE.match(text) if loose else None
    if place and not any(ch.isdigit() for ch in place.group("place")):
        return place.group(0).strip(), None
    return None


def parse_caption_label(line: Line) -> str | None:
    """Return the caption of a labelled caption line ("التعليق على الصورة، ..."), or None."""
    return _labelled(line, _CAPTION, needs_sep=True) or None


def parse_credit(line: Line) -> tuple[str | None, str] | None:
    """Return (caption, credit) for a photo-credit line, or None when the line is no credit."""
    if line.words > MAX_CAPTION_WORDS or line.is_prose:
        return None
    labelled = _labelled(line, _CREDIT, needs_sep=not line.text.startswith("©"))
    if labelled and len(labelled.split()) <= 6 and line.words <= 12:
        return None, labelled.strip(_QUOTES)
    if line.words <= 8 and is_agency(line.text):
        return None, line.text.strip("()[] ")
    closed = ")" in line.text or "]" in line.text  # skips the slow pattern on most lines
    trailing = _TRAILING_CREDIT.match(line.text) if closed else None
    if trailing is None:
        return None
    credit = trailing.group("credit").strip()
    inner = _CREDIT.match(fold(credit))
    if not (inner or is_agency(credit)):
        return None
    return trailing.group("caption").strip(), strip_label(credit, inner[0]) if inner else credit


def _dates_in(text: str) -> list[DateMatch]:
    """Return the Arabic and numeric dates in `text`, found once for the readers that need them.

    A text without a digit has no full date, and the only dates it may hold ("أمس") matter
    to no reader here: it is not searched.
    """
    return find_dates(text) if _DIGIT.search(text) else []


def _spans(text: str, dates: list[DateMatch]) -> list[tuple[int, int]]:
    """Return where the dates in `text` are, Arabic, numeric (`dates`) or English and French."""
    spans = [(m.start, m.end) for m in dates]
    spans.extend((m.start(), m.end()) for m in latin_dates.finditer(text))
    return spans


def _covers_line(text: str, dates: list[DateMatch]) -> bool:
    """Tell whether the dates, times and weekday words in `text` make up all of it."""
    rest = text
    for start, end in sorted(_spans(text, dates), reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = _TIME.sub(" ", rest)
    words = [w.strip(vocab.SEPARATORS + "()/") for w in fold(rest).split()]
    return len([w for w in words if w and w not in vocab.DATE_FILLER]) <= 1


def _has_full_date(text: str, dates: list[DateMatch]) -> bool:
    """Tell whether `text` (its Arabic and numeric dates found as `dates`) names a month's year."""
    if any(m.year is not None and m.month is not None for m in dates):
        return True
    return latin_dates.parse(text) is not None


def _when(text: str) -> datetime | None:
    return parse_datetime(text) or latin_dates.parse(text)


def parse_date_line(line: Line) -> DateLine | None:
    """Return the date a dated line near the title gives ("نشر في: ..."), or None."""
    if line.words > 16 or line.is_prose:
        return None
    labels: tuple[tuple[DateRole, re.Pattern[str]], ...] = (
        ("updated", _UPDATED),
        ("published", _PUBLISHED),
    )
    for role, pattern in labels:
        found = _label(line, pattern)
        if found is not None and (found[1] or _has_full_date(found[0], _dates_in(found[0]))):
            return DateLine(role, line.text, _when(found[0]))
    dates = _dates_in(line.text)
    if _has_full_date(line.text, dates) and _covers_line(line.text, dates):
        return DateLine("plain", line.text, _when(line.text))
    return None
