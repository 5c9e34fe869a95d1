"""One player per hall: ``var/player.lock`` (flock), released by the kernel however a player ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from signage.config.loader import load_hall
from signage.control.lock import PlayerLock, PlayerRunning, lock_player, read_holder
from tests.helpers import at


def env(lang="ko"):
    keep = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**keep, "SIGNAGE_LANG": lang}


def test_a_second_player_for_the_same_hall_refuses_at_once(hall_dir):
    """GIVEN a player holding the hall's lock (this test process)
    WHEN a second ``signage run`` starts on the same config.yaml
    THEN it exits 1 at once, names the running one in Korean, and never opens var/plays.sqlite."""
    hall = load_hall(hall_dir / "config.yaml", check_assets=False)
    lock = lock_player(hall, at("2026-12-03 09:00:00"))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "signage", "--config", str(hall_dir / "config.yaml"), "run", "--headless",
             "--exit-after", "8"],
            capture_output=True, text=True, env=env(), timeout=120,
        )
    finally:
        lock.release()
    assert proc.returncode == 1, proc.stderr
    assert "이미 실행 중" in proc.stderr
    assert f"PID {os.getpid()}" in proc.stderr and "2026-12-03 09:00:00" in proc.stderr
    assert str((hall_dir / "config.yaml").resolve()) in proc.stderr and "8765" in proc.stderr
    assert not (hall_dir / "var/plays.sqlite").exists()


def test_the_lock_file_says_who_holds_it(tmp_path):
    lock = PlayerLock(tmp_path / "var/player.lock").acquire({"pid": 42, "since": "2026-12-03T09:00:00+09:00",
                                                             "config": "/halls/a/config.yaml", "port": 8765})
    with pytest.raises(PlayerRunning) as info:
        PlayerLock(tmp_path / "var/player.lock").acquire({"pid": 43})
    assert info.value.holder["pid"] == 42
    assert "PID 42" in str(info.value) and "/halls/a/config.yaml" in str(info.value)
    lock.release()
    PlayerLock(tmp_path / "var/player.lock").acquire({"pid": 44}).release()  # free again


HOLD = """
import sys, time
from pathlib import Path
from signage.control.lock import PlayerLock
PlayerLock(Path(sys.argv[1])).acquire({"pid": 1, "since": "x", "config": "c", "port": 1})
print("locked", flush=True)
time.sleep(120)
"""


def test_a_lock_left_by_a_killed_player_is_no_obstacle(tmp_path):
    """GIVEN a player that took the lock and was killed (SIGKILL: no clean-up ran)
    WHEN the next player starts THEN it gets the lock (the kernel released it) and writes itself."""
    path = tmp_path / "var/player.lock"
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(PlayerRunning):
            PlayerLock(path).acquire({"pid": os.getpid()})
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert json.loads(path.read_text())["pid"] == 1  # the dead player's note is still there
    lock = PlayerLock(path).acquire({"pid": os.getpid(), "since": "now", "config": "c", "port": 1})
    assert read_holder(path)["pid"] == os.getpid()
    lock.release()
