"""Playback benchmark: three different 1080p30 H.264 clips on three walls at once.

The player runs as ``signage run`` in a child process with real output windows on Qt's offscreen
platform (three fake screens), so decoding, fitting and painting are all measured. The reference
is decode-only CPU time per frame of the same clips, measured in the same run: ``ffmpeg -f null``
when ffmpeg is present, else an OpenCV read loop.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

CLIPS = {  # display: (size, lavfi source)
    "front": ((1920, 1080), "testsrc2=size=1920x1080:rate=30"),
    "rear": ((1920, 1080), "mandelbrot=size=1920x1080:rate=30"),
    "pillar": ((1080, 1920), "life=size=1080x1920:rate=30:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00"),
}


def make_clips(folder: Path, seconds: float) -> dict[str, Path]:
    """H.264 clips (yuv420p, High profile) made with ffmpeg; cached between runs."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, ((w, h), source) in CLIPS.items():
        path = folder / f"{name}-{w}x{h}-{int(seconds)}s.mp4"
        if not path.exists():
            tmp = path.with_suffix(".tmp.mp4")
            subprocess.run(
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                 "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                 "-g", "60", "-b:v", "8M", str(tmp)],
                check=True,
            )
            os.replace(tmp, path)
        out[name] = path
    return out


def make_images(folder: Path) -> list[Path]:
    paths = []
    for i, colour in enumerate(((200, 80, 40), (40, 90, 200))):
        path = folder / f"still-{i}.jpg"
        if not path.exists():
            arr = np.zeros((1080, 1920, 3), np.uint8)
            arr[:] = colour
            Image.fromarray(arr).save(path, quality=85)
        paths.append(path)
    return paths


def write_hall(folder: Path, clips: dict[str, Path], images: list[Path]) -> Path:
    (folder / "playlists").mkdir(parents=True, exist_ok=True)
    names = list(clips)
    for i, name in enumerate(names):
        other = clips[names[(i + 1) % 3]]
        items = [
            f"  - video: {clips[name]}",  # video → video switch
            f"  - video: {other}\n    duration: 10s",
            f"  - image: {images[0]}",  # image → image switch
            f"  - image: {images[1]}",
        ]
        (folder / "playlists" / f"{name}.yaml").write_text(
            "defaults: {duration: 3s, fit: contain, transition: cut}\nitems:\n" + "\n".join(items) + "\n"
        )
    sizes = {n: CLIPS[n][0] for n in names}
    screens = {"front": "HDMI-1", "rear": "HDMI-2", "pillar": "DP-1"}
    displays = "\n".join(f"  {n}: {{screen: {screens[n]}, size: [{w}, {h}]}}" for n, (w, h) in sizes.items())
    config = folder / "config.yaml"
    config.write_text(
        "hall: bench\ntimezone: Asia/Seoul\ndisplays:\n" + displays + "\n"
        "schedule:\n  default: {front: front, rear: rear, pillar: pillar}\n"
    )
    (folder / "screens.json").write_text(json.dumps({"screens": [
        {"name": "OPERATOR", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "HDMI-1", "x": 1280, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "HDMI-2", "x": 3200, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "DP-1", "x": 5120, "y": 0, "width": 1080, "height": 1920, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    ]}))
    return config


def decode_reference(clips: dict[str, Path], tool: str | None = None) -> dict:
    """CPU seconds per frame to decode the clips and nothing else (``ffmpeg -f null``), or to
    decode and convert them to BGR (an OpenCV read loop, one thread, as the player decodes)."""
    frames, cpu = 0, 0.0
    tool = tool or ("ffmpeg -f null" if shutil.which("ffmpeg") else "opencv read loop")
    for path in clips.values():
        if tool == "ffmpeg -f null":
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-f", "null", "-"],
                                  capture_output=True, text=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            count = [ln for ln in proc.stderr.splitlines() if ln.startswith("frame=")]
            frames += int(count[-1].split("frame=")[1].split()[0]) if count else 0
        else:
            cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
            t0 = time.process_time()
            ok, buf = cap.read()
            while ok:
                frames += 1
                ok, _ = cap.read(buf)
            cpu += time.process_time() - t0
            cap.release()
    return {"tool": tool, "frames": frames, "cpu_s": round(cpu, 3), "cpu_ms_per_frame": round(1000 * cpu / max(frames, 1), 3)}


def run(seconds: float = 60.0, workdir: Path | None = None) -> dict:
    if not shutil.which("ffmpeg"):
        return {"skipped": "ffmpeg is needed to make H.264 clips (apt-get install ffmpeg)"}
    workdir = workdir or Path(tempfile.gettempdir()) / "signage-bench"
    clips = make_clips(workdir / "clips", 20)
    images = make_images(workdir)
    hall = write_hall(workdir / "hall", clips, images)
    before_ref = decode_reference(clips)
    stats_file = workdir / "stats.json"
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={hall.parent / 'screens.json'}"}
    env.pop("DISPLAY", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "signage", "--config", str(hall), "run", "--exit-after", str(seconds),
         "--stats", str(stats_file), "--start-at", "2026-12-03 12:00:00"],
        env=env, check=True, capture_output=True,
        cwd=str(workdir),
    )
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after_ref = decode_reference(clips)
    opencv_ref = decode_reference(clips, "opencv read loop")
    reference = {  # measured before and after the player: the mean evens out a noisy machine
        "tool": before_ref["tool"],
        "frames": before_ref["frames"],
        "cpu_ms_per_frame": round((before_ref["cpu_ms_per_frame"] + after_ref["cpu_ms_per_frame"]) / 2, 3),
        "before_ms": before_ref["cpu_ms_per_frame"],
        "after_ms": after_ref["cpu_ms_per_frame"],
    }
    stats = json.loads(stats_file.read_text())
    presented = sum(d["frames_presented"] for d in stats["displays"].values())
    cpu = stats["cpu_seconds_playing"]
    per_frame = 1000 * cpu / max(presented, 1)
    on_time = {
        name: round(100 * (d["frames_presented"] - d["frames_late"]) / max(d["frames_expected"], 1), 2)
        for name, d in stats["displays"].items()
    }
    return {
        "seconds": seconds,
        "wall_s": round(wall, 1),
        "child_cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "stats": stats,
        "on_time_pct": on_time,
        "cpu_ms_per_presented_frame": round(per_frame, 3),
        "reference": reference,
        "cpu_per_frame_over_reference": round(per_frame / max(reference["cpu_ms_per_frame"], 1e-9), 2),
        "opencv_reference": opencv_ref,
        "cpu_per_frame_over_opencv_reference": round(per_frame / max(opencv_ref["cpu_ms_per_frame"], 1e-9), 2),
        "rss_after_5min": _flatness(stats.get("rss_mb", [])),
    }


