"""Every error Khabar raises on purpose, in one hierarchy.

Messages are written for the person at the keyboard: they say what went wrong and what to do.
"""


class KhabarError(Exception):
    """Base of every error Khabar raises on purpose."""


class ExtractionError(KhabarError):
    """A page or file could not be read as an article."""


class EmptyInputError(ExtractionError):
    """The input holds no text at all."""


class BinaryInputError(ExtractionError):
    """The input is not text (an image, an archive, a binary file)."""


class NoArticleError(ExtractionError):
    """The input is text, but no article could be found in it."""


class ConfigurationError(KhabarError):
    """A setting or environment variable has a value Khabar cannot use."""


class ImageError(KhabarError):
    """A picture could not be read or resized; the Media row is left as it was."""
