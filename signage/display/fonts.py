"""The Korean font for slides and the console: NanumGothic (Debian fonts-nanum) when installed."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from signage.i18n import t

log = logging.getLogger("signage.display")

PREFERRED = ("NanumSquare", "NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR")
FONT_DIRS = (Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/opentype/noto"))


@lru_cache(maxsize=1)
def korean_family() -> str | None:
    families = set(QFontDatabase.families())
    for name in PREFERRED:
        if name in families:
            return name
    for folder in FONT_DIRS:  # Qt may not have scanned these yet
        for path in sorted(folder.glob("*.tt[fc]")):
            QFontDatabase.addApplicationFont(str(path))
    families = set(QFontDatabase.families())
    for name in PREFERRED:
        if name in families:
            return name
    log.warning(t("pl_no_font"))
    return None


def slide_font(pixel_size: int, bold: bool = False) -> QFont:
    font = QFont(korean_family() or "Sans Serif")
    font.setPixelSize(max(1, int(pixel_size)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font
