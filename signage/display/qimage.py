"""numpy canvas ↔ QImage without converting: a canvas (B, G, R, 255 bytes) is ``Format_RGB32``.

Thumbnails (the console's) are scaled from a decimated copy, not from the whole canvas: a smooth
scale of a 1080p canvas reads all 8 MB of it, and three walls twice a second came to 3% of the
player's CPU. Keeping every ``step``-th pixel down to twice the thumbnail's size, then scaling
smoothly, gives the same small picture from a ninth of the pixels.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

# Format_RGB32 is 0xffRRGGBB in native byte order: B, G, R, 255 in memory on little-endian machines.
assert sys.byteorder == "little", "canvases are laid out for little-endian machines"

_FORMATS = {3: QImage.Format.Format_RGB888, 4: QImage.Format.Format_RGB32}


def to_qimage(canvas: np.ndarray) -> QImage:
    """A QImage over ``canvas``'s memory (a canvas, or RGB pixels). Keep ``canvas`` alive while the
    QImage is used. Rows padded at their ends (video frames) are wrapped as they are, not copied."""
    h, w, channels = canvas.shape
    rows = _padded_rows(canvas)
    if rows is None:
        rows = canvas = np.ascontiguousarray(canvas)
    return QImage(rows.data, w, h, canvas.strides[0], _FORMATS[channels])


def _padded_rows(canvas: np.ndarray) -> np.ndarray | None:
    """The canvas's rows as one contiguous ``uint8[h, stride]`` block, when they are one."""
    if canvas.flags["C_CONTIGUOUS"]:
        return canvas
    h, w, channels = canvas.shape
    stride = canvas.strides[0]
    if canvas.strides[1:] != (channels, 1) or stride < w * channels:
        return None
    base = canvas.base
    while isinstance(base, np.ndarray) and not base.flags["C_CONTIGUOUS"]:
        base = base.base
    if not isinstance(base, np.ndarray):
        return None
    start = canvas.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    if start < 0 or start + stride * h > base.nbytes:
        return None  # the last row's padding is not part of the buffer
    return base.reshape(-1).view(np.uint8)[start : start + stride * h].reshape(h, stride)


def from_qimage(image: QImage) -> np.ndarray:
    """A canvas (a copy) of ``image``'s pixels."""
    if image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    arr = np.frombuffer(image.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return arr[:, : w * 4].reshape(h, w, 4).copy()


def thumbnail_step(size: tuple[int, int], width: int, height: int) -> int:
    """Every how many pixels a picture of ``size`` can be sampled and still give at least twice
    the pixels of its thumbnail fitting ``width`` x ``height``."""
    w, h = size
    return max(1, int(max(w / width, h / height) / 2))


def to_thumbnail(canvas: np.ndarray, width: int, height: int, step: int | None = None) -> QImage:
    """A smooth thumbnail of ``canvas`` (a copy) fitting ``width`` x ``height``, aspect kept;
    ``step``: the canvas was already sampled every ``step`` pixels (1: it is sampled here)."""
    h, w = canvas.shape[:2]
    step = thumbnail_step((w, h), width, height) if step is None else 1
    if step > 1:
        small = canvas[::step, ::step]
        if canvas.shape[2] == 4 and canvas.strides[1:] == (4, 1):
            # whole pixels at a time: a canvas row of B, G, R, 255 as uint32, every step-th one
            pixels = canvas.view(np.uint32)[::step, ::step]
            small = np.ascontiguousarray(pixels).view(np.uint8)
        canvas = np.ascontiguousarray(small)
    image = to_qimage(canvas)
    return image.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
