"""The parts of the web app this area adds, one set per ``Web``: playlists, media facts, the
promo review desk and the periodic jobs (made on first use, shared by every request)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from signage.web.library import Facts
from signage.web.playlistdesk import PlaylistDesk
from signage.web.promodesk import PromoDesk

_LOCK = threading.Lock()


@dataclass
class Parts:
    playlists: PlaylistDesk
    facts: Facts
    promos: PromoDesk


def parts(w) -> Parts:
    found = getattr(w, "_desk_parts", None)
    if found is None:
        with _LOCK:
            found = getattr(w, "_desk_parts", None)
            if found is None:
                found = Parts(PlaylistDesk(w.desk), Facts(w.root), PromoDesk(w.root, w.clock))
                w._desk_parts = found
    return found
