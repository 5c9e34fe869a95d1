"""Helpers shared by commands: loading the hall, reading times, printing problems."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from signage.config.hall import Hall
from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.i18n import t
from signage.timefmt import parse_local_datetime

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be acted on (exit code 2)."""


def load_or_report(path: str | Path, *, check_assets: bool = False) -> Hall | None:
    """The hall, or None after printing every problem to stderr."""
    try:
        return load_hall(path, check_assets=check_assets)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(t("check_failed", count=len(exc.problems)), file=sys.stderr)
        return None


def cli_time(value: str, tz: dt.tzinfo) -> dt.datetime:
    try:
        return parse_local_datetime(value, tz)
    except ValueError:
        raise UsageError(t("bad_cli_time", value=value)) from None


def now_in(tz: dt.tzinfo) -> dt.datetime:
    """The one place commands read the wall clock; everything below takes ``now`` as an argument."""
    return dt.datetime.now(tz)


def day_window(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    nxt = day + dt.timedelta(days=1)
    return start, dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)


def planner_for(hall: Hall, catalog=None):
    """A planner with the hall's approved campaigns, as the player would build it."""
    from signage.intake.inbox import store_path
    from signage.intake.store import load_campaigns
    from signage.playback.catalog import Catalog
    from signage.playback.planner import Planner

    return Planner(hall, catalog or Catalog(), campaigns=load_campaigns(store_path(hall), hall.tz))
