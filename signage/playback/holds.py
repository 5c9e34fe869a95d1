"""What the operator has put on each wall, as plain data the planner reads (no Qt, no I/O).

Per wall there are three layers, highest first:

1. a **hold** (black, freeze, logo, message): sits on top of whatever plays;
2. a **loaded deck** (a PDF or a folder of images the operator loaded), at its page;
3. the **schedule** (events, dayparts, the default loop), shifted by next/prev on time-addressed
   playlists.

Releasing or expiring a hold gives back exactly what was under it: the deck at its page, or the
schedule at its clock. The kinds are one enum, ``HoldKind``, that says what each kind can do; the
strings (``"black"``, ``"deck"``, …) are only its wire values in JSON and on the command line.

Mutations here are small and pure; ``signage.live.LiveHall`` makes them, records who asked and
tells its subscribers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


class HoldKind(StrEnum):
    """What the operator can put on a wall. The value is the wire name (JSON, API, ``ctl``)."""

    BLACK = "black"
    FREEZE = "freeze"
    LOGO = "logo"
    MESSAGE = "message"
    DECK = "deck"  # the loaded-deck layer, under the holds

    @property
    def is_hold(self) -> bool:
        """Sits on top of the deck and the schedule, and gives them back when released."""
        return self is not HoldKind.DECK

    @property
    def blanks_picture(self) -> bool:
        """The wall goes black."""
        return self is HoldKind.BLACK

    @property
    def keeps_picture(self) -> bool:
        """The wall keeps the frame it showed when the hold began."""
        return self is HoldKind.FREEZE

    @property
    def shows_logo(self) -> bool:
        """The wall shows the hall's fallback picture (its logo)."""
        return self is HoldKind.LOGO

    @property
    def needs_text(self) -> bool:
        """Carries a text to show (the urgent message)."""
        return self is HoldKind.MESSAGE

    @property
    def is_simple_command(self) -> bool:
        """Set by its name alone (``ctl black``, the console's buttons): no text, no file."""
        return self in (HoldKind.BLACK, HoldKind.FREEZE, HoldKind.LOGO)

    @property
    def toggled_by_b_key(self) -> bool:
        """The clicker's blank-screen button (B or .) sets it and, pressed again, releases it."""
        return self is HoldKind.BLACK

    @property
    def released_by_escape(self) -> bool:
        """The clicker's start/stop button (F5 / Esc) releases it."""
        return self in (HoldKind.BLACK, HoldKind.FREEZE)

    @property
    def stops_stepping(self) -> bool:
        """Next/prev wait while it is on (they would move something nobody sees)."""
        return self.is_hold

    @property
    def message_key(self) -> str:
        """The i18n message id of its name as people read it (끄기, 정지, 로고, 긴급 안내, 발표 자료)."""
        return f"btn_{self.value}"

    @classmethod
    def simple_commands(cls) -> tuple[HoldKind, ...]:
        return tuple(k for k in cls if k.is_simple_command)

    @classmethod
    def find(cls, value: object) -> HoldKind | None:
        """The kind with this wire name, or None."""
        try:
            return cls(value)
        except ValueError:
            return None


class MessageStyle(StrEnum):
    """How a message looks on the wall: 안내 (a notice, the hall's navy) or 긴급 (urgent, red).
    The value is the wire name (``"style"`` in the API, ``ctl message --style``)."""

    NOTICE = "notice"
    URGENT = "urgent"

    @property
    def background(self) -> str:
        return "#003366" if self is MessageStyle.NOTICE else "#b00020"

    @property
    def word(self) -> str:
        """The word shown on the wall under the message (the audience reads Korean)."""
        return "안내" if self is MessageStyle.NOTICE else "긴급"

    @classmethod
    def find(cls, value: object) -> MessageStyle | None:
        try:
            return cls(value)
        except ValueError:
            return None


@dataclass(frozen=True)
class Hold:
    """Black, freeze, logo or a message on one wall, from ``since`` until released or ``until``."""

    kind: HoldKind
    since: dt.datetime
    by: str  # "console", "api 127.0.0.1", "clicker"
    until: dt.datetime | None = None
    text: str | None = None  # the message
    style: MessageStyle | None = None  # the message's look (None for other kinds)

    def live(self, now: dt.datetime) -> bool:
        return self.until is None or now < self.until

    def to_json(self) -> dict:
        return {
            "kind": self.kind.value,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds") if self.until else None,
            "by": self.by,
            "text": self.text,
            "style": self.style.value if self.style else None,
            "deck": None,
            "page": None,
        }


