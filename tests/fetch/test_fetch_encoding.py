"""Decoding: Arabic legacy code pages served without a charset, or with a wrong one."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.arabic.encoding import decode_bytes, parse_content_type
from khabar.fetch import Fetcher
from khabar.fetch.testing import LocalServer

MakeFetcher = Callable[..., Fetcher]

ARABIC = (
    "أعلنت وزارة الثقافة عن افتتاح معرض الكتاب الدولي في دورته الجديدة، بمشاركة أكثر من "
    "ثمانمئة دار نشر عربية وأجنبية، وسط توقعات بإقبال كبير من الزوار."
)
SHORT = "عاجل: الخبر"


def _page(charset_meta: str = "") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>{SHORT}</title></head><body><p>{ARABIC}</p></body></html>"


@pytest.mark.parametrize("codec", ["cp1256", "iso8859-6"])
@pytest.mark.parametrize(
    "declared", [None, "iso-8859-1", "windows-1252", "us-ascii", "utf-8", "latin1"]
)
def test_arabic_legacy_bytes_decode_whatever_the_header_says(
    codec: str, declared: str | None
) -> None:
    text, used = decode_bytes(ARABIC.encode(codec), declared=declared, content_type="text/html")
    assert text == ARABIC
    assert used == codec


@pytest.mark.parametrize(
    ("codec", "declared"), [("iso8859-6", "windows-1256"), ("cp1256", "iso-8859-6")]
)
def test_the_two_arabic_code_pages_swapped_for_each_other(codec: str, declared: str) -> None:
    assert decode_bytes(ARABIC.encode(codec), declared=declared, content_type=None) == (
        ARABIC,
        codec,
    )


def test_a_short_title_alone_decodes() -> None:
    for codec in ("cp1256", "iso8859-6"):
        assert decode_bytes(SHORT.encode(codec), declared=None, content_type=None)[0] == SHORT


@pytest.mark.parametrize("declared", ["windows-1256", "iso-8859-1", "iso-8859-6"])
def test_utf8_under_a_stale_single_byte_label_stays_utf8(declared: str) -> None:
    assert decode_bytes(ARABIC.encode(), declared=declared, content_type=None) == (ARABIC, "utf-8")


def test_the_meta_charset_is_used_when_the_header_has_none() -> None:
    data = _page("windows-1256").encode("cp1256")
    assert decode_bytes(data, declared=None, content_type="text/html") == (
        _page("windows-1256"),
        "cp1256",
    )


def test_http_equiv_content_type_is_read() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'
        f"</head><body>{ARABIC}</body></html>"
    )
    assert (
        decode_bytes(page.encode("iso8859-6"), declared=None, content_type=None)[1] == "iso8859-6"
    )


def test_the_xml_declaration_is_used_for_feeds() -> None:
    feed = (
        '<?xml version="1.0" encoding="windows-1256"?>'
        f"<rss><item><title>{ARABIC}</title></item></rss>"
    )
    assert decode_bytes(
        feed.encode("cp1256"), declared=None, content_type="application/rss+xml"
    ) == (
        feed,
        "cp1256",
    )


def test_a_bom_wins_over_a_wrong_header() -> None:
    data = codecs.BOM_UTF8 + ARABIC.encode()
    assert decode_bytes(data, declared="windows-1256", content_type=None) == (ARABIC, "utf-8")
    data16 = codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le")
    assert decode_bytes(data16, declared=None, content_type=None) == (ARABIC, "utf-16-le")


def test_a_meta_claiming_utf16_on_ascii_bytes_means_utf8() -> None:
    page = f'<html><head><meta charset="utf-16"></head><body>{ARABIC}</body></html>'
    assert decode_bytes(page.encode(), declared=None, content_type="text/html") == (page, "utf-8")


def test_western_text_under_a_western_label_is_left_alone() -> None:
    french = "Le café crème à la française, déjà vu par l'élève."
    assert (
        decode_bytes(french.encode("cp1252"), declared="iso-8859-1", content_type=None)[0] == french
    )


def test_a_correct_declaration_is_trusted() -> None:
    assert decode_bytes(ARABIC.encode("cp1256"), declared="windows-1256", content_type=None) == (
        ARABIC,
        "cp1256",
    )


def test_content_type_parsing() -> None:
    assert parse_content_type('text/HTML; Charset="Windows-1256"') == ("text/html", "windows-1256")
    assert parse_content_type("application/rss+xml") == ("application/rss+xml", None)
    assert parse_content_type(None) == (None, None)


@pytest.mark.parametrize(
    ("codec", "header"),
    [
        ("cp1256", "text/html"),
        ("cp1256", "text/html; charset=iso-8859-1"),
        ("iso8859-6", "text/html"),
        ("iso8859-6", "text/html; charset=ISO-8859-1"),
    ],
)
def test_served_arabic_pages_decode_end_to_end(
    codec: str, header: str, server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    server.serve("/page", _page().encode(codec), headers={"Content-Type": header})
    result = make_fetcher().fetch(server.url("/page"))
    assert result.text() == _page()
    assert result.decode()[1] == codec


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "iso-8859-1", "bogus-charset"]))
def test_decoding_never_fails(data: bytes, declared: str | None) -> None:
    text, used = decode_bytes(data, declared=declared, content_type=None)
    assert isinstance(text, str) and codecs.lookup(used)


NEWS = (
    ARABIC + " وقال رئيس الهيئة المنظمة إن الدورة الحالية تحتفي بأدب الأطفال والناشئة، وتخصص "
    "جناحا كاملا للكتب الرقمية والمسموعة. قتل ثلاثة أشخاص وأصيب عشرة آخرون في حادث سير على "
    "الطريق الصحراوي، بحسب ما أفاد مصدر أمني لوكالة الأنباء الرسمية يوم الأحد. وتراجعت أسعار "
    "النفط في التعاملات الآسيوية وسط مخاوف من تباطؤ الطلب العالمي على الخام."
).split()


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["cp1256", "iso8859-6"]),
    st.integers(min_value=0, max_value=len(NEWS) - 4),
    st.integers(min_value=4, max_value=40),
)
def test_any_stretch_of_four_words_or_more_decodes_without_a_label(
    codec: str, start: int, length: int
) -> None:
    # Shorter stretches can read as Arabic in both code pages ("إن" in windows-1256 is "إل"
    # in ISO-8859-6); from a few words on, the letter pairs tell them apart.
    text = " ".join(NEWS[start : start + length])
    assert decode_bytes(text.encode(codec), declared=None, content_type=None) == (text, codec)


@pytest.mark.parametrize("declared", [None, "utf-8", "windows-1256", "iso-8859-1"])
def test_utf8_with_a_stray_bad_byte_stays_utf8(declared: str | None) -> None:
    page = f'<html><head><meta charset="windows-1256"></head><body>{ARABIC}</body></html>'
    data = page.encode().replace("الكتاب".encode(), "الكتاب".encode() + b"\xff")
    text, used = decode_bytes(data, declared=declared, content_type="text/html")
    assert used == "utf-8"
    assert text == page.replace("الكتاب", "الكتاب\ufffd")
