"""Is an upcoming event ready? Per wall: every file present and decodable, presentation decks
converted ahead, and a preview of the walls rendered at the event's start.

Decoding runs in a child process (``signage.web.decodecheck``), the preview is ``signage
preview`` in a child process, and decks (``.pptx`` and the like next to the event's files) are
converted with LibreOffice the way the player does (``signage.live.convert``) into
``var/decks/ahead/``. Results are kept in ``var/web/readiness.json``; an event is checked when
its day-before and hour-before marks pass (``due``) and whenever an operator asks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from signage.config.assets import folder_images
from signage.config.hall import Hall
from signage.config.models import Event, event_bounds
from signage.i18n import t_in
from signage.live.convert import OFFICE_SUFFIXES, Conversion, office_program

HORIZON = dt.timedelta(days=7)
MARKS = (dt.timedelta(hours=24), dt.timedelta(hours=1))  # the day before, an hour before
DECODE_TIMEOUT_S = 300.0
PREVIEW_TIMEOUT_S = 180.0


@dataclass
class WallReady:
    ok: bool = True
    reasons: list[dict] = field(default_factory=list)  # {"key", "args"}: worded on the page
    png: str | None = None

    def fail(self, key: str, **args) -> None:
        self.ok = False
        self.reasons.append({"key": key, "args": args})

    def note(self, key: str, **args) -> None:
        self.reasons.append({"key": key, "args": args, "ok": True})


def event_key(event: Event) -> str:
    digest = hashlib.sha256(f"{event.name}|{event.start}|{event.end}".encode()).hexdigest()[:8]
    return f"{event.start:%Y%m%d-%H%M}-{digest}"


def upcoming(hall: Hall, now: dt.datetime) -> list[tuple[Event, dt.datetime, dt.datetime]]:
    """Events not over yet that start within ``HORIZON``, by start."""
    out = []
    for event in hall.config.schedule.events:
        start, end = event_bounds(event, hall.tz)
        if end > now and start < now + HORIZON:
            out.append((event, start, end))
    return sorted(out, key=lambda e: e[1])


def due(start: dt.datetime, now: dt.datetime, checked_at: dt.datetime | None) -> bool:
    """Whether a mark (a day before, an hour before) has passed since the last check."""
    if now >= start:
        return False
    return any(start - m <= now and (checked_at is None or checked_at < start - m) for m in MARKS)


def sentence(reason: dict, lang: str) -> str:
    return t_in(lang, reason["key"], **reason["args"])


# the store of results ---------------------------------------------------------------------------

def results_path(root: Path) -> Path:
    return root / "var" / "web" / "readiness.json"


def load_results(root: Path) -> dict:
    try:
        data = json.loads(results_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_result(root: Path, key: str, result: dict, now: dt.datetime) -> None:
    from signage.web.events import write_atomic

    data = load_results(root)
    data[key] = result
    horizon = (now - dt.timedelta(days=2)).isoformat()
    data = {k: v for k, v in data.items() if v.get("end", "") >= horizon}  # forget events long over
    write_atomic(results_path(root), json.dumps(data, ensure_ascii=False, indent=1))


# the checks -------------------------------------------------------------------------------------

def _files(hall: Hall, playlist: str, wall: WallReady) -> list[tuple[Path, str]]:
    """The playlist's files to decode; missing files and empty folders are failed at once."""
    found: list[tuple[Path, str]] = []
    pl = hall.playlists.get(playlist)
    if pl is None:
        wall.fail("rd_no_playlist", name=playlist)
        return found
    for item in pl.items:
        if item.kind == "slide":
            values = [(v, "image") for v in (item.slide.image, item.slide.logo) if v]
        elif item.kind == "folder":
            folder = hall.asset(item.folder)
            images = folder_images(folder) if folder.is_dir() else []
            if not images:
                wall.fail("rd_empty_folder", path=item.folder)
            found.extend((p, "image") for p in images)
            continue
        else:
            values = [(item.path, item.kind)]
        for value, kind in values:
            path = hall.asset(value)
            if not path.is_file():
                wall.fail("rd_missing", path=value)
            else:
                found.append((path, kind))
    return found


def decode_all(files: list[tuple[Path, str]], timeout: float = DECODE_TIMEOUT_S) -> dict[str, str | None]:
    """Each file's decoding failure (None when it decodes), from a child process."""
    if not files:
        return {}
    env = {**os.environ}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run([sys.executable, "-m", "signage.web.decodecheck"],
                          input=json.dumps([[str(p), k] for p, k in files]), capture_output=True, text=True,
                          timeout=timeout, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-300:] or f"exit {proc.returncode}")
    return json.loads(proc.stdout)


