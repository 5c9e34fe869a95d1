"""The tenant portal's work, apart from HTTP: names, quotas, intake of a finished upload, what a
tenant reads about a submission (status, facts, frames, mock-ups on the walls, next airings).

A finished upload goes the way of ``signage inbox scan`` (``inbox.take_file``): copied into
``var/intake/originals/``, probed in the sandbox, judged by the rules, queued. It runs in a
thread (``Intaker``) so the last PATCH answers at once; the page polls until the verdict is in.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from signage.config.hall import Hall
from signage.intake import companions
from signage.intake.inbox import intake_dir, store_path, take_file
from signage.intake.store import Store, Submission
from signage.web import tenants
from signage.web.tus import TusStore, Upload

log = logging.getLogger("signage.web")

MAX_NAME_BYTES = 255
MAX_OPEN_UPLOADS = 5  # unfinished uploads one login may have at once
CHUNK_BYTES = 64 * 1024 * 1024  # one PATCH of the portal's uploader: a cut connection keeps what
# arrived, so a large chunk costs nothing on a bad link and saves a round trip per 8 MiB on a good one
FILL_WARN = 0.6  # a clip filling less of a wall than this gets the warning

SCHEMA = """
CREATE TABLE IF NOT EXISTS portal_uploads (
  upload_id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  owner TEXT NOT NULL,
  submission_id INTEGER,
  error TEXT,
  created REAL NOT NULL
);
"""


def ensure(db) -> None:
    db.executescript(SCHEMA)


def tus_store(root: Path) -> TusStore:
    return TusStore(root / "var" / "web" / "tus")


# names and content ----------------------------------------------------------------------------

def name_problem(name: str) -> tuple[str, dict] | None:
    """Why an uploaded file name is refused (message id, arguments), or None."""
    if not name or not name.strip():
        return "up_bad_name_empty", {}
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in name):
        return "up_bad_name_control", {}
    if "/" in name or "\\" in name or ".." in name:
        return "up_bad_name_path", {"name": name[:80]}
    if name.startswith("."):
        return "up_bad_name_hidden", {}
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return "up_bad_name_long", {"n": size, "limit": MAX_NAME_BYTES}
    return None


_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<head", b"<body", b"<script", b"<!--", b"<div", b"<p")


def looks_like_markup(head: bytes) -> bool:
    """HTML, SVG or XML (or other plain text) — never a clip or a still, whatever its name."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(_MARKUP):
        return True
    return bool(head) and b"\x00" not in head[:512] and _mostly_text(head[:512])


