"""What the operator has done to each wall: black, freeze, logo, an urgent message, a loaded deck.

Pure data with ``now`` passed in. Overrides win over the whole schedule until resumed or until
their optional expiry. Next/previous on a time-addressed playlist shift the slot's time axis, so
playback stays a function of (schedule, clock, operator state).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

log = logging.getLogger("signage.operator")

KINDS = ("black", "freeze", "logo", "message", "deck")


@dataclass(frozen=True)
class Override:
    kind: str  # one of KINDS
    since: dt.datetime
    by: str  # "console", "api 127.0.0.1", "clicker"
    until: dt.datetime | None = None
    text: str | None = None  # message
    deck: Path | None = None  # deck: a PDF or a folder of images
    index: int = 0  # deck page
    moved: dt.datetime | None = None  # when the deck page last changed

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds") if self.until else None,
            "by": self.by,
            "text": self.text,
            "deck": str(self.deck) if self.deck else None,
            "page": self.index + 1 if self.kind == "deck" else None,
        }


@dataclass(frozen=True)
class Action:
    when: dt.datetime
    by: str
    action: str
    displays: tuple[str, ...]
    detail: str = ""


@dataclass
class OperatorState:
    overrides: dict[str, Override] = field(default_factory=dict)
    shifts: dict[tuple[str, dt.datetime], float] = field(default_factory=dict)  # (display, slot start) → s
    history: list[Action] = field(default_factory=list)
    version: int = 0
    on_action: Callable[[Action], None] | None = None  # e.g. the play log, which stores it

    def active(self, display: str, now: dt.datetime) -> Override | None:
        ov = self.overrides.get(display)
        return ov if ov is not None and (ov.until is None or now < ov.until) else None

    def expire(self, now: dt.datetime) -> list[str]:
        """Drop overrides whose time is up; the schedule resumes by itself on those walls."""
        gone = [d for d, ov in self.overrides.items() if ov.until is not None and now >= ov.until]
        for display in gone:
            ov = self.overrides.pop(display)
            self._record(now, "system", "expired", (display,), ov.kind)
        if gone:
            self.version += 1
        return gone

    def set(self, displays: tuple[str, ...], override: Override) -> None:
        for display in displays:
            self.overrides[display] = override
        self.version += 1
        detail = override.text or (str(override.deck) if override.deck else "")
        if override.until:
            detail = f"{detail} until {override.until.isoformat(timespec='seconds')}".strip()
        self._record(override.since, override.by, override.kind, displays, detail)

    def resume(self, displays: tuple[str, ...], now: dt.datetime, by: str) -> None:
        for display in displays:
            self.overrides.pop(display, None)
            for key in [k for k in self.shifts if k[0] == display]:
                del self.shifts[key]
        self.version += 1
        self._record(now, by, "resume", displays)

    def move_deck(self, display: str, index: int, now: dt.datetime, by: str, action: str) -> None:
        ov = self.overrides[display]
        self.overrides[display] = replace(ov, index=index, moved=now)
        self.version += 1
        self._record(now, by, action, (display,), f"page {index + 1}")

    def shift(self, display: str, slot_start: dt.datetime, seconds: float, now: dt.datetime, by: str,
              action: str) -> None:
        key = (display, slot_start)
        self.shifts[key] = self.shifts.get(key, 0.0) + seconds
        self.version += 1
        self._record(now, by, action, (display,))

    def shift_of(self, display: str, slot_start: dt.datetime) -> float:
        return self.shifts.get((display, slot_start), 0.0)

    def _record(self, when: dt.datetime, by: str, action: str, displays: tuple[str, ...], detail: str = "") -> None:
        entry = Action(when, by, action, tuple(displays), detail)
        self.history.append(entry)
        if self.on_action is not None:
            self.on_action(entry)
        del self.history[:-200]
        log.info("operator: %s on %s by %s%s", action, ",".join(displays), by, f" ({detail})" if detail else "")
