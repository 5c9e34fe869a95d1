"""The resolver: a pure function of (hall configuration, time window) → ``Timeline``.

Layers, highest first: events > dayparts (higher priority, then later in the list) > dark hours
> the default loop. Dark hours replace the default loop; dayparts and events still play inside
them. A layer that does not name a display falls through to the layer below.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from signage.config.models import HallConfig, event_bounds
from signage.schedule.recurrence import occurrences
from signage.schedule.timeline import Slot, Timeline

_DEFAULT, _DARK, _DAYPART, _EVENT = 0, 1, 2, 3


@dataclass(frozen=True)
class _Claim:
    start: dt.datetime
    end: dt.datetime
    rank: tuple[int, int, int]
    playlist: str | None
    source: str
    name: str | None
    advance: str = "auto"


def resolve(config: HallConfig, start: dt.datetime, end: dt.datetime) -> Timeline:
    """Resolve the schedule for ``[start, end)``. ``start``/``end`` must be timezone-aware."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("resolve() needs timezone-aware datetimes")
    tz = ZoneInfo(config.timezone)
    start, end = start.astimezone(tz), end.astimezone(tz)
    claims = _claims(config, start, end, tz)
    by_display = {d: _sweep(d, claims[d], start, end) for d in config.displays}
    return Timeline(timezone=config.timezone, start=start, end=end, by_display=by_display)


def _claims(config: HallConfig, start: dt.datetime, end: dt.datetime, tz) -> dict[str, list[_Claim]]:
    sched = config.schedule
    claims: dict[str, list[_Claim]] = {d: [] for d in config.displays}
    for display, assign in sched.default.items():
        if display in claims:
            claims[display].append(
                _Claim(start, end, (_DEFAULT, 0, 0), assign.playlist, "default", None, assign.advance)
            )
    if sched.dark:
        dark = sched.dark
        for s, e in occurrences(dark.start, dark.end, start, end, tz, days=dark.days):
            for display in claims:
                claims[display].append(_Claim(s, e, (_DARK, 0, 0), None, "dark", None))
    for i, part in enumerate(sched.dayparts):
        spans = list(
            occurrences(
                part.start, part.end, start, end, tz,
                days=part.days, dates=part.dates, first=part.from_, last=part.until,
                skip_holidays=part.skip_holidays,
            )
        )
        for display, assign in part.displays.items():
            if display in claims:
                rank = (_DAYPART, part.priority, i)
                claims[display].extend(
                    _Claim(s, e, rank, assign.playlist, "daypart", part.name, assign.advance)
                    for s, e in spans
                )
    for i, event in enumerate(sched.events):
        s, e = event_bounds(event, tz)
        if s < end and e > start and s < e:
            for display, assign in event.displays.items():
                if display in claims:
                    claims[display].append(
                        _Claim(s, e, (_EVENT, 0, i), assign.playlist, "event", event.name, assign.advance)
                    )
    return claims


def _sweep(display: str, claims: list[_Claim], start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """Cut the window at every boundary and keep the highest-ranked claim in each piece."""
    if not any(c.source == "default" for c in claims):
        claims = [*claims, _Claim(start, end, (-1, 0, 0), None, "dark", None)]
    claims = sorted(claims, key=lambda c: c.start)
    bounds = sorted({start, end} | {max(c.start, start) for c in claims} | {min(c.end, end) for c in claims})
    bounds = [b for b in bounds if start <= b <= end]
    active: list[tuple[tuple[int, int, int], int, _Claim]] = []
    slots: list[Slot] = []
    nxt = 0
    for seg_start, seg_end in zip(bounds, bounds[1:], strict=False):
        while nxt < len(claims) and claims[nxt].start <= seg_start:
            c = claims[nxt]
            heapq.heappush(active, ((-c.rank[0], -c.rank[1], -c.rank[2]), nxt, c))
            nxt += 1
        while active and active[0][2].end <= seg_start:
            heapq.heappop(active)
        if not active:
            continue
        win = active[0][2]
        prev = slots[-1] if slots else None
        if (
            prev is not None
            and prev.end == seg_start
            and (prev.playlist, prev.source, prev.name, prev.advance)
            == (win.playlist, win.source, win.name, win.advance)
        ):
            slots[-1] = Slot(display, prev.start, seg_end, prev.playlist, prev.source, prev.name, prev.advance)
        else:
            slots.append(Slot(display, seg_start, seg_end, win.playlist, win.source, win.name, win.advance))
    return slots
