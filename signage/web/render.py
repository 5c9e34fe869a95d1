"""Pages: Jinja2 templates in the request's language, the layout's navigation, error pages.

The navigation is one list, ``NAV``. An entry shows when its page exists (a route with that
path is registered) and the signed-in role may use it; adding a page elsewhere is: a route
module, a template, and its ``NavItem`` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from signage.web import auth, store
from signage.web.webi18n import LANG_COOKIE, lang_of, translator

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # message id
    need: auth.Need = auth.operates


NAV: list[NavItem] = [
    NavItem("/live", "nav_live"),
    NavItem("/schedule", "nav_schedule"),
    NavItem("/media", "nav_media"),
    NavItem("/promos", "nav_promos"),
    NavItem("/reports", "nav_reports"),
    NavItem("/tenants", "nav_tenants"),
    NavItem("/check", "nav_check"),
    NavItem("/ready", "nav_ready"),
    NavItem("/audit", "nav_audit"),
    NavItem("/accounts", "nav_accounts", auth.manages_accounts),
]

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _nav(request: Request, session: store.Session | None) -> list[dict]:
    if session is None:
        return []
    paths = request.app.state.page_paths
    here = request.url.path
    return [
        {"path": item.path, "label": item.label, "here": here == item.path or here.startswith(item.path + "/")}
        for item in NAV
        if item.path in paths and item.need(session.user.role)
    ]


def render(request: Request, template: str, status: int = 200, **context) -> Response:
    lang = lang_of(request)
    session = getattr(request.state, "session", None)
    t = translator(lang)
    other = "en" if lang == "ko" else "ko"
    query = dict(request.query_params)
    query["lang"] = other
    switch = request.url.path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = _env.get_template(template).render(
        t=t, lang=lang, lang_switch=switch, session=session, user=session.user if session else None,
        csrf=session.csrf if session else context.pop("anon_csrf", ""), nav=_nav(request, session),
        hall=getattr(request.app.state, "hall_name", ""), request=request, **context,
    )
    response = HTMLResponse(body, status_code=status)
    if request.query_params.get("lang") in ("ko", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return auth.keep_anon_csrf(request, response)


def error_page(request: Request, status: int, key: str, **kw) -> Response:
    """A page a person can read: what happened and what to do; no codes, no JSON."""
    t = translator(lang_of(request))
    return render(request, "error.html", status=status, title=t(key + "_title"), text=t(key, **kw))
