"""Which Qt screen feeds which wall: by name, by index, or by a region ``[x, y, w, h]`` of the
desktop. Pure (no Qt), so it is testable with made-up screens.

The rules:

- ``screen: 2`` is the third screen in ``QGuiApplication.screens()``, whatever its name.
- ``screen: [x, y, w, h]`` is a region of the desktop; the wall goes to the screen that contains it,
  its window at exactly that region (an LED sending card often shows several walls on one spanned
  canvas). A region equal to a screen's geometry is that whole screen.
- ``screen: HDMI-1`` is the screen of that name (case-insensitive if no exact match). When several
  screens share the name, the wall takes the first of them that is not in use, in Qt's order;
  the mapping says so, so the log can suggest an index.
- A whole screen feeds one wall at most; several regions of one screen may feed several walls as
  long as they do not overlap. A wall whose screen (or region) is already used is not shown, and
  the mapping names the wall that has it: a configuration problem to report, never a silent swap.
- Indices and regions are settled first (they are unambiguous), then names, each in config order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from signage.i18n import t

Rect = tuple[int, int, int, int]
Wanted = str | int | list[int] | tuple[int, ...] | None


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    index: int
    x: int
    y: int
    width: int
    height: int
    primary: bool = False

    @property
    def rect(self) -> Rect:
        return (self.x, self.y, self.width, self.height)

    def contains(self, rect: Rect) -> bool:
        x, y, w, h = rect
        return self.x <= x and self.y <= y and x + w <= self.x + self.width and y + h <= self.y + self.height

    def to_json(self) -> dict:
        return {"index": self.index, "name": self.name, "x": self.x, "y": self.y, "width": self.width,
                "height": self.height, "primary": self.primary}


class Status(Enum):
    """Where a wall stands; only ``PLACED`` puts it on air."""

    PLACED = "placed"   # on its screen, or on its region of one
    MISSING = "missing"  # no screen matches what config.yaml names
    TAKEN = "taken"      # the screen, or an overlapping region of it, already feeds another wall
    UNSET = "unset"      # config.yaml names no screen for the wall

    @property
    def on_air(self) -> bool:
        return self is Status.PLACED


@dataclass(frozen=True)
class WallScreen:
    """One wall's mapping: its screen and the desktop rectangle its window covers, or why none."""

    display: str
    wanted: Wanted
    status: Status
    screen: ScreenInfo | None = None  # PLACED: the screen it is on; TAKEN: the one it wanted
    rect: Rect | None = None  # PLACED: the window's geometry on the desktop
    other: str | None = None  # TAKEN: the wall that has the screen or region
    same_name: tuple[int, ...] = field(default=())  # indices of the screens sharing the wanted name

    @property
    def whole(self) -> bool:
        """The window covers its whole screen (fullscreen), not a region of it."""
        return self.screen is not None and self.rect == self.screen.rect

    @property
    def wanted_text(self) -> str:
        return wanted_text(self.wanted)

    def state(self, screens: list[ScreenInfo]) -> tuple:
        """What a person would be told about this wall; a change of it is worth a log line."""
        if self.status is Status.PLACED:
            return (self.wanted_text, self.status, self.screen.index, self.screen.name, self.rect, self.same_name)
        if self.status is Status.MISSING:
            return (self.wanted_text, self.status, tuple((s.name, s.rect) for s in screens))
        return (self.wanted_text, self.status, self.other)


def wanted_text(wanted: Wanted) -> str:
    """``HDMI-1``, ``#2`` (an index) or ``[0,0,1920,1080]`` (a region); ``-`` when none is set."""
    if wanted is None or isinstance(wanted, bool):
        return "-"
    if isinstance(wanted, int):
        return f"#{wanted}"
    if isinstance(wanted, list | tuple):
        return "[" + ",".join(str(v) for v in wanted) + "]"
    return str(wanted)


def _overlap(a: Rect, b: Rect) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _candidates(wanted: Wanted, screens: list[ScreenInfo]) -> list[tuple[ScreenInfo, Rect]]:
    """The screens that could feed a wall, in Qt's order, each with the window's rectangle."""
    if isinstance(wanted, int):
        return [(s, s.rect) for s in screens if s.index == wanted]
    if isinstance(wanted, list | tuple):
        rect = tuple(int(v) for v in wanted)
        return [(s, rect) for s in screens if s.contains(rect)]
    exact = [s for s in screens if s.name == wanted]
    named = exact or [s for s in screens if s.name.lower() == str(wanted).lower()]
    return [(s, s.rect) for s in named]


