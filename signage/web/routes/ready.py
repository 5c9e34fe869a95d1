"""준비·작업: each upcoming event's readiness per wall (checked the day before, an hour before and
on demand), and the periodic jobs with their next run and last result."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from signage.web import auth, readiness, store
from signage.web.desk import parts, wall_labels
from signage.web.render import error_page, render
from signage.web.routes.schedule import _hall_or_page
from signage.web.webi18n import lang_of


def _rows(hall, now):
    stored = readiness.load_results(hall.root)
    rows = []
    for event, start, end in readiness.upcoming(hall, now):
        key = readiness.event_key(event)
        rows.append({"key": key, "name": event.name, "start": start, "end": end, "walls": list(event.displays),
                     "result": stored.get(key)})
    return rows


def _when(value, tz) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


@auth.page()
async def ready_page(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w = auth.web(request)
    board = parts(w).jobs
    rows = await run_in_threadpool(_rows, hall, w.now_in(hall.tz))
    template = "ready/body.html" if request.headers.get("hx-request") else "ready/index.html"
    return render(request, template, rows=rows, jobs=board.listing(), checking=board.running("readiness"),
                  labels=wall_labels(hall, lang_of(request)), when=lambda v: _when(v, hall.tz),
                  sentence=readiness.sentence)


@auth.page()
async def check_now(request: Request) -> Response:
    w = auth.web(request)
    if parts(w).jobs.trigger("readiness", force=True):
        store.audit(w.db(), w.now(), request.state.session.user.name, "ready_check", "", auth.client_address(request))
    return RedirectResponse("/ready", status_code=303)


@auth.page()
async def preview_png(request: Request) -> Response:
    key, wall = request.path_params["key"], request.path_params["wall"]
    if not all(c.isalnum() or c == "-" for c in key) or not wall.isidentifier():
        return error_page(request, 404, "err_not_found")
    path = auth.web(request).root / "var" / "web" / "ready" / key / f"{wall}.png"
    if not path.is_file():
        return error_page(request, 404, "err_not_found")
    return FileResponse(path, media_type="image/png")


ROUTES = [
    Route("/ready", ready_page, methods=["GET"]),
    Route("/ready/check", check_now, methods=["POST"]),
    Route("/ready/{key}/{wall}.png", preview_png, methods=["GET"]),
]
