"""Still images through Pillow: only expected formats, a pixel limit, EXIF orientation, odd modes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from signage.media import MediaError

FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")
MAX_PIXELS = 60_000_000  # 60 MP: an 8K still (33 MP) is fine, a 40000x40000 bomb is refused

# Our own limit (checked on the header, before any decoding, with the size in the message)
# replaces Pillow's warning-then-error heuristic.
Image.MAX_IMAGE_PIXELS = None

_SWAPS_AXES = {5, 6, 7, 8}  # EXIF orientations that turn the picture by 90 degrees


def open_checked(path: Path, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open the header only; refuse unknown formats and oversized images before decoding."""
    try:
        img = Image.open(path, formats=FORMATS)
    except UnidentifiedImageError as exc:
        raise MediaError(f"not an image we show ({type(exc).__name__}): {path.name}") from None
    except OSError as exc:
        raise MediaError(f"cannot open {path.name}: {exc}") from None
    w, h = img.size
    if w * h > max_pixels:
        img.close()
        raise MediaError(f"{path.name} is {w}x{h} ({w * h / 1e6:.0f} MP); the limit is {max_pixels / 1e6:.0f} MP")
    return img


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block must not refuse the picture
        return 1


def _to_8bit(img: Image.Image) -> Image.Image:
    """Modes Pillow's convert() gets wrong for us: 16/32-bit grey is scaled, not clipped."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        return Image.fromarray(np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    return img


def load_image(path: Path, target: tuple[int, int] | None = None, fit: str = "contain") -> np.ndarray:
    """RGB or RGBA ``uint8`` pixels (read-only), upright, decoded at reduced size when ``target`` allows."""
    img = open_checked(path)
    try:
        orientation = _orientation(img)
        if target and img.format == "JPEG":
            W, H = target
            iw, ih = img.size
            if orientation in _SWAPS_AXES:
                iw, ih = ih, iw
            scale = max(W / iw, H / ih) if fit == "cover" else min(W / iw, H / ih)
            if fit in ("contain", "cover") and scale < 1:
                need = (math.ceil(iw * scale), math.ceil(ih * scale))
                if orientation in _SWAPS_AXES:
                    need = need[::-1]
                img.draft("RGB", need)
        img.load()
        img = ImageOps.exif_transpose(img) or img
        img = _to_8bit(img)
        if img.mode == "P":
            img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        if img.mode in ("LA", "PA", "RGBa", "La"):
            img = img.convert("RGBA")
        elif img.mode not in ("RGB", "RGBA", "L"):
            img = img.convert("RGB")  # CMYK, YCbCr, 1, …
        if img.mode == "L":
            img = img.convert("RGB")
        return np.asarray(img)  # read-only pixels: nothing writes to them, and no second copy
    except MediaError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"cannot decode {path.name}: {exc}") from None
    finally:
        img.close()
