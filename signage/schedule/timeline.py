"""Slots and timelines: the resolved answer to "what plays where, when, and why"."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from signage.timefmt import iso

SOURCES = ("default", "daypart", "event", "dark")


@dataclass(frozen=True)
class Slot:
    display: str
    start: dt.datetime
    end: dt.datetime
    playlist: str | None
    source: str  # one of SOURCES
    name: str | None = None
    advance: str = "auto"

    def to_json(self) -> dict:
        return {
            "display": self.display,
            "start": iso(self.start),
            "end": iso(self.end),
            "playlist": self.playlist,
            "source": self.source,
            "name": self.name,
            "advance": self.advance,
        }


@dataclass
class Timeline:
    """Per display, sorted slots that cover ``[start, end)`` with no gap and no overlap."""

    timezone: str
    start: dt.datetime
    end: dt.datetime
    by_display: dict[str, list[Slot]]
    _starts: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._starts = {d: [s.start.timestamp() for s in slots] for d, slots in self.by_display.items()}

    @property
    def slots(self) -> list[Slot]:
        return [s for slots in self.by_display.values() for s in slots]

    def at(self, display: str, when: dt.datetime) -> Slot | None:
        """The slot of ``display`` at ``when``; None outside the window."""
        starts = self._starts.get(display)
        if not starts:
            return None
        i = bisect.bisect_right(starts, when.timestamp()) - 1
        if i < 0:
            return None
        slot = self.by_display[display][i]
        return slot if when < slot.end else None

    def next_after(self, display: str, when: dt.datetime) -> Slot | None:
        """The slot that follows the one playing at ``when``."""
        starts = self._starts.get(display) or []
        i = bisect.bisect_right(starts, when.timestamp())
        slots = self.by_display.get(display, [])
        return slots[i] if i < len(slots) else None

    def to_json(self) -> dict:
        return {
            "timezone": self.timezone,
            "from": iso(self.start),
            "to": iso(self.end),
            "slots": [s.to_json() for s in self.slots],
        }
