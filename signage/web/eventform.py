"""The event form: what its fields mean, reading them back, and putting check problems at fields.

Fields: ``name``, ``date``, ``start``, ``end`` (an end at or before the start is the next day),
and per wall ``mode_<wall>`` (``none`` | ``playlist`` | ``upload``), ``playlist_<wall>``,
``manual_<wall>`` (a checkbox: the operator advances it) and ``files_<wall>`` (uploads).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from signage.config.problems import Problem
from signage.web.yamledit import EventInput, WallChoice

MODES = ("none", "playlist", "upload")


@dataclass
class FormState:
    """What the form shows: values, per-field messages, and the problems that belong nowhere."""

    name: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    modes: dict[str, str] = field(default_factory=dict)
    playlists: dict[str, str] = field(default_factory=dict)
    manual: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    preview_at: str = ""

    def error(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)


def state_of(event: EventInput, walls: list[str]) -> FormState:
    s = FormState(
        name=event.name, date=event.start.strftime("%Y-%m-%d"),
        start=event.start.strftime("%H:%M"), end=event.end.strftime("%H:%M"),
        preview_at=event.start.strftime("%H:%M"),
    )
    for wall in walls:
        choice = event.displays.get(wall)
        s.modes[wall] = "playlist" if choice else "none"
        s.playlists[wall] = choice.playlist if choice else ""
        s.manual[wall] = bool(choice and choice.advance == "manual")
    return s


def blank(walls: list[str], day: dt.date) -> FormState:
    s = FormState(date=day.isoformat(), start="10:00", end="12:00", preview_at="10:00")
    for wall in walls:
        s.modes[wall], s.playlists[wall], s.manual[wall] = "none", "", False
    return s


def _clock(text: str) -> dt.time | None:
    if not re.fullmatch(r"\d{1,2}:\d{2}", text or ""):
        return None
    h, m = (int(x) for x in text.split(":"))
    return dt.time(h, m) if h < 24 and m < 60 else None


def read(form, walls: list[str], t) -> FormState:
    """The form's values, with a message at every field that cannot be used as it is."""
    s = FormState(
        name=str(form.get("name") or "").strip(), date=str(form.get("date") or "").strip(),
        start=str(form.get("start") or "").strip(), end=str(form.get("end") or "").strip(),
        preview_at=str(form.get("preview_at") or "").strip(),
    )
    if not s.name:
        s.error("name", t("ev_need_name"))
    try:
        dt.date.fromisoformat(s.date)
    except ValueError:
        s.error("date", t("ev_bad_date"))
    for key in ("start", "end"):
        if _clock(getattr(s, key)) is None:
            s.error(key, t("ev_bad_time"))
    for wall in walls:
        mode = str(form.get(f"mode_{wall}") or "none")
        s.modes[wall] = mode if mode in MODES else "none"
        s.playlists[wall] = str(form.get(f"playlist_{wall}") or "")
        s.manual[wall] = bool(form.get(f"manual_{wall}"))
        if s.modes[wall] == "playlist" and not s.playlists[wall]:
            s.error(f"wall_{wall}", t("ev_need_playlist"))
    if all(m == "none" for m in s.modes.values()):
        s.error("walls", t("ev_need_wall"))
    return s


def event_of(s: FormState, walls: list[str]) -> EventInput:
    """The event the form describes (walls in upload mode get their playlist when planned)."""
    day = dt.date.fromisoformat(s.date)
    start = dt.datetime.combine(day, _clock(s.start))
    end = dt.datetime.combine(day, _clock(s.end))
    if end <= start:
        end += dt.timedelta(days=1)
    displays = {}
    for wall in walls:
        advance = "manual" if s.manual.get(wall) else "auto"
        if s.modes[wall] == "playlist":
            displays[wall] = WallChoice(s.playlists[wall], advance)
        elif s.modes[wall] == "upload":
            displays[wall] = WallChoice("", advance)
    return EventInput(s.name, start, end, displays)


def place_problems(s: FormState, problems: list[Problem], text: str, index: int | None,
                   config_label: str, playlist_walls: dict[str, str]) -> None:
    """Each problem at the field it is about (by the line it points to), the rest at the top."""
    fields = _field_lines(text, index) if index is not None else {}
    for p in problems:
        where = None
        if p.file == config_label:
            where = fields.get(p.line)
        else:
            for wall, playlist in playlist_walls.items():
                if p.file.endswith(f"/{playlist}.yaml"):
                    where = f"wall_{wall}"
        if where:
            s.error(where, p.message)
        else:
            s.problems.append(str(p))


def _field_lines(text: str, index: int) -> dict[int, str]:
    """1-based line → form field, for the lines of event ``index`` in ``text``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        sched = next(v for k, v in root.value if k.value == "schedule")
        events = next(v for k, v in sched.value if k.value == "events")
        item = events.value[index]
    except (yaml.YAMLError, StopIteration, AttributeError, IndexError, TypeError):
        return {}
    out = {item.start_mark.line + 1: "name"}
    for key, value in item.value:
        where = {"name": "name", "start": "start", "end": "end"}.get(key.value, "walls")
        out[key.start_mark.line + 1] = where
        if key.value == "displays" and isinstance(value, yaml.MappingNode):
            for wall_key, _ in value.value:
                out[wall_key.start_mark.line + 1] = f"wall_{wall_key.value}"
    return out
