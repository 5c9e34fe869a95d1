"""signage serve, 플레이리스트·미디어: playlists edited with comments kept and the whole hall checked,
created and deleted (only when unused); the media library with uploads checked by content; the API."""

from __future__ import annotations

import re

from signage.config.loader import load_hall
from signage.web import store
from tests.media_factory import png_header_only, write_image
from tests.web_desk_helpers import form_fields
from tests.web_helpers import add_user, admin_client, clock, login, make_client, token_for  # noqa: F401


def _edit(client, name):
    page = client.get(f"/media/playlists/{name}")
    assert page.status_code == 200
    return form_fields(page.text, "playlist-form")


def _audit(hall_dir) -> list[tuple[str, str]]:
    db = store.open_db(store.db_path(hall_dir))
    try:
        return [(r["action"], r["detail"]) for r in store.audit_rows(db)]
    finally:
        db.close()


def test_the_list_says_what_each_playlist_holds_and_where_it_is_used(admin_client):  # noqa: F811
    # WHEN the operator opens 플레이리스트·미디어
    page = admin_client.get("/media")
    # THEN each playlist shows its items, loop length and its uses in the schedule
    assert page.status_code == 200
    row = re.search(r'<tr data-playlist="tenant-promos">(.*?)</tr>', page.text, re.S).group(1)
    assert "<td>3</td>" in row and "0:36" in row  # 6 s slide + two 15 s clips
    assert "시간대 &#39;점심시간 입주기업 홍보&#39; (기둥, 후면)" in row
    house = re.search(r'<tr data-playlist="house-loop">(.*?)</tr>', page.text, re.S).group(1)
    assert "기본 루프 (전면, 후면)" in house
    ir = re.search(r'<tr data-playlist="ir-deck">(.*?)</tr>', page.text, re.S).group(1)
    assert "행사 &#39;G밸리 스타트업 IR 데모데이&#39; 2026-12-03 14:00 (전면)" in ir
    # AND the library lists files by folder with facts and where each is used
    hall = re.search(r'<tr data-file="assets/photos/hall.jpg">(.*?)</tr>', page.text, re.S).group(1)
    assert "이미지" in hall and "house-loop" in hall and "weekend-rest" in hall and "삭제" not in hall
    clip = re.search(r'<tr data-file="assets/clips/gvalley.mp4">(.*?)</tr>', page.text, re.S).group(1)
    assert re.search(r"\d+×\d+ · [\d.]+s", clip)


def test_moving_and_changing_items_keeps_comments_and_untouched_lines(admin_client, hall_dir):  # noqa: F811
    path = hall_dir / "playlists/house-loop.yaml"
    original = path.read_text(encoding="utf-8")
    # WHEN the operator moves the video up, gives the slide a 1 s fade and the photo 7 s
    form = _edit(admin_client, "house-loop")
    assert form["kind_1"] == "video" and form["fit_0"] == "cover"
    form.update({"tr_2": "fade", "fade_2": "1", "dur_0": "7", "op": "up:1"})
    saved = admin_client.post("/media/playlists/house-loop", data=form, follow_redirects=False)
    # THEN it is saved, in the new order, every comment kept
    assert saved.status_code == 303
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[4] == "  - video: assets/clips/gvalley.mp4         # 길이를 주지 않으면 끝까지 재생"
    assert lines[5:8] == ["  - image: assets/photos/hall.jpg", "    fit: cover", "    duration: 7s"]
    assert "    transition: fade 1s" in lines
    assert [ln for ln in text.splitlines() if "#" in ln] == [ln for ln in original.splitlines() if "#" in ln]
    assert lines[:4] == original.splitlines()[:4]
    playlist = load_hall(hall_dir / "config.yaml").playlists["house-loop"]
    assert [i.kind for i in playlist.items][:2] == ["video", "image"] and playlist.items[1].duration == 7.0
    assert ("playlist_update", "house-loop: up") in _audit(hall_dir)
    # AND a form that changes nothing writes the very same bytes back
    form = _edit(admin_client, "house-loop")
    form["op"] = "save"
    assert admin_client.post("/media/playlists/house-loop", data=form, follow_redirects=False).status_code == 303
    assert path.read_text(encoding="utf-8") == text


