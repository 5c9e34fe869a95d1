"""Schedule benchmark: a year with 1,000 events and 100 dayparts on three displays."""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from signage.config.models import HallConfig
from signage.schedule import resolve

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def synthetic_config(events: int = 1000, dayparts: int = 100, seed: int = 7) -> HallConfig:
    rng = random.Random(seed)
    displays = {"front": {"size": [1920, 1080]}, "rear": {"size": [1920, 1080]}, "pillar": {"size": [1080, 1920]}}
    parts = []
    for i in range(dayparts):
        start = rng.randrange(6 * 60, 22 * 60, 15)
        end = (start + rng.randrange(30, 240, 15)) % 1440
        parts.append(
            {
                "name": f"daypart {i}",
                "days": rng.sample(DAYS, rng.randint(1, 7)),
                "start": f"{start // 60:02d}:{start % 60:02d}",
                "end": f"{end // 60:02d}:{end % 60:02d}",
                "skip_holidays": rng.random() < 0.5,
                "priority": rng.randint(0, 20),
                "displays": {d: f"p{i % 7}" for d in rng.sample(list(displays), rng.randint(1, 3))},
            }
        )
    evs = []
    base = dt.datetime(2026, 1, 1, 8, 0)
    for i in range(events):  # 1000 events, ~8 h apart, two hours each: never overlapping
        start = base + dt.timedelta(hours=8.76 * i)
        evs.append(
            {
                "name": f"event {i}",
                "start": start.strftime("%Y-%m-%d %H:%M"),
                "end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
                "displays": {d: f"e{i % 5}" for d in displays},
            }
        )
    return HallConfig.model_validate(
        {
            "hall": "bench",
            "displays": displays,
            "schedule": {
                "default": {d: "house" for d in displays},
                "dark": {"start": "23:00", "end": "07:00"},
                "dayparts": parts,
                "events": evs,
            },
        }
    )


def _reference(n: int = 200_000) -> float:
    """Seconds to sort n random floats: the same-run yardstick for this machine's speed."""
    rng = random.Random(1)
    data = [rng.random() for _ in range(n)]
    t0 = time.perf_counter()
    sorted(data)
    sorted(data, key=lambda x: -x)
    return time.perf_counter() - t0


def run(repeats: int = 3) -> dict:
    config = synthetic_config()
    tz = ZoneInfo(config.timezone)
    start = dt.datetime(2026, 1, 1, tzinfo=tz)
    end = dt.datetime(2027, 1, 1, tzinfo=tz)
    resolve(config, start, start + dt.timedelta(days=2))  # warm caches (holidays)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        timeline = resolve(config, start, end)
        best = min(best, time.perf_counter() - t0)
    rng = random.Random(3)
    probes = [start + dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(20_000)]
    t0 = time.perf_counter()
    for when in probes:
        timeline.at("front", when)
    lookup = (time.perf_counter() - t0) / len(probes)
    reference = min(_reference() for _ in range(repeats))
    return {
        "events": 1000,
        "dayparts": 100,
        "slots": len(timeline.slots),
        "resolve_year_s": round(best, 4),
        "lookup_now_us": round(lookup * 1e6, 2),
        "reference_sort_s": round(reference, 4),
        "resolve_over_reference": round(best / reference, 2),
    }


def report(r: dict) -> None:
    print(
        f"schedule: 1 year, {r['events']} events, {r['dayparts']} dayparts → {r['slots']} slots\n"
        f"  resolve: {r['resolve_year_s'] * 1000:.0f} ms (target < 1000 ms; "
        f"{r['resolve_over_reference']}x the reference sort of {r['reference_sort_s'] * 1000:.0f} ms)\n"
        f"  what plays on front now: {r['lookup_now_us']:.1f} µs (target < 1000 µs)"
    )
