"""Operator actions and who did them, as people read them (꺼짐, 다음, 콘솔, 리모컨, …)."""

from __future__ import annotations

from signage.i18n import t
from signage.playback.holds import HoldKind

ACTION_KEYS = {"next": "btn_next", "prev": "btn_prev", "resume": "btn_resume", "release": "action_release",
               "load": "action_load", "unload": "action_unload", "expired": "action_expired",
               "mute": "action_mute", "unmute": "action_unmute", "volume": "action_volume"}
BY_KEYS = {"console": "by_console", "clicker": "by_clicker", "system": "by_system"}


def action_text(action: str) -> str:
    kind = HoldKind.find(action)
    if kind is not None:
        return t(kind.message_key)
    return t(ACTION_KEYS[action]) if action in ACTION_KEYS else action


def by_text(by: str) -> str:
    return t(BY_KEYS[by]) if by in BY_KEYS else by
