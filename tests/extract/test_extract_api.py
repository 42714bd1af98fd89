"""`extract_bytes`: refuse empty and binary input, decode any common encoding, HTML or text."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from khabar.errors import BinaryInputError, EmptyInputError, NoArticleError
from khabar.extract import extract_bytes
from khabar.extract.detect import decode, looks_like_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "textpages"

PARAGRAPHS = [
    "أعلنت وزارة الثقافة عن افتتاح معرض الكتاب الدولي في دورته الجديدة بمشاركة أكثر من ثمانمئة "
    "دار نشر عربية وأجنبية، وسط توقعات بإقبال كبير من الزوار خلال أيام المعرض العشرة.",
    "وقال رئيس الهيئة المنظمة إن الدورة الحالية تحتفي بأدب الأطفال والناشئة، وتخصص جناحا كاملا "
    "للكتب الرقمية والمسموعة، إلى جانب برنامج ثقافي يضم ندوات وأمسيات شعرية يومية.",
    "وأضاف أن المعرض سيفتح أبوابه يوميا من العاشرة صباحا حتى التاسعة مساء، مع تخصيص حافلات "
    "مجانية لنقل الزوار من محطات المترو القريبة إلى أرض المعارض.",
]

HTML = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<title>افتتاح معرض الكتاب الدولي بمشاركة واسعة | جريدة الواحة</title>
<meta property="og:title" content="افتتاح معرض الكتاب الدولي بمشاركة واسعة">
<meta property="article:published_time" content="2024-02-07T09:00:00+02:00">
</head>
<body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/culture">ثقافة</a></li></ul></nav>
<article>
<h1>افتتاح معرض الكتاب الدولي بمشاركة واسعة</h1>
{paragraphs}
</article>
<footer>جميع الحقوق محفوظة © 2024 جريدة الواحة</footer>
</body>
</html>
"""


def html_page(charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return HTML.format(charset=charset, paragraphs=paragraphs)


def text_page() -> str:
    return (FIXTURES / "bare_no_lead.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        extract_bytes(data, filename="page.txt")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", text_page())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (gzip.compress(text_page().encode("utf-8")), "gzip"),
        (_zip(), "ZIP"),
        (b"some text\x00\x01\x02 with NUL bytes in it", "NUL"),
        (bytes(range(1, 32)) * 20, "control"),
    ],
)
def test_binary_input(data: bytes, says: str) -> None:
    with pytest.raises(BinaryInputError, match=says):
        extract_bytes(data, filename="upload.bin")


def test_binary_message_says_what_to_do() -> None:
    with pytest.raises(BinaryInputError, match="Pass a page saved as HTML or as plain text"):
        extract_bytes(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256", "iso8859-6"])
def test_text_page_in_any_encoding(encoding: str) -> None:
    expected = extract_bytes(text_page().encode("utf-8"))
    got = extract_bytes(text_page().encode(encoding), filename="page.txt")
    assert got.title == expected.title == "ارتفاع أسعار الذهب في السوق المحلية مع بداية التعاملات"
    assert got.body == expected.body
    assert got.language == "ar"


def test_windows_1256_page_with_chrome_decodes_exactly() -> None:
    text = (FIXTURES / "egypt_portal.txt").read_text(encoding="utf-8")
    assert decode(text.encode("cp1256")) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text(encoding: str) -> None:
    text = text_page()
    assert decode(text.encode(encoding)) == text
    assert extract_bytes(text.encode(encoding)).body == extract_bytes(text.encode()).body


def test_mojibake_is_repaired() -> None:
    text = text_page()
    # As browsers read it: windows-1252, with its five unassigned bytes passed through.
    garbled = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )
    assert "Ø" in garbled
    assert extract_bytes(garbled.encode("utf-8")).title == extract_bytes(text.encode()).title


def test_html_page() -> None:
    article = extract_bytes(html_page().encode("utf-8"), url="https://example.org/a/1")
    assert article.title == "افتتاح معرض الكتاب الدولي بمشاركة واسعة"
    assert [" ".join(p.split()) for p in article.body] == PARAGRAPHS
    assert article.published is not None and article.published.date().isoformat() == "2024-02-07"
    assert article.language == "ar"
    assert article.url == "https://example.org/a/1"
    assert not any("الحقوق" in p for p in article.body)


def test_html_page_declared_windows_1256() -> None:
    data = html_page("windows-1256").encode("cp1256")
    assert extract_bytes(data).title == "افتتاح معرض الكتاب الدولي بمشاركة واسعة"


def test_html_page_mislabelled_latin1_is_read_as_arabic() -> None:
    data = html_page("iso-8859-1").encode("cp1256")
    assert extract_bytes(data).body[0].startswith("أعلنت وزارة الثقافة")


def test_html_without_an_article() -> None:
    data = (
        "<!DOCTYPE html><html><head><title>الصفحة غير موجودة</title></head><body>"
        "<nav><a href='/'>الرئيسية</a> <a href='/news'>أخبار</a></nav>"
        "<p>عذرا، الصفحة غير موجودة.</p></body></html>"
    ).encode()
    with pytest.raises(NoArticleError, match="HTML"):
        extract_bytes(data, filename="index.html")


def test_text_without_an_article() -> None:
    data = "الرئيسية\nأخبار\nرياضة\n\nعنوان قصير\n\nسطر آخر قصير\n".encode()
    with pytest.raises(NoArticleError, match="No article found"):
        extract_bytes(data, filename="menu.txt")


@pytest.mark.parametrize(
    ("text", "filename", "html"),
    [
        ("<!doctype html><html><body><p>x</p></body></html>", None, True),
        ("  <html><body>x</body></html>", None, True),
        ("<p>نص</p><p>نص آخر</p>", None, True),
        ("عنوان\n\nنص <b>غامق</b> داخل فقرة", None, False),
        ("<p>x</p>", "page.txt", False),
        ("plain words", "page.html", True),
    ],
)
def test_looks_like_html(text: str, filename: str | None, html: bool) -> None:
    assert looks_like_html(text, filename) is html
