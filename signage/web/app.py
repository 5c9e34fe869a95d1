"""The app factory: ``create_app(config_path)`` → a Starlette app (pages, static files, API)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from signage.web import desk, rawbody, spool, uploads
from signage.web.context import Web
from signage.web.portal import Intaker, tus_store
from signage.web.render import error_page
from signage.web.routes import (
    accounts,
    api,
    audit,
    check,
    deskapi,
    live,
    liveapi,
    login,
    media,
    promos,
    ready,
    reports,
    schedule,
    tenantapi,
    tenants,
)
from signage.web.routes import portal as portal_pages
from signage.web.routes import uploads as tus_uploads

AREAS = [login, schedule, check, audit, accounts, api, live, liveapi, media, promos, ready, deskapi]  # each module's ROUTES
AREAS += [tenants, portal_pages, tus_uploads, tenantapi, reports]  # the tenant portal, its API, reports
STATIC = Path(__file__).parent / "static"


def _hall_facts(config_path: Path) -> tuple[str, ZoneInfo]:
    """The hall's name and zone for the layout, read leniently (a broken file is the check page's news)."""
    from signage.web import yamledit

    try:
        doc = yamledit.load(config_path.read_text(encoding="utf-8"))
        return str(doc.get("hall") or ""), ZoneInfo(str(doc.get("timezone") or "Asia/Seoul"))
    except Exception:  # noqa: BLE001
        return "", ZoneInfo("Asia/Seoul")


def create_app(config_path: str | Path, *, clock: Callable[[], float] = time.time, bind: str = "127.0.0.1",
               jobs: bool = False) -> Starlette:
    """``jobs``: run the periodic jobs (readiness, inbox scan, upkeep) while the app lives."""
    w = Web(Path(config_path), clock=clock, bind=bind)
    routes = [r for area in AREAS for r in area.ROUTES]
    routes.append(Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "http", "status": exc.status_code}, status_code=exc.status_code)
        key = {404: "err_not_found", 405: "err_not_found"}.get(exc.status_code, "err_bad_request")
        return error_page(request, exc.status_code, key)

    async def server_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "internal"}, status_code=500)
        return error_page(request, 500, "err_internal")

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error},
                    lifespan=desk.lifespan(w, jobs), middleware=[Middleware(rawbody.GiveBack)])
    app.state.web = w
    app.state.hall_name, app.state.tz = _hall_facts(w.config_path)
    app.state.page_paths = {getattr(r, "path", "") for r in routes}
    uploads.sweep(uploads.drafts_dir(w.root), clock())
    app.state.intaker = Intaker()
    tus_store(w.root).sweep(clock())
    spool.sweep(spool.spool_dir(w.root), clock())
    return app
