"""``signage bench``: the performance benchmark. Figures are printed and optionally saved as JSON.

Every figure comes with a reference workload timed in the same run, so the ratio survives a
noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform

from signage.commands.common import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="성능 측정 / performance benchmark")
    p.add_argument("--only", choices=["schedule", "playback", "convert", "intake", "soak", "web", "upload", "audio"], action="append",
                   help="run only these parts (soak: hours of play with faults injected; never by default)")
    p.add_argument("--json", dest="json_out", help="write the figures to this JSON file")
    p.add_argument("--seconds", type=float, default=60.0, help="playback run length (default 60)")
    p.add_argument("--audio-seconds", type=float, default=630.0, help="sound run length (default 630: a 10-minute clip)")
    p.add_argument("--every", type=float, default=180.0, help="soak: seconds between injected faults (default 180)")
    p.add_argument("--faults", help="soak: only these faults, in turn, comma-separated "
                                    "(holds, edits, deck, clock, disk, lock; default all)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here, so that `signage run` never loads the benchmarks (or OpenCV, which they use)
    from signage.perf import intake_bench, playback_bench, schedule_bench

    parts = args.only or ["schedule", "playback", "convert", "intake", "web", "upload", "audio"]
    results: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    if "schedule" in parts:
        results["schedule"] = schedule_bench.run()
        schedule_bench.report(results["schedule"])
    if "playback" in parts:
        results["playback"] = playback_bench.run(seconds=args.seconds)
        playback_bench.report(results["playback"])
    if "convert" in parts:
        results["convert"] = playback_bench.run_convert()
        playback_bench.report_convert(results["convert"])
    if "intake" in parts:
        results["intake"] = intake_bench.run()
        intake_bench.report(results["intake"])
    if "upload" in parts:
        from signage.perf import upload_bench

        results["upload"] = upload_bench.run()
        upload_bench.report(results["upload"])
    if "soak" in parts:
        from signage.perf import soak

        faults = tuple(f.strip() for f in args.faults.split(",")) if args.faults else soak.FAULTS
        results["soak"] = soak.run(seconds=args.seconds, every=args.every, faults=faults)
        soak.report(results["soak"])
    if "web" in parts:
        from signage.perf import web_bench

        results["web"] = web_bench.run(seconds=args.seconds)
        web_bench.report(results["web"])
    if "audio" in parts:  # sound: A/V offset and CPU against a private null sink
        from signage.perf import audio_bench

        results["audio"] = audio_bench.run(seconds=args.audio_seconds)
        audio_bench.report(results["audio"])
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=2)
    return EXIT_OK
