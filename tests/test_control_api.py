"""The control API over real HTTP on loopback (raw sockets where a client misbehaves), Qt-free:
the operations run directly instead of on a Qt main thread."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from signage.config.loader import load_hall
from signage.control.api import ControlServer
from signage.control.operations import Operations
from signage.live import LiveHall
from signage.playback.catalog import Catalog
from signage.playback.clock import FakeClock
from signage.schedule import resolve
from tests.helpers import at
from tests.media_factory import hall, write_image

PLAYLISTS = {"loop": "defaults: {duration: 10s, transition: cut}\nitems:\n  - image: m/red.png\n"}
TOKEN = "s3cret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hall:
    """A hall's operations without a player: commands run in the calling thread."""

    def __init__(self, folder, port=None, token=TOKEN, extra=""):
        (folder / "m").mkdir(parents=True, exist_ok=True)
        write_image(folder / "m/red.png", size=(160, 90), colour=(255, 0, 0))
        config = hall(folder, PLAYLISTS)
        self.port = port or free_port()
        control = f"control: {{port: {self.port}" + (f", token: {token}" if token else "") + "}\n"
        config.write_text(config.read_text(encoding="utf-8") + control + extra, encoding="utf-8")
        self.hall = load_hall(config, check_assets=False)
        self.clock = FakeClock(at("2026-12-03 10:00:00"))
        self.timeline = resolve(self.hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
        self.live = LiveHall(self.hall, Catalog(), lambda now: self.timeline, deck_dir=folder / "var/decks")
        self.planner = self.live.planner
        self.ops = Operations(self.live)

    def server(self, **kw) -> ControlServer:
        return ControlServer(self.ops, lambda fn: fn(), self.clock, "127.0.0.1", self.port, TOKEN, **kw)

    @property
    def held(self) -> dict:
        return {d: hold.kind for d, hold in self.live.operator.holds.items()}


@pytest.fixture
def api(tmp_path):
    h = Hall(tmp_path / "hall")
    h.running = h.server()
    h.running.start()
    yield h
    h.running.stop()


def raw(port: int, data: bytes, *, close_after_send=False, reset=False, timeout=5.0) -> bytes:
    """Send bytes as they are and read the answer until the server closes or goes quiet."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        if reset:  # hang up hard (RST), the way a crashed client does
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
            return b""
        if close_after_send:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and complete(b"".join(chunks)):
                break
        return b"".join(chunks)
    finally:
        s.close()


def complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def parse(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    return int(head.split(b" ")[1]), json.loads(body[:length])


def chunked(command: str, body: bytes, token=TOKEN, end=True) -> bytes:
    head = (f"POST /api/{command} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    data = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:5], body[5:]) if part)
    return head + data + (b"0\r\n\r\n" if end else b"")


def test_a_chunked_request_is_read_whole(api):
    """GIVEN a client that sends its body in chunks (curl -H 'Transfer-Encoding: chunked')
    WHEN it blacks the rear wall THEN only the rear wall goes black."""
    code, reply = parse(raw(api.port, chunked("black", b'{"display": "rear"}')))
    assert code == 200 and reply["displays"] == ["rear"]
    assert api.held == {"rear": "black"}


def test_a_malformed_chunked_body_is_refused_and_changes_nothing(api):
    """GIVEN a chunked body that is not JSON WHEN it is posted to black THEN 400, and no wall is
    black (it used to be read as an empty body, which meant every wall)."""
    code, reply = parse(raw(api.port, chunked("black", b'{"display": rear')))
    assert code == 400 and reply["ok"] is False
    assert api.held == {}


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b"[1, 2]", b'"rear"', b"{not json"])
def test_a_body_that_cannot_be_read_is_refused(api, body):
    head = (f"POST /api/black HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    code, reply = parse(raw(api.port, head + body))
    assert code == 400 and reply["ok"] is False and reply["error"]
    assert api.held == {}


def test_an_oversized_body_gets_413_before_it_is_sent(api):
    """GIVEN a request announcing 10 MB WHEN only its headers have been sent THEN 413 comes back
    at once (the server does not wait for, or read, the body)."""
    head = (f"POST /api/black HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Length: 10000000\r\n\r\n").encode()
    code, reply = parse(raw(api.port, head + b'{"display": ', timeout=3))
    assert code == 413 and reply["ok"] is False
    assert api.held == {}


def test_an_oversized_chunked_body_gets_413(api):
    body = b'{"display": "rear", "text": "' + b"x" * 70_000 + b'"}'
    code, reply = parse(raw(api.port, chunked("black", body, end=False), timeout=3))
    assert code == 413 and reply["ok"] is False
    assert api.held == {}


def test_a_client_hanging_up_mid_request_leaves_no_traceback(api, caplog, capfd):
    """GIVEN a client that announces 100 bytes, sends 10 and resets the connection
    THEN nothing changes and neither the log nor stderr shows a traceback."""
    caplog.set_level(logging.DEBUG)
    head = (f"POST /api/black HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Length: 100\r\n\r\n").encode()
    for _ in range(3):
        raw(api.port, head + b'{"display"', reset=True)
    connections = api.running._server.server_state.connections
    deadline = time.monotonic() + 10
    while connections:  # the server has noticed every hang-up (in its own thread)
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # the server still answers
    code, _ = parse(raw(api.port, f"GET /api/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode()))
    assert code == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert api.held == {}


# ---- signage ctl: the client, in Korean, for this hall only -------------------------------------


def ctl(h: Hall, capsys, *args) -> tuple[int, str, str]:
    from signage.cli import main

    code = main(["--config", str(h.hall.config_path), "--lang", "ko", "ctl", *args])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err.strip()


@pytest.mark.parametrize("displays", [["--display", "rear,pillar"], ["--display", "rear", "--display", "pillar"]])
def test_ctl_says_what_it_did_with_the_walls_names(api, capsys, displays):
    """GIVEN a playing hall WHEN the operator blacks two walls with ctl
    THEN it says so in a sentence with the walls' names, and only those walls are black."""
    code, out, err = ctl(api, capsys, "black", *displays)
    assert (code, out, err) == (0, "후면, 기둥 화면을 껐습니다", "")
    assert api.held == {"rear": "black", "pillar": "black"}
    code, out, _ = ctl(api, capsys, "message", "잠시 후 시작합니다", "--display", "front", "--for", "10m")
    assert out == "전면 화면에 안내 문구를 띄웠습니다 — 10:10에 일정으로 돌아갑니다"
    code, out, _ = ctl(api, capsys, "resume", "--display", "all", "--json")
    assert json.loads(out) == {"ok": True, "action": "resume", "displays": ["front", "rear", "pillar"],
                               "result": {"front": "released", "rear": "released", "pillar": "released"}}


def test_ctl_without_display_names_no_wall(api, capsys, monkeypatch):
    """GIVEN no --display WHEN ctl blacks THEN the player is sent no wall at all (its clicker's-wall
    rule decides), never "all"; --display all sends "all"."""
    asked = []
    real = api.ops.hold
    monkeypatch.setattr(api.ops, "hold", lambda kind, displays, *a, **kw: (asked.append(displays),
                                                                          real(kind, ["front"], *a, **kw))[1])
    assert ctl(api, capsys, "black")[0] == 0
    assert ctl(api, capsys, "black", "--display", "all")[0] == 0
    assert asked == [None, "all"]


def test_ctl_status_reads_in_korean(api, capsys):
    ctl(api, capsys, "freeze", "--display", "pillar")
    code, out, _ = ctl(api, capsys, "status")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "테스트 홀 — 2026-12-03 10:00:00"
    assert lines[1].startswith("전면") and "기본" in lines[1] and "사진: red.png" in lines[1]
    assert lines[3].startswith("기둥") and "운영자" in lines[3] and "정지" in lines[3]


def test_ctl_errors_are_sentences(api, capsys, tmp_path):
    code, _, err = ctl(api, capsys, "black", "--display", "ceiling")
    assert code == 1 and "ceiling" in err and api.held == {}
    config = api.hall.config_path
    config.write_text(config.read_text(encoding="utf-8").replace(TOKEN, "wrong"), encoding="utf-8")
    code, _, err = ctl(api, capsys, "black", "--display", "rear")
    assert code == 1 and err == "토큰이 맞지 않습니다 — config.yaml의 control.token을 확인하세요"
    assert "401" not in err and api.held == {}


def test_ctl_refuses_another_halls_player(tmp_path, capsys):
    """GIVEN hall B's player on the port hall A's config names WHEN ctl runs for hall A
    THEN it refuses, naming the hall that answered, and B's walls are untouched."""
    b = Hall(tmp_path / "b")
    a = Hall(tmp_path / "a", port=b.port)
    server = b.server()
    server.start()
    try:
        code, _, err = ctl(a, capsys, "black", "--display", "all")
        assert code == 1 and "다른 홀의 플레이어" in err and str(b.hall.config_path.resolve()) in err
        assert b.held == {}
        code, _, err = ctl(a, capsys, "status")
        assert code == 1 and "다른 홀의 플레이어" in err
    finally:
        server.stop()


def test_ctl_with_no_player(tmp_path, capsys):
    code, _, err = ctl(Hall(tmp_path / "hall"), capsys, "status")
    assert code == 1 and "signage run" in err
