"""Editing ``config.yaml``'s ``schedule.events`` and keeping everything else as the operator wrote it.

ruamel.yaml reads the file round-trip (comments kept) and writes the changed document. It
normalises a few things it does not track (the spaces that align flow mappings), so the new text
is laid onto the original line by line: lines the edit did not change are kept byte for byte.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

DATETIME_FMT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class WallChoice:
    playlist: str
    advance: str = "auto"  # or "manual"

    def to_yaml(self):
        if self.advance == "manual":
            m = CommentedMap([("playlist", self.playlist), ("advance", "manual")])
            m.fa.set_flow_style()
            return m
        return self.playlist

    def to_json(self):
        return {"playlist": self.playlist, "advance": self.advance} if self.advance == "manual" else self.playlist


@dataclass(frozen=True)
class EventInput:
    """An event as a form or the API gives it: the fields it has in config.yaml."""

    name: str
    start: dt.datetime  # naive, in the hall's time zone
    end: dt.datetime
    displays: dict[str, WallChoice]

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "start": self.start.strftime(DATETIME_FMT),
            "end": self.end.strftime(DATETIME_FMT),
            "displays": {d: c.to_json() for d, c in self.displays.items()},
        }


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def load(text: str):
    return _yaml().load(text)


def _events(doc) -> CommentedSeq:
    if not isinstance(doc, dict):
        raise ValueError("config.yaml is not a mapping")
    schedule = doc.get("schedule")
    if schedule is None:
        schedule = doc["schedule"] = CommentedMap()
    events = schedule.get("events")
    if events is None:
        events = schedule["events"] = CommentedSeq()
    return events


def _fill(target: CommentedMap, event: EventInput) -> CommentedMap:
    """Write ``event`` into ``target`` in place (so comments on kept keys stay where they were)."""
    target["name"] = event.name
    target["start"] = DoubleQuotedScalarString(event.start.strftime(DATETIME_FMT))
    target["end"] = DoubleQuotedScalarString(event.end.strftime(DATETIME_FMT))
    walls = target.get("displays")
    if not isinstance(walls, CommentedMap):
        walls = target["displays"] = CommentedMap()
    for wall in [w for w in walls if w not in event.displays]:
        del walls[wall]
    for wall, choice in event.displays.items():
        old = walls.get(wall)
        if old is not None and WallChoice(*_choice_of(old)) == choice:
            continue  # unchanged: keep its exact spelling
        walls[wall] = choice.to_yaml()
    return target


def _choice_of(value) -> tuple[str, str]:
    if isinstance(value, dict):
        return str(value.get("playlist")), str(value.get("advance", "auto"))
    return str(value), "auto"


def add_event(text: str, event: EventInput) -> str:
    spans = _item_spans(text)
    if spans:  # after the last event's last line: comments that follow it stay where they are
        lines = text.splitlines(keepends=True)
        first, last, col = spans[-1]
        if not lines[last].endswith("\n"):
            lines[last] += "\n"
        lines[last + 1 : last + 1] = _render(event, col)
        return "".join(lines)
    doc = load(text)
    _events(doc).append(_fill(CommentedMap(), event))
    return _overlay(text, doc)


def replace_event(text: str, index: int, event: EventInput) -> str:
    doc = load(text)
    events = _events(doc)
    if not 0 <= index < len(events):
        raise IndexError(index)
    _fill(events[index], event)
    return _overlay(text, doc)


def delete_event(text: str, index: int) -> str:
    """The event's own lines go; comments around it stay (they may describe its neighbours)."""
    spans = _item_spans(text)
    if not 0 <= index < len(spans):
        raise IndexError(index)
    first, last, _col = spans[index]
    lines = text.splitlines(keepends=True)
    del lines[first : last + 1]
    if len(spans) == 1:  # the list is now empty: say so, or YAML would read `events:` as null
        key = first - 1
        while key >= 0 and not lines[key].strip().startswith("events:"):
            key -= 1
        if key >= 0:
            lines[key] = lines[key].rstrip("\r\n").rstrip() + " []\n"
    return "".join(lines)


def _item_spans(text: str) -> list[tuple[int, int, int]]:
    """(first line, last line, column of its keys), 0-based, of every item of schedule.events."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    events = _child(_child(root, "schedule"), "events")
    if not isinstance(events, yaml.SequenceNode) or events.flow_style:
        return []
    spans = []
    for item in events.value:
        end = _last_leaf(item).end_mark
        last = end.line - 1 if end.column == 0 else end.line
        spans.append((item.start_mark.line, last, item.start_mark.column))
    return spans


def _child(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _last_leaf(node):
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _scalar(value: str) -> str:
    """``value`` plain when YAML reads it back as the same text, else double-quoted."""
    if value and value == value.strip() and not re.search(r"[:#\[\]{},&*!|>'\"%@`]", value):
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _render(event: EventInput, col: int) -> list[str]:
    """The event as block YAML, its keys at column ``col`` (the dash two to the left)."""
    pad = " " * col
    lines = [
        " " * (col - 2) + f"- name: {_scalar(event.name)}\n",
        f'{pad}start: "{event.start.strftime(DATETIME_FMT)}"\n',
        f'{pad}end: "{event.end.strftime(DATETIME_FMT)}"\n',
        f"{pad}displays:\n",
    ]
    for wall, choice in event.displays.items():
        value = _scalar(choice.playlist)
        if choice.advance == "manual":
            value = f"{{playlist: {value}, advance: manual}}"
        lines.append(f"{pad}  {wall}: {value}\n")
    return lines


def _overlay(original: str, doc) -> str:
    """The edited document, with every line the edit did not touch copied from ``original``."""
    baseline = _dump(load(original)).splitlines(keepends=True)
    edited = _dump(doc).splitlines(keepends=True)
    old = original.splitlines(keepends=True)
    if len(baseline) != len(old):
        return "".join(edited)  # ruamel reflowed the file: its own text is still correct YAML
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=baseline, b=edited, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(old[i1:i2] if tag == "equal" else edited[j1:j2])
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    return "".join(out)
