"""Slides composed by us with Qt: background colour or image, title, body, logo.

Text is sized to fill the display legibly and broken at spaces only (see media/textwrap.py), so
the tall, narrow pillar gets more, shorter lines rather than words cut in half.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

from signage.config.models import Slide
from signage.display.fonts import slide_font
from signage.display.qimage import from_qimage, to_qimage
from signage.media.fit import fit_into
from signage.media.images import load_image
from signage.media.textwrap import longest_word_fits, wrap_words

BODY_RATIO = 0.55


@dataclass
class _Block:
    title_lines: list[str]
    body_lines: list[str]
    title_px: int
    body_px: int
    height: float


def _text_colour(slide: Slide, background: str) -> QColor:
    if slide.color:
        return QColor(slide.color)
    bg = QColor(background)
    luminance = 0.2126 * bg.redF() + 0.7152 * bg.greenF() + 0.0722 * bg.blueF()
    return QColor("#111111") if luminance > 0.6 else QColor("#ffffff")


def _layout(slide: Slide, width: float, height: float, max_title: int) -> _Block:
    """The largest title size (body scaled with it) whose wrapped text fits the box."""

    def attempt(px: int) -> _Block | None:
        tf, bf = slide_font(px, bold=True), slide_font(max(1, int(px * BODY_RATIO)))
        tm, bm = QFontMetricsF(tf), QFontMetricsF(bf)
        if not (longest_word_fits(slide.title, width, tm.horizontalAdvance)
                and longest_word_fits(slide.body, width, bm.horizontalAdvance)):
            return None
        tl = wrap_words(slide.title, width, tm.horizontalAdvance) if slide.title else []
        bl = wrap_words(slide.body, width, bm.horizontalAdvance) if slide.body else []
        gap = px * 0.6 if tl and bl else 0
        total = len(tl) * tm.lineSpacing() + gap + len(bl) * bm.lineSpacing()
        return _Block(tl, bl, px, int(px * BODY_RATIO), total) if total <= height else None

    lo, hi, best = 8, max(8, max_title), None
    while lo <= hi:
        mid = (lo + hi) // 2
        block = attempt(mid)
        if block:
            best, lo = block, mid + 1
        else:
            hi = mid - 1
    if best is None:  # even 8 px does not fit: break words as a last resort
        tf, bf = slide_font(8, bold=True), slide_font(8)
        tl = wrap_words(slide.title, width, QFontMetricsF(tf).horizontalAdvance) if slide.title else []
        bl = wrap_words(slide.body, width, QFontMetricsF(bf).horizontalAdvance) if slide.body else []
        best = _Block(tl, bl, 8, 8, 0)
    return best


def render_slide(slide: Slide, size: tuple[int, int], background: str, root: Path) -> np.ndarray:
    """The slide as a canvas of ``size``."""
    W, H = size
    image = QImage(W, H, QImage.Format.Format_RGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    keep = []
    if slide.image:
        photo = fit_into(load_image(_path(root, slide.image), size, "cover"), size, "cover", background)
        keep.append(photo)
        painter.drawImage(0, 0, to_qimage(photo))
        if slide.title or slide.body:
            painter.fillRect(0, 0, W, H, QColor(0, 0, 0, 110))  # keep text legible over a photo
    margin = 0.07 * min(W, H)
    box_top, box_bottom = margin, H - margin
    if slide.logo:
        logo = np.ascontiguousarray(load_image(_path(root, slide.logo)))
        lh, lw = logo.shape[:2]
        fmt = QImage.Format.Format_RGBA8888 if logo.shape[2] == 4 else QImage.Format.Format_RGB888
        keep.append(logo)
        scale = min(0.12 * H / lh, 0.5 * W / lw)
        target = QRectF((W - lw * scale) / 2, H - margin - lh * scale, lw * scale, lh * scale)
        painter.drawImage(target, QImage(logo.data, lw, lh, logo.strides[0], fmt))
        box_bottom = target.top() - margin * 0.5
    width, height = W - 2 * margin, box_bottom - box_top
    block = _layout(slide, width, height, max_title=int(min(W, H) * 0.16))
    colour = _text_colour(slide, background)
    painter.setPen(colour)
    y = box_top + (height - block.height) / 2
    for lines, px, bold in ((block.title_lines, block.title_px, True), (block.body_lines, block.body_px, False)):
        if not lines:
            continue
        font = slide_font(px, bold=bold)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        for line in lines:
            painter.drawText(QRectF(margin, y, width, metrics.lineSpacing()), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, line)
            y += metrics.lineSpacing()
        if bold and block.body_lines:
            y += block.title_px * 0.6
    painter.end()
    return from_qimage(image)


def _path(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path
