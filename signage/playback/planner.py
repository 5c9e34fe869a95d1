"""What one display shows at ``now``: a pure function of hall, timeline, catalog and operator state.

Layers per wall, highest first: an operator hold (black, freeze, logo, message), a deck the
operator loaded (at its page), the schedule (``signage.playback.holds`` says more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from signage.config.hall import Hall
from signage.config.models import Item, ItemDefaults, Playlist, Slide
from signage.playback.catalog import Catalog
from signage.playback.holds import Hold, HoldKind, LoadedDeck, MessageStyle, OperatorState
from signage.playback.sequence import Cycle
from signage.playback.steps import Step, expand
from signage.playback.weave import Weave
from signage.schedule.campaigns import Campaign, CampaignBook, hour_plan
from signage.schedule.timeline import Slot, Timeline


@dataclass(frozen=True)
class Showing:
    display: str
    mode: str  # "play", "dark", "fallback"
    slot: Slot | None
    step: Step | None
    index: int = 0
    offset: float = 0.0  # seconds into the step
    step_start: dt.datetime | None = None
    step_end: dt.datetime | None = None  # None: held until the operator moves (manual deck)
    previous: Step | None = None
    cycle: int = 0
    operator: HoldKind | None = None  # what the operator put on the wall, when it shows

    @property
    def identity(self) -> tuple:
        """Changes exactly when a new step (or a new pass over the same step) begins."""
        start = self.slot.start if self.slot else None
        return (self.mode, start, self.slot.playlist if self.slot else None, self.index, self.cycle,
                self.step.key if self.step else None, self.operator,
                self.step_start if self.operator else None)


@dataclass
class ManualState:
    """Operator position in manual decks: (display, slot start) → (step index, when it was set)."""

    positions: dict[tuple[str, dt.datetime], tuple[int, dt.datetime]] = field(default_factory=dict)
    version: int = 0  # bumps on every move, so runners re-plan

    def get(self, display: str, slot: Slot) -> tuple[int, dt.datetime]:
        return self.positions.get((display, slot.start), (0, slot.start))

    def move(self, display: str, slot: Slot, index: int, now: dt.datetime) -> None:
        self.positions[(display, slot.start)] = (index, now)
        self.version += 1


MESSAGE_BACKGROUND = MessageStyle.URGENT.background  # a message without a style is urgent


class Planner:
    def __init__(self, hall: Hall, catalog: Catalog, manual: ManualState | None = None,
                 operator: OperatorState | None = None, campaigns: CampaignBook | None = None):
        self.hall = hall
        self.catalog = catalog
        self.manual = manual or ManualState()
        self.operator = operator or OperatorState()
        self.campaigns = campaigns or CampaignBook()
        self._cycles: dict[str, tuple[int, Cycle]] = {}
        self._decks: dict[Path, tuple[int, Cycle]] = {}
        self._weaves: dict[tuple, Weave] = {}

    def set_campaigns(self, book: CampaignBook) -> None:
        self.campaigns = book
        self._weaves.clear()

    @staticmethod
    def anchor(slot: Slot, now: dt.datetime) -> dt.datetime:
        """Where time addressing starts: the slot's start, or local midnight for a slot that began
        on an earlier day. It never depends on how far back a caller resolved the timeline."""
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return max(slot.start, midnight)

    def promo_path(self, campaign: Campaign, display: str) -> Path | None:
        media = campaign.media.get(display)
        return self.hall.asset(media) if media else None

    def promo_length(self, campaign: Campaign, display: str) -> float | None:
        """How long a promo airs on ``display``; None if its file cannot be played (e.g. deleted)."""
        path = self.promo_path(campaign, display)
        if path is None:
            return None
        if campaign.kind == "video":
            return self.catalog.video_length(path)
        return campaign.duration_s if self.catalog.usable(path) else None

    def promo_step(self, campaign: Campaign, display: str, length: float) -> Step:
        background = self.hall.config.promos.background
        return Step(-1, campaign.kind, self.promo_path(campaign, display), None, length, "contain",
                    ("cut", 0.0), background, campaign=campaign.id)

    def weave(self, display: str, slot: Slot, anchor: dt.datetime, cycle: Cycle) -> Weave | None:
        playlist = self.hall.playlists.get(slot.playlist or "")
        if playlist is None or not playlist.accepts_promos or not self.campaigns.on(display):
            return None
        key = (display, anchor, slot.end, slot.playlist, self.campaigns.version, self.catalog.version)
        weave = self._weaves.get(key)
        if weave is None:
            if len(self._weaves) > 64:
                self._weaves.clear()
            share = self.hall.config.promos.max_share
            weave = Weave(cycle, anchor, slot.end, lambda hour: hour_plan(
                self.campaigns, display, hour, lambda c: self.promo_length(c, display), share))
            self._weaves[key] = weave
        return weave

    def cycle(self, playlist: str) -> Cycle:
        hit = self._cycles.get(playlist)
        if hit and hit[0] == self.catalog.version:
            return hit[1]
        version = self.catalog.version
        steps = expand(self.hall.playlists[playlist], self.hall.root, self.catalog)
        cycle = Cycle(steps)
        self._cycles[playlist] = (version, cycle)
        return cycle

    def fallback_step(self) -> Step:
        path = self.hall.fallback
        if path is not None and self.catalog.usable(path):
            return Step(0, "image", path, None, 3600.0, "contain", ("fade", 0.5), "#000000")
        slide = Slide(title=self.hall.name, body="", background="#003366")
        return Step(0, "slide", None, None, 3600.0, "contain", ("fade", 0.5), "#003366", slide=slide)

    def deck_cycle(self, deck: Path) -> Cycle:
        """A deck the operator loaded: a PDF (one step a page) or a folder of images."""
        hit = self._decks.get(deck)
        if hit and hit[0] == self.catalog.version:
            return hit[1]
        version = self.catalog.version
        item = Item(folder=str(deck)) if deck.is_dir() else Item(pdf=str(deck))
        playlist = Playlist(defaults=ItemDefaults(duration=86400, transition="cut"), items=(item,))
        cycle = Cycle(expand(playlist, self.hall.root, self.catalog))
        self._decks[deck] = (version, cycle)
        return cycle

    def airings(self, timeline: Timeline, display: str, start: dt.datetime, end: dt.datetime) -> list:
        """The promo airings on ``display`` in ``[start, end)``, exactly as the wall will air them
        (operator moves aside). ``timeline`` must reach back to local midnight of ``start``."""
        found = []
        for slot in timeline.by_display.get(display, []):
            if slot.end <= start or slot.start >= end or slot.playlist not in self.hall.playlists:
                continue
            if slot.source == "dark" or slot.advance == "manual":
                continue
            cycle = self.cycle(slot.playlist)
            if not cycle:
                continue
            day = max(slot.start, start).replace(hour=0, minute=0, second=0, microsecond=0)
            while day < min(slot.end, end):
                nxt = (day + dt.timedelta(days=1, hours=2)).replace(hour=0)
                weave = self.weave(display, slot, self.anchor(slot, day), cycle)
                if weave is None:
                    break
                lo, hi = max(start, day, slot.start), min(end, nxt, slot.end)
                found.extend(a for a in weave.between(lo, hi) if a.start >= lo)
                day = nxt
        return found

    def _hold(self, hold: Hold, slot: Slot | None, display: str, now: dt.datetime) -> Showing:
        kind = hold.kind
        if kind.blanks_picture:
            return Showing(display, "dark", slot, None, step_start=hold.since, step_end=hold.until, operator=kind)
        if kind.keeps_picture:
            return Showing(display, "freeze", slot, None, step_start=hold.since, step_end=hold.until, operator=kind)
        offset = (now - hold.since).total_seconds()
        if kind.shows_logo:
            return Showing(display, "play", slot, self.fallback_step(), 0, offset, hold.since, hold.until,
                           operator=kind)
        style = hold.style or MessageStyle.URGENT
        # the message is the largest text; the style's word (안내 / 긴급) is the smaller line under it
        slide = Slide(title=hold.text or "", body=style.word, background=style.background, color="#ffffff")
        step = Step(0, "slide", None, None, 86400.0, "contain", ("cut", 0.0), style.background, slide=slide)
        return Showing(display, "play", slot, step, 0, offset, hold.since, hold.until, operator=kind)

    def _deck(self, deck: LoadedDeck, slot: Slot | None, display: str, now: dt.datetime) -> Showing:
        cycle = self.deck_cycle(deck.path)
        if not cycle:
            return Showing(display, "fallback", slot, self.fallback_step(), step_start=deck.since,
                           step_end=deck.until, operator=HoldKind.DECK)
        index = min(max(deck.index, 0), len(cycle.steps) - 1)
        since = deck.page_since
        previous = cycle.steps[index - 1] if index > 0 else None
        return Showing(display, "play", slot, cycle.steps[index], index, (now - since).total_seconds(),
                       since, deck.until, previous, operator=HoldKind.DECK)

    def showing(self, timeline: Timeline, display: str, now: dt.datetime) -> Showing:
        slot = timeline.at(display, now)
        hold = self.operator.hold_at(display, now)
        if hold is not None:
            return self._hold(hold, slot, display, now)
        deck = self.operator.deck_at(display, now)
        if deck is not None:
            return self._deck(deck, slot, display, now)
        if slot is None or slot.source == "dark" or slot.playlist is None:
            return Showing(display, "dark", slot, None, step_start=slot.start if slot else None,
                           step_end=slot.end if slot else None)
        cycle = self.cycle(slot.playlist) if slot.playlist in self.hall.playlists else Cycle([])
        if not cycle:
            return Showing(display, "fallback", slot, self.fallback_step(), step_start=slot.start,
                           step_end=slot.end)
        if slot.advance == "manual":
            index, since = self.manual.get(display, slot)
            index = min(max(index, 0), len(cycle.steps) - 1)
            offset = (now - since).total_seconds()
            previous = cycle.steps[index - 1] if index > 0 else None
            return Showing(display, "play", slot, cycle.steps[index], index, offset, since, None, previous)
        shift = dt.timedelta(seconds=self.operator.shift_of(display, slot.start))
        anchor = self.anchor(slot, now)
        virtual = now + shift  # operator next/prev move along the slot's time axis
        weave = self.weave(display, slot, anchor, cycle)
        aired, promo_before, next_promo = 0.0, None, None
        if weave is not None:
            i, airing, aired = weave.at(virtual)
            if airing is not None:
                gone = self.promo_length(airing.campaign, display) is None
                if gone and self.weave(display, slot, anchor, cycle) is not weave:
                    # its file went away since the weave was planned: the catalog now knows (its
                    # version moved), so the weave is planned again without it
                    return self.showing(timeline, display, now)
                step = self.promo_step(airing.campaign, display, airing.length)
                return Showing(display, "play", slot, step, -(i + 1), (virtual - airing.start).total_seconds(),
                               airing.start - shift, min(airing.end - shift, slot.end), None, 0)
            promo_before = weave.airings[i].end if i >= 0 else None
            next_promo = weave.next_start(i)
        pos = cycle.locate((virtual - anchor).total_seconds() - aired)
        step = cycle.steps[pos.index]
        start = virtual - dt.timedelta(seconds=pos.offset)
        end = start + dt.timedelta(seconds=step.duration)
        if promo_before is not None and promo_before > start:
            start = promo_before  # the item resumes after a promo that paused it
        if next_promo is not None and next_promo < end:
            end = next_promo
        start, end = start - shift, min(end - shift, slot.end)
        if pos.index > 0:
            previous = cycle.steps[pos.index - 1]
        else:
            previous = cycle.steps[-1] if pos.cycle > 0 else None
        if promo_before is not None and abs((promo_before - shift - start).total_seconds()) < 1e-3:
            last = weave.airings[i]  # the item begins as a promo ends: it fades in from the promo
            previous = self.promo_step(last.campaign, display, last.length)
        return Showing(display, "play", slot, step, pos.index, pos.offset, start, end, previous, pos.cycle)


def step_path(step: Step | None) -> Path | None:
    return step.path if step else None
