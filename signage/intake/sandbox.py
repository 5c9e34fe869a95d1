"""Run ``signage.intake.child`` with a wall-clock timeout and a memory cap, and read its answer."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


class SandboxError(Exception):
    """The child did not give an answer: it timed out, ran out of memory or crashed."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # timeout, crashed
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 120.0
    memory_mb: int = 2048


def _limit_memory(memory_mb: int) -> Callable[[], None]:
    def apply() -> None:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_child(args: list[str], limits: Limits, progress: Callable[[float], None] | None = None,
              stats: dict | None = None) -> dict:
    """Run the child with ``args``; return its result object or raise ``SandboxError``.

    ``stats``, if given, receives the child's ``peak_rss_mb`` and ``cpu_s``."""
    env = {**os.environ, "OPENCV_LOG_LEVEL": "ERROR", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "signage.intake.child", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        preexec_fn=_limit_memory(limits.memory_mb), start_new_session=True,
    )
    deadline = time.monotonic() + limits.timeout_s
    result: dict | None = None
    buffer = b""
    err = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(proc)
                raise SandboxError("timeout", f"{limits.timeout_s:g} s")
            for key, _ in sel.select(timeout=min(left, 1.0)):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                if key.data == "err":
                    err = (err + chunk)[-4000:]
                    continue
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    result = _line(line, progress) or result
        code = _reap(proc, deadline, stats)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise SandboxError("timeout", f"{limits.timeout_s:g} s") from None
    finally:
        sel.close()
        proc.stdout.close()
        proc.stderr.close()
    if result is None:
        tail = err.decode("utf-8", "replace").strip().splitlines()
        why = "out of memory" if code == -signal.SIGKILL or "MemoryError" in "".join(tail) else (
            tail[-1] if tail else f"exit code {code}")
        raise SandboxError("crashed", why[:200])
    return result


def _reap(proc: subprocess.Popen, deadline: float, stats: dict | None) -> int:
    """Wait for the child (until ``deadline``) and read its own resource usage."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            if stats is not None:
                stats["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
                stats["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
            return proc.returncode
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(proc.args, 0)
        time.sleep(0.01)


def _line(line: bytes, progress: Callable[[float], None] | None) -> dict | None:
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if "progress" in obj:
        if progress:
            progress(float(obj["progress"]))
        return None
    return obj.get("result")


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