def test_a_save_that_would_break_the_hall_is_refused_with_the_checks_sentence_at_the_row(admin_client, hall_dir):  # noqa: F811
    path = hall_dir / "playlists/pillar-loop.yaml"
    before = path.read_bytes()
    # WHEN the second item's duration cannot be read
    form = _edit(admin_client, "pillar-loop")
    form.update({"dur_1": "banana", "op": "save"})
    refused = admin_client.post("/media/playlists/pillar-loop", data=form)
    # THEN nothing is written and the loader's own sentence stands at that row
    assert refused.status_code == 422 and path.read_bytes() == before
    row = re.search(r'<tr data-row="1" class="bad">(.*?)</tr>', refused.text, re.S).group(1)
    assert "길이 &#39;banana&#39;을(를) 읽을 수 없습니다" in row
    assert 'value="banana"' in refused.text  # what was typed stays in the form
    # WHEN the last item of a playlist is removed (a playlist cannot be empty)
    form = _edit(admin_client, "ir-deck")
    refused = admin_client.post("/media/playlists/ir-deck", data={**form, "op": "remove:0"})
    assert refused.status_code == 422 and "저장하지 않았습니다" in refused.text
    # WHEN the form was shown before someone else changed the file
    form = _edit(admin_client, "pillar-loop")
    path.write_text(before.decode("utf-8").replace("12s", "11s"), encoding="utf-8")
    stale = admin_client.post("/media/playlists/pillar-loop", data={**form, "op": "save", "d_duration": "9s"})
    assert stale.status_code == 422 and "11s" in path.read_text(encoding="utf-8")


def test_items_are_added_from_the_library_and_playlists_created_and_deleted_only_when_unused(admin_client, hall_dir):  # noqa: F811
    # WHEN a photo is added to the sponsors playlist
    form = _edit(admin_client, "sponsors")
    form.update({"op": "add", "add_path": "image:assets/photos/hall.jpg"})
    assert admin_client.post("/media/playlists/sponsors", data=form, follow_redirects=False).status_code == 303
    assert "  - image: assets/photos/hall.jpg" in (hall_dir / "playlists/sponsors.yaml").read_text(encoding="utf-8")
    # WHEN a new playlist is made with a folder as its first item
    page = admin_client.get("/media")
    assert "folder:assets/photos/event-2026-11/" in page.text
    csrf = form["csrf"]
    made = admin_client.post("/media/playlists", data={"csrf": csrf, "name": "lobby", "title": "로비 루프",
                                                        "first": "folder:assets/photos/event-2026-11/"},
                             follow_redirects=False)
    assert made.status_code == 303
    assert "lobby" in load_hall(hall_dir / "config.yaml").playlists
    bad = admin_client.post("/media/playlists", data={"csrf": csrf, "name": "../evil", "first": "image:assets/photos/hall.jpg"})
    assert bad.status_code == 422 and "영문·숫자·-·_ 만 쓸 수 있습니다" in bad.text and not (hall_dir / "evil.yaml").exists()
    # WHEN the operator deletes one the schedule uses
    used = admin_client.post("/media/playlists/sponsors/delete", data={"csrf": csrf})
    # THEN it is refused naming the use, and the file stays
    assert used.status_code == 409 and "행사 &#39;G밸리 스타트업 IR 데모데이&#39;" in used.text
    assert (hall_dir / "playlists/sponsors.yaml").exists()
    # AND the unused one goes
    assert admin_client.post("/media/playlists/lobby/delete", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert not (hall_dir / "playlists/lobby.yaml").exists()
    actions = [a for a, _ in _audit(hall_dir)]
    assert {"playlist_create", "playlist_delete", "playlist_update"} <= set(actions)


def _stray(hall_dir) -> list:
    incoming = hall_dir / "var/web/incoming"
    media = hall_dir / "assets/media"
    return [p for p in (list(incoming.rglob("*")) if incoming.exists() else [])
            + (list(media.rglob("*")) if media.exists() else []) if p.is_file()]


def test_uploads_are_checked_by_content_named_by_us_and_leave_nothing_when_refused(admin_client, hall_dir, tmp_path):  # noqa: F811
    csrf = form_fields(admin_client.get("/media").text, "upload")["csrf"]
    # WHEN a PNG named like a path is uploaded
    png = write_image(tmp_path / "poster.png", size=(320, 200))
    ok = admin_client.post("/media/files", data={"csrf": csrf},
                           files={"file": ("../../config<b>.png", png.read_bytes(), "image/png")}, follow_redirects=False)
    # THEN it lands under assets/media/<yyyy-mm>/ with a name we made; the uploaded name is only its label
    assert ok.status_code == 303
    (saved,) = _stray(hall_dir)
    assert re.fullmatch(r"image-01-[0-9a-f]{8}\.png", saved.name) and saved.parent.name == "2026-12"
    page = admin_client.get("/media")
    assert "config&lt;b&gt;.png" in page.text and "config<b>" not in page.text
    # WHEN a text file calls itself a JPEG, an image's header claims 40000x40000, a file is empty
    for name, data in [("photo.jpg", b"hello, not a picture"), ("bomb.png", png_header_only(tmp_path / "b.png", 40000, 40000).read_bytes()),
                       ("empty.png", b"")]:
        refused = admin_client.post("/media/files", data={"csrf": csrf}, files={"file": (name, data, "image/jpeg")})
        # THEN each is refused with a sentence naming it, and no file is left anywhere
        assert refused.status_code == 422 and name in refused.text
        assert _stray(hall_dir) == [saved]
    # WHEN the unused upload is deleted, and a used file is asked to go
    rel = saved.relative_to(hall_dir).as_posix()
    assert admin_client.post("/media/files/delete", data={"csrf": csrf, "path": rel}, follow_redirects=False).status_code == 303
    assert not saved.exists()
    used = admin_client.post("/media/files/delete", data={"csrf": csrf, "path": "assets/photos/hall.jpg"})
    assert used.status_code == 409 and "house-loop" in used.text and (hall_dir / "assets/photos/hall.jpg").exists()
    outside = admin_client.post("/media/files/delete", data={"csrf": csrf, "path": "assets/../config.yaml"})
    assert outside.status_code == 404 and (hall_dir / "config.yaml").exists()
    assert {"media_upload", "media_delete"} <= {a for a, _ in _audit(hall_dir)}


def test_the_api_reads_and_replaces_playlists_and_uploads_media(admin_client, hall_dir, tmp_path):  # noqa: F811
    auth = {"Authorization": f"Bearer {token_for(hall_dir, 'boss')}"}
    got = admin_client.get("/api/v1/playlists/sponsors", headers=auth).json()
    assert got["items"][1] == {"image": "assets/sponsors/sponsor-a.png"} and got["used_in"][0]["source"] == "event"
    # WHEN the API drops an item and adds a duration (the whole playlist is sent)
    body = {**got, "items": [got["items"][0], {"image": "assets/sponsors/sponsor-b.png", "duration": "4s"}]}
    put = admin_client.put("/api/v1/playlists/sponsors", headers=auth, json=body)
    assert put.status_code == 200 and put.json()["items"][1] == {"image": "assets/sponsors/sponsor-b.png", "duration": "4s"}
    # AND an old version is refused, and a body that breaks the hall gets the check's problems
    assert admin_client.put("/api/v1/playlists/sponsors", headers=auth, json=body).status_code == 409
    broken = admin_client.put("/api/v1/playlists/sponsors", headers=auth,
                              json={"items": [{"video": "assets/nowhere.mp4"}]})
    assert broken.status_code == 422
    problem = broken.json()["problems"][0]
    assert problem["file"] == "playlists/sponsors.yaml" and "assets/nowhere.mp4" in problem["message"]
    # WHEN media is uploaded through the API
    png = write_image(tmp_path / "p.png")
    up = admin_client.post("/api/v1/media", headers=auth, files=[("file", ("p.png", png.read_bytes(), "image/png")),
                                                                   ("file", ("x.jpg", b"nope", "image/jpeg"))])
    assert up.status_code == 207
    assert up.json()["uploaded"][0]["path"].startswith("assets/media/2026-12/image-")
    assert up.json()["refused"][0]["label"] == "x.jpg"
    listed = admin_client.get("/api/v1/media", headers=auth).json()["media"]
    assert any(m["path"] == up.json()["uploaded"][0]["path"] and m["width"] == 400 for m in listed)
    # AND every route is in the OpenAPI document
    paths = admin_client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/playlists", "/playlists/{name}", "/media", "/review", "/review/{id}", "/review/{id}/approve",
            "/review/{id}/reject"} <= set(paths)


