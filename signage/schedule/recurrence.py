"""Occurrences of recurring windows (dayparts, dark hours) and Korean public holidays.

A window belongs to the day it starts on: a Friday 22:00–02:00 window runs into Saturday.
We enumerate days directly rather than through APScheduler's ``CronTrigger``: a cron trigger has
no notion of a window's length, and stepping one through a year took ~10 ms per daypart here,
which is too slow for a year of 100 dayparts (see BENCHMARKS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> frozenset[dt.date]:
    import holidays  # loaded when a schedule first asks (9 MB resident; many halls never do)

    return frozenset(holidays.country_holidays("KR", years=year).keys())


def is_korean_holiday(day: dt.date) -> bool:
    return day in _korean_holidays(day.year)


def korean_holiday_name(day: dt.date) -> str | None:
    import holidays

    return holidays.country_holidays("KR", years=day.year, language="ko").get(day)


def occurrences(
    start_min: int,
    end_min: int,
    window_start: dt.datetime,
    window_end: dt.datetime,
    tz: dt.tzinfo,
    *,
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6),
    dates: tuple[dt.date, ...] | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    skip_holidays: bool = False,
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each occurrence that overlaps ``[window_start, window_end)``.

    ``start_min``/``end_min`` are minutes after midnight (``end_min`` may be 1440 for 24:00);
    ``end_min <= start_min`` means the window runs past midnight into the next day.
    """
    day = window_start.astimezone(tz).date() - ONE_DAY
    stop = window_end.astimezone(tz).date()
    if first and day < first:
        day = first
    if last and stop > last:
        stop = last
    date_set = frozenset(dates) if dates is not None else None
    weekdays = frozenset(days)
    while day <= stop:
        if (
            day.weekday() in weekdays
            and (date_set is None or day in date_set)
            and not (skip_holidays and is_korean_holiday(day))
        ):
            midnight = dt.datetime(day.year, day.month, day.day)
            start = (midnight + dt.timedelta(minutes=start_min)).replace(tzinfo=tz)
            span = end_min - start_min if end_min > start_min else end_min + 1440 - start_min
            end = (midnight + dt.timedelta(minutes=start_min + span)).replace(tzinfo=tz)
            if start < window_end and end > window_start:
                yield start, end
        day += ONE_DAY
