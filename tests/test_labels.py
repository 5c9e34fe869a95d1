"""Wall names and item kinds as people read them; walls named as ``front,pillar``; log times."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest

from signage.config.models import DisplaySpec, HallConfig
from signage.i18n import kind_label, set_language, split_displays
from signage.logs import HallTimeFormatter

NAMES = ("front", "rear", "pillar")


@pytest.fixture(autouse=True)
def korean():
    set_language("ko")
    yield
    set_language(None)


def test_a_wall_without_a_label_is_called_by_its_korean_name():
    # GIVEN a hall whose pillar has its own label and whose front has none
    from signage.config.hall import Hall

    config = HallConfig.model_validate({
        "hall": "창조홀", "displays": {"front": {"size": [1920, 1080]},
                                      "pillar": {"size": [1080, 1920], "label": "기둥 (입구 쪽)"},
                                      "side": {"size": [640, 480]}},
        "schedule": {"default": {"front": "a", "pillar": "a", "side": "a"}},
    })
    hall = Hall(config, root=None, config_path=None)  # type: ignore[arg-type]
    # WHEN the walls are named THEN the label wins, front is 전면, an unknown id stays as it is
    assert hall.label("pillar") == "기둥 (입구 쪽)"
    assert hall.label("front") == "전면"
    assert hall.label("side") == "side"
    set_language("en")
    assert hall.label("front") == "front"
    assert DisplaySpec(size=(10, 10)).label is None


def test_item_kinds_read_in_korean():
    assert [kind_label(k) for k in ("image", "video", "slide", "folder")] == ["사진", "영상", "슬라이드", "사진 폴더"]
    assert kind_label("mystery") == "mystery"


@pytest.mark.parametrize(("wanted", "expected"), [
    (None, None), ("", None), ("front", ("front",)), ("front,pillar", ("front", "pillar")),
    ("pillar, front", ("front", "pillar")), (["rear", "front,pillar"], ("front", "rear", "pillar")),
    ("all", NAMES), (["all"], NAMES),
])
def test_walls_are_named_one_by_one_or_with_commas(wanted, expected):
    assert split_displays(wanted, NAMES) == expected


def test_an_unknown_wall_is_named_with_the_ones_that_exist():
    with pytest.raises(ValueError, match="알 수 없는 화면: side — 쓸 수 있는 화면: front, rear, pillar"):
        split_displays("front,side", NAMES)


def test_log_lines_carry_the_halls_time():
    # GIVEN a log record made at 05:00 UTC
    record = logging.LogRecord("signage", logging.INFO, __file__, 1, "hello", None, None)
    record.created = dt.datetime(2026, 12, 3, 5, 0, tzinfo=dt.UTC).timestamp()
    record.msecs = 0
    # WHEN it is formatted for a hall in Seoul THEN it reads 14:00 with the +0900 offset
    line = HallTimeFormatter(ZoneInfo("Asia/Seoul")).format(record)
    assert line.startswith("2026-12-03 14:00:00.000+0900 INFO signage: hello")
