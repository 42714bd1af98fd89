"""Convert digits between scripts and read numbers written the Arabic or the Latin way."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Digits", "localize_digits", "parse_number", "to_arabic_indic_digits", "to_ascii_digits"]

# How a site writes its numbers: Western (0-9) or Arabic-Indic (٠-٩) digits.
Digits = Literal["western", "arabic"]

_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TO_ARABIC_INDIC = str.maketrans("0123456789۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩")

# ٫ and ٬ say what they are. "." and "," are read the English way (1,000.5) unless the grouping
# shows the European way (1.000.000 or 1.000,5); "3,5" with a lone comma is a decimal, as papers
# in the Maghreb print it.
_FORMS = tuple(
    re.compile(r"(?P<sign>[-+\u2212]?)" + body)
    for body in (
        r"(?P<int>\d{1,3}(?:\u066c\d{3})+|\d+)(?:\u066b(?P<frac>\d+))?",
        r"(?P<int>\d{1,3}(?:,\d{3})+)(?:\.(?P<frac>\d+))?",
        r"(?P<int>\d{1,3}(?:\.\d{3}){2,})(?:,(?P<frac>\d+))?",
        r"(?P<int>\d{1,3}\.\d{3}),(?P<frac>\d+)",
        r"(?P<int>\d+)[.,](?P<frac>\d+)",
    )
)
_ASCII_ONLY = re.compile(r"[-+\u22120-9.,\u066b\u066c]+")


def to_ascii_digits(text: str) -> str:
    """Return `text` with Arabic-Indic and Persian digits replaced by ASCII digits."""
    return text.translate(_TO_ASCII)


def to_arabic_indic_digits(text: str) -> str:
    """Return `text` with ASCII and Persian digits replaced by Arabic-Indic digits."""
    return text.translate(_TO_ARABIC_INDIC)


def localize_digits(text: str, digits: Digits) -> str:
    """Return `text` with every digit written the way `digits` asks (western 0-9, arabic ٠-٩)."""
    # Both ways translate, so a number that arrived in the other script is made to follow too.
    if digits == "arabic":
        return to_arabic_indic_digits(text)
    return to_ascii_digits(text)


def parse_number(token: str) -> int | float | None:
    """Return the number written in `token` (٣٫٥, 1,000, 2.5), or None if it is not one."""
    text = to_ascii_digits(token.strip())
    if not _ASCII_ONLY.fullmatch(text):
        return None
    for pattern in _FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        digits = re.sub(r"\D", "", match["int"])
        sign = -1 if match["sign"] in ("-", "\u2212") else 1
        if match["frac"] is None:
            return sign * int(digits)
        return sign * float(f"{digits}.{match['frac']}")
    return None
