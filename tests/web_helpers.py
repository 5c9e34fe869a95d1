"""Shared pieces of the web app tests: an app over a copy of the sample hall, a fake clock, logins."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from signage.web import store

SEOUL = ZoneInfo("Asia/Seoul")
PASSWORD = "correct-horse-42"


class FakeClock:
    def __init__(self, when: dt.datetime):
        self.t = when.timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL))


def make_client(hall_dir, clock, address="127.0.0.1"):
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

    from signage.web.app import create_app

    app = create_app(hall_dir / "config.yaml", clock=clock)
    return TestClient(app, base_url="http://127.0.0.1", client=(address, 50000))


def add_user(hall_dir, name, role, tenant=None):
    db = store.open_db(store.db_path(hall_dir))
    store.add_user(db, name, store.Role(role), PASSWORD, 0.0, tenant)
    db.close()


def token_for(hall_dir, name) -> str:
    db = store.open_db(store.db_path(hall_dir))
    value = store.new_token(db, name, 0.0)
    db.close()
    return value


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, name, password=PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"csrf": csrf_of(page.text), "name": name, "password": password,
                                       "next": "/schedule"}, follow_redirects=False)


@pytest.fixture
def admin_client(hall_dir, clock):
    """GIVEN an admin account, signed in from loopback."""
    add_user(hall_dir, "boss", "admin")
    with make_client(hall_dir, clock) as client:
        assert login(client, "boss").status_code == 303
        yield client
