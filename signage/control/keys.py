"""The presentation clicker: the keys remotes send, mapped to operator commands (no Qt here).

Remotes send PageDown/PageUp (most), arrow keys or Space; the "blank screen" button sends B or
"."; the "start/stop presentation" button alternates F5 and Esc. Keys drive the wall that has a
manual deck now (one loaded by the operator, or an event slot with ``advance: manual``), or the
front wall.
"""

from __future__ import annotations

KEYMAP = {
    "PageDown": "next", "Right": "next", "Down": "next", "Space": "next", "Return": "next", "Enter": "next",
    "PageUp": "prev", "Left": "prev", "Up": "prev", "Backspace": "prev",
    "B": "black", "Period": "black",
    "F5": "resume", "Escape": "resume",
}
