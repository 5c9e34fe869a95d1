"""Korean and English texts added by the ``fixes`` branch (preview labels at an item boundary)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # a preview label while one item fades into the next: the visible item comes first
    "preview_fade": ("(전환 중 {percent}%: {source} → {target})", "(fading {percent}%: {source} → {target})"),
}
