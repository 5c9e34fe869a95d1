"""A contact sheet: the walls side by side at one height, each labelled (for preview and reports)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter

from signage.display.fonts import slide_font
from signage.display.qimage import from_qimage, to_qimage


def contact_sheet(walls: dict[str, np.ndarray], labels: dict[str, str], height: int = 540) -> np.ndarray:
    gap, label_h = 24, 56
    scaled = {}
    for name, canvas in walls.items():
        h, w = canvas.shape[:2]
        scaled[name] = (max(1, round(w * height / h)), height)
    width = gap + sum(w + gap for w, _ in scaled.values())
    sheet = QImage(width, height + label_h + 2 * gap, QImage.Format.Format_RGB32)
    sheet.fill(QColor("#2b2b2b"))
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    x = gap
    for name, canvas in walls.items():
        w, h = scaled[name]
        painter.drawImage(QRectF(x, gap, w, h), to_qimage(canvas))
        painter.setPen(QColor("#f0f0f0"))
        painter.setFont(slide_font(22, bold=True))
        painter.drawText(QRectF(x, gap + h + 6, w, 26), Qt.AlignmentFlag.AlignLeft, name)
        small = slide_font(16)
        painter.setFont(small)
        painter.setPen(QColor("#bbbbbb"))
        label = QFontMetrics(small).elidedText(labels.get(name, ""), Qt.TextElideMode.ElideMiddle, w)
        painter.drawText(QRectF(x, gap + h + 32, w, 22), Qt.AlignmentFlag.AlignLeft, label)
        x += w + gap
    painter.end()
    return from_qimage(sheet)
