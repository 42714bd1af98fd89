"""Decode bytes to text without mojibake, whatever Arabic sites declare.

Order: byte-order mark, the HTTP charset, an HTML `<meta>` or the XML declaration, UTF-16
without a mark, strict UTF-8, the Arabic legacy code pages, then charset_normalizer; UTF-8 that
was once read as windows-1252 ("Ø§Ù„") is repaired last. A BOM comes first, as in the WHATWG
Encoding standard: it cannot be there by accident, while a wrong header is common. The fetcher
passes the HTTP header; files read from disk have none. One module serves both.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import math
import re
from collections.abc import Iterator

__all__ = ["BOMS", "decode_bytes", "parse_content_type", "repair_mojibake", "utf16_without_bom"]

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32-LE starts with the UTF-16-LE mark, so it is tried first.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEAD = 4096
_SAMPLE = 8192
_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"']")
_LOOKS_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|meta|body)\b", re.I)
# Labels that old Arabic servers send by default while the bytes are windows-1256.
_WESTERN = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15"})
_ARABIC_CODECS = ("cp1256", "iso8859-6")
# windows-1256 is far commoner on the web: it wins when a text is too short to tell (a
# two-letter word can be real in both code pages), as a log-odds head start.
_ARABIC_PRIORS = {"cp1256": 1.0, "iso8859-6": 0.0}
_SNIFFED = _WESTERN | frozenset(_ARABIC_CODECS)
# A page "reads as Arabic" when this share of its words with non-ASCII letters are Arabic words.
_ARABIC_SHARE = 0.8
# charset_normalizer's Arabic candidates win at a lower share: it already found them plausible.
_CANDIDATE_SHARE = 0.5
_MIN_ARABIC_LETTERS = 2
# UTF-8 with at most one broken sequence per this many good characters is still UTF-8.
_UTF8_GOOD_PER_BAD = 20
# The 150 commonest letter pairs of Arabic news, commonest first ("^" starts a word, "$" ends
# one), counted over the Arabic of Khabar's demo content (khabar/newsroom/demo/content.json).
_PAIR_TEXT = """
ال ^ا ة$ ي$ ^م ن$ ^و لم ت$ ا$ ر$ ية ^ب ل$ ^ف ^أ في ^ت ار ات ى$ ^ع من لا ^ل د$
را م$ وا بي ما لأ ب$ ^إ لت لى ان يا ول ين لع با ام لي ري عل عا ^ي ع$ نا مي ق$
رة ه$ رب ها لب ف$ قا ير عر ون اء ء$ أن مر ^ن ني دي ور اد لل مع لد س$ دا اع اق
دو تو مل ست لة ^س جا وي لق اس ^ق سا رو تر ^ح ^د إل مو لن لج ائ سي مت مس عم اب
تح لس مة يم ^خ لح فا دة عد در شر اف لك وم لف ح$ لر رك ^ك هد لو اح عة أر ^ر بن
تي له و$ بع ^ص ^ج مش شا نه بل نس تا لإ يد يت ط$ اه رد حا تب
"""
_PAIRS = _PAIR_TEXT.split()
# A pair's cost is the log of its rank (Zipf), and a pair outside the list costs a bit more.
_PAIR_COST = {pair: math.log(rank + 20) for rank, pair in enumerate(_PAIRS)}
_UNLISTED_COST = math.log(len(_PAIRS) + 20) + 1
_COMMON_ARABIC = frozenset({"في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "التي", "الذي"})
# UTF-8 read as windows-1252: "Ø§Ù„" for "ال".
_MOJIBAKE = re.compile(
    "[ØÙÚÛ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into the lower-case media type and charset (None if absent)."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset" and raw.strip().strip("\"'"):
            charset = raw.strip().strip("\"'").lower()
    return (media.strip().lower() or None), charset


def decode_bytes(data: bytes, *, declared: str | None, content_type: str | None) -> tuple[str, str]:
    """Decode a body; return the text and the Python name of the encoding used ("cp1256").

    `declared` is the charset of the HTTP header, `content_type` its media type; both are None
    for a file read from disk.
    """
    text, codec = _decode(data, declared, content_type)
    return repair_mojibake(text), codec


def _decode(data: bytes, declared: str | None, content_type: str | None) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    for label in _declared_labels(data, declared, content_type):
        found = _decode_declared(data, label)
        if found is not None:
            return found
    return _sniff(data)


def utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Return the text and codec of UTF-16 without a byte-order mark, or None when it is not."""
    if b"\x00" not in data[:_SAMPLE]:
        return None
    for encoding, zeros_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        sample = data[: _SAMPLE * 2]
        if len(sample) % 2 or b"\x00" in sample[1 - zeros_at :: 2]:
            continue
        text = _strict(data, encoding)
        if text is not None and all(ch.isprintable() or ch.isspace() for ch in text):
            return text, encoding
    return None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was once read as windows-1252 ("Ø§Ù„Ø®Ø¨Ø±"), where that is what it is."""
    if len(_MOJIBAKE.findall(text)) < 3:
        return text
    raw = _to_latin_bytes(text)
    fixed = _strict(raw, "utf-8") if raw is not None else None
    if fixed is None or not any(w.startswith("ال") or w in _COMMON_ARABIC for w in fixed.split()):
        return text
    return fixed


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


def _declared_labels(data: bytes, declared: str | None, content_type: str | None) -> Iterator[str]:
    """Yield the charsets the response declares, the HTTP header first."""
    if declared:
        yield declared
    head = data[:_HEAD]
    in_document: list[str] = []
    xml = _XML_DECL.match(head)
    if xml:
        in_document.append(xml.group(1).decode("ascii"))
    html = "html" in content_type if content_type else _LOOKS_HTML.search(head) is not None
    if html:
        in_document.extend(m.group(1).decode("ascii") for m in _META.finditer(head))
    for label in in_document:
        # A declaration readable as ASCII cannot be UTF-16 or UTF-32 (WHATWG: use UTF-8).
        yield "utf-8" if label.lower().startswith(("utf-16", "utf-32")) else label


def _decode_declared(data: bytes, label: str) -> tuple[str, str] | None:
    """Decode as declared, unless the bytes show that the declaration is one of the usual lies."""
    codec = _codec(label)
    if codec is None:
        return None
    if codec != "utf-8" and _single_byte(codec):
        # UTF-8 with non-ASCII bytes is practically never legacy text: the label is stale.
        if not data.isascii() and (text := _mostly_utf8(data)) is not None:
            return text, "utf-8"
        # Western labels are the usual default of old Arabic servers; the two Arabic code
        # pages are often swapped for each other.
        if codec in _SNIFFED and (arabic := _arabic_legacy(data)) is not None:
            return arabic
    text = _strict(data, codec)
    return (text, codec) if text is not None else None


def _sniff(data: bytes) -> tuple[str, str]:
    """Decode bytes nothing usable was declared for."""
    # UTF-16 of Arabic is valid UTF-8 full of control bytes, so it is tried first.
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8"
    arabic = _arabic_legacy(data)
    return arabic if arabic is not None else _detect(data)


def _detect(data: bytes) -> tuple[str, str]:
    """Ask charset_normalizer, preferring its Arabic code pages when they read as Arabic."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    for match in matches:
        codec = _codec(match.encoding)
        if codec in _ARABIC_CODECS and _arabic_share(str(match)) >= _CANDIDATE_SHARE:
            return str(match), codec
    best = matches.best()
    if best is not None:
        return str(best), _codec(best.encoding) or best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8"


