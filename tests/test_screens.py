"""Screen mapping (pure): by name, index or region; a missing screen shows nothing anywhere; one
screen feeds one wall, except non-overlapping regions of one spanned screen."""

from __future__ import annotations

import pytest

from signage.display.screens import (
    ScreenInfo,
    Status,
    assign_screens,
    describe,
    match_screen,
    wanted_text,
)

SCREENS = [
    ScreenInfo("OPERATOR", 0, 0, 0, 1280, 800),
    ScreenInfo("HDMI-1", 1, 1280, 0, 1920, 1080),
    ScreenInfo("HDMI-2", 2, 3200, 0, 1920, 1080),
    ScreenInfo("DP-1", 3, 5120, 0, 1080, 1920),
]
# two outputs the driver names alike (e.g. two ports of one sending card)
TWINS = [
    ScreenInfo("OPERATOR", 0, 0, 0, 1280, 800),
    ScreenInfo("HDMI-1", 1, 1280, 0, 1920, 1080),
    ScreenInfo("HDMI-1", 2, 3200, 0, 1920, 1080),
]
# one LED sending card: a single spanned canvas for all three walls
SPANNED = [
    ScreenInfo("LED", 0, 1280, 0, 5040, 1920),
    ScreenInfo("OPERATOR", 1, 0, 0, 1280, 800),
]


@pytest.mark.parametrize(("wanted", "screens", "expected"), [
    ("HDMI-2", SCREENS, 2),
    ("hdmi-2", SCREENS, 2),  # case-insensitive when nothing matches exactly
    (3, SCREENS, 3),
    ([5120, 0, 1080, 1920], SCREENS, 3),  # exactly a screen's geometry
    ([1280, 0, 960, 1080], SCREENS, 1),  # the left half of HDMI-1
    ([6000, 100, 100, 100], SCREENS, 3),  # a small region inside DP-1
    ([3000, 0, 400, 100], SCREENS, None),  # straddles HDMI-1 and HDMI-2: no one screen contains it
    ([0, 0, 10, 10], SCREENS[1:], None),
    ("DP-2", SCREENS, None),
    (9, SCREENS, None),
    (None, SCREENS, None),
    ([5120, 0, 1080, 1920], SPANNED, 0),
    (2, TWINS, 2),
])
def test_match_by_name_index_or_containing_screen(wanted, screens, expected):
    found = match_screen(wanted, screens)
    assert (found.index if found else None) == expected


def mapped(got):
    """wall → (status, screen index or None, window rectangle or None)."""
    return {d: (w.status, w.screen.index if w.screen else None, w.rect) for d, w in got.items()}


P, M, T, U = Status.PLACED, Status.MISSING, Status.TAKEN, Status.UNSET

