"""Dates in article text and datelines: every month-name set, numeric, relative and Hijri."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from khabar.arabic import (
    DateMatch,
    find_dates,
    format_date,
    month_name,
    parse_date,
    parse_datetime,
    weekday_name,
)

TODAY = date(2024, 1, 15)  # a Monday


def only_match(text: str, **kwargs: object) -> DateMatch:
    """Return the one date found in `text`, checking that its text is the input's slice."""
    matches = find_dates(text, **kwargs)  # type: ignore[arg-type]
    assert len(matches) == 1, matches
    match = matches[0]
    assert text[match.start : match.end] == match.text
    return match


def ymd(match: DateMatch) -> tuple[int | None, int | None, int | None]:
    return match.year, match.month, match.day


EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو"]
EGYPTIAN += ["يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران"]
LEVANTINE += ["تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MOROCCAN = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو"]
MOROCCAN += ["يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]
ALGERIAN = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان"]
ALGERIAN += ["جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


@pytest.mark.parametrize("names", [EGYPTIAN, LEVANTINE, MOROCCAN, ALGERIAN])
@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name_with_day_and_year(names: list[str], month: int) -> None:
    text = f"وصل الوفد في 14 {names[month - 1]} 2019 إلى العاصمة"
    match = only_match(text)
    assert match.text == f"14 {names[month - 1]} 2019"
    assert ymd(match) == (2019, month, 14)


@pytest.mark.parametrize(
    ("spelling", "month"),
    [
        ("ابريل", 4),
        ("إبريل", 4),
        ("اغسطس", 8),
        ("اكتوبر", 10),
        ("يونيه", 6),
        ("يوليه", 7),
        ("اذار", 3),
        ("ايار", 5),
        ("ايلول", 9),
        ("تشرين اول", 10),
        ("كانون ثاني", 1),
        ("افريل", 4),
        ("اوت", 8),
        ("جويليه", 7),
    ],
)
def test_spellings_without_hamza(spelling: str, month: int) -> None:
    assert ymd(only_match(f"منذ 2 {spelling} 2020")) == (2020, month, 2)


def test_diacritics_and_tatweel_inside_the_date_are_kept_in_its_text() -> None:
    text = "جرى ذلك في ٧ أَيّـارَ ٢٠٢١ تقريبا"
    match = only_match(text)
    assert match.text == "٧ أَيّـارَ ٢٠٢١"
    assert ymd(match) == (2021, 5, 7)


def test_combined_style_with_slash() -> None:
    text = "منعت يوم 1 يونيو/حزيران مشروع قرار"
    match = only_match(text)
    assert match.text == "1 يونيو/حزيران"
    assert ymd(match) == (None, 6, 1)
    assert match.weekday is None


@pytest.mark.parametrize(
    "written",
    [
        "9 أكتوبر/تشرين الأول 2016",
        "9 أكتوبر / تشرين الأول 2016",
        "9 أكتوبر (تشرين الأول) 2016",
        "9 تشرين الأول/أكتوبر 2016",
        "9 أكتوبر/تشرين الأول عام 2016",
        "9 أكتوبر/تشرين الأول سنة 2016",
        "٩ أكتوبر/تشرين الأول ٢٠١٦",
        "9 أكتوبر/تشرين الأول، 2016",
    ],
)
def test_combined_style_with_year(written: str) -> None:
    match = only_match(f"قالت الوكالة في {written} إن المحادثات تعثرت")
    assert match.text == written
    assert ymd(match) == (2016, 10, 9)


def test_two_different_months_are_not_one_date() -> None:
    match = only_match("بين 3 مارس/أبريل")
    assert match.text == "3 مارس"
    assert ymd(match) == (None, 3, 3)


def test_weekday_fills_the_field_but_not_the_text() -> None:
    text = "وصرح يوم الاثنين 3 يونيو/حزيران 2013 بأن"
    match = only_match(text)
    assert match.text == "3 يونيو/حزيران 2013"
    assert match.weekday == 0


@pytest.mark.parametrize(
    ("written", "weekday"),
    [
        ("الأحد", 6),
        ("الإثنين", 0),
        ("الثلاثاء", 1),
        ("الأربعاء", 2),
        ("الاربعاء", 2),
        ("الخميس", 3),
        ("الجمعة", 4),
        ("السبت", 5),
    ],
)
def test_weekday_names(written: str, weekday: int) -> None:
    assert only_match(f"{written}، 12 شباط 2023").weekday == weekday
    assert only_match(f"{written} الموافق 12 شباط 2023").weekday == weekday


def test_month_and_year_without_a_day() -> None:
    match = only_match("انتخب في حزيران عام 2014 رئيسا")
    assert match.text == "حزيران عام 2014"
    assert ymd(match) == (2014, 6, None)
    assert match.to_date() is None


def test_year_with_the_gregorian_era_letter() -> None:
    match = only_match("صدر في 5 مايو 2022م عن الدار")
    assert match.text == "5 مايو 2022م"
    assert ymd(match) == (2022, 5, 5)


@pytest.mark.parametrize(
    "text",
    [
        "وقد مارس الضغط على الحكومة",
        "مارس الرياضة طوال 30 عاما",
        "قال الأب إن ابنه غادر",
        "سافر مع أب 2013",
        "ولد لـ 3 أب",
        "ماي فريند",
        "في تموز الماضي",
        "نيسان سيارة يابانية",
    ],
)
def test_month_names_alone_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_invalid_days_are_not_dates() -> None:
    assert find_dates("في 31 فبراير 2020 و30 شباط") == []
    assert ymd(only_match("في 29 فبراير 2024")) == (2024, 2, 29)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("03/06/2013", (2013, 6, 3)),
        ("3/6/2013", (2013, 6, 3)),
        ("03-06-2013", (2013, 6, 3)),
        ("03.06.2013", (2013, 6, 3)),
        ("2013-06-03", (2013, 6, 3)),
        ("2013/06/03", (2013, 6, 3)),
        ("٠٣/٠٦/٢٠١٣", (2013, 6, 3)),
        ("06/25/2013", (2013, 6, 25)),
    ],
)
def test_numeric_dates_are_day_first(written: str, expected: tuple[int, int, int]) -> None:
    match = only_match(f"نشر بتاريخ {written} على الموقع")
    assert match.text == written
    assert ymd(match) == expected


