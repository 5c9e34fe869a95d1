"""The tenant's status file: ``inbox/<tenant>/STATUS.txt``, in Korean and English."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from signage.i18n import t_in
from signage.intake.names import shown_name

STATUS_FILE = "STATUS.txt"
OWN_FILES = {STATUS_FILE}


def status_line(sub, lang: str, short: bool = False) -> str:
    if short:
        return t_in(lang, f"label_{sub.status}")
    if sub.status == "approved" and sub.note:
        return sub.note.split("\n")[0 if lang == "ko" else -1]
    return t_in(lang, f"st_{sub.status}")


def render(tenant: str, submissions, now: dt.datetime) -> str:
    stamp = now.strftime("%Y-%m-%d %H:%M")
    lines = [t_in("ko", "status_title", tenant=tenant, now=stamp), t_in("en", "status_title", tenant=tenant, now=stamp), ""]
    for sub in submissions:
        lines.append(f"#{sub.id} {shown_name(sub.filename)}: {status_line(sub, 'ko')} / {status_line(sub, 'en')}")
        for reason in sub.reasons:
            lines.append(f"    - {reason.text('ko')}")
            lines.append(f"      {reason.text('en')}")
        if sub.status == "rejected" and sub.note:
            lines.append(f"    - {t_in('ko', 'r_reviewer', reason=sub.note)}")
            lines.append(f"      {t_in('en', 'r_reviewer', reason=sub.note)}")
    return "\n".join(lines) + "\n"


def write_status(folder: Path, tenant: str, submissions, now: dt.datetime) -> Path:
    """Write atomically: the tenant never sees half a status file."""
    target = folder / STATUS_FILE
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".STATUS-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(render(tenant, submissions, now))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
