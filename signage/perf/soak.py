"""The unattended-hall soak: a real player for hours with faults injected every few minutes.

``signage bench --only soak --seconds 14400 --every 180`` plays the benchmark hall (three 1080p30
walls, stills with fades) as a real ``signage run --headless`` process and, one after another,
every ``every`` seconds:

- operator holds: black with an expiry, a notice on all walls, a deck loaded, paged, blacked,
  given back and unloaded (through ``signage ctl``, as an operator would);
- edits: a playlist rewritten (valid), then a broken edit that is left for a few seconds and
  put right;
- the wall clock stepped an hour forward, and later back (libfaketime, as NTP correcting a
  drifted PC would; the monotonic clock does not move);
- ``var/`` full for 15 s (a tmpfs of its own, filled to the last byte and emptied again);
- ``plays.sqlite`` locked by another process for 20 s.

``--faults disk,lock`` injects only the faults named, in turn (one kind repeated shows which one
keeps memory). Every 10 s it samples the player's RSS, its anonymous memory (heaps, without
mapped files) and open files. At the end it compares what the player says it showed with the
rows in ``plays.sqlite`` (no record lost), checks the recorded durations against the monotonic
clock (no +3600 s items), and reads the longest stretch of black the schedule did not ask for.

It needs Linux user namespaces (``unshare -rm``, for the private tmpfs) and libfaketime
(Debian ``faketime``); without them it says what is missing and skips that fault.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, suppress
from pathlib import Path

from signage.perf.playback_bench import make_clips, make_images, write_hall

FAKETIME_LIBS = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
)
VAR_SIZE = "48m"
FAULTS = ("holds", "edits", "deck", "clock", "disk", "lock")  # in the order they are injected
# libfaketime mistranslates an absolute monotonic clock_nanosleep when only the wall clock is
# faked, so the player's own time.sleep waits on a condition variable instead (only in the soak)
PLAYER = (
    "import sys, threading, time\n"
    "time.sleep = lambda s, _e=threading.Event(): _e.wait(s) if s > 0 else None\n"
    "from signage.cli import main\n"
    "sys.exit(main())\n"
)


def faketime_lib() -> str | None:
    return next((lib for lib in FAKETIME_LIBS if Path(lib).exists()), None)


def can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


def run(seconds: float = 14400.0, every: float = 180.0, workdir: Path | None = None,
        faults: tuple[str, ...] = FAULTS) -> dict:
    """Re-run inside a private mount namespace so ``var/`` can be a small tmpfs of our own."""
    unknown = set(faults) - set(FAULTS)
    if unknown or not faults:
        return {"skipped": f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS)}"}
    if not shutil.which("ffmpeg"):
        return {"skipped": "ffmpeg is needed to make the clips (apt-get install ffmpeg)"}
    workdir = workdir or Path(tempfile.gettempdir()) / "signage-soak"
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "soak.json"
    out.unlink(missing_ok=True)
    args = [sys.executable, "-m", "signage.perf.soak", str(seconds), str(every), str(workdir), ",".join(faults)]
    if can_unshare():
        args = ["unshare", "-rm", *args]
    proc = subprocess.run(args, cwd=str(workdir))
    if proc.returncode != 0 or not out.exists():
        return {"skipped": f"the soak did not finish (exit {proc.returncode}); see its output above"}
    return json.loads(out.read_text())


class Soak:
    def __init__(self, seconds: float, every: float, workdir: Path, faults: tuple[str, ...] = FAULTS):
        self.seconds, self.every, self.workdir, self.faults = seconds, every, workdir, faults
        self.events: list[dict] = []
        self.samples: list[dict] = []
        self.t0 = time.monotonic()
        self.offset = 0
        self.can_fill = False

    # ---- the hall ------------------------------------------------------------------------------

    def build(self) -> None:
        clips = make_clips(self.workdir / "clips", 20)
        images = make_images(self.workdir)
        hall_dir = self.workdir / "hall"
        if hall_dir.exists():
            shutil.rmtree(hall_dir)
        self.config = write_hall(hall_dir, clips, images)
        self.hall = hall_dir
        # fades between the stills, so a hold or a switch lands mid-fade now and then
        for playlist in (hall_dir / "playlists").glob("*.yaml"):
            playlist.write_text(playlist.read_text().replace("transition: cut", "transition: fade 0.5s"))
        self.edit_target = hall_dir / "playlists" / "rear.yaml"
        self.good_edit = self.edit_target.read_text()
        from PIL import Image

        deck = hall_dir / "deck.pdf"
        pages = [Image.new("RGB", (1280, 720), c) for c in ((200, 30, 30), (30, 160, 60), (30, 60, 200))]
        pages[0].save(deck, save_all=True, append_images=pages[1:])
        self.deck = deck
        var = hall_dir / "var"
        var.mkdir()
        if os.geteuid() == 0 and subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={VAR_SIZE}", "tmpfs", str(var)], capture_output=True).returncode == 0:
            self.can_fill = True
        self.var = var
        self.clock_file = self.workdir / "faketime.txt"
        self.clock_file.write_text("+0\n")

    # ---- the player ----------------------------------------------------------------------------

    def start(self) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        env.pop("DISPLAY", None)
        lib = faketime_lib()
        if lib:
            env.update(LD_PRELOAD=lib, FAKETIME_TIMESTAMP_FILE=str(self.clock_file),
                       FAKETIME_DONT_FAKE_MONOTONIC="1")
        self.stats_file = self.workdir / "stats.json"
        self.stats_file.unlink(missing_ok=True)
        self.log = (self.workdir / "player.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PLAYER, "--config", str(self.config), "run", "--headless",
             "--exit-after", str(self.seconds), "--stats", str(self.stats_file)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=str(self.hall))
        self.faketime = lib is not None

    def ctl(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LD_PRELOAD", "FAKETIME"))}
        proc = subprocess.run([sys.executable, "-m", "signage", "--config", str(self.config), "ctl", *args],
                              capture_output=True, text=True, env=env, timeout=60)
        return (proc.stdout + proc.stderr).strip().replace("\n", " / ")[:200]

    def note(self, what: str, detail: str = "") -> None:
        self.events.append({"t": round(time.monotonic() - self.t0, 1), "what": what, "detail": detail})
        print(f"[soak {time.monotonic() - self.t0:7.0f}s] {what} {detail}", flush=True)

    # ---- faults --------------------------------------------------------------------------------

    def fault_holds(self) -> None:
        self.note("black rear 20s", self.ctl("black", "--display", "rear", "--for", "20s"))
        self.note("notice all 15s", self.ctl("message", "잠시 점검 중입니다", "--display", "all", "--for", "15s"))

    def fault_deck(self) -> None:
        self.note("load deck", self.ctl("load", str(self.deck), "--display", "front"))
        time.sleep(3)
        self.note("next", self.ctl("next", "--display", "front"))
        self.note("next", self.ctl("next", "--display", "front"))
        self.note("black", self.ctl("black", "--display", "front"))
        time.sleep(3)
        self.note("resume (deck back)", self.ctl("resume", "--display", "front"))
        time.sleep(5)
        self.note("resume (unload)", self.ctl("resume", "--display", "front"))

    def fault_edits(self) -> None:
        text = self.good_edit.replace("duration: 3s", "duration: 4s") if "4s" not in self.edit_target.read_text() \
            else self.good_edit
        self.edit_target.write_text(text)
        self.note("edit playlist (valid)")
        time.sleep(6)
        self.edit_target.write_text(text + "  - image: [broken\n")
        self.note("edit playlist (broken)")
        time.sleep(6)
        self.edit_target.write_text(text)
        self.note("edit playlist (fixed)")

    def fault_clock(self) -> None:
        if not self.faketime:
            self.note("clock step skipped", "libfaketime missing (apt-get install faketime)")
            return
        self.offset = 3600 if self.offset == 0 else 0
        self.clock_file.write_text(f"{self.offset:+d}\n")
        self.note("wall clock stepped", f"{'+' if self.offset else '-'}1h (offset now {self.offset:+d} s)")

    def fault_disk(self) -> None:
        if not self.can_fill:
            self.note("disk full skipped", "no private tmpfs for var/")
            return
        filler = self.var / "filler"
        with suppress(OSError), filler.open("wb") as fh:
            block = b"\0" * (1 << 20)
            while True:
                fh.write(block)
                fh.flush()
        with suppress(OSError), filler.open("ab") as fh:  # the last few KB too
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        self.note("var/ full", f"{filler.stat().st_size >> 20} MB filler")
        time.sleep(15)
        filler.unlink()
        self.note("var/ has room again")

    def fault_lock(self) -> None:
        db = self.var / "plays.sqlite"
        if not db.exists():
            self.note("lock skipped", "no plays.sqlite yet")
            return
        try:
            with closing(sqlite3.connect(str(db), timeout=5)) as conn:
                conn.execute("BEGIN EXCLUSIVE")
                self.note("plays.sqlite locked")
                time.sleep(20)
                conn.rollback()
            self.note("plays.sqlite unlocked")
        except sqlite3.Error as exc:
            self.note("lock failed", str(exc))

    # ---- measuring -----------------------------------------------------------------------------

    def sample(self) -> None:
        pid = self.proc.pid
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rss = int(next(ln for ln in status.splitlines() if ln.startswith("VmRSS:")).split()[1]) / 1024
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            anon = int(next(ln for ln in rollup.splitlines() if ln.startswith("Anonymous:")).split()[1]) / 1024
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except (OSError, StopIteration):
            return
        self.samples.append({"t": round(time.monotonic() - self.t0, 1), "rss_mb": round(rss, 1),
                             "anon_mb": round(anon, 1), "fds": fds})

    def sampler(self, stop: threading.Event) -> None:
        while not stop.wait(10):
            self.sample()

    def records(self) -> dict:
        db = self.var / "plays.sqlite"
        with closing(sqlite3.connect(str(db), timeout=30)) as conn:
            rows = conn.execute(
                "SELECT display, COUNT(*), MAX(duration_s - COALESCE(planned_s, duration_s)), MIN(duration_s),"
                " SUM(outcome='failed') FROM plays GROUP BY display").fetchall()
        return {d: {"rows": n, "max_over_planned_s": round(over or 0, 2), "min_duration_s": round(low or 0, 2),
                    "failed": failed} for d, n, over, low, failed in rows}

    # ---- the run -------------------------------------------------------------------------------

    def go(self) -> dict:
        self.build()
        self.t0 = time.monotonic()
        self.start()
        stop = threading.Event()
        threading.Thread(target=self.sampler, args=(stop,), daemon=True).start()
        faults = [getattr(self, f"fault_{name}") for name in self.faults]
        time.sleep(min(60, self.seconds / 4))
        i = 0
        while time.monotonic() - self.t0 < self.seconds - self.every / 2 and self.proc.poll() is None:
            faults[i % len(faults)]()
            i += 1
            wait = self.every - (time.monotonic() - self.t0 - 60) % self.every
            time.sleep(max(1.0, min(wait, self.seconds - (time.monotonic() - self.t0))))
        if self.faketime and self.offset:
            self.fault_clock()  # back to the real time before the end
        code = self.proc.wait(timeout=self.seconds + 300)
        stop.set()
        self.log.close()
        stats = json.loads(self.stats_file.read_text()) if self.stats_file.exists() else {}
        records = self.records()
        # every item shown has a row, except black and frozen pictures (nothing new was shown)
        shown = {n: d["items_shown"] - d.get("items_unrecorded", 0) for n, d in stats.get("displays", {}).items()}
        rss = [s["rss_mb"] for s in self.samples]
        anon = [s["anon_mb"] for s in self.samples]
        fds = [s["fds"] for s in self.samples]
        later = [s for s in self.samples if s["t"] >= 300]
        return {
            "seconds": self.seconds, "every": self.every, "faults": list(self.faults), "exit_code": code,
            "faults_injected": len(self.events), "events": self.events,
            "rss_mb": {"min": min(rss, default=None), "max": max(rss, default=None),
                       "at_5min": later[0]["rss_mb"] if later else None,
                       "at_end": later[-1]["rss_mb"] if later else None},
            "anon_mb": {"min": min(anon, default=None), "max": max(anon, default=None),
                        "at_5min": later[0]["anon_mb"] if later else None,
                        "at_end": later[-1]["anon_mb"] if later else None},
            "open_files": {"min": min(fds, default=None), "max": max(fds, default=None),
                           "at_5min": later[0]["fds"] if later else None,
                           "at_end": later[-1]["fds"] if later else None},
            "samples": self.samples,
            "items_shown": shown, "records": records,
            "records_lost": {n: shown[n] - records.get(n, {}).get("rows", 0) for n in shown},
            "unscheduled_black_max_s": {n: d.get("unscheduled_black_max_s")
                                        for n, d in stats.get("displays", {}).items()},
            "on_time_pct": {n: round(100 * (d["frames_presented"] - d["frames_late"]) / max(d["frames_expected"], 1), 2)
                            for n, d in stats.get("displays", {}).items()},
            "stats": stats,
        }


def report(r: dict) -> None:
    if "skipped" in r:
        print(f"soak: skipped — {r['skipped']}")
        return
    print(f"soak: {r['seconds'] / 3600:.2f} h, {r['faults_injected']} faults injected (one every {r['every']:.0f} s: "
          f"{', '.join(r['faults'])}), player exit {r['exit_code']}")
    m, a, f = r["rss_mb"], r["anon_mb"], r["open_files"]
    print(f"  RSS {m['min']}–{m['max']} MB; minute 5 → end {m['at_5min']} → {m['at_end']} MB")
    print(f"  anonymous {a['min']}–{a['max']} MB; minute 5 → end {a['at_5min']} → {a['at_end']} MB")
    print(f"  open files {f['min']}–{f['max']}; minute 5 → end {f['at_5min']} → {f['at_end']}")
    for name, lost in r["records_lost"].items():
        rec = r["records"].get(name, {})
        print(f"  {name}: {r['items_shown'][name]} items shown, {rec.get('rows', 0)} rows → {lost} lost; "
              f"longest over plan {rec.get('max_over_planned_s')} s; shortest {rec.get('min_duration_s')} s; "
              f"unscheduled black max {r['unscheduled_black_max_s'].get(name)} s; on time {r['on_time_pct'].get(name)}%")


if __name__ == "__main__":  # the inner run, in its own mount namespace
    seconds, every, folder = float(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
    soak = Soak(seconds, every, folder, tuple(sys.argv[4].split(",")) if len(sys.argv) > 4 else FAULTS)
    signal.signal(signal.SIGTERM, lambda *_: soak.proc.terminate())
    result = soak.go()
    (folder / "soak.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
