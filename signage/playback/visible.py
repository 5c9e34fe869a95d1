"""What a wall's picture shows at one moment, which at an item boundary is not only the item
the schedule has reached: while an item fades in, the picture still holds the one before it.

The rule, used by ``signage preview`` (its JSON and its labels) and the contact sheet: during a
fade of progress ``p`` (0 at the first instant of the new item, approaching 1 as the fade ends)
the picture is ``(1 - p) × previous + p × new``, and the *visible* item is the one whose pixels
dominate: the previous item while ``p < 0.5``, the new one from ``p ≥ 0.5`` on. At ``p = 0`` the
picture is entirely the previous item, so that is what is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from signage.playback.planner import Showing
from signage.playback.steps import Step

DOMINANT_FROM = 0.5  # the new item is named from this progress on


@dataclass(frozen=True)
class Fade:
    source: Step  # the item fading out (the picture it starts from)
    target: Step  # the item fading in (the one the schedule has reached)
    seconds: float
    progress: float  # 0 ≤ progress < 1


@dataclass(frozen=True)
class Visible:
    step: Step | None  # the item whose pixels dominate; None on a dark wall
    offset: float  # seconds into ``step`` (an item fading out is held at its end)
    fade: Fade | None  # set while a fade is under way, from its first instant


def visible(showing: Showing, progress: float | None, previous_shown: bool = True) -> Visible:
    """What ``showing`` puts on the wall. ``progress`` is the compositor's fade amount for the
    step at its offset (None when no fade applies); ``previous_shown`` is False when the
    previous item could not be drawn, so the compositor shows the new one alone."""
    step, previous = showing.step, showing.previous
    if step is None or progress is None or previous is None or not previous_shown:
        return Visible(step, showing.offset, None)
    fade = Fade(previous, step, step.transition[1], progress)
    if progress < DOMINANT_FROM:
        return Visible(previous, previous.duration, fade)
    return Visible(step, showing.offset, fade)
