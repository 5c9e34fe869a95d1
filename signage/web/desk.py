"""The parts of the web app this area adds, one set per ``Web``: playlists, media facts, the
promo review desk and the periodic jobs (made on first use, shared by every request), and the
app's lifespan that starts the jobs and waits for background work at shutdown."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

from signage.web.jobs import JobBoard
from signage.web.library import Facts
from signage.web.playlistdesk import PlaylistDesk
from signage.web.promodesk import PromoDesk

_LOCK = threading.Lock()


@dataclass
class Parts:
    playlists: PlaylistDesk
    facts: Facts
    promos: PromoDesk
    jobs: JobBoard


def parts(w) -> Parts:
    found = getattr(w, "_desk_parts", None)
    if found is None:
        with _LOCK:
            found = getattr(w, "_desk_parts", None)
            if found is None:
                promos = PromoDesk(w.root, w.clock)
                found = Parts(PlaylistDesk(w.desk), Facts(w.root), promos, JobBoard(w.config_path, w.clock, promos))
                w._desk_parts = found
    return found


def lifespan(w, run_jobs: bool):
    """Start the periodic jobs with the app (``signage serve``); at shutdown stop them and wait
    for conforming and checks under way (a clip half made is not left behind)."""

    @contextlib.asynccontextmanager
    async def span(app):
        p = parts(w)
        if run_jobs:
            p.jobs.start()
        try:
            yield
        finally:
            p.jobs.stop()
            p.promos.wait()

    return span


def wall_labels(hall, lang: str) -> dict[str, str]:
    """The walls' names as people read them, in the page's language (전면, or front)."""
    from signage.web.webi18n import worded_in

    return worded_in(lang, lambda: {d: hall.label(d) for d in hall.displays})
