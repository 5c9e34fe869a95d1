"""Property tests: for random schedules the timeline covers the window, sorted, with no gap or overlap."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from signage.schedule import resolve
from tests.helpers import DISPLAYS, at, config

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
clock = st.integers(0, 24 * 4 - 1).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")
display_map = st.dictionaries(st.sampled_from(list(DISPLAYS)), st.sampled_from(["a", "b", "c"]), min_size=1)


@st.composite
def dayparts(draw):
    start, end = draw(clock), draw(clock)
    if start == end:
        end = "24:00" if start != "00:00" else "01:00"
    return {
        "name": draw(st.text(min_size=1, max_size=5)),
        "days": draw(st.lists(st.sampled_from(DAYS), min_size=1, unique=True)),
        "start": start,
        "end": end,
        "skip_holidays": draw(st.booleans()),
        "priority": draw(st.integers(0, 3)),
        "displays": draw(display_map),
    }


@st.composite
def events(draw):
    start = dt.datetime(2026, 12, 1) + dt.timedelta(minutes=15 * draw(st.integers(0, 4 * 24 * 6)))
    end = start + dt.timedelta(minutes=15 * draw(st.integers(1, 4 * 30)))
    return {"name": "e", "start": start.strftime("%Y-%m-%d %H:%M"), "end": end.strftime("%Y-%m-%d %H:%M"),
            "displays": draw(display_map)}


@st.composite
def schedules(draw):
    sched = {"dayparts": draw(st.lists(dayparts(), max_size=6)), "events": draw(st.lists(events(), max_size=6))}
    if draw(st.booleans()):
        s, e = draw(clock), draw(clock)
        if s != e:
            sched["dark"] = {"start": s, "end": e}
    return sched


@settings(max_examples=150, deadline=None)
@given(sched=schedules(), offset=st.integers(0, 7 * 24 * 4), length=st.integers(1, 4 * 24 * 3))
def test_timeline_invariants(sched, offset, length):
    cfg = config(**sched)
    start = at("2026-11-30 00:00") + dt.timedelta(minutes=15 * offset)
    end = start + dt.timedelta(minutes=15 * length)
    timeline = resolve(cfg, start, end)
    for display in DISPLAYS:
        slots = timeline.by_display[display]
        assert slots[0].start == start and slots[-1].end == end  # covers the window
        for a, b in zip(slots, slots[1:], strict=False):
            assert a.end == b.start  # sorted, no gap, no overlap
            assert (a.playlist, a.source, a.name, a.advance) != (b.playlist, b.source, b.name, b.advance)
        for s in slots:
            assert s.start < s.end
            assert (s.playlist is None) == (s.source == "dark")


@settings(max_examples=60, deadline=None)
@given(sched=schedules(), split=st.integers(1, 4 * 24 * 2 - 1))
def test_resolving_in_two_halves_agrees_with_one_pass(sched, split):
    cfg = config(**sched)
    start = at("2026-12-01 00:00")
    mid, end = start + dt.timedelta(minutes=15 * split), start + dt.timedelta(days=2)
    whole = resolve(cfg, start, end)
    first, second = resolve(cfg, start, mid), resolve(cfg, mid, end)
    for minute in range(0, 2 * 24 * 60, 37):
        when = start + dt.timedelta(minutes=minute)
        part = first if when < mid else second
        a, b = whole.at("front", when), part.at("front", when)
        assert (a.playlist, a.source, a.name) == (b.playlist, b.source, b.name)
