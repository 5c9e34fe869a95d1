"""Tenant accounts and the portal: invitations, tus uploads into intake, the verdict page with the
mock-ups, isolation between companies, refused input, quotas, the API."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from signage.intake import review
from signage.intake.inbox import store_path
from signage.intake.store import Store
from signage.web import store, tenants
from signage.web.tus import EXPIRE_S, TusStore
from tests.media_factory import write_h264
from tests.tenant_helpers import TUS, add_tenant, create, join, patch, tenant_client, upload
from tests.web_helpers import SEOUL, add_user, admin_client, clock, csrf_of, login, make_client  # noqa: F401


@pytest.fixture
def clip(tmp_path):
    return write_h264(tmp_path / "spring.mp4", size=(1280, 720), seconds=6.0).read_bytes()


def _hall(hall_dir):
    from signage.config.loader import load_hall

    return load_hall(hall_dir / "config.yaml")


def test_operator_invites_a_company_and_the_code_works_once(admin_client, hall_dir, clock):  # noqa: F811
    # GIVEN the operator adds a company and invites its contact
    page = admin_client.get("/tenants")
    csrf = csrf_of(page.text)
    added = admin_client.post("/tenants", data={"csrf": csrf, "id": "누리-soft", "name": "누리소프트",
                                               "storage_mb": "300", "monthly": "5"})
    assert added.status_code == 200 and "누리소프트" in added.text
    invited = admin_client.post("/tenants/누리-soft/invite", data={"csrf": csrf, "login": "nuri-kim"})
    code = invited.text.split('id="invite-code">')[1].split("<")[0]
    # WHEN the contact opens the link and sets a password
    with make_client(hall_dir, clock) as tenant:
        joined = join(tenant, code)
        # THEN it is signed in to its portal, and the operator app is closed to it
        assert joined.status_code == 303 and joined.headers["location"] == "/t/"
        assert "누리소프트" in tenant.get("/t/").text
        assert tenant.get("/schedule").status_code == 403
    # AND the code cannot be used a second time
    with make_client(hall_dir, clock) as other:
        again = join(other, code)
        assert again.status_code == 404 and "이미 쓰였거나" in again.text
    # AND a bad id is refused with the folder rule
    bad = admin_client.post("/tenants", data={"csrf": csrf, "id": "../etc", "name": "x"})
    assert bad.status_code == 422 and "한글·영문·숫자" in bad.text


def test_an_invitation_expires(hall_dir, clock):  # noqa: F811
    code = add_tenant(hall_dir, "acme", clock())
    clock.advance(tenants.INVITE_SECONDS + 1)
    with make_client(hall_dir, clock) as client:
        assert join(client, code).status_code == 404


def test_disabling_a_company_ends_its_sessions(hall_dir, clock, admin_client):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        assert client.get("/t/").status_code == 200
        csrf = csrf_of(admin_client.get("/tenants").text)
        assert admin_client.post("/tenants/acme/disable", data={"csrf": csrf}).status_code == 200
        assert client.get("/t/", follow_redirects=False).status_code == 303  # back to the login page
        assert login(client, "acme-staff").status_code == 401
    finally:
        client.__exit__(None, None, None)


def test_a_resumed_upload_is_taken_by_intake_with_its_verdict_and_mockups(hall_dir, clock, clip):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        # GIVEN half a clip sent, then the connection gone
        made = create(client, len(clip), "봄 홍보.mp4")
        location = made.headers["location"]
        half = len(clip) // 2
        assert patch(client, location, 0, clip[:half]).status_code == 204
        # WHEN the page asks where to resume and sends the rest
        head = client.head(location, headers=TUS)
        assert head.status_code == 200 and head.headers["upload-offset"] == str(half)
        assert patch(client, location, 0, b"again").status_code == 409  # not from zero
        done = patch(client, location, half, clip[half:])
        assert done.status_code == 204 and done.headers["upload-offset"] == str(len(clip))
        client.app.state.intaker.wait()
        # THEN the waiting page leads to the submission, accepted and waiting for review
        uid = location.rsplit("/", 1)[-1]
        verdict = client.get(f"/t/uploads/{uid}")
        assert "/t/submissions/" in str(verdict.url)
        text = verdict.text
        assert "검토 대기" in text and "1280×720" in text and "h264" in text
        # AND the pillar mock-up warns, with the numbers of the sentence
        assert "기둥 화면의 32%만 채웁니다 — 1080x1920 세로 버전을 올리면 화면을 가득 채웁니다" in text
        sid = int(str(verdict.url).rsplit("/", 1)[-1])
        assert client.get(f"/t/submissions/{sid}/poster.png").headers["content-type"] == "image/png"
        # AND the file went the inbox's way: one original kept, no upload left behind
        with Store(store_path(_hall(hall_dir))) as st:
            sub = st.get(sid)
        assert sub.tenant == "acme" and sub.filename == "봄 홍보.mp4" and (hall_dir / sub.original).is_file()
        assert not any((hall_dir / "var/web/tus").iterdir())
    finally:
        client.__exit__(None, None, None)


def test_a_portrait_version_is_used_for_the_pillar(hall_dir, clock, clip, tmp_path):  # noqa: F811
    portrait = write_h264(tmp_path / "tall.mp4", size=(720, 1280), seconds=6.0).read_bytes()
    client = tenant_client(hall_dir, clock, "acme")
    try:
        upload(client, clip, "wide.mp4")
        client.app.state.intaker.wait()
        sid = client.get("/api/v1/submissions").json()["submissions"][0]["id"]
        # WHEN the tenant attaches a portrait cut to it
        upload(client, portrait, "tall.mp4", portrait_for=sid)
        client.app.state.intaker.wait()
        page = client.get(f"/t/submissions/{sid}").text
        # THEN the pillar mock-up fills the wall and the list still shows one promo
        assert "기둥 화면의 100%를 채웁니다" in page and "세로 버전 #" in page
        assert len(client.get("/api/v1/submissions").json()["submissions"]) == 1
        # AND approving conforms the portrait cut for the pillar, the wide one elsewhere
        hall = _hall(hall_dir)
        with Store(store_path(hall)) as st:
            cid = review.approve(hall, st, sid, displays=["front", "pillar"], first=dt.date(2026, 12, 1),
                                 last=dt.date(2026, 12, 31), per_hour=4, now=dt.datetime(2026, 12, 1, 10, tzinfo=SEOUL))
            media = dict(st.campaigns(SEOUL).by_id(cid).media)
        assert media["pillar"].endswith("-1080x1920.mp4") and media["front"].endswith("-1920x1080.mp4")
        assert media["pillar"].split("-")[0] != media["front"].split("-")[0]  # two different originals
    finally:
        client.__exit__(None, None, None)


def test_another_company_sees_none_of_it(hall_dir, clock, clip):  # noqa: F811
    acme = tenant_client(hall_dir, clock, "acme")
    nuri = tenant_client(hall_dir, clock, "nuri")
    try:
        uid, _ = upload(acme, clip, "acme.mp4")
        acme.app.state.intaker.wait()
        sid = acme.get("/api/v1/submissions").json()["submissions"][0]["id"]
        # WHEN the other company asks for acme's ids, by page and by API
        # THEN every answer is 404, like an id that does not exist
        for path in (f"/t/submissions/{sid}", f"/t/submissions/{sid}/poster.png", f"/t/submissions/{sid}/sheet.png",
                     f"/t/uploads/{uid}", f"/api/v1/submissions/{sid}"):
            assert nuri.get(path).status_code == 404, path
        assert nuri.post(f"/t/submissions/{sid}/withdraw", data={"csrf": nuri.csrf}).status_code == 404
        assert nuri.get("/api/v1/submissions").json()["submissions"] == []
        assert "acme.mp4" not in nuri.get("/t/").text
        # ... and an unfinished upload of acme's cannot be read, resumed or ended by nuri
        made = create(acme, 10_000, "half.mp4").headers["location"]
        assert nuri.head(made, headers=TUS).status_code == 404
        assert patch(nuri, made, 0, b"x" * 10).status_code == 404
        assert nuri.delete(made, headers={**TUS, "X-CSRF-Token": nuri.csrf}).status_code == 404
        assert acme.head(made, headers=TUS).status_code == 200
    finally:
        acme.__exit__(None, None, None)
        nuri.__exit__(None, None, None)


@pytest.mark.parametrize("body", [b"<!DOCTYPE html><html><body>" + b"x" * 600,
                                  b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">' + b" " * 600])
def test_html_or_svg_named_mp4_is_refused_and_leaves_nothing(hall_dir, clock, body):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        made = create(client, len(body), "clip.mp4")
        refused = patch(client, made.headers["location"], 0, body)
        assert refused.status_code == 415 and "HTML·SVG" in refused.json()["message"]
        assert not any((hall_dir / "var/web/tus").iterdir())
        assert not (hall_dir / "var/intake/originals").exists() or not any((hall_dir / "var/intake/originals").iterdir())
    finally:
        client.__exit__(None, None, None)


@pytest.mark.parametrize("name,needle", [("../../etc/passwd.mp4", "경로"), ("a\nb.mp4", "줄바꿈"),
                                          ("가" * 100 + ".mp4", "너무 깁니다"), ("", "이름이 없습니다")])
def test_bad_names_are_refused_before_any_byte(hall_dir, clock, name, needle):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        refused = create(client, 1000, name)
        assert refused.status_code == 400 and needle in refused.json()["message"]
        assert not (hall_dir / "var/web/tus").exists() or not any((hall_dir / "var/web/tus").iterdir())
    finally:
        client.__exit__(None, None, None)


def test_size_cap_storage_quota_and_monthly_quota(hall_dir, clock):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme", storage_mb=100, monthly=2)
    try:
        too_big = create(client, 600_000_000, "huge.mp4")  # promos.max_size_mb is 500
        assert too_big.status_code == 413 and "최대 500 MB" in too_big.json()["message"]
        over = create(client, 150_000_000, "big.mp4")
        assert over.status_code == 413 and "저장 용량" in over.json()["message"]
        assert create(client, 1000, "a.mp4").status_code == 201
        assert create(client, 1000, "b.mp4").status_code == 201
        month = create(client, 1000, "c.mp4")
        assert month.status_code == 413 and "이번 달" in month.json()["message"]
    finally:
        client.__exit__(None, None, None)


def test_a_thousand_uploads_at_once_hit_the_cap(hall_dir, clock):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme", monthly=5000, storage_mb=100_000)
    try:
        codes = [create(client, 1000, f"{i}.mp4").status_code for i in range(1000)]
        assert codes.count(201) == 5 and codes.count(429) == 995
        assert len(list((hall_dir / "var/web/tus").glob("*.part"))) == 5
    finally:
        client.__exit__(None, None, None)


def test_an_unfinished_upload_is_swept_after_a_day(tmp_path):
    # GIVEN an upload started and left at noon
    tus = TusStore(tmp_path)
    up = tus.create("acme-staff", "acme", 100, {"filename": "x.mp4"}, now=1000.0)

    async def some():
        yield b"x" * 10

    asyncio.run(tus.append(up, 0, some(), now=2000.0))
    # WHEN a sweep runs just before a day has passed since it was last touched
    assert tus.sweep(2000.0 + EXPIRE_S - 1) == []
    # THEN it stays; a day later it is gone, files and all
    assert tus.sweep(2000.0 + EXPIRE_S) == [up.id]
    assert list(tmp_path.iterdir()) == []


def test_a_cut_connection_keeps_the_bytes_that_arrived(tmp_path):
    tus = TusStore(tmp_path)
    up = tus.create("a", "acme", 1000, {}, now=0.0)

    async def cut():
        yield b"a" * 300
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        asyncio.run(tus.append(up, 0, cut(), now=1.0))
    assert tus.get(up.id).offset == 300


def test_tenant_logins_are_throttled_per_account_and_address(hall_dir, clock):  # noqa: F811
    code = add_tenant(hall_dir, "acme", clock())
    with make_client(hall_dir, clock) as client:
        join(client, code)
    with make_client(hall_dir, clock, address="10.0.0.9") as client:
        for _ in range(5):
            assert login(client, "acme-staff", "wrong-password").status_code == 401
        assert login(client, "acme-staff").status_code == 429
        clock.advance(31)
        ok = login(client, "acme-staff")
        assert ok.status_code == 303 and ok.headers["location"] == "/t/"


def test_names_and_texts_a_tenant_gave_are_escaped(hall_dir, clock):  # noqa: F811
    # GIVEN a file dropped in the inbox with markup in its name, scanned as staff do
    hall = _hall(hall_dir)
    folder = hall_dir / "inbox" / "acme"
    folder.mkdir(parents=True)
    with Store(store_path(hall)) as st:
        st.add(tenant="acme", filename="<script>alert(1)</script>.mp4", size=10, mtime_ns=1,
               received=dt.datetime(2026, 12, 1, 9, tzinfo=SEOUL), status="refused")
    client = tenant_client(hall_dir, clock, "acme")
    try:
        page = client.get("/t/").text
        # THEN staff-dropped files are in the portal too, shown as text, never as markup
        assert "&lt;script&gt;alert(1)&lt;/script&gt;.mp4" in page and "<script>alert(1)" not in page
        assert "받은편지함" in page
    finally:
        client.__exit__(None, None, None)


def test_operator_pages_and_api_are_closed_to_tenants_and_specs_are_shown(hall_dir, clock):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        specs = client.get("/t/specs").text
        assert "1080 × 1920" in specs and "기둥" in specs and "소리가 나지 않습니다" in specs and "25%" in specs
        assert client.get("/reports").status_code == 403 and client.get("/tenants").status_code == 403
        assert client.get("/api/v1/events").status_code == 404
    finally:
        client.__exit__(None, None, None)
    add_user(hall_dir, "op", "operator")
    with make_client(hall_dir, clock) as op:
        login(op, "op")
        assert op.get("/t/", follow_redirects=False).status_code == 403
        assert op.get("/api/v1/submissions").status_code == 404


def test_the_api_with_the_tenants_own_token(hall_dir, clock, clip):  # noqa: F811
    client = tenant_client(hall_dir, clock, "acme")
    try:
        upload(client, clip, "api.mp4")
        client.app.state.intaker.wait()
    finally:
        client.__exit__(None, None, None)
    db = store.open_db(store.db_path(hall_dir))
    token = store.new_token(db, "acme-staff", 0.0)
    db.close()
    with make_client(hall_dir, clock) as api:
        h = {"Authorization": f"Bearer {token}"}
        subs = api.get("/api/v1/submissions", headers=h).json()["submissions"]
        assert [s["filename"] for s in subs] == ["api.mp4"] and subs[0]["status"] == "pending"
        one = api.get(f"/api/v1/submissions/{subs[0]['id']}", headers=h).json()
        assert one["facts"]["width"] == 1280
        plays = api.get("/api/v1/reports/plays?from=2026-11-01&to=2026-11-30", headers=h).json()
        assert plays["tenant"] == "acme" and plays["rows"] == []
        assert api.get("/api/v1/reports/plays?from=nope", headers=h).status_code == 400
        # tus by token, no session: no CSRF header needed
        made = api.post("/api/v1/uploads/", headers={**h, **TUS, "Upload-Length": "10",
                                                      "Upload-Metadata": "filename YS5tcDQ="})
        assert made.status_code == 201
        spec = api.get("/api/v1/openapi.json").json()["paths"]
        assert {"/submissions", "/submissions/{id}", "/uploads/", "/uploads/{id}", "/reports/plays"} <= set(spec)


def test_by_default_any_container_and_codec_that_decodes_is_accepted():
    from signage.config.models import PromoConfig
    from signage.intake.rules import judge

    # GIVEN a ProRes .mov master and an old AVI that decode to the end
    for container, codec in (("mov", "prores"), ("avi", "mpeg4")):
        facts = {"kind": "video", "container": container, "codec": codec, "width": 1920, "height": 1080,
                 "duration_s": 15.0, "header_duration_s": 15.0, "decodes": True, "error": None}
        # THEN the default rules accept them (every clip is conformed anyway)
        assert judge(facts, PromoConfig()) == ()
    # AND a hall that lists containers still narrows them
    narrow = judge({**facts, "container": "avi"}, PromoConfig(containers=("mp4",)))
    assert [r.id for r in narrow] == ["r_container"]
