"""Message holds in two styles: 안내 (notice, the hall's navy) and 긴급 (urgent, red, the default)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from signage.control.operations import CommandError
from signage.playback.holds import MessageStyle
from tests.helpers import at
from tests.test_control_api import TOKEN, Hall, api  # noqa: F401

NAVY, RED = (0x00, 0x33, 0x66), (0xB0, 0x00, 0x20)


def _post(port, command, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/{command}", json.dumps(body).encode(),
                                     {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as r:
        return json.loads(r.read())


def _rendered(step, size):
    from signage.display.slides import render_slide

    return render_slide(step.slide, size, step.background, Path("."))


@pytest.mark.parametrize("style, colour, word", [("notice", NAVY, "안내"), ("urgent", RED, "긴급"), (None, RED, "긴급")])
def test_the_planner_draws_each_style_in_its_colour_with_its_word(tmp_path, style, colour, word):
    # GIVEN a hall WHEN a message in a style (or none: urgent, as before) is put on the pillar
    h = Hall(tmp_path / "hall")
    now = at("2026-12-03 10:00:00")
    h.ops.message("잠시 후 시작합니다", "pillar", now, "test", style=style)
    showing = h.planner.showing(h.timeline, "pillar", now)
    # THEN the slide is the message in white on the style's colour, with the style's word under it
    slide = showing.step.slide
    assert (slide.title, slide.body, slide.color) == ("잠시 후 시작합니다", word, "#ffffff")
    assert showing.step.background == MessageStyle(style or "urgent").background
    # AND the pixels: the corners are the style's colour, and there is white text
    canvas = _rendered(showing.step, (270, 480))
    assert tuple(int(v) for v in canvas[2, 2][:3][::-1]) == colour  # canvases are BGRA
    assert (canvas[..., :3].min(axis=-1) > 230).sum() > 200


def test_an_unknown_style_is_refused_and_changes_nothing(tmp_path):
    h = Hall(tmp_path / "hall")
    with pytest.raises(CommandError) as refused:
        h.ops.message("공지", "front", at("2026-12-03 10:00:00"), "test", style="shouting")
    assert refused.value.status == 400 and "notice, urgent" in str(refused.value)
    assert h.held == {}


def test_the_control_api_carries_the_style_to_the_hold_and_the_status(api):  # noqa: F811
    # GIVEN a playing hall WHEN a notice is posted with "style": "notice" on two walls
    reply = _post(api.port, "message", {"text": "3층 세미나실로 오세요", "display": "front,rear", "style": "notice"})
    # THEN the answer, the holds and the status all say notice
    assert reply["style"] == "notice"
    assert {d: h.style for d, h in api.live.operator.holds.items()} == {"front": MessageStyle.NOTICE,
                                                                         "rear": MessageStyle.NOTICE}
    status = api.ops.status(api.clock.now())
    assert status["displays"]["front"]["hold"]["style"] == "notice"
    # AND a message without a style is urgent, as it always was
    assert _post(api.port, "message", {"text": "대피하세요", "display": "pillar"})["style"] == "urgent"
    assert api.live.operator.holds["pillar"].style is MessageStyle.URGENT
