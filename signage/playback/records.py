"""Play records in SQLite: one row per item actually shown (the proof of play).

A row is written when an item starts (outcome ``playing``) and updated as it plays and when it
ends, so a player killed outright loses at most the last few seconds of what it showed; the next
start closes such rows as ``cut``. Rows are written by a background thread: nothing a wall does
waits for SQLite or the disk. When the database cannot be written (disk full, locked by another
process, damaged) the rows wait in memory, at most ``MAX_PENDING`` plays, and are written once
it can; past that bound the oldest finished plays are dropped and the count is logged. What
still waits when the player stops and the database still cannot be written goes to a spill file
beside it (``plays-waiting-*.jsonl``, written whole or not at all), and the next start writes
those rows into the database before its own and removes the file.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from signage.i18n import t
from signage.playback.playsdb import Hashes, open_db, plays_db_path
from signage.sqlite import check_integrity, is_corrupt, set_aside

__all__ = ["MAX_PENDING", "REASON_STOPPED", "Outcome", "PlayLog", "PlayRecord", "open_db", "plays_db_path"]

log = logging.getLogger("signage.records")

MAX_PENDING = 10_000  # plays (and operator actions) waiting in memory while the database cannot be written
REASON_STOPPED = "플레이어가 중단됨 / player stopped"  # stored in rows the next start closes


class Outcome(enum.StrEnum):
    PLAYING = "playing"  # on the wall now; a row still ``playing`` with no player running was cut
    COMPLETED = "completed"
    CUT = "cut"
    FAILED = "failed"


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
    started: str  # ISO 8601 with offset, wall clock
    ended: str  # wall clock; for an open row, the last time it was seen playing
    duration_s: float  # measured on the monotonic clock: a wall-clock step does not change it
    planned_s: float | None
    frames_presented: int
    frames_dropped: int
    outcome: str  # an Outcome value
    reason: str | None = None
    campaign_id: int | None = None  # a tenant promo: which campaign aired it
    aloud_s: float | None = None  # seconds heard on the hall's speakers; None: a wall that makes no sound


SPILL_GLOB = "plays-waiting-*.jsonl"
_PLAY_FIELDS = {f.name for f in fields(PlayRecord)}

_UPSERT = (
    "INSERT INTO plays (play_key, display, playlist, source, slot_name, item_index, kind, asset, asset_sha256,"
    " page, started, ended, duration_s, planned_s, frames_presented, frames_dropped, outcome, reason, campaign_id,"
    " aloud_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (play_key) DO UPDATE SET ended = excluded.ended, duration_s = excluded.duration_s,"
    " frames_presented = excluded.frames_presented, frames_dropped = excluded.frames_dropped,"
    " outcome = excluded.outcome, reason = excluded.reason, aloud_s = excluded.aloud_s"
)


class PlayLog:
    """Play records and operator actions from any thread; a writer thread puts them in ``path``.

    ``add(record, key)`` gives the latest state of one play: the first call inserts its row, later
    calls with the same key update it (an open ``playing`` row becomes ``completed``, ``cut`` or
    ``failed``). Nothing here blocks the caller: states wait in memory (the newest state of a play
    replaces an older one still waiting) until the writer can write them.
    """

    def __init__(self, path: Path, *, limit: int = MAX_PENDING, flush_every: float = 0.5,
                 retry_first_s: float = 0.5, retry_max_s: float = 10.0, patience_s: float = 2.0,
                 close_patience_s: float = 5.0):
        self.path = path
        self.limit = limit
        self.flush_every = flush_every
        self.retry_first_s = retry_first_s
        self.retry_max_s = retry_max_s
        self.patience_s = patience_s  # SQLite's busy timeout for one attempt
        self.close_patience_s = close_patience_s  # how long closing keeps retrying before it gives up
        self.dropped = 0  # plays dropped because the queue was full
        self.failures = 0  # write attempts that failed
        self.closed_open_rows = 0  # rows of a stopped player this one closed as cut
        self._cond = threading.Condition()
        self._plays: dict[str, PlayRecord] = {}  # key -> latest state, oldest first
        self._actions: list = []
        self._pending_since = 0.0
        self._in_flight = 0
        self._urgent = False
        self._closing = False
        self._close_by: float | None = None
        self._delay = 0.0
        self._retry_at = 0.0
        self._failing: str | None = None  # the error of the current episode, while writes fail
        self._dropped_logged = 0
        self._recovered = False
        self._conn: sqlite3.Connection | None = None
        self._hashes = Hashes()
        self._thread = threading.Thread(target=self._run, name="play-records", daemon=True)
        self._thread.start()

    # ---- producers (any thread, never blocking on the disk) ----------------------------------

    def add(self, record: PlayRecord, key: str | None = None) -> str:
        """The latest state of the play ``key`` (a new key when None); returns the key."""
        key = key or uuid.uuid4().hex
        with self._cond:
            self._note_pending()
            self._plays[key] = record  # an update keeps the play's place: rows are made in start order
            self._trim()
            self._cond.notify_all()
        return key

    def add_action(self, action) -> None:
        """An operator action (``signage.playback.holds.Action``): who, from where, when, what."""
        with self._cond:
            self._note_pending()
            self._actions.append(action)
            self._trim()
            self._cond.notify_all()

    def pending(self) -> int:
        """Plays and actions not yet in the database."""
        with self._cond:
            return len(self._plays) + len(self._actions) + self._in_flight

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything added so far is written (True) or ``timeout`` passes (False)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._urgent = True
            self._cond.notify_all()
            while self._plays or self._actions or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._cond.wait(left)
            return True

    def close(self) -> None:
        """Write what waits (retrying for up to ``close_patience_s``), then stop the writer."""
        with self._cond:
            self._closing = True
            self._retry_at = 0.0  # one more attempt now, whatever the backoff said
            self._cond.notify_all()
        self._thread.join(timeout=self.close_patience_s + 2 * self.patience_s + 5)

    def _note_pending(self) -> None:
        if not self._plays and not self._actions:
            self._pending_since = time.monotonic()

    def _trim(self) -> None:
        """Hold at most ``limit`` waiting entries: drop the oldest finished play (open rows and
        operator actions go last)."""
        while len(self._plays) + len(self._actions) > self.limit:
            victim = next((k for k, r in self._plays.items() if r.outcome != Outcome.PLAYING), None)
            if victim is not None:
                del self._plays[victim]
            elif self._actions:
                self._actions.pop(0)
            else:
                del self._plays[next(iter(self._plays))]
            self.dropped += 1
            if self._dropped_logged == 0 or self.dropped >= 10 * self._dropped_logged:
                self._dropped_logged = self.dropped  # 1, 10, 100, …: edges, not every record
                log.error(t("rec_dropped", limit=self.limit, dropped=self.dropped))

    # ---- the writer thread -------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                batch = self._next_batch()
                if batch is None:
                    break
                plays, actions = batch
                error = self._attempt(plays, actions)
                if self._settle(plays, actions, error):
                    break
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _next_batch(self) -> tuple[dict, list] | None:
        """Wait until a batch is due (coalescing updates for ``flush_every``, backing off after a
        failure); None when closing with nothing left. The first batch may be empty: opening the
        database at once closes the rows a stopped player left open."""
        with self._cond:
            while True:
                now = time.monotonic()
                pending = bool(self._plays or self._actions)
                if not self._recovered and not self._closing:
                    due = self._retry_at
                elif self._closing:
                    if not pending:
                        return None
                    if self._close_by is None:
                        self._close_by = now + self.close_patience_s
                    due = min(self._retry_at, self._close_by)
                elif not pending:
                    self._cond.wait()
                    continue
                elif self._urgent:
                    due = self._retry_at
                else:
                    due = max(self._retry_at, self._pending_since + self.flush_every)
                if now >= due:
                    plays, self._plays = self._plays, {}
                    actions, self._actions = self._actions, []
                    self._in_flight = len(plays) + len(actions)
                    return plays, actions
                self._cond.wait(due - now)

    def _settle(self, plays: dict, actions: list, error: Exception | None) -> bool:
        """Account for one attempt; True when the writer should stop (closing and giving up).
        Logged after the lock is let go: a wall adding a record never waits for a log write."""
        notes: list[tuple[int, str]] = []
        lost = 0
        with self._cond:
            self._in_flight = 0
            if error is None:
                if self._failing is not None:
                    notes.append((logging.WARNING, t("rec_write_recovered", count=len(plays) + len(actions),
                                                      path=self.path)))
                    if self.dropped:
                        notes.append((logging.ERROR, t("rec_dropped", limit=self.limit, dropped=self.dropped)))
                    self._failing = None
                self._delay = 0.0
                self._retry_at = 0.0
                if not self._plays and not self._actions:
                    self._urgent = False
            else:
                self.failures += 1
                merged = dict(plays)
                merged.update(self._plays)  # newer states of the same plays win
                self._plays = merged
                self._actions = actions + self._actions
                self._trim()
                self._delay = min(max(self._delay * 2, self.retry_first_s), self.retry_max_s)
                self._retry_at = time.monotonic() + self._delay
                if self._failing is None:  # the edge of an episode, not every retry
                    self._failing = str(error)
                    notes.append((logging.ERROR, t("rec_write_failed", path=self.path, error=error,
                                                   count=len(self._plays) + len(self._actions), limit=self.limit)))
                if self._closing and time.monotonic() >= (self._close_by or 0.0):
                    lost = len(self._plays) + len(self._actions)
                    left = (self._plays, self._actions)
                    self._plays, self._actions = {}, []
            self._cond.notify_all()
        if lost:
            try:
                spilled = self._spill(*left)
            except OSError as err:
                notes.append((logging.ERROR, t("rec_lost_at_exit", count=lost, path=self.path,
                                               error=f"{error}; {err}")))
            else:
                notes.append((logging.ERROR, t("rec_spilled", count=lost, path=self.path, error=error, file=spilled)))
        for level, text in notes:
            log.log(level, text)
        return bool(lost)

    def _attempt(self, plays: dict, actions: list) -> Exception | None:
        """Write one batch in one transaction; the error when it could not be written."""
        hashes = {key: self._hashes.of(r.asset) for key, r in plays.items()}
        for tries in (1, 2):  # a damaged database is set aside and the batch goes to a new one
            try:
                if self._conn is None:
                    self._conn = self._open()
                closed = 0
                spills = [] if self._recovered else sorted(self.path.parent.glob(SPILL_GLOB))
                with self._conn:
                    if not self._recovered:
                        done = {spill: self._restore(self._conn, spill) for spill in spills}
                        closed = self._close_open_rows(self._conn)
                    for key, r in plays.items():
                        self._conn.execute(_UPSERT, (
                            key, r.display, r.playlist, r.source, r.slot_name, r.item_index, r.kind, r.asset,
                            hashes[key], r.page, r.started, r.ended, r.duration_s, r.planned_s,
                            r.frames_presented, r.frames_dropped, str(r.outcome), r.reason, r.campaign_id, r.aloud_s))
                    for a in actions:
                        self._conn.execute(
                            "INSERT INTO operator_actions (at, by, action, displays, detail) VALUES (?,?,?,?,?)",
                            (a.when.isoformat(timespec="seconds"), a.by, a.action, ",".join(a.displays), a.detail))
                if not self._recovered:
                    self._recovered = True
                    self.closed_open_rows = closed
                    read = [spill for spill in spills if done[spill] is not None]
                    for spill in read:  # its rows are in the database now
                        spill.unlink(missing_ok=True)
                    if read:
                        log.warning(t("rec_spill_restored", count=sum(done[p] for p in read),
                                      files=", ".join(p.name for p in read)))
                    if closed:
                        log.warning(t("rec_closed_open", count=closed))
                return None
            except (sqlite3.Error, OSError) as exc:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
                if tries == 1 and is_corrupt(exc) and self._set_aside(exc):
                    continue
                return exc
        return None  # not reached

    def _spill(self, plays: dict, actions: list) -> Path:
        """Write what could not go into the database to a new spill file beside it (complete and
        synced, or not there at all); its path."""
        lines = [json.dumps({"play": key, "sha256": self._hashes.of(r.asset), **asdict(r)}, ensure_ascii=False)
                 for key, r in plays.items()]
        lines += [json.dumps({"action": a.action, "at": a.when.isoformat(timespec="seconds"), "by": a.by,
                              "displays": list(a.displays), "detail": a.detail}, ensure_ascii=False) for a in actions]
        stamp = time.strftime("%Y%m%d-%H%M%S")
        final = self.path.parent / f"plays-waiting-{stamp}-{uuid.uuid4().hex[:8]}.jsonl"
        tmp = final.with_name("." + final.name + ".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                data = ("\n".join(lines) + "\n").encode("utf-8")
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, final)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return final

    @staticmethod
    def _restore(conn: sqlite3.Connection, spill: Path) -> int | None:
        """The rows of one spill file, into the database (inside the caller's transaction); how
        many, or None when the file cannot be read (it stays; this player's rows do not wait for
        it). A line that cannot be read is skipped and logged, the rest still count."""
        try:
            text = spill.read_bytes().decode("utf-8", "replace")
        except OSError as exc:
            log.error(t("rec_spill_bad_line", file=spill, line=0, error=exc))
            return None
        count = 0
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if "play" in row:
                    r = PlayRecord(**{k: v for k, v in row.items() if k in _PLAY_FIELDS})
                    conn.execute(_UPSERT, (
                        row["play"], r.display, r.playlist, r.source, r.slot_name, r.item_index, r.kind, r.asset,
                        row.get("sha256"), r.page, r.started, r.ended, r.duration_s, r.planned_s,
                        r.frames_presented, r.frames_dropped, str(r.outcome), r.reason, r.campaign_id, r.aloud_s))
                else:
                    conn.execute("INSERT INTO operator_actions (at, by, action, displays, detail) VALUES (?,?,?,?,?)",
                                 (row["at"], row["by"], row["action"], ",".join(row["displays"]), row.get("detail", "")))
            except (ValueError, TypeError, KeyError, sqlite3.IntegrityError) as exc:
                log.error(t("rec_spill_bad_line", file=spill, line=number, error=exc))
                continue
            count += 1
        return count

    def _open(self) -> sqlite3.Connection:
        conn = open_db(self.path, self.patience_s)
        try:
            check_integrity(conn)
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _close_open_rows(self, conn: sqlite3.Connection) -> int:
        """Rows a stopped player left ``playing``: cut at their last known end. Runs once, before
        this player's own rows are written."""
        cur = conn.execute("UPDATE plays SET outcome = ?, reason = ? WHERE outcome = ?",
                           (str(Outcome.CUT), REASON_STOPPED, str(Outcome.PLAYING)))
        return cur.rowcount

    def _set_aside(self, exc: Exception) -> bool:
        try:
            kept = set_aside(self.path)
        except OSError as err:
            log.error(t("rec_db_set_aside_failed", path=self.path, error=err))
            return False
        log.error(t("rec_db_corrupt", path=self.path, kept=kept, error=exc))
        return True
