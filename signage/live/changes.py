"""What the live model tells its subscribers: one frozen dataclass per kind of change.

A view subscribes with the change types it cares about and a callback; the callback gets the
change object itself. There is no registry of string-named events: the types are the names.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from signage.playback.holds import Action

log = logging.getLogger("signage.live")


class Change:
    """Base of every change the model publishes."""


@dataclass(frozen=True)
class OperatorChanged(Change):
    """A hold, a loaded deck, a page or a next/prev shift changed (``action`` says which)."""

    action: Action


class LoadState(StrEnum):
    CONVERTING = "converting"  # LibreOffice is turning a presentation into a PDF
    LOADED = "loaded"
    FAILED = "failed"
    CANCELLED = "cancelled"  # a newer load on the wall, 일정 복귀, or the player stopping


@dataclass(frozen=True)
class DeckLoad(Change):
    """A deck being loaded on one wall: converting, then loaded (with its pages) or failed."""

    display: str
    source: Path  # what the operator asked for
    state: LoadState
    when: dt.datetime
    by: str
    pages: int | None = None
    deck: Path | None = None  # the PDF or folder shown, once loaded
    reason: str | None = None  # why it failed, in the operator's language

    def to_json(self) -> dict:
        return {
            "display": self.display, "source": str(self.source), "state": self.state.value,
            "when": self.when.isoformat(timespec="seconds"), "by": self.by, "pages": self.pages,
            "deck": str(self.deck) if self.deck else None, "reason": self.reason,
        }


@dataclass(frozen=True)
class TargetChanged(Change):
    """The wall the clicker (and a command without a display) acts on is now ``display``."""

    display: str
    previous: str | None


@dataclass(frozen=True)
class HallReloaded(Change):
    """The configuration was reloaded; ``generation`` counts reloads since start."""

    generation: int
    walls_changed: bool


@dataclass(frozen=True)
class ScreensChanged(Change):
    """Walls whose screen is missing: wall id → the screen it wants, as text."""

    missing: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RehearsalChanged(Change):
    rehearsal: bool


C = TypeVar("C", bound=Change)


class Changes:
    """Subscribers and publishing. Callbacks run on the thread that publishes (the model's owner,
    the Qt main thread in ``signage run``); one that raises is logged and the others still run."""

    def __init__(self) -> None:
        self._subscribers: list[tuple[tuple[type[Change], ...], Callable[[Change], None]]] = []

    def subscribe(self, callback: Callable[[C], None], *types: type[C]) -> Callable[[], None]:
        """Call ``callback(change)`` for every change of one of ``types`` (every change when none
        are given). Returns a function that unsubscribes."""
        entry = (tuple(types) or (Change,), callback)
        self._subscribers.append(entry)

        def unsubscribe() -> None:
            if entry in self._subscribers:
                self._subscribers.remove(entry)

        return unsubscribe

    def publish(self, change: Change) -> None:
        for types, callback in list(self._subscribers):
            if isinstance(change, types):
                try:
                    callback(change)
                except Exception:  # noqa: BLE001 - a view's bug must not stop the model
                    log.exception("a subscriber failed on %s", type(change).__name__)

    def __len__(self) -> int:
        return len(self._subscribers)
