"""Tell what a file's bytes are (binary, HTML or text) and decode text without mojibake."""

from __future__ import annotations

import codecs
import re

# Bytes that start common binary files, with what to call them in an error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP, WAV or AVI) file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"OggS", "an Ogg audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 control bytes that plain text does not hold (tab, newlines, form feed and escape aside).
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_MAX_CONTROL_RATIO = 0.05
_SAMPLE = 8192

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""",
    re.IGNORECASE,
)
# Declarations that old Arabic sites often got wrong: the bytes are windows-1256 anyway.
_WESTERN = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
_ARABIC_LEGACY = ("cp1256", "iso8859-6")
_COMMON_ARABIC = frozenset({"في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "التي", "الذي"})
# UTF-8 read as windows-1252: "Ø§Ù„" for "ال".
_MOJIBAKE = re.compile(
    "[ØÙÚÛ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|article|section|meta|br|h[1-6]|ul|li|table)\b[^>]*>",
    re.I,
)


def binary_kind(data: bytes) -> str | None:
    """Return what a binary file looks like ("a PNG image"), or None when it may be text."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[4:8] == b"ftyp":
        return "an MP4 or HEIF file"
    sample = data[:_SAMPLE]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    if controls and _utf16_without_bom(data) is not None:
        return None
    if b"\x00" in sample:
        return "a binary file (it holds NUL bytes)"
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        return "a binary file (it is full of control characters)"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Return the text of UTF-16 without a byte-order mark, or None when it is not that."""
    for encoding, zeros_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        sample = data[: _SAMPLE * 2]
        if len(sample) % 2 or b"\x00" in sample[1 - zeros_at :: 2]:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.isprintable() or all(ch.isprintable() or ch.isspace() for ch in text):
            return text
    return None


def _arabic_score(text: str) -> int:
    """Count the signs of real Arabic words: the article prefix and the common particles."""
    words = text.split()
    return sum(1 for w in words if w.startswith("ال") or w in _COMMON_ARABIC)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _arabic_legacy(data: bytes) -> str | None:
    """Return the text as windows-1256 or ISO-8859-6, whichever reads as Arabic, or None."""
    best, best_score = None, 0
    for encoding in _ARABIC_LEGACY:
        text = _strict(data, encoding)
        score = _arabic_score(text) if text is not None else 0
        if text is not None and score > best_score:
            best, best_score = text, score
    return best


def declared_charset(data: bytes) -> str | None:
    """Return the Python name of the charset an HTML or XML header declares, or None."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess(data: bytes, declared: str | None) -> str:
    """Return the text of bytes that are not UTF-8 and declare no usable non-Western charset."""
    arabic = _arabic_legacy(data)
    if arabic is not None:
        return arabic
    text = _strict(data, declared) if declared else None
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return _strict(data, "cp1252") or data.decode("latin-1")


def _to_latin_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))
    return bytes(out)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was once read as windows-1252 ("Ø§Ù„Ø®Ø¨Ø±"), where that is what it is."""
    if len(_MOJIBAKE.findall(text)) < 3:
        return text
    raw = _to_latin_bytes(text)
    fixed = _strict(raw, "utf-8") if raw is not None else None
    return fixed if fixed is not None and _arabic_score(fixed) > 0 else text


def decode(data: bytes) -> str:
    """Decode a page's bytes: BOM, then UTF-8, the declared charset, then Arabic legacy charsets.

    Valid UTF-8 wins over a declaration, and windows-1256 over a Western one, because that is
    how old Arabic sites mislabel their pages; either way the result is never mojibake.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    # UTF-16 of Arabic is valid UTF-8 full of control bytes, so it is tried first.
    text = _utf16_without_bom(data) if b"\x00" in data[:_SAMPLE] else None
    if text is None:
        text = _strict(data, "utf-8")
    declared = declared_charset(data) if text is None else None
    if declared and declared not in _WESTERN:
        text = _strict(data, declared)
    if text is None:
        text = _guess(data, declared)
    return repair_mojibake(text)


def looks_like_html(text: str, filename: str | None = None) -> bool:
    """Tell whether decoded text is an HTML page rather than a page saved as plain text."""
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml", ".shtml")):
        return True
    if filename and filename.lower().endswith((".txt", ".text")):
        return False
    head = text[:20000]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAG.findall(head)) >= 2
