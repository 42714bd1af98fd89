"""Turn the bytes or text of one page, feed entry or wire item into an ExtractedArticle."""

from khabar.extract.api import extract_bytes, extract_string
from khabar.extract.record import Block, ExtractedArticle, Image, IncomingItem, SiteChrome
from khabar.extract.textpage import event_dates_in_text, extract_text_page

__all__ = [
    "Block",
    "ExtractedArticle",
    "Image",
    "IncomingItem",
    "SiteChrome",
    "event_dates_in_text",
    "extract_bytes",
    "extract_string",
    "extract_text_page",
]
