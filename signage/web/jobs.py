"""Periodic jobs inside ``signage serve`` (APScheduler 3, a background thread): the readiness
check, the inbox scan and nightly upkeep. Each job is a plain method that takes "now" (tests call
them directly with a fake clock); the board remembers when each last ran and how it went.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signage.config.loader import load_hall
from signage.web import readiness, spool, uploads

log = logging.getLogger("signage.web")

BACKUPS_KEPT = 7
READY_EVERY_MIN = 10
INBOX_EVERY_S = 60
UPKEEP_AT = (3, 30)


@dataclass
class LastRun:
    at: dt.datetime
    ok: bool
    summary: str  # message id
    args: dict


@dataclass(frozen=True)
class JobSpec:
    id: str
    label: str  # message id


JOBS = (JobSpec("readiness", "jb_readiness"), JobSpec("inbox", "jb_inbox"), JobSpec("upkeep", "jb_upkeep"))


def backup_databases(var: Path, now: dt.datetime, keep: int = BACKUPS_KEPT) -> list[Path]:
    """An online copy of each ``var/*.sqlite`` (SQLite's backup API: consistent while others
    write) into ``var/backups/``; the newest ``keep`` of each are kept."""
    folder = var / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for db in sorted(var.glob("*.sqlite")):
        target = folder / f"{db.stem}-{now:%Y%m%d-%H%M%S}.sqlite"
        part = target.with_suffix(".part")
        src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst)
            finally:
                dst.close()
            part.replace(target)
        finally:
            src.close()
            part.unlink(missing_ok=True)
        made.append(target)
        old = sorted(folder.glob(f"{db.stem}-????????-??????.sqlite"))
        for stale in old[:-keep]:
            stale.unlink(missing_ok=True)
    return made


def sweep_stale(root: Path, now: float) -> int:
    """Drafts, previews and half-made uploads nobody came back to within a day; how many went."""
    count = 0
    web = root / "var" / "web"
    for folder in (uploads.drafts_dir(root), web / "previews", web / "incoming"):
        if not folder.is_dir():
            continue
        before = sum(1 for _ in folder.iterdir())
        uploads.sweep(folder, now)
        count += before - sum(1 for _ in folder.iterdir())
    folder = spool.spool_dir(root)
    if folder.is_dir():
        before = sum(1 for _ in folder.iterdir())
        spool.sweep(folder, now)
        count += before - sum(1 for _ in folder.iterdir())
    return count


class JobBoard:
    def __init__(self, config_path: Path, clock: Callable[[], float], promos):
        self.config_path = config_path
        self.clock = clock
        self.promos = promos  # PromoDesk: the inbox scan
        self.last: dict[str, LastRun] = {}
        self._scheduler = None
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._threads: list[threading.Thread] = []

    @property
    def root(self) -> Path:
        return self.config_path.parent

    def _hall(self):
        return load_hall(self.config_path, check_assets=False)

    def _now(self, hall) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), hall.tz)

    def _record(self, job: str, now: dt.datetime, ok: bool, summary: str, **args) -> None:
        self.last[job] = LastRun(now, ok, summary, args)

    def _guarded(self, job: str, fn: Callable[[], None]) -> None:
        with self._lock:
            if job in self._running:
                return
            self._running.add(job)
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a failed run is shown and retried next time
            log.exception("job %s failed", job)
            self._record(job, dt.datetime.fromtimestamp(self.clock()).astimezone(), False, "rd_check_failed",
                         error=str(exc)[-300:])
        finally:
            with self._lock:
                self._running.discard(job)

    def running(self, job: str) -> bool:
        with self._lock:
            return job in self._running

    # the jobs ----------------------------------------------------------------------------------

    def readiness(self, force: bool = False, office: str | None | bool = True) -> list[dict]:
        hall = self._hall()
        now = self._now(hall)
        results = readiness.run(hall, now, force=force, office=office)
        stored = readiness.load_results(self.root)
        keys = [readiness.event_key(e) for e, _s, _e in readiness.upcoming(hall, now)]
        bad = sum(1 for k in keys if k in stored and not stored[k]["ok"])
        self._record("readiness", now, bad == 0, "jb_ready_summary", checked=len(results), bad=bad)
        return results

    def inbox(self) -> dict:
        hall = self._hall()
        counts = self.promos.scan(hall)
        self._record("inbox", self._now(hall), True, "pr_scanned", **counts)
        return counts

    def upkeep(self) -> dict:
        hall = self._hall()
        now = self._now(hall)
        made = backup_databases(self.root / "var", now)
        swept = sweep_stale(self.root, self.clock())
        self._record("upkeep", now, True, "jb_upkeep_summary", files=len(made), swept=swept)
        return {"backups": [str(p) for p in made], "swept": swept}

    def run_job(self, job: str) -> None:
        self._guarded(job, getattr(self, job))

    def trigger(self, job: str, **kw) -> bool:
        """Run a job now in its own thread (an operator's "check now"); False if it is running."""
        if self.running(job):
            return False
        thread = threading.Thread(target=self._guarded, args=(job, lambda: getattr(self, job)(**kw)),
                                  name=f"job-{job}")
        self._threads.append(thread)
        thread.start()
        return True

    # the scheduler -----------------------------------------------------------------------------

    def start(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        try:
            tz = self._hall().tz
        except Exception:  # noqa: BLE001 - a broken config still gets its jobs (they report it)
            from zoneinfo import ZoneInfo

            tz = ZoneInfo("Asia/Seoul")
        scheduler = BackgroundScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1,
                                                                   "misfire_grace_time": 300})
        scheduler.add_job(self.run_job, "interval", minutes=READY_EVERY_MIN, args=["readiness"], id="readiness")
        scheduler.add_job(self.run_job, "interval", seconds=INBOX_EVERY_S, args=["inbox"], id="inbox")
        scheduler.add_job(self.run_job, "cron", hour=UPKEEP_AT[0], minute=UPKEEP_AT[1], args=["upkeep"], id="upkeep")
        scheduler.start()
        self._scheduler = scheduler

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def listing(self) -> list[dict]:
        out = []
        for spec in JOBS:
            job = self._scheduler.get_job(spec.id) if self._scheduler is not None else None
            out.append({"id": spec.id, "label": spec.label, "next": job.next_run_time if job else None,
                        "last": self.last.get(spec.id), "running": self.running(spec.id)})
        return out
