"""Promos woven into a slot's loop, time-addressed.

Within a slot whose playlist accepts promos, the planned promo instants of every hour (see
``signage.schedule.campaigns``) become *airings*: each waits for the loop's current item to end
(if that is within ``SNAP_MAX`` seconds; a longer item is paused and resumes after the promo), and
airings never overlap (a busy moment queues them back to back). While a promo airs the loop is
paused, so the loop position at any instant is ``elapsed - promo seconds aired before it``.
All of it is computed forward from the slot's anchor, so it is a pure function of the slot,
the playlist, the campaigns and the instant: ``preview``, ``timeline --promos`` and the walls agree.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from signage.playback.sequence import Cycle
from signage.schedule.campaigns import HOUR, Campaign, Planned, hour_start

SNAP_MAX = 30.0  # seconds a promo may wait for the current loop item to finish


@dataclass(frozen=True)
class Airing:
    start: dt.datetime
    end: dt.datetime
    campaign: Campaign
    planned: dt.datetime
    before: float  # promo seconds aired earlier in this slot

    @property
    def length(self) -> float:
        return (self.end - self.start).total_seconds()


class Weave:
    def __init__(self, cycle: Cycle, anchor: dt.datetime, slot_end: dt.datetime,
                 plan: Callable[[dt.datetime], list[Planned]]):
        self.cycle = cycle
        self.anchor = anchor
        self.slot_end = slot_end
        self._plan = plan
        self.airings: list[Airing] = []
        self._starts: list[float] = []
        self._next_hour = hour_start(anchor)
        self._aired = 0.0

    def _extend(self, until: dt.datetime) -> None:
        while self._next_hour <= until and self._next_hour < self.slot_end:
            for p in self._plan(self._next_hour):
                self._place(p)
            self._next_hour += HOUR

    def _place(self, p: Planned) -> None:
        if p.at < self.anchor or p.at >= self.slot_end:
            return
        t = p.at
        if self.airings and t < self.airings[-1].end:
            t = self.airings[-1].end
        base = (t - self.anchor).total_seconds() - self._aired
        pos = self.cycle.locate(base)
        wait = self.cycle.steps[pos.index].duration - pos.offset
        if pos.offset > 1e-3 and wait <= SNAP_MAX:
            t += dt.timedelta(seconds=wait)
        end = t + dt.timedelta(seconds=p.length)
        if end > self.slot_end:
            return
        self.airings.append(Airing(t, end, p.campaign, p.at, self._aired))
        self._starts.append(t.timestamp())
        self._aired += p.length

    def at(self, when: dt.datetime) -> tuple[int, Airing | None, float]:
        """(index of the last airing started by ``when`` or -1, that airing if still on, promo
        seconds aired before ``when``)."""
        self._extend(when + HOUR)
        i = bisect.bisect_right(self._starts, when.timestamp()) - 1
        if i < 0:
            return i, None, 0.0
        a = self.airings[i]
        if when < a.end:
            return i, a, a.before
        return i, None, a.before + a.length

    def next_start(self, i: int) -> dt.datetime | None:
        return self.airings[i + 1].start if i + 1 < len(self.airings) else None

    def between(self, start: dt.datetime, end: dt.datetime) -> list[Airing]:
        self._extend(end)
        return [a for a in self.airings if a.start < end and a.end > start]
