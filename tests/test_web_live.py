"""The live page and /api/v1/walls in-process, against the real control API of a hall whose
walls are a stand-in (no Qt): each wall's canvas is black under a black hold, else its colour."""

from __future__ import annotations

import html
import io
import json
import re
import socket
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from signage.config.loader import load_hall
from signage.control.api import ControlServer
from signage.control.operations import Operations
from signage.live import LiveHall
from signage.playback.catalog import Catalog
from signage.playback.clock import FakeClock as PlayClock
from signage.playback.holds import HoldKind, MessageStyle
from signage.schedule import resolve
from signage.web import store
from tests.helpers import at
from tests.web_helpers import add_user, admin_client, clock, make_client, token_for  # noqa: F401

TOKEN = "player-secret"
COLOURS = {"front": (40, 160, 40), "rear": (40, 40, 200), "pillar": (220, 120, 0)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Walls:
    """What the walls show, as the control API's snapshot reads it (``latest``)."""

    def __init__(self, live: LiveHall, play_clock: PlayClock):
        self.live, self.clock = live, play_clock
        self.rehearsal = False
        self.missing_screens: dict[str, str] = {}

    @property
    def latest(self) -> dict:
        out = {}
        for name, spec in self.live.hall.displays.items():
            w, h = spec.size
            hold = self.live.hold_at(name, self.clock.now())
            canvas = np.zeros((h, w, 4), np.uint8)
            if hold is None or hold.kind is not HoldKind.BLACK:
                r, g, b = COLOURS[name]
                canvas[:] = (b, g, r, 255)
            out[name] = canvas
        return out


@pytest.fixture
def player(hall_dir, monkeypatch):
    """GIVEN the sample hall with its control API on a free port (token set) and walls playing."""
    monkeypatch.setattr("signage.control.api.SNAPSHOT_FRESH", 0.0)  # the web app's cache is under test
    port = free_port()
    config = hall_dir / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\ncontrol: {{port: {port}, token: {TOKEN}}}\n",
                      encoding="utf-8")
    hall = load_hall(config, check_assets=False)
    play_clock = PlayClock(at("2026-12-03 10:00:00"))
    timeline = resolve(hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    live = LiveHall(hall, Catalog(), lambda now: timeline, deck_dir=hall_dir / "var/decks")
    walls = Walls(live, play_clock)
    server = ControlServer(Operations(live), lambda fn: fn(), play_clock, "127.0.0.1", port, TOKEN, player=walls)
    server.start()
    yield SimpleNamespace(live=live, walls=walls, server=server, port=port)
    server.stop()


def held(live) -> dict:
    return {d: h.kind.value for d, h in live.operator.holds.items()}


def pixel(png: bytes) -> tuple:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.size, image.getpixel((image.width // 2, image.height // 2))


def audit_actions(hall_dir) -> list[tuple]:
    db = store.open_db(store.db_path(hall_dir))
    rows = [(r["user"], r["action"], r["detail"]) for r in store.audit_rows(db)]
    db.close()
    return rows


def bearer(hall_dir, name="op", role="operator"):
    add_user(hall_dir, name, role, tenant="t1" if role == "tenant" else None)
    return {"Authorization": f"Bearer {token_for(hall_dir, name)}"}


def test_walls_api_shapes_the_players_status_for_tools(player, hall_dir, clock):  # noqa: F811
    # GIVEN an operator's token and a rear wall with an urgent notice
    headers = bearer(hall_dir)
    with make_client(hall_dir, clock) as client:
        client.post("/api/v1/notices", headers=headers, json={"text": "대피로 안내", "displays": ["rear"]})
        # WHEN a tool asks what the walls show
        reply = client.get("/api/v1/walls", headers=headers)
    # THEN every wall is there with its label, source, item and hold, in plain values
    assert reply.status_code == 200
    body = reply.json()
    assert set(body["walls"]) == {"front", "rear", "pillar"} and body["rehearsal"] is False
    front, rear = body["walls"]["front"], body["walls"]["rear"]
    assert front["label"] == "전면" and front["source"] in ("default", "daypart") and front["playlist"]
    assert front["item"]["kind"] in ("image", "video", "slide", "pdf") and front["hold"] is None
    assert front["clicker"] is True and front["snapshot"] == "/api/v1/walls/front/snapshot.png"
    assert rear["source"] == "operator"
    assert rear["hold"] == {**rear["hold"], "kind": "message", "style": "urgent", "text": "대피로 안내"}
    assert front["missing_screen"] is None and front["size"] == [1920, 1080]


def test_buttons_through_the_api_act_on_the_player_and_are_audited(player, hall_dir, clock):  # noqa: F811
    headers = bearer(hall_dir)
    with make_client(hall_dir, clock) as client:
        # WHEN the rear and pillar walls are blacked, then all walls resumed
        black = client.post("/api/v1/walls/rear,pillar/black", headers=headers)
        assert black.status_code == 200 and black.json()["displays"] == ["rear", "pillar"]
        assert held(player.live) == {"rear": "black", "pillar": "black"}
        resume = client.post("/api/v1/walls/all/resume", headers=headers)
        # AND bad requests are refused with a reason and change nothing
        unknown_wall = client.post("/api/v1/walls/ceiling/black", headers=headers)
        unknown_action = client.post("/api/v1/walls/front/explode", headers=headers)
        anonymous = client.post("/api/v1/walls/front/black")
        tenant = client.post("/api/v1/walls/front/black", headers=bearer(hall_dir, "shop", "tenant"))
    # THEN the player did exactly that, and the audit log says who did what
    assert resume.status_code == 200 and held(player.live) == {}
    assert unknown_wall.status_code == 404 and "ceiling" in unknown_wall.json()["message"]
    assert unknown_action.status_code == 400
    assert anonymous.status_code == 401 and tenant.status_code == 404
    assert held(player.live) == {}
    actions = audit_actions(hall_dir)
    assert ("op", "live_black", "rear,pillar") in actions
    assert ("op", "live_resume", "front,rear,pillar") in actions


def test_notices_in_two_styles_with_walls_and_expiry_then_cleared(player, hall_dir, clock):  # noqa: F811
    headers = bearer(hall_dir)
    with make_client(hall_dir, clock) as client:
        # WHEN a notice (안내) goes on the front and pillar for 10 minutes, and the rear is blacked
        shown = client.post("/api/v1/notices", headers=headers, json={
            "text": "3층 세미나실에서 시작합니다", "style": "notice", "displays": ["front", "pillar"], "for": "10m"})
        client.post("/api/v1/walls/rear/black", headers=headers)
        bad = client.post("/api/v1/notices", headers=headers, json={"text": "x", "style": "loud"})
        empty = client.post("/api/v1/notices", headers=headers, json={"text": "  "})
        holds = dict(player.live.operator.holds)
        # AND the notices are cleared
        cleared = client.delete("/api/v1/notices", headers=headers)
    # THEN the notice had its style, walls and end; clearing lifts only the notices
    assert shown.status_code == 200 and shown.json()["displays"] == ["front", "pillar"]
    assert {d: (h.kind.value, h.style) for d, h in holds.items()} == {
        "front": ("message", MessageStyle.NOTICE), "pillar": ("message", MessageStyle.NOTICE), "rear": ("black", None)}
    assert holds["front"].until == at("2026-12-03 10:10:00")
    assert bad.status_code == 400 and empty.status_code == 400
    assert cleared.json()["displays"] == ["front", "pillar"] and held(player.live) == {"rear": "black"}
    actions = [a for _, a, _ in audit_actions(hall_dir)]
    assert "live_notice" in actions and "live_notice_clear" in actions


def test_the_snapshot_proxy_costs_the_player_one_request_per_wall_per_half_second(player, admin_client, clock):  # noqa: F811
    # GIVEN the operator's page WHEN twenty viewers fetch the front thumbnail at the same moment
    answers = [admin_client.get("/live/snapshot/front.png?width=480") for _ in range(20)]
    link = admin_client.app.state.player_link
    # THEN all get the front wall's picture, and the player was asked once
    assert all(a.status_code == 200 and a.headers["content-type"] == "image/png" for a in answers)
    assert pixel(answers[0].content) == ((480, 270), COLOURS["front"])
    assert link.requests == 1
    # WHEN half a second has passed THEN the next viewer's look asks the player again
    clock.advance(0.6)
    pillar = admin_client.get("/live/snapshot/pillar.png?width=270")
    admin_client.get("/live/snapshot/front.png?width=480")
    assert link.requests == 3
    assert pixel(pillar.content)[0] == (270, 480)  # the pillar stays tall and narrow


def test_black_from_the_live_page_turns_the_thumbnail_black_and_resume_brings_it_back(player, admin_client, clock):  # noqa: F811
    page = admin_client.get("/live")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # WHEN 끄기 is pressed on the rear wall (as htmx sends the form)
    done = admin_client.post("/live/act", data={"csrf": csrf, "display": "rear", "action": "black"},
                             headers={"HX-Request": "true"})
    clock.advance(1)
    dark = admin_client.get("/live/snapshot/rear.png?width=480")
    # THEN the answer is a Korean sentence, the panel is told to refresh, the thumbnail is black
    assert done.status_code == 200 and "후면: 끄기" in done.text and done.headers["HX-Trigger"] == "live-refresh"
    assert pixel(dark.content)[1] == (0, 0, 0)
    panel = admin_client.get("/live/panel")
    assert 'id="state-rear"' in panel.text and 'data-hold="black"' in panel.text
    # WHEN 일정 복귀 is pressed THEN the picture comes back
    admin_client.post("/live/act", data={"csrf": csrf, "display": "rear", "action": "resume"},
                      headers={"HX-Request": "true"})
    clock.advance(1)
    assert pixel(admin_client.get("/live/snapshot/rear.png?width=480").content)[1] == COLOURS["rear"]
    # AND a form without its token changes nothing
    forged = admin_client.post("/live/act", data={"display": "rear", "action": "black"})
    assert forged.status_code == 403 and held(player.live) == {}


def test_the_page_says_in_korean_when_the_player_is_not_running(hall_dir, admin_client, clock):  # noqa: F811
    # GIVEN no player at all (its port closed) WHEN the live page, its panel and thumbnails are asked
    config = hall_dir / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\ncontrol: {{port: {free_port()}}}\n", encoding="utf-8")
    page = admin_client.get("/live")
    panel = admin_client.get("/live/panel")
    thumb = admin_client.get("/live/snapshot/front.png")
    api = admin_client.get("/api/v1/walls")
    # THEN the page says so in Korean and keeps polling; no raw error reaches anyone
    assert page.status_code == 200 and "플레이어가 실행 중이 아닙니다" in page.text and 'hx-trigger="every 1s' in page.text
    assert "플레이어가 실행 중이 아닙니다" in panel.text and "Errno" not in panel.text + page.text
    assert thumb.status_code == 503
    assert api.status_code == 503 and api.json()["error"] == "player_down"
    english = admin_client.get("/live/panel?lang=en")
    assert "The player is not running" in english.text


def test_banners_for_a_missing_screen_and_a_rehearsal(player, admin_client):  # noqa: F811
    # GIVEN a player in rehearsal whose pillar's screen is missing
    player.walls.rehearsal = True
    player.live.missing_screens = {"pillar": "DP-1"}
    # WHEN the panel is read THEN it shows both banners in Korean
    panel = admin_client.get("/live/panel").text
    assert "리허설" in panel and "화면 없음: DP-1" in panel


def test_a_pdf_deck_uploaded_to_a_wall_is_saved_by_content_and_loaded(player, hall_dir, clock):  # noqa: F811
    headers = bearer(hall_dir)
    pdf = (hall_dir / "assets/decks/ir-deck.pdf").read_bytes()
    with make_client(hall_dir, clock) as client:
        # WHEN a PDF named like a path is uploaded for the front wall
        loaded = client.post("/api/v1/walls/front/deck", headers=headers,
                             files={"files": ("../../etc/발표.pdf", pdf, "application/pdf")})
        # AND a text file posing as a PDF, and a PDF mixed with photos, are uploaded
        fake = client.post("/api/v1/walls/rear/deck", headers=headers,
                           files={"files": ("slides.pdf", b"hello, not a pdf", "application/pdf")})
        mixed = client.post("/api/v1/walls/rear/deck", headers=headers,
                            files=[("files", ("a.pdf", pdf, "application/pdf")), ("files", ("b.pdf", pdf, "application/pdf"))])
    # THEN the PDF is saved under a name we made and is on the wall at page 1
    assert loaded.status_code == 200, loaded.text
    body = loaded.json()
    assert body["state"] == "loaded" and body["pages"] >= 1 and body["kind"] == "pdf"
    assert re.fullmatch(r"var/web/decks/[0-9a-f]{16}/deck\.pdf", body["saved"]) and body["labels"] == ["발표.pdf"]
    assert player.live.deck_at("front", at("2026-12-03 10:00:00")).path == (hall_dir / body["saved"]).resolve()
    # AND the others are refused with a reason, leaving no file behind
    assert fake.status_code == 422 and "slides.pdf" in fake.json()["message"]
    assert mixed.status_code == 422
    assert len(list((hall_dir / "var/web/decks").iterdir())) == 1
    assert any(a == "live_deck" for _, a, _ in audit_actions(hall_dir))


def test_several_photos_become_a_folder_deck(player, hall_dir, admin_client):  # noqa: F811
    def jpeg(colour):
        out = io.BytesIO()
        Image.new("RGB", (64, 36), colour).save(out, "JPEG")
        return out.getvalue()

    page = admin_client.get("/live")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # WHEN three photos are uploaded from the page's deck form for the pillar
    sent = admin_client.post("/live/deck", data={"csrf": csrf, "display": "pillar"}, headers={"HX-Request": "true"},
                             files=[("files", (f"사진{i}.jpg", jpeg(c), "image/jpeg"))
                                    for i, c in enumerate([(255, 0, 0), (0, 255, 0), (0, 0, 255)], 1)])
    # THEN they are a folder deck of three pages on the pillar, and the page says so
    deck = player.live.deck_at("pillar", at("2026-12-03 10:00:00"))
    assert deck is not None and deck.path.is_dir()
    assert sorted(p.name for p in deck.path.iterdir()) == ["001.jpg", "002.jpg", "003.jpg"]
    assert "기둥에 '사진1.jpg +2' 3쪽을 띄웠습니다" in html.unescape(sent.text)


def test_a_presentation_is_recognised_by_its_content(tmp_path):
    import zipfile

    from signage.web.decks import presentation_suffix

    pptx, odp, fake = tmp_path / "a.bin", tmp_path / "b.bin", tmp_path / "c.pptx"
    with zipfile.ZipFile(pptx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
    with zipfile.ZipFile(odp, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert [presentation_suffix(p) for p in (pptx, odp, fake)] == [".pptx", ".odp", None]


def test_every_live_route_is_in_the_openapi_document(admin_client):  # noqa: F811
    paths = admin_client.get("/api/v1/openapi.json").json()["paths"]
    for route in ("/walls", "/walls/{display}/snapshot.png", "/walls/{display}/{action}", "/walls/{display}/deck",
                  "/notices"):
        assert route in paths
    assert set(paths["/notices"]) == {"post", "delete"}
    json.dumps(paths)
