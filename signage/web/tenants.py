"""Tenant companies in ``var/web.sqlite``: the company, its quota, invitations, disabling.

A tenant company has an id (the name of its inbox folder: letters, Hangul, digits, ``-`` and
``_``), a display name and a quota (storage in MB, submissions per calendar month). The operator
invites a person of the company: the invitation is a one-time code (only its SHA-256 is kept)
that expires; redeeming it creates the company's login (role ``tenant``) with the password the
person chose. Disabling a company disables its logins and ends their sessions.

Tables are created here (``CREATE TABLE IF NOT EXISTS``) beside the accounts in ``store.py``;
time is passed in (``now``, epoch seconds).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from signage.intake.inbox import valid_tenant
from signage.web import store

SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  storage_mb INTEGER NOT NULL,
  monthly INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS invitations (
  hash TEXT PRIMARY KEY,
  tenant TEXT NOT NULL REFERENCES tenants(id),
  login TEXT NOT NULL,
  created REAL NOT NULL,
  expires REAL NOT NULL,
  used REAL
);
"""

INVITE_SECONDS = 7 * 24 * 3600
DEFAULT_STORAGE_MB = 2000
DEFAULT_MONTHLY = 20


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    storage_mb: int
    monthly: int
    disabled: bool


def ensure(db) -> None:
    db.executescript(SCHEMA)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _tenant(row) -> Tenant | None:
    if row is None:
        return None
    return Tenant(row["id"], row["name"], row["storage_mb"], row["monthly"], bool(row["disabled"]))


def add(db, tenant_id: str, name: str, now: float, storage_mb: int = DEFAULT_STORAGE_MB,
        monthly: int = DEFAULT_MONTHLY) -> Tenant:
    ensure(db)
    if not valid_tenant(tenant_id):
        raise store.AccountError("tn_bad_id", id=tenant_id)
    name = " ".join(name.split())[:80] or tenant_id
    if storage_mb < 1 or monthly < 1:
        raise store.AccountError("tn_bad_quota")
    if get(db, tenant_id) is not None:
        raise store.AccountError("tn_exists", id=tenant_id)
    with db:
        db.execute("INSERT INTO tenants (id, name, storage_mb, monthly, created) VALUES (?, ?, ?, ?, ?)",
                   (tenant_id, name, storage_mb, monthly, now))
    return Tenant(tenant_id, name, storage_mb, monthly, False)


def get(db, tenant_id: str | None) -> Tenant | None:
    if not tenant_id:
        return None
    ensure(db)
    return _tenant(db.execute("SELECT * FROM tenants WHERE id = ?", (tenant_id,)).fetchone())


def all_tenants(db) -> list[Tenant]:
    ensure(db)
    return [_tenant(r) for r in db.execute("SELECT * FROM tenants ORDER BY id")]


def set_quota(db, tenant_id: str, storage_mb: int, monthly: int) -> None:
    if get(db, tenant_id) is None:
        raise store.AccountError("tn_unknown", id=tenant_id)
    if storage_mb < 1 or monthly < 1:
        raise store.AccountError("tn_bad_quota")
    with db:
        db.execute("UPDATE tenants SET storage_mb = ?, monthly = ? WHERE id = ?", (storage_mb, monthly, tenant_id))


def disable(db, tenant_id: str) -> list[str]:
    """Disable the company and every login of it (their sessions end); returns the logins."""
    if get(db, tenant_id) is None:
        raise store.AccountError("tn_unknown", id=tenant_id)
    logins = [r["name"] for r in db.execute("SELECT name FROM users WHERE tenant = ? AND role = 'tenant'",
                                            (tenant_id,))]
    with db:
        db.execute("UPDATE tenants SET disabled = 1 WHERE id = ?", (tenant_id,))
        db.execute("UPDATE invitations SET used = COALESCE(used, 0) WHERE tenant = ?", (tenant_id,))
    for login in logins:
        store.set_disabled(db, login)
    return logins


def logins(db, tenant_id: str) -> list[store.User]:
    return [u for u in store.list_users(db) if u.role is store.Role.TENANT and u.tenant == tenant_id]


def active(db, user: store.User) -> Tenant | None:
    """The company of a tenant login, when it exists and is not disabled."""
    if user.role is not store.Role.TENANT or user.disabled:
        return None
    tenant = get(db, user.tenant)
    if tenant is None:  # a login made with `signage users add --role tenant` before its company
        return Tenant(user.tenant or "", user.tenant or "", DEFAULT_STORAGE_MB, DEFAULT_MONTHLY, False)
    return None if tenant.disabled else tenant


# invitations ----------------------------------------------------------------------------------

def invite(db, tenant_id: str, login: str, now: float, seconds: float = INVITE_SECONDS) -> str:
    """A one-time code for ``login`` of ``tenant_id`` (shown once; only its hash is kept)."""
    tenant = get(db, tenant_id)
    if tenant is None:
        raise store.AccountError("tn_unknown", id=tenant_id)
    if tenant.disabled:
        raise store.AccountError("tn_disabled", id=tenant_id)
    if not store.NAME_RE.match(login):
        raise store.AccountError("acct_bad_name", name=login)
    if store.get_user(db, login) is not None:
        raise store.AccountError("acct_exists", name=login)
    code = secrets.token_urlsafe(18)
    with db:
        db.execute("INSERT INTO invitations (hash, tenant, login, created, expires) VALUES (?, ?, ?, ?, ?)",
                   (_sha(code), tenant_id, login, now, now + seconds))
    return code


@dataclass(frozen=True)
class Invitation:
    tenant: Tenant
    login: str
    expires: float


def invitation(db, code: str, now: float) -> Invitation | None:
    """The invitation ``code`` opens, if it is unused, unexpired and its company active."""
    ensure(db)
    if not code or len(code) > 100:
        return None
    row = db.execute("SELECT * FROM invitations WHERE hash = ?", (_sha(code),)).fetchone()
    if row is None or row["used"] is not None or row["expires"] <= now:
        return None
    tenant = get(db, row["tenant"])
    if tenant is None or tenant.disabled:
        return None
    return Invitation(tenant, row["login"], row["expires"])


def redeem(db, code: str, password: str, now: float) -> store.User:
    """Create the invited login with ``password``; the code cannot be used again."""
    found = invitation(db, code, now)
    if found is None:
        raise store.AccountError("tn_invite_invalid")
    user = store.add_user(db, found.login, store.Role.TENANT, password, now, found.tenant.id)
    with db:
        cur = db.execute("UPDATE invitations SET used = ? WHERE hash = ? AND used IS NULL", (now, _sha(code)))
        if cur.rowcount != 1:  # used meanwhile by another request: undo
            db.execute("DELETE FROM users WHERE name = ?", (found.login,))
            raise store.AccountError("tn_invite_invalid")
    return user


def open_invitations(db, now: float) -> list[dict]:
    ensure(db)
    return [dict(r) for r in db.execute(
        "SELECT tenant, login, created, expires FROM invitations WHERE used IS NULL AND expires > ? ORDER BY created",
        (now,))]
