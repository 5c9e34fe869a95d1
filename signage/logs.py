"""Log lines stamped in the hall's time zone (an operator reads 14:05, not the server's UTC)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class HallTimeFormatter(logging.Formatter):
    """``2026-12-03 14:05:00.123+09:00``: the record's time in ``tz``, with its offset."""

    def __init__(self, tz: dt.tzinfo | None = None, fmt: str = FORMAT):
        super().__init__(fmt)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        when = dt.datetime.fromtimestamp(record.created, self.tz or dt.UTC)
        if self.tz is None:
            when = when.astimezone()
        return when.strftime("%Y-%m-%d %H:%M:%S.") + f"{int(record.msecs):03d}" + when.strftime("%z")


def setup_logging(tz: dt.tzinfo | None = None) -> None:
    """One stderr handler; called again with the hall's zone once the configuration is read."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if os.environ.get("SIGNAGE_DEBUG") else logging.INFO)
    handler = next((h for h in root.handlers if getattr(h, "_signage", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler._signage = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    handler.setFormatter(HallTimeFormatter(tz))
