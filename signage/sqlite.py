"""Opening the project's SQLite files (play records, intake queue) safely from several processes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect(path: Path, schema: str, patience_s: float = 10.0) -> sqlite3.Connection:
    """A connection in WAL mode with ``schema`` applied.

    Switching to WAL is not covered by SQLite's busy timeout, so a second process opening the
    same new database at that moment is told "database is locked": wait and retry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=patience_s)
    deadline = time.monotonic() + patience_s
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(schema)
            return db
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.05)
