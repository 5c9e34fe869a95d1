"""tus PATCH bodies spliced from the socket into the upload's file (``signage.web.rawbody``).

A real uvicorn server (in a thread, with the protocol ``signage serve`` uses) and raw sockets,
so the test controls exactly which bytes arrive when: a cut connection, a pause before the
body, ``Expect: 100-continue``, a body past the declared length.
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import threading
import time

import pytest

from signage.web import portal, rawbody, store, tenants

pytestmark = pytest.mark.skipif(not rawbody.supported(), reason="splice(2) needs Linux and httptools")

MB = 1024 * 1024


@pytest.fixture
def server(served):
    port, token, tus, _srv = served
    return port, token, tus


@pytest.fixture
def served(hall_dir):
    """A real uvicorn server with the splicing protocol: port, a tenant's token, the tus store, the server."""
    import uvicorn

    from signage.web.app import create_app

    db = store.open_db(store.db_path(hall_dir))
    tenants.add(db, "acme", "에이크미 주식회사", time.time(), storage_mb=1000, monthly=100)
    store.add_user(db, "acme-staff", store.Role.TENANT, "correct-horse-42", time.time(), "acme")
    token = store.new_token(db, "acme-staff", time.time())
    db.close()
    app = create_app(hall_dir / "config.yaml", clock=time.time)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                        http=rawbody.http_protocol()))
    thread = threading.Thread(target=srv.run, name="uvicorn-rawbody-test")
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield port, token, portal.tus_store(hall_dir), srv
    srv.should_exit = True
    thread.join(15)
    app.state.intaker.wait()


@pytest.fixture
def spliced(monkeypatch):
    """Bytes moved by splice(2), call by call."""
    moved: list[int] = []
    real = rawbody._splice

    def counting(*args):
        n = real(*args)
        moved.append(n)
        return n

    monkeypatch.setattr(rawbody, "_splice", counting)
    return moved


def _head(token: str, **more) -> str:
    lines = [f"Authorization: Bearer {token}", "Tus-Resumable: 1.0.0", "Host: 127.0.0.1"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in more.items()]
    return "\r\n".join(lines)


def _request(port: int, text: str, body: bytes = b"") -> tuple[int, dict, socket.socket]:
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(text.encode() + b"\r\n\r\n" + body)
    return (*_response(s), s)


def _response(s: socket.socket) -> tuple[int, dict]:
    data = b""
    while not data.endswith(b"\r\n\r\n"):  # a byte at a time: the next response stays in the socket
        got = s.recv(1)
        if not got:
            break
        data += got
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    lines = head.split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers


def _create(port: int, token: str, length: int, name: str = "promo.mp4") -> str:
    meta = "filename " + base64.b64encode(name.encode()).decode()
    status, headers, s = _request(port, "POST /api/v1/uploads/ HTTP/1.1\r\n"
                                        + _head(token, Upload_Length=length, Upload_Metadata=meta, Content_Length=0))
    s.close()
    assert status == 201
    return headers["location"]


def _patch_head(location: str, token: str, offset: int, length: int, **more) -> str:
    return f"PATCH {location} HTTP/1.1\r\n" + _head(
        token, Upload_Offset=offset, Content_Type="application/offset+octet-stream", Content_Length=length, **more)


def _clip(n: int) -> bytes:
    return b"\x00\x00\x00\x20ftypisom" + os.urandom(n - 12)


def test_a_large_body_is_spliced_into_the_file_and_the_connection_kept_for_the_next(server, spliced):
    # GIVEN an upload of 12 MiB
    port, token, tus = server
    data = _clip(12 * MB)
    location = _create(port, token, len(data))
    uid = location.rsplit("/", 1)[-1]
    # WHEN 10 MiB of it are sent in two PATCHes on one connection, the second sent right behind the
    # first body before any answer came (pipelined), then a HEAD on the same connection
    half, sent = 6 * MB, 10 * MB
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, half).encode() + b"\r\n\r\n" + data[:half]
              + _patch_head(location, token, half, sent - half).encode() + b"\r\n\r\n" + data[half:sent]
              + f"HEAD {location} HTTP/1.1\r\n{_head(token)}\r\n\r\n".encode())
    first, second, third = _response(s), _response(s), _response(s)
    s.close()
    # THEN all three are answered on it, the file has every byte in order, most moved by the kernel
    assert first[0] == 204 and first[1]["upload-offset"] == str(half)
    assert first[1].get("connection") != "close"
    assert second[0] == 204 and second[1]["upload-offset"] == str(sent)
    assert third[0] == 200 and third[1]["upload-offset"] == str(sent)
    assert sum(spliced) >= 8 * MB
    assert tus.data(uid).read_bytes() == data[:sent]
    assert rawbody._active._value == rawbody.MAX_ACTIVE


