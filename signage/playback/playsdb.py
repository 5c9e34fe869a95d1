"""The play records database file: its schema, where it lives, and the assets' SHA-256."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from signage.sqlite import connect

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
    campaign_id INTEGER,
    play_key TEXT,
    aloud_s REAL
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

# after the columns a database from before them gets (ALTER TABLE in open_db)
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS plays_key ON plays (play_key);
CREATE INDEX IF NOT EXISTS plays_open ON plays (outcome) WHERE outcome = 'playing';
"""


def plays_db_path(var_dir: Path, rehearsal: bool = False) -> Path:
    """The proof of play is ``var/plays.sqlite``; a rehearsal (``run --start-at``) writes its own
    ``var/rehearsal/plays.sqlite``, which no report reads."""
    return var_dir / "rehearsal" / "plays.sqlite" if rehearsal else var_dir / "plays.sqlite"


def open_db(path: Path, patience_s: float = 10.0) -> sqlite3.Connection:
    conn = connect(path, SCHEMA, patience_s)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(plays)")}
    for column, kind in (("campaign_id", "INTEGER"), ("play_key", "TEXT"), ("aloud_s", "REAL")):
        if column not in columns:  # a database from before the column existed
            conn.execute(f"ALTER TABLE plays ADD COLUMN {column} {kind}")
    conn.executescript(INDEXES)
    return conn


class Hashes:
    """SHA-256 of asset files, cached by (size, mtime); None for a file that cannot be read."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[tuple[int, int], str]] = {}

    def of(self, path: str | None) -> str | None:
        if not path:
            return None
        p = Path(path)
        try:
            st = p.stat()
            stamp = (st.st_size, st.st_mtime_ns)
            hit = self._cache.get(path)
            if hit and hit[0] == stamp:
                return hit[1]
            digest = hashlib.sha256()
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError:
            return None
        self._cache[path] = (stamp, digest.hexdigest())
        return digest.hexdigest()