def _mostly_text(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(chunk) - 4:  # not just a character cut at the end
            return False
    printable = sum(1 for b in chunk if b in (9, 10, 13) or 32 <= b < 127 or b >= 128)
    return printable == len(chunk) and len(chunk) >= 64


# quotas ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Usage:
    used_bytes: int
    month: int  # submissions this calendar month (open uploads included)

    @property
    def used_mb(self) -> float:
        return self.used_bytes / 1e6


KEPT = ("pending", "approved", "attached")  # submissions whose original the hall keeps


def usage(hall: Hall, tenant: str, uploads: list[Upload], now: dt.datetime) -> Usage:
    used, month = 0, 0
    path = store_path(hall)
    if path.exists():
        with Store(path) as store:
            for sub in store.submissions(tenant=tenant):
                if sub.status in KEPT:
                    used += sub.size or 0
                if sub.received[:7] == now.strftime("%Y-%m"):
                    month += 1
    for up in uploads:
        if up.tenant == tenant:
            used += up.length
            month += 1
    return Usage(used, month)


def quota_problem(tenant: tenants.Tenant, use: Usage, length: int, max_mb: float) -> tuple[str, dict] | None:
    if length > max_mb * 1_000_000:
        return "tup_too_big", {"mb": length / 1e6, "limit": int(max_mb)}
    if use.used_bytes + length > tenant.storage_mb * 1_000_000:
        return "up_quota_storage", {"used_mb": use.used_mb, "mb": length / 1e6, "limit": tenant.storage_mb}
    if use.month >= tenant.monthly:
        return "up_quota_monthly", {"limit": tenant.monthly}
    return None


# intake of a finished upload ------------------------------------------------------------------

def record_upload(db, up: Upload) -> None:
    ensure(db)
    with db:
        db.execute("INSERT OR IGNORE INTO portal_uploads (upload_id, tenant, owner, created) VALUES (?, ?, ?, ?)",
                   (up.id, up.tenant, up.owner, up.created))


def upload_state(db, upload_id: str, tenant: str) -> dict | None:
    ensure(db)
    row = db.execute("SELECT * FROM portal_uploads WHERE upload_id = ? AND tenant = ?", (upload_id, tenant)).fetchone()
    return dict(row) if row else None


def web_submissions(db, tenant: str) -> set[int]:
    ensure(db)
    return {r[0] for r in db.execute("SELECT submission_id FROM portal_uploads WHERE tenant = ? AND"
                                     " submission_id IS NOT NULL", (tenant,))}


def take_upload(hall: Hall, tus: TusStore, up: Upload, now: dt.datetime, probe=None) -> int:
    """The finished upload into the review queue (the inbox scan's way); its files are removed."""
    kwargs = {"probe": probe} if probe else {}
    try:
        with Store(store_path(hall)) as store:
            sid = take_file(hall, store, tus.data(up.id), up.tenant, up.metadata.get("filename", "?"), now,
                            move=True, **kwargs)
            main = up.extra.get("portrait_for")
            if main and store.get(sid).status == "pending":
                target = store.get(int(main))
                if target is not None and target.tenant == up.tenant and target.status == "pending":
                    companions.attach(store, target.id, sid)
    finally:
        tus.delete(up.id)
    try:
        poster(hall, sid)
    except Exception as exc:  # noqa: BLE001 - the verdict stands without its picture
        log.warning("poster of #%s: %s", sid, exc)
    return sid


class Intaker:
    """Runs ``take_upload`` in threads; ``wait()`` lets a test (or shutdown) wait for them."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, work, *args) -> None:
        th = threading.Thread(target=work, args=args, name="portal-intake", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [th]
        th.start()

    def wait(self, timeout: float = 120.0) -> None:
        with self._lock:
            threads = list(self._threads)
        for th in threads:
            th.join(timeout)


def run_intake(web, hall: Hall, up: Upload) -> None:
    """Thread body: take the upload, note the submission (or the error) for the waiting page."""
    db = web.db()
    try:
        sid = take_upload(hall, tus_store(web.root), up, web.now_in(hall.tz))
        with db:
            db.execute("UPDATE portal_uploads SET submission_id = ? WHERE upload_id = ?", (sid, up.id))
    except Exception as exc:  # noqa: BLE001 - the tenant reads what went wrong; the server goes on
        log.exception("intake of upload %s", up.id)
        with db:
            db.execute("UPDATE portal_uploads SET error = ? WHERE upload_id = ?", (str(exc)[:300], up.id))


# pictures -------------------------------------------------------------------------------------

def poster_path(hall: Hall, sid: int) -> Path:
    return intake_dir(hall) / "posters" / f"{sid}.png"


def poster(hall: Hall, sid: int) -> Path | None:
    """The first frame of an accepted submission (made once, in the sandbox)."""
    from signage.intake.review import _conform_limits
    from signage.intake.sandbox import run_child

    out = poster_path(hall, sid)
    if out.is_file():
        return out
    with Store(store_path(hall)) as store:
        sub = store.get(sid)
    if sub is None or not sub.original or not (hall.root / sub.original).is_file():
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.png")
    run_child(["poster", str(hall.root / sub.original), "--out", str(tmp)], _conform_limits(hall))
    tmp.replace(out)
    return out


def sheet(hall: Hall, sid: int) -> Path | None:
    from signage.intake.review import contact_sheet

    out = intake_dir(hall) / "sheets" / f"{sid}.png"
    if out.is_file():
        return out
    with Store(store_path(hall)) as store:
        return contact_sheet(hall, store, sid)


# what a tenant reads --------------------------------------------------------------------------

def fill(wall: tuple[int, int], clip: tuple[int, int]) -> float:
    """The share of a wall a clip fills when contained (letterboxed) on it."""
    (ww, wh), (cw, ch) = wall, clip
    if not (ww and wh and cw and ch):
        return 0.0
    s = min(ww / cw, wh / ch)
    return (cw * s) * (ch * s) / (ww * wh)


def status_of(sub: Submission, campaign, now: dt.datetime) -> str:
    """received / refused / pending / approved / rejected / live / ended / withdrawn / attached."""
    if sub.status != "approved" or campaign is None:
        return sub.status
    end = dt.datetime.combine(campaign.last_day + dt.timedelta(days=1), dt.time(), now.tzinfo)
    if now >= end:
        return "ended"
    hour = now.replace(minute=0, second=0, microsecond=0)
    if any(campaign.runs_in(d, hour) for d in campaign.displays):
        return "live"
    return "approved"


def planner_for(hall: Hall):
    """A planner with the hall's approved campaigns, as the player builds it."""
    from signage.intake.store import load_campaigns
    from signage.playback.catalog import Catalog
    from signage.playback.planner import Planner

    return Planner(hall, Catalog(), campaigns=load_campaigns(store_path(hall), hall.tz))


def next_airings(hall: Hall, campaign, now: dt.datetime, lang: str = "ko", hours: int = 24, limit: int = 6) -> list[dict]:
    from signage.schedule import resolve

    planner = planner_for(hall)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = now + dt.timedelta(hours=hours)
    timeline = resolve(hall.config, start, end)
    found = []
    for display in campaign.displays:
        if display not in hall.displays:
            continue
        for a in planner.airings(timeline, display, now, end):
            if a.campaign.id == campaign.id:
                found.append({"at": a.start, "display": display, "label": wall_label(hall, display, lang)})
    found.sort(key=lambda a: a["at"])
    return found[:limit]


def campaign_for(hall: Hall, sid: int):
    from signage.intake.store import load_campaigns

    book = load_campaigns(store_path(hall), hall.tz)
    return next((c for c in book.campaigns if c.submission_id == sid), None)


def campaigns_of(hall: Hall, tenant: str) -> list:
    from signage.intake.store import load_campaigns

    return [c for c in load_campaigns(store_path(hall), hall.tz).campaigns if c.tenant == tenant]


def wall_label(hall: Hall, display: str, lang: str) -> str:
    """``hall.label`` in the page's language (the web serves several languages at once)."""
    from signage.i18n import MESSAGES, t_in

    spec = hall.config.displays.get(display)
    if spec is not None and spec.label:
        return spec.label
    return t_in(lang, f"wall_{display}") if f"wall_{display}" in MESSAGES else display


def aired_so_far(hall: Hall, campaign_id: int, until: dt.datetime) -> tuple[int, str | None]:
    """How many times the player has recorded the campaign on a wall by ``until``, and the last start."""
    import sqlite3
    from contextlib import closing

    from signage.playback.records import plays_db_path

    path = plays_db_path(hall.root / "var")
    if not path.exists():
        return 0, None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT started FROM plays WHERE campaign_id = ?", (campaign_id,)).fetchall()
    except sqlite3.Error:
        return 0, None
    starts = sorted(s for (s,) in rows if dt.datetime.fromisoformat(s) <= until)
    return len(starts), (starts[-1] if starts else None)