def test_a_cut_connection_keeps_what_arrived_and_the_rest_resumes(server, spliced):
    # GIVEN an upload of 4 MiB of which the first 1.5 MiB are sent, then the client vanishes
    port, token, tus = server
    data = _clip(4 * MB)
    location = _create(port, token, len(data))
    uid = location.rsplit("/", 1)[-1]
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, len(data)).encode() + b"\r\n\r\n" + data[:3 * MB // 2])
    time.sleep(0.3)  # the server is reading; then the connection drops mid-body
    s.close()
    deadline = time.monotonic() + 10
    while tus.get(uid).offset < 3 * MB // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    # WHEN the client asks where to resume, and sends the rest
    status, headers, s = _request(port, f"HEAD {location} HTTP/1.1\r\n" + _head(token))
    s.close()
    offset = int(headers["upload-offset"])
    assert offset == 3 * MB // 2  # every byte that arrived was kept
    status, headers, s = _request(port, _patch_head(location, token, offset, len(data) - offset), data[offset:])
    s.close()
    # THEN the file is whole and equal to what was sent
    assert status == 204 and int(headers["upload-offset"]) == len(data)


def test_markup_sent_after_a_pause_is_refused_from_its_first_bytes(server, spliced):
    # GIVEN an upload whose PATCH headers arrive first and the body only later (nothing of it
    # was in the first packet), and the body is an HTML page named .mp4
    port, token, tus = server
    page = b"<!DOCTYPE html><html><body>" + b"x" * (2 * MB) + b"</body></html>"
    location = _create(port, token, len(page), "promo.mp4")
    uid = location.rsplit("/", 1)[-1]
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, len(page)).encode() + b"\r\n\r\n")
    time.sleep(0.3)
    # WHEN the body comes
    sender = threading.Thread(target=lambda: _send_quietly(s, page))
    sender.start()
    status, _ = _response(s)
    sender.join(10)
    s.close()
    # THEN it is refused from its first bytes (not after all of it) and nothing is kept
    assert status == 415
    assert spliced and spliced[0] <= 512
    assert tus.get(uid) is None


def _send_quietly(s: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the server answered and closed first
        s.sendall(data)


def test_expect_100_continue_is_answered_before_the_body(server, spliced):
    # GIVEN a client that waits for "100 Continue" before sending (as curl does for large files)
    port, token, tus = server
    data = _clip(2 * MB)
    location = _create(port, token, len(data))
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, len(data), Expect="100-continue").encode() + b"\r\n\r\n")
    # WHEN it is told to go on
    status, _ = _response(s)
    assert status == 100
    s.sendall(data)
    status, headers = _response(s)
    s.close()
    # THEN the body is taken
    assert status == 204 and int(headers["upload-offset"]) == len(data)


def test_a_body_past_the_declared_length_is_refused_before_it_is_read(server, spliced):
    # GIVEN an upload declared as 1 MiB
    port, token, tus = server
    location = _create(port, token, MB)
    uid = location.rsplit("/", 1)[-1]
    # WHEN a PATCH announces 2 MiB
    data = _clip(2 * MB)
    status, _, s = _request(port, _patch_head(location, token, 0, len(data)), data[:64 * 1024])
    s.close()
    # THEN it is refused and nothing is written; the place it held is given back
    assert status == 413
    assert tus.get(uid).offset == 0
    assert not spliced
    assert rawbody._active._value == rawbody.MAX_ACTIVE


def test_a_client_gone_silent_ends_its_body_where_it_stopped(server, spliced, monkeypatch):
    # GIVEN a server that gives up on a client silent for 0.3 s
    monkeypatch.setattr(rawbody, "IDLE_S", 0.3)
    monkeypatch.setattr(rawbody, "_POLL_MS", 50)
    port, token, tus = server
    data = _clip(3 * MB)
    location = _create(port, token, len(data))
    uid = location.rsplit("/", 1)[-1]
    # WHEN a client sends 1 MiB of its 3 MiB and then nothing, keeping the connection open
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, len(data)).encode() + b"\r\n\r\n" + data[:MB])
    status, headers = _response(s)
    s.close()
    # THEN the request ends with what arrived kept, and the upload can resume from there
    assert status == 204 and int(headers["upload-offset"]) == MB
    assert tus.get(uid).offset == MB


def test_every_byte_of_a_body_is_sent_to_the_disk_before_the_final_fsync(server, monkeypatch):
    # GIVEN the disk is asked to write every 4 MiB, and the requests are watched
    port, token, tus = server
    monkeypatch.setattr(rawbody, "KICK_BYTES", 4 * MB)
    kicked: list[tuple[int, int]] = []
    real = rawbody._start_writeback
    monkeypatch.setattr(rawbody, "_start_writeback", lambda fd, at, n: (kicked.append((at, n)), real(fd, at, n)))
    data = _clip(10 * MB)
    location = _create(port, token, 12 * MB)
    # WHEN 10 MiB arrive in one PATCH (not a multiple of 4 MiB, the first bytes sniffed apart)
    status, headers, s = _request(port, _patch_head(location, token, 0, len(data)), data)
    s.close()
    # THEN the ranges handed to the disk cover the spliced bytes to the last one, so the fsync
    # after the last chunk waits for little (a tail left dirty made it wait ~40 ms a chunk)
    assert status == 204 and headers["upload-offset"] == str(len(data))
    assert kicked and kicked[-1][0] + kicked[-1][1] == len(data)
    assert all(a + n == b for (a, n), (b, _) in zip(kicked, kicked[1:], strict=False))


def _until(condition, limit=20.0):
    """The server is a real thread: give it real time, with a deadline."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_a_body_spliced_while_the_server_shuts_down_closes_its_connection(served):
    # GIVEN a PATCH whose body is being spliced (1 MiB of its 8 MiB sent)
    port, token, tus, srv = served
    data = _clip(8 * MB)
    location = _create(port, token, 12 * MB)
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(_patch_head(location, token, 0, len(data)).encode() + b"\r\n\r\n" + data[:MB])
    _until(lambda: rawbody._active._value < rawbody.MAX_ACTIVE)
    # WHEN the server begins its graceful shutdown (uvicorn tells each connection to close after
    # its response), and then the rest of the body arrives
    srv.should_exit = True
    _until(lambda: all(not c.cycle.keep_alive for c in srv.server_state.connections if c.cycle))
    s.sendall(data[MB:])
    status, headers = _response(s)
    # THEN the body is whole and its answer closes the connection: no next chunk is served on it
    assert status == 204 and headers["upload-offset"] == str(len(data))
    assert headers.get("connection") == "close"
    assert s.recv(1) == b""
    s.close()
