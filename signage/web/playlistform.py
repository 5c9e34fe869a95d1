"""The playlist form: its rows, reading them back (with one operation: move, remove, add), and
putting the check's problems at the row or field they are about.

Fields: ``expect``, ``title``, ``accepts_promos``, ``d_duration``/``d_fit``/``d_tr``/``d_fade``
(the defaults), ``rows`` (how many), per row ``src_<i>`` (its index in the file, or ``new`` with
``kind_<i>``/``path_<i>``), ``dur_<i>``, ``fit_<i>``, ``tr_<i>`` (``""`` | ``cut`` | ``fade``) and
``fade_<i>`` (seconds). The button pressed is ``op``: ``save``, ``up:<i>``, ``down:<i>``,
``remove:<i>`` or ``add`` (with ``add_path``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from signage.config.problems import Problem
from signage.web import playlistedit
from signage.web.playlistedit import ItemEdit, PlaylistEdit


@dataclass
class Row:
    src: int | None
    kind: str
    path: str
    duration: str = ""
    fit: str = ""
    tr: str = ""  # "" (the default) | cut | fade
    fade: str = "0.5"
    extra: str = ""  # what else the item says (pages, background), shown only


@dataclass
class FormState:
    title: str = ""
    accepts_promos: bool = False
    d_duration: str = ""
    d_fit: str = ""
    d_tr: str = ""
    d_fade: str = "0.5"
    rows: list[Row] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)


def _text(value) -> str:
    return "" if value is None else str(value)


def _transition(value) -> tuple[str, str]:
    text = _text(value).strip().lower()
    if not text:
        return "", "0.5"
    if text.startswith(("fade", "crossfade")):
        parts = text.split()
        return "fade", (parts[1].rstrip("s") if len(parts) > 1 else "0.5")
    return "cut", "0.5"


def state_of(raw: dict) -> FormState:
    """The form for a playlist as written (``raw``: its YAML mapping)."""
    defaults = raw.get("defaults") if isinstance(raw.get("defaults"), dict) else {}
    tr, fade = _transition(defaults.get("transition"))
    s = FormState(title=_text(raw.get("name")), accepts_promos=bool(raw.get("accepts_promos")),
                  d_duration=_text(defaults.get("duration")), d_fit=_text(defaults.get("fit")), d_tr=tr, d_fade=fade)
    for i, item in enumerate(raw.get("items") or []):
        if not isinstance(item, dict):
            continue
        kind, path = playlistedit.item_path(item)
        tr, fade = _transition(item.get("transition"))
        extra = ", ".join(f"{k}: {v}" for k, v in item.items() if k not in (kind, *playlistedit.ITEM_KEYS))
        s.rows.append(Row(i, kind, path, _text(item.get("duration")), _text(item.get("fit")), tr, fade, extra))
    return s


def read(form, t) -> tuple[FormState, str]:
    """The form's values after its operation; and the operation."""
    s = FormState(title=str(form.get("title") or "").strip(), accepts_promos=bool(form.get("accepts_promos")),
                  d_duration=str(form.get("d_duration") or "").strip(), d_fit=str(form.get("d_fit") or ""),
                  d_tr=str(form.get("d_tr") or ""), d_fade=str(form.get("d_fade") or "0.5").strip())
    try:
        count = min(int(form.get("rows") or 0), 2000)
    except ValueError:
        count = 0
    for i in range(count):
        src = str(form.get(f"src_{i}") or "")
        if src.isdigit():
            row = Row(int(src), str(form.get(f"kind_{i}") or ""), str(form.get(f"path_{i}") or ""))
        elif src == "new" and form.get(f"kind_{i}") in ("image", "video", "pdf", "folder"):
            row = Row(None, str(form.get(f"kind_{i}")), str(form.get(f"path_{i}") or ""))
        else:
            continue
        row.duration = str(form.get(f"dur_{i}") or "").strip()
        row.fit = str(form.get(f"fit_{i}") or "")
        row.tr = str(form.get(f"tr_{i}") or "")
        row.fade = str(form.get(f"fade_{i}") or "0.5").strip()
        row.extra = str(form.get(f"extra_{i}") or "")
        s.rows.append(row)
    op = str(form.get("op") or "save")
    name, _, arg = op.partition(":")
    if name in ("up", "down", "remove") and arg.isdigit() and int(arg) < len(s.rows):
        i = int(arg)
        if name == "remove":
            del s.rows[i]
        elif name == "up" and i > 0:
            s.rows[i - 1], s.rows[i] = s.rows[i], s.rows[i - 1]
        elif name == "down" and i + 1 < len(s.rows):
            s.rows[i + 1], s.rows[i] = s.rows[i], s.rows[i + 1]
    elif name == "add":
        added = str(form.get("add_path") or "")
        kind, _, path = added.partition(":")
        if kind in ("image", "video", "pdf", "folder") and path:
            s.rows.append(Row(None, kind, path))
    for where, value in [("defaults", s.d_fade if s.d_tr == "fade" else "")] + [
            (f"item_{i}", r.fade if r.tr == "fade" else "") for i, r in enumerate(s.rows)]:
        if value and not _seconds_ok(value):
            s.error(where, t("pl_bad_seconds"))
    return s, name


def _seconds_ok(value: str) -> bool:
    try:
        return 0 <= float(value) <= 10
    except ValueError:
        return False


def _duration(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    return value + "s" if re.fullmatch(r"\d+(\.\d+)?", value) else value


def _tr(kind: str, seconds: str) -> str | None:
    if kind == "cut":
        return "cut"
    if kind == "fade":
        return f"fade {float(seconds):g}s"
    return None


def edit_of(s: FormState) -> PlaylistEdit:
    defaults = {"duration": _duration(s.d_duration), "fit": s.d_fit or None, "transition": _tr(s.d_tr, s.d_fade)}
    top: dict[str, object] = {"name": s.title or None, "accepts_promos": True if s.accepts_promos else None,
                              "defaults": defaults}
    items = [ItemEdit(r.src, {"duration": _duration(r.duration), "fit": r.fit or None, "transition": _tr(r.tr, r.fade)},
                      r.kind, r.path) for r in s.rows]
    return PlaylistEdit(top, items)


def place_problems(s: FormState, problems: list[Problem], text: str, file_label: str) -> None:
    """Each problem at the row or field its line belongs to; the rest at the top."""
    lines = playlistedit.field_lines(text)
    for p in problems:
        where = lines.get(p.line) if p.file == file_label else None
        if where and where != "items":
            s.error(where, p.message)
        else:
            s.problems.append(str(p))
