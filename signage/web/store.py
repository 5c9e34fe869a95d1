"""``var/web.sqlite``: accounts, API tokens, sessions, login failures and the audit log.

Plain functions over one SQLite connection; time is passed in (``now`` as epoch seconds) so the
throttle and session expiry are testable without waiting.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from signage.sqlite import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  tenant TEXT,
  password TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name),
  hash TEXT NOT NULL UNIQUE,
  created REAL NOT NULL,
  last_used REAL
);
CREATE TABLE IF NOT EXISTS sessions (
  hash TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name),
  csrf TEXT NOT NULL,
  created REAL NOT NULL,
  expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY,
  at REAL NOT NULL,
  user TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
"""

SESSION_SECONDS = 12 * 3600
FREE_FAILURES = 5  # failed logins allowed before waiting
FIRST_WAIT_S = 30.0  # then 30 s, 60 s, 120 s, … up to an hour
MAX_WAIT_S = 3600.0
MIN_PASSWORD = 10
NAME_RE = re.compile(r"^[A-Za-z0-9가-힣._-]{1,64}$")

_hasher = PasswordHasher()


class Role(enum.Enum):
    """What an account may do; capabilities, not strings compared in many places."""

    ADMIN = "admin"
    OPERATOR = "operator"
    TENANT = "tenant"

    @property
    def operates(self) -> bool:
        """Uses the operator app: schedule, events, check, audit."""
        return self in (Role.ADMIN, Role.OPERATOR)

    @property
    def manages_accounts(self) -> bool:
        return self is Role.ADMIN


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    tenant: str | None
    disabled: bool


class AccountError(ValueError):
    """A request about accounts that cannot be done; ``key`` is a message id in messages_web."""

    def __init__(self, key: str, **kw):
        super().__init__(key)
        self.key, self.kw = key, kw


def db_path(hall_root: Path) -> Path:
    return hall_root / "var" / "web.sqlite"


def open_db(path: Path) -> sqlite3.Connection:
    db = connect(path, SCHEMA)
    db.row_factory = sqlite3.Row
    return db


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _user(row) -> User | None:
    if row is None:
        return None
    return User(row["name"], Role(row["role"]), row["tenant"], bool(row["disabled"]))


# accounts -------------------------------------------------------------------------------------

def count_users(db) -> int:
    return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]


def add_user(db, name: str, role: Role, password: str, now: float, tenant: str | None = None) -> User:
    if not NAME_RE.match(name):
        raise AccountError("acct_bad_name", name=name)
    if role is Role.TENANT and not tenant:
        raise AccountError("acct_tenant_needs_id")
    if role is not Role.TENANT:
        tenant = None
    if len(password) < MIN_PASSWORD:
        raise AccountError("acct_short_password", n=MIN_PASSWORD)
    if get_user(db, name) is not None:
        raise AccountError("acct_exists", name=name)
    with db:
        db.execute(
            "INSERT INTO users (name, role, tenant, password, created) VALUES (?, ?, ?, ?, ?)",
            (name, role.value, tenant, _hasher.hash(password), now),
        )
    return User(name, role, tenant, False)


def get_user(db, name: str) -> User | None:
    return _user(db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())


def list_users(db) -> list[User]:
    return [_user(r) for r in db.execute("SELECT * FROM users ORDER BY name")]


def set_disabled(db, name: str, disabled: bool = True) -> None:
    if get_user(db, name) is None:
        raise AccountError("acct_unknown", name=name)
    with db:
        db.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
        if disabled:
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))


def check_password(db, name: str, password: str) -> User | None:
    """The user when the password is right and the account enabled; None otherwise (the same
    time is spent on an unknown name, so names cannot be guessed by timing)."""
    row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    stored = row["password"] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    if _hasher.check_needs_rehash(stored):
        with db:
            db.execute("UPDATE users SET password = ? WHERE name = ?", (_hasher.hash(password), name))
    return _user(row)


_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


# API tokens -----------------------------------------------------------------------------------

def new_token(db, name: str, now: float) -> str:
    """A new API token for ``name`` (shown once; only its SHA-256 is stored)."""
    if get_user(db, name) is None:
        raise AccountError("acct_unknown", name=name)
    token = secrets.token_urlsafe(32)
    with db:
        db.execute("INSERT INTO tokens (user, hash, created) VALUES (?, ?, ?)", (name, _sha(token), now))
    return token


def user_for_token(db, token: str, now: float) -> User | None:
    row = db.execute(
        "SELECT users.* FROM tokens JOIN users ON users.name = tokens.user WHERE tokens.hash = ?",
        (_sha(token),),
    ).fetchone()
    user = _user(row)
    if user is None or user.disabled:
        return None
    with db:
        db.execute("UPDATE tokens SET last_used = ? WHERE hash = ?", (now, _sha(token)))
    return user


# sessions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def new_session(db, name: str, now: float) -> str:
    """A new session for ``name``; returns the cookie value (only its hash is stored)."""
    sid = secrets.token_urlsafe(32)
    with db:
        db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        db.execute(
            "INSERT INTO sessions (hash, user, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
            (_sha(sid), name, secrets.token_urlsafe(32), now, now + SESSION_SECONDS),
        )
    return sid


def session_for(db, sid: str, now: float) -> Session | None:
    row = db.execute(
        "SELECT users.*, sessions.csrf AS csrf FROM sessions JOIN users ON users.name = sessions.user"
        " WHERE sessions.hash = ? AND sessions.expires > ?",
        (_sha(sid), now),
    ).fetchone()
    user = _user(row)
    if user is None or user.disabled:
        return None
    return Session(user, row["csrf"])


def end_session(db, sid: str) -> None:
    with db:
        db.execute("DELETE FROM sessions WHERE hash = ?", (_sha(sid),))


# login throttling -----------------------------------------------------------------------------

def wait_seconds(db, keys: list[str], now: float) -> float:
    """How long a login for these keys (``user:NAME``, ``addr:IP``) must wait; 0 when it may try."""
    longest = 0.0
    for key in keys:
        row = db.execute("SELECT count, last FROM login_failures WHERE key = ?", (key,)).fetchone()
        if row is None or row["count"] < FREE_FAILURES:
            continue
        wait = min(FIRST_WAIT_S * 2 ** (row["count"] - FREE_FAILURES), MAX_WAIT_S)
        longest = max(longest, row["last"] + wait - now)
    return max(longest, 0.0)


def record_failure(db, keys: list[str], now: float) -> None:
    with db:
        for key in keys:
            db.execute(
                "INSERT INTO login_failures (key, count, last) VALUES (?, 1, ?)"
                " ON CONFLICT(key) DO UPDATE SET count = count + 1, last = excluded.last",
                (key, now),
            )


def clear_failures(db, keys: list[str]) -> None:
    with db:
        db.executemany("DELETE FROM login_failures WHERE key = ?", [(k,) for k in keys])


# audit ----------------------------------------------------------------------------------------

def audit(db, now: float, user: str | None, action: str, detail: str = "", address: str = "") -> None:
    with db:
        db.execute(
            "INSERT INTO audit (at, user, action, detail, address) VALUES (?, ?, ?, ?, ?)",
            (now, user, action, detail, address),
        )


def audit_rows(db, limit: int = 200, before: int | None = None) -> list[dict]:
    sql, args = "SELECT * FROM audit", []
    if before is not None:
        sql += " WHERE id < ?"
        args.append(before)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return [dict(r) for r in db.execute(sql, args)]
