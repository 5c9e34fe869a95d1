"""Clocks: the wall clock in the hall's zone for the schedule, a monotonic one for frame pacing."""

from __future__ import annotations

import datetime as dt
import time


class SystemClock:
    def __init__(self, tz: dt.tzinfo):
        self.tz = tz

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    def monotonic(self) -> float:
        return time.monotonic()


class ShiftedClock(SystemClock):
    """Real time, shifted to begin at ``start``: for rehearsals (``signage run --start-at``)."""

    def __init__(self, tz: dt.tzinfo, start: dt.datetime):
        super().__init__(tz)
        self._shift = start - dt.datetime.now(tz)

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz) + self._shift


class FakeClock:
    """A clock tests move by hand; wall and monotonic time advance together."""

    def __init__(self, start: dt.datetime):
        self._now = start
        self._mono = 1000.0

    def now(self) -> dt.datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += dt.timedelta(seconds=seconds)
        self._mono += seconds

    def set(self, when: dt.datetime) -> None:
        self._mono += (when - self._now).total_seconds()
        self._now = when
