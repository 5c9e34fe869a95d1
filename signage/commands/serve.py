"""``signage serve [--bind A] [--port N]``: the web app and JSON API (loopback by default)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK
from signage.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="웹 앱과 JSON API / the web app and JSON API")
    p.add_argument("--bind", default="127.0.0.1", help="주소 (기본 127.0.0.1: 이 컴퓨터에서만)")
    p.add_argument("--port", type=int, default=8080, help="포트 (기본 8080)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from signage.web import store
    from signage.web.context import is_loopback

    config = Path(args.config).absolute()
    db = store.open_db(store.db_path(config.parent))
    users = store.count_users(db)
    db.close()
    if not is_loopback(args.bind) and users == 0:
        print(t("serve_needs_accounts", bind=args.bind), file=sys.stderr)
        return EXIT_BAD_INPUT
    import uvicorn

    from signage.web.app import create_app

    app = create_app(config, clock=time.time, bind=args.bind, jobs=True)
    host = f"[{args.bind}]" if ":" in args.bind else args.bind
    url = f"http://{host}:{args.port}/"
    print(t("serve_listening", url=url), flush=True)
    if users == 0:
        print(t("serve_first_account", url=url), flush=True)
    from signage.web import rawbody

    # httptools (with tus bodies spliced to disk) and uvloop when installed (pyproject), h11 and asyncio otherwise
    try:
        uvicorn.run(app, host=args.bind, port=args.port, log_level="warning", proxy_headers=True,
                    server_header=False, http=rawbody.http_protocol(), loop="auto")
    finally:
        rawbody.stop()
    return EXIT_OK
