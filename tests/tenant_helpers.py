"""Tenant portal test pieces: a company with an invited login, signed in; tus requests."""

from __future__ import annotations

import base64

from signage.web import store, tenants
from tests.web_helpers import PASSWORD, csrf_of, make_client

TUS = {"Tus-Resumable": "1.0.0"}


def add_tenant(hall_dir, tid: str, now: float, login: str | None = None, **quota) -> str:
    """GIVEN a company ``tid``; returns an invitation code for ``login`` (or ``tid-staff``)."""
    db = store.open_db(store.db_path(hall_dir))
    tenants.add(db, tid, f"{tid} 주식회사", now, **quota)
    code = tenants.invite(db, tid, login or f"{tid}-staff", now)
    db.close()
    return code


def join(client, code: str, password: str = PASSWORD):
    page = client.get(f"/invite/{code}")
    return client.post("/invite", data={"csrf": csrf_of(page.text), "code": code, "password": password,
                                        "password2": password}, follow_redirects=False)


def tenant_client(hall_dir, clock, tid: str = "acme", address: str = "127.0.0.1", **quota):
    """A client signed in as the first login of a new company ``tid`` (use as a context manager)."""
    code = add_tenant(hall_dir, tid, clock(), **quota)
    client = make_client(hall_dir, clock, address)
    client.__enter__()
    assert join(client, code).status_code == 303
    client.csrf = csrf_of(client.get("/t/").text)
    return client


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


def create(client, length: int, filename: str, **more):
    headers = {**TUS, "Upload-Length": str(length), "Upload-Metadata": meta(filename=filename, **more),
               "X-CSRF-Token": client.csrf}
    return client.post("/api/v1/uploads/", headers=headers)


def patch(client, location: str, offset: int, data: bytes):
    return client.patch(location, content=data, headers={
        **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
        "X-CSRF-Token": client.csrf})


def upload(client, data: bytes, filename: str, parts: int = 2, **more):
    """Create and send ``data`` in ``parts`` PATCH requests; returns (upload id, last response)."""
    made = create(client, len(data), filename, **more)
    assert made.status_code == 201, made.text
    location = made.headers["location"]
    step = max(1, -(-len(data) // parts))
    response = None
    for offset in range(0, len(data), step):
        response = patch(client, location, offset, data[offset:offset + step])
        if response.status_code != 204:
            break
    return location.rsplit("/", 1)[-1], response
