"""Small builders shared by the schedule tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from signage.config.models import HallConfig

SEOUL = ZoneInfo("Asia/Seoul")
DISPLAYS = {"front": {"size": [1920, 1080]}, "rear": {"size": [1920, 1080]}, "pillar": {"size": [1080, 1920]}}


def config(**schedule) -> HallConfig:
    schedule.setdefault("default", {d: "house" for d in DISPLAYS})
    return HallConfig.model_validate({"hall": "test", "displays": DISPLAYS, "schedule": schedule})


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SEOUL)