def _flatness(samples: list) -> dict | None:
    """RSS from minute 5 to the end of the run: first, last and the change (target within 10%)."""
    later = [mb for t, mb in samples if t >= 300]
    if len(later) < 2:
        return None
    return {"at_5min_mb": later[0], "at_end_mb": later[-1], "max_mb": max(later),
            "change_pct": round(100 * (later[-1] - later[0]) / later[0], 1)}


def report(r: dict) -> None:
    if "skipped" in r:
        print(f"playback: skipped — {r['skipped']}")
        return
    s = r["stats"]
    print(f"playback: 3 walls, three 1080p30 H.264 clips, {r['seconds']:.0f} s, windows on offscreen screens")
    for name, d in s["displays"].items():
        print(
            f"  {name}: {d['frames_presented']} presented / {d['frames_expected']} expected, "
            f"{d['frames_late']} late, {d['frames_dropped']} dropped → {r['on_time_pct'][name]}% on time "
            f"(target ≥ 99.5%); switch max {d['switch_delay_ms_max']} ms (one frame = 33.3 ms)"
        )
    ref = r["reference"]
    print(
        f"  CPU per presented frame {r['cpu_ms_per_presented_frame']:.2f} ms vs decode-only "
        f"{ref['cpu_ms_per_frame']:.2f} ms ({ref['tool']}) → {r['cpu_per_frame_over_reference']}x (target ≤ 1.5x)"
    )
    o = r["opencv_reference"]
    print(f"  … vs an OpenCV decode+convert loop {o['cpu_ms_per_frame']:.2f} ms → {r['cpu_per_frame_over_opencv_reference']}x")
    samples = [mb for _t, mb in s.get("rss_mb", [])]
    steady = f"; sampled every 10 s: {min(samples)}–{max(samples)} MB" if samples else ""
    print(f"  peak RSS {s['peak_rss_mb']} MB (target < 400 MB){steady}; first frame {s['first_frame_s']} s (target < 2 s)")
    if r.get("rss_after_5min"):
        f = r["rss_after_5min"]
        print(f"  RSS minute 5 → end: {f['at_5min_mb']} → {f['at_end_mb']} MB ({f['change_pct']:+}%, target within 10%)")
