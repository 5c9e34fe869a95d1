"""Sound benchmark: A/V sync of the real player over a long clip and across item switches, and
the CPU sound adds.

A private PulseAudio server with a null sink stands in for the hall's speakers. The player (in
this process, Qt offscreen, one 320x180 wall) plays a playlist of clips made with ffmpeg that
flash white and beep at 1 kHz at the start of every second: two 10-second clips (cuts), then one
long clip. The sink's monitor is recorded and stamped on the monotonic clock from the record
stream's own latency; each flash's presentation time (when the wall's runner handed the frame
over) is paired with the nearest beep onset. Target: every offset within ±40 ms. CPU: the sound
thread plus libpulse's stream thread, as a share of one core; the server's own CPU beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from signage.media.bgra import VideoPicture

SHORT_S = 10.0
SIZE = (320, 180)


def make_clip(path: Path, seconds: float) -> Path:
    """A white flash (3 frames) and a 100 ms 1 kHz beep at the start of every second, 30 fps, AAC."""
    if path.exists():
        return path
    w, h = SIZE
    tmp = path.with_suffix(".tmp.mp4")
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=black:s={w}x{h}:r=30:d={seconds}",
         "-f", "lavfi", "-i", f"aevalsrc='if(lt(mod(t,1),0.1),0.8*sin(2*PI*1000*t),0)':s=48000:d={seconds}",
         "-vf", "drawbox=c=white:t=fill:enable='lt(mod(t,1),0.09)'",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "30",
         "-c:a", "aac", "-b:a", "128k", "-shortest", str(tmp)],
        check=True)
    os.replace(tmp, path)
    return path


def write_hall(folder: Path, long_s: float | None) -> Path:
    """A one-wall hall whose house loop plays aloud: two short clips (a cut between), then a long one."""
    (folder / "playlists").mkdir(parents=True, exist_ok=True)
    short = make_clip(folder / "flash-beep-10s.mp4", SHORT_S)
    items = f"  - video: {short.name}\n  - video: {short.name}\n"
    if long_s:
        items += f"  - video: {make_clip(folder / f'flash-beep-{int(long_s)}s.mp4', long_s).name}\n"
    (folder / "playlists/av.yaml").write_text("defaults: {transition: cut}\nitems:\n" + items, encoding="utf-8")
    (folder / "config.yaml").write_text(
        "hall: 소리 측정\ntimezone: Asia/Seoul\n"
        f"displays:\n  front: {{screen: HDMI-1, size: [{SIZE[0]}, {SIZE[1]}]}}\n"
        "schedule:\n  default: {front: av}\n"
        "audio: {display: front, house: true, volume: 100}\n", encoding="utf-8")
    return folder / "config.yaml"


def _thread_cpu(names: tuple[str, ...], exclude: set[int] = frozenset()) -> tuple[float, set[int]]:
    """CPU seconds of this process's threads with these names (Linux), and their ids."""
    total, tids = 0.0, set()
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path("/proc/self/task").iterdir():
        try:
            comm = (task / "comm").read_text().strip()
            if comm not in names or int(task.name) in exclude:
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            tids.add(int(task.name))
        except OSError:
            continue
    return total, tids


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def flashes_and_beeps(presented: list[tuple[float, bool, float]], beeps: list[float]) -> list[tuple[float, float, float]]:
    """(flash time, beep − flash, flash − its due time) for every flash (a white frame after a
    dark one) that has a beep within half a second. ``presented``: (time, white, the step's
    zero on the monotonic clock); a flash is due on a whole second of its clip."""
    pairs, dark = [], True
    for when, white, zero in presented:
        if white and dark and beeps:
            nearest = min(beeps, key=lambda b: abs(b - when))
            if abs(nearest - when) < 0.5:
                pairs.append((when, nearest - when, when - (zero + round(when - zero))))
        dark = not white
    return pairs


