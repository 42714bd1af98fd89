"""Hostile XML: entity declarations (XXE, billion laughs) are refused before anything expands."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from khabar.errors import ExtractionError
from khabar.extract import wire_xml
from khabar.extract.feeds import parse_feed
from khabar.extract.sitemaps import parse_sitemap
from khabar.extract.wire_xml import UnsafeXMLError, parse_xml
from khabar.extract.wires import parse_wire

LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' if i else '<!ENTITY lol0 "lol">' for i in range(10)
)
ROOTS = {
    "feed": (
        "rss",
        '<rss version="2.0"><channel><title>t</title><item><title>{ref}</title>'
        "<link>https://x.example/1</link></item></channel></rss>",
    ),
    "sitemap": (
        "urlset",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://x.example/{ref}</loc></url></urlset>",
    ),
    "newsml": (
        "newsItem",
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
        "<contentMeta><headline>{ref}</headline></contentMeta></newsItem>",
    ),
    "nitf": (
        "nitf",
        '<nitf><head><docdata><doc-id id-string="d"/></docdata></head>'
        "<body><body.head><hedline><hl1>{ref}</hl1></hedline></body.head></body></nitf>",
    ),
}
READERS: dict[str, Callable[[bytes], Any]] = {
    "feed": parse_feed,
    "sitemap": parse_sitemap,
    "newsml": parse_wire,
    "nitf": parse_wire,
}


def document(kind: str, subset: str, ref: str, encoding: str = "utf-8") -> bytes:
    root, body = ROOTS[kind]
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f"<!DOCTYPE {root} [{subset}]>\n" + body.format(ref=ref)
    )
    return text.encode(encoding)


PAYLOADS = {
    "billion laughs": (LAUGHS, "&lol9;"),
    "xxe file": ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),
    "xxe network": ('<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">', "&xxe;"),
    "parameter entity": (
        '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;',
        "x",
    ),
    "quadratic blowup": (f'<!ENTITY a "{"x" * 50_000}">', "&a;" * 5_000),
}


@pytest.mark.parametrize("kind", sorted(ROOTS))
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_entity_declarations_are_refused(kind: str, payload: str) -> None:
    subset, ref = PAYLOADS[payload]
    started = time.perf_counter()
    with pytest.raises(UnsafeXMLError, match="entities"):
        READERS[kind](document(kind, subset, ref))
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("kind", sorted(ROOTS))
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_entities_are_found_in_wide_encodings(kind: str, encoding: str) -> None:
    subset, ref = PAYLOADS["billion laughs"]
    with pytest.raises(UnsafeXMLError):
        READERS[kind](document(kind, subset, ref, encoding))


def test_entities_are_found_in_ebcdic() -> None:
    subset, ref = PAYLOADS["billion laughs"]
    data = document("feed", subset, ref, "utf-8").replace(b"utf-8", b"IBM037")
    with pytest.raises(UnsafeXMLError):
        parse_feed(data.decode("utf-8").encode("cp037"))


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_the_parser_alone_neither_expands_nor_accepts_entities(
    payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The byte scan comes first; with it switched off, the safe parser and the DTD check
    # that follows must still hold: nothing expands, nothing is fetched, the document is refused.
    monkeypatch.setattr(wire_xml, "refuse_entities", lambda data, what: None)
    subset, ref = PAYLOADS[payload]
    started = time.perf_counter()
    with pytest.raises(ExtractionError):
        parse_xml(document("nitf", subset, ref), "wire item")
    assert time.perf_counter() - started < 2


def test_an_external_dtd_is_never_fetched_nor_needed() -> None:
    data = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/nitf-3-6.dtd">\n'
        b'<nitf><head><docdata><doc-id id-string="d-1"/></docdata></head>'
        b"<body><body.head><hedline><hl1>T</hl1></hedline></body.head></body></nitf>"
    )
    assert parse_wire(data).source_id == "d-1"


def test_deep_nesting_is_refused_cleanly() -> None:
    deep = b"<nitf>" + b"<block>" * 5000 + b"</block>" * 5000 + b"</nitf>"
    with pytest.raises(ExtractionError, match="not well-formed"):
        parse_wire(deep)
