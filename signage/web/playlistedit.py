"""Editing one ``playlists/<name>.yaml`` and keeping everything else as the operator wrote it.

An edit is the playlist's new top keys and its items in their new order; an item that came from
the file carries its old index, so the mapping (and the comments on it) moves with it and only
the keys that changed are rewritten. Lines the edit did not touch are kept byte for byte
(``yamledit._overlay``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from signage.config.models import ITEM_KINDS
from signage.web import yamledit

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # the file stem: what the schedule names
FITS = ("contain", "cover", "stretch", "none")
ITEM_KEYS = ("duration", "fit", "transition")  # what the form edits per item; None removes the key


@dataclass
class ItemEdit:
    """One item of the edited playlist: ``source`` is its index in the file, or None for a new one
    (then ``kind`` and ``path`` say what it shows)."""

    source: int | None
    values: dict[str, object] = field(default_factory=dict)  # key → new value (None: remove)
    kind: str = ""
    path: str = ""


@dataclass
class PlaylistEdit:
    top: dict[str, object]  # name, accepts_promos, defaults (a dict; None removes the key)
    items: list[ItemEdit]


def _flow(mapping: dict) -> CommentedMap:
    m = CommentedMap(mapping)
    m.fa.set_flow_style()
    return m


def apply(text: str, edit: PlaylistEdit) -> str:
    doc = yamledit.load(text) if text.strip() else CommentedMap()
    if not isinstance(doc, dict):
        doc = CommentedMap()
    for key, value in edit.top.items():
        if value is None:
            doc.pop(key, None)
        elif key == "defaults" and isinstance(value, dict):
            old = doc.get("defaults")
            target = old if isinstance(old, CommentedMap) else _flow({})
            for k, v in value.items():
                if v is None:
                    target.pop(k, None)
                elif target.get(k) != v:
                    target[k] = v
            doc["defaults"] = target
        elif doc.get(key) != value:
            doc[key] = value
    old_items = doc.get("items") if isinstance(doc.get("items"), list) else []
    new_items = CommentedSeq()
    for item in edit.items:
        if item.source is not None and 0 <= item.source < len(old_items) and isinstance(old_items[item.source], dict):
            mapping = old_items[item.source]
        else:
            mapping = CommentedMap([(item.kind, item.path)])
        for key, value in item.values.items():
            if value is None or value == "":
                mapping.pop(key, None)
            elif mapping.get(key) != value:
                mapping[key] = value
        new_items.append(mapping)
    if isinstance(doc.get("items"), CommentedSeq):  # keep the list's own comments and layout
        seq = doc["items"]
        comments = dict(seq.ca.items)
        del seq[:]
        seq.extend(new_items)
        seq.ca.items.clear()
        for i, item in enumerate(edit.items):
            if item.source is not None and item.source in comments:
                seq.ca.items[i] = comments[item.source]
    else:
        doc["items"] = new_items
    return yamledit._overlay(text, doc) if text.strip() else yamledit._dump(doc)


def new_playlist(title: str, kind: str, path: str) -> str:
    """The text of a new playlist with one item."""
    return "\n".join([
        "# signage serve 에서 만든 플레이리스트 / made in signage serve",
        f"name: {json.dumps(title, ensure_ascii=False)}",
        "defaults: {duration: 10s, fit: contain, transition: fade 0.5s}",
        "items:",
        f"  - {kind}: {json.dumps(path, ensure_ascii=False)}",
    ]) + "\n"


def item_path(item: dict) -> tuple[str, str]:
    """(kind, what it shows) of a raw item mapping."""
    for kind in ITEM_KINDS:
        if kind in item:
            value = item[kind]
            if kind == "slide" and isinstance(value, dict):
                return kind, str(value.get("title") or "")
            return kind, str(value)
    return "", ""


def field_lines(text: str) -> dict[int, str]:
    """1-based line → form field (``item_<i>``, ``defaults``, ``title``) in a playlist's text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[int, str] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        where = {"name": "title", "defaults": "defaults", "accepts_promos": "accepts_promos"}.get(key.value, "items")
        for line in range(key.start_mark.line, value.end_mark.line + 1):
            out.setdefault(line + 1, where)
        if key.value == "items" and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                end = item.end_mark.line if item.end_mark.column else item.end_mark.line - 1
                for line in range(item.start_mark.line, end + 1):
                    out[line + 1] = f"item_{i}"
    return out


def edit_from_json(old: dict, body) -> PlaylistEdit:
    """A full replacement (the API's PUT) as an edit: items that were there keep their mapping
    (and comments); keys the body leaves out are removed. Raises ValueError on a malformed body
    (the loader judges everything else)."""
    if not isinstance(body, dict):
        raise ValueError("the body is not a JSON object")
    items = body.get("items")
    if not isinstance(items, list):
        raise ValueError("items: a list is needed")
    top: dict[str, object] = {}
    for key in set(old) | set(body):
        if key == "items":
            continue
        value = body.get(key)
        if key == "defaults" and isinstance(value, dict):
            before = old.get("defaults") if isinstance(old.get("defaults"), dict) else {}
            value = {k: value.get(k) for k in set(before) | set(value)}
        top[key] = value
    old_items = [i if isinstance(i, dict) else {} for i in (old.get("items") or [])]
    taken: set[int] = set()
    edits = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("items: each item is an object")
        kinds = [k for k in ITEM_KINDS if k in item]
        if len(kinds) != 1:
            raise ValueError("items: each item names one of " + ", ".join(ITEM_KINDS))
        kind = kinds[0]
        source = next((i for i, o in enumerate(old_items) if i not in taken and kind in o and o[kind] == item[kind]), None)
        before = old_items[source] if source is not None else {}
        values = {k: item.get(k) for k in (set(before) | set(item)) - {kind}}
        if source is not None:
            taken.add(source)
        edits.append(ItemEdit(source, values, kind, item[kind]))
    return PlaylistEdit(top, edits)


def plain(value):
    """ruamel's mappings and lists as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)
