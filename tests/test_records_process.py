"""Faults against a real player process (``python -m signage run --headless``) on a tiny hall:
a damaged plays.sqlite and a full ``var/`` at start, and a SIGKILL while items are on the wall."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from signage.playback.records import REASON_STOPPED
from tests.media_factory import hall, write_image


def tiny_hall(folder: Path, duration: str) -> Path:
    (folder / "m").mkdir(parents=True)
    write_image(folder / "m/red.png", size=(160, 90), colour=(255, 0, 0))
    write_image(folder / "m/green.png", size=(160, 90), colour=(0, 255, 0))
    return hall(folder, {"p": f"defaults: {{duration: {duration}, transition: cut}}\nitems:\n"
                              "  - image: m/red.png\n  - image: m/green.png\n"},
                displays="  front: {screen: HDMI-1, size: [320, 180]}\n")


def player_env(lang: str = "en") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SIGNAGE_LANG"] = lang
    return env


def run_args(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "signage", "--config", str(config), "run", "--headless", *extra]


def plays(db: Path, what: str = "outcome, reason, started, ended, duration_s") -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute(f"SELECT {what} FROM plays ORDER BY id").fetchall()


def test_a_damaged_database_at_start_is_set_aside_and_the_walls_play(tmp_path):
    # GIVEN var/plays.sqlite is damaged (not a database)
    config = tiny_hall(tmp_path, "1s")
    (tmp_path / "var").mkdir()
    garbage = b"\x00garbage, not SQLite\x00" * 500
    (tmp_path / "var/plays.sqlite").write_bytes(garbage)
    stats = tmp_path / "stats.json"
    # WHEN the player runs (Korean messages, the default)
    proc = subprocess.run(run_args(config, "--exit-after", "3", "--stats", str(stats)), capture_output=True,
                          text=True, env=player_env("ko"), timeout=120)
    # THEN it plays and exits normally
    assert proc.returncode == 0, proc.stderr
    assert json.loads(stats.read_text())["displays"]["front"]["frames_presented"] >= 1
    # AND the damaged file is kept aside, unchanged, named in a Korean ERROR line
    (kept,) = list((tmp_path / "var").glob("plays.sqlite.corrupt-*"))
    assert kept.read_bytes() == garbage
    errors = [line for line in proc.stderr.splitlines() if " ERROR " in line]
    assert any("손상" in line and kept.name in line for line in errors), proc.stderr
    # AND the new database holds this run's plays
    assert plays(tmp_path / "var/plays.sqlite")


def can_mount_tmpfs() -> str | None:
    """None when ``unshare -rm`` can mount a tmpfs here, else why not."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare(1) or mount(8) is not installed"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt || mount -t tmpfs "
                            "-o size=64k tmpfs /tmp"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"user and mount namespaces are not available: {probe.stderr.strip()}"
    return None


# Runs inside `unshare -rm`: var/ becomes a 2 MB tmpfs, filled to the last byte; the player starts;
# once it has said it cannot write, the disk stays full a little longer, then the filler goes.
DRIVER = textwrap.dedent("""
    import datetime, pathlib, shutil, subprocess, sys, time
    var, out, args = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(var)], check=True)
    try:
        with open(var / "filler", "wb", buffering=0) as fh:
            while True:
                fh.write(b"\\0" * 4096)
    except OSError as exc:
        assert exc.errno == 28, exc  # ENOSPC: the disk is full
    with open(out / "stderr.txt", "wb") as err:
        player = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 90
        while b"cannot write play records" not in (out / "stderr.txt").read_bytes():
            assert time.monotonic() < deadline and player.poll() is None, "the player never hit the full disk"
            time.sleep(0.05)
        time.sleep(2.5)  # items start and end while the disk is full
        (out / "freed.txt").write_text(datetime.datetime.now().astimezone().isoformat())
        (var / "filler").unlink()
        code = player.wait(timeout=90)
    for f in var.glob("plays.sqlite*"):
        shutil.copy(f, out / f.name)
    sys.exit(code)
""")


def test_a_full_var_at_start_plays_and_writes_the_records_once_there_is_room(tmp_path):
    why = can_mount_tmpfs()
    if why:
        pytest.skip(why)
    # GIVEN var/ is a full disk when the player starts
    config = tiny_hall(tmp_path / "hall", "1s")
    (tmp_path / "hall/var").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "driver.py").write_text(DRIVER)
    stats = out / "stats.json"
    # WHEN it runs, and the disk gets room again after a few seconds
    proc = subprocess.run(["unshare", "-rm", sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "hall/var"),
                           str(out), *run_args(config, "--exit-after", "7", "--stats", str(stats))],
                          capture_output=True, text=True, env=player_env(), timeout=240)
    stderr = (out / "stderr.txt").read_text() if (out / "stderr.txt").exists() else ""
    # THEN it played and exited normally
    assert proc.returncode == 0, proc.stderr + stderr
    assert json.loads(stats.read_text())["displays"]["front"]["frames_presented"] >= 1
    # AND the plays shown while the disk was full were written once it had room
    freed = dt.datetime.fromisoformat((out / "freed.txt").read_text())
    rows = plays(out / "plays.sqlite")
    assert any(dt.datetime.fromisoformat(r[2]) < freed and r[0] in ("completed", "cut") for r in rows), (rows, freed)
    assert "written again" in stderr


def test_after_a_sigkill_the_next_start_closes_the_rows_that_were_on_the_walls(tmp_path):
    # GIVEN a player showing a one-hour picture
    config = tiny_hall(tmp_path, "1h")
    db = tmp_path / "var/plays.sqlite"
    with open(tmp_path / "first.err", "wb") as err:
        player = subprocess.Popen(run_args(config), stdout=subprocess.DEVNULL, stderr=err, env=player_env())
    try:
        # WHEN its row has been brought up to date at least once, and it is killed outright
        deadline = time.monotonic() + 90
        while True:
            assert time.monotonic() < deadline and player.poll() is None, (tmp_path / "first.err").read_text()
            if db.exists():
                try:
                    rows = plays(db)
                except sqlite3.OperationalError:  # the player is making the tables
                    rows = []
                if rows and rows[0][0] == "playing" and rows[0][3] > rows[0][2]:
                    break
            time.sleep(0.1)
    finally:
        player.kill()
        player.wait(timeout=30)
    (killed,) = plays(db)
    assert killed[0] == "playing"  # the row survived the kill
    # AND the player starts again
    proc = subprocess.run(run_args(config, "--exit-after", "2"), capture_output=True, text=True,
                          env=player_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    # THEN the killed play is cut, with the reason, at the last time it was known to be on the wall
    rows = plays(db)
    assert rows[0] == ("cut", REASON_STOPPED, killed[2], killed[3], killed[4])
    assert killed[4] > 0
    assert "closed as cut" in proc.stderr
    # AND the new run recorded its own play
    assert len(rows) >= 2 and rows[1][0] in ("cut", "completed")