def _mostly_utf8(data: bytes) -> str | None:
    """Return the text if the bytes are UTF-8 but for a few broken sequences, else None.

    A stray bad byte must not send UTF-8 Arabic to windows-1256, which would read it as
    "ط§ظ„"; while windows-1256 Arabic read as UTF-8 is nearly all broken sequences.
    """
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    decoded = sum(1 for ch in text if not ch.isascii()) - broken
    return text if decoded >= _UTF8_GOOD_PER_BAD * broken else None


def _arabic_legacy(data: bytes) -> tuple[str, str] | None:
    """Return the text as windows-1256 or ISO-8859-6, whichever reads as Arabic, or None."""
    readings = []
    for codec, prior in _ARABIC_PRIORS.items():
        text = _strict(data, codec)
        if text is not None and _arabic_share(text) >= _ARABIC_SHARE:
            readings.append((prior + _letter_likelihood(text), text, codec))
    if not readings:
        return None
    # Both code pages can turn the same bytes into Arabic letters ("أعلنت" in ISO-8859-6
    # reads "أظنوت" as windows-1256): the reading with the likelier letter pairs is the real one.
    _, text, codec = max(readings)
    return text, codec


def _letter_likelihood(text: str) -> float:
    """Score how much a text reads like Arabic news, by its letter pairs (higher is likelier)."""
    cost = 0.0
    for word in text.split():
        padded = f"^{word}$"
        for first, second in itertools.pairwise(padded):
            pair = first + second
            if not pair.isascii():
                cost += _PAIR_COST.get(pair, _UNLISTED_COST)
    return -cost


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def _arabic_share(text: str) -> float:
    """Return the share of words with non-ASCII letters that are wholly Arabic letters.

    A wrong code page puts Arabic letters inside Latin words ("Cafى" for "Café" read as
    ISO-8859-6) or Latin letters inside Arabic ones ("èزارة"): real Arabic has neither.
    """
    foreign = arabic = letters = 0
    for word in text.split():
        wide = [ch for ch in word if ch.isalpha() and not ch.isascii()]
        if not wide:
            continue
        if all(_is_arabic(ch) for ch in word if ch.isalpha()):
            arabic += 1
            letters += len(wide)
        else:
            foreign += 1
    return arabic / (arabic + foreign) if letters >= _MIN_ARABIC_LETTERS else 0.0


@functools.lru_cache(maxsize=256)
def _codec(label: str) -> str | None:
    """Return Python's name for a charset label, or None when Python does not know it."""
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


@functools.lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """Tell whether a codec maps every byte to one character (so any byte soup "decodes")."""
    return len(bytes(range(256)).decode(codec, errors="replace")) == 256


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
