"""Scanning the tenant inbox: ``inbox/<tenant>/<file>`` becomes a submission in the review queue.

A file is taken only once it has not changed for ``promos.settle`` seconds (a file renamed into
place keeps its old modification time, so it is taken at once). It is first copied into
``var/intake/originals/`` and the copy is what gets probed and later conformed, so a tenant who
overwrites or deletes the file afterwards changes nothing. Symbolic links, hidden files, names
that are not plain tenant names, file names that are not valid UTF-8 and files over the size
limit are refused without being opened. Names are stored and shown in their safe form
(``signage.intake.names``), and one file that cannot be taken never stops the scan of the others.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from signage.config.hall import Hall
from signage.intake.names import readable, safe_name, shown_name
from signage.intake.rules import Reason, Verdict, probe_file
from signage.intake.status import OWN_FILES, write_status
from signage.intake.store import Store

log = logging.getLogger("signage.intake")

TENANT_NAME = re.compile(r"^[^\W_][\w\-]{0,63}$")  # letters (Hangul too), digits, - and _; no dots


@dataclass
class ScanResult:
    new: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    skipped: list[tuple[str, Reason]] = field(default_factory=list)  # entries with no tenant to tell
    on_new: Callable[[int], None] | None = None  # told as each file is queued (a scan can take minutes)

    def taken(self, sid: int, refused: bool) -> None:
        self.new.append(sid)
        if refused:
            self.refused.append(sid)
        if self.on_new:
            self.on_new(sid)


def inbox_dir(hall: Hall) -> Path:
    return hall.asset(hall.config.promos.inbox)


def intake_dir(hall: Hall) -> Path:
    return hall.root / "var" / "intake"


def store_path(hall: Hall) -> Path:
    return hall.root / "var" / "intake.sqlite"


def valid_tenant(name: str) -> bool:
    return bool(TENANT_NAME.match(name)) and ".." not in name


def scan(hall: Hall, store: Store, now: dt.datetime, probe=probe_file,
         on_new: Callable[[int], None] | None = None) -> ScanResult:
    """One pass over the inbox. Two scans at once (cron and a person) take turns on a lock file,
    so no file is taken twice."""
    lock_path = intake_dir(hall) / "scan.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _scan(hall, store, now, probe, ScanResult(on_new=on_new))


def _scan(hall: Hall, store: Store, now: dt.datetime, probe, result: ScanResult) -> ScanResult:
    inbox = inbox_dir(hall)
    inbox.mkdir(parents=True, exist_ok=True)
    real_inbox = inbox.resolve()
    touched: set[str] = set()
    with os.scandir(inbox) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith(".") and not entry.is_dir(follow_symlinks=False):
            continue  # the inbox's own hidden files (.DS_Store and the like)
        shown = shown_name(safe_name(entry.name))
        if entry.is_symlink():
            result.skipped.append((shown, Reason("r_symlink")))
            continue
        if not entry.is_dir(follow_symlinks=False):
            result.skipped.append((shown, Reason("r_not_file")))
            continue
        if not valid_tenant(entry.name):
            result.skipped.append((shown, Reason("r_bad_tenant", {"name": shown})))
            continue
        try:
            _scan_tenant(hall, store, Path(entry.path), entry.name, real_inbox, now, probe, result)
        except OSError as exc:  # an unreadable folder, a full disk: this tenant waits for the next scan
            log.error("inbox: %s: %s", entry.name, exc)
            continue
        touched.add(entry.name)
    for tenant in touched:
        try:
            write_status(inbox / tenant, tenant, store.submissions(tenant=tenant), now)
        except OSError as exc:
            log.error("inbox: cannot write the status file for %s: %s", tenant, exc)
    for name, reason in result.skipped:
        log.warning("inbox: %s: %s", name, reason.text())
    return result


def _scan_tenant(hall: Hall, store: Store, folder: Path, tenant: str, real_inbox: Path, now: dt.datetime,
                 probe, result: ScanResult) -> None:
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.name in OWN_FILES or entry.name.startswith(".STATUS"):
            continue
        name = safe_name(entry.name)
        try:
            _scan_file(hall, store, entry, tenant, name, real_inbox, now, probe, result)
        except (OSError, ValueError) as exc:  # this file waits for the next scan; the others go on
            log.error("inbox: %s/%s: %s", tenant, shown_name(name), exc)


def _scan_file(hall: Hall, store: Store, entry: os.DirEntry, tenant: str, name: str, real_inbox: Path,
               now: dt.datetime, probe, result: ScanResult) -> None:
    """One file; ``name`` is its safe form, the one stored and shown."""
    rules = hall.config.promos
    try:
        st = entry.stat(follow_symlinks=False)
    except FileNotFoundError:
        return  # gone between listing and looking
    if store.known(tenant, name, st.st_size, st.st_mtime_ns):
        return
    common = {"tenant": tenant, "filename": name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
              "received": now}
    if now.timestamp() - st.st_mtime < rules.settle:
        # still changing: an upload in progress (often under a hidden or temporary name that
        # is renamed when done) is neither taken nor refused yet
        result.waiting.append(f"{tenant}/{name}")
        return
    refusal = _refusal(entry, st, real_inbox, rules)
    if refusal is not None:
        result.taken(store.add(status="refused", reasons=(refusal,), **common), refused=True)
        return
    sid = _take(hall, store, Path(entry.path), st, common, probe)
    if sid is None:
        result.waiting.append(f"{tenant}/{name}")
        return
    result.taken(sid, refused=store.get(sid).status == "refused")


def _refusal(entry: os.DirEntry, st: os.stat_result, real_inbox: Path, rules) -> Reason | None:
    if not readable(entry.name):
        return Reason("r_bad_name")
    if entry.name.startswith("."):
        return Reason("r_hidden")
    if entry.is_symlink():
        target = Path(os.path.realpath(entry.path))
        inside = target == real_inbox or real_inbox in target.parents
        return Reason("r_symlink") if inside else Reason("r_outside")
    if not stat.S_ISREG(st.st_mode):
        return Reason("r_not_file")
    if st.st_size == 0:
        return Reason("r_empty")
    limit = rules.max_size_mb * 1_000_000
    if st.st_size > limit:
        return Reason("r_too_big_file", {"size_mb": st.st_size / 1e6, "limit_mb": rules.max_size_mb})
    return None


def _take(hall: Hall, store: Store, path: Path, st: os.stat_result, common: dict, probe,
          move: bool = False) -> int | None:
    """Copy the file out of the inbox (or move it, ``move``: a file nobody else writes, on the
    same disk), probe the copy, queue it. None if it changed meanwhile."""
    originals = intake_dir(hall) / "originals"
    originals.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=originals, prefix=".incoming-")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            if not move:
                raise OSError
            os.replace(path, tmp_path)  # no byte written again
        except OSError:  # copied: from the inbox, or from another filesystem
            with path.open("rb") as src, tmp_path.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            after = path.stat()
            if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                return None  # still being written after all
        verdict: Verdict = probe(tmp_path, hall.config.promos)
        facts = dict(verdict.facts, path=f"{common['tenant']}/{common['filename']}")
        sha = facts.get("sha256")
        reasons = list(verdict.reasons)
        duplicate_of = None
        original = None
        if sha:
            earlier = store.same_file(sha)
            own = [s for s in earlier if s.tenant == common["tenant"]]
            if own:
                reasons = [Reason("r_duplicate", {"other": own[0].id})]
            elif earlier:
                duplicate_of = earlier[0].id  # another tenant sent the same file: the reviewer is told
            suffix = Path(common["filename"]).suffix.lower()[:8] if re.match(r"^\.[\w]{1,7}$", Path(common["filename"]).suffix) else ""
            final = originals / f"{sha}{suffix}"
            if not reasons:
                os.replace(tmp_path, final)
                original = str(final.relative_to(hall.root))
        status = "refused" if reasons else "pending"
        return store.add(status=status, sha256=sha, kind=facts.get("kind"), original=original, facts=facts,
                         reasons=reasons, duplicate_of=duplicate_of, **common)
    finally:
        tmp_path.unlink(missing_ok=True)


def take_file(hall: Hall, store: Store, path: Path, tenant: str, filename: str, now: dt.datetime,
              probe=probe_file, move: bool = False) -> int:
    """A file handed over outside the inbox folder (an upload to the web portal), taken by the
    same rules as a scanned one: copied into ``var/intake/originals/`` (moved there with
    ``move``, when the caller gives the file up), probed in the sandbox, judged, queued.
    ``filename`` is the name the tenant gave (stored in its safe form)."""
    st = path.stat()
    common = {"tenant": tenant, "filename": safe_name(filename), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
              "received": now}
    limit = hall.config.promos.max_size_mb * 1_000_000
    refusal = (Reason("r_empty") if st.st_size == 0 else
               Reason("r_too_big_file", {"size_mb": st.st_size / 1e6, "limit_mb": hall.config.promos.max_size_mb})
               if st.st_size > limit else None)
    if refusal is not None:
        sid = store.add(status="refused", reasons=(refusal,), **common)
    else:
        sid = _take(hall, store, path, st, common, probe, move)
        if sid is None:
            raise OSError(f"{path} changed while it was taken")
    folder = inbox_dir(hall) / tenant
    if folder.is_dir() and not folder.is_symlink():
        try:
            write_status(folder, tenant, store.submissions(tenant=tenant), now)
        except OSError as exc:
            log.error("inbox: cannot write the status file for %s: %s", tenant, exc)
    return sid
