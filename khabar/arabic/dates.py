"""Find and format dates in Arabic article text and datelines.

Dates are matched on a normalized copy of the text (no diacritics or tatweel, ASCII digits,
ي for ى, ه for ة) whose offsets are mapped back, so a match's `text` is always the exact slice
of the input. Alef forms are not folded there: آب (August) must not match أب (father).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from khabar.arabic.normalize import MappedText, index_form, normalize_mapped
from khabar.arabic.numbers import to_arabic_indic_digits

__all__ = [
    "Calendar",
    "DateMatch",
    "MonthStyle",
    "find_dates",
    "format_date",
    "month_name",
    "parse_date",
    "parse_datetime",
    "weekday_name",
]

Calendar = Literal["gregorian", "hijri"]
MonthStyle = Literal["combined", "egyptian", "levantine", "maghreb", "algerian"]

_EGYPTIAN = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_LEVANTINE = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
_MOROCCAN = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)
_ALGERIAN = (
    "جانفي",
    "فيفري",
    "مارس",
    "أفريل",
    "ماي",
    "جوان",
    "جويلية",
    "أوت",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

# Spellings met in the wild beyond the four sets above, by month number.
_VARIANTS: dict[int, tuple[str, ...]] = {
    1: ("كانون ثاني",),
    6: ("يونيه",),
    7: ("يوليه",),
    10: ("تشرين أول",),
    11: ("تشرين ثاني",),
    12: ("كانون أول",),
}

_HIJRI: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول",),
    4: ("ربيع الآخر", "ربيع الثاني"),
    5: ("جمادى الأولى", "جمادى الأول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}

_LETTER = r"[^\W\d_]"
_START = rf"(?<!{_LETTER})"
# Where a word may start after the conjunction و or ف written onto it ("وأمس", "فحزيران").
_START_AFTER_CONJUNCTION = rf"(?:{_START}|(?<=(?<!{_LETTER})[وف]))"
_END = rf"(?!{_LETTER})"
_ALEF = "[اأإآٱ]"


def _key(name: str) -> str:
    """Return the lookup key of a name: its indexing form with single spaces."""
    return " ".join(index_form(name).split())


def _loose(name: str) -> str:
    """Return a regex for `name` as the working copy may spell it (any alef, any spacing)."""
    name = name.replace("ى", "ي").replace("ة", "ه")
    if name == "آب":
        # Only with madda or bare alef: أب is "father".
        return "[آا]ب"
    parts = [re.sub("[اأإآ]", _ALEF, re.escape(part)) for part in name.split()]
    return r"\s*".join(parts)


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so كانون الثاني wins over a shorter name it starts with.
    unique = sorted(set(names), key=len, reverse=True)
    return _START_AFTER_CONJUNCTION + "(?:" + "|".join(_loose(n) for n in unique) + ")" + _END


def _lookup(table: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {_key(name): month for month, names in table.items() for name in names}


_GREGORIAN_NAMES: dict[int, tuple[str, ...]] = {
    month: (
        _EGYPTIAN[month - 1],
        _LEVANTINE[month - 1],
        _MOROCCAN[month - 1],
        _ALGERIAN[month - 1],
        *_VARIANTS.get(month, ()),
    )
    for month in range(1, 13)
}
_GREGORIAN_KEYS = _lookup(_GREGORIAN_NAMES)
_HIJRI_KEYS = _lookup(_HIJRI)
_WEEKDAY_KEYS = {_key(name): number for number, name in enumerate(_WEEKDAYS)}
_WEEKDAY_KEYS[_key("الإثنين")] = 0

_MONTH = _alternation(n for names in _GREGORIAN_NAMES.values() for n in names)
_HIJRI_MONTH = _alternation(n for names in _HIJRI.values() for n in names)
_WEEKDAY = _alternation([*_WEEKDAYS, "الإثنين", "الأثنين"])

_DAY = r"(?<![\d.,:/\u066b\u066c])(?P<day>0?[1-9]|[12]\d|3[01])(?![\d\u066b\u066c]|[.,:/]\d)"
_YEAR_WORD = rf"(?:{_START}(?:عام|سنه)\s+)?"
_GREGORIAN = re.compile(
    rf"(?:{_DAY}\s*(?:{_START}من\s+)?)?"
    rf"(?P<month>{_MONTH})"
    rf"(?:\s*/\s*(?P<second>{_MONTH})|\s*\(\s*(?P<paren>{_MONTH})\s*\))?"
    rf"(?:\s*[,،]?\s*{_YEAR_WORD}(?P<year>\d{{4}})(?!\d)(?:\s?م{_END})?)?"
)
_HIJRI_DATE = re.compile(
    rf"(?:{_DAY}\s*(?:{_START}من\s+)?)?"
    rf"(?P<month>{_HIJRI_MONTH})"
    rf"(?:\s*[,،]?\s*{_YEAR_WORD}(?P<year>\d{{3,4}})(?!\d)(?:\s?ه{_END})?)?"
)
_NUMERIC_GUARD_BEFORE = r"(?<![\d/.\-:])"
_NUMERIC_GUARD_AFTER = r"(?![\d]|[/.\-]\d)"
_ERA = rf"(?:\s?(?P<era>[مه]){_END})?"
_NUMERIC_DMY = re.compile(
    _NUMERIC_GUARD_BEFORE
    + r"(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    + _NUMERIC_GUARD_AFTER
    + _ERA
)
_NUMERIC_YMD = re.compile(
    _NUMERIC_GUARD_BEFORE
    + r"(?P<year>\d{4})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    + _NUMERIC_GUARD_AFTER
    + _ERA
)
_RELATIVE = re.compile(
    _START_AFTER_CONJUNCTION
    + "(?:"
    + rf"(?P<before_yesterday>{_ALEF}ول\s+(?:من\s+)?{_ALEF}مس)"
    + rf"|(?P<yesterday>(?:ب)?(?:ال)?{_ALEF}مس|البارحه)"
    + r"|(?P<after_tomorrow>بعد\s+غدا?)"
    + r"|(?P<tomorrow>غدا)"
    + r"|(?P<today>اليوم)"
    + ")"
    + _END
)
_RELATIVE_DAYS = {
    "before_yesterday": -2,
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
    "after_tomorrow": 2,
}
# "That day" and "the same day" point back into the story, not to the day of publication.
_NOT_TODAY_BEFORE = re.compile(rf"{_START}(?:ذلك|تلك|ذات|نفس|هذا)\s+$")
_ADJECTIVE_AFTER = re.compile(rf"\s+ال{_LETTER}")
_WEEKDAY_BEFORE = re.compile(
    rf"(?:{_START}يوم\s+)?(?P<weekday>{_WEEKDAY})\s*[,،]?\s*(?:{_START}الموافق\s+)?$"
)
_WEEKDAY_AFTER = re.compile(rf"\s*[,،]?\s*(?P<weekday>{_WEEKDAY})")
_WEEKDAY_WINDOW = 40

# Numeric dates in these years are Hijri (1445/07/12); Gregorian ones that old do not appear
# in numeric form in news copy.
_HIJRI_YEARS = range(1300, 1600)
_NUMERIC_GREGORIAN_YEARS = range(1700, 2200)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text; `text` is `original[start:end]`.

    `weekday` is the day named beside the date (Monday is 0), not one computed from it. Hijri
    matches, returned only on request, keep their Hijri numbers and have no `to_date`.
    """

    text: str
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None
    relative: bool = False
    calendar: Calendar = "gregorian"

    def to_date(self, default_year: int | None = None) -> date | None:
        """Return the Gregorian date, using `default_year` when the text gives none."""
        year = self.year if self.year is not None else default_year
        if self.calendar != "gregorian" or year is None or self.month is None or self.day is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class _Found:
    """A match on the working copy, before its offsets are mapped back."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative_days: int | None = None
    calendar: Calendar = "gregorian"


def _day_fits(year: int | None, month: int, day: int | None) -> bool:
    if day is None:
        return True
    # A year-less 29 February is a real date in some year.
    return day <= calendar.monthrange(year if year is not None else 2000, month)[1]


def _gregorian(work: str) -> Iterable[_Found]:
    for match in _GREGORIAN.finditer(work):
        month = _GREGORIAN_KEYS[_key(match["month"])]
        other = match["second"] or match["paren"]
        end = match.end()
        year = int(match["year"]) if match["year"] else None
        if other is not None and _GREGORIAN_KEYS[_key(other)] != month:
            # Two different months ("مارس/أبريل") are a range, not one date in two names.
            end, year = match.end("month"), None
        day = int(match["day"]) if match["day"] else None
        if (day is None and year is None) or not _day_fits(year, month, day):
            continue
        yield _Found(match.start(), end, year, month, day)


def _hijri(work: str) -> Iterable[_Found]:
    for match in _HIJRI_DATE.finditer(work):
        month = _HIJRI_KEYS[_key(match["month"])]
        day = int(match["day"]) if match["day"] else None
        year = int(match["year"]) if match["year"] else None
        # صفر is also "zero" and رمضان a first name: without a year they prove nothing.
        if year is None and (day is None or month == 2):
            continue
        if day is not None and day > 30:
            continue
        yield _Found(match.start(), match.end(), year, month, day, calendar="hijri")


def _numeric(work: str) -> Iterable[_Found]:
    for pattern in (_NUMERIC_DMY, _NUMERIC_YMD):
        for match in pattern.finditer(work):
            year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
            if month > 12 and 1 <= day <= 12 and pattern is _NUMERIC_DMY:
                # Day-first cannot be meant; copy from American sources writes month first.
                month, day = day, month
            if not 1 <= month <= 12 or day < 1:
                continue
            if match["era"] == "ه" or year in _HIJRI_YEARS:
                if day <= 30:
                    yield _Found(match.start(), match.end(), year, month, day, calendar="hijri")
            elif year in _NUMERIC_GREGORIAN_YEARS and _day_fits(year, month, day):
                yield _Found(match.start(), match.end(), year, month, day)


def _followed_by_adjective(work: str, end: int) -> bool:
    # "اليوم التالي" is the next day and "غدا الوضع" is the verb "became"; a weekday after the
    # word ("اليوم الاثنين") confirms the date instead.
    return _ADJECTIVE_AFTER.match(work, end) is not None and _WEEKDAY_AFTER.match(work, end) is None


def _relative(work: str) -> Iterable[_Found]:
    for match in _RELATIVE.finditer(work):
        kind = match.lastgroup or "today"
        if kind == "today":
            window = max(0, match.start() - _WEEKDAY_WINDOW)
            if _NOT_TODAY_BEFORE.search(work, window, match.start()):
                continue
        if kind in ("today", "tomorrow") and _followed_by_adjective(work, match.end()):
            continue
        yield _Found(match.start(), match.end(), None, None, None, _RELATIVE_DAYS[kind])


# Every written date holds a digit (a day or a year); only the relative words do not.
_DIGIT_FINDERS: tuple[Callable[[str], Iterable[_Found]], ...] = (_gregorian, _hijri, _numeric)
_HAS_DIGIT = re.compile(r"\d")


def _weekday_near(work: str, found: _Found) -> int | None:
    before = _WEEKDAY_BEFORE.search(work, max(0, found.start - _WEEKDAY_WINDOW), found.start)
    if before is not None:
        return _WEEKDAY_KEYS[_key(before["weekday"])]
    if found.relative_days is not None:
        after = _WEEKDAY_AFTER.match(work, found.end)
        if after is not None:
            return _WEEKDAY_KEYS[_key(after["weekday"])]
    return None


def _to_match(mapped: MappedText, found: _Found, today: date | None) -> DateMatch:
    start, end = mapped.original_span(found.start, found.end)
    year, month, day = found.year, found.month, found.day
    if found.relative_days is not None and today is not None:
        try:
            resolved = today + timedelta(days=found.relative_days)
        except OverflowError:
            pass  # "tomorrow" of date.max has no date; the match stays unresolved.
        else:
            year, month, day = resolved.year, resolved.month, resolved.day
    return DateMatch(
        text=mapped.original[start:end],
        start=start,
        end=end,
        year=year,
        month=month,
        day=day,
        weekday=_weekday_near(mapped.text, found),
        relative=found.relative_days is not None,
        calendar=found.calendar,
    )


def _working_copy(text: str) -> MappedText:
    return normalize_mapped(text, alef=False, hamza=False)


def _finders(work: str) -> tuple[Callable[[str], Iterable[_Found]], ...]:
    if _HAS_DIGIT.search(work):
        return (*_DIGIT_FINDERS, _relative)
    return (_relative,)


def _select(work: str) -> list[_Found]:
    candidates = sorted(
        (found for finder in _finders(work) for found in finder(work)),
        key=lambda f: (f.start, -f.end),
    )
    chosen: list[_Found] = []
    for found in candidates:
        if not chosen or found.start >= chosen[-1].end:
            chosen.append(found)
    return chosen


def find_dates(text: str, *, today: date | None = None, hijri: bool = False) -> list[DateMatch]:
    """Return the dates in `text` in order; relative words resolve only when `today` is given."""
    mapped = _working_copy(text)
    return [
        _to_match(mapped, found, today)
        for found in _select(mapped.text)
        if hijri or found.calendar == "gregorian"
    ]


def _complete(match: DateMatch, today: date | None) -> date | None:
    """Return the date of `match`, taking a missing year from the one nearest `today`."""
    if match.year is not None or today is None:
        return match.to_date()
    options = [match.to_date(today.year + shift) for shift in (-1, 0, 1)]
    dates = [d for d in options if d is not None]
    return min(dates, key=lambda d: abs(d - today)) if dates else None


def _first_complete(mapped: MappedText, today: date | None) -> tuple[_Found, date] | None:
    for found in _select(mapped.text):
        resolved = _complete(_to_match(mapped, found, today), today)
        if resolved is not None:
            return found, resolved
    return None


def parse_date(text: str, *, today: date | None = None) -> date | None:
    """Return the first complete date in `text`; a year-less date needs `today` to resolve."""
    found = _first_complete(_working_copy(text), today)
    return found[1] if found else None


_AM = ("ص", "صباحا", "صباح", "فجرا", "am", "a.m.")
_PM = ("م", "مساء", "مساءا", "عصرا", "بعد الظهر", "pm", "p.m.")
_NOON = ("ظهرا",)
_NIGHT = ("ليلا",)
_MARKERS = sorted((*_AM, *_PM, *_NOON, *_NIGHT), key=len, reverse=True)
_TIME = re.compile(
    rf"(?:(?P<hour_word>{_START}الساعه)\s*)?"
    r"(?<![\d:.])(?P<hour>[01]?\d|2[0-3])(?:[:](?P<minute>[0-5]\d)(?::[0-5]\d)?)?(?![\d:])"
    rf"(?:\s*و\s*(?P<word_minute>[0-5]?\d)\s*دقيقه{_END})?"
    r"(?:\s*(?P<marker>" + "|".join(re.escape(m) for m in _MARKERS) + rf"){_END})?",
    re.IGNORECASE,
)
_UTC = re.compile(
    rf"\s*{_START}(?:(?:ب)?(?:توقيت|التوقيت)\s+(?:غرينتش|جرينتش|غرينيتش|العالمي)"
    rf"|GMT|UTC|ت\s?\.?\s?غ){_END}",
    re.IGNORECASE,
)
_TIME_WINDOW = 60


def _hour_24(hour: int, marker: str | None) -> int | None:
    if marker is None:
        return hour
    if hour > 12:
        return None
    marker = marker.lower()
    if marker in _AM:
        return 0 if hour == 12 else hour
    if marker in _PM:
        return hour if hour == 12 else hour + 12
    if marker in _NOON:
        return hour if hour in (11, 12) else hour + 12
    # At night, 10 means 22 but 2 means 2 and 12 means midnight.
    if hour == 12:
        return 0
    return hour + 12 if hour >= 6 else hour


def _read_time(work: str, start: int, end: int) -> tuple[time, bool] | None:
    """Return the first time in `work[start:end]` and whether it is marked as GMT."""
    for match in _TIME.finditer(work, start, end):
        if match["minute"] is None and match["hour_word"] is None:
            continue
        hour = _hour_24(int(match["hour"]), match["marker"])
        if hour is None:
            continue
        minute = int(match["minute"] or match["word_minute"] or 0)
        return time(hour, minute), _UTC.match(work, match.end()) is not None
    return None


def parse_datetime(
    text: str, *, today: date | None = None, tz: tzinfo | None = None
) -> datetime | None:
    """Return the first complete date in `text` with the time written near it (else midnight)."""
    mapped = _working_copy(text)
    found = _first_complete(mapped, today)
    if found is None:
        return None
    where, day = found
    work = mapped.text
    read = _read_time(work, where.end, min(len(work), where.end + _TIME_WINDOW))
    if read is None:
        read = _read_time(work, max(0, where.start - _TIME_WINDOW), where.start)
    clock, is_utc = read if read is not None else (time(0, 0), False)
    if is_utc:
        moment = datetime.combine(day, clock, tzinfo=UTC)
        return moment.astimezone(tz) if tz is not None else moment
    return datetime.combine(day, clock, tzinfo=tz)


def month_name(month: int, style: MonthStyle = "combined") -> str:
    """Return the Arabic name of `month` (1-12) in a regional style; combined is يونيو/حزيران."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, not {month}")
    if style == "combined":
        return f"{_EGYPTIAN[month - 1]}/{_LEVANTINE[month - 1]}"
    names = {
        "egyptian": _EGYPTIAN,
        "levantine": _LEVANTINE,
        "maghreb": _MOROCCAN,
        "algerian": _ALGERIAN,
    }
    return names[style][month - 1]


def weekday_name(day: date) -> str:
    """Return the Arabic name of the weekday of `day`, such as الاثنين."""
    return _WEEKDAYS[day.weekday()]


def format_date(
    d: date,
    *,
    style: MonthStyle = "combined",
    year: bool = True,
    digits: Literal["western", "arabic"] = "western",
) -> str:
    """Return `d` written the Arabic way, such as "3 يونيو/حزيران 2013"."""
    text = f"{d.day} {month_name(d.month, style)}"
    if year:
        text = f"{text} {d.year}"
    return to_arabic_indic_digits(text) if digits == "arabic" else text
