"""계정 (admin only): the accounts, adding one, disabling one, and new API tokens."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from signage.web import auth, store
from signage.web.render import render
from signage.web.webi18n import lang_of, translator


def _page(request: Request, status: int = 200, **kw) -> Response:
    users = store.list_users(auth.web(request).db())
    kw.setdefault("error", None)
    kw.setdefault("token", None)
    kw.setdefault("done", None)
    return render(request, "accounts.html", status=status, users=users, roles=[r.value for r in store.Role], **kw)


@auth.page(auth.manages_accounts)
async def accounts_page(request: Request) -> Response:
    return _page(request)


@auth.page(auth.manages_accounts)
async def add(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    form = request.state.form
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    try:
        role = store.Role(str(form.get("role") or ""))
    except ValueError:
        return _page(request, 422, error=t("acct_bad_role"))
    tenant = str(form.get("tenant") or "").strip() or None
    if password != str(form.get("password2") or ""):
        return _page(request, 422, error=t("acct_passwords_differ"))
    try:
        await run_in_threadpool(lambda: store.add_user(auth.web(request).db(), name, role, password, w.now(), tenant))
    except store.AccountError as exc:
        return _page(request, 422, error=t(exc.key, **exc.kw))
    who = request.state.session.user.name
    store.audit(w.db(), w.now(), who, "user_add", f"{name} ({role.value}{', ' + tenant if tenant else ''})",
                auth.client_address(request))
    return _page(request, done=t("acct_added", name=name))


@auth.page(auth.manages_accounts)
async def disable(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    name = request.path_params["name"]
    if name == request.state.session.user.name:
        return _page(request, 422, error=t("acct_not_self"))
    try:
        store.set_disabled(w.db(), name)
    except store.AccountError as exc:
        return _page(request, 404, error=t(exc.key, **exc.kw))
    store.audit(w.db(), w.now(), request.state.session.user.name, "user_disable", name, auth.client_address(request))
    return _page(request, done=t("acct_disabled", name=name))


@auth.page(auth.manages_accounts)
async def token(request: Request) -> Response:
    w, t = auth.web(request), translator(lang_of(request))
    name = request.path_params["name"]
    try:
        value = store.new_token(w.db(), name, w.now())
    except store.AccountError as exc:
        return _page(request, 404, error=t(exc.key, **exc.kw))
    store.audit(w.db(), w.now(), request.state.session.user.name, "token_create", name, auth.client_address(request))
    return _page(request, token={"name": name, "value": value})


ROUTES = [
    Route("/accounts", accounts_page, methods=["GET"]),
    Route("/accounts", add, methods=["POST"]),
    Route("/accounts/{name}/disable", disable, methods=["POST"]),
    Route("/accounts/{name}/token", token, methods=["POST"]),
]
