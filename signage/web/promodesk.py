"""The promo review queue for the web: read it, decide, and conform approved clips in the background.

Approving conforms the clip for each chosen wall's size (``signage.intake.review.approve``, which
runs the encoder in the intake sandbox's child process). That can take minutes, so it runs in a
worker thread of its own; the page polls ``progress(sid)``. Contact sheets are made the same way
as ``signage inbox show`` does (a child process) and only when asked for. Every decision goes in
the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signage.config.hall import Hall
from signage.i18n import t_in
from signage.intake import review
from signage.intake.inbox import intake_dir, scan, store_path
from signage.intake.names import shown_name
from signage.intake.store import Store, Submission
from signage.web import store as webstore

log = logging.getLogger("signage.web")


@dataclass(frozen=True)
class ApproveRequest:
    sid: int
    displays: list[str]
    first: dt.date
    last: dt.date
    per_hour: int
    user: str
    address: str = ""


@dataclass
class Job:
    """One approval being conformed: its share done, the wall being made, and how it ended."""

    sid: int
    displays: tuple[str, ...]
    sizes: int
    state: str = "conforming"  # conforming | done | failed
    step: int = 0  # which size is being made (1-based once started)
    fraction: float = 0.0
    display: str = ""
    message: str = ""
    campaign: int | None = None

    @property
    def progress(self) -> float:
        if self.state == "done":
            return 1.0
        if not self.step:
            return 0.0
        return min(1.0, (self.step - 1 + self.fraction) / max(1, self.sizes))

    def to_json(self) -> dict:
        return {"state": self.state, "progress": round(self.progress, 3), "display": self.display,
                "message": self.message, "campaign": self.campaign}


class PromoDesk:
    def __init__(self, root: Path, clock: Callable[[], float]):
        self.root = root
        self.clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[int, Job] = {}
        self._threads: dict[int, threading.Thread] = {}
        self._sheet_locks: dict[int, threading.Lock] = {}

    # reading -----------------------------------------------------------------------------------

    def _store(self, hall: Hall) -> Store:
        return Store(store_path(hall))

    def queue(self, hall: Hall, status: str | None = "pending") -> list[Submission]:
        with self._store(hall) as s:
            rows = s.submissions(status=status)
        return rows

    def get(self, hall: Hall, sid: int) -> Submission | None:
        with self._store(hall) as s:
            return s.get(sid)

    def campaigns(self, hall: Hall) -> dict[int, list[dict]]:
        """submission id → its campaigns."""
        out: dict[int, list[dict]] = {}
        with self._store(hall) as s:
            for r in s.campaign_rows():
                out.setdefault(r[1], []).append({"id": r[0], "displays": r[4].split(","), "from": r[5], "until": r[6],
                                                 "per_hour": r[7], "withdrawn": r[9]})
        return out

    def job(self, sid: int) -> Job | None:
        with self._lock:
            return self._jobs.get(sid)

    def to_json(self, hall: Hall, sub: Submission, lang: str) -> dict:
        f = sub.facts
        job = self.job(sub.id)
        return {
            "id": sub.id, "tenant": sub.tenant, "filename": shown_name(sub.filename), "status": sub.status,
            "received": sub.received, "decided": sub.decided, "kind": sub.kind, "note": sub.note,
            "facts": {k: f.get(k) for k in ("container", "codec", "width", "height", "duration_s", "fps", "audio",
                                            "size", "rotation")} | {"bytes": sub.size},
            "reasons": [r.text(lang) for r in sub.reasons], "duplicate_of": sub.duplicate_of,
            "sheet": f"/promos/{sub.id}/sheet.png" if sub.original else None,
            "campaigns": self.campaigns(hall).get(sub.id, []),
            "job": job.to_json() if job else None,
        }

    def sheet(self, hall: Hall, sid: int) -> Path:
        """The contact sheet (``var/intake/sheets/ID.png``), made in the sandbox the first time."""
        out = intake_dir(hall) / "sheets" / f"{sid}.png"
        with self._lock:
            lock = self._sheet_locks.setdefault(sid, threading.Lock())
        with lock:
            if out.is_file() and out.stat().st_size:
                return out
            with self._store(hall) as s:
                return review.contact_sheet(hall, s, sid)

    # deciding ----------------------------------------------------------------------------------

    def _audit(self, user: str | None, action: str, detail: str, address: str) -> None:
        db = webstore.open_db(webstore.db_path(self.root))
        try:
            webstore.audit(db, self.clock(), user, action, detail, address)
        finally:
            db.close()

    def validate(self, hall: Hall, ask: ApproveRequest, lang: str) -> str | None:
        """The sentence that refuses this approval before any work, or None."""
        sub = self.get(hall, ask.sid)
        if sub is None:
            return t_in(lang, "no_submission", id=ask.sid)
        if sub.status != "pending":
            return t_in(lang, "not_pending", id=ask.sid, status=sub.status)
        if not ask.displays:
            return t_in(lang, "pr_need_walls")
        unknown = [d for d in ask.displays if d not in hall.displays]
        if unknown:
            return t_in(lang, "bad_displays", names=", ".join(unknown), known=", ".join(hall.displays))
        if ask.last < ask.first:
            return t_in(lang, "bad_dates", first=ask.first, until=ask.last)
        if not 1 <= ask.per_hour <= 60:
            return t_in(lang, "pr_bad_per_hour")
        job = self.job(ask.sid)
        if job is not None and job.state == "conforming":
            return t_in(lang, "pr_busy", id=ask.sid)
        return None

    def start_approval(self, hall: Hall, ask: ApproveRequest, lang: str) -> str | None:
        """Start conforming in a worker thread; the refusal's sentence, or None when it started."""
        error = self.validate(hall, ask, lang)
        if error:
            return error
        sizes = {tuple(hall.displays[d].size) for d in ask.displays}
        job = Job(ask.sid, tuple(ask.displays), len(sizes))
        with self._lock:
            if ask.sid in self._threads and self._threads[ask.sid].is_alive():
                return t_in(lang, "pr_busy", id=ask.sid)
            self._jobs[ask.sid] = job
            thread = threading.Thread(target=self._approve, args=(hall, ask, job), name=f"conform-{ask.sid}")
            self._threads[ask.sid] = thread
        thread.start()
        return None

    def _approve(self, hall: Hall, ask: ApproveRequest, job: Job) -> None:
        def progress_for(display: str, size: tuple[int, int]):
            with self._lock:
                job.step += 1
                job.fraction = 0.0
                job.display = display

            def tick(fraction: float) -> None:
                with self._lock:
                    job.fraction = max(job.fraction, min(1.0, fraction))

            return tick

        detail = (f"#{ask.sid} → {', '.join(ask.displays)} {ask.first}–{ask.last} ×{ask.per_hour}/h")
        try:
            now = dt.datetime.fromtimestamp(self.clock(), hall.tz)
            with self._store(hall) as s:
                cid = review.approve(hall, s, ask.sid, displays=ask.displays, first=ask.first, last=ask.last,
                                     per_hour=ask.per_hour, now=now, progress_for=progress_for)
        except Exception as exc:  # noqa: BLE001 - the reviewer reads why; the queue stays as it was
            log.error("approving #%s failed: %s", ask.sid, exc)
            with self._lock:
                job.state, job.message = "failed", str(exc)[-400:]
            self._audit(ask.user, "promo_approve_failed", f"{detail}: {exc}"[:500], ask.address)
            return
        with self._lock:
            job.state, job.campaign = "done", cid
        self._audit(ask.user, "promo_approve", f"{detail} (campaign #{cid})", ask.address)

    def reject(self, hall: Hall, sid: int, reason: str, user: str, address: str) -> str | None:
        now = dt.datetime.fromtimestamp(self.clock(), hall.tz)
        try:
            with self._store(hall) as s:
                review.reject(hall, s, sid, reason, now)
        except review.ReviewError as exc:
            return str(exc)
        self._audit(user, "promo_reject", f"#{sid}: {reason.strip()[:300]}", address)
        return None

    def withdraw(self, hall: Hall, sid: int, user: str, address: str) -> str | None:
        now = dt.datetime.fromtimestamp(self.clock(), hall.tz)
        try:
            with self._store(hall) as s:
                review.withdraw(hall, s, sid, now)
        except review.ReviewError as exc:
            return str(exc)
        self._audit(user, "promo_withdraw", f"#{sid}", address)
        return None

    def scan(self, hall: Hall, user: str | None = None, address: str = "") -> dict:
        """One pass over the inbox (as ``signage inbox scan``); counts back."""
        now = dt.datetime.fromtimestamp(self.clock(), hall.tz)
        with self._store(hall) as s:
            result = scan(hall, s, now)
        counts = {"new": len(result.new), "waiting": len(result.waiting), "refused": len(result.refused)}
        if user is not None or result.new:
            self._audit(user, "inbox_scan", f"new {counts['new']}, waiting {counts['waiting']}, "
                        f"refused {counts['refused']}", address)
        return counts

    # lifetime ----------------------------------------------------------------------------------

    def wait(self, sid: int | None = None, timeout: float | None = None) -> None:
        """Until the approval of ``sid`` (or every approval) has ended."""
        with self._lock:
            threads = [self._threads[sid]] if sid in self._threads else ([] if sid is not None else list(self._threads.values()))
        for thread in threads:
            with contextlib.suppress(RuntimeError):
                thread.join(timeout)
