"""Read the photos of an HTML page: address, caption and credit, then take their labels out.

A photo is a <figure>, or an image with a caption element next to it (WordPress "wp-caption",
"caption" classes). The credit is a short element in the figure that reads as one ("صدر
الصورة، Getty Images", "تصوير: ...", "AFP"), or the end of the caption ("... (رويترز)").
Captions and credits are then removed from the page, so they never read as body paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from khabar.extract import meta
from khabar.extract.html_tree import following, tag_of, text_of
from khabar.extract.lines import make_line
from khabar.extract.record import Image

_IMAGES = ("img", "amp-img")
_SOURCE_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "data-url")
# Figures, and caption elements outside them. Compiled once; the class is matched through the
# attribute axis, which libxml2 walks far faster than `//*[contains(@class, ...)]`.
_HOLDERS = etree.XPath(
    "//figure | //@class[contains(., 'caption') or contains(., 'Caption')]"
    "/parent::*[not(ancestor::figure)]"
)
_SKIPPED_AROUND = frozenset({"nav", "footer", "aside"})
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|photo-source", re.IGNORECASE)
_EDGES = " -–—|/،,:()[]"
_CAPTION_EDGES = " -–—|/،,:"
# The paragraph after a photo is found within this many elements, holds this many words, and
# is a paragraph rather than a container of them.
_MAX_LOOKAHEAD = 40
_MIN_NEXT_WORDS = 4
_MAX_NEXT_CHILDREN = 6
# A credit is short; a longer text in a figure is a caption or a paragraph.
_MAX_CREDIT_WORDS = 8


@dataclass(frozen=True)
class Figure:
    """A photo of the page: what it shows, and the opening of the paragraph that follows it."""

    image: Image
    next_text: str | None = None


def _next_text(figure: HtmlElement) -> str | None:
    """Return the text of the first paragraph after a figure, where the photo stands."""
    for element in following(figure, _MAX_LOOKAHEAD):
        if tag_of(element) in ("p", "div", "h2", "h3", "h4", "blockquote", "li"):
            text = text_of(element)
            if len(text.split()) >= _MIN_NEXT_WORDS and len(element) <= _MAX_NEXT_CHILDREN:
                return text
    return None


def image_source(img: HtmlElement, base: str | None) -> str | None:
    """Return the absolute address of an <img>, lazy-loading attributes included."""
    for attr in _SOURCE_ATTRS:
        value = str(img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base or "", value)
    return None


def same_image(a: str | None, b: str | None) -> bool:
    """Tell whether two image addresses name the same file, resized copies included."""
    if not a or not b:
        return False
    name_a = urlsplit(a).path.rsplit("/", 1)[-1]
    name_b = urlsplit(b).path.rsplit("/", 1)[-1]
    return a == b or (len(name_a) > 8 and name_a == name_b)


def _first_image(element: HtmlElement) -> HtmlElement | None:
    return next(element.iter(*_IMAGES), None)


def _credit_of(text: str) -> str | None:
    """Return the credit a short text gives ("صدر الصورة، Getty Images" -> "Getty Images")."""
    line = make_line(text)
    if line is None or line.words > _MAX_CREDIT_WORDS:
        return None
    found = meta.parse_credit(line)
    return found[1] if found is not None and found[0] is None else None


def _split_caption(text: str) -> tuple[str | None, str | None]:
    """Return (caption, credit) of a caption text, less its label and trailing credit."""
    line = make_line(text.strip(_CAPTION_EDGES))
    if line is None:
        return None, None
    text = meta.parse_caption_label(line) or line.text
    line = make_line(text)
    found = meta.parse_credit(line) if line is not None else None
    if found is None:
        return text or None, None
    return found[0], found[1]


def _clean_credit(text: str) -> str | None:
    """Return the credit a credit element gives, less its label ("صدر الصورة، ", "©")."""
    credit = _credit_of(text)
    if credit is None and 0 < len(text.split()) <= _MAX_CREDIT_WORDS:
        credit = text
    return credit.strip(_EDGES + "©") or None if credit else None


def _marked_credits(figure: HtmlElement, caption: HtmlElement | None) -> list[HtmlElement]:
    """Return the elements of a figure whose class names a credit ("photo-credit")."""
    return [
        e
        for e in figure.iter()
        if e is not figure and e is not caption and _CREDIT_CLASS.search(e.get("class") or "")
    ]


def _credit_elements(figure: HtmlElement, caption: HtmlElement | None) -> list[HtmlElement]:
    """Return a figure's credit elements: marked by class, else short texts that read as one."""
    marked = _marked_credits(figure, caption)
    if marked:
        return marked[:1]
    found: list[HtmlElement] = []
    for element in figure.iter():
        if element is figure or tag_of(element) in ("", *_IMAGES, "figcaption", "picture"):
            continue
        if caption is not None and (element is caption or caption in element.iterancestors()):
            continue
        if not found and _credit_of(text_of(element)) is not None:
            found.append(element)
    return found


def _read(figure: HtmlElement, caption: HtmlElement | None, base: str | None) -> Image:
    """Read a photo's caption, credit and address, and take the caption and credit out."""
    img = _first_image(figure)
    credit_elements = _credit_elements(figure, caption)
    credits = [_clean_credit(text_of(e)) for e in credit_elements]
    for element in credit_elements:
        element.drop_tree()
    caption_text, caption_credit = (None, None)
    if caption is not None:
        caption_text, caption_credit = _split_caption(text_of(caption))
        caption.drop_tree()
    return Image(
        caption=caption_text,
        credit=next((c for c in credits if c), None) or caption_credit,
        url=image_source(img, base) if img is not None else None,
        alt=((img.get("alt") or "").strip() or None) if img is not None else None,
    )


def _skipped(element: HtmlElement) -> bool:
    return any(tag_of(a) in _SKIPPED_AROUND for a in element.iterancestors())


def _holder_of(element: HtmlElement) -> tuple[HtmlElement, HtmlElement | None] | None:
    """Return the photo holder and caption a <figure> or caption element stands for, or None."""
    if element.tag == "figure":
        if _first_image(element) is None:
            return None
        return element, next(element.iter("figcaption"), None)
    if _first_image(element) is not None:
        return None  # a container: its caption element is read on its own
    holder = element.getparent()
    if holder is not None and _first_image(holder) is None:
        holder = holder.getparent()
    return (holder, element) if holder is not None and _first_image(holder) is not None else None


def read_figures(root: HtmlElement, base: str | None) -> list[Figure]:
    """Return the page's photos in order, removing their captions and credits from the page."""
    read: list[tuple[HtmlElement, Image]] = []
    for element in _HOLDERS(root):
        found = None if _skipped(element) else _holder_of(element)
        if found is not None and all(found[0] is not holder for holder, _ in read):
            read.append((found[0], _read(found[0], found[1], base)))
    # Where each photo stands is read once every caption is gone, so none reads as text.
    return [Figure(image, _next_text(holder)) for holder, image in read]


def lead_image(figures: list[Figure], og_image: str | None) -> Image | None:
    """Return the article's photo: the figure showing og:image, else the first, else og:image."""
    for figure in figures:
        if same_image(figure.image.url, og_image):
            return figure.image
    captioned = [f.image for f in figures if f.image.caption or f.image.credit]
    if captioned:
        return captioned[0]
    if og_image:
        return Image(url=og_image)
    return figures[0].image if figures else None
