"""Responsive images: WebP renditions of a Media's picture, and the srcset/sizes that use them.

Renditions are made once, when a picture is stored (the admin, the demo, `khabar renditions`),
never while a reader waits and never on the ingest path: a Media with only an external url has
none, and the site shows that url as it is.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.encoding import filepath_to_uri
from PIL import Image, ImageOps, UnidentifiedImageError

from khabar.errors import ImageError
from khabar.newsroom.models import Media, storage_url

WIDTHS = (320, 640, 960, 1280)
FORMAT = "WEBP"
QUALITY = 80
FOLDER = "renditions"

# What the layout gives an image at each breakpoint of site.css, so the browser can pick a
# rendition before the stylesheet has loaded: the article column, a card in a 4/2/1-column grid,
# the top story's wide card, and a card in the two-column "related" grid beside an article.
SIZES = {
    "hero": "(max-width: 1000px) calc(100vw - 32px), 850px",
    "big": "(max-width: 1000px) calc(100vw - 32px), 790px",
    "card": "(max-width: 560px) calc(100vw - 32px), (max-width: 1000px) 50vw, 300px",
    "compact": "(max-width: 560px) calc(100vw - 32px), (max-width: 1000px) 50vw, 420px",
}
DEFAULT_SIZE = (1200, 675)
MEMO_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Picture:
    """What an <img> element needs: src, srcset, sizes and the intrinsic width and height."""

    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str


def target_widths(original_width: int, widths: Iterable[int] = WIDTHS) -> list[int]:
    """The rendition widths for a picture: no upscaling, and the full width always offered."""
    chosen = sorted({w for w in widths if w < original_width})
    if original_width not in chosen:
        # The widest rendition is the original's own width (e.g. 1200 for a 1200 px photo), so
        # a wide screen still gets a WebP and the original is only the fallback src.
        chosen.append(min(original_width, max(widths)))
    return sorted(set(chosen))


Encoded = list[tuple[int, int, bytes]]  # (width, height, WebP bytes) of each rendition


class _Memo:
    """The renditions of the pictures encoded last, found by the picture's content hash.

    The demo (and every test that loads it) stores the same drawn pictures again and again;
    encoding four WebP sizes is most of that cost. Bounded by bytes, so it stays small.
    """

    def __init__(self, limit: int = MEMO_BYTES) -> None:
        self.limit = limit
        self.items: OrderedDict[tuple[str, tuple[int, ...]], tuple[tuple[int, int], Encoded]]
        self.items = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, tuple[int, ...]]) -> tuple[tuple[int, int], Encoded] | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple[str, tuple[int, ...]], value: tuple[tuple[int, int], Encoded]) -> None:
        cost = sum(len(data) for _, _, data in value[1])
        with self.lock:
            if cost > self.limit or key in self.items:
                return
            self.items[key] = value
            self.size += cost
            while self.size > self.limit:
                _, (_, old) = self.items.popitem(last=False)
                self.size -= sum(len(data) for _, _, data in old)


_memo = _Memo()


def _read(media: Media) -> bytes:
    try:
        # Checked before reading, so a huge upload is refused without filling the memory.
        if media.image.size > MAX_FILE_BYTES:
            raise ImageError(
                f"media #{media.pk}: {media.image.name} is {media.image.size} bytes, more than "
                f"{MAX_FILE_BYTES}; upload a smaller picture"
            )
        with media.image.open("rb") as fh:
            return bytes(fh.read())
    except OSError as exc:
        raise ImageError(
            f"media #{media.pk}: cannot read {media.image.name} ({exc}); upload the picture again"
        ) from exc


def _open(media: Media, data: bytes) -> Image.Image:
    """Decode the stored picture, refusing anything Pillow cannot decode or that is too big."""
    name = media.image.name
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 1x and 2x its limit; the check below makes that an error
            # with a message an editor can act on, so the warning would only repeat it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
        # Image.open reads only the header: check the pixel count before decoding anything, so
        # a small file that unpacks into gigabytes (a decompression bomb) is never decoded.
        limit = Image.MAX_IMAGE_PIXELS
        if limit is not None and img.width * img.height > limit:
            raise ImageError(
                f"media #{media.pk}: {name} is {img.width}×{img.height} pixels, more than the "
                f"{limit} Pillow allows (Image.MAX_IMAGE_PIXELS); upload a smaller picture"
            )
        img.load()
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:  # over twice the limit: Pillow refuses to open
        raise ImageError(
            f"media #{media.pk}: {name} is too big to decode safely ({exc}); the limit is "
            "Image.MAX_IMAGE_PIXELS: upload a smaller picture"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageError(
            f"media #{media.pk}: {name} is not a readable picture ({exc}); "
            "upload a JPEG, PNG or WebP file"
        ) from exc
    img = ImageOps.exif_transpose(img)  # phones store portrait photos sideways plus a flag
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
    return img


def _encode(img: Image.Image, width: int) -> tuple[bytes, int]:
    height = max(1, round(img.height * width / img.width))
    resized = img if width == img.width else img.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    resized.save(out, FORMAT, quality=QUALITY, method=4)
    return out.getvalue(), height


def _encode_all(media: Media, widths: tuple[int, ...]) -> tuple[tuple[int, int], Encoded]:
    """The picture's size and its WebP renditions, from the memo when it was just encoded."""
    data = _read(media)
    key = (hashlib.sha256(data).hexdigest(), widths)
    found = _memo.get(key)
    if found is not None:
        return found
    img = _open(media, data)
    encoded: Encoded = []
    for width in target_widths(img.width, widths):
        try:
            webp, height = _encode(img, width)
        except (OSError, ValueError) as exc:
            raise ImageError(
                f"media #{media.pk}: cannot write a {width} px WebP of {media.image.name} ({exc})"
            ) from exc
        encoded.append((width, height, webp))
    _memo.put(key, (img.size, encoded))
    return img.size, encoded


