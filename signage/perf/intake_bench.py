"""Intake benchmark: probing and conforming a 60-second 1080p30 tenant clip.

Both run in the sandboxed child exactly as ``signage inbox`` runs them. References, timed in the
same run on the same clip: ``ffmpeg -f null`` (decode only) for the probe, and the ffmpeg command
line scaling and encoding to the same size with the same x264 settings for conforming.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from signage.config.models import PromoConfig
from signage.intake.rules import judge, limits
from signage.intake.sandbox import Limits, run_child

SOURCE = "testsrc2=size=1920x1080:rate=30"
SECONDS = 60


def make_clip(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tenant-1920x1080-{SECONDS}s.mp4"
    if not path.exists():
        tmp = path.with_suffix(".tmp.mp4")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", SOURCE,
                        "-f", "lavfi", "-i", "sine=frequency=440", "-t", str(SECONDS), "-c:v", "libx264",
                        "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", "6M", "-c:a", "aac", str(tmp)],
                       check=True)
        os.replace(tmp, path)
    return path


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(folder: Path | None = None) -> dict:
    if not shutil.which("ffmpeg"):
        return {"skipped": "ffmpeg is not installed (make installs it when run as root)"}
    folder = folder or Path(tempfile.gettempdir()) / "signage-bench"
    clip = make_clip(folder / "clips")
    rules = PromoConfig()
    probe_stats: dict = {}
    conform_stats: dict = {}
    args = ["probe", str(clip), "--decode-limit", str(rules.max_duration + 2)]
    facts: dict = {}
    probe_s = _timed(lambda: facts.update(run_child(args, limits(rules), stats=probe_stats)))
    decode_ref_s = _timed(lambda: subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-threads", "0", "-i", str(clip), "-an", "-f", "null", "-"],
        check=True))
    out = folder / "conformed-1080x1920.mp4"
    conform_s = _timed(lambda: run_child(
        ["conform", str(clip), "--out", str(out), "--size", "1080x1920", "--background", "#000000",
         "--kind", "video"], Limits(timeout_s=1800, memory_mb=rules.probe_memory_mb), stats=conform_stats))
    ref_out = folder / "conformed-ref.mp4"
    conform_ref_s = _timed(lambda: subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip), "-an", "-vf",
         "scale=1080:-2,pad=1080:1920:(ow-iw)/2:(oh-ih)/2:black", "-c:v", "libx264", "-preset", "veryfast",
         "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(ref_out)], check=True))
    return {
        "clip": f"{SECONDS} s 1920x1080 30 fps H.264 + AAC",
        "verdict_ok": not judge(facts, rules),
        "probe_s": round(probe_s, 2),
        "probe_ref_decode_s": round(decode_ref_s, 2),
        "probe_ratio": round(probe_s / decode_ref_s, 2),
        "probe_peak_rss_mb": probe_stats.get("peak_rss_mb"),
        "conform_peak_rss_mb": conform_stats.get("peak_rss_mb"),
        "conform_pillar_s": round(conform_s, 2),
        "conform_ref_s": round(conform_ref_s, 2),
        "conform_ratio": round(conform_s / conform_ref_s, 2),
        "conform_realtime_x": round(SECONDS / conform_s, 2),
    }


def report(r: dict) -> None:
    if "skipped" in r:
        print(f"intake: skipped — {r['skipped']}")
        return
    print(f"intake ({r['clip']}):")
    print(f"  probe in sandbox   {r['probe_s']:.2f} s  (ffmpeg decode-only {r['probe_ref_decode_s']:.2f} s, "
          f"ratio {r['probe_ratio']:.2f}x; child peak RSS {r['probe_peak_rss_mb']:.0f} MB)")
    print(f"  conform to pillar  {r['conform_pillar_s']:.2f} s  (ffmpeg scale+pad+x264 {r['conform_ref_s']:.2f} s, "
          f"ratio {r['conform_ratio']:.2f}x; {r['conform_realtime_x']:.1f}x real time; "
          f"child peak RSS {r['conform_peak_rss_mb']:.0f} MB)")
