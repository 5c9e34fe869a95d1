"""Which Qt screen feeds which wall: by name, by index, or by geometry. Pure, so it is testable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    index: int
    x: int
    y: int
    width: int
    height: int


def match_screen(wanted: str | int | list[int] | None, screens: list[ScreenInfo]) -> ScreenInfo | None:
    if wanted is None:
        return None
    if isinstance(wanted, bool):
        return None
    if isinstance(wanted, int):
        return next((s for s in screens if s.index == wanted), None)
    if isinstance(wanted, list | tuple):
        x, y, w, h = wanted
        return next((s for s in screens if (s.x, s.y, s.width, s.height) == (x, y, w, h)), None)
    exact = next((s for s in screens if s.name == wanted), None)
    return exact or next((s for s in screens if s.name.lower() == str(wanted).lower()), None)


def assign_screens(
    wanted: dict[str, str | int | list[int] | None], screens: list[ScreenInfo]
) -> dict[str, ScreenInfo | None]:
    """Each display's screen, or None when it is missing. A screen feeds one display at most."""
    out: dict[str, ScreenInfo | None] = {}
    taken: set[str] = set()
    for display, spec in wanted.items():
        screen = match_screen(spec, screens)
        if screen is not None and screen.name in taken:
            screen = None
        if screen is not None:
            taken.add(screen.name)
        out[display] = screen
    return out