def decks_of(files: list[tuple[Path, str]]) -> list[Path]:
    """Presentations beside the event's files (a deck the presenter will load on the day)."""
    folders = {p.parent for p, _k in files}
    return sorted({d for f in folders for d in f.iterdir()
                   if d.is_file() and d.suffix.lower() in OFFICE_SUFFIXES and not d.name.startswith(".")})


def convert_ahead(deck: Path, target_dir: Path, office: str | None, sleep: Callable[[float], None] = time.sleep
                  ) -> tuple[Path | None, str | None]:
    """The deck as a PDF in ``target_dir`` (made now unless one newer than the deck is there)."""
    digest = hashlib.sha256(str(deck).encode()).hexdigest()[:8]
    target = target_dir / f"{deck.stem}-{digest}.pdf"
    if target.is_file() and target.stat().st_mtime >= deck.stat().st_mtime:
        return target, None
    if office is None:
        return None, "no_office"
    job = Conversion.start(deck, target_dir, office)
    while (done := job.poll()) is None:
        sleep(0.5)
    if done.pdf is None:
        return None, done.reason
    os.replace(done.pdf, target)
    return target, None


def preview(config_path: Path, at: dt.datetime, out: Path, timeout: float = PREVIEW_TIMEOUT_S) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    proc = subprocess.run([sys.executable, "-m", "signage", "--config", str(config_path), "preview", "--at",
                           at.strftime("%Y-%m-%d %H:%M"), "--out", str(out), "--format", "json"],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=str(config_path.parent))
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip() or proc.stdout.strip())[-300:])
    return json.loads(proc.stdout)


def check_event(hall: Hall, event: Event, now: dt.datetime, *, office: str | None | bool = True) -> dict:
    """The readiness of one event, per wall (JSON for ``readiness.json``)."""
    start, end = event_bounds(event, hall.tz)
    key = event_key(event)
    office_path = office_program() if office is True else (office or None)
    walls: dict[str, WallReady] = {}
    files: dict[str, list[tuple[Path, str]]] = {}
    for display, assign in event.displays.items():
        walls[display] = WallReady()
        files[display] = _files(hall, assign.playlist, walls[display])
    everything = sorted({f for fs in files.values() for f in fs})
    try:
        failures = decode_all(everything)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        failures = {str(p): str(exc)[:200] for p, _k in everything}
    for display, fs in files.items():
        for path, _kind in fs:
            error = failures.get(str(path))
            if error:
                walls[display].fail("rd_undecodable", path=_rel(hall, path), error=error)
        for deck in decks_of(fs):
            pdf, error = convert_ahead(deck, hall.root / "var" / "decks" / "ahead", office_path)
            if error == "no_office":
                walls[display].fail("rd_no_office", name=deck.name)
            elif error:
                walls[display].fail("rd_deck_failed", name=deck.name, error=error[-200:])
            else:
                walls[display].note("rd_deck_converted", name=deck.name)
    out = hall.root / "var" / "web" / "ready" / key
    try:
        report = preview(hall.config_path, start.replace(tzinfo=None), out)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        for wall in walls.values():
            wall.fail("rd_preview_failed", error=str(exc)[-200:])
    else:
        for display, entry in report.get("displays", {}).items():
            if display not in walls:
                continue
            walls[display].png = f"{key}/{display}.png" if (out / f"{display}.png").is_file() else None
            if entry.get("source") != "event" or entry.get("name") != event.name:
                walls[display].fail("rd_preview_other", what=entry.get("name") or entry.get("playlist") or "-")
            elif entry.get("error"):
                walls[display].fail("rd_preview_error", error=str(entry["error"])[-200:])
    return {"key": key, "name": event.name, "start": start.isoformat(), "end": end.isoformat(),
            "checked_at": now.isoformat(timespec="seconds"), "ok": all(w.ok for w in walls.values()),
            "walls": {d: {"ok": w.ok, "reasons": w.reasons, "png": w.png} for d, w in walls.items()}}


def _rel(hall: Hall, path: Path) -> str:
    try:
        return path.relative_to(hall.root).as_posix()
    except ValueError:
        return str(path)


def run(hall: Hall, now: dt.datetime, *, force: bool = False, office: str | None | bool = True) -> list[dict]:
    """Check every upcoming event that is due (all of them with ``force``); the new results."""
    stored = load_results(hall.root)
    done = []
    for event, start, _end in upcoming(hall, now):
        key = event_key(event)
        last = stored.get(key, {}).get("checked_at")
        checked_at = dt.datetime.fromisoformat(last) if last else None
        if force or due(start, now, checked_at):
            result = check_event(hall, event, now, office=office)
            save_result(hall.root, key, result, now)
            done.append(result)
    return done
