"""One wall's box on the console: its picture, what it shows now and next, what the operator put
on it, and its buttons. A wall whose screen is missing says so instead of showing a picture."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import PurePath

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from signage.display.qimage import thumbnail_step, to_thumbnail
from signage.i18n import kind_label, t
from signage.media.bgra import BgraWriter, VideoPicture
from signage.playback.holds import HoldKind

THUMB_W = 300
BUTTONS = ("prev", "next", *(kind.value for kind in HoldKind.simple_commands()), "resume")
MISSING_STYLE = "background: #3a0d10; color: #ff8a8a; font-weight: bold; font-size: 16px"
THUMB_STYLE = "background: #000"


def item_text(item: dict | None, mode: str) -> str:
    """What a wall shows, as people read it: 사진 hall.jpg, PDF intro.pdf 2쪽, 꺼짐, …"""
    if item is None:
        return t(HoldKind.FREEZE.message_key) if mode == "freeze" else kind_label(mode)
    name = PurePath(item["path"]).name if item.get("path") else ""
    page = " " + t("ctl_page", page=item["page"]) if item.get("page") else ""
    return f"{kind_label(item['type'])} {name}{page}".strip()


def operator_text(hold: dict | None, deck: dict | None) -> str:
    parts = []
    if hold:
        text = t(HoldKind(hold["kind"]).message_key)
        if hold.get("text"):
            text += f" — {hold['text']}"
        if hold.get("until"):
            text += f" (~{hold['until'][11:16]})"
        parts.append(text)
    if deck:
        name = PurePath(deck["deck"]).name
        text = f"{t(HoldKind.DECK.message_key)} " + t("console_deck_page", name=name, page=deck["page"],
                                                        pages=deck.get("pages") or "?")
        if deck.get("until"):
            text += f" (~{deck['until'][11:16]})"
        parts.append(text)
    return f"{t('source_operator')}: " + " · ".join(parts) if parts else ""


class WallBox(QGroupBox):
    def __init__(self, display: str, act: Callable[[str, list[str]], None]):
        super().__init__()
        self.display = display
        lay = QVBoxLayout(self)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB_W, THUMB_W * 9 // 16)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setStyleSheet(THUMB_STYLE)
        self.now, self.next, self.op = QLabel(), QLabel(), QLabel()
        for label in (self.now, self.next, self.op):
            label.setWordWrap(True)
        self.op.setStyleSheet("color: #d0303a; font-weight: bold")
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for action in BUTTONS:
            b = QPushButton()
            b.clicked.connect(lambda _=False, a=action: act(a, [display]))
            row.addWidget(b)
            self.buttons[action] = b
        for w in (self.thumb, self.now, self.next, self.op):
            lay.addWidget(w)
        lay.addLayout(row)
        self.missing: str | None = None
        # the canvas the thumbnail was made from (a still stays the same object); a weak reference,
        # since holding a video frame would keep its pooled buffer from FFmpeg (8 MB a wall)
        self._shown: weakref.ref | None = None
        self._writer = BgraWriter()  # converts the sampled video frames (the same size each time)

    def retranslate(self, title: str, labels: dict[str, str]) -> None:
        self.setTitle(title)
        for action, b in self.buttons.items():
            b.setText(labels[action])

    def show_screen(self, missing: str | None, canvas) -> None:
        """The wall's picture (a canvas or a ``VideoPicture``), or 화면 없음: HDMI-1 when its
        screen is missing."""
        was, self.missing = self.missing, missing
        if missing:
            self._shown = None
            self.thumb.setPixmap(QPixmap())
            self.thumb.setText(t("console_screen_missing", screen=missing))
            if not was:
                self.thumb.setStyleSheet(MISSING_STYLE)
            return
        if was:  # a style sheet set again re-polishes the widget, even the same one
            self.thumb.setText("")
            self.thumb.setStyleSheet(THUMB_STYLE)
        if canvas is not None and (self._shown is None or self._shown() is not canvas):
            self._shown = weakref.ref(canvas)
            size = self.thumb.size()
            if isinstance(canvas, VideoPicture):  # a video frame the window converts itself:
                # only the pixels the thumbnail samples are converted (not 8 MB twice a second)
                step = thumbnail_step((canvas.shape[1], canvas.shape[0]), size.width(), size.height())
                image = to_thumbnail(canvas.small_canvas(step, self._writer), size.width(), size.height(), step=step)
            else:
                image = to_thumbnail(canvas, size.width(), size.height())
            self.thumb.setPixmap(QPixmap.fromImage(image))

    def show_status(self, info: dict, dark_name: str) -> None:
        source = t("source_" + info["source"]) if info["source"] else "—"
        self.now.setText(f"{t('console_now')}: {item_text(info['item'], info['mode'])} · "
                         f"{info['playlist'] or '—'} ({source}" + (f" · {info['name']}" if info["name"] else "") + ")")
        nxt, item = info["next"], info["next_item"]
        parts = []
        if item:
            parts.append(f"{item['start'][11:19]} {item_text(item['item'], item['mode'])}")
        if nxt:
            parts.append(f"{nxt['start'][11:16]} {nxt['playlist'] or dark_name} ({t('source_' + nxt['source'])})")
        self.next.setText(f"{t('console_next')}: " + (" · ".join(parts) or "—"))
        self.op.setText(operator_text(info["hold"], info["deck"]))
