"""Getting a Qt application: offscreen when there is no display server or when asked to."""

from __future__ import annotations

import os


def has_display_server() -> bool:
    """A screen to show windows on: X11, Wayland, or a Qt platform the user chose explicitly
    (``QT_QPA_PLATFORM=offscreen:configfile=…`` fakes named screens for tests and the bench)."""
    return bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def ensure_app(headless: bool, widgets: bool = False):
    """The QGuiApplication (or QApplication); ``headless`` selects the offscreen platform."""
    if headless and not os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if widgets:
        from PySide6.QtWidgets import QApplication

        return QApplication.instance() or QApplication(["signage"])
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["signage"])
