"""Play records in SQLite: one row per item actually shown (the proof of play).

Rows are written by a background thread so that hashing a large clip never stalls a wall.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from signage.sqlite import connect

log = logging.getLogger("signage.records")

SCHEMA = """
CREATE TABLE IF NOT EXISTS plays (
    id INTEGER PRIMARY KEY,
    display TEXT NOT NULL,
    playlist TEXT,
    source TEXT,
    slot_name TEXT,
    item_index INTEGER,
    kind TEXT NOT NULL,
    asset TEXT,
    asset_sha256 TEXT,
    page INTEGER,
    started TEXT NOT NULL,
    ended TEXT NOT NULL,
    duration_s REAL NOT NULL,
    planned_s REAL,
    frames_presented INTEGER NOT NULL,
    frames_dropped INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    campaign_id INTEGER
);
CREATE INDEX IF NOT EXISTS plays_started ON plays (started);
CREATE TABLE IF NOT EXISTS operator_actions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,
    displays TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS plays_asset ON plays (asset_sha256);
"""


@dataclass(frozen=True)
class PlayRecord:
    display: str
    playlist: str | None
    source: str | None
    slot_name: str | None
    item_index: int | None
    kind: str
    asset: str | None
    page: int | None
    started: str  # ISO 8601 with offset
    ended: str
    duration_s: float
    planned_s: float | None
    frames_presented: int
    frames_dropped: int
    outcome: str  # completed, cut, failed
    reason: str | None = None
    campaign_id: int | None = None  # a tenant promo: which campaign aired it


def open_db(path: Path) -> sqlite3.Connection:
    conn = connect(path, SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(plays)")}
    if "campaign_id" not in columns:  # a database from before campaigns existed
        conn.execute("ALTER TABLE plays ADD COLUMN campaign_id INTEGER")
    return conn


class _Hashes:
    def __init__(self) -> None:
        self._cache: dict[str, tuple[tuple[int, int], str]] = {}

    def of(self, path: str | None) -> str | None:
        if not path:
            return None
        p = Path(path)
        try:
            st = p.stat()
        except OSError:
            return None
        stamp = (st.st_size, st.st_mtime_ns)
        hit = self._cache.get(path)
        if hit and hit[0] == stamp:
            return hit[1]
        digest = hashlib.sha256()
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        self._cache[path] = (stamp, digest.hexdigest())
        return digest.hexdigest()


class PlayLog:
    """Queue records from any thread; a writer thread hashes assets and inserts rows."""

    def __init__(self, path: Path):
        self.path = path
        open_db(path).close()
        self._queue: queue.Queue = queue.Queue()
        self._hashes = _Hashes()
        self._thread = threading.Thread(target=self._run, name="play-records", daemon=True)
        self._thread.start()

    def add(self, record: PlayRecord) -> None:
        self._queue.put(record)

    def add_action(self, action) -> None:
        """An operator action (``signage.control.state.Action``): who, from where, when, what."""
        self._queue.put(action)

    def _run(self) -> None:
        conn = open_db(self.path)
        try:
            while True:
                record = self._queue.get()
                if record is None:
                    break
                try:
                    self._insert(conn, record)
                except (sqlite3.Error, OSError) as exc:
                    log.error("cannot write play record: %s", exc)
        finally:
            conn.close()

    def _insert(self, conn: sqlite3.Connection, r) -> None:
        if not isinstance(r, PlayRecord):
            conn.execute(
                "INSERT INTO operator_actions (at, by, action, displays, detail) VALUES (?,?,?,?,?)",
                (r.when.isoformat(timespec="seconds"), r.by, r.action, ",".join(r.displays), r.detail),
            )
            conn.commit()
            return
        conn.execute(
            "INSERT INTO plays (display, playlist, source, slot_name, item_index, kind, asset, asset_sha256,"
            " page, started, ended, duration_s, planned_s, frames_presented, frames_dropped, outcome, reason,"
            " campaign_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.display, r.playlist, r.source, r.slot_name, r.item_index, r.kind, r.asset,
             self._hashes.of(r.asset), r.page, r.started, r.ended, r.duration_s, r.planned_s,
             r.frames_presented, r.frames_dropped, r.outcome, r.reason, r.campaign_id),
        )
        conn.commit()

    def close(self) -> None:
        """Write what is queued, then stop the writer."""
        self._queue.put(None)
        self._thread.join(timeout=30)
