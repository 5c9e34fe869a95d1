"""The console's sound group (pytest-qt, offscreen): mute/unmute, −/+ and the slider go through
Operations and the action log; the group names the sounding wall and hides without ``audio:``."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from signage.commands.run import show_console
from signage.i18n import set_language
from tests.helpers import at
from tests.test_audio import FakeEngine
from tests.test_operator import (
    EVENT,
    PLAYLISTS,
    player,  # noqa: F401 - fixture
    settle,
)


@pytest.fixture
def sounding(qapp, qtbot, tmp_path, monkeypatch):
    from signage.app import Player
    from signage.audio import engine as engine_module
    from signage.config.loader import load_hall
    from signage.playback.clock import FakeClock
    from tests.media_factory import hall, write_image

    monkeypatch.setattr(engine_module, "SoundEngine", FakeEngine)
    (tmp_path / "m").mkdir()
    for name in ("red", "green", "blue"):
        write_image(tmp_path / f"m/{name}.png", size=(160, 90))
    config = hall(tmp_path, PLAYLISTS, schedule=EVENT)
    config.write_text(config.read_text(encoding="utf-8") + "audio: {display: rear, volume: 70}\n", encoding="utf-8")
    clock = FakeClock(at("2026-12-03 10:00:00"))
    p = Player(load_hall(config, check_assets=False), headless=False, clock=clock, var_dir=tmp_path / "var")
    p.start(timers=False)
    settle(p)
    set_language("ko")
    window = show_console(p)
    qtbot.addWidget(window)
    yield window, p
    window.close()
    p.stop()


def sound_actions(p) -> list[tuple]:
    return [(a.by, a.action, a.displays, a.detail) for a in p.live.history if a.action in ("mute", "unmute", "volume")]


def test_the_sound_group_mutes_and_sets_the_volume_of_the_sounding_wall(sounding, qtbot):
    window, p = sounding
    box = window.sound
    window.refresh()
    # GIVEN a hall sounding on the rear wall at 70%: the group shows it
    assert box.isVisible() and box.wall.text() == "소리 나는 벽: 후면"
    assert box.toggle.text() == "🔇 소리 끄기" and box.level.text() == "음량 70%" and box.slider.value() == 70
    # WHEN the operator presses 소리 끄기 THEN the hall is muted, recorded, and the button offers 켜기
    qtbot.mouseClick(box.toggle, Qt.MouseButton.LeftButton)
    assert p.audio.engine.muted is True and box.toggle.text() == "🔊 소리 켜기"
    assert box.level.text() == "음량 70% (꺼짐)"
    # WHEN + is pressed and the slider is moved to 30 THEN the volume follows, each change recorded
    qtbot.mouseClick(box.up, Qt.MouseButton.LeftButton)
    assert p.audio.engine.volume == pytest.approx(0.75)
    box.slider.setValue(30)
    assert p.audio.engine.volume == pytest.approx(0.30) and box.level.text().startswith("음량 30%")
    qtbot.mouseClick(box.toggle, Qt.MouseButton.LeftButton)
    assert p.audio.engine.muted is False
    assert sound_actions(p) == [("console", "mute", ("rear",), ""), ("console", "volume", ("rear",), "75%"),
                                ("console", "volume", ("rear",), "30%"), ("console", "unmute", ("rear",), "")]
    # THEN the action list shows them in Korean
    window.refresh()
    assert "소리 켜기" in window.actions.item(0).text() and "콘솔" in window.actions.item(0).text()


def test_the_sound_group_is_hidden_without_an_audio_block(player, qtbot):  # noqa: F811
    p, _ = player
    window = show_console(p)
    qtbot.addWidget(window)
    window.refresh()
    assert window.isVisible() and not window.sound.isVisible()
    window.close()
