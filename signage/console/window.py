"""The console window: what every wall shows now and next, and the operator's controls.

Layout is built in ``_build``; behaviour is the methods below it. Every control goes through the
player's ``Operations`` (the same code as the API and ``signage ctl``), tagged ``console``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from signage.console.strip import TimelineStrip
from signage.control.operations import CommandError
from signage.display.qimage import to_qimage
from signage.display.window import key_name
from signage.i18n import set_language, t
from signage.intake.store import pending
from signage.schedule import resolve

log = logging.getLogger("signage.console")

THUMB_W = 300
DURATIONS = ("", "5m", "10m", "30m", "1h")
BUTTONS = ("prev", "next", "black", "freeze", "logo", "resume")


class ConsoleWindow(QWidget):
    def __init__(self, player):
        super().__init__()
        self.player = player
        self.setWindowTitle(f"signage — {player.hall.name}")
        self.walls: dict[str, dict] = {}
        self._day = None
        self._today = None
        self._build()
        self.retranslate()
        self.timer = QTimer(self)
        self.timer.setInterval(500)  # thumbnails and labels twice a second
        self.timer.timeout.connect(self.refresh)

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold")
        self.clock = QLabel()
        self.language = QComboBox()
        self.language.addItems(["한국어", "English"])
        self.language.currentIndexChanged.connect(lambda i: self.set_language("en" if i else "ko"))
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        top.addWidget(self.language)
        root.addLayout(top)

        grid = QGridLayout()
        for col, name in enumerate(self.player.hall.displays):
            box = QGroupBox(name)
            lay = QVBoxLayout(box)
            thumb = QLabel()
            thumb.setFixedSize(THUMB_W, THUMB_W * 9 // 16)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thumb.setStyleSheet("background: #000")
            now, nxt, op = QLabel(), QLabel(), QLabel()
            for label in (now, nxt, op):
                label.setWordWrap(True)
            op.setStyleSheet("color: #d0303a; font-weight: bold")
            buttons = QHBoxLayout()
            wall = {"box": box, "thumb": thumb, "now": now, "next": nxt, "op": op, "buttons": {}}
            for action in BUTTONS:
                b = QPushButton()
                b.clicked.connect(lambda _=False, a=action, d=name: self.act(a, [d]))
                buttons.addWidget(b)
                wall["buttons"][action] = b
            for w in (thumb, now, nxt, op):
                lay.addWidget(w)
            lay.addLayout(buttons)
            grid.addWidget(box, 0, col)
            self.walls[name] = wall
        root.addLayout(grid)

        all_row = QHBoxLayout()
        self.all_label = QLabel()
        all_row.addWidget(self.all_label)
        self.all_buttons = {}
        for action in BUTTONS:
            b = QPushButton()
            b.clicked.connect(lambda _=False, a=action: self.act(a, None))
            all_row.addWidget(b)
            self.all_buttons[action] = b
        root.addLayout(all_row)

        self.strip = TimelineStrip()
        root.addWidget(self.strip)

        notice = QGroupBox()
        self.notice_box = notice
        nl = QHBoxLayout(notice)
        self.message = QLineEdit()
        nl.addWidget(self.message, 1)
        self.message_walls = {}
        for name in self.player.hall.displays:
            cb = QCheckBox(name)
            cb.setChecked(True)
            nl.addWidget(cb)
            self.message_walls[name] = cb
        self.message_for = QComboBox()
        nl.addWidget(self.message_for)
        self.show_button, self.clear_button = QPushButton(), QPushButton()
        self.show_button.clicked.connect(self.show_message)
        self.clear_button.clicked.connect(self.clear_message)
        nl.addWidget(self.show_button)
        nl.addWidget(self.clear_button)
        root.addWidget(notice)

        deck = QHBoxLayout()
        self.deck_wall = QComboBox()
        self.deck_wall.addItems(list(self.player.hall.displays))
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self.choose_deck)
        deck.addWidget(self.load_button)
        deck.addWidget(self.deck_wall)
        self.feedback = QLabel()
        deck.addWidget(self.feedback, 1)
        root.addLayout(deck)

        lists = QHBoxLayout()
        self.actions = QListWidget()
        self.actions.setMaximumHeight(110)
        lists.addWidget(self.actions, 3)
        self.queue_box = QGroupBox()
        ql = QVBoxLayout(self.queue_box)
        self.queue = QListWidget()
        self.queue.setMaximumHeight(90)
        ql.addWidget(self.queue)
        self.queue_box.setMaximumHeight(140)
        lists.addWidget(self.queue_box, 2, Qt.AlignmentFlag.AlignTop)
        lists.setAlignment(self.actions, Qt.AlignmentFlag.AlignBottom)
        root.addLayout(lists)
        root.addStretch(1)
        self._queue_at = 0.0

    def retranslate(self) -> None:
        self.title.setText(self.player.hall.name)
        labels = {a: t(f"btn_{a}") for a in BUTTONS}
        for wall in self.walls.values():
            for action, b in wall["buttons"].items():
                b.setText(labels[action])
        for action, b in self.all_buttons.items():
            b.setText(labels[action])
        self.all_label.setText(t("console_all"))
        self.notice_box.setTitle(t("console_notice"))
        self.message.setPlaceholderText(t("console_notice_hint"))
        current = self.message_for.currentIndex()
        self.message_for.clear()
        self.message_for.addItems([t("console_no_expiry"), *DURATIONS[1:]])
        self.message_for.setCurrentIndex(max(current, 0))
        self.show_button.setText(t("console_show"))
        self.clear_button.setText(t("console_clear"))
        self.load_button.setText(t("console_load"))
        self._queue_at = 0.0
        self.refresh()

    def set_language(self, lang: str) -> None:
        set_language(lang)
        self.retranslate()

    # ---- behaviour ---------------------------------------------------------------------------

    def act(self, action: str, displays) -> None:
        now = self.player.clock.now()
        ops = self.player.ops
        try:
            if action in ("next", "prev"):
                ops.step(1 if action == "next" else -1, displays, now, "console")
            elif action == "resume":
                ops.resume(displays, now, "console")
            else:
                ops.hold(action, displays, now, "console")
            self.feedback.setText("")
        except CommandError as exc:
            self.feedback.setText(str(exc))
        self.player.tick()
        self.refresh()

    def show_message(self) -> None:
        walls = [n for n, cb in self.message_walls.items() if cb.isChecked()]
        duration = DURATIONS[self.message_for.currentIndex()] or None
        try:
            if not walls:
                raise CommandError(400, t("console_pick_wall"))
            self.player.ops.message(self.message.text(), walls, self.player.clock.now(), "console", duration)
            self.feedback.setText("")
        except CommandError as exc:
            self.feedback.setText(str(exc))
        self.player.tick()
        self.refresh()

    def clear_message(self) -> None:
        now = self.player.clock.now()
        walls = [n for n in self.player.hall.displays
                 if (ov := self.player.operator.active(n, now)) is not None and ov.kind == "message"]
        if walls:
            self.player.ops.resume(walls, now, "console")
        self.player.tick()
        self.refresh()

    def choose_deck(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("console_load"), "", "Decks (*.pdf *.pptx *.ppt *.odp)")
        if path:
            self.load_deck(path, self.deck_wall.currentText())

    def load_deck(self, path: str, wall: str) -> None:
        try:
            result = self.player.ops.load(path, wall, self.player.clock.now(), "console")
            self.feedback.setText(t("console_loaded", pages=result["pages"], wall=wall))
        except CommandError as exc:
            self.feedback.setText(str(exc))
        self.player.tick()
        self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - the clicker works here too
        if self.message.hasFocus():
            return super().keyPressEvent(event)
        if self.player.handle_key(key_name(event), "console") is None:
            super().keyPressEvent(event)
        self.refresh()

    def refresh(self) -> None:
        now = self.player.clock.now()
        self.clock.setText(now.strftime("%Y-%m-%d %H:%M:%S"))
        status = self.player.ops.status(now)
        for name, wall in self.walls.items():
            info = status["displays"][name]
            canvas = self.player.latest.get(name)
            if canvas is not None:
                image: QImage = to_qimage(canvas).scaled(
                    wall["thumb"].size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
                wall["thumb"].setPixmap(QPixmap.fromImage(image))
            source = t("source_" + info["source"]) if info["source"] else "—"
            wall["now"].setText(f"{t('console_now')}: {info['label']} · {info['playlist'] or '—'} ({source}"
                                + (f" · {info['name']}" if info["name"] else "") + ")")
            nxt, item = info["next"], info["next_item"]
            parts = []
            if item:
                parts.append(f"{item['start'][11:19]} {item['label']}")
            if nxt:
                parts.append(f"{nxt['start'][11:16]} {nxt['playlist'] or t('source_dark')} ({t('source_' + nxt['source'])})")
            wall["next"].setText(f"{t('console_next')}: " + (" · ".join(parts) or "—"))
            op = info["operator"]
            wall["op"].setText(
                f"{t('source_operator')}: {t('btn_' + op['kind']) if op['kind'] in BUTTONS else op['kind']}"
                + (f" — {op['text']}" if op.get("text") else "")
                + (f" (~{op['until'][11:16]})" if op.get("until") else "") if op else "")
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self._day != (day, self.player.hall):
            self._day = (day, self.player.hall)
            self._today = resolve(self.player.hall.config, day, day + dt.timedelta(days=1))
        self.strip.set_data(self._today.by_display, day, day + dt.timedelta(days=1), now)
        self.actions.clear()
        for a in reversed(status["actions"][-10:]):
            self.actions.addItem(f"{a['when'][11:19]}  {a['by']}  {a['action']}  {','.join(a['displays'])}  {a['detail']}")
        self.refresh_queue()

    def refresh_queue(self, force: bool = False) -> None:
        """The tenant review queue (read from the intake database every few seconds)."""
        if not force and time.monotonic() - self._queue_at < 5:
            return
        self._queue_at = time.monotonic()
        rows = pending(self.player.intake_db)
        self.queue_box.setTitle(t("console_queue", count=len(rows)))
        self.queue.clear()
        for sid, tenant, filename, kind, duration, _received in rows:
            length = f" {duration:.0f}s" if duration else ""
            self.queue.addItem(f"#{sid} {tenant} · {filename} ({kind}{length})")
        if rows:
            self.queue.addItem(t("console_queue_hint"))
