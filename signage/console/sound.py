"""The console's sound group: 🔇 소리 끄기 / 🔊 소리 켜기, −/+ and a volume slider, and which wall
sounds. Hidden when config.yaml has no ``audio:`` block. Every change goes through the player's
``Operations`` (tagged ``console``), like the walls' buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSlider

from signage.i18n import t

STEP = 5  # percent per −/+ press


class SoundBox(QGroupBox):
    """``change(muted=…, volume=…)`` does the operator's change; ``show_status`` draws the state."""

    def __init__(self, change: Callable[..., None]):
        super().__init__()
        self._change = change
        self._status: dict = {"enabled": False}
        lay = QHBoxLayout(self)
        self.toggle = QPushButton()
        self.toggle.clicked.connect(self._toggle)
        self.down, self.up = QPushButton("−"), QPushButton("+")
        self.down.clicked.connect(lambda: self._nudge(-STEP))
        self.up.clicked.connect(lambda: self._nudge(STEP))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setPageStep(10)
        self.slider.setTracking(False)  # one change when the operator lets go, not one per pixel
        self.slider.valueChanged.connect(self._slid)
        self.level, self.wall = QLabel(), QLabel()
        for widget in (self.toggle, self.down, self.slider, self.up, self.level, self.wall):
            lay.addWidget(widget)
        lay.setStretch(2, 1)
        self.setVisible(False)

    def retranslate(self) -> None:
        self.setTitle(t("console_sound"))
        self.show_status(self._status, self._wall_label)

    _wall_label = ""

    def show_status(self, status: dict, wall_label: str) -> None:
        self._status, self._wall_label = status, wall_label
        self.setVisible(bool(status.get("enabled")))
        if not status.get("enabled"):
            return
        muted, volume = status.get("muted"), int(status.get("volume", 0))
        self.toggle.setText(t("console_sound_unmute" if muted else "console_sound_mute"))
        if not self.slider.isSliderDown() and self.slider.value() != volume:
            self.slider.blockSignals(True)
            self.slider.setValue(volume)
            self.slider.blockSignals(False)
        level = t("console_sound_volume", volume=volume)
        if muted:
            level += " " + t("console_sound_muted")
        elif not status.get("output_ok", True):
            level += " — " + t("console_sound_no_output")
        self.level.setText(level)
        self.wall.setText(t("console_sound_wall", wall=wall_label))

    def _toggle(self) -> None:
        self._change(muted=not self._status.get("muted"))

    def _nudge(self, delta: int) -> None:
        volume = min(max(int(self._status.get("volume", 0)) + delta, 0), 100)
        self._change(volume=volume)

    def _slid(self, value: int) -> None:
        if value != self._status.get("volume"):
            self._change(volume=value)
