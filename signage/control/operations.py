"""The operator's commands, shared by the console, the clicker and the HTTP API (no Qt).

Every method takes ``now`` and who asked (``by``), validates first and changes nothing when the
request is wrong (raising ``CommandError`` with an HTTP-style status and a message). Changes go
through the live model (``signage.live.LiveHall``), which records them and tells its subscribers.

Which walls: a name, ``front,pillar``, a list of names, or ``all``. Given no display, a command
acts on the clicker's wall (``LiveHall.clicker_wall``): the wall with a loaded deck or a
manual-advance event now, else ``front``. Only ``all`` acts on every wall.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from signage.config.assets import folder_images, sniff
from signage.i18n import split_displays, t
from signage.live import LiveHall, LoadState
from signage.live.convert import OFFICE_SUFFIXES, office_program
from signage.playback.holds import Hold, HoldKind, MessageStyle
from signage.playback.planner import Planner
from signage.timefmt import iso, parse_duration

MAX_MESSAGE = 500
DECK_SUFFIXES = {".pdf"}


class CommandError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Operations:
    def __init__(self, live: LiveHall, sound=None):
        self.live = live
        # the hall's sound (``signage.audio.hall.HallSound``: mute, unmute, set_volume, status);
        # None or disabled when config.yaml has no ``audio:`` block
        self.sound = sound

    @property
    def planner(self) -> Planner:
        return self.live.planner

    # ---- checking input ----------------------------------------------------------------------

    def displays(self, wanted: str | list[str] | tuple[str, ...] | None, now: dt.datetime) -> tuple[str, ...]:
        """Wall ids from a name, ``front,pillar``, a list of names or ``all``; nothing given →
        the clicker's wall."""
        names = tuple(self.live.hall.displays)
        if wanted is not None and not isinstance(wanted, str | list | tuple):
            raise CommandError(400, t("live_bad_displays"))
        try:
            chosen = split_displays(wanted, names)
        except ValueError as exc:
            raise CommandError(404, str(exc)) from None
        return (self.live.clicker_wall(now),) if chosen is None else chosen

    @staticmethod
    def expiry(now: dt.datetime, duration: str | float | None) -> dt.datetime | None:
        if duration in (None, ""):
            return None
        try:
            seconds = parse_duration(duration)
        except ValueError:
            raise CommandError(400, t("live_bad_duration", value=repr(duration))) from None
        if not 0 < seconds <= 7 * 86400:
            raise CommandError(400, t("live_duration_range"))
        return now + dt.timedelta(seconds=seconds)

    @staticmethod
    def kind(value: str | HoldKind) -> HoldKind:
        """A simple hold (black, freeze, logo) from its wire name."""
        kind = HoldKind.find(value)
        if kind is None or not kind.is_simple_command:
            names = ", ".join(k.value for k in HoldKind.simple_commands())
            raise CommandError(400, t("live_unknown_hold", value=repr(value), kinds=names))
        return kind

    # ---- holds -------------------------------------------------------------------------------

    def hold(self, kind: str | HoldKind, displays, now: dt.datetime, by: str, duration=None) -> dict:
        """black, freeze or logo on some walls, on top of what plays there."""
        kind = self.kind(kind)
        targets = self.displays(displays, now)
        until = self.expiry(now, duration)
        self.live.set_hold(targets, Hold(kind, now, by, until))
        return {"ok": True, "action": kind.value, "displays": list(targets), "until": iso(until) if until else None}

    def toggle(self, kind: str | HoldKind, displays, now: dt.datetime, by: str, duration=None) -> dict:
        """The 끄기 button and the clicker's blank key: when every wall asked already has this
        hold, release it (what was under it comes back); otherwise put it on."""
        kind = self.kind(kind)
        targets = self.displays(displays, now)
        if all((h := self.live.hold_at(d, now)) is not None and h.kind is kind for d in targets):
            return self.release(targets, now, by, lambda k: k is kind)
        return self.hold(kind, targets, now, by, duration)

    def release(self, displays, now: dt.datetime, by: str, kinds=None) -> dict:
        """Lift the holds (those ``kinds(kind)`` accepts) on some walls; decks stay loaded."""
        targets = self.displays(displays, now)
        lifted = self.live.release(targets, now, by, kinds)
        return {"ok": True, "action": "release", "displays": list(lifted)}

    def message(self, text, displays, now: dt.datetime, by: str, duration=None, style=None) -> dict:
        """A message on some walls: ``style`` notice (안내, navy) or urgent (긴급, red; the default)."""
        chosen = MessageStyle.URGENT if style in (None, "") else MessageStyle.find(style)
        if chosen is None:
            names = ", ".join(s.value for s in MessageStyle)
            raise CommandError(400, t("live_bad_style", value=repr(style), styles=names))
        if not isinstance(text, str) or not text.strip():
            raise CommandError(400, t("live_message_empty"))
        if len(text) > MAX_MESSAGE:
            raise CommandError(400, t("live_message_long", length=len(text), limit=MAX_MESSAGE))
        targets = self.displays(displays, now)
        until = self.expiry(now, duration)
        self.live.set_hold(targets, Hold(HoldKind.MESSAGE, now, by, until, text=text.strip(), style=chosen))
        return {"ok": True, "action": "message", "displays": list(targets), "until": iso(until) if until else None,
                "style": chosen.value}

    def resume(self, displays, now: dt.datetime, by: str) -> dict:
        """일정 복귀: lift the hold and give back the deck at its page; with no hold, unload the
        deck and clear next/prev (back on the schedule's clock)."""
        targets = self.displays(displays, now)
        outcome = self.live.resume(targets, now, by)
        return {"ok": True, "action": "resume", "displays": list(targets), "result": outcome}

    # ---- decks -------------------------------------------------------------------------------

    def load(self, path, display, now: dt.datetime, by: str, duration=None) -> dict:
        """A PDF or a folder of images is loaded at once (``state: loaded`` with its pages). A
        presentation answers at once with ``state: converting``: LibreOffice converts it in a child
        process and the deck appears when done; ``status`` shows ``loading`` per wall meanwhile."""
        if not isinstance(path, str) or not path:
            raise CommandError(400, t("live_need_path"))
        targets = self.displays(display, now)
        if len(targets) != 1:
            raise CommandError(400, t("live_one_wall"))
        wall = targets[0]
        until = self.expiry(now, duration)
        source = Path(path).expanduser()
        deck = self._deck_or_presentation(source)
        if deck is None:
            office = office_program()
            if office is None:
                raise CommandError(422, t("live_no_office", name=source.name))
            self.live.convert(wall, source.resolve(), office, now, by, until)
            return {"ok": True, "action": "load", "displays": [wall], "deck": str(source), "pages": None,
                    "state": LoadState.CONVERTING.value}
        loaded = self.live.load_deck(wall, deck, now, by, until)
        if loaded.state is not LoadState.LOADED:
            raise CommandError(422, loaded.reason or "")
        return {"ok": True, "action": "load", "displays": [wall], "deck": str(deck), "pages": loaded.pages,
                "state": loaded.state.value}

    def unload(self, displays, now: dt.datetime, by: str) -> dict:
        """Take the loaded deck off some walls (their holds stay)."""
        targets = self.displays(displays, now)
        gone = self.live.unload(targets, now, by)
        return {"ok": True, "action": "unload", "displays": list(gone)}

    @staticmethod
    def _deck_or_presentation(path: Path) -> Path | None:
        """A PDF or a folder of images as it is; None for a presentation to convert; refusals."""
        if not path.exists():
            raise CommandError(404, t("live_path_missing", path=path))
        if path.is_dir():
            if not folder_images(path):
                raise CommandError(422, t("live_folder_empty", path=path))
            return path.resolve()
        suffix = path.suffix.lower()
        if suffix in OFFICE_SUFFIXES:
            return None
        if suffix in DECK_SUFFIXES and sniff(path) == "pdf":
            return path.resolve()
        raise CommandError(415, t("live_not_deck", name=path.name))

    # ---- next and previous -------------------------------------------------------------------

    def step(self, direction: int, displays, now: dt.datetime, by: str) -> dict:
        """Next (+1) or previous (-1): the loaded deck's page, the manual event's page, or the
        playlist's item. A wall with a hold on it does not move."""
        targets = self.displays(displays, now)
        action = "next" if direction > 0 else "prev"
        timeline = self.live.timeline(now)
        planner = self.planner
        for display in targets:
            hold = self.live.hold_at(display, now)
            if hold is not None and hold.kind.stops_stepping:
                continue
            deck = self.live.deck_at(display, now)
            if deck is not None:
                pages = len(planner.deck_cycle(deck.path).steps)
                index = min(max(deck.index + direction, 0), max(pages - 1, 0))
                self.live.turn_page(display, index, now, by, action)
                continue
            showing = planner.showing(timeline, display, now)
            if showing.slot is not None and showing.slot.advance == "manual" and showing.slot.playlist:
                pages = len(planner.cycle(showing.slot.playlist).steps)
                index = min(max(showing.index + direction, 0), max(pages - 1, 0))
                self.live.move_manual(display, showing.slot, index, now, by, action)
            elif showing.mode == "play" and showing.slot is not None and showing.step_end is not None:
                if direction > 0:
                    seconds = (showing.step_end - now).total_seconds()  # the next item starts now
                else:
                    back = showing.previous.duration if showing.previous else 0.0
                    seconds = -(showing.offset + back)
                self.live.shift(display, showing.slot.start, seconds, now, by, action)
        return {"ok": True, "action": action, "displays": list(targets)}

    # ---- sound -------------------------------------------------------------------------------

    def _sound(self):
        sound = self.sound
        if sound is None or not sound.enabled:
            raise CommandError(409, t("sound_none"))
        return sound

    @staticmethod
    def _volume(value) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise CommandError(400, t("sound_bad_volume", value=repr(value)))
        return round(value)

    def mute(self, now: dt.datetime, by: str) -> dict:
        """소리 끄기: the hall's speakers fade out (the walls play on)."""
        return self.set_sound(now, by, muted=True)

    def unmute(self, now: dt.datetime, by: str) -> dict:
        """소리 켜기: the sound fades back in, where the picture is."""
        return self.set_sound(now, by, muted=False)

    def volume(self, value, now: dt.datetime, by: str) -> dict:
        """The hall's volume, 0–100."""
        return self.set_sound(now, by, volume=value)

    def set_sound(self, now: dt.datetime, by: str, muted=None, volume=None) -> dict:
        """Mute or unmute and/or set the volume; each change is an operator action (``mute``,
        ``unmute``, ``volume``) on the sounding wall. Checked whole before anything changes."""
        sound = self._sound()
        if muted is not None and not isinstance(muted, bool):
            raise CommandError(400, t("sound_bad_muted", value=repr(muted)))
        if muted is None and volume is None:
            raise CommandError(400, t("sound_nothing"))
        level = None if volume is None else self._volume(volume)
        wall = (sound.display,)
        if level is not None:
            sound.set_volume(level)
            self.live.record_sound(now, by, "volume", wall, f"{level}%")
        if muted is True:
            sound.mute()
            self.live.record_sound(now, by, "mute", wall)
        elif muted is False:
            sound.unmute()
            self.live.record_sound(now, by, "unmute", wall)
        status = sound.status()
        action = "volume" if muted is None else ("mute" if muted else "unmute")
        return {"ok": True, "action": action, "displays": list(wall), "muted": status["muted"],
                "volume": status["volume"]}

    # ---- what the walls show -----------------------------------------------------------------

    def status(self, now: dt.datetime) -> dict:
        live = self.live
        timeline = live.timeline(now)
        planner = self.planner
        walls = {}
        for display in live.hall.displays:
            showing = planner.showing(timeline, display, now)
            slot = showing.slot
            nxt = timeline.next_after(display, now)
            hold, deck = live.hold_at(display, now), live.deck_at(display, now)
            top = hold or deck
            upcoming = None
            if showing.step_end is not None and (nxt is None or showing.step_end < nxt.start):
                later = planner.showing(timeline, display, showing.step_end)
                upcoming = {"start": iso(showing.step_end), "label": later.step.label if later.step else later.mode,
                            "item": later.step.to_json(planner.hall.root) if later.step else None,
                            "mode": later.mode}
            loading = live.loads.get(display)
            walls[display] = {
                "label": showing.step.label if showing.step else showing.mode,
                "wall": live.hall.label(display),
                "source": "operator" if top else (slot.source if slot else None),
                "playlist": slot.playlist if slot else None,
                "name": slot.name if slot else None,
                "mode": showing.mode,
                "item": showing.step.to_json(planner.hall.root) if showing.step else None,
                "offset_s": round(showing.offset, 1),
                "operator": top.to_json() if top else None,  # the top layer: the hold, else the deck
                "hold": hold.to_json() if hold else None,
                "deck": {**deck.to_json(), "pages": len(planner.deck_cycle(deck.path).steps)} if deck else None,
                "loading": loading.to_json() if loading else None,
                "missing_screen": live.missing_screens.get(display),
                "next": {
                    "start": iso(nxt.start), "playlist": nxt.playlist, "source": nxt.source, "name": nxt.name,
                } if nxt else None,
                "next_item": upcoming,
            }
        recent = [
            {"when": iso(a.when), "by": a.by, "action": a.action, "displays": list(a.displays), "detail": a.detail}
            for a in live.history[-20:]
        ]
        return {"at": iso(now), "hall": live.hall.name, "displays": walls, "actions": recent,
                "target": live.clicker_wall(now), "rehearsal": live.rehearsal, "generation": live.generation,
                "audio": self.sound.status() if self.sound is not None else {"enabled": False}}
