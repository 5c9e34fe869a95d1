"""The week calendar: per day and wall, the blocks ``signage.schedule.resolve`` gives (no second model).

Positions are fractions of the day, so the page lays blocks out with plain CSS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from signage.config.hall import Hall
from signage.config.models import event_bounds
from signage.schedule import resolve

MINUTES = 24 * 60


@dataclass(frozen=True)
class Block:
    display: str
    start: dt.datetime
    end: dt.datetime
    source: str  # default | daypart | event | dark
    playlist: str | None
    name: str | None
    advance: str
    event: int | None  # index in schedule.events when the block is an event

    @property
    def top(self) -> float:
        return (self.start.hour * 60 + self.start.minute) / MINUTES * 100

    @property
    def height(self) -> float:
        midnight = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        end_min = (self.end - midnight).total_seconds() / 60
        return max(min(end_min, MINUTES) - (self.start.hour * 60 + self.start.minute), 0) / MINUTES * 100


@dataclass(frozen=True)
class Day:
    date: dt.date
    walls: dict[str, list[Block]]
    today: bool


@dataclass(frozen=True)
class Week:
    monday: dt.date
    days: list[Day]
    displays: list[str]
    now: dt.datetime
    now_top: float | None  # where the now line is in today's column (percent), None off this week

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(hall: Hall, monday: dt.date, now: dt.datetime) -> Week:
    tz = hall.tz
    start = dt.datetime(monday.year, monday.month, monday.day, tzinfo=tz)
    end_day = monday + dt.timedelta(days=7)
    end = dt.datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz)
    timeline = resolve(hall.config, start, end)
    bounds = [event_bounds(e, tz) for e in hall.config.schedule.events]
    events = hall.config.schedule.events

    def event_index(display: str, name: str | None, s: dt.datetime) -> int | None:
        for i, (es, ee) in enumerate(bounds):
            if events[i].name == name and display in events[i].displays and es <= s < ee:
                return i
        return None

    days = [monday + dt.timedelta(days=i) for i in range(7)]
    walls: dict[dt.date, dict[str, list[Block]]] = {d: {w: [] for w in hall.displays} for d in days}
    for display, slots in timeline.by_display.items():
        for slot in slots:
            cursor = slot.start
            while cursor < slot.end:
                day = cursor.date()
                nxt = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)
                piece_end = min(slot.end, nxt)
                idx = event_index(display, slot.name, cursor) if slot.source == "event" else None
                if day in walls:
                    walls[day][display].append(
                        Block(display, cursor, piece_end, slot.source, slot.playlist, slot.name, slot.advance, idx)
                    )
                cursor = piece_end
    now = now.astimezone(tz)
    today = now.date()
    now_top = (now.hour * 60 + now.minute) / MINUTES * 100 if today in walls else None
    return Week(
        monday=monday,
        days=[Day(d, walls[d], d == today) for d in days],
        displays=list(hall.displays),
        now=now,
        now_top=now_top,
    )
