"""The player's windows on Qt's offscreen screens (tests/screens.json: DP-1, HDMI-1, HDMI-2,
OPERATOR in Qt's order): regions of a screen, repeated names, and what the log says when a
wall's screen goes and comes back."""

from __future__ import annotations

import logging
import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication

from signage.app import Player
from signage.config.loader import load_hall
from signage.display.screens import ScreenInfo
from signage.display.window import qt_screens
from signage.i18n import set_language
from signage.playback.clock import FakeClock
from tests.helpers import at
from tests.media_factory import hall, write_image


@pytest.fixture
def player_factory(qapp, tmp_path):
    players = []

    def make(config, headless=False, screens=None):
        p = Player(load_hall(config, check_assets=False), headless=headless, clock=FakeClock(at("2026-12-03 10:00")),
                   var_dir=tmp_path / "var")
        players.append(p)
        p.start(timers=False)
        if screens is not None:
            p.map_screens(screens)
        deadline = time.monotonic() + 5
        while len(p.latest) < len(p.runners):  # first stills are rendered on a pool thread
            assert time.monotonic() < deadline, "no first frame"
            time.sleep(0.005)
            p.tick()
        return p

    yield make
    for p in players:
        p.stop()


@pytest.fixture
def red(tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/red.png", size=(160, 90), colour=(255, 0, 0))
    return tmp_path


PLAYLIST = {"p": "items:\n  - image: m/red.png\n"}


def screen_named(name):
    return next(s for s in QGuiApplication.screens() if s.name() == name)


def test_two_regions_of_one_screen_feed_two_walls_at_exactly_their_geometry(player_factory, red):
    # GIVEN front and rear as the left and right halves of HDMI-1 (1280,0 1920x1080)
    config = hall(red, PLAYLIST, displays=(
        "  front: {screen: [1280, 0, 960, 1080], size: [960, 1080]}\n"
        "  rear:  {screen: [2240, 0, 960, 1080], size: [960, 1080]}\n"
        "  pillar: {screen: DP-1, size: [1080, 1920]}\n"))
    # WHEN the player starts
    player = player_factory(config)
    # THEN each half is a frameless window at exactly its region, on HDMI-1, not fullscreen
    for name, rect in (("front", (1280, 0, 960, 1080)), ("rear", (2240, 0, 960, 1080))):
        window = player.windows[name]
        assert window.isVisible()
        assert window.geometry().getRect() == rect
        assert window.screen() is screen_named("HDMI-1")
        assert not window.windowState() & Qt.WindowState.WindowFullScreen
        assert window.flags() & Qt.WindowType.FramelessWindowHint
        assert window.frame().shape == (1080, 960, 4)  # composed at the wall's size, painted 1:1
    # AND a whole-screen wall is still fullscreen
    assert player.windows["pillar"].windowState() & Qt.WindowState.WindowFullScreen
    assert player.missing_screens == {}
    # AND the console's free screen is the first one no wall uses, even in part: HDMI-2, not HDMI-1
    assert player.free_screen() is screen_named("HDMI-2")


def twins():
    """Qt's screens with HDMI-2 renamed HDMI-1: two outputs the driver names alike."""
    infos, qscreens = qt_screens()
    renamed = [ScreenInfo("HDMI-1", s.index, s.x, s.y, s.width, s.height, s.primary) if s.name == "HDMI-2" else s
               for s in infos]
    return renamed, qscreens


def test_walls_by_index_when_two_screens_share_a_name(player_factory, red):
    # GIVEN two screens named HDMI-1 (indices 1 and 2) and walls asking for them by index
    config = hall(red, PLAYLIST, displays="  front: {screen: 1, size: [1920, 1080]}\n"
                                          "  rear:  {screen: 2, size: [1920, 1080]}\n")
    # WHEN the walls are mapped THEN each is on its own screen
    player = player_factory(config, screens=twins())
    assert player.windows["front"].screen() is screen_named("HDMI-1")
    assert player.windows["rear"].screen() is screen_named("HDMI-2")
    assert all(w.isVisible() for w in player.windows.values())


def test_a_repeated_name_takes_the_first_unused_screen_and_says_so(player_factory, red, caplog):
    # GIVEN two screens named HDMI-1 and two walls asking for HDMI-1 by name
    config = hall(red, PLAYLIST, displays="  front: {screen: HDMI-1, size: [1920, 1080]}\n"
                                          "  rear:  {screen: HDMI-1, size: [1920, 1080]}\n")
    # WHEN the walls are mapped
    with caplog.at_level(logging.INFO, logger="signage.player"):
        player = player_factory(config, screens=twins())
    # THEN front takes the first, rear the second, and the log suggests writing the index
    assert player.windows["front"].screen() is screen_named("HDMI-1")
    assert player.windows["rear"].screen() is screen_named("HDMI-2")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "(#1, #2)" in r.getMessage()]
    assert any(m.startswith("rear → screen HDMI-1 #2") and "screen: 2" in m for m in warnings), warnings


