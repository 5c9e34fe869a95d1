"""Reviewer decisions: approve (conform, then a campaign), reject, withdraw, and the contact sheet."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from signage.config.hall import Hall
from signage.i18n import t, t_in
from signage.intake import companions
from signage.intake.inbox import inbox_dir, intake_dir
from signage.intake.rules import limits
from signage.intake.sandbox import Limits, SandboxError, run_child
from signage.intake.status import write_status
from signage.intake.store import Store, Submission

log = logging.getLogger("signage.intake")

PROMO_DIR = "assets/promos"
CONFORM_TIMEOUT_MIN = 900.0


class ReviewError(Exception):
    """A decision that cannot be made; the message is for the reviewer."""


def _conform_limits(hall: Hall) -> Limits:
    base = limits(hall.config.promos)
    return Limits(timeout_s=max(base.timeout_s * 5, CONFORM_TIMEOUT_MIN), memory_mb=base.memory_mb)


def conformed_path(hall: Hall, sub: Submission, size: tuple[int, int]) -> Path:
    ext = ".mp4" if sub.kind == "video" else ".jpg"
    return hall.root / PROMO_DIR / f"{sub.sha256[:16]}-{size[0]}x{size[1]}{ext}"


def conform_for(hall: Hall, sub: Submission, size: tuple[int, int],
                progress: Callable[[], Callable[[float], None]] | None = None) -> Path:
    """The clip at ``size``, made once (in the sandbox) and renamed into ``assets/promos``."""
    target = conformed_path(hall, sub, size)
    if target.exists():
        return target
    original = hall.root / (sub.original or "")
    if not sub.original or not original.is_file():
        raise ReviewError(t("st_gone"))
    tmp_dir = intake_dir(hall) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=target.suffix)
    os.close(fd)
    try:
        run_child(["conform", str(original), "--out", tmp, "--size", f"{size[0]}x{size[1]}",
                   "--background", hall.config.promos.background, "--kind", sub.kind],
                  _conform_limits(hall), progress() if progress else None)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, target)
        except OSError:  # another file system: copy next to the target, then rename
            import shutil

            fd2, near = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=target.suffix)
            os.close(fd2)
            shutil.copyfile(tmp, near)
            os.replace(near, target)
    except SandboxError as exc:
        raise ReviewError(f"conform: {exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def approve(hall: Hall, store: Store, sid: int, *, displays: list[str], first: dt.date, last: dt.date,
            per_hour: int, now: dt.datetime, progress_for: Callable[[str, tuple[int, int]], Callable] | None = None
            ) -> int:
    sub = _pending(store, sid)
    unknown = [d for d in displays if d not in hall.displays]
    if unknown or not displays:
        raise ReviewError(t("bad_displays", names=", ".join(unknown) or "-", known=", ".join(hall.displays)))
    if last < first:
        raise ReviewError(t("bad_dates", first=first, until=last))
    if per_hour < 1 or per_hour > 60:
        raise ReviewError("--per-hour: 1–60")
    media: dict[str, str] = {}
    made: dict[tuple[int, tuple[int, int]], Path] = {}
    for display in displays:
        size = tuple(hall.displays[display].size)
        source = companions.source_for(store, sub, size)  # a portrait version for a portrait wall
        if (source.id, size) not in made:
            bar = (lambda d=display, s=size: progress_for(d, s)) if progress_for else None
            made[(source.id, size)] = conform_for(hall, source, size, bar)
        media[display] = str(made[(source.id, size)].relative_to(hall.root))
    duration = float(sub.facts.get("duration_s") or 0) if sub.kind == "video" else hall.config.promos.image_duration
    note = "\n".join(t_in(lang, "st_approved", displays=", ".join(displays), first=first, last=last,
                          per_hour=per_hour) for lang in ("ko", "en"))
    cid = store.add_campaign(sub, title=sub.filename, displays=displays, first_day=first, last_day=last,
                             per_hour=per_hour, created=now, kind=sub.kind, duration_s=duration, media=media)
    store.db.execute("UPDATE submissions SET note=? WHERE id=?", (note, sid))
    store.db.commit()
    _tell(hall, store, sub.tenant, now)
    return cid


def reject(hall: Hall, store: Store, sid: int, reason: str, now: dt.datetime) -> None:
    sub = _pending(store, sid)
    store.decide(sid, "rejected", now, note=reason.strip()[:500])
    _tell(hall, store, sub.tenant, now)


def withdraw(hall: Hall, store: Store, sid: int, now: dt.datetime) -> None:
    sub = store.get(sid)
    if sub is None:
        raise ReviewError(t("no_submission", id=sid))
    if sub.status != "approved":
        raise ReviewError(t("not_approved", id=sid, status=sub.status))
    store.withdraw(sid, now)
    _tell(hall, store, sub.tenant, now)


def contact_sheet(hall: Hall, store: Store, sid: int) -> Path:
    sub = store.get(sid)
    if sub is None:
        raise ReviewError(t("no_submission", id=sid))
    if not sub.original or not (hall.root / sub.original).is_file():
        raise ReviewError(t("st_gone"))
    out = intake_dir(hall) / "sheets" / f"{sid}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        run_child(["sheet", str(hall.root / sub.original), "--out", str(out),
                   "--title", f"#{sid} {sub.tenant}/{sub.filename}"], _conform_limits(hall))
    except SandboxError as exc:
        raise ReviewError(f"sheet: {exc}") from None
    return out


def _pending(store: Store, sid: int) -> Submission:
    sub = store.get(sid)
    if sub is None:
        raise ReviewError(t("no_submission", id=sid))
    if sub.status != "pending":
        raise ReviewError(t("not_pending", id=sid, status=sub.status))
    return sub


def _tell(hall: Hall, store: Store, tenant: str, now: dt.datetime) -> None:
    folder = inbox_dir(hall) / tenant
    if folder.is_dir() and not folder.is_symlink():
        try:
            write_status(folder, tenant, store.submissions(tenant=tenant), now)
        except OSError as exc:  # the decision stands; the tenant learns at the next scan
            log.error("cannot write the status file for %s: %s", tenant, exc)
