"""A private PulseAudio server with a null sink, and a recorder of its monitor: sound measured
without a sound card (the tests and ``signage bench``).

The server runs as a child process with its own runtime directory and socket; clients reach it
through ``PULSE_SERVER``. The recorder stamps what it records on the monotonic clock from the
record stream's reported latency, independently of the playback stream under test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from signage.audio import RATE


def missing_tools() -> str | None:
    """Why a null-sink server cannot be started here, or None."""
    if shutil.which("pulseaudio") is None:
        return "pulseaudio is not installed (Debian: apt-get install pulseaudio)"
    try:
        import pasimple  # noqa: F401
        import pulsectl  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"the PulseAudio client libraries are missing: {exc}"
    return None


class NullSinkServer:
    def __init__(self, sink: str = "hall", description: str = "Hall-PA"):
        self.sink, self.description = sink, description
        self.dir = Path(tempfile.mkdtemp(prefix="signage-pulse-"))
        self.socket = self.dir / "native"
        self.address = f"unix:{self.socket}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> str:
        conf = self.dir / "server.pa"
        conf.write_text(
            f"load-module module-null-sink sink_name={self.sink} rate={RATE} "
            f"sink_properties=device.description={self.description}\n"
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n",
            encoding="utf-8")
        env = {**os.environ, "XDG_RUNTIME_DIR": str(self.dir), "PULSE_RUNTIME_PATH": str(self.dir),
               "HOME": str(self.dir)}
        env.pop("PULSE_SERVER", None)
        self.proc = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--system=false", "-n", "-F", str(conf),
             "--log-target=stderr", "--log-level=error", "--realtime=no", "--high-priority=no"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self._ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the private PulseAudio server did not start")
            time.sleep(0.05)
        return self.address

    def _ready(self) -> bool:
        if not self.socket.exists():
            return False
        import pulsectl

        try:
            with pulsectl.Pulse("signage-probe", server=self.address) as pulse:
                return any(s.name == self.sink for s in pulse.sink_list())
        except pulsectl.PulseError:
            return False

    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def remove_sink(self) -> None:
        """The device is unplugged."""
        import pulsectl

        with pulsectl.Pulse("signage-test", server=self.address) as pulse:
            for module in pulse.module_list():
                if module.name == "module-null-sink":
                    pulse.module_unload(module.index)

    def add_sink(self) -> None:
        """The device is plugged back in."""
        import pulsectl

        with pulsectl.Pulse("signage-test", server=self.address) as pulse:
            pulse.module_load("module-null-sink", f"sink_name={self.sink} rate={RATE} "
                                                  f"sink_properties=device.description={self.description}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class MonitorRecorder:
    """Records the sink's monitor (mono) in a thread; ``times()`` maps samples to monotonic time."""

    CHUNK = 480  # 10 ms

    def __init__(self, server: str, source: str = "hall.monitor", monotonic=time.monotonic):
        import pasimple

        self._monotonic = monotonic
        self._stream = pasimple.PaSimple(pasimple.PA_STREAM_RECORD, pasimple.PA_SAMPLE_FLOAT32LE, 1, RATE,
                                         app_name="signage-recorder", server_name=server, device_name=source,
                                         fragsize=self.CHUNK * 4)
        self._chunks: list[np.ndarray] = []
        self._stamps: list[tuple[int, float]] = []  # (index of a chunk's first sample, its monotonic time)
        self._count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            data = self._stream.read(self.CHUNK * 4)
            latency = self._stream.get_latency() / 1e6
            now = self._monotonic()
            # the chunk's last sample was captured `latency` ago (what is still buffered, plus the source's own)
            self._stamps.append((self._count, now - latency - (self.CHUNK - 1) / RATE))
            self._chunks.append(np.frombuffer(data, np.float32))
            self._count += self.CHUNK

    def stop(self) -> tuple[np.ndarray, float, float]:
        """(samples, zero, scale): sample ``i`` was heard at monotonic ``zero + scale * i / RATE``.

        A line is fitted through every chunk's stamp (the first tenth, while the stream settles,
        and outliers left out): the sink's own clock may run tens of ppm off the monotonic one,
        like a sound card's, and the measurement must see that drift rather than hide it.
        """
        self._stop.set()
        self._thread.join(2.0)
        self._stream.close()
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
        stamps = np.array(self._stamps[len(self._stamps) // 10:], float)
        if len(stamps) < 10:
            return samples, (float(stamps[0, 1]) if len(stamps) else 0.0), 1.0
        x, y = stamps[:, 0] / RATE, stamps[:, 1]
        keep = np.ones(len(x), bool)
        for _ in range(3):
            slope, zero = np.polyfit(x[keep], y[keep], 1)
            residual = y - (slope * x + zero)
            spread = np.median(np.abs(residual[keep] - np.median(residual[keep]))) or 1e-4
            keep = np.abs(residual) < 4 * spread + 1e-4
        return samples, float(zero), float(slope)


def onsets(samples: np.ndarray, zero: float, scale: float = 1.0, threshold: float = 0.1,
           gap: float = 0.5) -> list[float]:
    """Monotonic times where a beep begins: the first millisecond louder than ``threshold`` after
    at least ``gap`` seconds of quiet (sample ``i`` at ``zero + scale * i / RATE``)."""
    window = RATE // 1000
    n = len(samples) // window
    level = np.abs(samples[: n * window]).reshape(n, window).max(axis=1)
    found, last = [], -1e9
    for i in np.flatnonzero(level > threshold):
        if i - last > gap * 1000:
            # within the first loud millisecond: the first sample over the threshold
            chunk = np.abs(samples[i * window:(i + 1) * window])
            j = int(np.argmax(chunk > threshold))
            found.append(zero + scale * (i * window + j) / RATE)
        last = i
    return found
