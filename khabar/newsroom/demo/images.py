"""Placeholder photos for the demo, drawn with Pillow so the demo needs no download."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "sand": ((222, 196, 150), (176, 120, 72), (250, 236, 210)),
    "sea": ((32, 92, 140), (12, 40, 78), (140, 200, 230)),
    "olive": ((120, 130, 70), (60, 70, 36), (210, 214, 160)),
    "night": ((28, 30, 52), (8, 8, 20), (240, 190, 90)),
    "rose": ((196, 96, 110), (110, 40, 60), (250, 210, 200)),
    "slate": ((96, 108, 122), (44, 52, 62), (210, 218, 226)),
}
SIZE = (1200, 675)


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, SIZE[1]))
    for y in range(SIZE[1]):
        t = y / (SIZE[1] - 1)
        column.putpixel(
            (0, y), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(SIZE)


def draw_placeholder(seed: str, palette: str) -> Image.Image:
    """Draw an abstract landscape-like picture; the same seed always gives the same picture."""
    top, bottom, light = PALETTES.get(palette, PALETTES["slate"])
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    img = _gradient(top, bottom)
    draw = ImageDraw.Draw(img, "RGBA")
    sun = (rng.randint(150, 1050), rng.randint(80, 260))
    radius = rng.randint(50, 110)
    draw.ellipse(
        [sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=(*light, 200)
    )
    for layer in range(4):
        base = 330 + layer * 80
        points = [(0, SIZE[1])]
        for x in range(0, SIZE[0] + 100, 100):
            points.append((x, base + rng.randint(-60, 60)))
        points.append((SIZE[0], SIZE[1]))
        shade = tuple(max(0, int(c * (0.75 - layer * 0.15))) for c in bottom)
        draw.polygon(points, fill=(*shade, 230))
    for _ in range(rng.randint(6, 14)):
        x = rng.randint(0, SIZE[0])
        w = rng.randint(18, 60)
        h = rng.randint(60, 240)
        draw.rectangle([x, SIZE[1] - h - 40, x + w, SIZE[1]], fill=(10, 10, 16, 120))
    return img.filter(ImageFilter.GaussianBlur(1.2))


def ensure_placeholder(folder: Path, name: str, palette: str) -> tuple[Path, int, int]:
    """Write the picture for `name` under `folder` unless it exists; return path and size."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jpg"
    if not path.exists():
        draw_placeholder(name, palette).save(
            path, "JPEG", quality=80, optimize=True, progressive=True
        )
    return path, SIZE[0], SIZE[1]
