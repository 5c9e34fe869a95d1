"""The Qt binding must not leak references: the player calls Qt hundreds of times a second for weeks.

PySide6 6.12.0 drops a reference to None on every call of a method that returns nothing; the
interpreter aborts ("deallocating None") after roughly 100,000 calls — minutes of playback.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter


def test_void_calls_do_not_drop_references_to_none(qapp):
    timer = QTimer()
    timer.setSingleShot(True)
    image = QImage(8, 8, QImage.Format.Format_RGB888)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        timer.setInterval(5)
        timer.start()
        timer.stop()
        painter = QPainter(image)
        painter.fillRect(0, 0, 4, 4, 0)
        painter.end()
    assert abs(sys.getrefcount(None) - before) < 2_000  # a per-call leak would be ~100,000
