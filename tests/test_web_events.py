"""signage serve: events saved into config.yaml (comments kept, whole hall checked), uploads, the API."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

from signage.web import uploads, yamledit
from signage.web.yamledit import EventInput, WallChoice
from tests.web_helpers import admin_client, clock, csrf_of, make_client  # noqa: F401

EVENT = EventInput("신년 하례회", dt.datetime(2027, 1, 5, 10), dt.datetime(2027, 1, 5, 12),
                   {"front": WallChoice("ir-deck", "manual"), "rear": WallChoice("ir-stage")})


def _comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


def test_adding_changing_and_deleting_events_keeps_every_comment_and_untouched_line(hall_dir):
    # GIVEN the sample config.yaml with its Korean comments and aligned flow mappings
    original = (hall_dir / "config.yaml").read_text(encoding="utf-8")
    # WHEN an event is added, the first one moved, and the new one deleted
    added = yamledit.add_event(original, EVENT)
    moved = yamledit.replace_event(added, 0, EventInput(
        "G밸리 스타트업 IR 데모데이", dt.datetime(2026, 12, 3, 15), dt.datetime(2026, 12, 3, 17, 30),
        {"front": WallChoice("ir-deck", "manual"), "rear": WallChoice("ir-stage"), "pillar": WallChoice("sponsors")}))
    back = yamledit.delete_event(moved, 1)
    # THEN the comments all stay, in order; the added event sits after the last one (not after
    # the comment of the next section); only the changed line differs
    assert _comments(added) == _comments(original)
    assert added.index("신년 하례회") < added.index("# 입주기업 홍보 영상 접수 규칙")
    assert "  front:  {screen: HDMI-1, size: [1920, 1080]}   # 전면 벽" in added
    assert [a for a, b in zip(added.splitlines(), moved.splitlines(), strict=True) if a != b] == [
        '      start: "2026-12-03 14:00"']
    assert back == original.replace('start: "2026-12-03 14:00"', 'start: "2026-12-03 15:00"')


def test_deleting_the_last_event_leaves_an_empty_list(hall_dir):
    text = yamledit.delete_event((hall_dir / "config.yaml").read_text(encoding="utf-8"), 0)
    assert "  events: []\n" in text and _comments(text)[-1].startswith("  max_share")


def _form(csrf, **over):
    data = {"csrf": csrf, "name": "테스트 행사", "date": "2026-12-10", "start": "10:00", "end": "11:00",
            "mode_front": "none", "mode_rear": "playlist", "playlist_rear": "ir-stage", "mode_pillar": "none",
            "action": "save", "preview_at": "10:05"}
    data.update(over)
    return data


def _tree(hall_dir):
    return sorted(str(p.relative_to(hall_dir)) for p in hall_dir.rglob("*")
                  if "var" not in p.relative_to(hall_dir).parts)


def test_a_save_that_would_break_the_hall_is_refused_with_the_checks_sentence(admin_client, hall_dir):  # noqa: F811
    # GIVEN the IR demo day on 2026-12-03 14:00–17:30 on every wall
    before, files = (hall_dir / "config.yaml").read_bytes(), _tree(hall_dir)
    page = admin_client.get("/schedule/events/new")
    # WHEN an event overlapping it on the front wall is saved, with a PDF for that wall
    deck = (hall_dir / "assets/decks/intro.pdf").read_bytes()
    refused = admin_client.post("/schedule/events", data=_form(
        csrf_of(page.text), date="2026-12-03", start="15:00", end="16:00", mode_front="upload"),
        files=[("files_front", ("발표.pdf", deck, "application/pdf"))])
    # THEN nothing is written, and the form shows the check's own sentence naming both events
    assert refused.status_code == 422
    assert (hall_dir / "config.yaml").read_bytes() == before and _tree(hall_dir) == files
    text = refused.text.replace("&#39;", "'")
    assert "'테스트 행사' and 'G밸리 스타트업 IR 데모데이'" in text or "'테스트 행사'와(과) 'G밸리 스타트업 IR 데모데이'" in text
    assert "발표.pdf" in refused.text  # the upload is kept for the next try, as a draft


def test_saving_an_event_with_uploads_writes_files_playlist_and_config(admin_client, hall_dir):  # noqa: F811
    page = admin_client.get("/schedule/events/new")
    png = (hall_dir / "assets/sponsors/sponsor-a.png").read_bytes()
    deck = (hall_dir / "assets/decks/intro.pdf").read_bytes()
    saved = admin_client.post("/schedule/events", data=_form(csrf_of(page.text), mode_front="upload", manual_front="1",
                                                             mode_pillar="upload"),
                              files=[("files_front", ("../../etc/passwd.pdf", deck, "application/pdf")),
                                     ("files_pillar", ("로고 최종.pdf", png, "application/pdf"))],
                              follow_redirects=False)
    assert saved.status_code == 303, saved.text
    # THEN the files have our names (the PNG sent as .pdf is a .png), the labels stay as comments
    made = sorted(p.name for p in (hall_dir / "assets/events").rglob("*") if p.is_file())
    assert made == ["front-01.pdf", "pillar-01.png"]
    playlists = sorted((hall_dir / "playlists").glob("event-*.yaml"))
    assert [p.stem.rsplit("-", 1)[-1] for p in playlists] == ["front", "pillar"]
    assert '"passwd.pdf"' in playlists[0].read_text(encoding="utf-8")
    config = (hall_dir / "config.yaml").read_text(encoding="utf-8")
    assert re.search(r"front: \{playlist: event-20261210-1000-[0-9a-f]{6}-front, advance: manual\}", config)
    # AND the calendar shows it, and signage check accepts the hall
    week = admin_client.get("/schedule?week=2026-12-10")
    assert "테스트 행사" in week.text
    from signage.config.loader import load_hall

    assert len(load_hall(hall_dir / "config.yaml").config.schedule.events) == 2
    assert "record" not in list((hall_dir / "var/web/drafts").iterdir())


def test_uploads_are_typed_by_content_and_capped_and_leave_nothing_when_refused(tmp_path, monkeypatch):
    folder = tmp_path / "draft"
    # a text file named .pdf
    try:
        uploads.stage_upload(io.BytesIO(b"hello, not a pdf"), "deck.pdf", None, folder, "front-01")
        raise AssertionError("accepted")
    except uploads.UploadRefused as exc:
        assert exc.key == "up_unknown_kind" and exc.kw["label"] == "deck.pdf"
    # a PDF over its cap
    monkeypatch.setitem(uploads.LIMITS, "pdf", 10)
    try:
        uploads.stage_upload(io.BytesIO(b"%PDF-1.4 " + b"x" * 100), "big.pdf", None, folder, "front-01")
        raise AssertionError("accepted")
    except uploads.UploadRefused as exc:
        assert exc.key == "up_too_big"
    # a path as the name is a label only
    ok = uploads.stage_upload(io.BytesIO(b"%PDF-1.4 x"), "C:\\\\x\\\\..\\\\발표.pdf", None, folder, "front-01")
    assert (ok.file, ok.kind, ok.label) == ("front-01.pdf", "pdf", "발표.pdf")
    assert sorted(p.name for p in folder.iterdir()) == ["front-01.pdf"]


def test_an_edit_aimed_at_an_event_that_changed_meanwhile_is_refused(admin_client, hall_dir):  # noqa: F811
    page = admin_client.get("/schedule/events/0")
    expect = re.search(r'name="expect" value="([^"]+)"', page.text).group(1)
    path = hall_dir / "config.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"2026-12-03 17:30"', '"2026-12-03 18:00"'), encoding="utf-8")
    before = path.read_bytes()
    r = admin_client.post("/schedule/events/0", data=_form(csrf_of(page.text), expect=expect, date="2026-12-03",
                                                           start="14:00", end="17:00"))
    assert r.status_code == 422 and "그 사이에 다른 사람이 설정을 바꾸었습니다" in r.text
    assert path.read_bytes() == before


def test_api_events_crud_and_422_with_check_problems(admin_client, hall_dir):  # noqa: F811
    from tests.web_helpers import token_for

    auth = {"Authorization": f"Bearer {token_for(hall_dir, 'boss')}"}
    listed = admin_client.get("/api/v1/events", headers=auth).json()["events"]
    assert listed[0] == {"id": 0, "name": "G밸리 스타트업 IR 데모데이", "start": "2026-12-03 14:00",
                         "end": "2026-12-03 17:30", "displays": {"front": {"playlist": "ir-deck", "advance": "manual"},
                                                                 "rear": "ir-stage", "pillar": "sponsors"}}
    body = {"name": "API 행사", "start": "2026-12-11 09:00", "end": "2026-12-11 10:00", "displays": {"pillar": "sponsors"}}
    created = admin_client.post("/api/v1/events", headers=auth, json=body)
    assert created.status_code == 201 and created.json()["id"] == 1
    clash = admin_client.put("/api/v1/events/1?lang=en", headers=auth, json={**body, "start": "2026-12-03 15:00",
                                                                               "end": "2026-12-03 16:00"})
    assert clash.status_code == 422
    problem = clash.json()["problems"][0]
    assert set(problem) == {"file", "line", "col", "message"} and problem["file"] == "config.yaml"
    assert "overlap on display pillar" in problem["message"]
    unknown = admin_client.post("/api/v1/events", headers=auth, json={**body, "start": "2026-12-12 09:00", "end": "2026-12-12 10:00", "displays": {"pillar": "nope"}})
    assert unknown.status_code == 422 and "nope" in unknown.json()["problems"][0]["message"]
    assert admin_client.delete("/api/v1/events/1", headers=auth).status_code == 204
    assert len(admin_client.get("/api/v1/events", headers=auth).json()["events"]) == 1
    doc = admin_client.get("/api/v1/openapi.json").json()
    assert {"/timeline", "/events", "/events/{id}", "/audit"} <= set(doc["paths"])


def test_api_timeline_is_exactly_signage_timeline_json(admin_client, hall_dir, capsys, monkeypatch):  # noqa: F811
    from signage.cli import main
    from tests.web_helpers import token_for

    auth = {"Authorization": f"Bearer {token_for(hall_dir, 'boss')}"}
    got = admin_client.get("/api/v1/timeline", params={"from": "2026-12-03 00:00", "to": "2026-12-04 00:00",
                                                        "display": "pillar"}, headers=auth).json()
    monkeypatch.chdir(hall_dir)
    main(["timeline", "--from", "2026-12-03 00:00", "--to", "2026-12-04 00:00", "--display", "pillar", "--format", "json"])
    assert got == json.loads(capsys.readouterr().out)


def test_the_week_calendar_lays_out_fifty_events(admin_client, hall_dir):  # noqa: F811
    # GIVEN 50 events in one week
    text = (hall_dir / "config.yaml").read_text(encoding="utf-8")
    for i in range(50):
        slot, day = divmod(i, 7)
        start = dt.datetime(2026, 12, 7 + day, 7 + slot * 2)
        text = yamledit.add_event(text, EventInput(f"행사 {i:02d}", start, start + dt.timedelta(hours=1),
                                                   {"rear": WallChoice("ir-stage")}))
    (hall_dir / "config.yaml").write_text(text, encoding="utf-8")
    # WHEN the week is shown
    page = admin_client.get("/schedule?week=2026-12-09")
    # THEN every event is a named block linking to its form
    assert page.status_code == 200
    assert len(re.findall(r'class="block event" href="/schedule/events/\d+"', page.text)) == 50
    assert "행사 49" in page.text


def test_the_hall_is_read_again_only_when_its_files_change(hall_dir):
    from signage.web.events import EventDesk

    # GIVEN a desk that has read the hall once
    desk = EventDesk(hall_dir / "config.yaml")
    first = desk.hall()
    # WHEN nothing changed THEN the same hall is given (not parsed again)
    assert desk.hall() is first
    # WHEN a playlist file is edited THEN the next read sees the edit
    playlist = next((hall_dir / "playlists").glob("*.yaml"))
    text = playlist.read_text(encoding="utf-8")
    playlist.write_text(text.replace("name:", "name: 바뀐", 1) if "name:" in text else "name: 바뀐\n" + text,
                        encoding="utf-8")
    second = desk.hall()
    assert second is not first
    assert "바뀐" in (second.playlists[playlist.stem].name or "")
    # WHEN config.yaml is replaced by an edited copy (a new file under the same name)
    cfg = hall_dir / "config.yaml"
    tmp = hall_dir / "config.yaml.new"
    tmp.write_text(cfg.read_text(encoding="utf-8"), encoding="utf-8")
    tmp.replace(cfg)
    # THEN it is read again
    assert desk.hall() is not second
