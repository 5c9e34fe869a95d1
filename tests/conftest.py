from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

# Qt's offscreen platform with four named screens (OPERATOR, HDMI-1, HDMI-2, DP-1); set before
# anything loads Qt.
SCREENS = Path(__file__).resolve().parent / "screens.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"

from signage.i18n import set_language  # noqa: E402 - after QT_QPA_PLATFORM

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read English messages unless they ask for Korean."""
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def hall_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped sample hall (config, playlists, assets)."""
    dest = tmp_path / "hall"
    dest.mkdir()
    shutil.copy(ROOT / "config.yaml", dest / "config.yaml")
    shutil.copytree(ROOT / "playlists", dest / "playlists")
    shutil.copytree(ROOT / "assets", dest / "assets")
    return dest


@pytest.fixture(autouse=True)
def no_leftover_threads():
    """Fail a test that leaves a decoder, writer or pool thread running."""
    before = set(threading.enumerate())
    yield
    deadline = __import__("time").monotonic() + 3
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not extra or __import__("time").monotonic() > deadline:
            break
        __import__("time").sleep(0.05)
    assert not extra, f"threads left running: {[t.name for t in extra]}"


@pytest.fixture(scope="session", autouse=True)
def one_qapplication():
    """One QApplication for the session, made first, so a command run in-process (``preview``
    makes a QGuiApplication) never leaves the console's widgets without a QApplication."""
    from PySide6.QtWidgets import QApplication

    yield QApplication.instance() or QApplication(["signage-tests"])
