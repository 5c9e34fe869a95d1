"""입주기업 계정 (operators): companies, quotas, invitations, disabling; and the invitation page
where a company's contact sets the password (``/invite/{code}``, before any login)."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from signage.web import auth, portal, store, tenants
from signage.web.render import error_page, render
from signage.web.tenantctx import hall_or_none
from signage.web.webi18n import lang_of, translator


def _rows(request: Request) -> list[dict]:
    w = auth.web(request)
    db = w.db()
    hall = hall_or_none(request)
    uploads = portal.tus_store(w.root).all()
    out = []
    for tn in tenants.all_tenants(db):
        use = portal.usage(hall, tn.id, uploads, w.now_in(hall.tz)) if hall else None
        out.append({"t": tn, "logins": [u.name + (" ✕" if u.disabled else "") for u in tenants.logins(db, tn.id)],
                    "usage": {"used_mb": use.used_mb, "month": use.month, "storage_mb": tn.storage_mb,
                              "monthly": tn.monthly} if use else None})
    return out


def _page(request: Request, status: int = 200, **kw) -> Response:
    w = auth.web(request)
    kw.setdefault("error", None)
    kw.setdefault("done", None)
    kw.setdefault("invite", None)
    tz = request.app.state.tz
    invites = [{**i, "expires": dt.datetime.fromtimestamp(i["expires"], tz).strftime("%Y-%m-%d %H:%M")}
               for i in tenants.open_invitations(w.db(), w.now())]
    return render(request, "tenants.html", status=status, rows=_rows(request), invites=invites, **kw)


@auth.page()
async def tenants_page(request: Request) -> Response:
    return await run_in_threadpool(_page, request)


def _int(form, key: str, default: int) -> int:
    try:
        return int(str(form.get(key) or default))
    except ValueError:
        return -1


def _audit(request: Request, action: str, detail: str) -> None:
    w = auth.web(request)
    store.audit(w.db(), w.now(), request.state.session.user.name, action, detail, auth.client_address(request))


@auth.page()
async def add(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    form = request.state.form
    tid = str(form.get("id") or "").strip()
    try:
        tenants.add(w.db(), tid, str(form.get("name") or ""), w.now(),
                    _int(form, "storage_mb", tenants.DEFAULT_STORAGE_MB), _int(form, "monthly", tenants.DEFAULT_MONTHLY))
    except store.AccountError as exc:
        msg = t(exc.key, **exc.kw)
        return await run_in_threadpool(lambda: _page(request, 422, error=msg))
    _audit(request, "tenant_add", tid)
    return await run_in_threadpool(lambda: _page(request, done=t("tn_added", id=tid)))


@auth.page()
async def invite(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    tid = request.path_params["tid"]
    login = str(request.state.form.get("login") or "").strip()
    try:
        code = tenants.invite(w.db(), tid, login, w.now())
    except store.AccountError as exc:
        status = 404 if exc.key == "tn_unknown" else 422
        msg = t(exc.key, **exc.kw)
        return await run_in_threadpool(lambda: _page(request, status, error=msg))
    _audit(request, "tenant_invite", f"{tid} {login}")
    expires = dt.datetime.fromtimestamp(w.now() + tenants.INVITE_SECONDS, request.app.state.tz)
    link = f"{request.base_url}invite/{code}"
    return await run_in_threadpool(lambda: _page(request, invite={
        "text": t("tn_invite_shown", login=login, expires=expires.strftime("%Y-%m-%d %H:%M")),
        "link": link, "code": code}))


@auth.page()
async def quota(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    tid = request.path_params["tid"]
    form = request.state.form
    try:
        tenants.set_quota(w.db(), tid, _int(form, "storage_mb", 0), _int(form, "monthly", 0))
    except store.AccountError as exc:
        msg = t(exc.key, **exc.kw)
        return await run_in_threadpool(lambda: _page(request, 422, error=msg))
    _audit(request, "tenant_quota", f"{tid} {form.get('storage_mb')} MB {form.get('monthly')}/month")
    return await run_in_threadpool(lambda: _page(request, done=t("tn_quota_saved", id=tid)))


@auth.page()
async def disable(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    tid = request.path_params["tid"]
    try:
        logins = tenants.disable(w.db(), tid)
    except store.AccountError as exc:
        msg = t(exc.key, **exc.kw)
        return await run_in_threadpool(lambda: _page(request, 404, error=msg))
    _audit(request, "tenant_disable", f"{tid} ({', '.join(logins)})")
    return await run_in_threadpool(lambda: _page(request, done=t("tn_disabled_done", id=tid)))


# the invitation, before login -----------------------------------------------------------------

def _invite_page(request: Request, found, code: str, status: int = 200, error: str | None = None) -> Response:
    return render(request, "portal/invite.html", status=status, anon_csrf=auth.anon_csrf(request), found=found,
                  code=code, error=error)


async def invitation_form(request: Request) -> Response:
    w = auth.web(request)
    code = request.path_params.get("code") or request.query_params.get("code", "")
    found = tenants.invitation(w.db(), code, w.now()) if code else None
    if code and found is None:
        t = translator(lang_of(request))
        return _invite_page(request, None, "", 404, t("tn_invite_invalid"))
    return _invite_page(request, found, code)


async def redeem(request: Request) -> Response:
    form = await auth.read_form(request)
    if form is None or not auth.anon_csrf_ok(request, form):
        return error_page(request, 403, "err_csrf")
    w, t = auth.web(request), translator(lang_of(request))
    code = str(form.get("code") or "").strip()
    password = str(form.get("password") or "")
    address = auth.client_address(request)
    keys = [f"invite:{address}", f"addr:{address}"]
    db = w.db()
    if store.wait_seconds(db, keys, w.now()) > 0:
        return error_page(request, 429, "err_throttled", seconds=int(store.wait_seconds(db, keys, w.now())) + 1)
    found = tenants.invitation(db, code, w.now())
    if found is None:
        store.record_failure(db, keys, w.now())
        return _invite_page(request, None, "", 404, t("tn_invite_invalid"))
    if password != str(form.get("password2") or ""):
        return _invite_page(request, found, code, 422, t("acct_passwords_differ"))
    try:
        user = await run_in_threadpool(lambda: tenants.redeem(auth.web(request).db(), code, password, w.now()))
    except store.AccountError as exc:
        return _invite_page(request, found, code, 422, t(exc.key, **exc.kw))
    store.audit(db, w.now(), user.name, "tenant_join", user.tenant or "", address)
    sid = store.new_session(db, user.name, w.now())
    response = RedirectResponse("/t/", status_code=303)
    auth.set_session_cookie(request, response, sid)
    return response


ROUTES = [
    Route("/tenants", tenants_page, methods=["GET"]),
    Route("/tenants", add, methods=["POST"]),
    Route("/tenants/{tid}/invite", invite, methods=["POST"]),
    Route("/tenants/{tid}/quota", quota, methods=["POST"]),
    Route("/tenants/{tid}/disable", disable, methods=["POST"]),
    Route("/invite", invitation_form, methods=["GET"]),
    Route("/invite/{code}", invitation_form, methods=["GET"]),
    Route("/invite", redeem, methods=["POST"]),
]
