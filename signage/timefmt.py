"""Parsing and formatting of the time words users write: "10:30", "10s", "2026-12-03 14:00"."""

from __future__ import annotations

import datetime as dt
import re

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|m|s)")
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    "월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}


def parse_duration(value: str | int | float) -> float:
    """Seconds from ``10s``, ``1m30s``, ``0.5s``, ``250ms``, ``2h`` or a plain number."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().lower().replace(" ", "")
    if not text:
        raise ValueError(value)
    try:
        return float(text)
    except ValueError:
        pass
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            raise ValueError(value)
        number, unit = float(match.group(1)), match.group(2)
        total += number * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
        pos = match.end()
    if pos != len(text):
        raise ValueError(value)
    return total


def parse_clock(value: str) -> dt.time | None:
    """``"HH:MM"`` → time; ``"24:00"`` → None meaning end of day. Raises ValueError."""
    match = _TIME.match(str(value).strip())
    if not match:
        raise ValueError(value)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24:
        if minute:
            raise ValueError(value)
        return None
    return dt.time(hour, minute)


def clock_minutes(value: dt.time | None) -> int:
    return 24 * 60 if value is None else value.hour * 60 + value.minute


def parse_weekday(value: str) -> int:
    text = str(value).strip().lower()
    if text in _WEEKDAYS:
        return _WEEKDAYS.index(text)
    if text in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[text]
    raise ValueError(value)


def weekday_names() -> tuple[str, ...]:
    return _WEEKDAYS


def parse_local_datetime(value: str, tz: dt.tzinfo) -> dt.datetime:
    """ISO 8601 date-time; naive values are in ``tz`` (the hall's time zone)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += " 00:00"
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"
