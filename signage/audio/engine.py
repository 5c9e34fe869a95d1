"""The sound thread: mixes the cues and feeds the output, in step with the monotonic clock.

Before each write the output says how long until the next sample is heard; ``head`` (the
monotonic time that sample will be heard) should agree. Samples are placed by time: each cue
contributes clip position ``head - zero``, so the sound is where the picture is. A measured
disagreement beyond ``TOLERANCE_S`` that lasts (the median of the last readings) moves ``head``,
which skips or repeats a little of the clip's sound at that moment, never resamples it; an
underrun (the thread was starved) re-anchors at once.

The frame path never waits on this thread: the runner's hooks only touch small cue objects under
a lock held for microseconds; files are opened and decoded here. Every failure (no server, no
device, a device gone mid-clip, a server restart, a corrupt track) leaves the walls playing: it is
logged once, the engine stays silent and tries again every ``RETRY_S``.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections import deque

import numpy as np

from signage.audio import CHANNELS, RATE
from signage.audio.decoder import AudioDecoder, AudioTrackError
from signage.audio.output import (
    BUFFER_CHUNKS,
    CHUNK,
    OutputError,
    PulseOutput,
    closest,
    find_output,
    list_outputs,
)
from signage.audio.plan import Cue, ramp
from signage.i18n import t

log = logging.getLogger("signage.audio")

TOLERANCE_S = 0.010  # sync error that is corrected (well inside lip-sync's ±40 ms)
UNDERRUN_S = 0.050  # head this far behind the output: it ran dry; re-anchor at once
READINGS = 9  # latency readings in the median
RETRY_S = 2.0  # an output that failed is tried again this often
CHECK_S = 2.0  # a named device is looked for this often while playing (unplugged → stream moved)
IDLE_CLOSE_S = 5.0  # with nothing to play for this long the stream is closed (the sink may sleep)
OPEN_AHEAD_S = 1.5  # a cue starting this soon opens the stream
MUTE_FADE_S = 0.25  # mute, unmute and volume changes glide over this long


class SoundEngine:
    def __init__(self, device: str | None = None, volume: float = 1.0, *, monotonic=time.monotonic,
                 output=PulseOutput, outputs=list_outputs, thread: bool = True):
        """``thread=False``: no sound thread; the caller runs each iteration with ``step()`` (tests
        drive it on a fake clock, sample by sample, independent of how threads are scheduled)."""
        self.device = device
        self.lock = threading.Lock()
        self.cues: list[Cue] = []
        self.head: float | None = None  # monotonic time the next sample written will be heard
        self.muted = False
        self.volume = volume
        self._gain = 0.0 if self.muted else volume
        self._monotonic = monotonic
        self._make_output = output
        self._list_outputs = outputs
        self._out = None
        self._decoders: dict[int, AudioDecoder | None] = {}
        self._bad: set = set()  # clips whose sound cannot be read (logged once each)
        self._readings: deque[float] = deque(maxlen=READINGS)
        self._down: str | None = None  # the problem logged, until the output is back
        self._retry_at = 0.0
        self._checked_at = 0.0
        self._idle_since: float | None = None
        self._open_until = self._monotonic() + 1.0  # open once at start, so a missing device is told
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.stats = {"cpu_s": 0.0, "written_s": 0.0, "corrections": 0, "underruns": 0, "reopened": 0,
                      "sync_error_ms": []}  # the last readings of (latency-reported − head), for the bench
        self._thread = None
        if thread:
            self._thread = threading.Thread(target=self._run, name="sound", daemon=True)
            self._thread.start()

    # ---- from other threads ------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def set_volume(self, volume: float) -> None:
        self.volume = min(max(volume, 0.0), 1.0)

    @property
    def playing(self) -> bool:
        """True while the output works and is open."""
        return self._out is not None

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        else:
            self._shutdown()

    # ---- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        cpu0 = time.thread_time()
        try:
            while not self._stop.is_set():
                self.step()
                self.stats["cpu_s"] = time.thread_time() - cpu0
        except Exception:  # noqa: BLE001 - sound must never take the walls down
            log.exception("sound thread stopped; the walls keep playing, silent")
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        self._close_output()
        for dec in self._decoders.values():
            if dec is not None:
                dec.close()
        self._decoders.clear()

    def step(self) -> None:
        """One iteration: open the output, wait, or mix and write one chunk (the thread's loop body)."""
        now = self._monotonic()
        live = self._live_cues(now)
        wanted = now < self._open_until or any(c.end is None or c.end > now for c in live
                                               if c.start < now + OPEN_AHEAD_S)
        if self._out is None:
            if not wanted or now < self._retry_at:
                self._wait(0.25 if not wanted else min(0.25, self._retry_at - now))
                return
            self._open(now)
            return
        if not wanted:
            self._idle_since = self._idle_since or now
            if now - self._idle_since > IDLE_CLOSE_S:
                self._close_output()
                return
        else:
            self._idle_since = None
        if self.device and now - self._checked_at > CHECK_S and not self._device_present(now):
            return
        try:
            self._feed(live)
        except OutputError as exc:
            self._failed(exc, now)

    def _wait(self, seconds: float) -> None:
        if self._thread is None:
            return  # stepped by the caller, whose clock is the only time there is
        self._wake.wait(max(seconds, 0.005))
        self._wake.clear()

    def _live_cues(self, now: float) -> list[Cue]:
        """The cues still to be heard; finished ones are dropped and their decoders closed."""
        with self.lock:
            gone = [c for c in self.cues if c.done or (c.end is not None and c.end <= now and
                                                       (self.head is None or c.end <= self.head))]
            if gone:
                self.cues = [c for c in self.cues if c not in gone]
            live = list(self.cues)
        for cue in gone:
            dec = self._decoders.pop(id(cue), None)
            if dec is not None:
                dec.close()
        return live

    # ---- the output --------------------------------------------------------------------------

    def _open(self, now: float) -> None:
        try:
            out = self._make_output(self._sink_name())
        except OutputError as exc:
            self._failed(exc, now)
            return
        try:
            # Silence first: a sink that was idle may finish a long sleep before it plays the new
            # stream (PulseAudio's null sink sleeps up to 2 s); the clock is read once it flows.
            for _ in range(BUFFER_CHUNKS + 1):
                out.write(np.zeros((CHUNK, CHANNELS), np.float32))
        except OutputError as exc:
            out.close()
            self._failed(exc, now)
            return
        self.head = None
        self._readings.clear()
        self._checked_at = now
        if self._down is not None:
            log.warning(t("audio_back", device=self.device or t("audio_default")))
            self.stats["reopened"] += 1
        self._down = None
        self._out = out

    def _sink_name(self) -> str | None:
        """The server's name for the configured output (config.yaml may give its description)."""
        if not self.device:
            return None
        _, outputs = self._list_outputs()
        found = find_output(self.device, outputs)
        if found is None:
            raise OutputError("device", closest(self.device, outputs) or "")
        return found.name

    def _failed(self, exc: OutputError, now: float) -> None:
        self._close_output()
        self._retry_at = now + RETRY_S
        kind = exc.kind
        hint = exc.detail if kind == "device" else ""
        if kind == "device":  # did the server refuse the device, or is there no server?
            try:
                _, outputs = self._list_outputs()
            except OutputError:
                kind = "server"
            else:
                if self.device and find_output(self.device, outputs) is not None:
                    kind, hint = "lost", ""
        if self._down is not None:
            return  # logged once, until it is back
        self._down = kind
        if kind == "library":
            log.warning(t("audio_no_library"))
        elif kind == "server":
            log.warning(t("audio_no_server"))
        elif kind == "device":
            log.warning(t("audio_no_device", device=self.device,
                          hint=t("did_you_mean", suggestion=hint) if hint and hint != self.device else ""))
        else:
            log.warning(t("audio_lost", device=self.device or t("audio_default"), error=exc.detail or kind))

    def _device_present(self, now: float) -> bool:
        """Is the named output still there? (Unplugged, the server may move our stream elsewhere.)"""
        self._checked_at = now
        try:
            _, outputs = self._list_outputs()
        except OutputError as exc:
            self._failed(exc, now)
            return False
        if find_output(self.device, outputs) is None:
            hint = closest(self.device, outputs)
            self._failed(OutputError("device", hint or ""), now)
            return False
        return True

    def _close_output(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        self.head = None
        self._idle_since = None

    # ---- feeding -----------------------------------------------------------------------------

    def _feed(self, live: list[Cue]) -> None:
        latency = self._out.latency()
        measured = self._monotonic() + latency
        if self.head is None or measured - self.head > UNDERRUN_S:
            if self.head is not None:
                self.stats["underruns"] += 1
            self.head = measured
            self._readings.clear()
        else:
            error = measured - self.head
            self._readings.append(error)
            errors = self.stats["sync_error_ms"]
            errors.append(round(error * 1000, 2))
            if len(errors) > 4096:
                del errors[:2048]
            if len(self._readings) == READINGS:
                drift = statistics.median(self._readings)
                if abs(drift) > TOLERANCE_S:
                    self.head += drift  # skip (or repeat) that much of the clips' sound
                    self.stats["corrections"] += 1
                    self._readings.clear()
        chunk = self._mix(self.head, CHUNK, live)
        self._out.write(chunk)
        with self.lock:
            self.head += CHUNK / RATE
        self.stats["written_s"] += CHUNK / RATE

    def _mix(self, t0: float, n: int, live: list[Cue]) -> np.ndarray:
        out = np.zeros((n, CHANNELS), np.float32)
        times = t0 + np.arange(n) / RATE
        target = 0.0 if self.muted else self.volume
        step = (n / RATE) / MUTE_FADE_S
        new_gain = self._gain + max(-step, min(step, target - self._gain))
        master = ramp(self._gain, new_gain, n)
        self._gain = new_gain
        for cue in live:
            if cue.pending or t0 < cue.start - n / RATE:
                continue
            gain = cue.gain(times)
            if not gain.any():
                continue
            samples = self._read(cue, t0, n)
            if samples is None:
                continue
            out += samples * gain[:, None].astype(np.float32)
            if new_gain > 0:
                cue.heard_s += float(np.count_nonzero(gain)) / RATE
        out *= master[:, None]
        np.clip(out, -1.0, 1.0, out=out)
        return out

    def _read(self, cue: Cue, t0: float, n: int) -> np.ndarray | None:
        dec = self._decoder(cue)
        if dec is None:
            return None
        index = round((t0 - cue.zero) * RATE)
        try:
            length = round(dec.loop_length * RATE) if cue.loop and dec.loop_length else None
            if length is None or index < 0:
                return dec.read(index, n)
            i = index % length
            if i + n <= length:
                return dec.read(i, n)
            return np.concatenate([dec.read(i, length - i), dec.read(0, n - (length - i))])
        except AudioTrackError as exc:
            self._bad_track(cue, exc)
            return None

    def _decoder(self, cue: Cue) -> AudioDecoder | None:
        key = id(cue)
        if key in self._decoders:
            return self._decoders[key]
        dec = None
        if cue.path not in self._bad:
            try:
                dec = AudioDecoder(cue.path)
            except AudioTrackError as exc:
                self._bad_track(cue, exc)
                dec = None
            else:
                if dec.silent:
                    dec = None
        self._decoders[key] = dec
        return dec

    def _bad_track(self, cue: Cue, exc: Exception) -> None:
        dec = self._decoders.get(id(cue))
        if dec is not None:
            dec.close()
        self._decoders[id(cue)] = None
        if cue.path not in self._bad:
            self._bad.add(cue.path)
            log.warning(t("audio_bad_track", name=cue.path.name, error=exc))