def measure(config: Path, seconds: float, server: str, var_dir: Path) -> dict:
    """Run the player for ``seconds`` against the null-sink ``server``; offsets and CPU."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from signage.app import Player
    from signage.audio.nullsink import MonitorRecorder, onsets
    from signage.config.loader import load_hall
    from signage.playback.clock import ShiftedClock

    app = QGuiApplication.instance() or QGuiApplication(["signage-audio-bench"])
    old = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server
    recorder = MonitorRecorder(server)
    _, recorder_threads = _thread_cpu(("threaded-ml",))
    try:
        hall = load_hall(config, check_assets=False)
        midnight = dt.datetime.now(hall.tz).replace(hour=0, minute=0, second=0, microsecond=0)
        player = Player(hall, headless=True, clock=ShiftedClock(hall.tz, midnight), var_dir=var_dir)
        runner = player.runners["front"]
        presented: list[tuple[float, bool]] = []
        tick = runner.tick

        def watched(timeline, now, mono):
            canvas = tick(timeline, now, mono)
            if canvas is not None:
                # a clip's frame the window converts itself: a sampled picture is enough for its centre
                seen = canvas.small_canvas(8) if isinstance(canvas, VideoPicture) else canvas
                h, w = seen.shape[:2]
                presented.append((time.monotonic(), int(seen[h // 2, w // 2, 1]) > 200, runner.active.zero_mono))
            return canvas

        runner.tick = watched
        cpu_engine0 = player.audio.engine.stats["cpu_s"]
        started = time.monotonic()
        player.start()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        engine = player.audio.engine
        wall = time.monotonic() - started
        libpulse_cpu, _ = _thread_cpu(("threaded-ml",), exclude=recorder_threads)
        engine_stats = dict(engine.stats)
        player.stop()
        app.processEvents()
    finally:
        samples, zero, scale = recorder.stop()
        if old is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = old
    beeps = onsets(samples, zero, scale)
    pairs = flashes_and_beeps(presented, beeps)
    offsets = np.array([o for _, o, _ in pairs]) * 1000 if pairs else np.zeros(0)
    late = np.array([d for _, _, d in pairs]) * 1000 if pairs else np.zeros(1)
    cpu = engine_stats["cpu_s"] - cpu_engine0 + libpulse_cpu
    errors = np.array(engine_stats["sync_error_ms"] or [0.0])
    return {
        "seconds": round(wall, 1),
        "flashes": sum(1 for i, (_, w, _) in enumerate(presented) if w and (i == 0 or not presented[i - 1][1])),
        "beeps": len(beeps),
        "pairs": len(pairs),
        "offset_ms_mean": round(float(offsets.mean()), 2) if len(offsets) else None,
        "offset_ms_min": round(float(offsets.min()), 2) if len(offsets) else None,
        "offset_ms_max": round(float(offsets.max()), 2) if len(offsets) else None,
        "offset_ms_max_abs": round(float(np.abs(offsets).max()), 2) if len(offsets) else None,
        # (seconds into the run, beep − flash ms, flash − due ms) per flash
        "offsets": [(round(t - started, 2), round(o * 1000, 2), round(d * 1000, 2)) for t, o, d in pairs],
        # the video side alone: a flash's presentation after its due time (zero + pts)
        "flash_late_ms_mean": round(float(late.mean()), 2),
        "flash_late_ms_max": round(float(late.max()), 2),
        "within_40ms": bool(len(offsets)) and bool(np.abs(offsets).max() <= 40),
        "cpu_percent_of_core": round(100 * cpu / wall, 2),
        "engine_cpu_s": round(engine_stats["cpu_s"] - cpu_engine0, 3),
        "libpulse_cpu_s": round(libpulse_cpu, 3),
        "corrections": engine_stats["corrections"],
        "underruns": engine_stats["underruns"],
        "sink_clock_ppm": round((scale - 1) * 1e6, 1),
        "latency_reading_ms_p99_abs": round(float(np.percentile(np.abs(errors), 99)), 2),
    }


def run(seconds: float = 630.0) -> dict:
    from signage.audio.nullsink import NullSinkServer, missing_tools

    why = missing_tools()
    if why is not None:
        return {"skipped": why}
    long_s = max(0.0, seconds - 2 * SHORT_S - 5)
    server = NullSinkServer()
    with tempfile.TemporaryDirectory(prefix="signage-audio-bench-") as tmp:
        folder = Path(tmp)
        config = write_hall(folder, long_s or None)
        try:
            address = server.start()
            cpu0 = _process_cpu(server.pid())
            result = measure(config, seconds, address, folder / "var")
            result["server_cpu_percent_of_core"] = round(100 * (_process_cpu(server.pid()) - cpu0) / result["seconds"], 2)
        finally:
            server.close()
    result["long_clip_s"] = long_s
    return result


def report(r: dict) -> None:
    if "skipped" in r:
        print(f"audio: skipped — {r['skipped']}")
        return
    then = f", then a {r['long_clip_s']:.0f} s clip" if r["long_clip_s"] else ""
    print(f"audio ({r['seconds']:.0f} s: two {SHORT_S:.0f} s clips{then}; null sink):")
    print(f"  A/V offset (beep − flash)  mean {r['offset_ms_mean']} ms, min {r['offset_ms_min']} ms, "
          f"max {r['offset_ms_max']} ms over {r['pairs']} flashes ({r['flashes']} shown, {r['beeps']} beeps) "
          f"— target ±40 ms: {'met' if r['within_40ms'] else 'NOT met'}")
    print(f"  of which the picture: flashes shown {r['flash_late_ms_mean']} ms after due on average "
          f"(max {r['flash_late_ms_max']} ms)")
    print(f"  CPU sound adds             {r['cpu_percent_of_core']}% of one core (sound thread {r['engine_cpu_s']} s, "
          f"libpulse {r['libpulse_cpu_s']} s; server {r['server_cpu_percent_of_core']}%) — target < 5%")
    print(f"  sink clock {r['sink_clock_ppm']:+.0f} ppm against the monotonic clock; "
          f"clock corrections {r['corrections']}, underruns {r['underruns']}, "
          f"latency reading p99 {r['latency_reading_ms_p99_abs']} ms")
