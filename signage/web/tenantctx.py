"""Who the tenant is, for the portal's pages and API: guards and the company's own objects.

Every lookup of a submission, campaign or upload goes through the caller's company: another
company's id is simply not found (404), exactly like an id that does not exist.
"""

from __future__ import annotations

import functools

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from signage.config.problems import ConfigError
from signage.intake.inbox import store_path
from signage.intake.store import Store, Submission
from signage.web import auth, store, tenants
from signage.web.render import error_page
from signage.web.webi18n import lang_of, worded_in


def is_tenant(role: store.Role) -> bool:
    return role is store.Role.TENANT


def _company(request: Request, user: store.User) -> tenants.Tenant | None:
    return tenants.active(auth.web(request).db(), user)


def tenant_page(endpoint):
    """A portal page: a signed-in tenant login of an active company (else 403 / login)."""

    @auth.page(is_tenant)
    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        company = await run_in_threadpool(_company, request, request.state.session.user)
        if company is None:
            return error_page(request, 403, "err_forbidden")
        request.state.company = company
        return await endpoint(request)

    return guarded


def tenant_api(endpoint):
    """A tenant's API call (token or session): ``request.state.company``; others get 404."""

    @auth.api(is_tenant)
    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        company = await run_in_threadpool(_company, request, request.state.user)
        if company is None:
            return auth.api_error(403, "up_disabled", lang_of(request))
        request.state.company = company
        return await endpoint(request)

    return guarded


def hall_of(request: Request):
    """The hall (raises ConfigError when config.yaml is broken)."""
    w = auth.web(request)
    return worded_in(lang_of(request), lambda: w.desk.hall())


def hall_or_none(request: Request):
    try:
        return hall_of(request)
    except ConfigError:
        return None


def own_submission(hall, tenant: str, sid: int) -> Submission | None:
    path = store_path(hall)
    if not path.exists():
        return None
    with Store(path) as st:
        sub = st.get(sid)
    return sub if sub is not None and sub.tenant == tenant else None


def own_submissions(hall, tenant: str) -> list[Submission]:
    path = store_path(hall)
    if not path.exists():
        return []
    with Store(path) as st:
        return st.submissions(tenant=tenant)
