"""Who is asking, and may they: session cookies for pages, bearer tokens for the API, CSRF.

- Pages use ``@page(need)``: no session → the login page (or, on loopback with no account at
  all, the first-account page); a role without ``need`` → a 403 page; a form or any non-GET
  without the session's CSRF token → a 403 page. The parsed form is ``request.state.form``.
- The API uses ``@api(need)``: ``Authorization: Bearer <token>`` (or a session, whose non-GET
  requests carry ``X-CSRF-Token``); none → 401 JSON; a tenant → 404 (operator objects do not
  exist for a tenant).
- Forms shown before login carry a double-submit token (cookie + field).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from signage.web import spool, store
from signage.web.context import is_loopback
from signage.web.uploads import MAX_UPLOAD

SESSION_COOKIE = "signage_session"
ANON_CSRF_COOKIE = "signage_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
MAX_BODY = MAX_UPLOAD * 3 + 1024 * 1024  # a form with a few large files

Need = Callable[[store.Role], bool]


def operates(role: store.Role) -> bool:
    return role.operates


def manages_accounts(role: store.Role) -> bool:
    return role.manages_accounts


def anyone(role: store.Role) -> bool:
    return True


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def web(request: Request):
    return request.app.state.web


def session_of(request: Request) -> store.Session | None:
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    w = web(request)
    return store.session_for(w.db(), sid, w.now())


def set_session_cookie(request: Request, response: Response, sid: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, sid, max_age=store.SESSION_SECONDS, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )


def anon_csrf(request: Request) -> str:
    """The token a pre-login form carries (the same value rides in a cookie)."""
    token = request.cookies.get(ANON_CSRF_COOKIE)
    if not token or len(token) < 20:
        token = request.state.new_anon_csrf = secrets.token_urlsafe(24)
    return token


def keep_anon_csrf(request: Request, response: Response) -> Response:
    token = getattr(request.state, "new_anon_csrf", None)
    if token:
        response.set_cookie(ANON_CSRF_COOKIE, token, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


def anon_csrf_ok(request: Request, form) -> bool:
    cookie = request.cookies.get(ANON_CSRF_COOKIE) or ""
    sent = str(form.get(CSRF_FIELD) or "")
    return bool(cookie) and hmac.compare_digest(cookie, sent)


async def read_form(request: Request, max_files: int = 200, max_fields: int = 500):
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY:
        return None
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        return await request.form(max_files=max_files, max_fields=max_fields)
    try:  # file parts go straight to the hall's disk, to be moved into place (spool.take)
        form = await spool.parse(request, spool.spool_dir(web(request).root), max_files=max_files,
                                 max_fields=max_fields)
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from None
    request._form = form  # what request.form() answers from now on
    return form


def _login_redirect(request: Request) -> Response:
    w = web(request)
    if is_loopback(client_address(request)) and store.count_users(w.db()) == 0:
        return RedirectResponse("/setup", status_code=303)
    nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(nxt)}", status_code=303)


def page(need: Need = operates):
    """Guard a page endpoint ``async def endpoint(request)``; see the module docstring."""

    def wrap(endpoint):
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            from signage.web.render import error_page

            session = await run_in_threadpool(session_of, request)
            if session is None:
                return _login_redirect(request)
            request.state.session = session
            if not need(session.user.role):
                return error_page(request, 403, "err_forbidden")
            request.state.form = None
            if request.method not in ("GET", "HEAD"):
                form = await read_form(request)
                if form is None:
                    return error_page(request, 413, "err_too_large")
                sent = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
                if not hmac.compare_digest(sent, session.csrf):
                    return error_page(request, 403, "err_csrf")
                request.state.form = form
                try:
                    return await endpoint(request)
                finally:  # spooled parts nobody took are removed now
                    await form.close()
            return await endpoint(request)

        return guarded

    return wrap


def bearer_user(request: Request) -> store.User | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    w = web(request)
    return store.user_for_token(w.db(), header[7:].strip(), w.now())


def api_error(status: int, key: str, lang: str = "en", **extra) -> JSONResponse:
    from signage.web.webi18n import translator

    return JSONResponse({"error": key, "message": translator(lang)(key), **extra}, status_code=status)


def api(need: Need = operates):
    """Guard an API endpoint; the caller is ``request.state.user``."""

    def wrap(endpoint):
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = await run_in_threadpool(bearer_user, request)
            if user is None:
                session = await run_in_threadpool(session_of, request)
                if session is None:
                    return api_error(401, "err_unauthenticated")
                if request.method not in ("GET", "HEAD"):
                    sent = request.headers.get(CSRF_HEADER) or ""
                    if not hmac.compare_digest(sent, session.csrf):
                        return api_error(403, "err_csrf")
                user = session.user
            if not need(user.role):
                return api_error(404, "err_not_found")
            request.state.user = user
            return await endpoint(request)

        return guarded

    return wrap
