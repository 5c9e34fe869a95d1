"""Campaigns woven into playlists: spread through the hour, fair when oversubscribed, time-addressed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signage.config.loader import load_hall
from signage.playback.catalog import Catalog
from signage.playback.planner import Planner
from signage.schedule import resolve
from signage.schedule.campaigns import Campaign, CampaignBook, grant, hour_plan
from tests.helpers import at
from tests.media_factory import hall, write_image
from tests.test_player import centre

H = at("2026-12-01 10:00")
LONG_AGO = at("2026-11-01 09:00")


def campaign(cid, tenant, per_hour=4, displays=("front",), created=LONG_AGO, first="2026-11-01",
             last="2026-12-31", withdrawn=None, seconds=15.0, media=None):
    return Campaign(cid, cid, tenant, f"{tenant}-{cid}", tuple(displays), dt.date.fromisoformat(first),
                    dt.date.fromisoformat(last), per_hour, created, withdrawn, "image", seconds,
                    media or {d: f"m/promo{cid}.png" for d in displays})


def length(c):
    return c.duration_s


def test_plays_are_spread_evenly_through_the_hour():
    book = CampaignBook((campaign(1, "acme", per_hour=4),))
    plan = hour_plan(book, "front", H, length, 0.25)
    gaps = [(b.at - a.at).total_seconds() for a, b in zip(plan, plan[1:], strict=False)]
    assert len(plan) == 4 and gaps == [900, 900, 900]


def test_campaigns_interleave_rather_than_bunch_up():
    book = CampaignBook((campaign(1, "acme", 2), campaign(2, "nuri", 2)))
    plan = hour_plan(book, "front", H, length, 0.25)
    assert [p.campaign.tenant for p in plan] == ["acme", "nuri", "acme", "nuri"]
    assert [p.at.minute for p in plan] == [7, 22, 37, 52]


def test_oversubscribed_hour_is_shared_fairly_between_tenants():
    # 15-second clips; 25% of an hour is 900 s = 60 plays. Asked: acme 3 campaigns x 30, nuri 30, zeta 10.
    book = CampaignBook((campaign(1, "acme", 30), campaign(2, "acme", 30), campaign(3, "acme", 30),
                         campaign(4, "nuri", 30), campaign(5, "zeta", 10)))
    plan = hour_plan(book, "front", H, length, 0.25)
    per_tenant = Counter(p.campaign.tenant for p in plan)
    assert sum(per_tenant.values()) == 60
    assert per_tenant["zeta"] == 10  # asked for less than its share: gets all of it
    assert abs(per_tenant["acme"] - per_tenant["nuri"]) <= 1  # three campaigns do not triple acme's share
    per_campaign = Counter(p.campaign.id for p in plan if p.campaign.tenant == "acme")
    assert max(per_campaign.values()) - min(per_campaign.values()) <= 1


def test_the_odd_play_rotates_between_tenants_hour_by_hour():
    live = [(campaign(1, "acme", 10), 15.0), (campaign(2, "nuri", 10), 15.0)]
    extra = Counter()
    for hour in range(24):
        g = grant(live, 15 * 7, hour)  # room for 7: one tenant gets 4, the other 3
        extra[max(g, key=g.get)] += 1
    assert extra[1] == extra[2] == 12


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(1, 20), st.integers(5, 60)), min_size=1, max_size=8),
       st.floats(0.05, 1.0), st.integers(0, 1000))
def test_grant_never_exceeds_the_hour_or_the_ask(specs, share, rotation):
    live = [(campaign(i + 1, tenant, n, seconds=s), float(s)) for i, (tenant, n, s) in enumerate(specs)]
    g = grant(live, share * 3600, rotation)
    assert sum(g[c.id] * n for c, n in live) <= share * 3600 + 1e-6
    assert all(g[c.id] <= c.per_hour for c, _ in live)
    # nobody is left at zero while a play of theirs would still fit
    used = sum(g[c.id] * n for c, n in live)
    assert all(g[c.id] > 0 or used + n > share * 3600 for c, n in live)


def test_a_campaign_starts_at_the_next_full_hour_and_keeps_to_its_dates():
    c = campaign(1, "acme", created=at("2026-12-01 10:20"), first="2026-12-01", last="2026-12-02")
    book = CampaignBook((c,))
    assert hour_plan(book, "front", H, length, 0.25) == []  # the hour in progress is not replanned
    assert len(hour_plan(book, "front", at("2026-12-01 11:00"), length, 0.25)) == 4
    assert len(hour_plan(book, "front", at("2026-12-02 23:00"), length, 0.25)) == 4
    assert hour_plan(book, "front", at("2026-12-03 00:00"), length, 0.25) == []  # expired by itself
    assert hour_plan(book, "rear", at("2026-12-01 11:00"), length, 0.25) == []  # not on this display


def test_a_withdrawn_campaign_never_airs_again():
    c = campaign(1, "acme", withdrawn=at("2026-12-01 10:20"))
    plan = hour_plan(CampaignBook((c,)), "front", H, length, 0.25)
    assert [p.at.strftime("%H:%M:%S") for p in plan] == ["10:07:30"]  # 10:22:30 and later are gone
    assert hour_plan(CampaignBook((c,)), "front", at("2026-12-01 11:00"), length, 0.25) == []


@pytest.fixture
def promo_hall(tmp_path):
    (tmp_path / "m").mkdir()
    for i, colour in enumerate(((200, 0, 0), (0, 200, 0), (0, 0, 200), (90, 90, 90)), start=1):
        write_image(tmp_path / f"m/promo{i}.png", size=(160, 90), colour=colour)
    write_image(tmp_path / "m/base.png", size=(160, 90), colour=(10, 10, 10))
    write_image(tmp_path / "m/other.png", size=(160, 90), colour=(20, 20, 20))
    config = hall(tmp_path, {
        "loop": "accepts_promos: true\ndefaults: {duration: 10s, transition: cut}\n"
                "items:\n  - image: m/base.png\n  - image: m/other.png\n    duration: 25s\n",
        "closed": "defaults: {duration: 10s}\nitems:\n  - image: m/base.png\n"},
        schedule="  events:\n    - {name: 행사, start: \"2026-12-01 12:00\", end: \"2026-12-01 13:00\", displays: {front: closed}}\n")
    return load_hall(config, check_assets=False)


def planner_with(h, *campaigns):
    return Planner(h, Catalog(), campaigns=CampaignBook(tuple(campaigns), version=1))


def walk(planner, display, start, minutes, step=0.5):
    timeline = resolve(planner.hall.config, start.replace(hour=0, minute=0), start + dt.timedelta(hours=3))
    out, t = [], start
    while t < start + dt.timedelta(minutes=minutes):
        out.append((t, planner.showing(timeline, display, t)))
        t += dt.timedelta(seconds=step)
    return out


def test_promos_air_on_the_wall_at_loop_boundaries_and_the_loop_resumes(promo_hall):
    planner = planner_with(promo_hall, campaign(1, "acme", per_hour=4))
    shown = walk(planner, "front", at("2026-12-01 10:00"), 60)
    promo = [(t, s) for t, s in shown if s.step.campaign == 1]
    starts = sorted({s.step_start for _t, s in promo})
    assert len(starts) == 4
    for planned, start in zip((7.5, 22.5, 37.5, 52.5), starts, strict=True):
        delay = (start - at("2026-12-01 10:00")).total_seconds() - planned * 60
        assert 0 <= delay <= 25  # waits for the current loop item to end
    # the loop never skips an item because of a promo: base items alternate strictly
    base_sequence = [s.step.path.name for _t, s in shown if s.step.campaign is None]
    collapsed = [n for i, n in enumerate(base_sequence) if i == 0 or n != base_sequence[i - 1]]
    assert all(a != b for a, b in zip(collapsed, collapsed[1:], strict=False))


def test_the_weave_is_time_addressed(promo_hall):
    """A fresh planner (a restart, or ``preview --at``) shows exactly what a running one shows."""
    c = campaign(1, "acme", per_hour=6)
    running = planner_with(promo_hall, c)
    for t, showing in walk(running, "front", at("2026-12-01 15:00"), 30, step=7.3):
        timeline = resolve(promo_hall.config, t - dt.timedelta(days=1), t + dt.timedelta(days=1))
        fresh = planner_with(promo_hall, c).showing(timeline, "front", t)
        assert (fresh.step.key, fresh.step.campaign, fresh.step_start, round(fresh.offset, 3)) == (
            showing.step.key, showing.step.campaign, showing.step_start, round(showing.offset, 3))


def test_promos_only_where_the_playlist_accepts_them(promo_hall):
    planner = planner_with(promo_hall, campaign(1, "acme", per_hour=12))
    timeline = resolve(promo_hall.config, at("2026-12-01 00:00"), at("2026-12-02 00:00"))
    airings = planner.airings(timeline, "front", at("2026-12-01 11:00"), at("2026-12-01 14:00"))
    hours = Counter(a.start.hour for a in airings)
    assert hours[11] == 12 and hours[12] == 0 and hours[13] == 12  # the event's playlist takes none
    assert all(b.start >= a.end for a, b in zip(airings, airings[1:], strict=False))


def test_a_deleted_promo_file_is_skipped_not_shown(promo_hall):
    planner = planner_with(promo_hall, campaign(1, "acme", per_hour=4), campaign(2, "nuri", per_hour=4))
    (promo_hall.root / "m/promo1.png").unlink()
    shown = walk(planner, "front", at("2026-12-01 10:00"), 60, step=2)
    assert {s.step.campaign for _t, s in shown} == {None, 2}
    assert all(s.mode == "play" for _t, s in shown)


def approved(h, *, last: dt.date, per_hour: int, seconds: float) -> int:
    """An approved still promo for acme on the front wall, in the intake database."""
    from signage.intake.store import Store

    with Store(h.root / "var/intake.sqlite") as store:
        sid = store.add(tenant="acme", filename="p.png", size=1, mtime_ns=1, received=LONG_AGO,
                        status="pending", kind="image")
        store.add_campaign(store.get(sid), title="p.png", displays=["front"], first_day=dt.date(2026, 12, 1),
                           last_day=last, per_hour=per_hour, created=LONG_AGO, kind="image", duration_s=seconds,
                           media={"front": "m/promo1.png"})
    return sid


def test_timeline_promos_and_preview_show_the_same_airing(promo_hall, tmp_path, capsys):
    """The CLI path: campaigns come from the intake database, as the player reads them."""
    import json

    from signage.cli import main

    approved(promo_hall, last=dt.date(2026, 12, 1), per_hour=2, seconds=15.0)
    cfg = ["--config", str(promo_hall.config_path)]
    assert main([*cfg, "timeline", "--from", "2026-12-01 10:00", "--to", "2026-12-01 11:00", "--promos",
                 "--format", "json"]) == 0
    promos = json.loads(capsys.readouterr().out)["promos"]
    assert [p["tenant"] for p in promos] == ["acme", "acme"]
    middle = dt.datetime.fromisoformat(promos[0]["start"]) + dt.timedelta(seconds=5)
    assert main([*cfg, "preview", "--at", middle.isoformat(), "--out", str(tmp_path / "pv"), "--format", "json"]) == 0
    front = json.loads(capsys.readouterr().out)["displays"]["front"]
    assert front["campaign"]["tenant"] == "acme" and front["item"]["path"] == "m/promo1.png"
    assert main([*cfg, "timeline", "--from", "2026-12-02 10:00", "--to", "2026-12-02 11:00", "--promos"]) == 0
    assert "0 promo airings" in capsys.readouterr().out  # the campaign has ended


def test_the_player_airs_promos_and_records_the_campaign(qapp, promo_hall, tmp_path):
    from signage.app import Player
    from signage.intake.store import Store
    from signage.playback.clock import FakeClock

    # 8 s on air: the fake clock runs ~50x faster than real time here, so a 2 s promo was on
    # the wall for ~40 ms of real time, less than loading its picture takes on a busy machine
    sid = approved(promo_hall, last=dt.date(2026, 12, 31), per_hour=60, seconds=8.0)
    clock = FakeClock(at("2026-12-01 10:00:00"))
    player = Player(promo_hall, headless=True, clock=clock, var_dir=promo_hall.root / "var")
    player.start(timers=False)
    try:
        seen = set()
        for _ in range(900):  # 90 s of wall time in 0.1 s steps
            clock.advance(0.1)
            player.tick()
            canvas = player.latest.get("front")
            if canvas is not None:
                seen.add(centre(canvas))
            time.sleep(0.001)
        assert (200, 0, 0) in seen  # the promo's red filled the wall
        (promo_hall.root / "m/promo1.png").unlink()  # the approved clip disappears from disk
        seen.clear()
        for _ in range(600):
            clock.advance(0.1)
            player.tick()
            seen.add(centre(player.latest["front"]))
            time.sleep(0.001)
        assert (10, 10, 10) in seen and (0, 0, 0) not in seen  # the loop plays on; never a black wall
        assert (200, 0, 0) not in seen, "a deleted promo aired"
        with Store(promo_hall.root / "var/intake.sqlite") as store:
            store.withdraw(sid, clock.now())
        assert player.reload_campaigns_if_changed()
        assert player.planner.airings(player._current_timeline(), "front", clock.now(),
                                      clock.now() + dt.timedelta(hours=2)) == []
    finally:
        player.stop()
    rows = sqlite3.connect(promo_hall.root / "var/plays.sqlite").execute(
        "SELECT campaign_id, asset, outcome FROM plays WHERE campaign_id IS NOT NULL").fetchall()
    assert rows and all(r[0] == 1 and r[1].endswith("promo1.png") for r in rows)


def test_the_item_after_a_promo_fades_in_from_the_promo(promo_hall):
    planner = planner_with(promo_hall, campaign(1, "acme", per_hour=4))
    shown = walk(planner, "front", at("2026-12-01 10:07:00"), 2)
    after = next(s for (_t, s), (_t0, before) in zip(shown[1:], shown, strict=False)
                 if s.step.campaign is None and before.step.campaign == 1)
    assert after.previous is not None and after.previous.campaign == 1
