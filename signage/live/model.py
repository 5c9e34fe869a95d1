"""``LiveHall``: the Qt-free model of the hall as it plays now, which every view follows.

It holds the hall and the planner built on it, the operator's holds, loaded decks and next/prev
shifts (``OperatorState``), the positions in manual decks (``ManualState``), decks being
converted, the reload generation, the clicker's wall, the rehearsal flag and the walls whose
screen is missing. Every change goes through its methods, which record who asked and publish a
change object (``signage.live.changes``) to subscribers: the console, the play log, the control
API, the snapshot writer.

The model is single-threaded: call it from the thread that owns it (the Qt main thread in
``signage run``; the control API reaches it through the main-thread bridge). Slow work is not
done here: a presentation is converted by a child process that ``update(now)`` polls.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from signage.config.hall import Hall
from signage.i18n import t
from signage.live.changes import (
    C,
    Changes,
    DeckLoad,
    HallReloaded,
    LoadState,
    OperatorChanged,
    RehearsalChanged,
    ScreensChanged,
    TargetChanged,
)
from signage.live.convert import Conversion
from signage.live.words import action_text, by_text
from signage.playback.catalog import Catalog
from signage.playback.holds import Action, Hold, HoldKind, LoadedDeck, OperatorState
from signage.playback.planner import ManualState, Planner
from signage.schedule.campaigns import CampaignBook
from signage.schedule.timeline import Slot, Timeline

log = logging.getLogger("signage.operator")

HISTORY = 200


class LiveHall:
    def __init__(self, hall: Hall, catalog: Catalog, timeline_of: Callable[[dt.datetime], Timeline], *,
                 campaigns: CampaignBook | None = None, deck_dir: Path | None = None, rehearsal: bool = False):
        self.hall = hall
        self.catalog = catalog
        self.operator = OperatorState()
        self.manual = ManualState()
        self.planner = Planner(hall, catalog, self.manual, self.operator, campaigns)
        self.deck_dir = deck_dir or hall.root / "var" / "decks"
        self.generation = 0
        self.rehearsal = rehearsal
        self.missing_screens: dict[str, str] = {}
        self.loads: dict[str, DeckLoad] = {}  # the latest load on each wall
        self.history: list[Action] = []
        self.target = self.default_wall()
        self.changes = Changes()
        self._timeline_of = timeline_of
        self._conversions: dict[str, tuple[Conversion, DeckLoad, dt.datetime | None]] = {}

    # ---- following it ------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[C], None], *types: type[C]) -> Callable[[], None]:
        """``callback(change)`` for each change of ``types`` (all when none); returns unsubscribe."""
        return self.changes.subscribe(callback, *types)

    def timeline(self, now: dt.datetime) -> Timeline:
        return self._timeline_of(now)

    def hold_at(self, display: str, now: dt.datetime) -> Hold | None:
        return self.operator.hold_at(display, now)

    def deck_at(self, display: str, now: dt.datetime) -> LoadedDeck | None:
        return self.operator.deck_at(display, now)

    def default_wall(self) -> str:
        return "front" if "front" in self.hall.displays else next(iter(self.hall.displays))

    def clicker_wall(self, now: dt.datetime) -> str:
        """The wall the clicker and any command given no display act on: the first wall (in hall
        order) with a loaded deck or a manual-advance slot now, else ``front``, else the first."""
        timeline = self.timeline(now)
        for name in self.hall.displays:
            if self.operator.deck_at(name, now) is not None:
                return name
            slot = timeline.at(name, now)
            if slot is not None and slot.advance == "manual" and slot.playlist:
                return name
        return self.default_wall()

    # ---- holds -------------------------------------------------------------------------------

    def set_hold(self, displays: Iterable[str], hold: Hold) -> None:
        """Put ``hold`` on top of each wall (replacing the hold there, keeping its deck)."""
        displays = tuple(displays)
        for display in displays:
            self.operator.put_hold(display, hold)
        detail = hold.text or ""
        if hold.until:
            detail = f"{detail} until {hold.until.isoformat(timespec='seconds')}".strip()
        self._record(hold.since, hold.by, hold.kind.value, displays, detail)

    def release(self, displays: Iterable[str], now: dt.datetime, by: str,
                kinds: Callable[[HoldKind], bool] | None = None) -> tuple[str, ...]:
        """Lift the holds on ``displays`` (only those whose kind ``kinds`` accepts); what was
        under them plays again. Returns the walls whose hold was lifted."""
        lifted = []
        for display in displays:
            hold = self.operator.hold_at(display, now)
            if hold is not None and (kinds is None or kinds(hold.kind)):
                self.operator.drop_hold(display)
                lifted.append(display)
        if lifted:
            self._record(now, by, "release", tuple(lifted))
        return tuple(lifted)

    def resume(self, displays: Iterable[str], now: dt.datetime, by: str) -> dict[str, str]:
        """일정 복귀, per wall: a hold is lifted (its deck comes back at its page); with no hold,
        the loaded deck is unloaded and next/prev shifts cleared (back on the schedule's clock).
        Returns wall → ``"released"`` or ``"schedule"``."""
        outcome: dict[str, str] = {}
        for display in displays:
            if self.operator.hold_at(display, now) is not None:
                self.operator.drop_hold(display)
                outcome[display] = "released"
            else:
                self.operator.drop_hold(display)  # an expired one not yet swept
                self.operator.drop_deck(display)
                self.operator.clear_shifts(display)
                self._cancel_conversion(display, now, by)
                outcome[display] = "schedule"
        walls = tuple(outcome)
        detail = ", ".join(f"{d}: {'hold' if o == 'released' else 'schedule'}" for d, o in outcome.items())
        self._record(now, by, "resume", walls, detail)
        return outcome

    # ---- decks -------------------------------------------------------------------------------

    def load_deck(self, display: str, path: Path, now: dt.datetime, by: str, until: dt.datetime | None = None,
                  source: Path | None = None) -> DeckLoad:
        """Show a PDF or a folder of images on ``display`` from its first page, under any hold.
        A deck with nothing to show changes nothing and comes back ``FAILED``."""
        pages = len(self.planner.deck_cycle(path).steps)
        if pages == 0:
            return self._loaded(DeckLoad(display, source or path, LoadState.FAILED, now, by, pages=0,
                                         reason=t("live_deck_empty", name=(source or path).name)))
        self._cancel_conversion(display, now, by)
        self.operator.put_deck(display, LoadedDeck(path, now, by, until, source=source))
        detail = str(path) + (f" until {until.isoformat(timespec='seconds')}" if until else "")
        self._record(now, by, "load", (display,), detail)
        return self._loaded(DeckLoad(display, source or path, LoadState.LOADED, now, by, pages=pages, deck=path))

    def convert(self, display: str, source: Path, office: str, now: dt.datetime, by: str,
                until: dt.datetime | None = None) -> DeckLoad:
        """Start turning a presentation into a PDF; ``update`` loads it on ``display`` when done.
        The wall plays on meanwhile. A newer load on the same wall replaces this one."""
        self._cancel_conversion(display, now, by)
        job = Conversion.start(source, self.deck_dir, office)
        change = DeckLoad(display, source, LoadState.CONVERTING, now, by)
        self._conversions[display] = (job, change, until)
        log.info(t("pl_converting", name=source.name, wall=display, by=by))
        return self._loaded(change)

    def unload(self, displays: Iterable[str], now: dt.datetime, by: str) -> tuple[str, ...]:
        """Take the loaded deck off each wall (a hold on it stays)."""
        gone = tuple(d for d in displays if self.operator.drop_deck(d) is not None)
        if gone:
            self._record(now, by, "unload", gone)
        return gone

    def turn_page(self, display: str, index: int, now: dt.datetime, by: str, action: str) -> None:
        self.operator.turn_page(display, index, now)
        self._record(now, by, action, (display,), f"page {index + 1}")

    def move_manual(self, display: str, slot: Slot, index: int, now: dt.datetime, by: str, action: str) -> None:
        """A step in an event's manual-advance playlist."""
        self.manual.move(display, slot, index, now)
        self._record(now, by, action, (display,), f"page {index + 1}")

    def shift(self, display: str, slot_start: dt.datetime, seconds: float, now: dt.datetime, by: str,
              action: str) -> None:
        """Next/prev on a time-addressed playlist: move the slot's time axis by ``seconds``."""
        self.operator.add_shift(display, slot_start, seconds)
        self._record(now, by, action, (display,))

    def record_sound(self, now: dt.datetime, by: str, action: str, displays: tuple[str, ...],
                     detail: str = "") -> None:
        """The hall's sound was muted, unmuted or its volume set (``signage.audio`` holds that
        state; the action is recorded and published like the holds)."""
        self._record(now, by, action, displays, detail)

    # ---- time passing ------------------------------------------------------------------------

    def update(self, now: dt.datetime) -> None:
        """Called on every tick: expire holds and decks, finish conversions, follow the clicker's
        wall as slots begin and end. Cheap when nothing is due."""
        for display, kind in self.operator.expired(now):
            if kind.is_hold:
                self.operator.drop_hold(display)
            else:
                self.operator.drop_deck(display)
            self._record(now, "system", "expired", (display,), kind.value)
        for display in list(self._conversions):
            job, asked, until = self._conversions[display]
            done = job.poll()
            if done is None:
                continue
            del self._conversions[display]
            if done.pdf is None:
                log.warning(t("pl_not_loaded", name=asked.source.name, wall=display, reason=done.reason))
                self._loaded(DeckLoad(display, asked.source, LoadState.FAILED, now, asked.by, reason=done.reason))
            else:
                self.load_deck(display, done.pdf, now, asked.by, until, source=asked.source)
        target = self.clicker_wall(now)
        if target != self.target:
            previous, self.target = self.target, target
            self.changes.publish(TargetChanged(target, previous))

    def converting(self) -> tuple[str, ...]:
        return tuple(self._conversions)

    # ---- the hall around it ------------------------------------------------------------------

    def reload(self, hall: Hall, walls_changed: bool = False) -> Planner:
        """A new configuration: a planner on it with the same holds, decks and positions."""
        self.hall = hall
        self.planner = Planner(hall, self.catalog, self.manual, self.operator, self.planner.campaigns)
        for display in [d for d in self.operator.holds if d not in hall.displays]:
            self.operator.drop_hold(display)
        for display in [d for d in self.operator.decks if d not in hall.displays]:
            self.operator.drop_deck(display)
        if self.target not in hall.displays:
            self.target = self.default_wall()
        self.generation += 1
        self.changes.publish(HallReloaded(self.generation, walls_changed))
        return self.planner

    def set_missing_screens(self, missing: dict[str, str]) -> None:
        if missing != self.missing_screens:
            self.missing_screens = dict(missing)
            self.changes.publish(ScreensChanged(tuple(sorted(missing.items()))))

    def set_rehearsal(self, rehearsal: bool) -> None:
        if rehearsal != self.rehearsal:
            self.rehearsal = rehearsal
            self.changes.publish(RehearsalChanged(rehearsal))

    def close(self) -> None:
        """Stop conversions still running (the player is stopping)."""
        for display in list(self._conversions):
            self._cancel_conversion(display)

    # ---- inside ------------------------------------------------------------------------------

    def _cancel_conversion(self, display: str, now: dt.datetime | None = None, by: str = "system") -> None:
        pending = self._conversions.pop(display, None)
        if pending is not None:
            pending[0].cancel()
            asked = pending[1]
            self._loaded(DeckLoad(display, asked.source, LoadState.CANCELLED, now or asked.when, by))

    def _loaded(self, change: DeckLoad) -> DeckLoad:
        self.loads[change.display] = change
        self.changes.publish(change)
        return change

    def _record(self, when: dt.datetime, by: str, action: str, displays: tuple[str, ...], detail: str = "") -> None:
        entry = Action(when, by, action, tuple(displays), detail)
        self.history.append(entry)
        del self.history[:-HISTORY]
        log.info(t("pl_operator", action=action_text(action), walls=", ".join(self.hall.label(d) for d in displays),
                   by=by_text(by), detail=f" ({detail})" if detail else ""))
        self.changes.publish(OperatorChanged(entry))
