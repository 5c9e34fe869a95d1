"""Schedule layers, table-driven: GIVEN a schedule, WHEN resolved, THEN this plays at these times."""

from __future__ import annotations

import pytest

from signage.schedule import resolve
from tests.helpers import at, config

LUNCH = {"name": "lunch", "days": ["mon", "tue", "wed", "thu", "fri"], "start": "11:30", "end": "13:30",
         "displays": {"pillar": "promos"}}
IR_DAY = {"name": "IR day", "start": "2026-12-03 14:00", "end": "2026-12-03 17:30",
          "displays": {"front": {"playlist": "deck", "advance": "manual"}, "rear": "stage"}}

# (what, schedule, display, time, expected (playlist, source, name))
CASES = [
    ("default loop when nothing else", {}, "front", "2026-12-03 10:00", ("house", "default", None)),
    ("dark hours blank the walls", {"dark": {"start": "23:00", "end": "07:00"}}, "front",
     "2026-12-04 02:00", (None, "dark", None)),
    ("dark ends on time", {"dark": {"start": "23:00", "end": "07:00"}}, "front", "2026-12-04 07:00",
     ("house", "default", None)),
    ("weekday daypart on a Thursday", {"dayparts": [LUNCH]}, "pillar", "2026-12-03 12:00",
     ("promos", "daypart", "lunch")),
    ("daypart names only pillar: front falls through", {"dayparts": [LUNCH]}, "front",
     "2026-12-03 12:00", ("house", "default", None)),
    ("weekday daypart not on Saturday", {"dayparts": [LUNCH]}, "pillar", "2026-12-05 12:00",
     ("house", "default", None)),
    ("skip_holidays: Christmas 2026 is a Friday holiday",
     {"dayparts": [{**LUNCH, "skip_holidays": True}]}, "pillar", "2026-12-25 12:00",
     ("house", "default", None)),
    ("without skip_holidays the daypart plays on Christmas", {"dayparts": [LUNCH]}, "pillar",
     "2026-12-25 12:00", ("promos", "daypart", "lunch")),
    ("skip_holidays: Chuseok 2026-09-25 is skipped",
     {"dayparts": [{**LUNCH, "skip_holidays": True}]}, "pillar", "2026-09-25 12:00",
     ("house", "default", None)),
    ("event beats daypart", {"dayparts": [{**LUNCH, "start": "13:00", "end": "18:00",
                                            "displays": {"front": "promos"}}], "events": [IR_DAY]},
     "front", "2026-12-03 15:00", ("deck", "event", "IR day")),
    ("event plays inside dark hours", {"dark": {"start": "13:00", "end": "20:00"}, "events": [IR_DAY]},
     "front", "2026-12-03 15:00", ("deck", "event", "IR day")),
    ("dark resumes after an event inside it", {"dark": {"start": "13:00", "end": "20:00"},
                                               "events": [IR_DAY]}, "front", "2026-12-03 17:30",
     (None, "dark", None)),
    ("event ends: back to the layer below", {"events": [IR_DAY]}, "front", "2026-12-03 17:30",
     ("house", "default", None)),
    ("event not naming pillar: pillar falls through", {"events": [IR_DAY]}, "pillar",
     "2026-12-03 15:00", ("house", "default", None)),
    ("higher priority daypart wins",
     {"dayparts": [{**LUNCH, "name": "high", "priority": 5, "displays": {"pillar": "a"}},
                   {**LUNCH, "name": "low", "priority": 1, "displays": {"pillar": "b"}}]},
     "pillar", "2026-12-03 12:00", ("a", "daypart", "high")),
    ("equal priority: later listed wins",
     {"dayparts": [{**LUNCH, "name": "first", "displays": {"pillar": "a"}},
                   {**LUNCH, "name": "second", "displays": {"pillar": "b"}}]},
     "pillar", "2026-12-03 12:00", ("b", "daypart", "second")),
    ("window crossing midnight belongs to its start day",
     {"dayparts": [{"name": "late", "days": ["fri"], "start": "22:00", "end": "02:00",
                    "displays": {"front": "night"}}]}, "front", "2026-12-05 01:00",
     ("night", "daypart", "late")),
    ("…and does not start on the next day",
     {"dayparts": [{"name": "late", "days": ["fri"], "start": "22:00", "end": "02:00",
                    "displays": {"front": "night"}}]}, "front", "2026-12-06 01:00",
     ("house", "default", None)),
    ("date range: before from", {"dayparts": [{**LUNCH, "from": "2026-12-10", "until": "2026-12-20"}]},
     "pillar", "2026-12-09 12:00", ("house", "default", None)),
    ("date range: inside", {"dayparts": [{**LUNCH, "from": "2026-12-10", "until": "2026-12-20"}]},
     "pillar", "2026-12-10 12:00", ("promos", "daypart", "lunch")),
    ("date range: until is inclusive", {"dayparts": [{**LUNCH, "from": "2026-12-10", "until": "2026-12-18"}]},
     "pillar", "2026-12-18 12:00", ("promos", "daypart", "lunch")),
    ("explicit dates list", {"dayparts": [{**LUNCH, "dates": ["2026-12-05"], "days": ["sat"]}]},
     "pillar", "2026-12-05 12:00", ("promos", "daypart", "lunch")),
    ("explicit dates list excludes other days", {"dayparts": [{**LUNCH, "dates": ["2026-12-05"]}]},
     "pillar", "2026-12-04 12:00", ("house", "default", None)),
    ("24:00 means end of day", {"dayparts": [{**LUNCH, "start": "20:00", "end": "24:00"}]}, "pillar",
     "2026-12-03 23:59", ("promos", "daypart", "lunch")),
]


