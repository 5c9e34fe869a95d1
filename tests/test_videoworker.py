"""The decoding thread of one video step, driven the way the player's ticks drive it."""

from __future__ import annotations

import time

from signage.display.videoworker import QUEUE, VideoWorker
from signage.media.videofit import VideoFitter
from signage.playback.steps import Step
from tests.media_factory import write_clip


def _full(worker: VideoWorker, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        with worker._cond:
            if len(worker._frames) >= QUEUE and worker._frames[0].canvas is not None:
                return
        assert time.monotonic() < deadline, "the decoder did not fill its queue"
        time.sleep(0.002)


def test_ticks_that_take_no_frame_do_not_wake_the_decoder(tmp_path):
    # GIVEN a playing clip whose decoder has filled its queue and waits for room
    clip = write_clip(tmp_path / "c.mp4", seconds=1.0)
    step = Step(0, "video", clip, None, 1.0, "contain", ("cut", 0.0), "#000000")
    worker = VideoWorker(step, 0.0, VideoFitter((320, 180), "contain", "#000000"), 1.0)
    worker.activate()
    try:
        _full(worker)
        wakes = []
        notify_all = worker._cond.notify_all
        worker._cond.notify_all = lambda: (wakes.append(1), notify_all())
        first = worker.peek_pts()
        # WHEN the player ticks ten times before the first frame is due
        for _ in range(10):
            assert worker.take_due(first - 0.01) == (None, 0)
        # THEN the decoding thread is left asleep; taking the frame makes room and wakes it once
        assert wakes == []
        frame, skipped = worker.take_due(first)
        assert frame is not None and frame.canvas is not None and skipped == 0
        assert wakes == [1]
    finally:
        worker.stop()
        worker.join()
