"""A Korean TrueType file for Pillow and matplotlib (reports, contact sheets): no Qt needed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@lru_cache(maxsize=1)
def korean_font_file() -> Path | None:
    for name in CANDIDATES:
        path = Path(name)
        if path.is_file():
            return path
    return None


def pil_font(size: int):
    from PIL import ImageFont

    path = korean_font_file()
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size=size)
