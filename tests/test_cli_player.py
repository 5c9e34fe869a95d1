"""``signage preview`` and ``signage run`` from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import cv2
import numpy as np

from tests.test_cli import run


def test_preview_writes_each_wall_and_a_sheet(hall_dir, tmp_path):
    out = tmp_path / "pv"
    code, stdout, err = run(hall_dir, "preview", "--at", "2026-12-03 14:05:30", "--out", str(out), "--format", "json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["at"] == "2026-12-03T14:05:30+09:00"
    front = data["displays"]["front"]
    assert front["playlist"] == "ir-deck" and front["source"] == "event"
    assert front["item"] == {"type": "pdf", "path": "assets/decks/ir-deck.pdf", "index": 0, "page": 1}
    sizes = {}
    for name in ("front", "rear", "pillar"):
        img = cv2.imread(str(out / f"{name}.png"))
        sizes[name] = img.shape[1::-1]
        assert img.std() > 5  # not a blank wall
    assert sizes == {"front": (1920, 1080), "rear": (1920, 1080), "pillar": (1080, 1920)}
    sheet = cv2.imread(str(out / "sheet.png"))
    assert sheet.shape[1] > sheet.shape[0] * 2  # three walls side by side


def test_preview_is_what_the_wall_shows_at_that_time(hall_dir, tmp_path):
    """The same moment twice gives the same pixels; time-addressed, no state."""
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        code, _, err = run(hall_dir, "preview", "--at", "2026-12-03 10:00:12.5", "--out", str(out))
        assert code == 0, err
    assert np.array_equal(cv2.imread(str(a / "front.png")), cv2.imread(str(b / "front.png")))
    # front and rear play the same playlist: the same frame
    assert np.array_equal(cv2.imread(str(a / "front.png")), cv2.imread(str(a / "rear.png")))


def test_preview_at_night_is_dark(hall_dir, tmp_path):
    code, stdout, _ = run(hall_dir, "preview", "--at", "2026-12-04 02:00", "--out", str(tmp_path), "--format", "json")
    assert code == 0
    assert json.loads(stdout)["displays"]["pillar"]["source"] == "dark"
    assert cv2.imread(str(tmp_path / "pillar.png")).max() == 0


def test_run_headless_writes_snapshots_and_stats(hall_dir, tmp_path):
    stats = tmp_path / "stats.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SIGNAGE_LANG"] = "en"
    proc = subprocess.run(
        [sys.executable, "-m", "signage", "--config", str(hall_dir / "config.yaml"), "run", "--exit-after", "4",
         "--stats", str(stats), "--start-at", "2026-12-03 10:00:02"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "headless" in proc.stdout and "snapshots" in proc.stdout
    for name in ("front", "rear", "pillar"):
        assert (hall_dir / "var/snapshots" / f"{name}.png").exists()
    data = json.loads(stats.read_text())
    assert set(data) >= {"seconds", "cpu_seconds", "peak_rss_mb", "displays"}
    assert set(data["displays"]["front"]) >= {"frames_presented", "frames_expected", "frames_late",
                                               "frames_dropped", "items_shown", "items_failed"}
    assert all(d["frames_presented"] >= 1 for d in data["displays"].values())
    # --start-at is a rehearsal: its plays go to their own file, never into the proof of play
    assert not (hall_dir / "var/plays.sqlite").exists()
    rows = sqlite3.connect(hall_dir / "var/rehearsal/plays.sqlite").execute("SELECT started FROM plays").fetchall()
    assert rows and all(r[0].startswith("2026-12-03T10:00") for r in rows)


def test_run_refuses_a_broken_config(hall_dir):
    (hall_dir / "config.yaml").write_text("displays: {front: {size: [1, 1]}\n")
    code, _, err = run(hall_dir, "run", "--headless", "--exit-after", "1")
    assert code == 1 and "config.yaml:" in err
