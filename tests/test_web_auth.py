"""signage serve: sessions, the first account, throttled logins, roles, CSRF, language, error pages."""

from __future__ import annotations

import re

from tests.web_helpers import add_user, admin_client, clock, csrf_of, login, make_client, token_for  # noqa: F401


def test_without_a_session_pages_go_to_login_and_the_api_says_401(hall_dir, clock):  # noqa: F811
    # GIVEN a hall with an account
    add_user(hall_dir, "boss", "admin")
    with make_client(hall_dir, clock) as client:
        # WHEN a page and the API are asked without a session or token
        page = client.get("/schedule", follow_redirects=False)
        api = client.get("/api/v1/events")
        bad_token = client.get("/api/v1/events", headers={"Authorization": "Bearer nope"})
    # THEN the page sends to the login page, the API answers 401 in JSON
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/schedule")
    assert api.status_code == 401 and api.json()["error"] == "err_unauthenticated"
    assert bad_token.status_code == 401


def test_with_no_account_the_first_visit_from_loopback_creates_the_admin(hall_dir, clock):  # noqa: F811
    # GIVEN no account at all
    with make_client(hall_dir, clock, address="192.168.0.7") as far:
        # WHEN someone on the LAN tries the first-account page
        assert far.get("/schedule", follow_redirects=False).headers["location"].startswith("/login")
        form = far.get("/login")
        refused = far.post("/setup", data={"csrf": csrf_of(form.text), "name": "evil", "password": "x" * 12,
                                           "password2": "x" * 12}, follow_redirects=False)
        # THEN it is not offered and not accepted
        assert refused.headers["location"] == "/login"
    with make_client(hall_dir, clock) as near:
        # WHEN the same is done from this computer
        first = near.get("/schedule", follow_redirects=False)
        assert first.headers["location"] == "/setup"
        page = near.get("/setup")
        done = near.post("/setup", data={"csrf": csrf_of(page.text), "name": "boss", "password": "y" * 12,
                                         "password2": "y" * 12}, follow_redirects=False)
        # THEN the admin exists and is signed in; the page is gone afterwards
        assert done.status_code == 303
        assert near.get("/schedule").status_code == 200
        assert near.get("/setup", follow_redirects=False).headers["location"] == "/login"


def test_session_cookie_is_httponly_and_samesite_lax(hall_dir, clock):  # noqa: F811
    add_user(hall_dir, "boss", "admin")
    with make_client(hall_dir, clock) as client:
        response = login(client, "boss")
    cookie = [v for k, v in response.headers.multi_items() if k == "set-cookie" and "signage_session" in v][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_failed_logins_make_the_account_and_the_address_wait(hall_dir, clock):  # noqa: F811
    # GIVEN an account, and five wrong passwords from one address
    add_user(hall_dir, "boss", "admin")
    with make_client(hall_dir, clock) as client:
        for _ in range(5):
            assert login(client, "boss", "wrong-password").status_code == 401
        # WHEN the right password comes next, at once
        blocked = login(client, "boss")
        # THEN it waits: a Korean page that says how long, and no session
        assert blocked.status_code == 429
        assert "초 뒤에 다시 시도하세요" in blocked.text and "429" not in blocked.text
        # ... and another name from the same address waits too
        add_user(hall_dir, "op", "operator")
        assert login(client, "op").status_code == 429
        # WHEN 30 s have passed (the first wait)
        clock.advance(31)
        # THEN the right password works
        assert login(client, "boss").status_code == 303
        # and the wait grows: after the first wait, one more failure means 60 s
        for _ in range(5):
            login(client, "op", "wrong-password")
        clock.advance(31)
        assert login(client, "op", "wrong-password").status_code == 401
        clock.advance(31)
        assert login(client, "op").status_code == 429
        clock.advance(30)
        assert login(client, "op").status_code == 303


def test_roles_operator_is_not_admin_and_tenant_gets_nothing(hall_dir, clock):  # noqa: F811
    # GIVEN an operator and a tenant
    add_user(hall_dir, "op", "operator")
    add_user(hall_dir, "acme-user", "tenant", tenant="acme")
    token = token_for(hall_dir, "acme-user")
    with make_client(hall_dir, clock) as client:
        login(client, "op")
        # THEN the operator uses the schedule but not account management
        assert client.get("/schedule").status_code == 200
        refused = client.get("/accounts")
        assert refused.status_code == 403 and "권한이 없습니다" in refused.text
        assert 'href="/accounts"' not in client.get("/schedule").text
    with make_client(hall_dir, clock) as client:
        login(client, "acme-user")
        # THEN a tenant gets a 403 page in the operator app and 404 from the API
        assert client.get("/schedule").status_code == 403
    with make_client(hall_dir, clock) as client:
        assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 404
        assert client.get("/api/v1/events/0", headers={"Authorization": f"Bearer {token}"}).status_code == 404


def test_a_form_without_its_csrf_token_is_refused(admin_client, hall_dir):  # noqa: F811
    before = (hall_dir / "config.yaml").read_bytes()
    # WHEN an event form and an account form are posted without the token
    ev = admin_client.post("/schedule/events", data={"name": "x", "date": "2026-12-10", "start": "10:00",
                                                      "end": "11:00", "mode_rear": "playlist",
                                                      "playlist_rear": "ir-stage"})
    acct = admin_client.post("/accounts", data={"name": "mallory", "role": "admin", "password": "z" * 12,
                                                "password2": "z" * 12, "csrf": "forged"})
    api = admin_client.post("/api/v1/events", json={"name": "x"})
    # THEN nothing happens, and a person reads why
    assert ev.status_code == 403 and "보안 확인 값" in ev.text
    assert acct.status_code == 403
    assert api.status_code == 403
    assert (hall_dir / "config.yaml").read_bytes() == before
    assert "mallory" not in admin_client.get("/accounts").text


def test_admin_adds_an_account_and_a_token_and_it_is_in_the_audit_log(admin_client, hall_dir):  # noqa: F811
    page = admin_client.get("/accounts")
    added = admin_client.post("/accounts", data={"csrf": csrf_of(page.text), "name": "op", "role": "operator",
                                                 "password": "p" * 12, "password2": "p" * 12})
    assert added.status_code == 200 and "op" in added.text
    issued = admin_client.post("/accounts/op/token", data={"csrf": csrf_of(page.text)})
    token = re.search(r'id="new-token">([^<]+)<', issued.text).group(1)
    entries = admin_client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}).json()["entries"]
    assert [e["action"] for e in entries][:3] == ["token_create", "user_add", "login"]
    assert entries[0]["user"] == "boss" and entries[0]["address"] == "127.0.0.1"


def test_language_switch_and_friendly_error_pages(admin_client):  # noqa: F811
    assert "주간 일정" in admin_client.get("/schedule").text
    english = admin_client.get("/schedule?lang=en")
    assert "Week schedule" in english.text
    assert "Week schedule" in admin_client.get("/schedule").text  # remembered in a cookie
    missing = admin_client.get("/no/such/page")
    assert missing.status_code == 404 and "Not found" in missing.text and "404" not in missing.text
    assert "<html" in admin_client.get("/schedule/events/99").text
