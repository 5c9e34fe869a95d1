"""``signage users add|token|list|disable``: web app accounts and API tokens (``var/web.sqlite``)."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK
from signage.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="웹 앱 계정과 API 토큰 / web accounts and API tokens")
    verbs = p.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="계정 추가 (비밀번호는 표준 입력) / add an account (password on stdin)")
    add.add_argument("name")
    add.add_argument("--role", choices=["admin", "operator", "tenant"], required=True)
    add.add_argument("--tenant", help="입주기업 ID (tenant 계정)")
    token = verbs.add_parser("token", help="새 API 토큰 출력 / print a new API token")
    token.add_argument("name")
    verbs.add_parser("list", help="계정 목록 / list accounts")
    disable = verbs.add_parser("disable", help="계정 사용 중지 / disable an account")
    disable.add_argument("name")
    p.set_defaults(func=run)


def _password() -> str | None:
    if sys.stdin.isatty():
        first = getpass.getpass(t("users_password"))
        if getpass.getpass(t("users_password_again")) != first:
            print(t("acct_passwords_differ"), file=sys.stderr)
            return None
        return first
    line = sys.stdin.readline()
    if not line:
        print(t("users_no_password"), file=sys.stderr)
        return None
    return line.rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from signage.web import store

    db = store.open_db(store.db_path(Path(args.config).absolute().parent))
    try:
        if args.verb == "list":
            users = store.list_users(db)
            for u in users:
                state = t("acct_state_disabled") if u.disabled else t("acct_state_active")
                print(f"{u.name}\t{u.role.value}\t{u.tenant or '-'}\t{state}")
            if not users:
                print(t("users_none"))
            return EXIT_OK
        if args.verb == "add":
            password = _password()
            if password is None:
                return EXIT_BAD_INPUT
            store.add_user(db, args.name, store.Role(args.role), password, time.time(), args.tenant)
            store.audit(db, time.time(), None, "user_add", f"{args.name} ({args.role}) CLI", "cli")
            print(t("users_added", name=args.name, role=args.role))
        elif args.verb == "token":
            value = store.new_token(db, args.name, time.time())
            store.audit(db, time.time(), None, "token_create", f"{args.name} CLI", "cli")
            print(t("users_token_note", name=args.name), file=sys.stderr)
            print(value)
        elif args.verb == "disable":
            store.set_disabled(db, args.name)
            store.audit(db, time.time(), None, "user_disable", f"{args.name} CLI", "cli")
            print(t("users_disabled", name=args.name))
        return EXIT_OK
    except store.AccountError as exc:
        print(t(exc.key, **exc.kw), file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        db.close()