def test_numeric_lookalikes_are_not_dates() -> None:
    assert find_dates("بلغ 1.250.000 دولار ونسبة 3/4 و33/06/2013") == []


@pytest.mark.parametrize(
    ("word", "delta"),
    [
        ("اليوم", 0),
        ("أمس", -1),
        ("امس", -1),
        ("بالأمس", -1),
        ("البارحة", -1),
        ("أول أمس", -2),
        ("أول من أمس", -2),
        ("غدا", 1),
        ("غداً", 1),
        ("غدًا", 1),
        ("بعد غد", 2),
    ],
)
def test_relative_words(word: str, delta: int) -> None:
    match = only_match(f"قال الوزير {word} إن", today=TODAY)
    assert match.text == word
    assert match.relative
    assert match.to_date() == TODAY + timedelta(days=delta)


def test_relative_word_with_weekday() -> None:
    match = only_match("أعلن أمس الأحد أن", today=TODAY)
    assert match.text == "أمس"
    assert match.weekday == 6
    assert match.to_date() == date(2024, 1, 14)


def test_relative_words_need_today_to_resolve() -> None:
    match = only_match("أعلن أمس أن")
    assert match.relative
    assert ymd(match) == (None, None, None)
    assert match.to_date() is None
    assert parse_date("أعلن أمس أن") is None


@pytest.mark.parametrize(
    "text",
    ["في اليوم التالي", "في ذلك اليوم", "اليوم العالمي للمرأة", "غدا الوضع صعبا"],
)
def test_words_that_only_look_relative(text: str) -> None:
    assert find_dates(text, today=TODAY) == []


def test_today_followed_by_weekday_is_today() -> None:
    match = only_match("يجتمع المجلس اليوم الاثنين", today=TODAY)
    assert match.to_date() == TODAY
    assert match.weekday == 0


def test_hijri_date_is_not_read_as_gregorian() -> None:
    text = "الثلاثاء 12 رجب 1445هـ الموافق 23 يناير 2024م"
    match = only_match(text)
    assert match.text == "23 يناير 2024م"
    assert ymd(match) == (2024, 1, 23)
    assert parse_date(text) == date(2024, 1, 23)


@pytest.mark.parametrize(
    "text",
    ["الموافق 12 رجب 1445", "في 27 رمضان", "1 شوال 1444 هـ", "12/07/1445", "1445/07/12 هـ"],
)
def test_hijri_alone_gives_no_gregorian_date(text: str) -> None:
    assert find_dates(text) == []
    assert parse_date(text, today=TODAY) is None


def test_hijri_dates_are_recognised_on_request() -> None:
    matches = find_dates("الجمعة 10 ذو الحجة 1444 هـ الموافق 28 يونيو 2023", hijri=True)
    assert [(m.text, m.calendar) for m in matches] == [
        ("10 ذو الحجة 1444 هـ", "hijri"),
        ("28 يونيو 2023", "gregorian"),
    ]
    assert ymd(matches[0]) == (1444, 12, 10)
    assert matches[0].weekday == 4
    assert matches[0].to_date() is None


