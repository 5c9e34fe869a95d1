"""Field types for the schema: each turns what users write into a value, or a coded error.

Errors are ``PydanticCustomError`` with a message id from ``signage.i18n`` as their type, so
``signage.config.errors`` can render them with the file position and the raw YAML text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from signage import timefmt


def fail(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def _clock(value: Any) -> int:
    if isinstance(value, bool):
        raise fail("unquoted_bool", value=value)
    if isinstance(value, int | float):
        raise fail("unquoted_time", value=value)
    try:
        return timefmt.clock_minutes(timefmt.parse_clock(str(value)))
    except ValueError:
        raise fail("bad_time", value=value) from None


def _duration(value: Any) -> float:
    if value is None or isinstance(value, bool):
        raise fail("bad_duration", value=value)
    try:
        seconds = timefmt.parse_duration(value)
    except ValueError:
        raise fail("bad_duration", value=value) from None
    if seconds <= 0:
        raise fail("duration_positive", value=value)
    return seconds


def _local_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise fail("bad_datetime", value=value)
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += " 00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise fail("bad_datetime", value=value) from None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail("bad_date", value=value) from None


def _weekday(value: Any) -> int:
    if isinstance(value, bool):
        raise fail("unquoted_bool", value=value)
    try:
        return timefmt.parse_weekday(str(value))
    except ValueError:
        close = difflib.get_close_matches(str(value).lower(), timefmt.weekday_names(), 1)
        raise fail("bad_weekday", value=value, suggestion=close[0] if close else "") from None


def _colour(value: Any) -> str:
    text = str(value).strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})", text):
        raise fail("bad_colour", value=value)
    if len(text) == 4:
        text = "#" + "".join(c * 2 for c in text[1:])
    return text.lower()


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("bad_timezone", value=value) from None
    return str(value)


def _pages(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return (value,)
    pages: list[int] = []
    for part in str(value).replace(" ", "").split(","):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise fail("bad_pages", value=value)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < 1 or last < first:
            raise fail("bad_pages", value=value)
        pages.extend(range(first, last + 1))
    return tuple(pages)


def _transition(value: Any) -> tuple[str, float]:
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if text in ("cut", "none"):
        return ("cut", 0.0)
    parts = text.split()
    if parts and parts[0] in ("fade", "crossfade"):
        try:
            seconds = timefmt.parse_duration(parts[1]) if len(parts) == 2 else 0.5
        except ValueError:
            raise fail("bad_transition", value=value) from None
        if len(parts) <= 2 and 0 <= seconds <= 10:
            return ("fade", seconds)
    raise fail("bad_transition", value=value)


def _choice(*choices: str):
    def check(value: Any) -> str:
        if isinstance(value, bool):
            raise fail("unquoted_bool", value=value)
        if str(value) not in choices:
            raise fail("bad_choice", value=value, choices=", ".join(choices))
        return str(value)

    return check


def _text(value: Any) -> str:
    """Free text: numbers are fine as text, but YAML's surprise booleans are not."""
    if isinstance(value, bool):
        raise fail("unquoted_bool", value=value)
    if isinstance(value, int | float):
        return str(value)
    return value


Clock = Annotated[int, BeforeValidator(_clock)]
Duration = Annotated[float, BeforeValidator(_duration)]
LocalDateTime = Annotated[dt.datetime, BeforeValidator(_local_datetime)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Weekday = Annotated[int, BeforeValidator(_weekday)]
Colour = Annotated[str, BeforeValidator(_colour)]
TimeZoneName = Annotated[str, BeforeValidator(_timezone)]
Pages = Annotated[tuple[int, ...] | None, BeforeValidator(_pages)]
Transition = Annotated[tuple[str, float], BeforeValidator(_transition)]
Fit = Annotated[str, BeforeValidator(_choice("contain", "cover", "stretch", "none"))]
Advance = Annotated[str, BeforeValidator(_choice("auto", "manual"))]
Text = Annotated[str, BeforeValidator(_text)]
