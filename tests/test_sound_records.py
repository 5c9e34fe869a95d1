"""Proof of play says whether an item was heard: the ``aloud_s`` column of ``plays``."""

from __future__ import annotations

import sqlite3

from signage.playback.records import PlayLog, PlayRecord


def record(n: int, aloud_s: float | None) -> PlayRecord:
    return PlayRecord("front", "p", "event", "n", n, "video", f"/m/{n}.mp4", None, "2026-12-03T12:00:00+09:00",
                      "2026-12-03T12:00:10+09:00", 10.0, 10.0, 250, 0, "completed", aloud_s=aloud_s)


OLD_PLAYS = """CREATE TABLE plays (
    id INTEGER PRIMARY KEY, display TEXT NOT NULL, playlist TEXT, source TEXT, slot_name TEXT,
    item_index INTEGER, kind TEXT NOT NULL, asset TEXT, asset_sha256 TEXT, page INTEGER,
    started TEXT NOT NULL, ended TEXT NOT NULL, duration_s REAL NOT NULL, planned_s REAL,
    frames_presented INTEGER NOT NULL, frames_dropped INTEGER NOT NULL, outcome TEXT NOT NULL,
    reason TEXT, campaign_id INTEGER, play_key TEXT)"""


def test_plays_record_seconds_heard_and_old_databases_get_the_column(tmp_path):
    # GIVEN a proof-of-play database from before sound (no aloud_s column), with one row
    db = tmp_path / "plays.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute(OLD_PLAYS)
        conn.execute("INSERT INTO plays (display, kind, started, ended, duration_s, frames_presented,"
                     " frames_dropped, outcome) VALUES ('rear', 'image', 'a', 'b', 5, 1, 0, 'completed')")
    conn.close()
    # WHEN the player opens it and records a clip heard for 9.5 s and one on a silent wall
    log = PlayLog(db)
    key = log.add(record(1, 0.0))
    log.add(record(1, 9.5), key)  # the row's later state: heard for 9.5 s
    log.add(record(2, None))
    log.close()
    # THEN the column is there, the old row has NULL, the rows say how long they were heard
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT item_index, aloud_s FROM plays ORDER BY id").fetchall()
    conn.close()
    assert rows == [(None, None), (1, 9.5), (2, None)]