CASES = {
    "a missing screen is not replaced by another": (
        {"front": "HDMI-1", "pillar": "DP-1"}, SCREENS[:2],
        {"front": (P, 1, (1280, 0, 1920, 1080)), "pillar": (M, None, None)}),
    "one whole screen feeds one wall": (
        {"front": "HDMI-1", "rear": 1}, SCREENS,
        {"front": (T, 1, None), "rear": (P, 1, (1280, 0, 1920, 1080))}),
    "index by position even when names repeat": (
        {"front": 1, "rear": 2}, TWINS,
        {"front": (P, 1, (1280, 0, 1920, 1080)), "rear": (P, 2, (3200, 0, 1920, 1080))}),
    "a repeated name takes the first one not in use": (
        {"front": "HDMI-1", "rear": "HDMI-1"}, TWINS,
        {"front": (P, 1, (1280, 0, 1920, 1080)), "rear": (P, 2, (3200, 0, 1920, 1080))}),
    "indices are settled before names": (
        {"front": "HDMI-1", "rear": 1}, TWINS,
        {"front": (P, 2, (3200, 0, 1920, 1080)), "rear": (P, 1, (1280, 0, 1920, 1080))}),
    "three regions of one spanned screen": (
        {"front": [1280, 0, 1920, 1080], "rear": [3200, 0, 1920, 1080], "pillar": [5120, 0, 1080, 1920]}, SPANNED,
        {"front": (P, 0, (1280, 0, 1920, 1080)), "rear": (P, 0, (3200, 0, 1920, 1080)),
         "pillar": (P, 0, (5120, 0, 1080, 1920))}),
    "overlapping regions: the later wall is not shown": (
        {"front": [1280, 0, 1920, 1080], "rear": [3000, 0, 1920, 1080]}, SPANNED,
        {"front": (P, 0, (1280, 0, 1920, 1080)), "rear": (T, 0, None)}),
    "a region of a screen another wall covers whole": (
        {"front": "HDMI-1", "rear": [1280, 0, 960, 1080]}, SCREENS,
        {"front": (T, 1, None), "rear": (P, 1, (1280, 0, 960, 1080))}),
    "no screen given": (
        {"front": None}, SCREENS, {"front": (U, None, None)}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_assign_screens(case):
    # GIVEN what config.yaml asks for and the screens Qt lists
    wanted, screens, expected = CASES[case]
    # WHEN the walls are mapped THEN each gets its screen and rectangle, or a status saying why not
    got = assign_screens(wanted, screens)
    assert list(got) == list(wanted)  # config order
    assert mapped(got) == expected


def test_a_clash_names_the_wall_that_has_the_screen():
    got = assign_screens({"front": [1280, 0, 1920, 1080], "rear": [3000, 0, 1920, 1080]}, SPANNED)
    assert got["rear"].other == "front"
    assert "front" in describe(got["rear"], "rear", SPANNED) and "overlaps" in describe(got["rear"], "rear", SPANNED)


def test_whole_screen_or_region():
    got = assign_screens({"front": [1280, 0, 1920, 1080], "rear": [0, 0, 640, 400]}, SCREENS)
    assert got["front"].whole and not got["rear"].whole


@pytest.mark.parametrize(("wanted", "text"), [
    ("HDMI-1", "HDMI-1"), (2, "#2"), ([0, 0, 1920, 1080], "[0,0,1920,1080]"), (None, "-"),
])
def test_wanted_as_text(wanted, text):
    assert wanted_text(wanted) == text


@pytest.mark.parametrize(("lang", "wanted", "screens", "expected"), [
    ("ko", "DP-1", SCREENS[:3], "기둥(pillar): 화면 DP-1이(가) 없습니다 — 지금 있는 화면: OPERATOR, HDMI-1, HDMI-2"),
    ("en", "DP-1", SCREENS[:3], "기둥(pillar): screen DP-1 is missing — screens now: OPERATOR, HDMI-1, HDMI-2"),
    ("ko", "DP-1", SCREENS, "기둥(pillar) → 화면 DP-1 (1080x1920, 5120,0)"),
    ("ko", [5120, 0, 1080, 1920], SPANNED, "기둥(pillar) → 화면 LED 안의 영역 (1080x1920, 5120,0)"),
    ("ko", [0, 0, 10, 10], SPANNED[:1], "기둥(pillar): 영역 [0,0,10,10]을(를) 담은 화면이 없습니다 — "
                                        "지금 있는 화면: LED 5040x1920 (1280,0)"),
    ("ko", "HDMI-1", TWINS, "기둥(pillar) → 화면 HDMI-1 #1 (1920x1080, 1280,0) — 이름이 HDMI-1인 화면이 2개(#1, #2)라"),
    ("ko", 7, TWINS, "화면 #7이(가) 없습니다 — 지금 있는 화면: OPERATOR, HDMI-1 #1, HDMI-1 #2"),
])
def test_what_the_log_says(lang, wanted, screens, expected):
    from signage.i18n import set_language

    set_language(lang)
    wall = assign_screens({"pillar": wanted}, screens)["pillar"]
    assert expected in describe(wall, "기둥(pillar)", screens)