@pytest.mark.parametrize(("what", "schedule", "display", "when", "expected"), CASES, ids=[c[0] for c in CASES])
def test_layers(what, schedule, display, when, expected):
    # GIVEN a schedule
    cfg = config(**schedule)
    # WHEN the day is resolved
    timeline = resolve(cfg, at("2026-01-01 00:00"), at("2027-01-01 00:00"))
    # THEN the display plays the expected playlist, for the expected reason
    slot = timeline.at(display, at(when))
    assert (slot.playlist, slot.source, slot.name) == expected


def test_manual_advance_is_carried_to_the_slot():
    timeline = resolve(config(events=[IR_DAY]), at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    assert timeline.at("front", at("2026-12-03 14:00")).advance == "manual"
    assert timeline.at("rear", at("2026-12-03 14:00")).advance == "auto"


def test_adjacent_slots_with_same_playlist_merge():
    # GIVEN two back-to-back dayparts that play the same thing for the same reason
    part = {**LUNCH, "start": "10:00", "end": "11:00"}
    cfg = config(dayparts=[part])
    # WHEN resolving several days
    timeline = resolve(cfg, at("2026-12-03 00:00"), at("2026-12-05 00:00"))
    # THEN default time between occurrences is one slot each, not one per boundary
    assert [(s.start.hour, s.end.hour) for s in timeline.by_display["front"]] == [(0, 0)]
    assert len(timeline.by_display["pillar"]) == 5


def test_output_times_carry_the_hall_offset():
    timeline = resolve(config(), at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    data = timeline.to_json()
    assert data["timezone"] == "Asia/Seoul"
    assert data["from"] == "2026-12-03T00:00:00+09:00"
    assert data["slots"][0]["start"].endswith("+09:00")
    assert set(data["slots"][0]) >= {"display", "start", "end", "playlist", "source", "name"}


def test_window_given_in_utc_is_resolved_in_hall_time():
    import datetime as dt

    utc = dt.UTC
    start = dt.datetime(2026, 12, 3, 5, 0, tzinfo=utc)  # 14:00 in Seoul
    timeline = resolve(config(events=[IR_DAY]), start, start + dt.timedelta(hours=1))
    assert timeline.at("front", start).source == "event"
    assert timeline.start.utcoffset() == dt.timedelta(hours=9)


def test_naive_window_is_refused():
    import datetime as dt

    with pytest.raises(ValueError):
        resolve(config(), dt.datetime(2026, 12, 3), dt.datetime(2026, 12, 4))
