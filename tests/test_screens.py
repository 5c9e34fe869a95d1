"""Screen mapping: by name, index or geometry; a missing screen shows nothing anywhere."""

from __future__ import annotations

from signage.display.screens import ScreenInfo, assign_screens, match_screen

SCREENS = [
    ScreenInfo("OPERATOR", 0, 0, 0, 1280, 800),
    ScreenInfo("HDMI-1", 1, 1280, 0, 1920, 1080),
    ScreenInfo("HDMI-2", 2, 3200, 0, 1920, 1080),
    ScreenInfo("DP-1", 3, 5120, 0, 1080, 1920),
]


def test_match_by_name_index_geometry():
    assert match_screen("HDMI-2", SCREENS).index == 2
    assert match_screen("hdmi-2", SCREENS).index == 2
    assert match_screen(3, SCREENS).name == "DP-1"
    assert match_screen([5120, 0, 1080, 1920], SCREENS).name == "DP-1"
    assert match_screen("DP-2", SCREENS) is None
    assert match_screen(9, SCREENS) is None
    assert match_screen([0, 0, 10, 10], SCREENS) is None


def test_a_missing_screen_is_not_replaced_by_another():
    got = assign_screens({"front": "HDMI-1", "pillar": "DP-1"}, SCREENS[:2])
    assert got["front"].name == "HDMI-1" and got["pillar"] is None


def test_one_screen_feeds_one_display():
    got = assign_screens({"front": "HDMI-1", "rear": 1}, SCREENS)
    assert got["front"].name == "HDMI-1" and got["rear"] is None
