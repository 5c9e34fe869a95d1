"""One wall's playback: follows the planner, prepares the next step early, paces video frames.

``tick(timeline, now, mono)`` is called often (every few ms) by the player; it returns a new
canvas when the wall's picture changes (or a ``VideoPicture``: a clip's frame at the wall's own
size, converted by the window itself), and None when it stays as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from signage.display.compositor import Compositor
from signage.display.videoworker import VideoWorker
from signage.i18n import t
from signage.media import MediaError
from signage.media.bgra import VideoPicture
from signage.media.fade import Fader
from signage.playback.planner import Planner, Showing
from signage.playback.records import Outcome, PlayLog, PlayRecord
from signage.schedule.timeline import Timeline
from signage.timefmt import iso

log = logging.getLogger("signage.player")

PRELOAD_S = 2.0  # stills are rendered this long before they are due
PRELOAD_VIDEO_S = 1.0  # a decoder is opened this long before (each one holds frames in memory)
FADE_FPS = 30.0
RECORD_EVERY_S = 2.0  # an item's open play record is brought up to date this often (a SIGKILL loses less)


@dataclass
class DisplayStats:
    frames_presented: int = 0
    frames_expected: int = 0
    frames_late: int = 0
    frames_dropped: int = 0
    items_shown: int = 0
    items_failed: int = 0
    items_unrecorded: int = 0  # of items_shown, black or a frozen picture: nothing new shown, no play record
    frames_decoded: int = 0  # by every decoder, shown or not (prepared, dropped, skipped to a start)
    switch_delays_ms: list[float] = field(default_factory=list)
    # black the schedule and the operator did not ask for (nothing on the wall yet, or a black
    # canvas while the wall should play): the longest stretch and the sum, in monotonic seconds
    unscheduled_black_max_s: float = 0.0
    unscheduled_black_s: float = 0.0

    def to_json(self) -> dict:
        delays = sorted(self.switch_delays_ms)
        return {
            "frames_presented": self.frames_presented,
            "frames_expected": self.frames_expected,
            "frames_late": self.frames_late,
            "frames_dropped": self.frames_dropped,
            "items_shown": self.items_shown,
            "items_failed": self.items_failed,
            "items_unrecorded": self.items_unrecorded,
            "frames_decoded": self.frames_decoded,
            "switch_delay_ms_max": round(delays[-1], 2) if delays else None,
            "switch_delay_ms_p95": round(delays[int(0.95 * (len(delays) - 1))], 2) if delays else None,
            "unscheduled_black_max_s": round(self.unscheduled_black_max_s, 3),
            "unscheduled_black_s": round(self.unscheduled_black_s, 3),
        }


@dataclass
class _Active:
    showing: Showing
    zero_mono: float  # monotonic time at offset 0 of the step
    started: dt.datetime
    due_mono: float  # when its first frame should be on the wall
    still: Future | None = None
    worker: VideoWorker | None = None
    previous: np.ndarray | None = None  # the picture it fades in from, while it fades
    presented: int = 0
    dropped: int = 0
    shown_once: bool = False
    failed: str | None = None
    last_fade_mono: float = -1.0
    interval: float | None = None
    cold: bool = False  # decoder opened at the switch: pace from its first frame
    serial: int = 0
    started_mono: float = 0.0  # durations are measured on the monotonic clock (NTP may step the wall clock)
    end_mono: float | None = None  # when the step is due to end, on the monotonic clock
    record_key: str | None = None  # its play record's key, while it has one
    recorded_mono: float = 0.0  # when its play record was last brought up to date


@dataclass
class _Prepared:
    showing: Showing
    still: Future | None = None
    worker: VideoWorker | None = None

    def discard(self) -> int:
        """Stop its decoder; how many frames it decoded for nothing."""
        if self.worker:
            self.worker.stop()
            return self.worker.decoded
        return 0


class DisplayRunner:
    def __init__(self, name: str, planner: Planner, compositor: Compositor, pool: ThreadPoolExecutor,
                 play_log: PlayLog | None = None):
        self.name = name
        self.planner = planner
        self.compositor = compositor
        self.pool = pool
        self.play_log = play_log
        self.stats = DisplayStats()
        self.active: _Active | None = None
        self.last_canvas: np.ndarray | VideoPicture | None = None
        self.fader = Fader()  # this wall's fades are drawn into memory it keeps
        self._prepared: dict[tuple, _Prepared] = {}
        self._context: tuple | None = None
        # The step whose successor is prepared, by serial number: holding the _Active itself kept
        # a finished clip's decoder queue and filter graph alive through the next step.
        self._serial = 0
        self._preloaded_for = -1
        self._last_mono: float | None = None
        self._black_since: float | None = None  # monotonic start of unscheduled black now
        self._black_seen: float | None = None  # last tick inside that stretch
        self.audio = None  # sound: signage.audio.hall.HallSound, set by the player (hooks marked "sound")

    # ---- the tick ----------------------------------------------------------------------------

    def tick(self, timeline: Timeline, now: dt.datetime, mono: float) -> np.ndarray | VideoPicture | None:
        self._last_mono = mono
        if not self._still_current(timeline, now):
            showing = self.planner.showing(timeline, self.name, now)
            if self.active is None or showing.identity != self.active.showing.identity:
                self._switch(showing, now, mono)
            self._context = (timeline, self.planner, self.planner.catalog.version, self.planner.manual.version,
                             self.planner.operator.version)
        canvas = self._frame(mono)
        if canvas is not None:
            self.last_canvas = canvas
        if self._preloaded_for != self.active.serial:
            self._preload(timeline, self.active.showing, now)
        a = self.active
        if a.record_key is not None and mono - a.recorded_mono >= RECORD_EVERY_S:
            self._record(a, now, mono, Outcome.PLAYING)
        self._watch_black(a, mono)
        return canvas

    def _watch_black(self, a: _Active, mono: float) -> None:
        """Measure black on the wall that nobody asked for: before the first picture, or a black
        canvas while the plan is to play (dark hours and an operator's black are asked for)."""
        black = self.last_canvas is None or self.last_canvas is self.compositor.black
        if not black or a.showing.mode == "dark":
            if self._black_since is not None:
                self._end_black()
            return
        if self._black_since is None:
            self._black_since = mono
        self._black_seen = mono
        stretch = mono - self._black_since
        self.stats.unscheduled_black_max_s = max(self.stats.unscheduled_black_max_s, stretch)

    def _end_black(self) -> None:
        self.stats.unscheduled_black_s += (self._black_seen or self._black_since) - self._black_since
        self._black_since = self._black_seen = None

    def next_wakeup(self, now: dt.datetime, mono: float) -> float:
        """Monotonic time of this wall's next event: a frame due, a fade step, a preload, a switch."""
        a = self.active
        soon = mono + 0.004
        if a is None or a.failed:
            return soon
        end = a.showing.step_end
        end_mono = mono + (end - now).total_seconds() if end is not None else None
        if a.worker is not None:
            first = a.worker.peek_pts()
            if first is None or a.cold:
                return soon if end_mono is None else min(soon, end_mono)  # waiting for the decoder
            due = a.zero_mono + first
            return due if end_mono is None else min(due, end_mono)
        if a.still is not None and not a.still.done():
            return soon
        if a.still is not None and self.compositor.fade_amount(a.showing.step, mono - a.zero_mono) is not None:
            return max(soon, a.last_fade_mono + 1.0 / FADE_FPS)
        end = a.showing.step_end
        if end is None:
            return mono + 0.25
        until_end = (end - now).total_seconds()
        lead = until_end - PRELOAD_S if self._preloaded_for != a.serial else until_end
        return mono + (lead if lead > 0 else until_end)

    def _still_current(self, timeline: Timeline, now: dt.datetime) -> bool:
        """True while nothing the plan depends on has moved: same step, same inputs."""
        a = self.active
        if a is None or a.failed:
            return False
        context = (timeline, self.planner, self.planner.catalog.version, self.planner.manual.version,
                   self.planner.operator.version)
        if context != self._context:
            return False
        end = a.showing.step_end
        if end is None:  # held (manual deck, freeze): only an operator move changes it
            return a.showing.operator is not None or a.showing.slot is None or now < a.showing.slot.end
        return a.showing.step_start is not None and a.showing.step_start <= now < end

    def _frame(self, mono: float) -> np.ndarray | None:
        a = self.active
        if a.failed:
            return None
        step = a.showing.step
        if a.showing.mode == "freeze":
            return None  # hold the frame on the wall
        if a.showing.mode == "dark" or step is None:
            if a.shown_once:
                return None
            return self._present(a, self.compositor.black, mono, a.due_mono)
        if a.worker is not None:
            return self._video_frame(a, mono)
        if not a.still.done():
            return None  # hold the last good frame until it is ready
        try:
            still = a.still.result()
        except MediaError as exc:
            return self._fail(a, str(exc))
        offset = mono - a.zero_mono
        was_fading = a.previous is not None
        fading = was_fading and self._still_fading(a, offset)
        if a.shown_once and not was_fading:
            return None
        if a.shown_once and fading and mono - a.last_fade_mono < 1.0 / FADE_FPS:
            return None  # the fade's next step is not due yet (when it just ended: the picture itself)
        a.last_fade_mono = mono
        due = a.due_mono if not a.shown_once else mono  # fade frames are made when they are due
        return self._present(a, self.compositor.mix(a.previous, still, step, offset, self.fader), mono, due)

    def _video_frame(self, a: _Active, mono: float) -> np.ndarray | None:
        worker = a.worker
        if worker.error:
            return self._fail(a, worker.error)
        if a.cold:
            # A decoder opened just now (start-up, reload, an unprepared jump) needs a moment to
            # reach the schedule; rather than drop its first frames, start pacing at its first
            # frame. The wall runs that moment behind the schedule until the step ends.
            first = worker.peek_pts()
            if first is None:
                return None
            a.zero_mono = mono - first
            a.due_mono = mono
            a.cold = False
            if self.audio is not None:  # sound: the clip is placed on the clock only now
                self.audio.retime(self.name, a.zero_mono, mono)
        position = mono - a.zero_mono
        frame, skipped = worker.take_due(position)
        late_skips, worker.skipped_late = worker.skipped_late, 0
        skipped += late_skips
        if skipped:
            log.debug("%s: dropped %d frame(s) at %.2fs into %s", self.name, skipped, position, a.showing.step.label)
            a.dropped += skipped
            self.stats.frames_dropped += skipped
            self.stats.frames_expected += skipped
        if frame is None:
            return None
        step = a.showing.step
        if not step.loop and frame.pts >= step.duration - 1e-3:
            return None  # past the step's end: the next item is due, not this frame
        self.stats.frames_expected += 1
        if a.interval is None:
            a.interval = 1.0 / self.planner.catalog.video_fps(a.showing.step.path)
        interval = a.interval
        due = a.zero_mono + frame.pts
        canvas = frame.canvas
        if a.previous is not None and self._still_fading(a, position):
            canvas = self.compositor.mix(a.previous, canvas, a.showing.step, position, self.fader)
        return self._present(a, canvas, mono, max(due, a.due_mono), interval, count_expected=False)

    def _still_fading(self, a: _Active, offset: float) -> bool:
        """True during the step's fade-in; after it the old picture is let go."""
        if self.compositor.fade_amount(a.showing.step, offset) is None:
            a.previous = None
            return False
        return True

    def _present(self, a: _Active, canvas: np.ndarray, mono: float, due: float,
                 interval: float = 1 / 30, count_expected: bool = True) -> np.ndarray:
        if count_expected:
            self.stats.frames_expected += 1
        self.stats.frames_presented += 1
        if mono - due > interval:
            self.stats.frames_late += 1
        if not a.shown_once:
            a.shown_once = True
            if self.last_canvas is None:  # the very first frame: measured as first_frame_s instead
                a.presented += 1
                return canvas
            delay = max(0.0, (mono - a.due_mono) * 1000)
            self.stats.switch_delays_ms.append(delay)
            if delay > 1000 / 30:
                log.info("%s: %s shown %.0f ms after it was due", self.name,
                         a.showing.step.label if a.showing.step else a.showing.mode, delay)
        a.presented += 1
        return canvas

    def _fail(self, a: _Active, reason: str) -> None:
        a.failed = reason
        self.stats.items_failed += 1
        step = a.showing.step
        if step and step.path is not None:
            self.planner.catalog.mark_failed(step.path, reason)  # the planner leaves it out from now on
        return None

    # ---- switching and preparing -------------------------------------------------------------

    def _switch(self, showing: Showing, now: dt.datetime, mono: float) -> None:
        self._close(now, mono)
        offset = showing.offset
        zero = mono - offset
        due = mono if offset > 0.05 else zero  # a step we join late is due now
        fades = showing.step is not None and self.compositor.fade_amount(showing.step, 0.0) is not None
        self._serial += 1
        previous = self.fader.keep(self.last_canvas) if fades and self.last_canvas is not None else None
        a = _Active(showing, zero, now, due, previous=previous, serial=self._serial,
                    started_mono=mono)
        if showing.step_end is not None:
            a.end_mono = mono + (showing.step_end - now).total_seconds()
        prepared = self._prepared.pop(showing.identity, None)
        step = showing.step
        if step is not None and showing.mode != "dark":
            if step.kind == "video":
                if prepared and prepared.worker and abs(prepared.worker.start - offset) < 0.25:
                    a.worker = prepared.worker
                    a.worker.activate()
                else:
                    if prepared:
                        self.stats.frames_decoded += prepared.discard()
                    length = self.planner.catalog.video_length(step.path)
                    a.worker = VideoWorker(step, offset, self.compositor.video_fitter(step), length)
                    a.worker.activate()
                    a.cold = True
            else:
                a.still = prepared.still if prepared and prepared.still else self.pool.submit(self.compositor.still, step)
        self.active = a
        if self.play_log is not None and step is not None and showing.mode != "dark":
            a.record_key = uuid.uuid4().hex
            self._record(a, now, mono, Outcome.PLAYING)  # the row exists from the start: a SIGKILL keeps it
        if self.audio is not None:  # sound: follows the wall's step (holds fade it out)
            self.audio.switched(self.name, showing, a.zero_mono, now, mono, cold=a.cold)
        self.stats.items_shown += 1
        if showing.step is None or showing.mode == "dark":
            self.stats.items_unrecorded += 1
        if showing.mode == "fallback":
            log.warning(t("pl_fallback", wall=self.name, playlist=showing.slot.playlist))
        for key in [k for k, p in self._prepared.items() if p.showing.step_start and p.showing.step_start <= now]:
            self.stats.frames_decoded += self._prepared.pop(key).discard()

    def _preload(self, timeline: Timeline, showing: Showing, now: dt.datetime) -> None:
        end = showing.step_end
        if end is None or (end - now).total_seconds() > PRELOAD_S:
            return
        upcoming = self.planner.showing(timeline, self.name, end + dt.timedelta(microseconds=1))
        if upcoming.step is not None and upcoming.step.kind == "video" and (end - now).total_seconds() > PRELOAD_VIDEO_S:
            return
        self._preloaded_for = self.active.serial
        if self.audio is not None:  # sound: a planned cut or cross-fade lands on its sample
            self.audio.upcoming(self.name, upcoming, end)
        if upcoming.identity in self._prepared or upcoming.step is None or upcoming.mode == "dark":
            return
        prepared = _Prepared(upcoming)
        step = upcoming.step
        if step.kind == "video":
            length = self.planner.catalog.video_length(step.path)
            if length:
                prepared.worker = VideoWorker(step, upcoming.offset, self.compositor.video_fitter(step), length)
        else:
            prepared.still = self.pool.submit(self.compositor.still, step)
        self._prepared[upcoming.identity] = prepared

    def _close(self, now: dt.datetime, mono: float) -> None:
        a = self.active
        if a is None:
            return
        if a.worker is not None:
            a.worker.stop()
            # Let its decoder go before the next clip's canvases are made (when three walls switch
            # at once, the two generations side by side were the process's peak memory). The
            # thread is waiting or mid-frame: a few milliseconds, well inside one frame interval.
            a.worker.join(timeout=0.03)
            self.stats.frames_decoded += a.worker.decoded
        if a.record_key is not None:
            if a.failed is None and not a.shown_once:
                a.failed = self._failure_before_first_frame(a)
            if a.failed:
                outcome = Outcome.FAILED
            elif a.end_mono is None or mono >= a.end_mono - 0.1:
                outcome = Outcome.COMPLETED
            else:
                outcome = Outcome.CUT
            self._record(a, now, mono, outcome)
        self.active = None

    def _failure_before_first_frame(self, a: _Active) -> str | None:
        """Why an item that never reached the wall could not play, when it failed (a switch can
        come before the runner itself saw the failure: the catalog learns it on the render thread)."""
        if a.still is not None and a.still.done() and not a.still.cancelled() and a.still.exception() is not None:
            return str(a.still.exception())
        if a.worker is not None and a.worker.error:
            return a.worker.error
        step = a.showing.step
        return self.planner.catalog.failed(step.path) if step.path is not None else None

    def _record(self, a: _Active, now: dt.datetime, mono: float, outcome: Outcome) -> None:
        """Its play record as it stands: queued for the writer thread, nothing touches the disk here."""
        step, slot = a.showing.step, a.showing.slot
        playing = a.showing.mode == "play"
        a.recorded_mono = mono
        self.play_log.add(
            PlayRecord(
                display=self.name,
                playlist=slot.playlist if slot else None,
                source=slot.source if slot else None,
                slot_name=slot.name if slot else None,
                item_index=step.item_index if playing else None,
                kind=step.kind if playing else "fallback",
                asset=str(step.path) if step.path else None,
                page=None if step.page is None else step.page + 1,
                started=iso(a.started),
                ended=iso(now),
                duration_s=round(max(0.0, mono - a.started_mono), 3),
                planned_s=step.duration if a.showing.step_end else None,
                frames_presented=a.presented,
                frames_dropped=a.dropped,
                outcome=outcome,
                reason=a.failed,
                campaign_id=step.campaign,
                aloud_s=self.audio.aloud_s(self.name, a.showing.identity) if self.audio else None,  # sound
            ),
            a.record_key,
        )

    def shutdown(self, now: dt.datetime, mono: float | None = None) -> None:
        """Stop: the item on the wall is recorded as it stands (``mono``: the monotonic time now;
        by default the last tick's)."""
        if mono is None:
            mono = self._last_mono if self._last_mono is not None else (self.active.started_mono if self.active else 0.0)
        self._close(now, mono)
        for prepared in self._prepared.values():
            self.stats.frames_decoded += prepared.discard()
        self._prepared.clear()
