"""The sound server: list its outputs, and one playback stream to the chosen output.

Why the PulseAudio protocol (``pasimple`` for the stream, ``pulsectl`` for the list): a hall PC
runs PulseAudio or PipeWire (whose ``pipewire-pulse`` speaks the same protocol), and the names
operators see in the desktop's sound settings are that server's sink names and descriptions. The
server routes, mixes and survives device changes; we open one stream to the named sink and ask
it, before each write, how long until the next sample written is heard
(``pa_simple_get_latency``, interpolated by libpulse). PortAudio (``sounddevice``) would reach the
same server only through ALSA's pulse plugin, with ALSA device names instead of the sinks', and
a restart of the server would surface as ALSA errors. Both libraries are small ctypes bindings
of Debian's ``libpulse0``; nothing here is imported unless an ``audio:`` block asks for sound.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

import numpy as np

from signage.audio import CHANNELS, RATE


class OutputError(Exception):
    """The output cannot be opened or written (no server, no such device, server gone)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # "library", "server", "device", "lost"
        self.detail = detail


@dataclass(frozen=True)
class OutputInfo:
    name: str  # the server's sink name (what `device:` takes; the description works too)
    description: str
    default: bool


def list_outputs() -> tuple[str, list[OutputInfo]]:
    """(server description, its outputs). Raises OutputError when there is no server."""
    try:
        import pulsectl
    except (ImportError, OSError) as exc:
        raise OutputError("library", str(exc)) from None
    try:
        with pulsectl.Pulse("signage-list", connect=True) as pulse:
            info = pulse.server_info()
            default = info.default_sink_name
            sinks = [OutputInfo(s.name, s.description or s.name, s.name == default) for s in pulse.sink_list()]
            return f"{info.server_name} {info.server_version}", sinks
    except pulsectl.PulseError as exc:
        raise OutputError("server", str(exc)) from None


def find_output(wanted: str, outputs: list[OutputInfo]) -> OutputInfo | None:
    """The output named ``wanted`` (its sink name, or its description, case-insensitive)."""
    low = wanted.casefold()
    for out in outputs:
        if out.name == wanted or out.name.casefold() == low or out.description.casefold() == low:
            return out
    return None


def closest(wanted: str, outputs: list[OutputInfo]) -> str | None:
    names = [o.name for o in outputs] + [o.description for o in outputs]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5)
    return close[0] if close else None


# Samples per write (32 ms at 48 kHz) and how many the server keeps ahead (96 ms: an unplanned
# change, e.g. an operator's black, starts to be heard at most this late; planned cuts land on
# their sample). 1024 x 3 took 3.2% of a core in the sound thread, 1536 x 3 2.0% (wake-ups).
CHUNK = 1536
BUFFER_CHUNKS = 3


class PulseOutput:
    """One float32 stereo playback stream; ``write`` blocks while the server's buffer is full."""

    def __init__(self, device: str | None, app_name: str = "signage"):
        try:
            import pasimple
        except (ImportError, OSError) as exc:
            raise OutputError("library", str(exc)) from None
        self._pasimple = pasimple
        frame = 4 * CHANNELS
        try:
            self._stream = pasimple.PaSimple(
                pasimple.PA_STREAM_PLAYBACK, pasimple.PA_SAMPLE_FLOAT32LE, CHANNELS, RATE,
                app_name=app_name, stream_name="LED wall sound", device_name=device,
                tlength=CHUNK * BUFFER_CHUNKS * frame, prebuf=CHUNK * frame, minreq=CHUNK * frame,
                maxlength=CHUNK * BUFFER_CHUNKS * 4 * frame)
        except pasimple.PaSimpleError as exc:
            raise OutputError("server" if device is None else "device", str(exc)) from None
        self.device = device

    def latency(self) -> float:
        """Seconds until the next sample written is heard."""
        try:
            return self._stream.get_latency() / 1e6
        except self._pasimple.PaSimpleError as exc:
            raise OutputError("lost", str(exc)) from None

    def write(self, samples: np.ndarray) -> None:
        try:
            self._stream.write(np.ascontiguousarray(samples, np.float32).tobytes())
        except self._pasimple.PaSimpleError as exc:
            raise OutputError("lost", str(exc)) from None

    def close(self) -> None:
        self._stream.close()


def server_named() -> str:
    """Where the stream goes, for the log: ``$PULSE_SERVER`` or the user's own server."""
    return os.environ.get("PULSE_SERVER") or "PulseAudio/PipeWire"
