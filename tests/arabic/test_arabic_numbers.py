"""Digit conversion and number parsing."""

from __future__ import annotations

import pytest

from khabar.arabic import to_arabic_indic_digits, to_ascii_digits
from khabar.arabic.numbers import parse_number


def test_to_ascii_digits() -> None:
    assert to_ascii_digits("عام ٢٠٢٤ و۱۴۰۲ و77") == "عام 2024 و1402 و77"


def test_to_arabic_indic_digits() -> None:
    assert to_arabic_indic_digits("3 يونيو 2013 و۵") == "٣ يونيو ٢٠١٣ و٥"


def test_digit_round_trip() -> None:
    assert to_ascii_digits(to_arabic_indic_digits("0123456789")) == "0123456789"


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("٣٫٥", 3.5),
        ("1,000", 1000),
        ("3.5", 3.5),
        ("٢٬٥٠٠", 2500),
        ("٢٬٥٠٠٫٢٥", 2500.25),
        ("12,345,678.9", 12345678.9),
        ("1.250.000", 1250000),
        ("1.250,5", 1250.5),
        ("3,5", 3.5),
        ("٠٧", 7),
        ("۱۲", 12),
        (" 42 ", 42),
        ("-8", -8),
    ],
)
def test_parse_number(token: str, value: float) -> None:
    result = parse_number(token)
    assert result == value
    assert isinstance(result, int) == isinstance(value, int)


@pytest.mark.parametrize("token", ["", "abc", "٣٬٥", "1,00,0", "1..2", "3.5.", "١٢ب", "½"])
def test_parse_number_rejects_what_is_not_a_number(token: str) -> None:
    assert parse_number(token) is None
