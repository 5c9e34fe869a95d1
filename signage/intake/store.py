"""The review queue and campaigns in SQLite (``var/intake.sqlite``)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from signage.intake.rules import Reason
from signage.schedule.campaigns import Campaign, CampaignBook
from signage.sqlite import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    received TEXT NOT NULL,
    status TEXT NOT NULL,          -- refused, pending, approved, rejected, withdrawn
    sha256 TEXT,
    kind TEXT,
    original TEXT,                 -- our copy, under var/intake/originals
    facts TEXT,                    -- the probe's JSON
    reasons TEXT,                  -- JSON list of {id, args}
    duplicate_of INTEGER,
    note TEXT,
    decided TEXT
);
CREATE INDEX IF NOT EXISTS submissions_file ON submissions (tenant, filename);
CREATE INDEX IF NOT EXISTS submissions_sha ON submissions (sha256);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    tenant TEXT NOT NULL,
    title TEXT NOT NULL,
    displays TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    per_hour INTEGER NOT NULL,
    created TEXT NOT NULL,
    withdrawn TEXT,
    kind TEXT NOT NULL,
    duration_s REAL NOT NULL,
    media TEXT NOT NULL            -- JSON {display: path relative to the hall folder}
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass(frozen=True)
class Submission:
    id: int
    tenant: str
    filename: str
    size: int | None
    mtime_ns: int | None
    received: str
    status: str
    sha256: str | None
    kind: str | None
    original: str | None
    facts: dict
    reasons: tuple[Reason, ...]
    duplicate_of: int | None
    note: str | None
    decided: str | None


def _reasons_json(reasons) -> str:
    return json.dumps([{"id": r.id, "args": r.args} for r in reasons], ensure_ascii=False)


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.db = connect(path, SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # submissions
    def known(self, tenant: str, filename: str, size: int, mtime_ns: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM submissions WHERE tenant=? AND filename=? AND size=? AND mtime_ns=?",
            (tenant, filename, size, mtime_ns)).fetchone()
        return row is not None

    def same_file(self, sha256: str) -> list[Submission]:
        rows = self.db.execute("SELECT * FROM submissions WHERE sha256=? ORDER BY id", (sha256,)).fetchall()
        return [self._sub(r) for r in rows]

    def add(self, *, tenant: str, filename: str, size: int | None, mtime_ns: int | None, received: dt.datetime,
            status: str, sha256: str | None = None, kind: str | None = None, original: str | None = None,
            facts: dict | None = None, reasons=(), duplicate_of: int | None = None) -> int:
        cur = self.db.execute(
            "INSERT INTO submissions (tenant, filename, size, mtime_ns, received, status, sha256, kind, original,"
            " facts, reasons, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (tenant, filename, size, mtime_ns, received.isoformat(timespec="seconds"), status, sha256, kind,
             original, json.dumps(facts or {}, ensure_ascii=False), _reasons_json(reasons), duplicate_of))
        self.db.commit()
        return cur.lastrowid

    def get(self, sid: int) -> Submission | None:
        row = self.db.execute("SELECT * FROM submissions WHERE id=?", (sid,)).fetchone()
        return self._sub(row) if row else None

    def submissions(self, tenant: str | None = None, status: str | None = None) -> list[Submission]:
        sql, args = "SELECT * FROM submissions WHERE 1=1", []
        if tenant:
            sql, args = sql + " AND tenant=?", [*args, tenant]
        if status:
            sql, args = sql + " AND status=?", [*args, status]
        return [self._sub(r) for r in self.db.execute(sql + " ORDER BY id", args).fetchall()]

    def decide(self, sid: int, status: str, now: dt.datetime, note: str | None = None) -> None:
        self.db.execute("UPDATE submissions SET status=?, note=COALESCE(?, note), decided=? WHERE id=?",
                        (status, note, now.isoformat(timespec="seconds"), sid))
        self._bump()

    def tenants(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT tenant FROM submissions ORDER BY tenant")]

    @staticmethod
    def _sub(r) -> Submission:
        reasons = tuple(Reason(x["id"], x.get("args", {})) for x in json.loads(r[11] or "[]"))
        return Submission(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                          json.loads(r[10] or "{}"), reasons, r[12], r[13], r[14])

    # campaigns
    def add_campaign(self, sub: Submission, *, title: str, displays: list[str], first_day: dt.date,
                     last_day: dt.date, per_hour: int, created: dt.datetime, kind: str, duration_s: float,
                     media: dict[str, str]) -> int:
        cur = self.db.execute(
            "INSERT INTO campaigns (submission_id, tenant, title, displays, first_day, last_day, per_hour, created,"
            " kind, duration_s, media) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (sub.id, sub.tenant, title, ",".join(displays), first_day.isoformat(), last_day.isoformat(), per_hour,
             created.isoformat(timespec="seconds"), kind, duration_s, json.dumps(media, ensure_ascii=False)))
        self.db.execute("UPDATE submissions SET status='approved', decided=? WHERE id=?",
                        (created.isoformat(timespec="seconds"), sub.id))
        self._bump()
        return cur.lastrowid

    def withdraw(self, sid: int, now: dt.datetime) -> None:
        self.db.execute("UPDATE campaigns SET withdrawn=? WHERE submission_id=? AND withdrawn IS NULL",
                        (now.isoformat(timespec="seconds"), sid))
        self.decide(sid, "withdrawn", now)

    def campaign_rows(self) -> list[tuple]:
        return self.db.execute(
            "SELECT id, submission_id, tenant, title, displays, first_day, last_day, per_hour, created, withdrawn,"
            " kind, duration_s, media FROM campaigns ORDER BY id").fetchall()

    def campaigns(self, tz: dt.tzinfo) -> CampaignBook:
        return CampaignBook(tuple(_campaign(r, tz) for r in self.campaign_rows()), self.version())

    def version(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES ('version', '1') ON CONFLICT(key) DO UPDATE"
                        " SET value = CAST(value AS INTEGER) + 1")
        self.db.commit()


def _when(text: str | None, tz: dt.tzinfo) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _campaign(r, tz: dt.tzinfo) -> Campaign:
    return Campaign(
        id=r[0], submission_id=r[1], tenant=r[2], title=r[3], displays=tuple(r[4].split(",")),
        first_day=dt.date.fromisoformat(r[5]), last_day=dt.date.fromisoformat(r[6]), per_hour=r[7],
        created=_when(r[8], tz), withdrawn=_when(r[9], tz), kind=r[10], duration_s=r[11],
        media=json.loads(r[12]),
    )


def load_campaigns(path: Path, tz: dt.tzinfo) -> CampaignBook:
    """The campaigns in ``path``, or none if the queue was never used."""
    if not path.exists():
        return CampaignBook((), 0)
    with Store(path) as store:
        return store.campaigns(tz)


def pending(path: Path) -> list[tuple]:
    """(id, tenant, filename, kind, duration_s, received) of submissions waiting for review, read-only."""
    if not path.exists():
        return []
    import contextlib

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
            rows = db.execute("SELECT id, tenant, filename, kind, facts, received FROM submissions"
                              " WHERE status='pending' ORDER BY id").fetchall()
    except sqlite3.Error:
        return []
    return [(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}").get("duration_s"), r[5]) for r in rows]