def test_find_dates_in_order_and_non_overlapping() -> None:
    text = "بين 2 مارس 2020 و٥ آذار ٢٠٢١، ثم 2022-04-06 وأمس"
    matches = find_dates(text, today=TODAY)
    assert [m.text for m in matches] == ["2 مارس 2020", "٥ آذار ٢٠٢١", "2022-04-06", "أمس"]
    assert all(a.end <= b.start for a, b in pairwise(matches))


def test_parse_date_takes_the_first_complete_date() -> None:
    text = "في 3 يونيو قال، وفي 4 يوليو 2015 أكد"
    assert parse_date(text) == date(2015, 7, 4)


def test_parse_date_takes_the_missing_year_nearest_today() -> None:
    assert parse_date("في 10 يناير", today=TODAY) == date(2024, 1, 10)
    assert parse_date("في 28 ديسمبر", today=TODAY) == date(2023, 12, 28)
    assert parse_date("في 20 فبراير", today=TODAY) == date(2024, 2, 20)


def test_parse_date_without_any_date() -> None:
    assert parse_date("لا تاريخ هنا") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("القاهرة - 3 يونيو 2013 الساعة 10:30", datetime(2013, 6, 3, 10, 30)),
        ("3 يونيو 2013 - 10:30 م", datetime(2013, 6, 3, 22, 30)),
        ("3 يونيو 2013 - 10:30 ص", datetime(2013, 6, 3, 10, 30)),
        ("3 يونيو 2013 الساعة 12:15 ص", datetime(2013, 6, 3, 0, 15)),
        ("3 يونيو 2013 الساعة 10 صباحاً", datetime(2013, 6, 3, 10, 0)),
        ("3 يونيو 2013 الساعة 7 مساءً", datetime(2013, 6, 3, 19, 0)),
        ("3 يونيو 2013 الساعة 1 ظهرا", datetime(2013, 6, 3, 13, 0)),
        ("3 يونيو 2013 الساعة 11 ليلا", datetime(2013, 6, 3, 23, 0)),
        ("الساعة 10 و20 دقيقة يوم 3 يونيو 2013", datetime(2013, 6, 3, 10, 20)),
        ("تحديث: ١٨:٤٥ ٠٣/٠٦/٢٠١٣", datetime(2013, 6, 3, 18, 45)),
        ("3 يونيو 2013", datetime(2013, 6, 3, 0, 0)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_parse_datetime_attaches_the_given_zone() -> None:
    cairo = timezone(timedelta(hours=2))
    result = parse_datetime("3 يونيو 2013 الساعة 10:30", tz=cairo)
    assert result == datetime(2013, 6, 3, 10, 30, tzinfo=cairo)


def test_parse_datetime_reads_gmt() -> None:
    cairo = timezone(timedelta(hours=2))
    text = "3 يونيو 2013 الساعة 10:30 بتوقيت غرينتش"
    assert parse_datetime(text) == datetime(2013, 6, 3, 10, 30, tzinfo=UTC)
    assert parse_datetime(text, tz=cairo) == datetime(2013, 6, 3, 12, 30, tzinfo=cairo)


def test_parse_datetime_with_relative_date() -> None:
    assert parse_datetime("وصل أمس الساعة 9:05 مساء", today=TODAY) == datetime(2024, 1, 14, 21, 5)


def test_format_date_combined() -> None:
    assert format_date(date(2013, 6, 3), year=False) == "3 يونيو/حزيران"
    assert format_date(date(2013, 6, 3)) == "3 يونيو/حزيران 2013"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("egyptian", "25 ديسمبر 2020"),
        ("levantine", "25 كانون الأول 2020"),
        ("maghreb", "25 دجنبر 2020"),
        ("algerian", "25 ديسمبر 2020"),
    ],
)
def test_format_date_styles(style: str, expected: str) -> None:
    assert format_date(date(2020, 12, 25), style=style) == expected  # type: ignore[arg-type]


def test_format_date_with_arabic_digits() -> None:
    assert format_date(date(2013, 6, 3), digits="arabic") == "٣ يونيو/حزيران ٢٠١٣"


@pytest.mark.parametrize("style", ["combined", "egyptian", "levantine", "maghreb", "algerian"])
@pytest.mark.parametrize("month", range(1, 13))
def test_formatted_dates_parse_back(style: str, month: int) -> None:
    day = date(2021, month, 17)
    text = format_date(day, style=style)  # type: ignore[arg-type]
    assert parse_date(f"نشر في {text}") == day


def test_month_and_weekday_names() -> None:
    assert month_name(8) == "أغسطس/آب"
    assert month_name(8, "levantine") == "آب"
    assert month_name(7, "maghreb") == "يوليوز"
    assert month_name(7, "algerian") == "جويلية"
    assert weekday_name(date(2024, 1, 15)) == "الاثنين"
    assert weekday_name(date(2024, 1, 19)) == "الجمعة"
    with pytest.raises(ValueError, match="between 1 and 12"):
        month_name(13)
