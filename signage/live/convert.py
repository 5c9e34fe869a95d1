"""Presentations to PDF with LibreOffice, in a child process the player polls (never waits on).

``Conversion.start`` launches ``soffice --headless --convert-to pdf`` at a lower priority with
its own profile folder (so a LibreOffice the user has open does not swallow the job) and returns
at once. ``poll()`` answers None while it runs, then a ``Converted`` with the PDF or the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from signage.i18n import t

OFFICE_SUFFIXES = frozenset({".ppt", ".pptx", ".odp", ".fodp", ".key"})
TIMEOUT_S = 180.0


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass(frozen=True)
class Converted:
    pdf: Path | None
    reason: str | None = None


class Conversion:
    def __init__(self, source: Path, proc: subprocess.Popen, workdir: Path, target_dir: Path, log,
                 started: float, timeout: float):
        self.source = source
        self._proc = proc
        self._workdir = workdir
        self._target_dir = target_dir
        self._log = log
        self._started = started
        self._timeout = timeout

    @classmethod
    def start(cls, source: Path, target_dir: Path, office: str, timeout: float = TIMEOUT_S) -> Conversion:
        target_dir.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="convert-", dir=target_dir))
        profile = target_dir / ".libreoffice-profile"
        command = [office, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(workdir), str(source)]
        nice = shutil.which("nice")
        if nice:
            command = [nice, "-n", "10", *command]  # the walls' decoders come first
        log = (workdir / "libreoffice.log").open("wb")  # a file, not a pipe: a full pipe would stall it
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError:
            log.close()
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return cls(source, proc, workdir, target_dir, log, time.monotonic(), timeout)

    def poll(self) -> Converted | None:
        """None while LibreOffice runs; then the PDF (moved into the target folder) or the reason."""
        code = self._proc.poll()
        if code is None:
            if time.monotonic() - self._started <= self._timeout:
                return None
            self.cancel()
            return Converted(None, t("live_convert_timeout", name=self.source.name, seconds=self._timeout))
        self._log.close()
        try:
            produced = self._workdir / (self.source.stem + ".pdf")
            if code != 0:
                tail = (self._workdir / "libreoffice.log").read_text(errors="replace").strip()[-300:]
                return Converted(None, t("live_convert_failed", name=self.source.name,
                                         error=tail or t("live_exit_code", code=code)))
            if not produced.exists() or produced.stat().st_size == 0:
                return Converted(None, t("live_convert_no_pdf", name=self.source.name))
            target = self._target_dir / produced.name
            os.replace(produced, target)
            return Converted(target.resolve())
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def cancel(self) -> None:
        """Stop LibreOffice (a newer load replaced this one, or the player stops)."""
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)  # soffice and the office process it starts
            self._proc.wait(timeout=5)
        self._log.close()
        shutil.rmtree(self._workdir, ignore_errors=True)
