"""A clip's sound through PyAV: decoded and resampled to float stereo at ``RATE``, read by position.

``read(index, n)`` returns the samples ``[index, index + n)`` of the clip (sample 0 is the clip's
position 0): contiguous reads just continue decoding; a jump forward of under a second is decoded
through and dropped, any other jump seeks. Before the clip's start and past the end of its sound
the samples are silence. A clip without an audio track is silence throughout.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from signage.audio import CHANNELS, RATE

SKIP_MAX = RATE  # a jump forward up to this many samples is decoded through rather than sought
GAP = int(0.02 * RATE)  # timestamps further off than this from contiguous are honoured (gaps, overlaps)


class AudioTrackError(Exception):
    """The clip's audio cannot be read (corrupt track, unknown codec)."""


class AudioDecoder:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._container = None
        self._frames = None
        try:
            self._container = av.open(str(self.path), metadata_errors="ignore")
        except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
            raise AudioTrackError(str(exc)) from None
        streams = self._container.streams.audio
        self.silent = not streams
        self.loop_length = None
        if self.silent:
            self.close()
            return
        video = self._container.streams.video
        rate = (video[0].average_rate or video[0].guessed_rate) if video else None
        # the length a looping step repeats at: the picture's (frames / fps), as the video worker loops
        self.loop_length = float(video[0].frames / rate) if video and video[0].frames and rate else None
        self._stream = streams[0]
        self._stream.codec_context.thread_count = 1
        self._base = self._stream.time_base
        self._start = self._stream.start_time or 0
        self._buf = np.zeros((0, CHANNELS), np.float32)
        self._buf_start = 0  # sample index of _buf[0]
        self._next: int | None = None  # the index a contiguous read would ask for
        self._eof = False
        self._resampler = None
        self._opened = False  # decoded from since it was opened (a return to 0 reopens)

    # ---- reading -----------------------------------------------------------------------------

    def read(self, index: int, n: int) -> np.ndarray:
        out = np.zeros((n, CHANNELS), np.float32)
        if self.silent:
            return out
        behind = self._buf_start is not None and index < self._buf_start
        if self._next is None or not (0 <= index - self._next <= SKIP_MAX) or behind:
            self._seek(index)
        self._next = index + n
        if index + n <= 0:
            return out
        while not self._eof and (self._buf_start is None or self._buf_start + len(self._buf) < index + n):
            self._decode_one()
        if self._buf_start is None:
            return out
        lo = max(index, self._buf_start)
        hi = min(index + n, self._buf_start + len(self._buf))
        if hi > lo:
            out[lo - index:hi - index] = self._buf[lo - self._buf_start:hi - self._buf_start]
        keep = max(0, index + n - self._buf_start)  # drop what has been read
        if keep:
            self._buf = self._buf[keep:]
            self._buf_start += keep
        return out

    def _seek(self, index: int) -> None:
        seconds = max(0.0, index / RATE - 0.05)
        if self._frames is not None:
            self._frames.close()
            self._frames = None
        try:
            if seconds > 0:
                self._container.seek(int(seconds / self._base) + self._start, stream=self._stream, backward=True)
            elif self._opened:
                # back to the start: reopened, not sought, so the codec's priming samples are
                # trimmed again (a seek to 0 loses that and shifts the sound by up to a frame)
                self._container.close()
                self._container = av.open(str(self.path), metadata_errors="ignore")
                self._stream = self._container.streams.audio[0]
                self._stream.codec_context.thread_count = 1
        except (av.FFmpegError, OSError) as exc:
            raise AudioTrackError(str(exc)) from None
        self._opened = True
        self._resampler = av.AudioResampler(format="flt", layout="stereo", rate=RATE)
        self._buf = np.zeros((0, CHANNELS), np.float32)
        self._buf_start = None
        self._eof = False

    def _decode_one(self) -> None:
        if self._frames is None:
            self._frames = self._container.decode(self._stream)
        try:
            frame = next(self._frames, None)
        except av.FFmpegError as exc:
            raise AudioTrackError(str(exc)) from None
        if frame is None:
            self._eof = True
            if self._buf_start is None:
                self._buf_start = 0
            return
        at = None if frame.pts is None else round(float((frame.pts - self._start) * self._base) * RATE)
        for out in self._resampler.resample(frame):
            samples = out.to_ndarray().reshape(-1, CHANNELS)
            self._append(samples, at)
            at = None

    def _append(self, samples: np.ndarray, at: int | None) -> None:
        if self._buf_start is None:
            self._buf_start = at if at is not None else 0
            self._buf = samples
            return
        end = self._buf_start + len(self._buf)
        if at is not None and at - end > GAP:  # a gap in the track: silence
            samples = np.concatenate([np.zeros((at - end, CHANNELS), np.float32), samples])
        elif at is not None and end - at > GAP:  # overlapping timestamps: keep the earlier samples
            samples = samples[end - at:]
        self._buf = np.concatenate([self._buf, samples]) if len(self._buf) else samples

    def close(self) -> None:
        if self._frames is not None:
            self._frames.close()
            self._frames = None
        if self._container is not None:
            self._container.close()
            self._container = None
