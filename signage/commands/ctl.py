"""``signage ctl``: control a running player (what the console buttons do), over the local API.

It speaks only to the player of its own hall (the request carries the hall's id; another hall's
player refuses), says what happened as a sentence with the walls' names, and prints the raw
JSON only with ``--json``. Without ``--display`` it names no wall: the player applies the
clicker's-wall rule; ``--display all`` means every wall.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, load_or_report
from signage.i18n import MESSAGES, kind_label, split_displays, t

ACTIONS = ("status", "next", "prev", "black", "freeze", "logo", "resume", "message", "load", "mute", "unmute", "volume")
SOUND = ("mute", "unmute", "volume")  # the hall's sound: no wall to name (it is the audio: block's)
SOURCES = ("default", "daypart", "event", "dark", "operator")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ctl", help="실행 중인 플레이어 제어 / control a running player")
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("arg", nargs="?", help="message: 문구 / load: 파일 (PDF, PPTX, 이미지 폴더) / volume: 0-100")
    p.add_argument("--display", action="append",
                   help="대상 벽: front,pillar 또는 all (여러 번 가능; 없으면 리모컨이 움직이는 벽)")
    p.add_argument("--for", dest="duration", help="이 시간 뒤 일정으로 복귀 (예: 10m)")
    p.add_argument("--style", choices=["notice", "urgent"],
                   help="message: notice(안내, 남색) 또는 urgent(긴급, 빨강; 기본)")
    p.add_argument("--json", action="store_true", help="플레이어의 답을 JSON 그대로 출력")
    p.set_defaults(func=run)


def request_body(args: argparse.Namespace, names) -> dict | None:
    """The JSON body for a command (None for status). Raises ``ValueError`` for an unknown wall."""
    if args.action == "status":
        return None
    if args.action in SOUND:
        return {"volume": volume_arg(args.arg)} if args.action == "volume" else {}
    body: dict = {}
    chosen = split_displays(args.display, names)
    if chosen is not None:
        wants_all = any(p.strip() == "all" for item in args.display for p in item.split(","))
        body["display"] = "all" if wants_all else list(chosen)
    if args.duration:
        body["for"] = args.duration
    if args.action == "message":
        body["text"] = args.arg
        if args.style:
            body["style"] = args.style
    if args.action == "load":
        from pathlib import Path

        body["path"] = str(Path(args.arg).expanduser().resolve())
    return body


def volume_arg(text) -> int:
    """``signage ctl volume 60`` (a trailing % is fine). Raises ``ValueError`` with a sentence."""
    try:
        value = int(str(text).strip().rstrip("%"))
    except ValueError:
        raise ValueError(t("sound_bad_volume", value=repr(text))) from None
    if not 0 <= value <= 100:
        raise ValueError(t("sound_bad_volume", value=value))
    return value


def run(args: argparse.Namespace) -> int:
    from signage.control.client import ClientError, call
    from signage.control.identity import hall_identity

    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    control = hall.config.control
    if args.action in ("message", "load", "volume") and not args.arg:
        from signage.commands.common import UsageError

        raise UsageError(t("ctl_volume_needs" if args.action == "volume" else "ctl_needs_arg", action=args.action))
    try:
        body = request_body(args, tuple(hall.displays))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    me = hall_identity(hall)
    try:
        result = call(control.bind, control.port, args.action, body, control.token, hall_id=me["id"])
        if args.action == "status" and result.get("hall_id") != me["id"]:
            raise ClientError(200, "", "not_player")  # something answered, but not this hall's player
    except ClientError as exc:
        print(explain(exc, control.port, me), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.action == "status":
        print(render_status(result, hall))
    else:
        print(render_result(result, hall))
    return EXIT_OK


def explain(exc, port: int, me: dict) -> str:
    """A refused or failed call as a sentence (no HTTP status codes)."""
    if exc.status == 0:
        return t("ctl_no_player", port=port, error=exc)
    if exc.code == "unauthorized":
        return t("ctl_wrong_token")
    if exc.code == "wrong_hall":
        other = exc.reply.get("hall") or {}
        return t("ctl_wrong_hall", port=port, name=other.get("name", "?"), config=other.get("config", "?"),
                 mine=me["config"])
    if exc.code == "not_player" or exc.code is None:
        return t("ctl_not_player", port=port)
    if exc.code == "busy":
        return t("api_busy")
    return t("ctl_refused", error=exc)


def walls(hall, displays) -> str:
    return ", ".join(hall.label(d) for d in displays)


def render_result(result: dict, hall) -> str:
    """``후면, 기둥 화면을 껐습니다`` (and until when, for a limited hold)."""
    action = result.get("action", "")
    key = f"ctl_done_{action}"
    names = walls(hall, result.get("displays", []))
    if action in SOUND:
        muted = t("ctl_still_muted") if action == "volume" and result.get("muted") else ""
        return t(key, walls=names, volume=result.get("volume", "?"), muted=muted)
    if action == "load":
        from pathlib import Path

        if result.get("state") == "converting":  # a presentation: LibreOffice works while the walls play
            key = "ctl_converting"
        line = t(key, walls=names, deck=Path(result.get("deck", "")).name, pages=result.get("pages", "?"))
    elif action == "resume" and isinstance(result.get("result"), dict):
        # a lifted hold gives back what was under it (a loaded deck at its page); with no hold the
        # wall goes back on the schedule: say which, wall by wall
        done = result["result"]
        released = [d for d, o in done.items() if o == "released"]
        back = [d for d, o in done.items() if o != "released"]
        parts = [t("ctl_done_release", walls=walls(hall, released))] if released else []
        parts += [t(key, walls=walls(hall, back))] if back else []
        line = " / ".join(parts)
    else:
        line = t(key, walls=names) if key in MESSAGES else json.dumps(result, ensure_ascii=False)
    if result.get("until"):
        line += t("ctl_until", time=result["until"][11:16])
    return line


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 1)


def showing(wall: dict) -> str:
    """What a wall shows, in words: 사진: hall.jpg, PDF: deck.pdf 3쪽, 꺼짐 ~10:10, 안내: …"""
    op = wall.get("operator")
    if op:
        what = t(f"op_{op['kind']}") if f"op_{op['kind']}" in MESSAGES else op["kind"]
        if op.get("text"):
            what += f": {op['text']}"
        if op.get("deck"):
            from pathlib import Path

            what += f": {Path(op['deck']).name}"
        if op.get("page"):
            what += " " + t("ctl_page", page=op["page"])
        if op.get("until"):
            what += " " + t("ctl_op_until", time=op["until"][11:16])
        return what
    item = wall.get("item")
    if not item:
        return kind_label(wall.get("mode"))
    if item.get("path"):
        from pathlib import PurePath

        name = PurePath(item["path"]).name
    else:
        name = str(wall.get("label", "")).split(": ", 1)[-1]
    page = " " + t("ctl_page", page=item["page"]) if item.get("page") else ""
    return f"{kind_label(item.get('type'))}: {name}{page}"


def render_status(status: dict, hall) -> str:
    head = f"{status.get('hall', hall.name)} — {str(status.get('at', ''))[:19].replace('T', ' ')}"
    if status.get("rehearsal"):
        head += f"  [{t('ctl_rehearsal')}]"
    rows = []
    for name, wall in status["displays"].items():
        source = wall.get("source")
        source = t("source_" + source) if source in SOURCES else (source or "—")
        later = ""
        nxt = wall.get("next")
        if nxt:
            kind = t("source_" + nxt["source"]) if nxt.get("source") in SOURCES else ""
            later = f"   → {nxt['start'][11:16]} {nxt.get('playlist') or t('source_dark')}" + (f" ({kind})" if kind else "")
        rows.append((hall.label(name), source, wall.get("playlist") or "—", showing(wall) + later))
    widths = [max(width(row[i]) for row in rows) + 2 for i in range(3)] if rows else [0, 0, 0]
    lines = [head] + ["".join(pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + row[3] for row in rows]
    if "audio" in status:
        lines.append(sound_line(status["audio"], hall))
    return "\n".join(line.rstrip() for line in lines)


def sound_line(audio: dict, hall) -> str:
    """소리: 전면, 음량 80%, 켜짐 (or why it is silent)."""
    if not audio.get("enabled"):
        return t("ctl_sound_off_line")
    if audio.get("muted"):
        state = t("sound_state_muted")
    elif not audio.get("output_ok", True):
        state = t("sound_state_no_output")
    else:
        state = t("sound_state_on")
    return t("ctl_sound_line", wall=hall.label(audio["display"]), volume=audio.get("volume", "?"), state=state)
