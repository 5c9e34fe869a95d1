"""Signing in and out, and the first account (only from loopback, only while there is none)."""

from __future__ import annotations

import math

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from signage.web import auth, store
from signage.web.context import is_loopback
from signage.web.render import error_page, render
from signage.web.webi18n import lang_of, translator


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/schedule"


async def home(request: Request) -> Response:
    return RedirectResponse("/schedule", status_code=303)


async def login_form(request: Request) -> Response:
    return render(request, "login.html", anon_csrf=auth.anon_csrf(request),
                  next=_safe_next(request.query_params.get("next")), error=None, name="")


async def login(request: Request) -> Response:
    form = await auth.read_form(request)
    if form is None or not auth.anon_csrf_ok(request, form):
        return error_page(request, 403, "err_csrf")
    w = auth.web(request)
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    address = auth.client_address(request)
    keys = [f"user:{name}", f"addr:{address}"]
    db = w.db()
    wait = store.wait_seconds(db, keys, w.now())
    if wait > 0:
        store.audit(db, w.now(), name or None, "login_throttled", "", address)
        return error_page(request, 429, "err_throttled", seconds=math.ceil(wait))
    user = await run_in_threadpool(lambda: store.check_password(auth.web(request).db(), name, password))
    if user is None:
        store.record_failure(db, keys, w.now())
        store.audit(db, w.now(), name or None, "login_failed", "", address)
        t = translator(lang_of(request))
        return render(request, "login.html", status=401, anon_csrf=auth.anon_csrf(request),
                      next=_safe_next(str(form.get("next") or "")), error=t("login_wrong"), name=name)
    store.clear_failures(db, keys)
    sid = store.new_session(db, user.name, w.now())
    store.audit(db, w.now(), user.name, "login", "", address)
    target = _safe_next(str(form.get("next") or ""))
    if user.role is store.Role.TENANT and not target.startswith("/t/"):
        target = "/t/"  # a tenant has nothing in the operator app: its portal
    response = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(request, response, sid)
    return response


@auth.page(auth.anyone)
async def logout(request: Request) -> Response:
    w = auth.web(request)
    sid = request.cookies.get(auth.SESSION_COOKIE) or ""
    store.end_session(w.db(), sid)
    store.audit(w.db(), w.now(), request.state.session.user.name, "logout", "", auth.client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


def _setup_allowed(request: Request) -> bool:
    w = auth.web(request)
    return is_loopback(auth.client_address(request)) and store.count_users(w.db()) == 0


async def setup_form(request: Request) -> Response:
    if not _setup_allowed(request):
        return RedirectResponse("/login", status_code=303)
    return render(request, "setup.html", anon_csrf=auth.anon_csrf(request), error=None, name="admin")


async def setup(request: Request) -> Response:
    form = await auth.read_form(request)
    if form is None or not auth.anon_csrf_ok(request, form):
        return error_page(request, 403, "err_csrf")
    if not _setup_allowed(request):
        return RedirectResponse("/login", status_code=303)
    t = translator(lang_of(request))
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    if password != str(form.get("password2") or ""):
        return render(request, "setup.html", status=422, anon_csrf=auth.anon_csrf(request),
                      error=t("acct_passwords_differ"), name=name)
    w = auth.web(request)
    try:
        await run_in_threadpool(
            lambda: store.add_user(auth.web(request).db(), name, store.Role.ADMIN, password, w.now())
        )
    except store.AccountError as exc:
        return render(request, "setup.html", status=422, anon_csrf=auth.anon_csrf(request),
                      error=t(exc.key, **exc.kw), name=name)
    db = w.db()
    store.audit(db, w.now(), name, "setup", "admin", auth.client_address(request))
    sid = store.new_session(db, name, w.now())
    response = RedirectResponse("/schedule", status_code=303)
    auth.set_session_cookie(request, response, sid)
    return response


ROUTES = [
    Route("/", home),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/setup", setup_form, methods=["GET"]),
    Route("/setup", setup, methods=["POST"]),
]
