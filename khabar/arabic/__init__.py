"""Arabic text: normalize, tokenize, stem, numbers, dates. Pure functions, no Django."""

from khabar.arabic.dates import (
    DateMatch,
    find_dates,
    format_date,
    month_name,
    parse_date,
    parse_datetime,
    weekday_name,
)
from khabar.arabic.normalize import MappedText, display_safe, normalize, normalize_mapped
from khabar.arabic.numbers import parse_number, to_arabic_indic_digits, to_ascii_digits
from khabar.arabic.stem import light_stem, snowball_stem, stem
from khabar.arabic.tokenize import Token, tokenize, words

__all__ = [
    "DateMatch",
    "MappedText",
    "Token",
    "display_safe",
    "find_dates",
    "format_date",
    "light_stem",
    "month_name",
    "normalize",
    "normalize_mapped",
    "parse_date",
    "parse_datetime",
    "parse_number",
    "snowball_stem",
    "stem",
    "to_arabic_indic_digits",
    "to_ascii_digits",
    "tokenize",
    "weekday_name",
    "words",
]
