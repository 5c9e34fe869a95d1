"""numpy RGB canvas ↔ QImage (``Format_RGB888`` has the same bytes, so nothing is converted)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def to_qimage(canvas: np.ndarray) -> QImage:
    """A QImage over ``canvas``'s memory. Keep ``canvas`` alive while the QImage is used."""
    h, w = canvas.shape[:2]
    if not canvas.flags["C_CONTIGUOUS"]:
        canvas = np.ascontiguousarray(canvas)
    return QImage(canvas.data, w, h, canvas.strides[0], QImage.Format.Format_RGB888)


def from_qimage(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    arr = np.frombuffer(image.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return arr[:, : w * 3].reshape(h, w, 3).copy()
