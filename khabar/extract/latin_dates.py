"""Dates written with English or French month names, for the date lines of Latin-script pages.

Arabic, Levantine, Maghreb and numeric dates are `khabar.arabic.dates`' work; this module only
reads "5 November 2024 08:30", "November 5, 2024" and "21 novembre 2024 à 10h15".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

_NAMES = (
    ("january", "jan", "janvier", "janv"),
    ("february", "feb", "février", "fevrier", "févr"),
    ("march", "mar", "mars"),
    ("april", "apr", "avril", "avr"),
    ("may", "mai"),
    ("june", "jun", "juin"),
    ("july", "jul", "juillet", "juil"),
    ("august", "aug", "août", "aout"),
    ("september", "sep", "sept", "septembre"),
    ("october", "oct", "octobre"),
    ("november", "nov", "novembre"),
    ("december", "dec", "décembre", "decembre", "déc"),
)
_MONTHS = {name: number for number, names in enumerate(_NAMES, start=1) for name in names}

_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}}))\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b(?P<hour>[01]?\d|2[0-3])[:h](?P<minute>[0-5]\d)\s*(?P<half>[ap]\.?m\.?)?", re.IGNORECASE
)


def finditer(text: str) -> Iterator[re.Match[str]]:
    """Return the English and French dates in `text`, as regex matches."""
    return _DATE.finditer(text)


def _hour(match: re.Match[str]) -> int:
    hour, half = int(match["hour"]), (match["half"] or "").lower()
    if half.startswith("p") and hour < 12:
        return hour + 12
    if half.startswith("a") and hour == 12:
        return 0
    return hour


def parse(text: str) -> datetime | None:
    """Return the first English or French date in `text`, with the time after it if any."""
    match = _DATE.search(text)
    if match is None:
        return None
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day, year = int(match["day"] or match["day2"]), int(match["year"] or match["year2"])
    clock = _CLOCK.search(text, match.end())
    hour, minute = (_hour(clock), int(clock["minute"])) if clock else (0, 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None
