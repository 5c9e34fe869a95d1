"""signage serve, 홍보 심사: the review queue (facts, contact sheet), approve conformed in a worker
with its progress polled, reject, withdraw, scan now; every decision in the audit log; the API."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from signage.intake.store import Store
from signage.web import store
from signage.web.desk import parts
from signage.web.promodesk import Job
from tests.media_factory import write_h264
from tests.web_helpers import add_user, clock, csrf_of, login, make_client, token_for  # noqa: F401


@pytest.fixture
def desk(hall_dir, clock):  # noqa: F811
    """GIVEN a signed-in operator and a clip in inbox/acme/ (with markup in its name), arrived an hour ago."""
    add_user(hall_dir, "op", "operator")
    (hall_dir / "inbox/acme").mkdir(parents=True)
    clip = write_h264(hall_dir / "inbox/acme/<i>봄 홍보</i>.mp4".replace("</i>", "&"), size=(1280, 720), seconds=6)
    os.utime(clip, (clock() - 3600, clock() - 3600))
    with make_client(hall_dir, clock) as client:
        assert login(client, "op").status_code == 303
        yield client


def _audit(hall_dir):
    db = store.open_db(store.db_path(hall_dir))
    try:
        return [(r["user"], r["action"], r["detail"]) for r in store.audit_rows(db)]
    finally:
        db.close()


def _scan(client) -> str:
    csrf = csrf_of(client.get("/promos").text)
    page = client.post("/promos/scan", data={"csrf": csrf})
    assert page.status_code == 200 and "새 파일 1개" in page.text
    return csrf


def test_the_queue_shows_facts_and_sheet_and_an_approval_is_conformed_with_progress(desk, hall_dir):
    csrf = _scan(desk)
    page = desk.get("/promos")
    card = re.search(r'<div class="card promo" id="sub-1".*?</form>\s*</div>', page.text, re.S).group(0)
    # THEN the submission shows its tenant, its name escaped, and its facts
    assert "&lt;i&gt;봄 홍보&amp;.mp4" in card and "<i>" not in card
    assert "6.0 s" in card and "1280×720" in card and "h264" in card and "30.00" in card and "없음" in card
    # AND its contact sheet is made (in the sandbox) when the page asks for it
    sheet = desk.get("/promos/1/sheet")
    assert '<img class="sheet" src="/promos/1/sheet.png"' in sheet.text
    png = desk.get("/promos/1/sheet.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    # WHEN the operator approves it for the pillar, 4 times an hour
    started = desk.post("/promos/1/approve", data={"csrf": csrf, "wall": ["pillar"], "from": "2026-12-01",
                                                   "until": "2026-12-14", "per_hour": "4"}, follow_redirects=False)
    assert started.status_code == 303
    # THEN the page shows the conforming progress fragment that polls itself until done
    first = desk.get("/promos/1/progress").text
    assert 'id="progress-1"' in first
    parts(desk.app.state.web).promos.wait(1)
    done = desk.get("/promos/1/progress").text
    assert 'data-state="done"' in done and "hx-trigger" not in done and "캠페인 #1" in done
    with Store(hall_dir / "var/intake.sqlite") as s:
        (row,) = s.campaign_rows()
    assert row[4] == "pillar" and row[7] == 4 and (hall_dir / next(iter(__import__("json").loads(row[12]).values()))).is_file()
    # AND the decision is in the audit log with who made it
    log = _audit(hall_dir)
    assert ("op", "promo_approve", "#1 → pillar 2026-12-01–2026-12-14 ×4/h (campaign #1)") in log
    assert any(a == "inbox_scan" and u == "op" for u, a, _ in log)
    # WHEN it is withdrawn
    gone = desk.post("/promos/1/withdraw", data={"csrf": csrf})
    assert gone.status_code == 200 and "송출을 중단했습니다: #1" in gone.text
    assert ("op", "promo_withdraw", "#1") in _audit(hall_dir)


def test_refusals_say_why_and_start_nothing(desk, hall_dir):
    csrf = _scan(desk)
    for form, sentence in [({"per_hour": "4"}, "벽을 하나 이상 고르세요"),
                           ({"wall": ["pillar"], "per_hour": "99"}, "시간당 횟수는 1–60"),
                           ({"wall": ["pillar"], "per_hour": "4", "until": "2026-11-01"}, "시작 날짜"),
                           ({"wall": ["lobby"], "per_hour": "4"}, "알 수 없는 디스플레이: lobby")]:
        data = {"csrf": csrf, "from": "2026-12-01", "until": "2026-12-14", **form}
        refused = desk.post("/promos/1/approve", data=data)
        assert refused.status_code == 422 and sentence in refused.text
    assert parts(desk.app.state.web).promos.job(1) is None
    # WHEN it is rejected without a reason, then with one
    assert desk.post("/promos/1/reject", data={"csrf": csrf, "reason": " "}).status_code == 422
    done = desk.post("/promos/1/reject", data={"csrf": csrf, "reason": "자막이 잘립니다"})
    # THEN it leaves the queue, the tenant's status file says why, and the log has it
    assert done.status_code == 200 and "반려했습니다: #1" in done.text and "검토할 홍보물이 없습니다" in done.text
    assert "자막이 잘립니다" in (hall_dir / "inbox/acme/STATUS.txt").read_text(encoding="utf-8")
    assert ("op", "promo_reject", "#1: 자막이 잘립니다") in _audit(hall_dir)
    # AND a second decision on it is refused
    again = desk.post("/promos/1/approve", data={"csrf": csrf, "wall": ["pillar"], "from": "2026-12-01",
                                                 "until": "2026-12-14", "per_hour": "4"})
    assert again.status_code == 422 and "검토 대기 상태가 아닙니다" in again.text


def test_the_review_api(desk, hall_dir):
    add_user(hall_dir, "desk-bot", "operator")
    auth = {"Authorization": f"Bearer {token_for(hall_dir, 'desk-bot')}"}
    _scan(desk)
    queue = desk.get("/api/v1/review", headers=auth).json()["submissions"]
    assert [s["id"] for s in queue] == [1] and queue[0]["facts"]["codec"] == "h264"
    assert queue[0]["filename"] == "<i>봄 홍보&.mp4" and queue[0]["job"] is None
    bad = desk.post("/api/v1/review/1/approve", headers=auth, json={"displays": ["pillar"], "per_hour": 0})
    assert bad.status_code == 422 and "1–60" in bad.json()["message"]
    started = desk.post("/api/v1/review/1/approve", headers=auth,
                        json={"displays": ["front", "rear"], "from": "2026-12-02", "until": "2026-12-09", "per_hour": 3})
    assert started.status_code == 202 and started.json()["job"]["state"] == "conforming"
    parts(desk.app.state.web).promos.wait(1)
    one = desk.get("/api/v1/review/1", headers=auth).json()
    assert one["status"] == "approved" and one["job"]["state"] == "done" and one["job"]["progress"] == 1.0
    assert one["campaigns"][0]["displays"] == ["front", "rear"]
    assert desk.post("/api/v1/review/1/reject", headers=auth, json={}).status_code == 422
    assert desk.get("/api/v1/review/99", headers=auth).status_code == 404
    assert any(u == "desk-bot" and a == "promo_approve" for u, a, _ in _audit(hall_dir))


def test_progress_counts_every_size_being_made():
    # GIVEN an approval for walls of two sizes
    job = Job(7, ("front", "pillar"), sizes=2)
    assert job.progress == 0.0
    # WHEN the first size is half made, then the second a quarter
    job.step, job.fraction = 1, 0.5
    assert job.progress == 0.25
    job.step, job.fraction = 2, 0.25
    assert job.progress == 0.625
    job.state = "done"
    assert job.progress == 1.0 and job.to_json()["progress"] == 1.0


def test_the_inbox_job_scans_like_signage_inbox_scan(desk, hall_dir, clock):  # noqa: F811
    board = parts(desk.app.state.web).jobs
    # WHEN the periodic scan runs (called directly, at the fake clock's time)
    counts = board.inbox()
    # THEN the clip is queued and the board remembers the run
    assert counts == {"new": 1, "waiting": 0, "refused": 0}
    assert board.last["inbox"].ok and board.last["inbox"].at == dt.datetime.fromtimestamp(clock(), board._hall().tz)
    assert any(u is None and a == "inbox_scan" for u, a, _ in _audit(hall_dir))
