"""The operator's commands, shared by the console, the clicker and the HTTP API (no Qt).

Every method takes ``now`` and who asked (``by``), validates first and changes nothing when the
request is wrong (raising ``CommandError`` with an HTTP-style status and a message).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from signage.config.assets import folder_images, sniff
from signage.control.state import Override
from signage.i18n import split_displays
from signage.playback.planner import Planner
from signage.schedule.timeline import Timeline
from signage.timefmt import iso, parse_duration

MAX_MESSAGE = 500
DECK_SUFFIXES = {".pdf"}
OFFICE_SUFFIXES = {".ppt", ".pptx", ".odp", ".key"}


class CommandError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Operations:
    def __init__(self, planner_of: Callable[[], Planner], timeline_of: Callable[[], Timeline],
                 deck_dir: Path):
        self._planner_of = planner_of
        self._timeline_of = timeline_of
        self.deck_dir = deck_dir

    @property
    def planner(self) -> Planner:
        return self._planner_of()

    # ---- checking input ----------------------------------------------------------------------

    def displays(self, wanted: str | list[str] | None) -> tuple[str, ...]:
        """Wall ids from a name, ``front,pillar``, a list of names or ``all``."""
        names = tuple(self.planner.hall.displays)
        if wanted is not None and not isinstance(wanted, str | list):
            raise CommandError(400, "display must be a name, a list of names, or 'all'")
        try:
            chosen = split_displays(wanted, names)
        except ValueError as exc:
            raise CommandError(404, str(exc)) from None
        return names if chosen is None else chosen

    @staticmethod
    def expiry(now: dt.datetime, duration: str | float | None) -> dt.datetime | None:
        if duration in (None, ""):
            return None
        try:
            seconds = parse_duration(duration)
        except ValueError:
            raise CommandError(400, f"cannot read the duration {duration!r}; write it like 10m or 90s") from None
        if not 0 < seconds <= 7 * 86400:
            raise CommandError(400, "a duration must be between 1 second and 7 days")
        return now + dt.timedelta(seconds=seconds)

    # ---- commands ----------------------------------------------------------------------------

    def hold(self, kind: str, displays, now: dt.datetime, by: str, duration=None) -> dict:
        """black, freeze or logo on some walls."""
        targets = self.displays(displays)
        until = self.expiry(now, duration)
        self.planner.operator.set(targets, Override(kind, now, by, until))
        return {"ok": True, "action": kind, "displays": list(targets), "until": iso(until) if until else None}

    def message(self, text, displays, now: dt.datetime, by: str, duration=None) -> dict:
        if not isinstance(text, str) or not text.strip():
            raise CommandError(400, "the message is empty")
        if len(text) > MAX_MESSAGE:
            raise CommandError(400, f"the message is {len(text)} characters; the limit is {MAX_MESSAGE}")
        targets = self.displays(displays)
        until = self.expiry(now, duration)
        self.planner.operator.set(targets, Override("message", now, by, until, text=text.strip()))
        return {"ok": True, "action": "message", "displays": list(targets), "until": iso(until) if until else None}

    def resume(self, displays, now: dt.datetime, by: str) -> dict:
        targets = self.displays(displays)
        self.planner.operator.resume(targets, now, by)
        return {"ok": True, "action": "resume", "displays": list(targets)}

    def load(self, path, display, now: dt.datetime, by: str, duration=None) -> dict:
        if not isinstance(path, str) or not path:
            raise CommandError(400, "give the deck's path")
        targets = self.displays(display)
        if len(targets) != 1:
            raise CommandError(400, "load a deck on one display at a time")
        deck = self.prepare_deck(Path(path).expanduser())
        until = self.expiry(now, duration)
        self.planner.operator.set(targets, Override("deck", now, by, until, deck=deck))
        pages = len(self.planner.deck_cycle(deck).steps)
        if pages == 0:
            self.planner.operator.resume(targets, now, "system")
            raise CommandError(422, f"nothing in {deck.name} can be shown")
        return {"ok": True, "action": "load", "displays": list(targets), "deck": str(deck), "pages": pages}

    def prepare_deck(self, path: Path) -> Path:
        """A PDF or a folder of images as it is; a presentation converted to PDF by LibreOffice."""
        if not path.exists():
            raise CommandError(404, f"{path} does not exist")
        if path.is_dir():
            if not folder_images(path):
                raise CommandError(422, f"the folder {path} has no images")
            return path.resolve()
        suffix = path.suffix.lower()
        if suffix in OFFICE_SUFFIXES:
            return self._convert(path)
        if suffix in DECK_SUFFIXES and sniff(path) == "pdf":
            return path.resolve()
        raise CommandError(415, f"{path.name} is not a deck: load a PDF, a presentation (.pptx) or a folder of images")

    def _convert(self, path: Path) -> Path:
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise CommandError(
                422, f"{path.name} is a presentation and LibreOffice is not installed to convert it; "
                "export it as PDF, or install LibreOffice (apt-get install libreoffice-impress)")
        self.deck_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.deck_dir) as tmp:
            try:
                subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)],
                               check=True, capture_output=True, timeout=180)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                raise CommandError(422, f"LibreOffice could not convert {path.name}: {exc}") from None
            produced = Path(tmp) / (path.stem + ".pdf")
            if not produced.exists():
                raise CommandError(422, f"LibreOffice produced no PDF for {path.name}")
            target = self.deck_dir / produced.name
            produced.replace(target)
        return target.resolve()

    def step(self, direction: int, displays, now: dt.datetime, by: str) -> dict:
        """Next (+1) or previous (-1): the deck's page, or the playlist's item."""
        targets = self.displays(displays)
        action = "next" if direction > 0 else "prev"
        timeline = self._timeline_of()
        planner = self.planner
        for display in targets:
            showing = planner.showing(timeline, display, now)
            ov = planner.operator.active(display, now)
            if ov is not None and ov.kind == "deck":
                pages = len(planner.deck_cycle(ov.deck).steps)
                planner.operator.move_deck(display, min(max(ov.index + direction, 0), max(pages - 1, 0)), now, by, action)
            elif ov is not None:
                continue  # black, freeze, logo, message: next/prev wait for resume
            elif showing.slot is not None and showing.slot.advance == "manual" and showing.slot.playlist:
                pages = len(planner.cycle(showing.slot.playlist).steps)
                index = min(max(showing.index + direction, 0), max(pages - 1, 0))
                planner.manual.move(display, showing.slot, index, now)
                planner.operator._record(now, by, action, (display,), f"page {index + 1}")
            elif showing.mode == "play" and showing.slot is not None and showing.step_end is not None:
                if direction > 0:
                    seconds = (showing.step_end - now).total_seconds()  # the next item starts now
                else:
                    back = showing.previous.duration if showing.previous else 0.0
                    seconds = -(showing.offset + back)
                planner.operator.shift(display, showing.slot.start, seconds, now, by, action)
        return {"ok": True, "action": action, "displays": list(targets)}

    # ---- what the walls show -----------------------------------------------------------------

    def status(self, now: dt.datetime) -> dict:
        timeline = self._timeline_of()
        planner = self.planner
        walls = {}
        for display in planner.hall.displays:
            showing = planner.showing(timeline, display, now)
            slot = showing.slot
            nxt = timeline.next_after(display, now)
            ov = planner.operator.active(display, now)
            upcoming = None
            if showing.step_end is not None and (nxt is None or showing.step_end < nxt.start):
                later = planner.showing(timeline, display, showing.step_end)
                upcoming = {"start": iso(showing.step_end), "label": later.step.label if later.step else later.mode}
            walls[display] = {
                "source": "operator" if ov else (slot.source if slot else None),
                "playlist": slot.playlist if slot else None,
                "name": slot.name if slot else None,
                "mode": showing.mode,
                "item": showing.step.to_json(planner.hall.root) if showing.step else None,
                "label": showing.step.label if showing.step else showing.mode,
                "offset_s": round(showing.offset, 1),
                "operator": ov.to_json() if ov else None,
                "next": {
                    "start": iso(nxt.start), "playlist": nxt.playlist, "source": nxt.source, "name": nxt.name,
                } if nxt else None,
                "next_item": upcoming,
            }
        recent = [
            {"when": iso(a.when), "by": a.by, "action": a.action, "displays": list(a.displays), "detail": a.detail}
            for a in planner.operator.history[-20:]
        ]
        return {"at": iso(now), "hall": planner.hall.name, "displays": walls, "actions": recent}
