"""Saving, deleting and previewing events: validated as a whole hall before the real files change.

Every change is made on the text of ``config.yaml`` (``yamledit``), checked in a ``Shadow`` of
the hall by ``load_hall`` (the loader ``signage check`` uses, assets included), and only then
written: new files first, then ``config.yaml`` by temp file + ``os.replace``. A refused change
raises ``SaveRefused`` with the check's own problems and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from signage.config import watch
from signage.config.hall import Hall
from signage.config.loader import load_hall
from signage.config.models import event_bounds
from signage.config.problems import ConfigError, Problem
from signage.web import uploads, yamledit
from signage.web.shadow import Shadow
from signage.web.yamledit import EventInput, WallChoice

PREVIEW_TIMEOUT_S = 120.0


class SaveRefused(Exception):
    """The change would break the hall (``problems``), or it raced another edit (``key``)."""

    def __init__(self, problems: list[Problem] | None = None, key: str | None = None, new_text: str = ""):
        super().__init__(key or "; ".join(str(p) for p in problems or []))
        self.problems, self.key, self.new_text = problems or [], key, new_text


@dataclass
class Plan:
    """A change ready to check: the new config text and the files that come with it."""

    text: str
    old_text: str
    playlists: dict[str, str] = field(default_factory=dict)  # name → YAML text
    event_dir: str | None = None  # assets/events/<slug>, filled from the draft's files
    draft: uploads.Draft | None = None
    index: int | None = None  # the event's place in schedule.events after the change

    def replacements(self, config_name: str, playlist_dir: str) -> dict:
        out: dict = {config_name: self.text}
        for name, text in self.playlists.items():
            out[f"{playlist_dir}/{name}.yaml"] = text
        if self.event_dir and self.draft:
            out[self.event_dir] = self.draft.files
        return out


def event_inputs(hall: Hall) -> list[EventInput]:
    """The hall's events, as the web and the API show them."""
    out = []
    for event in hall.config.schedule.events:
        start, end = event_bounds(event, hall.tz)
        out.append(
            EventInput(
                event.name, start.replace(tzinfo=None), end.replace(tzinfo=None),
                {d: WallChoice(a.playlist, a.advance) for d, a in event.displays.items()},
            )
        )
    return out


