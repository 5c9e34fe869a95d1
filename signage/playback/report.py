"""Proof of play: what each campaign actually aired, per day and display, next to what was planned.

Actual numbers come only from the play records the player wrote (``var/plays.sqlite``; a
rehearsal's own file is never read); the plan comes from the same planner the walls use, so
"planned" is what the schedule intended to air. Both are counted up to ``until`` (now): a day
that has not come yet has aired nothing, and today counts up to the present moment.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from signage.playback.planner import Planner
from signage.playback.records import Outcome
from signage.schedule import resolve

COLUMNS = ("date", "display", "tenant", "campaign", "title", "planned_plays", "plays", "completed", "cut_short",
           "failed", "playing", "airtime_s", "planned_airtime_s")


@dataclass
class Row:
    date: str
    display: str
    tenant: str
    campaign: int
    title: str
    planned_plays: int = 0
    plays: int = 0
    completed: int = 0
    cut_short: int = 0
    failed: int = 0
    playing: int = 0  # on the wall as the report was made (counted in plays, airtime so far)
    airtime_s: float = 0.0
    planned_airtime_s: float = 0.0

    def to_json(self) -> dict:
        out = asdict(self)
        out["airtime_s"] = round(self.airtime_s, 1)
        out["planned_airtime_s"] = round(self.planned_airtime_s, 1)
        return out


def actual_plays(plays_db: Path, first: dt.date, last: dt.date, until: dt.datetime) -> list[tuple]:
    """(date, display, campaign_id, outcome, duration_s) for every recorded promo play that started
    by ``until`` (a row dated later was not aired: a clock set wrong, or an old rehearsal)."""
    if not plays_db.exists():
        return []
    with closing(sqlite3.connect(f"file:{plays_db}?mode=ro", uri=True, timeout=10)) as db:
        columns = {r[1] for r in db.execute("PRAGMA table_info(plays)")}
        if "campaign_id" not in columns:
            return []
        rows = db.execute(
            "SELECT substr(started, 1, 10), display, campaign_id, outcome, duration_s, started FROM plays"
            " WHERE campaign_id IS NOT NULL AND substr(started, 1, 10) BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat())).fetchall()
    return [r[:5] for r in rows if dt.datetime.fromisoformat(r[5]) <= until]


def build(planner: Planner, plays_db: Path, first: dt.date, last: dt.date, tenant: str | None = None,
          with_plan: bool = True, until: dt.datetime | None = None) -> list[Row]:
    """Rows per day, display and campaign; ``until`` (the present, by default the end of ``last``)
    is where counting stops, for the plan as for the records."""
    hall = planner.hall
    campaigns = {c.id: c for c in planner.campaigns.campaigns if tenant is None or c.tenant == tenant}
    rows: dict[tuple, Row] = {}
    tz = hall.tz
    start = dt.datetime(first.year, first.month, first.day, tzinfo=tz)
    end = dt.datetime(last.year, last.month, last.day, tzinfo=tz) + dt.timedelta(days=1)
    until = end if until is None else min(until, end)

    def row(date: str, display: str, cid: int) -> Row:
        key = (date, display, cid)
        if key not in rows:
            c = campaigns[cid]
            rows[key] = Row(date, display, c.tenant, cid, c.title)
        return rows[key]

    for date, display, cid, outcome, duration in actual_plays(plays_db, first, last, until):
        if cid not in campaigns:
            continue
        r = row(date, display, cid)
        r.plays += 1
        r.airtime_s += duration or 0.0
        if outcome == Outcome.COMPLETED:
            r.completed += 1
        elif outcome == Outcome.CUT:
            r.cut_short += 1
        elif outcome == Outcome.PLAYING:
            r.playing += 1
        else:
            r.failed += 1
    if with_plan and campaigns and until > start:
        timeline = resolve(hall.config, start, end)
        for display in hall.displays:
            if not any(display in c.displays for c in campaigns.values()):
                continue
            for a in planner.airings(timeline, display, start, until):
                if a.campaign.id in campaigns:
                    r = row(a.start.date().isoformat(), display, a.campaign.id)
                    r.planned_plays += 1
                    r.planned_airtime_s += a.length
    return sorted(rows.values(), key=lambda r: (r.date, r.display, r.tenant, r.campaign))


def totals(rows: list[Row]) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"planned_plays": 0, "plays": 0, "completed": 0, "cut_short": 0,
                                                "failed": 0, "playing": 0, "airtime_s": 0.0, "planned_airtime_s": 0.0})
    for r in rows:
        t = out[r.tenant]
        for key in t:
            t[key] += getattr(r, key)
    for t in out.values():
        t["airtime_s"] = round(t["airtime_s"], 1)
        t["planned_airtime_s"] = round(t["planned_airtime_s"], 1)
    return dict(out)