def _digest(media: Media) -> str:
    # Django's storage never overwrites a file: a new upload gets a new name. So renditions
    # named after the picture's name change with the picture, a cache that keeps /media/ files
    # for long never serves an old one, and a page can tell stale renditions apart without I/O.
    return hashlib.sha256(media.image.name.encode()).hexdigest()[:10]


def _current(media: Media) -> list[dict[str, Any]]:
    """The renditions made from the picture the row holds now (none after a failed remake)."""
    prefix = f"{_digest(media)}-"
    return [r for r in media.renditions or [] if r["path"].rsplit("/", 1)[-1].startswith(prefix)]


def make_renditions(
    media: Media, widths: Iterable[int] = WIDTHS, storage: Storage | None = None
) -> list[dict[str, Any]]:
    """Write WebP renditions of `media.image` and record them (and its size) on the row.

    Every rendition is encoded in memory before the first is written, so a bad picture stores
    nothing; an error while writing removes what was written. Raises ImageError.
    """
    if not media.image:
        return []
    storage = storage or default_storage
    (full_width, full_height), encoded = _encode_all(media, tuple(widths))
    digest = _digest(media)
    planned: list[tuple[dict[str, Any], bytes]] = [
        ({"width": w, "height": h, "path": f"{FOLDER}/{media.pk}/{digest}-{w}.webp"}, data)
        for w, h, data in encoded
    ]
    written: list[str] = []
    try:
        for entry, data in planned:
            if storage.exists(entry["path"]):
                storage.delete(entry["path"])  # same name means same picture: replace it
            written.append(storage.save(entry["path"], ContentFile(data)))
    except OSError as exc:
        for path in written:
            storage.delete(path)
        raise ImageError(f"media #{media.pk}: cannot store renditions ({exc})") from exc
    renditions = [entry for entry, _ in planned]
    for entry, path in zip(renditions, written, strict=True):
        entry["path"] = path  # the storage may have chosen another name
    old = {r.get("path") for r in media.renditions or []} - set(written)
    media.renditions = renditions
    media.width, media.height = full_width, full_height
    media.save(update_fields=["renditions", "width", "height"])
    for path in old:
        if path and storage.exists(path):
            storage.delete(path)
    return renditions


def needs_renditions(media: Media, storage: Storage | None = None) -> bool:
    """True when a stored picture has no renditions, or they are for another file or missing."""
    if not media.image:
        return False
    current = _current(media)
    if not current or len(current) != len(media.renditions):
        return True
    storage = storage or default_storage
    return not all(storage.exists(r["path"]) for r in current)


def ensure_renditions(media: Media, storage: Storage | None = None) -> bool:
    """Make renditions when they are missing or stale; return True when some were made."""
    if not needs_renditions(media, storage):
        return False
    make_renditions(media, storage=storage)
    return True


def srcset(media: Media, storage: Storage | None = None) -> str:
    """The srcset value for a Media: each rendition's address and width, narrowest first."""
    storage = storage or default_storage
    entries = tuple(sorted((r["width"], r["path"]) for r in _current(media)))
    if isinstance(storage, FileSystemStorage) and not any(p.startswith("/") for _, p in entries):
        return _local_srcset(storage.base_url, entries)
    return ", ".join(f"{storage.url(path)} {width}w" for width, path in entries)


@lru_cache(maxsize=4096)
def _local_srcset(base_url: str, entries: tuple[tuple[int, str], ...]) -> str:
    # Quoting four paths for every card of every page: the same few pictures, again and again.
    return ", ".join(f"{_under(base_url, path)} {width}w" for width, path in entries)


def _under(base_url: str, path: str) -> str:
    return f"{base_url}{filepath_to_uri(path)}"


def _url(storage: Storage, path: str) -> str:
    return storage_url(storage, path)


def picture(media: Media, size: str = "card", storage: Storage | None = None) -> Picture:
    """Everything an <img> needs for `media` laid out as `size` (a key of SIZES)."""
    width, height = media.width or DEFAULT_SIZE[0], media.height or DEFAULT_SIZE[1]
    candidates = srcset(media, storage) if media.image else ""
    return Picture(
        src=media.src,
        srcset=candidates,
        sizes=SIZES.get(size, SIZES["card"]) if candidates else "",
        width=width,
        height=height,
        alt=media.alt or media.caption,
    )


def poster_url(media: Media, target: int = 960, storage: Storage | None = None) -> str:
    """One address for a <video poster>, which takes no srcset: the rendition nearest `target`."""
    storage = storage or default_storage
    current = _current(media) if media.image else []
    if not current:
        return media.src
    best = min(current, key=lambda r: abs(r["width"] - target))
    return str(storage.url(best["path"]))
