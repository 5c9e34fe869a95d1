"""Which showings sound, and how loud each cue is at a given moment (pure functions, no I/O).

A *cue* is one clip's sound placed on the monotonic clock the video pacing uses: clip position
``p`` sounds at ``zero + p``. It begins at ``start`` with a fade-in and ends at ``end`` with a
fade-out, so a cut is a few-millisecond ramp (no click), a cross-fade is the transition's length,
and a hold (black, freeze, logo, a notice) fades out over ``HOLD_FADE_S``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RAMP_S = 0.005  # a cut: long enough that a waveform never jumps, short enough to be heard as a cut
HOLD_FADE_S = 0.4  # a hold fades the sound out; resuming (or joining a clip half-way) fades it in
HOLDS = ("black", "freeze", "logo", "message", "deck")


@dataclass(frozen=True)
class Rules:
    """Which layers play aloud (the ``audio:`` block)."""

    events: bool = True
    house: bool = False
    promos: bool = False


def sounds(showing, rules: Rules) -> bool:
    """True when this showing's clip is to be heard: a video playing by the schedule, in a layer
    that plays aloud. Operator holds and decks never sound."""
    step = showing.step
    if showing.operator is not None or showing.mode != "play" or step is None or step.kind != "video":
        return False
    if step.campaign is not None:
        return rules.promos
    source = showing.slot.source if showing.slot is not None else None
    return rules.events if source == "event" else rules.house


def transition_fade(showing) -> float:
    """The length of the picture's fade-in (0 for a cut)."""
    step = showing.step
    if step is None or step.transition[0] != "fade":
        return 0.0
    return float(step.transition[1])


@dataclass
class Cue:
    key: tuple  # the showing's identity
    path: Path
    zero: float  # monotonic time of clip position 0
    start: float  # monotonic time the sound begins (its fade-in starts here)
    fade_in: float
    end: float | None = None  # monotonic time the sound is gone (its fade-out ends here)
    fade_out: float = RAMP_S
    loop: bool = False  # the step loops the clip (at its picture length)
    pending: bool = False  # the wall has not yet placed it on the clock (a decoder opened cold)
    heard_s: float = 0.0  # seconds written to a working output with gain > 0
    done: bool = field(default=False, compare=False)

    def ending(self, at: float, fade: float, head: float) -> None:
        """End the sound ``fade`` seconds after ``at`` (moved to after ``head``, what the output
        already has), unless it already ends sooner."""
        fade = max(fade, RAMP_S)
        end = max(at, head) + fade
        if self.end is None or end < self.end:
            self.end, self.fade_out = end, fade

    def gain(self, t: np.ndarray) -> np.ndarray:
        """The cue's gain (0..1) at monotonic times ``t``."""
        g = np.clip((t - self.start) / max(self.fade_in, RAMP_S), 0.0, 1.0)
        if self.end is not None:
            g *= np.clip((self.end - t) / max(self.fade_out, RAMP_S), 0.0, 1.0)
        return g

    def position(self, t0: float) -> float:
        """Clip position of monotonic time ``t0``."""
        return t0 - self.zero


def ramp(start: float, end: float, n: int) -> np.ndarray:
    """A linear gain ramp over ``n`` samples (the master volume moving)."""
    if start == end:
        return np.full(n, start, np.float32)
    return np.linspace(start, end, n, endpoint=False, dtype=np.float32)
