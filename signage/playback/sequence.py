"""Time addressing: which step shows ``elapsed`` seconds into a slot, and how far into it.

The answer depends only on the steps and the elapsed time, so a restart resumes where it should,
``preview --at T`` shows what the wall shows at T, and two walls with one playlist agree.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from signage.playback.steps import Step


@dataclass(frozen=True)
class Position:
    index: int  # step index
    offset: float  # seconds into the step
    cycle: int  # how many times the playlist has looped in this slot
    step_start: float  # elapsed seconds at which this step began


class Cycle:
    def __init__(self, steps: list[Step]):
        self.steps = steps
        self._starts: list[float] = []
        total = 0.0
        for step in steps:
            self._starts.append(total)
            total += step.duration
        self.length = total

    def __bool__(self) -> bool:
        return bool(self.steps) and self.length > 0

    def locate(self, elapsed: float) -> Position:
        if not self:
            raise ValueError("an empty cycle has no position")
        elapsed = max(0.0, elapsed)
        cycle, within = divmod(elapsed, self.length)
        i = bisect.bisect_right(self._starts, within) - 1
        offset = within - self._starts[i]
        return Position(i, offset, int(cycle), elapsed - offset)

    def start_of(self, index: int) -> float:
        return self._starts[index]
