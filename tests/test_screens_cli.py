"""``signage screens``: the screens Qt sees and which wall maps where, on fake screens (four named
ones, a spanned LED canvas, two outputs sharing a name) and without any display server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from signage.cli import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

SPANNED_WALLS = (
    "  front:  {screen: [1280, 0, 1920, 1080], size: [1920, 1080]}\n"
    "  rear:   {screen: [3200, 0, 1920, 1080], size: [1920, 1080]}\n"
    "  pillar: {screen: [5120, 0, 1080, 1920], size: [1080, 1920]}\n"
)


def set_walls(hall_dir: Path, walls: str) -> Path:
    """The sample hall with its three walls' lines replaced."""
    config = hall_dir / "config.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("displays:\n") + 1
    end = start
    while lines[end].startswith("  "):
        end += 1
    config.write_text("".join(lines[:start]) + walls + "".join(lines[end:]), encoding="utf-8")
    return config


def run(config: Path, *args: str, platform: str | None = None) -> tuple[int, str, str]:
    """``signage screens`` in a fresh process: Qt's screens are fixed when its application starts."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(SIGNAGE_LANG="en", PYTHONPATH=str(ROOT))
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    proc = subprocess.run([sys.executable, "-m", "signage", "--config", str(config), "screens", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=config.parent)
    return proc.returncode, proc.stdout, proc.stderr


def test_screens_json_lists_qt_screens_and_each_walls_screen(hall_dir, capsys):
    # GIVEN the sample hall on the four fake screens of tests/screens.json (Qt orders them by name)
    code = main(["--config", str(hall_dir / "config.yaml"), "screens", "--json"])
    data = json.loads(capsys.readouterr().out)
    # THEN every screen is listed with its index, name, geometry and which is primary
    assert code == 0
    assert data["platform"] == "offscreen" and data["fake"] is True
    assert [(s["index"], s["name"]) for s in data["screens"]] == [(0, "DP-1"), (1, "HDMI-1"), (2, "HDMI-2"),
                                                                  (3, "OPERATOR")]
    assert data["screens"][1] == {"index": 1, "name": "HDMI-1", "x": 1280, "y": 0, "width": 1920, "height": 1080,
                                  "primary": False}
    assert sum(s["primary"] for s in data["screens"]) == 1
    # AND each wall says where it goes
    front = data["walls"]["front"]
    assert front["status"] == "placed" and front["screen"] == 1 and front["rect"] == [1280, 0, 1920, 1080]
    assert front["whole"] is True and front["wanted"] == "HDMI-1"
    assert data["missing"] == []


def test_screens_reads_as_a_korean_table(hall_dir, capsys):
    code = main(["--config", str(hall_dir / "config.yaml"), "--lang", "ko", "screens"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Qt가 보는 화면 4개:" in out and "가짜 화면" in out
    assert "  #1    HDMI-1    1920x1080  1280,0" in out
    assert "  기둥(pillar) → 화면 DP-1 (1080x1920, 5120,0)" in out
    assert out.rstrip().endswith("모든 벽이 화면에 연결됩니다")


def test_a_missing_screen_exits_1_and_names_the_screens_that_exist(hall_dir, capsys):
    config = set_walls(hall_dir, "  front:  {screen: HDMI-1, size: [1920, 1080]}\n"
                                 "  rear:   {screen: HDMI-2, size: [1920, 1080]}\n"
                                 "  pillar: {screen: DP-9, size: [1080, 1920]}\n")
    code = main(["--config", str(config), "screens"])
    out = capsys.readouterr().out
    assert code == 1
    assert "pillar: screen DP-9 is missing — screens now: DP-1, HDMI-1, HDMI-2, OPERATOR" in out
    assert "1 walls show nowhere: pillar" in out


def test_three_walls_on_regions_of_one_spanned_screen(hall_dir):
    # GIVEN one LED sending card's canvas (5040x1920) beside the operator's monitor
    config = set_walls(hall_dir, SPANNED_WALLS)
    # WHEN the mapping is asked for
    code, out, err = run(config, "--json", platform=f"offscreen:configfile={TESTS / 'screens_spanned.json'}")
    # THEN each wall is a region of the LED screen
    assert code == 0, err
    data = json.loads(out)
    led = next(s["index"] for s in data["screens"] if s["name"] == "LED")
    assert {n: (w["screen"], w["whole"], w["rect"]) for n, w in data["walls"].items()} == {
        "front": (led, False, [1280, 0, 1920, 1080]), "rear": (led, False, [3200, 0, 1920, 1080]),
        "pillar": (led, False, [5120, 0, 1080, 1920])}


def test_overlapping_regions_are_reported(hall_dir):
    config = set_walls(hall_dir, SPANNED_WALLS.replace("[3200, 0, 1920, 1080]", "[3000, 0, 1920, 1080]"))
    code, out, _ = run(config, platform=f"offscreen:configfile={TESTS / 'screens_spanned.json'}")
    assert code == 1
    assert "rear: the region [3000,0,1920,1080] overlaps the screen or region front uses" in out


def test_two_screens_sharing_a_name_are_told_apart_by_index(hall_dir):
    # GIVEN two outputs both called HDMI-1 (Qt's offscreen platform gives them one geometry)
    config = set_walls(hall_dir, "  front:  {screen: 0, size: [1920, 1080]}\n"
                                 "  rear:   {screen: 1, size: [1920, 1080]}\n"
                                 "  pillar: {screen: HDMI-1, size: [1080, 1920]}\n")
    code, out, _ = run(config, "--json", platform=f"offscreen:configfile={TESTS / 'screens_twins.json'}")
    data = json.loads(out)
    assert [s["name"] for s in data["screens"]][:2] == ["HDMI-1", "HDMI-1"]
    # THEN each index feeds its wall, and the wall asking by name finds both in use
    walls = data["walls"]
    assert (walls["front"]["screen"], walls["rear"]["screen"]) == (0, 1)
    assert walls["pillar"]["status"] == "taken" and walls["pillar"]["same_name"] == [0, 1]
    assert code == 1 and data["missing"] == ["pillar"]


def test_without_a_display_server_it_says_the_screens_are_fake(hall_dir):
    code, out, _ = run(hall_dir / "config.yaml")
    assert out.startswith("Qt platform: offscreen\nno display server")
    assert "1 screens Qt sees:" in out
    assert code == 1  # none of the walls' screens is there


def test_without_a_config_it_lists_the_screens(tmp_path):
    code, out, _ = run(tmp_path / "config.yaml", platform=f"offscreen:configfile={TESTS / 'screens_spanned.json'}")
    assert code == 0
    assert "LED" in out and "no configuration file" in out


PLAYER_ON_SPANNED = """
import json, sys
from signage.app import Player
from signage.config.loader import load_hall
from PySide6.QtCore import Qt
from signage.display.qtapp import ensure_app
app = ensure_app(headless=False)
player = Player(load_hall(sys.argv[1], check_assets=False), headless=False, var_dir=__import__("pathlib").Path(sys.argv[2]))
player.map_screens()
out = {n: [w.isVisible(), w.geometry().getRect(), w.screen().name(), bool(w.windowState() & Qt.WindowState.WindowFullScreen)]
       for n, w in player.windows.items()}
out["missing"] = player.missing_screens
print(json.dumps(out))
player.stop()
"""


def test_the_player_places_each_wall_on_its_region_of_a_spanned_screen(hall_dir, tmp_path):
    # GIVEN three walls as regions of one LED canvas
    config = set_walls(hall_dir, SPANNED_WALLS)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=f"offscreen:configfile={TESTS / 'screens_spanned.json'}")
    # WHEN the player maps its walls
    proc = subprocess.run([sys.executable, "-c", PLAYER_ON_SPANNED, str(config), str(tmp_path / "var")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.splitlines()[-1])
    # THEN each window is shown at exactly its region of LED, not fullscreen
    assert got == {
        "front": [True, [1280, 0, 1920, 1080], "LED", False],
        "rear": [True, [3200, 0, 1920, 1080], "LED", False],
        "pillar": [True, [5120, 0, 1080, 1920], "LED", False],
        "missing": {},
    }
