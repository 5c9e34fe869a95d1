"""``Player.audio``: the hall's sound as the player and the operator see it.

The runner of every wall calls three hooks (only the sounding wall's calls matter):

- ``switched(display, showing, zero_mono, now, mono, cold)`` when the wall changes step (a hold
  is a step too: black, freeze, logo, a notice, a deck);
- ``upcoming(display, showing, boundary)`` when the wall prepares its next step (a second or two
  ahead), so a planned cut or cross-fade is placed on the sample where the picture changes;
- ``retime(display, zero_mono, mono)`` when a decoder opened cold places its first frame.

Operators: ``mute()``, ``unmute()``, ``set_volume(percent)``, ``status()``. Proof of play:
``aloud_s(display, identity)``: seconds the step was heard (None: that wall makes no sound).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict

from signage.audio.plan import HOLD_FADE_S, HOLDS, RAMP_S, Cue, Rules, sounds, transition_fade

log = logging.getLogger("signage.audio")

JOINED_LATE_S = 0.25  # a step entered this far into its clip (restart, resume, jump) fades in


class HallSound:
    def __init__(self, config=None, *, engine_factory=None):
        """``config``: the ``audio:`` block (AudioConfig) or None for silent walls."""
        self._engine_factory = engine_factory
        self.engine = None
        self.config = None
        self._offset: float | None = None  # monotonic − wall clock, from the last hook
        self._held = False
        self._muted = False  # the operator's mute outlives a new engine (a changed device)
        self._heard: OrderedDict[tuple, float] = OrderedDict()
        self.configure(config)

    # ---- configuration -----------------------------------------------------------------------

    def configure(self, config) -> None:
        """Apply an ``audio:`` block (after a reload): the output is reopened only if it changed."""
        if config == self.config:
            return
        old = self.config
        self.config = config
        if config is None:
            self.close()
            return
        self.rules = Rules(config.events, config.house, config.promos)
        self.display = config.display
        if self.engine is not None and old is not None and old.device == config.device:
            self.engine.set_volume(config.volume / 100)
            return
        self.close()
        factory = self._engine_factory
        if factory is None:
            from signage.audio.engine import SoundEngine

            factory = SoundEngine
        self.engine = factory(device=config.device, volume=config.volume / 100)
        self.engine.muted = self._muted

    @property
    def enabled(self) -> bool:
        return self.engine is not None

    # ---- runner hooks (GUI thread; never block) ----------------------------------------------

    def switched(self, display: str, showing, zero: float, now: dt.datetime, mono: float,
                 cold: bool = False) -> None:
        engine = self.engine
        if engine is None or display != self.display:
            return
        self._offset = mono - now.timestamp()
        hold = showing.operator in HOLDS
        late = showing.offset > JOINED_LATE_S
        begins = mono if late else zero  # where the step began on the wall (a planned boundary)
        fade = transition_fade(showing)
        out_fade = HOLD_FADE_S if hold else (fade or RAMP_S)
        key = showing.identity
        with engine.lock:
            head = engine.head if engine.head is not None else mono
            planned = next((c for c in engine.cues if c.key == key and c.end is None), None)
            for cue in engine.cues:
                if cue is not planned:
                    self._remember(cue)
                    cue.ending(begins, out_fade, head)
            if planned is not None:
                planned.zero, planned.pending = zero, cold
            elif sounds(showing, self.rules):
                fade_in = HOLD_FADE_S if (late or self._held) else (fade or RAMP_S)
                engine.cues.append(Cue(key, showing.step.path, zero, begins, fade_in, loop=showing.step.loop,
                                       pending=cold))
        self._held = hold
        engine.wake()

    def upcoming(self, display: str, showing, boundary: dt.datetime) -> None:
        engine = self.engine
        if engine is None or display != self.display or self._offset is None:
            return
        at = boundary.timestamp() + self._offset
        fade = transition_fade(showing)
        key = showing.identity
        with engine.lock:
            if any(c.key == key for c in engine.cues):
                return
            head = engine.head if engine.head is not None else at
            for cue in engine.cues:
                cue.ending(at, fade or RAMP_S, head)
            if sounds(showing, self.rules):
                engine.cues.append(Cue(key, showing.step.path, at - showing.offset, at, fade or RAMP_S,
                                       loop=showing.step.loop))
        engine.wake()

    def retime(self, display: str, zero: float, mono: float) -> None:
        engine = self.engine
        if engine is None or display != self.display:
            return
        with engine.lock:
            for cue in engine.cues:
                if cue.pending:
                    cue.zero, cue.pending = zero, False
                    cue.start = max(cue.start, mono)
        engine.wake()

    # ---- operators ---------------------------------------------------------------------------

    def mute(self) -> None:
        self._muted = True
        if self.engine is not None:
            self.engine.muted = True

    def unmute(self) -> None:
        self._muted = False
        if self.engine is not None:
            self.engine.muted = False

    def set_volume(self, percent: float) -> None:
        if self.engine is not None:
            self.engine.set_volume(percent / 100)

    def status(self) -> dict:
        """For the console, ``signage ctl status`` and the API."""
        engine = self.engine
        if engine is None:
            return {"enabled": False}
        return {
            "enabled": True,
            "display": self.display,
            "device": self.config.device,
            "volume": round(engine.volume * 100),
            "muted": engine.muted,
            "output_ok": engine.playing,
            "sounding": any(c.end is None and not c.pending for c in list(engine.cues)),
            "corrections": engine.stats["corrections"],
            "underruns": engine.stats["underruns"],
            "cpu_s": round(engine.stats["cpu_s"], 3),
        }

    def aloud_s(self, display: str, identity: tuple) -> float | None:
        """Seconds the step was heard; None when ``display`` is not the sounding wall."""
        if self.engine is None or display != self.display:
            return None
        playing = [c.heard_s for c in list(self.engine.cues) if c.key == identity]
        return round(sum(playing) if playing else self._heard.get(identity, 0.0), 3)

    def _remember(self, cue: Cue) -> None:
        self._heard[cue.key] = cue.heard_s
        while len(self._heard) > 64:
            self._heard.popitem(last=False)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
