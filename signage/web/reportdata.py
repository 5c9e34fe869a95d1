"""Proof of play for the web: the operator's and the tenant's reports from ``report.build``.

Only days that have passed count: the window is cut at local midnight of today (``until``),
and rehearsal plays are never read (they live in ``var/rehearsal/``). The CSV opens in Korean
Excel: UTF-8 with a byte-order mark, Korean headers, CRLF lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from signage.config.hall import Hall
from signage.i18n import t_in
from signage.playback.records import plays_db_path
from signage.playback.report import Row, build
from signage.web.portal import wall_label

MAX_DAYS = 366
CSV_COLUMNS = (("rc_date", "date"), ("rc_wall", "display"), ("rc_tenant", "tenant"), ("rc_campaign", "campaign"),
               ("rc_title", "title"), ("rc_planned", "planned_plays"), ("rc_aired", "plays"),
               ("rc_completed", "completed"), ("rc_cut", "cut_short"), ("rc_failed", "failed"),
               ("rc_airtime", "airtime_s"), ("rc_planned_airtime", "planned_airtime_s"))


def passed_until(now: dt.datetime) -> dt.datetime:
    """The end of the last day that has passed: local midnight today."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def default_window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    last = passed_until(now).date() - dt.timedelta(days=1)
    return last - dt.timedelta(days=29), last


def parse_window(first: str | None, last: str | None, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The days asked for; ValueError when they are not dates in order or span too long."""
    d_first, d_last = default_window(now)
    if first:
        d_first = dt.date.fromisoformat(first)
    if last:
        d_last = dt.date.fromisoformat(last)
    if d_last < d_first or (d_last - d_first).days >= MAX_DAYS:
        raise ValueError("window")
    return d_first, d_last


def rows(hall: Hall, planner, first: dt.date, last: dt.date, now: dt.datetime, tenant: str | None = None) -> list[Row]:
    until = passed_until(now)
    if dt.datetime.combine(first, dt.time(), now.tzinfo) >= until:
        return []
    return build(planner, plays_db_path(hall.root / "var"), first, last, tenant, until=until)


def csv_bytes(hall: Hall, data: list[Row], lang: str = "ko") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([t_in(lang, key) for key, _ in CSV_COLUMNS])
    for r in data:
        values = r.to_json()
        values["display"] = wall_label(hall, r.display, lang)
        writer.writerow([values[field] for _, field in CSV_COLUMNS])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def chart_png(data: list[Row], first: dt.date, last: dt.date, title: str, out: Path) -> Path:
    from signage.playback.chart import draw

    return draw(data, first, last, title, out)


def certificate(hall: Hall, planner, campaign, company: str, month: str, now: dt.datetime, lang: str = "ko") -> bytes:
    """The signed monthly 송출 확인서 of ``campaign``; ValueError when no day of it has passed."""
    from signage.playback.certificate import issue, month_window

    first, last = month_window(month)
    until = min(passed_until(now), dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), now.tzinfo))
    if dt.datetime.combine(first, dt.time(), now.tzinfo) >= until:
        raise ValueError("not yet")
    data = build(planner, plays_db_path(hall.root / "var"), first, last, campaign.tenant, until=until)
    labels = {d: wall_label(hall, d, lang) for d in hall.displays}
    return issue(var=hall.root / "var", hall_name=hall.name, company=company, tenant=campaign.tenant,
                 campaign=campaign, rows=data, month=month, until=until, issued=now, labels=labels)
