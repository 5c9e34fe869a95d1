"""A frameless output window: fullscreen on its screen, or at exactly its region of one (an LED
sending card's spanned canvas); paints the wall's canvas 1:1 at its top-left.

A ``VideoPicture`` (a clip's frame at the wall's own size) is converted from YUV straight into
the window's backing store when it paints, instead of being converted into a canvas that the
paint then copies: one pass over 8 MB a frame instead of two (``signage.media.bgra``). A backing
store the converter cannot write (another pixel format, scaled for a high-DPI screen, smaller
than the picture) gets the canvas. A clip that needs fitting (a ``FittedPicture``) is scaled
and converted in one pass into its rectangle of the backing store, the bars around it filled
(``signage.media.bgrafit``).
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QRasterWindow, QScreen

from signage.display.qimage import to_qimage
from signage.i18n import t
from signage.media.bgra import BgraWriter, VideoPicture, as_canvas
from signage.media.bgrafit import FittedPicture, FitWriter

log = logging.getLogger("signage.player")

QWINDOWSIZE_MAX = (1 << 24) - 1  # Qt's QWINDOWSIZE_MAX: no maximum size
# backing stores B, G, R, 255 pixels can be written into as they are (RGB32's fourth byte is
# ignored, 255 is opaque in the others)
WRITABLE = (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32, QImage.Format.Format_ARGB32_Premultiplied)


def key_name(event) -> str:
    """Qt key event → the names in control/keys.py (PageDown, Space, B, Period, F5, Escape, …)."""
    key = event.key()
    for name in ("PageDown", "PageUp", "Left", "Right", "Up", "Down", "Space", "Return", "Enter",
                 "Backspace", "F5", "Escape", "Period", "B"):
        if key == getattr(Qt.Key, f"Key_{name}"):
            return name
    return event.text() or str(key)


class OutputWindow(QRasterWindow):
    key_pressed = Signal(str)

    def __init__(self, display: str, size: tuple[int, int]):
        super().__init__()
        self.display = display
        self.size_px = size
        self._canvas: np.ndarray | VideoPicture | None = None
        self._image = None
        self._writer: BgraWriter | bool | None = None  # False: writing failed once, canvases from then on
        self._fit_writer: FitWriter | bool | None = None  # the same for frames scaled into their place
        self.direct_paints = 0  # paints that converted a video frame straight into the backing store
        self._bars_at: tuple | None = None  # the layout whose bars the backing store holds (fitted frames)
        self.wanted: QScreen | None = None
        self.paints = 0
        self.setTitle(f"signage: {display}")
        self.setFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.screenChanged.connect(self._screen_changed)

    def present(self, canvas: np.ndarray | VideoPicture) -> None:
        self._canvas = canvas  # keep the pixels alive as long as the QImage over them
        self._image = None if isinstance(canvas, VideoPicture) else to_qimage(canvas)
        if self.isVisible():
            self.update()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.key_pressed.emit(key_name(event))

    def frame(self) -> np.ndarray | None:
        return as_canvas(self._canvas)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        bars_at, self._bars_at = self._bars_at, None  # kept only by a fitted frame written now
        try:
            picture = self._canvas
            if picture is None:
                painter.fillRect(0, 0, self.width(), self.height(), QColor("black"))
            else:
                if not (isinstance(picture, VideoPicture) and self._write(painter, picture, bars_at)):
                    if self._image is None:
                        self._image = to_qimage(as_canvas(picture))
                    painter.drawImage(0, 0, self._image)  # 1:1, never rescaled
                w, h = self.size_px
                if self.width() > w:
                    painter.fillRect(w, 0, self.width() - w, self.height(), QColor("black"))
                if self.height() > h:
                    painter.fillRect(0, h, self.width(), self.height() - h, QColor("black"))
        finally:
            painter.end()
        self.paints += 1

    def _write(self, painter: QPainter, picture: VideoPicture, bars_at: tuple | None = None) -> bool:
        """Convert ``picture`` into the backing store at the top-left (a ``FittedPicture``: scaled
        into its place on the wall, bars filled unless the store still holds them: the same layout
        as the paint just before, in the same opaque memory); False when it cannot be written
        there (then the canvas is painted instead)."""
        # A raster window's painter paints straight into the backing store's image; starting it
        # made that image's pixels its own (the raster engine detaches it), so they are written
        # here through constBits, which does not detach again.
        store = painter.paintEngine().paintDevice()
        fitted = isinstance(picture, FittedPicture)
        w, h = picture.size if fitted else (picture.frame.width, picture.frame.height)
        writer = self._fit_writer if fitted else self._writer
        if writer is False or (not isinstance(store, QImage) or store.format() not in WRITABLE or store.devicePixelRatio() != 1
                               or store.width() < w or store.height() < h):
            return False
        if writer is None:
            writer = FitWriter() if fitted else BgraWriter()
        address = np.frombuffer(store.constBits(), np.uint8, count=1).ctypes.data
        try:
            if fitted:
                layout = (address, store.bytesPerLine(), store.width(), store.height(), picture.size,
                          picture.fit, picture.background, picture.frame.width, picture.frame.height)
                writer.write(picture.frame, picture.size, picture.fit, picture.background, address,
                             store.bytesPerLine(), store.sizeInBytes(),
                             bars=layout != bars_at or store.hasAlphaChannel())  # Qt clears a store with alpha
            else:
                writer.write(picture.frame, address, store.bytesPerLine())
        except (RuntimeError, ValueError) as exc:  # the canvas is painted over whatever it wrote
            log.warning(t("pl_fit_failed" if fitted else "pl_direct_failed", wall=self.display, error=exc))
            writer = False  # from now on (logged once)
        if fitted:
            self._fit_writer = writer
        else:
            self._writer = writer
        if writer is False:
            return False
        if fitted:
            self._bars_at = layout
        self.direct_paints += 1
        return True

    def place_on(self, screen: QScreen, rect: tuple[int, int, int, int] | None = None) -> None:
        """Show the window on ``screen``: fullscreen when ``rect`` (desktop coordinates) is the whole
        screen or not given, else a frameless window at exactly ``rect``, never resized to fill."""
        self.wanted = screen
        geometry = QRect(*rect) if rect is not None else screen.geometry()
        self.setScreen(screen)
        if geometry == screen.geometry():
            self.setMinimumSize(QSize(0, 0))
            self.setMaximumSize(QSize(QWINDOWSIZE_MAX, QWINDOWSIZE_MAX))
            self.setGeometry(geometry)
            self.showFullScreen()
            return
        if self.windowState() & Qt.WindowState.WindowFullScreen:
            self.showNormal()
        self.setMinimumSize(geometry.size())  # a window manager may not stretch it to the screen
        self.setMaximumSize(geometry.size())
        self.setGeometry(geometry)
        self.show()

    def withdraw(self) -> None:
        self.wanted = None
        self.hide()

    def _screen_changed(self, screen: QScreen | None) -> None:
        # Qt moves a window to another screen when its own goes away; a wall never shows elsewhere.
        if self.isVisible() and (screen is None or self.wanted is None or screen is not self.wanted):
            self.hide()


def qt_screens():
    """The screens Qt lists, as ``ScreenInfo`` (index = position in ``QGuiApplication.screens()``),
    and the ``QScreen`` of each index (names may repeat; indices do not)."""
    from signage.display.screens import ScreenInfo

    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    infos = []
    for i, s in enumerate(screens):
        g = s.geometry()
        infos.append(ScreenInfo(s.name(), i, g.x(), g.y(), g.width(), g.height(), primary=s is primary))
    return infos, dict(enumerate(screens))
