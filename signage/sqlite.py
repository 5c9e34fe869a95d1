"""Opening the project's SQLite files (play records, intake queue) safely from several processes."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path


class CorruptDatabase(sqlite3.DatabaseError):
    """The file is not an SQLite database, or its integrity check failed."""


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
        except sqlite3.Error:
            db.close()
            raise


def is_corrupt(exc: BaseException) -> bool:
    """True when ``exc`` says the file itself is damaged (not full, locked or unreadable)."""
    if isinstance(exc, CorruptDatabase):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.DatabaseError) and code is not None and (code & 0xFF) in (
        sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def check_integrity(db: sqlite3.Connection) -> None:
    """Raise ``CorruptDatabase`` unless SQLite's quick check finds the file sound."""
    row = db.execute("PRAGMA quick_check").fetchone()
    if not row or row[0] != "ok":
        raise CorruptDatabase(f"quick_check: {row[0] if row else 'no answer'}")


def set_aside(path: Path, when: dt.datetime | None = None) -> Path:
    """Move a damaged database (and its write-ahead log) to ``<name>.corrupt-<timestamp>``,
    never over an earlier one; the shared-memory index is removed. Returns the kept path."""
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(kept)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        wal.rename(kept.with_name(kept.name + "-wal"))
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    return kept