def match_screen(wanted: Wanted, screens: list[ScreenInfo]) -> ScreenInfo | None:
    """The first screen that could feed a wall wanting ``wanted`` (used or not)."""
    if wanted is None or isinstance(wanted, bool):
        return None
    found = _candidates(wanted, screens)
    return found[0][0] if found else None


def assign_screens(wanted: dict[str, Wanted], screens: list[ScreenInfo]) -> dict[str, WallScreen]:
    """Each wall's mapping, in the order of ``wanted``; see the module's rules."""
    used: list[tuple[int, Rect, str]] = []  # (screen index, rectangle, wall)

    def holder(screen: ScreenInfo, rect: Rect) -> str | None:
        return next((d for i, r, d in used if i == screen.index and _overlap(r, rect)), None)

    out: dict[str, WallScreen] = {}
    unambiguous = [d for d, w in wanted.items() if isinstance(w, int | list | tuple) and not isinstance(w, bool)]
    named = [d for d, w in wanted.items() if isinstance(w, str)]
    for display in unambiguous + named:
        spec = wanted[display]
        found = _candidates(spec, screens)
        if not found:
            out[display] = WallScreen(display, spec, Status.MISSING)
            continue
        same = tuple(s.index for s, _ in found) if isinstance(spec, str) and len(found) > 1 else ()
        free = next(((s, r) for s, r in found if holder(s, r) is None), None)
        if free is None:
            screen, rect = found[0]
            out[display] = WallScreen(display, spec, Status.TAKEN, screen, other=holder(screen, rect), same_name=same)
            continue
        screen, rect = free
        used.append((screen.index, rect, display))
        out[display] = WallScreen(display, spec, Status.PLACED, screen, rect, same_name=same)
    for display, spec in wanted.items():
        if display not in out:
            out[display] = WallScreen(display, spec, Status.UNSET)
    return {display: out[display] for display in wanted}


# ---- what people read ----------------------------------------------------------------------------


def wall_title(label: str, display: str) -> str:
    """``기둥(pillar)``: the wall's name as people read it, with its id when they differ."""
    return display if label == display else f"{label}({display})"


def screen_names(screens: list[ScreenInfo]) -> str:
    """``OPERATOR, HDMI-1, HDMI-2``; a name several screens share gets each one's index."""
    if not screens:
        return t("screens_none")
    names = [s.name or t("screen_unnamed") for s in screens]
    return ", ".join(f"{n} #{s.index}" if names.count(n) > 1 else n for n, s in zip(names, screens, strict=True))


def screen_geometries(screens: list[ScreenInfo]) -> str:
    if not screens:
        return t("screens_none")
    return ", ".join(f"{s.name or t('screen_unnamed')} {s.width}x{s.height} ({s.x},{s.y})" for s in screens)


def describe(wall: WallScreen, title: str, screens: list[ScreenInfo]) -> str:
    """The sentence for the log and ``signage screens``: where the wall goes, or why nowhere."""
    if wall.status is Status.PLACED:
        x, y, w, h = wall.rect
        key = "screen_on" if wall.whole else "screen_on_region"
        name = wall.screen.name + (f" #{wall.screen.index}" if wall.same_name else "")
        text = t(key, wall=title, screen=name, w=w, h=h, x=x, y=y)
        if wall.same_name:
            text += t("screen_same_name", name=wall.screen.name, count=len(wall.same_name),
                      indices=", ".join(f"#{i}" for i in wall.same_name), index=wall.screen.index)
        return text
    if wall.status is Status.UNSET:
        return t("screen_unset", wall=title)
    if wall.status is Status.TAKEN:
        key = "screen_region_overlap" if isinstance(wall.wanted, list | tuple) else "screen_taken"
        return t(key, wall=title, wanted=wall.wanted_text, other=wall.other)
    if isinstance(wall.wanted, list | tuple):
        return t("screen_region_missing", wall=title, wanted=wall.wanted_text, screens=screen_geometries(screens))
    return t("screen_missing", wall=title, wanted=wall.wanted_text, names=screen_names(screens))
