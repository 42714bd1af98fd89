"""Parse XML from outside safely, and read its elements without caring about namespaces.

Every XML document a source sends goes through `parse_xml`: no DTD is loaded, nothing is fetched
from the network, entities are never expanded, and a document that declares entities at all is
refused before any parser sees it (that is how XXE and "billion laughs" attacks work).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from khabar.errors import ExtractionError
from khabar.extract.wire_input import ascii_view

__all__ = [
    "MalformedXMLError",
    "UnsafeXMLError",
    "attr",
    "child",
    "children",
    "descendants",
    "local_name",
    "namespace",
    "parse_xml",
    "refuse_entities",
    "root_name",
    "text",
]

Element = Any  # lxml ships no type information; an element is an lxml.etree._Element

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_PROLOG = re.compile(rb"<\?.*?(?:\?>|$)|<!DOCTYPE(?:[^\[>]|\[.*?\])*>?", re.DOTALL | re.IGNORECASE)
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


class UnsafeXMLError(ExtractionError):
    """The XML declares entities, which Khabar never expands."""


class MalformedXMLError(ExtractionError):
    """The input is not well-formed XML."""


def _unsafe(what: str) -> UnsafeXMLError:
    return UnsafeXMLError(
        f"The {what} declares XML entities in a DOCTYPE; Khabar never expands them "
        "(that is how XXE and 'billion laughs' attacks work). "
        f"Ask the publisher for a {what} without a DTD."
    )


def _markup_view(data: bytes) -> bytes:
    """The markup's ASCII characters, whether it is in UTF-8, UTF-16, UTF-32 or EBCDIC."""
    if data.startswith(_EBCDIC_XML):
        return data.decode("cp037", "replace").encode("ascii", "replace")
    return ascii_view(data)


def refuse_entities(data: bytes, what: str) -> None:
    """Raise UnsafeXMLError when the document's DTD declares entities (XXE, billion laughs)."""
    view = _markup_view(data)
    doctype = _DOCTYPE.search(view)
    if doctype is not None and _ENTITY.search(view, doctype.start()):
        raise _unsafe(what)


def _parser(recover: bool) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def _where(exc: Exception) -> str:
    position = getattr(exc, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        return f" (line {position[0]}, column {position[1]})"
    return ""


def _declares_entities(root: Element) -> bool:
    dtd = root.getroottree().docinfo.internalDTD
    return dtd is not None and any(True for _ in dtd.iterentities())


def parse_xml(data: bytes, what: str, *, recover: bool = False) -> Element:
    """Parse `data` with a safe parser and return the root element, or raise a clear error."""
    refuse_entities(data, what)
    try:
        root = etree.fromstring(data, _parser(recover))
    except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
        raise MalformedXMLError(
            f"The {what} is not well-formed XML{_where(exc)}: it may be truncated or damaged; "
            "fetch it again or ask the publisher to fix it."
        ) from None
    if root is None:
        raise MalformedXMLError(f"The {what} holds no XML element: fetch it again.")
    if _declares_entities(root):
        raise _unsafe(what)
    return root


def root_name(data: bytes) -> str | None:
    """Return the local name of the document's first element, sniffed without parsing."""
    head = ascii_view(data[:16384])
    head = _COMMENT.sub(b"", head)
    head = _PROLOG.sub(b"", head)
    found = _FIRST_TAG.search(head)
    return found.group(1).decode("ascii") if found else None


def local_name(element: Element) -> str:
    """Return an element's name without its namespace ("" for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element: Element) -> str:
    """Return an element's namespace URI, "" when it has none."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def children(element: Element, name: str) -> list[Element]:
    """Return the direct children called `name`, in any namespace."""
    return [c for c in element if local_name(c) == name]


def child(element: Element | None, *path: str) -> Element | None:
    """Follow `path` through the first child of each name; None when a step is missing."""
    for name in path:
        if element is None:
            return None
        found = children(element, name)
        element = found[0] if found else None
    return element


def descendants(element: Element, name: str) -> Iterator[Element]:
    """Yield every element called `name` below `element`, in document order."""
    for found in element.iter():
        if found is not element and local_name(found) == name:
            yield found


def text(element: Element | None) -> str | None:
    """Return the element's text with spaces collapsed, None when it holds none."""
    if element is None:
        return None
    joined = " ".join("".join(element.itertext()).split())
    return joined or None


def attr(element: Element | None, name: str) -> str | None:
    """Return an attribute's value, stripped, None when absent or blank."""
    if element is None:
        return None
    value = element.get(name)
    if not isinstance(value, str):
        return None
    return value.strip() or None