@dataclass(frozen=True)
class LoadedDeck:
    """A deck the operator loaded on one wall: a PDF or a folder of images, at page ``index``."""

    path: Path
    since: dt.datetime
    by: str
    until: dt.datetime | None = None
    index: int = 0
    moved: dt.datetime | None = None  # when the page last changed
    source: Path | None = None  # the presentation it was converted from, if any

    kind = HoldKind.DECK
    text = None

    def live(self, now: dt.datetime) -> bool:
        return self.until is None or now < self.until

    @property
    def page_since(self) -> dt.datetime:
        return self.moved or self.since

    def to_json(self) -> dict:
        return {
            "kind": HoldKind.DECK.value,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds") if self.until else None,
            "by": self.by,
            "text": None,
            "deck": str(self.path),
            "page": self.index + 1,
        }


@dataclass(frozen=True)
class Action:
    """One thing an operator (or the system) did, for the history and the proof-of-play log."""

    when: dt.datetime
    by: str
    action: str  # a HoldKind value, or next, prev, resume, release, load, unload, expired, mute, unmute, volume
    displays: tuple[str, ...]
    detail: str = ""


@dataclass
class OperatorState:
    """The holds, loaded decks and next/prev shifts of every wall. ``version`` bumps on every
    change, so the walls' runners plan again."""

    holds: dict[str, Hold] = field(default_factory=dict)
    decks: dict[str, LoadedDeck] = field(default_factory=dict)
    shifts: dict[tuple[str, dt.datetime], float] = field(default_factory=dict)  # (display, slot start) → s
    version: int = 0

    # ---- reading -----------------------------------------------------------------------------

    def hold_at(self, display: str, now: dt.datetime) -> Hold | None:
        hold = self.holds.get(display)
        return hold if hold is not None and hold.live(now) else None

    def deck_at(self, display: str, now: dt.datetime) -> LoadedDeck | None:
        deck = self.decks.get(display)
        return deck if deck is not None and deck.live(now) else None

    def active(self, display: str, now: dt.datetime) -> Hold | LoadedDeck | None:
        """The top operator layer on ``display``: its hold, else its loaded deck, else None."""
        return self.hold_at(display, now) or self.deck_at(display, now)

    def shift_of(self, display: str, slot_start: dt.datetime) -> float:
        return self.shifts.get((display, slot_start), 0.0)

    # ---- changing (called by signage.live.LiveHall) -----------------------------------------

    def put_hold(self, display: str, hold: Hold) -> None:
        self.holds[display] = hold
        self.version += 1

    def drop_hold(self, display: str) -> Hold | None:
        hold = self.holds.pop(display, None)
        if hold is not None:
            self.version += 1
        return hold

    def put_deck(self, display: str, deck: LoadedDeck) -> None:
        self.decks[display] = deck
        self.version += 1

    def drop_deck(self, display: str) -> LoadedDeck | None:
        deck = self.decks.pop(display, None)
        if deck is not None:
            self.version += 1
        return deck

    def turn_page(self, display: str, index: int, now: dt.datetime) -> None:
        self.decks[display] = replace(self.decks[display], index=index, moved=now)
        self.version += 1

    def add_shift(self, display: str, slot_start: dt.datetime, seconds: float) -> None:
        key = (display, slot_start)
        self.shifts[key] = self.shifts.get(key, 0.0) + seconds
        self.version += 1

    def clear_shifts(self, display: str) -> bool:
        keys = [k for k in self.shifts if k[0] == display]
        for key in keys:
            del self.shifts[key]
        if keys:
            self.version += 1
        return bool(keys)

    def expired(self, now: dt.datetime) -> list[tuple[str, HoldKind]]:
        """Holds and decks whose time is up at ``now`` (not yet removed)."""
        gone = [(d, h.kind) for d, h in self.holds.items() if not h.live(now)]
        gone += [(d, HoldKind.DECK) for d, deck in self.decks.items() if not deck.live(now)]
        return gone
