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

from signage.intake.child import EXIT_OUT_OF_MEMORY

# What a child that hit its memory cap leaves on stderr: Python's MemoryError, FFmpeg's ENOMEM,
# a shared library that no longer fits while loading, C++'s bad_alloc, a thread with no room
# for its stack.
MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "failed to map segment", "std::bad_alloc",
                "can't start new thread", "out of memory")
CRASH_SIGNALS = (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS)
NEAR_CAP = 0.75  # a crash with this share of the cap resident is the cap's doing


class SandboxError(Exception):
    """The child did not give an answer: it timed out, ran out of memory or crashed."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # timeout, memory, crashed
        self.detail = detail


def out_of_memory(code: int, stderr: str, peak_rss_mb: float, memory_mb: int) -> bool:
    """Whether a child that gave no answer was stopped by its memory cap rather than by the file.

    Under ``RLIMIT_AS`` an allocation fails (it is not killed): Python raises MemoryError (the
    child exits with ``EXIT_OUT_OF_MEMORY``), FFmpeg returns ENOMEM, a library that does not
    check aborts or faults. A fault counts as the cap's doing only when the child's resident
    memory had come near the cap; a SIGKILL is the kernel's OOM killer (a timeout kill is told
    apart before this)."""
    if code == EXIT_OUT_OF_MEMORY or code == -signal.SIGKILL:
        return True
    if any(sign in stderr for sign in MEMORY_SIGNS):
        return True
    return code in CRASH_SIGNALS and peak_rss_mb >= NEAR_CAP * memory_mb


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

    ``stats``, if given, receives the child's ``peak_rss_mb`` and ``cpu_s``. A child stopped by its
    memory cap raises ``SandboxError("memory")``, any other failure ``"crashed"``."""
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
        usage: dict = {}
        code = _reap(proc, deadline, usage)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise SandboxError("timeout", f"{limits.timeout_s:g} s") from None
    finally:
        sel.close()
        proc.stdout.close()
        proc.stderr.close()
    if stats is not None:
        stats.update(usage)
    if result is None:
        text = err.decode("utf-8", "replace").strip()
        if out_of_memory(code, text, usage.get("peak_rss_mb", 0.0), limits.memory_mb):
            raise SandboxError("memory", f"{limits.memory_mb} MB")
        tail = text.splitlines()
        raise SandboxError("crashed", (tail[-1] if tail else f"exit code {code}")[:200])
    return result


def _reap(proc: subprocess.Popen, deadline: float, stats: dict) -> int:
    """Wait for the child (until ``deadline``) and read its own resource usage into ``stats``."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
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
