"""The presentation clicker: the keys remotes send, mapped to operator commands (no Qt here).

Remotes send PageDown/PageUp (most), arrow keys or Space; the "blank screen" button sends B or
"."; the "start/stop presentation" button alternates F5 and Esc. Keys act on the clicker's wall
(``LiveHall.clicker_wall``): the wall with a loaded deck or a manual-advance event now, else the
front wall — the same wall a command given no display acts on.
"""

from __future__ import annotations

import datetime as dt
import logging

from signage.control.operations import CommandError, Operations
from signage.playback.holds import HoldKind

log = logging.getLogger("signage.operator")

BLANK = next(k for k in HoldKind if k.toggled_by_b_key)  # black

KEYMAP = {
    "PageDown": "next", "Right": "next", "Down": "next", "Space": "next", "Return": "next", "Enter": "next",
    "PageUp": "prev", "Left": "prev", "Up": "prev", "Backspace": "prev",
    "B": BLANK.value, "Period": BLANK.value,
    "F5": "resume", "Escape": "resume",
}


def press(ops: Operations, key: str, now: dt.datetime, by: str = "clicker") -> str | None:
    """Act on one key; the action's name, or None for a key the clicker does not use."""
    action = KEYMAP.get(key)
    if action is None:
        return None
    target = ops.live.clicker_wall(now)
    try:
        if action in ("next", "prev"):
            ops.step(1 if action == "next" else -1, target, now, by)
        elif action == BLANK.value:
            ops.toggle(BLANK, target, now, by)
        else:  # F5 / Esc end a blank or a freeze; a message or the logo stays until the console lifts it
            ops.release(target, now, by, lambda kind: kind.released_by_escape)
    except CommandError as exc:
        log.warning("clicker %s: %s", key, exc)
    return action