def test_a_missing_screen_is_logged_once_in_korean_and_its_return_too(player_factory, red, caplog):
    set_language("ko")
    config = hall(red, PLAYLIST)
    # GIVEN the player started with all three screens
    with caplog.at_level(logging.INFO, logger="signage.player"):
        player = player_factory(config)
        lines = lambda: [r.getMessage() for r in caplog.records if r.name == "signage.player"]  # noqa: E731
        assert "전면(front) → 화면 HDMI-1 (1920x1080, 1280,0)" in lines()
        assert "기둥(pillar) → 화면 DP-1 (1080x1920, 5120,0)" in lines()
        # WHEN nothing changes THEN a re-mapping logs nothing
        caplog.clear()
        player.map_screens()
        assert lines() == []
        # WHEN DP-1 goes
        infos, qscreens = qt_screens()
        without = ([s for s in infos if s.name != "DP-1"], qscreens)
        player.map_screens(without)
        player.map_screens(without)
        # THEN one warning names the screens that exist, and the console can tell
        assert lines() == ["기둥(pillar): 화면 DP-1이(가) 없습니다 — 지금 있는 화면: HDMI-1, HDMI-2, OPERATOR. "
                           "화면이 돌아오면 이 벽이 다시 나옵니다"]
        assert caplog.records[0].levelno == logging.WARNING
        assert player.missing_screens == {"pillar": "DP-1"}
        assert not player.windows["pillar"].isVisible()
        # WHEN it returns THEN one line says where the wall is again
        caplog.clear()
        player.map_screens()
        assert lines() == ["기둥(pillar) → 화면 DP-1 (1080x1920, 5120,0)"]
        assert player.missing_screens == {} and player.windows["pillar"].isVisible()


def test_missing_screens_as_config_names_them(player_factory, red):
    config = hall(red, PLAYLIST, displays="  front: {screen: HDMI-9, size: [1920, 1080]}\n"
                                          "  rear:  {screen: 7, size: [1920, 1080]}\n"
                                          "  pillar: {screen: [0, 0, 1920, 1080], size: [1080, 1920]}\n")
    player = player_factory(config)
    assert player.missing_screens == {"front": "HDMI-9", "rear": "#7", "pillar": "[0,0,1920,1080]"}
    assert not any(w.isVisible() for w in player.windows.values())


def test_headless_has_no_missing_screens(player_factory, red):
    config = hall(red, PLAYLIST, displays="  front: {screen: HDMI-9, size: [320, 180]}\n")
    assert player_factory(config, headless=True).missing_screens == {}


def test_screen_signals_remap_the_walls(player_factory, red, monkeypatch):
    # GIVEN a playing hall
    player = player_factory(hall(red, PLAYLIST))
    infos, qscreens = qt_screens()
    # WHEN Qt reports a geometry change and DP-1 is gone from the list
    monkeypatch.setattr("signage.app.qt_screens", lambda: ([s for s in infos if s.name != "DP-1"], qscreens))
    screen_named("HDMI-1").geometryChanged.emit(QRect(1280, 0, 1920, 1080))
    # THEN the pillar is withdrawn
    assert player.missing_screens == {"pillar": "DP-1"} and not player.windows["pillar"].isVisible()
    # WHEN a screen is added back THEN it is mapped again
    monkeypatch.setattr("signage.app.qt_screens", lambda: (infos, qscreens))
    QGuiApplication.instance().screenAdded.emit(screen_named("DP-1"))
    assert player.missing_screens == {} and player.windows["pillar"].isVisible()
