"""Where the console's deck dialogs open, and asking for a deck or a folder of photos."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from signage.i18n import t

# where people keep a talk they were sent: the documents folder, the desktop, else home
PLACES = ("Documents", "문서", "바탕화면", "Desktop")


def start_folder(home: Path | None = None) -> Path:
    """The folder a deck dialog opens in: ~/Documents (or 문서, 바탕화면, Desktop) when present,
    else the home folder."""
    home = home or Path.home()
    return next((home / p for p in PLACES if (home / p).is_dir()), home)


def ask_deck(parent: QWidget, folder: Path) -> str:
    """A PDF or a presentation the operator picks; "" when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, t("console_open_deck"), str(folder), t("console_deck_files"))
    return path


def ask_photos(parent: QWidget, folder: Path) -> str:
    """A folder of photos the operator picks; "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, t("console_open_photos"), str(folder))
