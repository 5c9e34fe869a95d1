"""signage serve, 준비·작업: upcoming events checked (files decoded, decks converted, previews) the
day before and an hour before; periodic jobs on APScheduler with the app's lifespan; nightly upkeep."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

from signage.config.loader import load_hall
from signage.web import readiness, store
from signage.web.desk import parts
from signage.web.jobs import backup_databases, sweep_stale
from tests.web_helpers import SEOUL, FakeClock, add_user, csrf_of, login, make_client


def _client(hall_dir, when):
    add_user(hall_dir, "op", "operator")
    clock = FakeClock(when)
    client = make_client(hall_dir, clock)
    return client, clock


def test_checks_are_due_the_day_before_and_an_hour_before():
    start = dt.datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL)
    assert not readiness.due(start, start - dt.timedelta(hours=30), None)  # too early
    assert readiness.due(start, start - dt.timedelta(hours=23), None)  # the day-before mark passed
    day_before = start - dt.timedelta(hours=23)
    assert not readiness.due(start, start - dt.timedelta(hours=2), day_before)  # already checked since
    assert readiness.due(start, start - dt.timedelta(minutes=50), day_before)  # the hour-before mark
    assert not readiness.due(start, start - dt.timedelta(minutes=10), start - dt.timedelta(minutes=50))
    assert not readiness.due(start, start + dt.timedelta(minutes=1), None)  # started: too late


def test_an_event_is_ready_per_wall_with_the_reason_when_not(hall_dir):
    # GIVEN the IR day tomorrow, a sponsor logo gone, and a deck beside the stage photos
    (hall_dir / "assets/sponsors/sponsor-b.png").unlink()
    (hall_dir / "assets/photos/event-2026-11/발표.pptx").write_bytes(b"PK\x03\x04 not really a deck")
    client, clock = _client(hall_dir, dt.datetime(2026, 12, 2, 15, 0, tzinfo=SEOUL))
    with client:
        login(client, "op")
        board = parts(client.app.state.web).jobs
        # WHEN the periodic check runs a day before (without LibreOffice on this machine)
        (result,) = board.readiness(office=None)
        # THEN the front wall is ready, the pillar says which file is missing, the rear which deck
        walls = result["walls"]
        assert walls["front"] == {"ok": True, "reasons": [], "png": f"{result['key']}/front.png"}
        assert not walls["pillar"]["ok"]
        assert {"key": "rd_missing", "args": {"path": "assets/sponsors/sponsor-b.png"}} in walls["pillar"]["reasons"]
        assert {"key": "rd_no_office", "args": {"name": "발표.pptx"}} in walls["rear"]["reasons"]
        assert (hall_dir / "var/web/ready" / result["key"] / "front.png").stat().st_size > 1000
        # AND a second run the same hour checks nothing again; the page shows the verdicts
        assert board.readiness(office=None) == []
        page = client.get("/ready")
        assert page.status_code == 200
        card = re.search(r'<div class="card" data-event=.*?</div>\s*</div>\s*</div>', page.text, re.S).group(0)
        assert "준비 안 됨" in card and "파일이 없습니다: assets/sponsors/sponsor-b.png" in card
        assert 'data-wall="front" data-ok="yes"' in card and "LibreOffice가 없어" in card
        assert client.get(f"/ready/{result['key']}/front.png").content[:4] == b"\x89PNG"
        assert re.search(r'data-job="readiness">.*?실패.*?이번에 행사 0개 점검 · 다가오는 행사 중 준비 안 됨 1개', page.text, re.S)


def test_a_broken_file_is_found_by_decoding_it_in_a_child(hall_dir):
    # GIVEN the IR deck replaced by a file that only starts like a PDF
    (hall_dir / "assets/decks/ir-deck.pdf").write_bytes(b"%PDF-1.4\n" + b"\0" * 200)
    hall = load_hall(hall_dir / "config.yaml", check_assets=False)
    # WHEN the files are decoded
    failures = readiness.decode_all([(hall_dir / "assets/decks/ir-deck.pdf", "pdf"),
                                     (hall_dir / "assets/photos/hall.jpg", "image"),
                                     (hall_dir / "assets/clips/gvalley.mp4", "video")])
    # THEN only the broken one has a reason
    assert failures[str(hall_dir / "assets/photos/hall.jpg")] is None
    assert failures[str(hall_dir / "assets/clips/gvalley.mp4")] is None
    assert failures[str(hall_dir / "assets/decks/ir-deck.pdf")]
    assert hall.playlists["ir-deck"]


def test_check_now_runs_in_the_background_and_is_audited(hall_dir):
    # GIVEN 2026-12-02 09:00: the IR day is upcoming, not due for its check yet
    client, clock = _client(hall_dir, dt.datetime(2026, 12, 2, 9, 0, tzinfo=SEOUL))
    with client:
        login(client, "op")
        page = client.get("/ready")
        assert "아직 점검 전" in page.text
        started = client.post("/ready/check", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
        assert started.status_code == 303
        board = parts(client.app.state.web).jobs
        board.stop()  # waits for the check under way
        assert board.last["readiness"].args == {"checked": 1, "bad": 0} and board.last["readiness"].ok
        assert "준비됨" in client.get("/ready").text
    db = store.open_db(store.db_path(hall_dir))
    assert [r["action"] for r in store.audit_rows(db)][0] == "ready_check"
    db.close()


def test_the_scheduler_lives_with_the_app_and_lists_next_runs(hall_dir):
    # GIVEN the app made as signage serve makes it (jobs on)
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

    from signage.web.app import create_app

    add_user(hall_dir, "op", "operator")
    app = create_app(hall_dir / "config.yaml", jobs=True)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "op")
        page = client.get("/ready").text
        # THEN each job shows its next run; nothing runs in the test's short life
        for job in ("readiness", "inbox", "upkeep"):
            assert re.search(rf'data-job="{job}"><td>[^<]+</td>\s*<td>\d{{4}}-\d\d-\d\d \d\d:\d\d</td>', page)
        assert "03:30" in re.search(r'data-job="upkeep">.*?</tr>', page, re.S).group(0)
    # AND leaving the app stops the scheduler (the autouse fixture checks no thread is left)
    assert parts(app.state.web).jobs._scheduler is None


def test_nightly_upkeep_backs_up_every_database_keeping_seven_and_sweeps_stale_drafts(hall_dir):
    var = hall_dir / "var"
    var.mkdir()
    with sqlite3.connect(var / "plays.sqlite") as db:
        db.execute("CREATE TABLE plays (id INTEGER PRIMARY KEY, item TEXT)")
        db.execute("INSERT INTO plays (item) VALUES ('hall.jpg')")
    db = store.open_db(store.db_path(hall_dir))  # var/web.sqlite, held open by the app meanwhile
    # WHEN upkeep runs on nine nights
    night = dt.datetime(2026, 12, 1, 3, 30, tzinfo=SEOUL)
    for n in range(9):
        backup_databases(var, night + dt.timedelta(days=n))
    db.close()
    # THEN each database has its seven newest copies, readable and whole
    plays = sorted((var / "backups").glob("plays-*.sqlite"))
    assert len(plays) == 7 and plays[0].name == "plays-20261203-033000.sqlite"
    assert len(list((var / "backups").glob("web-*.sqlite"))) == 7
    with sqlite3.connect(plays[-1]) as copy:
        assert copy.execute("SELECT item FROM plays").fetchall() == [("hall.jpg",)]
    assert not list((var / "backups").glob("*.part"))
    # AND drafts older than a day are swept, newer ones stay
    old, new = var / "web/drafts/aaaaaaaaaaaaaaaa", var / "web/drafts/bbbbbbbbbbbbbbbb"
    for folder in (old, new):
        folder.mkdir(parents=True)
    import os

    now = night.timestamp()
    os.utime(old, (now - 2 * 86400, now - 2 * 86400))
    os.utime(new, (now - 3600, now - 3600))
    assert sweep_stale(hall_dir, now) == 1 and new.exists() and not old.exists()
