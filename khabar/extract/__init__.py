"""Turn the bytes or text of one page, feed entry or wire item into an ExtractedArticle."""

from khabar.extract.record import Block, ExtractedArticle, Image, SiteChrome

__all__ = ["Block", "ExtractedArticle", "Image", "SiteChrome"]