def test_a_tenant_gets_nothing_here(hall_dir, clock):  # noqa: F811
    # GIVEN a tenant account
    add_user(hall_dir, "acme", "tenant", tenant="acme")
    with make_client(hall_dir, clock) as client:
        login(client, "acme")
        # THEN the pages refuse and the API says there is nothing
        assert client.get("/media").status_code == 403
        assert client.get("/promos").status_code == 403
        assert client.get("/ready").status_code == 403
        token = token_for(hall_dir, "acme")
        assert client.get("/api/v1/playlists/sponsors", headers={"Authorization": f"Bearer {token}"}).status_code == 404
        assert client.get("/api/v1/review", headers={"Authorization": f"Bearer {token}"}).status_code == 404




def test_an_edit_that_makes_nothing_worse_is_saved_in_a_hall_that_already_has_a_problem(admin_client, hall_dir):  # noqa: F811
    # GIVEN a sponsor logo gone (the hall's check already fails on sponsors.yaml)
    (hall_dir / "assets/sponsors/sponsor-b.png").unlink()
    # WHEN another playlist gets a new duration
    form = _edit(admin_client, "house-loop")
    saved = admin_client.post("/media/playlists/house-loop", data={**form, "d_duration": "9s", "op": "save"},
                              follow_redirects=False)
    # THEN it is saved; only problems the edit itself adds refuse it
    assert saved.status_code == 303
    assert "defaults: {duration: 9s," in (hall_dir / "playlists/house-loop.yaml").read_text(encoding="utf-8")
    form = _edit(admin_client, "house-loop")
    refused = admin_client.post("/media/playlists/house-loop", data={**form, "dur_1": "banana", "op": "save"})
    assert refused.status_code == 422 and "banana" in refused.text and "sponsor-b.png" not in refused.text