def fingerprint(event: EventInput) -> str:
    """Identifies what an edit form was showing, so an edit aimed at a moved event is refused."""
    import hashlib

    return hashlib.sha256(json.dumps(event.to_json(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


class EventDesk:
    """Events of one hall, for the pages and the API. One change at a time per process."""

    def __init__(self, config_path: Path):
        self.config_path = config_path.absolute()
        self.root = self.config_path.parent
        self._lock = threading.Lock()
        self._loaded: tuple[tuple, Hall] | None = None  # (files' fingerprint, the hall read from them)

    # reading ---------------------------------------------------------------------------------

    def hall(self, *, check_assets: bool = False) -> Hall:
        """The hall as its files say now. Read again only when config.yaml or a playlist file
        changed (size, time or inode): parsing and validating them cost tens of milliseconds,
        which every page and API call paid. A broken hall is not kept (its error is worded in
        the asker's language); ``check_assets`` always reads (media files are not watched)."""
        if check_assets:
            return load_hall(self.config_path, check_assets=True)
        loaded = self._loaded
        folder = self.root / (loaded[1].config.playlists if loaded else "playlists")
        key = watch.fingerprint(self.config_path, folder)
        if loaded is not None and loaded[0] == key:
            return loaded[1]
        hall = load_hall(self.config_path, check_assets=False)  # files changed after the key: read again next time
        if self.root / hall.config.playlists == folder:
            self._loaded = (key, hall)
        return hall

    def _playlist_dir(self, text: str) -> str:
        try:
            value = yamledit.load(text).get("playlists")
        except Exception:  # noqa: BLE001 - a broken file is reported by the check itself
            value = None
        return value if isinstance(value, str) and value else "playlists"

    # planning --------------------------------------------------------------------------------

    def plan(self, event: EventInput | None, index: int | None, draft: uploads.Draft | None,
             manual: dict[str, bool] | None = None, expect: str | None = None) -> Plan:
        """The change: add (``index`` None), replace (``index`` and ``event``) or delete (no event).

        Walls with files in ``draft`` get a generated playlist of those files."""
        old = self.config_path.read_text(encoding="utf-8")
        if index is not None and expect is not None:
            current = event_inputs(self.hall())
            if index >= len(current) or fingerprint(current[index]) != expect:
                raise SaveRefused(key="ev_changed_meanwhile")
        plan = Plan(text=old, old_text=old, draft=draft)
        if event is not None and draft is not None and any(draft.walls.values()):
            slug = f"{event.start:%Y%m%d-%H%M}-{secrets.token_hex(3)}"
            plan.event_dir = f"assets/events/{slug}"
            walls = dict(event.displays)
            for wall, files in draft.walls.items():
                if not files:
                    continue
                name = f"event-{slug}-{wall}"
                plan.playlists[name] = uploads.playlist_yaml(f"{event.name} · {wall}", files, plan.event_dir)
                advance = "manual" if (manual or {}).get(wall) else "auto"
                walls[wall] = WallChoice(name, advance)
            event = EventInput(event.name, event.start, event.end, walls)
        try:
            if event is None:
                plan.text = yamledit.delete_event(old, index)
            elif index is None:
                plan.text = yamledit.add_event(old, event)
                plan.index = len(yamledit._item_spans(plan.text)) - 1
            else:
                plan.text = yamledit.replace_event(old, index, event)
                plan.index = index
        except IndexError:
            raise SaveRefused(key="ev_changed_meanwhile") from None
        return plan

    def check(self, plan: Plan) -> list[Problem]:
        """The problems ``signage check`` would report on the hall after this change."""
        replacements = plan.replacements(self.config_path.name, self._playlist_dir(plan.text))
        with Shadow(self.root, replacements) as shadow:
            try:
                load_hall(shadow.root / self.config_path.name, check_assets=True)
            except ConfigError as exc:
                return [Problem(shadow.real_label(p.file), p.line, p.col, p.message) for p in exc.problems]
        return []

    # writing ---------------------------------------------------------------------------------

    def commit(self, plan: Plan) -> None:
        """Check the whole hall, then write: the event's files, its playlists, ``config.yaml``."""
        with self._lock:
            problems = self.check(plan)
            if problems:
                raise SaveRefused(problems, new_text=plan.text)
            if self.config_path.read_text(encoding="utf-8") != plan.old_text:
                raise SaveRefused(key="ev_changed_meanwhile")
            made: list[Path] = []
            try:
                if plan.event_dir and plan.draft:
                    target = self.root / plan.event_dir
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(plan.draft.files, target)
                    made.append(target)
                playlist_dir = self.root / self._playlist_dir(plan.text)
                for name, text in plan.playlists.items():
                    path = playlist_dir / f"{name}.yaml"
                    write_atomic(path, text)
                    made.append(path)
                write_atomic(self.config_path, plan.text)
            except BaseException:
                for path in reversed(made):
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                raise
            if plan.draft:
                plan.draft.discard()

    # preview ---------------------------------------------------------------------------------

    def preview(self, plan: Plan, at: str, out_dir: Path, env: dict | None = None) -> dict:
        """``signage preview --at AT`` on the hall after this change, in a child process (the
        compositor is Qt; this process never loads it). PNGs land in ``out_dir``; returns the
        preview's JSON. Raises ``SaveRefused`` when the change does not pass the check."""
        problems = self.check(plan)
        if problems:
            raise SaveRefused(problems, new_text=plan.text)
        replacements = plan.replacements(self.config_path.name, self._playlist_dir(plan.text))
        with Shadow(self.root, replacements) as shadow:
            work = shadow.root / ".preview"
            cmd = [sys.executable, "-m", "signage", "--config", str(shadow.root / self.config_path.name),
                   "preview", "--at", at, "--out", str(work), "--format", "json"]
            child_env = dict(os.environ if env is None else env)
            child_env.setdefault("QT_QPA_PLATFORM", "offscreen")
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PREVIEW_TIMEOUT_S,
                                  env=child_env, cwd=str(shadow.root))
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr.strip() or proc.stdout.strip())
            report = json.loads(proc.stdout)
            out_dir.mkdir(parents=True, exist_ok=True)
            for png in work.glob("*.png"):
                shutil.copyfile(png, out_dir / png.name)
        return report


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
