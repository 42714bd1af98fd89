"""Tell what a file's bytes are (binary, HTML or text) and decode its text."""

from __future__ import annotations

import re

from khabar.arabic.encoding import BOMS, decode_bytes, utf16_without_bom

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

# C0 control bytes that plain text does not hold (tab, newlines, form feed and escape aside).
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_MAX_CONTROL_RATIO = 0.05
_SAMPLE = 8192

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|article|section|meta|br|h[1-6]|ul|li|table)\b[^>]*>",
    re.I,
)


def binary_kind(data: bytes) -> str | None:
    """Return what a binary file looks like ("a PNG image"), or None when it may be text."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        return None
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[4:8] == b"ftyp":
        return "an MP4 or HEIF file"
    sample = data[:_SAMPLE]
    # Counted by deleting them (in C), not byte by byte: every fetched page passes here.
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls and utf16_without_bom(data) is not None:
        return None
    if b"\x00" in sample:
        return "a binary file (it holds NUL bytes)"
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        return "a binary file (it is full of control characters)"
    return None


def decode(data: bytes) -> str:
    """Decode a file's bytes without mojibake (see khabar.arabic.encoding for the order)."""
    return decode_bytes(data, declared=None, content_type=None)[0]


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
