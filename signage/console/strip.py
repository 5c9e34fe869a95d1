"""Today's timeline per wall as coloured bars, with the current time marked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from signage.display.fonts import slide_font

LABEL_W = 70  # the walls' names, left of the bars
COLOURS = {"default": "#3d6a99", "daypart": "#3c8c5a", "event": "#b5533c", "dark": "#222222"}


class TimelineStrip(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(90)
        self._slots: dict[str, list] = {}
        self._labels: dict[str, str] = {}
        self._start = self._end = self._now = None

    def set_data(self, slots: dict[str, list], start: dt.datetime, end: dt.datetime, now: dt.datetime,
                 labels: dict[str, str] | None = None) -> None:
        """``slots`` by wall id; ``labels`` are the walls' names as people read them (전면, …).
        Redrawn when the data changed or the now line moved a pixel (a minute or so a pixel)."""
        labels = labels or {}
        moved = self._start is None or self._now_x(now, start, end) != self._now_x(self._now, self._start, self._end)
        if moved or (slots, start, end, labels) != (self._slots, self._start, self._end, self._labels):
            self.update()
        self._slots, self._start, self._end, self._now = slots, start, end, now
        self._labels = labels

    def _now_x(self, now: dt.datetime, start: dt.datetime, end: dt.datetime) -> int:
        return int(LABEL_W + self._bar_w() * (now - start).total_seconds() / (end - start).total_seconds())

    def _bar_w(self) -> int:
        return self.width() - LABEL_W - 4

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self._slots or self._start is None:
            return
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#2b2b2b"))
            label_w, w = LABEL_W, self._bar_w()
            rows = len(self._slots)
            row_h = max(14, (self.height() - 18) / max(rows, 1))
            span = (self._end - self._start).total_seconds()
            painter.setFont(slide_font(12))
            for r, (name, slots) in enumerate(self._slots.items()):
                y = r * row_h
                painter.setPen(QColor("#dddddd"))
                painter.drawText(QRectF(0, y, label_w - 4, row_h), Qt.AlignmentFlag.AlignVCenter,
                                 self._labels.get(name, name))
                for slot in slots:
                    x0 = label_w + w * max(0.0, (slot.start - self._start).total_seconds()) / span
                    x1 = label_w + w * min(span, (slot.end - self._start).total_seconds()) / span
                    painter.fillRect(QRectF(x0, y + 2, max(1.0, x1 - x0 - 1), row_h - 4),
                                     QColor(COLOURS.get(slot.source, "#555555")))
            for hour in range(0, 25, 3):
                x = label_w + w * hour / 24
                painter.setPen(QColor("#888888"))
                painter.drawText(QRectF(x - 15, rows * row_h, 30, 16), Qt.AlignmentFlag.AlignHCenter, f"{hour:02d}")
            x = self._now_x(self._now, self._start, self._end)
            painter.setPen(QColor("#ffdd00"))
            painter.drawLine(x, 0, x, int(rows * row_h))
        finally:
            painter.end()
