"""Playlists for the pages and the API: what each holds and where the schedule uses it; saving
an edit after checking the whole hall (the loader ``signage check`` uses) in a shadow.

A save that would break the hall raises ``SaveRefused`` with the check's problems; the real file
is written (temp file + rename) only after the check passes, and only if nobody changed it
since the form was shown (``expect`` is the text's fingerprint).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from signage.config.hall import Hall
from signage.config.models import Playlist
from signage.config.problems import Problem
from signage.web import playlistedit, yamledit
from signage.web.events import EventDesk, Plan, SaveRefused, write_atomic


@dataclass(frozen=True)
class Use:
    """One place the schedule names a playlist."""

    source: str  # default | daypart | event | fallback
    name: str  # the daypart's or event's name ("" for default)
    walls: tuple[str, ...]
    when: str = ""  # an event's start

    def to_json(self) -> dict:
        return {"source": self.source, "name": self.name, "walls": list(self.walls), "when": self.when}


@dataclass
class Summary:
    name: str
    title: str
    items: int
    length_s: float | None  # None when an item's length is not known without decoding (videos)
    uses: list[Use] = field(default_factory=list)
    accepts_promos: bool = False


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def uses_of(hall: Hall) -> dict[str, list[Use]]:
    """playlist name → where the schedule uses it."""
    out: dict[str, list[Use]] = {}
    sched = hall.config.schedule

    def add(playlist: str, use: Use) -> None:
        out.setdefault(playlist, []).append(use)

    by_playlist: dict[str, list[str]] = {}
    for wall, a in sched.default.items():
        by_playlist.setdefault(a.playlist, []).append(wall)
    for playlist, walls in by_playlist.items():
        add(playlist, Use("default", "", tuple(walls)))
    for part in sched.dayparts:
        grouped: dict[str, list[str]] = {}
        for wall, a in part.displays.items():
            grouped.setdefault(a.playlist, []).append(wall)
        for playlist, walls in grouped.items():
            add(playlist, Use("daypart", part.name, tuple(walls)))
    for event in sched.events:
        grouped = {}
        for wall, a in event.displays.items():
            grouped.setdefault(a.playlist, []).append(wall)
        for playlist, walls in grouped.items():
            add(playlist, Use("event", event.name, tuple(walls), event.start.strftime("%Y-%m-%d %H:%M")))
    return out


def length_of(playlist: Playlist, facts=None) -> float | None:
    """The loop's length in seconds, or None when an item's length needs facts we lack.

    ``facts`` (``library.Facts``) gives videos' lengths and PDFs' and folders' page counts."""
    total = 0.0
    for item in playlist.items:
        step = item.duration or playlist.defaults.duration
        if item.kind == "video" and item.duration is None:
            length = facts.video_length(item.path) if facts else None
            if length is None:
                return None
            total += length
        elif item.kind in ("pdf", "folder"):
            pages = facts.pages(item.kind, item.path, item.pages) if facts else None
            if pages is None:
                return None
            total += step * pages
        else:
            total += step
    return total


class PlaylistDesk:
    def __init__(self, events: EventDesk):
        self.events = events

    @property
    def config_path(self) -> Path:
        return self.events.config_path

    def folder(self) -> Path:
        return self.events.root / self.events._playlist_dir(self.config_path.read_text(encoding="utf-8"))

    def path(self, name: str) -> Path:
        if not playlistedit.NAME.match(name):
            raise KeyError(name)
        return self.folder() / f"{name}.yaml"

    def text(self, name: str) -> str:
        path = self.path(name)
        if not path.is_file():
            raise KeyError(name)
        return path.read_text(encoding="utf-8")

    def raw(self, name: str) -> dict:
        """The playlist as written (items as their mappings), for the form and the API."""
        doc = yamledit.load(self.text(name))
        return doc if isinstance(doc, dict) else {}

    def summaries(self, hall: Hall, facts=None) -> list[Summary]:
        uses = uses_of(hall)
        out = []
        for name, playlist in sorted(hall.playlists.items()):
            out.append(Summary(name, playlist.name or name, len(playlist.items), length_of(playlist, facts),
                               uses.get(name, []), playlist.accepts_promos))
        return out

    # writing ---------------------------------------------------------------------------------

    def check(self, name: str, new_text: str) -> list[Problem]:
        """The problems this change would add to the hall. A hall that already has problems (a
        file gone elsewhere) is no reason to refuse an edit that makes nothing worse."""
        config = self.config_path.read_text(encoding="utf-8")
        after = self.events.check(Plan(text=config, old_text=config, playlists={name: new_text}))
        if not after:
            return []
        before = {(p.file, p.message) for p in self.events.check(Plan(text=config, old_text=config))}
        return [p for p in after if (p.file, p.message) not in before]

    def save(self, name: str, new_text: str, expect: str | None, *, create: bool = False) -> None:
        """Check the hall with ``new_text`` as the playlist, then write it. ``expect`` (the old
        text's fingerprint) refuses an edit aimed at a playlist someone changed meanwhile."""
        path = self.path(name)
        with self.events._lock:
            if create:
                if path.exists():
                    raise SaveRefused(key="pl_exists")
            else:
                if not path.is_file():
                    raise SaveRefused(key="pl_gone")
                if expect is not None and fingerprint(path.read_text(encoding="utf-8")) != expect:
                    raise SaveRefused(key="ev_changed_meanwhile")
            problems = self.check(name, new_text)
            if problems:
                raise SaveRefused(problems, new_text=new_text)
            write_atomic(path, new_text)

    def delete(self, name: str) -> None:
        """Remove a playlist nobody uses (``SaveRefused(key="pl_in_use")`` otherwise)."""
        path = self.path(name)
        with self.events._lock:
            if uses_of(self.events.hall()).get(name):
                raise SaveRefused(key="pl_in_use")
            if not path.is_file():
                raise SaveRefused(key="pl_gone")
            path.unlink()
