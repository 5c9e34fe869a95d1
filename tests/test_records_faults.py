"""No play record is lost: a locked, full or damaged database, a player killed outright, a
failure before the first frame, a wall clock stepped by NTP. (The faults that need a real player
process are in ``test_records_process.py``.)"""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time

import pytest

from signage.app import Player
from signage.config.loader import load_hall
from signage.i18n import set_language
from signage.playback.clock import FakeClock
from signage.playback.records import REASON_STOPPED, Outcome, PlayLog, PlayRecord
from tests.helpers import at
from tests.media_factory import hall, write_image

FAST = {"flush_every": 0.0, "retry_first_s": 0.01, "retry_max_s": 0.05, "patience_s": 0.05}


def record(n: int, outcome: str = "completed", seconds: float = 10.0) -> PlayRecord:
    start = at("2026-12-01 10:00").replace(minute=n % 60)
    return PlayRecord("front", "loop", "default", None, n, "image", None, None, start.isoformat(),
                      start.replace(second=int(seconds)).isoformat(), seconds, 10.0, 1, 0, outcome)


def rows(db, what="item_index, outcome, reason, ended, duration_s"):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT {what} FROM plays ORDER BY id").fetchall()


def wait_for(condition, limit=10.0):
    """The writer is a real thread: give it real time, with a deadline."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


class BrokenDisk(PlayLog):
    """A PlayLog whose disk is full while ``full`` is set (the writer's real failure path after
    the attempt: rows kept, retried with backoff, bounded)."""

    full = False

    def _attempt(self, plays, actions):
        if self.full:
            return sqlite3.OperationalError("database or disk is full")
        return super()._attempt(plays, actions)


def test_records_wait_while_another_process_holds_the_database_locked(tmp_path):
    # GIVEN a play records database that another process holds with an exclusive lock
    db = tmp_path / "plays.sqlite"
    PlayLog(db).close()
    holder = _locked(db)
    log = PlayLog(db, **FAST)
    try:
        # WHEN plays are recorded while the lock is held, long enough for several failed attempts
        for n in range(3):
            log.add(record(n))
        wait_for(lambda: log.failures >= 3)
        assert log.pending() == 3
        # THEN, once the other process lets go, every one of them is written
        holder.communicate("\n", timeout=30)
        assert log.flush()
    finally:
        holder.kill()
        log.close()
    assert [r[0] for r in rows(db)] == [0, 1, 2]


def test_a_full_disk_keeps_a_bounded_buffer_and_says_what_it_dropped(tmp_path, caplog):
    # GIVEN a disk that is full and a buffer of 5 plays
    db = tmp_path / "plays.sqlite"
    log = BrokenDisk(db, limit=5, **FAST)
    log.full = True
    try:
        # WHEN 8 plays end and one is on the wall, while nothing can be written
        for n in range(8):
            log.add(record(n))
        log.add(record(99, outcome=Outcome.PLAYING), key="on-air")
        wait_for(lambda: log.failures >= 2)
        # THEN the oldest finished plays are dropped, the open one is kept, and it is logged
        assert log.dropped == 4
        assert any("dropped" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
        assert any("cannot write play records" in r.getMessage() for r in caplog.records)
        # WHEN the disk has room again
        log.full = False
        assert log.flush()
    finally:
        log.close()
    # THEN what waited is written, in the order the plays started
    assert [r[0] for r in rows(db)] == [4, 5, 6, 7, 99]
    assert any("written again" in r.getMessage() for r in caplog.records)


def test_an_update_of_a_waiting_play_replaces_it_and_takes_no_more_room(tmp_path):
    # GIVEN a full disk and a play on the wall whose open row is brought up to date many times
    db = tmp_path / "plays.sqlite"
    log = BrokenDisk(db, limit=2, **FAST)
    log.full = True
    try:
        for seconds in range(10):
            log.add(record(1, outcome=Outcome.PLAYING, seconds=seconds), key="k")
        log.add(record(1, outcome=Outcome.COMPLETED, seconds=10), key="k")
        assert log.dropped == 0
        log.full = False
        assert log.flush()
    finally:
        log.close()
    assert rows(db) == [(1, "completed", None, "2026-12-01T10:01:10+09:00", 10.0)]


def test_a_damaged_database_is_set_aside_and_replaced_loudly_in_korean(tmp_path, caplog):
    # GIVEN plays.sqlite is not a database at all
    db = tmp_path / "plays.sqlite"
    db.write_bytes(b"this is not SQLite" * 100)
    set_language("ko")
    # WHEN the player's PlayLog starts and records a play
    log = PlayLog(db, **FAST)
    try:
        log.add(record(1))
        assert log.flush()
    finally:
        log.close()
    # THEN the damaged file is kept aside, unchanged, and a new database holds the play
    kept = list(tmp_path.glob("plays.sqlite.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"this is not SQLite" * 100
    assert [r[0] for r in rows(db)] == [1]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("손상" in m and kept[0].name in m for m in errors), errors


def test_rows_left_open_by_a_killed_player_are_closed_as_cut_at_the_next_start(tmp_path):
    # GIVEN a database with a row left "playing" (its player was killed), last seen at 10:00:07
    db = tmp_path / "plays.sqlite"
    log = PlayLog(db, **FAST)
    start = at("2026-12-01 10:00")
    log.add(PlayRecord("front", "loop", "default", None, 0, "image", None, None, start.isoformat(),
                       at("2026-12-01 10:00:07").isoformat(), 7.0, 10.0, 1, 0, Outcome.PLAYING), key="open")
    log.close()
    assert rows(db)[0][1] == "playing"
    # WHEN the next player starts (before it has recorded anything)
    log = PlayLog(db, **FAST)
    try:
        wait_for(lambda: rows(db)[0][1] != "playing")
    finally:
        log.close()
    # THEN the row is cut, with the reason, at its last known end
    assert rows(db) == [(0, "cut", REASON_STOPPED, "2026-12-01T10:00:07+09:00", 7.0)]
    assert log.closed_open_rows == 1


# ---- the player's side ---------------------------------------------------------------------


class SteppingClock(FakeClock):
    """A fake clock whose wall time can be set (as NTP does) without the monotonic clock moving."""

    def step_wall(self, seconds: float) -> None:
        self._now = self._now + __import__("datetime").timedelta(seconds=seconds)


@pytest.fixture
def small_hall(tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/red.png", size=(160, 90), colour=(255, 0, 0))
    write_image(tmp_path / "m/green.png", size=(160, 90), colour=(0, 255, 0))
    (tmp_path / "m/bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnonsense")

    def make(playlist: str):
        return hall(tmp_path, {"p": playlist}, displays="  front: {screen: HDMI-1, size: [320, 180]}\n")

    make.root = tmp_path
    return make


def start_player(config, clock, var_dir):
    player = Player(load_hall(config, check_assets=False), headless=True, clock=clock, var_dir=var_dir)
    player.start(timers=False)
    return player


def play_for(player, clock, seconds, step=0.1):
    for _ in range(int(round(seconds / step))):
        clock.advance(step)
        player.tick()
        time.sleep(0.002)  # the render thread gets real time


@pytest.mark.parametrize("jump", [3600, -3600])
def test_durations_come_from_the_monotonic_clock_when_ntp_steps_the_wall_clock(qapp, small_hall, tmp_path, jump):
    # GIVEN a wall showing 10-second pictures
    config = small_hall("defaults: {duration: 10s, transition: cut}\nitems:\n  - image: m/red.png\n"
                        "  - image: m/green.png\n")
    clock = SteppingClock(at("2026-12-03 10:00:00"))
    player = start_player(config, clock, tmp_path / "var")
    try:
        # WHEN, 3 s into the first picture, the wall clock is set an hour forward or back
        play_for(player, clock, 3.0)
        clock.step_wall(jump)
        play_for(player, clock, 1.0)
    finally:
        player.stop()
    # THEN the picture that was on the wall lasted 3 s, not 3603 s or -3597 s, and was cut
    first = rows(tmp_path / "var/plays.sqlite", "duration_s, outcome, started")[0]
    assert first[0] == pytest.approx(3.0, abs=0.15) and first[1] == "cut"
    assert first[2] == "2026-12-03T10:00:00+09:00"  # start and end stay wall-clock times
    assert all(-0.01 < r[0] < 11 for r in rows(tmp_path / "var/plays.sqlite", "duration_s"))


def test_an_item_that_fails_before_its_first_frame_is_recorded_failed_with_the_reason(qapp, small_hall, tmp_path):
    # GIVEN a playlist whose first picture is a broken file
    config = small_hall("defaults: {duration: 2s, transition: cut}\nitems:\n  - image: m/bad.png\n"
                        "  - image: m/green.png\n")
    clock = FakeClock(at("2026-12-03 10:00:00"))
    player = start_player(config, clock, tmp_path / "var")
    try:
        # WHEN the wall plays it (the render thread finds it broken, however long that takes)
        deadline = time.monotonic() + 10
        while player.catalog.failed(small_hall.root / "m/bad.png") is None:
            assert time.monotonic() < deadline, "the broken picture was never rendered"
            player.tick()
            time.sleep(0.005)
        play_for(player, clock, 3.0)
    finally:
        player.stop()
    # THEN its play record is "failed" with the reason, and no frame was shown
    bad = [r for r in rows(tmp_path / "var/plays.sqlite", "asset, outcome, reason, frames_presented")
           if r[0].endswith("bad.png")]
    assert bad and all(r[1] == "failed" and r[2] and r[3] == 0 for r in bad), bad


def test_the_item_on_the_wall_has_a_row_from_its_start_kept_up_to_date(qapp, small_hall, tmp_path):
    # GIVEN a wall showing one picture for an hour
    config = small_hall("defaults: {duration: 1h, transition: cut}\nitems:\n  - image: m/red.png\n")
    clock = FakeClock(at("2026-12-03 10:00:00"))
    player = start_player(config, clock, tmp_path / "var")
    try:
        # WHEN it has just come on the wall
        play_for(player, clock, 0.5)
        assert player.play_log.flush()
        # THEN its row is there at once, open
        assert rows(tmp_path / "var/plays.sqlite", "outcome, started") == [("playing", "2026-12-03T10:00:00+09:00")]
        # WHEN it has been on the wall for 5 s (and nothing has ended)
        play_for(player, clock, 4.5)
        assert player.play_log.flush()
        # THEN its row is brought up to date within the last few seconds
        (outcome, ended, duration), = rows(tmp_path / "var/plays.sqlite", "outcome, ended, duration_s")
        assert outcome == "playing"
        assert 3.0 <= duration <= 5.0 and ended >= "2026-12-03T10:00:03+09:00"
    finally:
        player.stop()
    # AND a normal stop closes it as cut at the moment of the stop
    assert rows(tmp_path / "var/plays.sqlite", "outcome, duration_s")[0][0] == "cut"


def _locked(db):
    """Another process holding ``db`` with an exclusive lock until told (a line on its stdin)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None);"
         " db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.readline(); db.execute('COMMIT')",
         str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_records_still_waiting_at_exit_are_kept_in_a_file_and_written_at_the_next_start(tmp_path, caplog):
    # GIVEN a play records database another process holds locked, and a player recording plays
    # and an operator's black while it is
    from signage.playback.holds import Action

    db = tmp_path / "plays.sqlite"
    PlayLog(db).close()
    holder = _locked(db)
    try:
        log = PlayLog(db, close_patience_s=0.2, **FAST)
        for n in range(3):
            log.add(record(n))
        log.add(record(7, outcome=Outcome.PLAYING), key="on-air")
        log.add_action(Action(at("2026-12-01 10:05"), "console", "black", ("front", "rear"), "5분"))
        wait_for(lambda: log.failures >= 1)
        # WHEN the player stops while the lock is still held
        log.close()
    finally:
        holder.communicate("\n", timeout=30)
    # THEN nothing is lost: the records are in a spill file beside the database, and the log says where
    spills = list(tmp_path.glob("plays-waiting-*.jsonl"))
    assert len(spills) == 1 and len(spills[0].read_text(encoding="utf-8").splitlines()) == 5
    assert any(spills[0].name in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    assert not any("are lost" in r.getMessage() for r in caplog.records)
    # WHEN the next player starts with the database free
    PlayLog(db, **FAST).close()
    # THEN the rows are in the database (the one on the wall closed as cut), the action too, and
    # the spill file is gone
    assert rows(db, "item_index, outcome, reason") == [(0, "completed", None), (1, "completed", None),
                                                        (2, "completed", None), (7, "cut", REASON_STOPPED)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT by, action, displays, detail FROM operator_actions").fetchall() == [
            ("console", "black", "front,rear", "5분")]
    assert not list(tmp_path.glob("plays-waiting-*"))
    assert any("now in the database" in r.getMessage() for r in caplog.records)


def test_a_damaged_spill_file_costs_only_its_bad_lines(tmp_path, caplog):
    # GIVEN a spill file with one good play, one line cut short and bytes that are not UTF-8
    db = tmp_path / "plays.sqlite"
    PlayLog(db).close()
    line = ('{"play": "k1", "sha256": null, "display": "front", "playlist": "loop", "source": "default",'
            ' "slot_name": null, "item_index": 4, "kind": "image", "asset": null, "page": null,'
            ' "started": "2026-12-01T10:00:00+09:00", "ended": "2026-12-01T10:00:10+09:00", "duration_s": 10.0,'
            ' "planned_s": 10.0, "frames_presented": 1, "frames_dropped": 0, "outcome": "completed"}')
    (tmp_path / "plays-waiting-20261201-100000-abcd.jsonl").write_bytes(
        line.encode() + b"\n" + b'{"play": "k2", "display": "fr' + b"\n\xff\xfe\n")
    # WHEN a player starts and records a play of its own
    log = PlayLog(db, **FAST)
    log.add(record(9))
    log.close()
    # THEN the good line and the new play are written, the bad lines are named in the log, the file is gone
    assert [r[0] for r in rows(db)] == [4, 9]
    assert len([r for r in caplog.records if "cannot be read" in r.getMessage()]) == 2
    assert not list(tmp_path.glob("plays-waiting-*"))
