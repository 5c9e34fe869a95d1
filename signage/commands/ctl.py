"""``signage ctl``: control a running player (what the console buttons do), over the local API."""

from __future__ import annotations

import argparse
import json
import sys

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, load_or_report
from signage.i18n import t

ACTIONS = ("status", "next", "prev", "black", "freeze", "logo", "resume", "message", "load")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ctl", help="실행 중인 플레이어 제어 / control a running player")
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("arg", nargs="?", help="message: 문구 / load: 파일 (PDF, PPTX, 이미지 폴더)")
    p.add_argument("--display", action="append", help="대상 벽 (여러 번; 기본: 모두, load는 하나)")
    p.add_argument("--for", dest="duration", help="이 시간 뒤 일정으로 복귀 (예: 10m)")
    p.add_argument("--json", action="store_true", help="JSON으로 출력")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from signage.control.client import ClientError, call

    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    control = hall.config.control
    if args.action in ("message", "load") and not args.arg:
        from signage.commands.common import UsageError

        raise UsageError(t("ctl_needs_arg", action=args.action))
    body = None
    if args.action != "status":
        body = {"display": args.display or "all"}
        if args.duration:
            body["for"] = args.duration
        if args.action == "message":
            body["text"] = args.arg
        if args.action == "load":
            from pathlib import Path

            body["path"] = str(Path(args.arg).expanduser().resolve())
            body["display"] = args.display or "front"
    try:
        result = call(control.bind, control.port, args.action, body, control.token)
    except ClientError as exc:
        if exc.status == 0:
            print(t("ctl_no_player", port=control.port, error=exc), file=sys.stderr)
        else:
            print(f"{exc.status}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json or args.action != "status":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_status(result))
    return EXIT_OK


def render_status(status: dict) -> str:
    lines = [f"{status['hall']} — {status['at']}"]
    for name, wall in status["displays"].items():
        source = t("source_" + wall["source"]) if wall["source"] in ("default", "daypart", "event", "dark", "operator") else wall["source"]
        what = wall["label"]
        if wall["operator"]:
            op = wall["operator"]
            what = f"{op['kind']}" + (f": {op['text']}" if op.get("text") else "") + (
                f" (~{op['until'][11:16]})" if op.get("until") else "")
        now = f"{name:7} {source:6} {wall['playlist'] or '—':16} {what}"
        nxt = wall["next"]
        if nxt:
            now += f"   → {nxt['start'][11:16]} {nxt['playlist'] or t('source_dark')}"
        lines.append(now)
    return "\n".join(lines)
