"""The console window: what every wall shows now and next, and the operator's controls.

Layout is built in ``_build``; behaviour is the methods below it. Every control goes through the
player's ``Operations`` (the same code as the API and ``signage ctl``), tagged ``console``. The
window follows the live model (``player.live``): it subscribes to its changes and redraws, and
reads the walls' latest pictures for the thumbnails.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from signage.console import decks
from signage.console.queue import ReviewQueue
from signage.console.sound import SoundBox
from signage.console.strip import TimelineStrip
from signage.console.walls import BUTTONS, WallBox
from signage.control.operations import CommandError
from signage.display.window import key_name
from signage.i18n import set_language, t
from signage.live import Change, DeckLoad, LoadState
from signage.live.words import action_text, by_text
from signage.schedule import resolve

log = logging.getLogger("signage.console")

DURATIONS = ("", "5m", "10m", "30m", "1h")
BANNER_STYLE = "background: #b35c00; color: white; font-weight: bold; font-size: 16px; padding: 6px"




class ConsoleWindow(QWidget):
    def __init__(self, player):
        super().__init__()
        self.player = player
        self.live = player.live
        self.setWindowTitle(f"signage — {self.live.hall.name}")
        self.walls: dict[str, WallBox] = {}
        self._day = None
        self._today = None
        self._folder = decks.start_folder()
        self._refresh_due = False
        self._action_lines: list[str] | None = None
        self._build()
        self.retranslate()
        self.timer = QTimer(self)
        self.timer.setInterval(500)  # thumbnails and the clock twice a second
        self.timer.timeout.connect(self.refresh)
        unsubscribe = self.live.subscribe(self._changed)
        self.destroyed.connect(lambda *_: unsubscribe())
        self._unsubscribe = unsubscribe

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        hall = self.live.hall
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold")
        self.clicker = QLabel()
        self.clock = QLabel()
        self.language = QComboBox()
        self.language.addItems(["한국어", "English"])
        self.language.currentIndexChanged.connect(lambda i: self.set_language("en" if i else "ko"))
        top.addWidget(self.title, 1)
        top.addWidget(self.clicker)
        top.addWidget(self.clock)
        top.addWidget(self.language)
        root.addLayout(top)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setVisible(False)
        root.addWidget(self.banner)

        grid = QGridLayout()
        for col, name in enumerate(hall.displays):
            self.walls[name] = WallBox(name, self.act)
            grid.addWidget(self.walls[name], 0, col)
        root.addLayout(grid)

        all_row = QHBoxLayout()
        self.all_label = QLabel()
        all_row.addWidget(self.all_label)
        self.all_buttons = {}
        for action in BUTTONS:
            b = QPushButton()
            b.clicked.connect(lambda _=False, a=action: self.act(a, "all"))
            all_row.addWidget(b)
            self.all_buttons[action] = b
        root.addLayout(all_row)

        self.sound = SoundBox(self.set_sound)  # sound: hidden without an audio: block
        root.addWidget(self.sound)

        self.strip = TimelineStrip()
        root.addWidget(self.strip)

        notice = QGroupBox()
        self.notice_box = notice
        nl = QHBoxLayout(notice)
        self.message = QLineEdit()
        nl.addWidget(self.message, 1)
        self.message_walls = {}
        for name in hall.displays:
            cb = QCheckBox()
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
        for name in hall.displays:
            self.deck_wall.addItem(name, name)
        self.load_button, self.photos_button = QPushButton(), QPushButton()
        self.load_button.clicked.connect(self.choose_deck)
        self.photos_button.clicked.connect(self.choose_photos)
        deck.addWidget(self.load_button)
        deck.addWidget(self.photos_button)
        deck.addWidget(self.deck_wall)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        deck.addWidget(self.feedback, 1)
        root.addLayout(deck)

        lists = QHBoxLayout()
        self.actions = QListWidget()
        self.actions.setMaximumHeight(110)
        lists.addWidget(self.actions, 3)
        self.queue_box = ReviewQueue(self.player.intake_db)
        self.queue = self.queue_box.list
        lists.addWidget(self.queue_box, 2, Qt.AlignmentFlag.AlignTop)
        lists.setAlignment(self.actions, Qt.AlignmentFlag.AlignBottom)
        root.addLayout(lists)
        root.addStretch(1)

    def retranslate(self) -> None:
        hall = self.live.hall
        self.title.setText(hall.name)
        labels = {a: t(f"btn_{a}") for a in BUTTONS}
        for name, wall in self.walls.items():
            wall.retranslate(hall.label(name), labels)
        for action, b in self.all_buttons.items():
            b.setText(labels[action])
        self.all_label.setText(t("console_all"))
        self.notice_box.setTitle(t("console_notice"))
        self.message.setPlaceholderText(t("console_notice_hint"))
        for name, cb in self.message_walls.items():
            cb.setText(hall.label(name))
        for i in range(self.deck_wall.count()):
            self.deck_wall.setItemText(i, hall.label(self.deck_wall.itemData(i)))
        current = self.message_for.currentIndex()
        self.message_for.clear()
        self.message_for.addItems([t("console_no_expiry"), *DURATIONS[1:]])
        self.message_for.setCurrentIndex(max(current, 0))
        self.show_button.setText(t("console_show"))
        self.clear_button.setText(t("console_clear"))
        self.load_button.setText(t("console_open_deck"))
        self.photos_button.setText(t("console_open_photos"))
        self.banner.setText(t("console_rehearsal"))
        self.sound.retranslate()
        self._day = None
        self.refresh_queue(force=True)
        self.refresh()

    def set_language(self, lang: str) -> None:
        set_language(lang)
        self.retranslate()

    # ---- following the live model ------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        """Any change of the live model: say how a deck load went, redraw once soon."""
        if isinstance(change, DeckLoad):
            self._show_load(change)
        if not self._refresh_due:
            self._refresh_due = True
            QTimer.singleShot(0, self, self._refresh_now)

    def _refresh_now(self) -> None:
        self._refresh_due = False
        self.refresh()

    def _show_load(self, load: DeckLoad) -> None:
        wall = self.live.hall.label(load.display)
        if load.state is LoadState.CONVERTING:
            self.feedback.setText(t("console_converting", wall=wall, name=load.source.name))
        elif load.state is LoadState.LOADED:
            self.feedback.setText(t("console_loaded", pages=load.pages, wall=wall))
        elif load.state is LoadState.FAILED:
            self.feedback.setText(t("console_load_failed", wall=wall, reason=load.reason))
        else:
            self.feedback.setText(t("console_load_cancelled", wall=wall, name=load.source.name))

    # ---- behaviour ---------------------------------------------------------------------------

    def act(self, action: str, displays) -> None:
        """A wall's button (``displays`` = [wall]) or the 모든 벽 row (``"all"``). 끄기, 정지 and
        로고 toggle: pressed again, they give back what was under them."""
        now = self.player.clock.now()
        ops = self.player.ops
        try:
            if action in ("next", "prev"):
                ops.step(1 if action == "next" else -1, displays, now, "console")
            elif action == "resume":
                ops.resume(displays, now, "console")
            else:
                ops.toggle(action, displays, now, "console")
            self.feedback.setText("")
        except CommandError as exc:
            self.feedback.setText(str(exc))
        self.player.tick()

    def set_sound(self, muted=None, volume=None) -> None:
        """The sound group: mute/unmute and the volume, through Operations like every control."""
        try:
            self.player.ops.set_sound(self.player.clock.now(), "console", muted=muted, volume=volume)
            self.feedback.setText("")
        except CommandError as exc:
            self.feedback.setText(str(exc))
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

    def clear_message(self) -> None:
        now = self.player.clock.now()
        walls = [n for n in self.live.hall.displays
                 if (hold := self.live.hold_at(n, now)) is not None and hold.kind.needs_text]
        if walls:
            self.player.ops.release(walls, now, "console", lambda kind: kind.needs_text)
        self.player.tick()

    def choose_deck(self) -> None:
        path = decks.ask_deck(self, self._folder)
        if path:
            self._folder = Path(path).parent
            self.load_deck(path, self.deck_wall.currentData())

    def choose_photos(self) -> None:
        path = decks.ask_photos(self, self._folder)
        if path:
            self._folder = Path(path).parent
            self.load_deck(path, self.deck_wall.currentData())

    def load_deck(self, path: str, wall: str) -> None:
        """A PDF or a photo folder appears at once; a presentation is converted while the walls
        play on (the feedback line follows the live model's DeckLoad changes)."""
        try:
            self.player.ops.load(path, wall, self.player.clock.now(), "console")
        except CommandError as exc:
            self.feedback.setText(str(exc))
        self.player.tick()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - the clicker works here too
        if self.message.hasFocus():
            return super().keyPressEvent(event)
        if self.player.handle_key(key_name(event), "console") is None:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.timer.stop()
        self._unsubscribe()
        self.queue_box.close_reader()
        super().closeEvent(event)

    # ---- drawing -----------------------------------------------------------------------------

    def missing_screens(self) -> dict[str, str]:
        """Walls whose screen is missing (wall → the screen it wants), as the player and the
        live model know them."""
        return {**getattr(self.player, "missing_screens", {}), **self.live.missing_screens}

    def refresh(self) -> None:
        now = self.player.clock.now()
        hall = self.live.hall
        self.clock.setText(now.strftime("%Y-%m-%d %H:%M:%S"))
        status = self.player.ops.status(now)
        self.banner.setVisible(bool(status["rehearsal"]))
        audio = status.get("audio") or {"enabled": False}
        self.sound.show_status(audio, hall.label(audio["display"]) if audio.get("enabled") else "")
        self.clicker.setText(t("console_clicker", wall=hall.label(status["target"])))
        missing = self.missing_screens()
        for name, wall in self.walls.items():
            info = status["displays"].get(name)
            if info is None:  # a wall the reloaded configuration no longer has
                continue
            wall.show_screen(missing.get(name), self.player.latest.raw(name))  # as the window has it
            wall.show_status(info, t("source_dark"))
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self._day != (day, hall):
            self._day = (day, hall)
            self._today = resolve(hall.config, day, day + dt.timedelta(days=1))
        self.strip.set_data(self._today.by_display, day, day + dt.timedelta(days=1), now,
                            {n: hall.label(n) for n in self._today.by_display})
        lines = [f"{a['when'][11:19]}  {by_text(a['by'])}  {action_text(a['action'])}  "
                 f"{','.join(hall.label(d) for d in a['displays'])}  {a['detail']}"
                 for a in reversed(status["actions"][-10:])]
        if lines != self._action_lines:  # refilled only when it changed: a list redraws when touched
            self._action_lines = lines
            self.actions.clear()
            self.actions.addItems(lines)
        self.refresh_queue()

    def refresh_queue(self, force: bool = False) -> None:
        """The tenant review queue, read in the background every few seconds."""
        self.queue_box.refresh(force)
