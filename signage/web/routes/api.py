"""The JSON API under ``/api/v1`` (``Authorization: Bearer <token>``; see ``openapi.py``)."""

from __future__ import annotations

import datetime as dt
import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.config.problems import ConfigError
from signage.schedule import Timeline, resolve
from signage.timefmt import parse_local_datetime
from signage.web import auth, store
from signage.web.events import SaveRefused, event_inputs
from signage.web.openapi import document
from signage.web.routes.audit import entries
from signage.web.webi18n import lang_of, translator, worded_in
from signage.web.yamledit import EventInput, WallChoice


def _problems_json(problems) -> list[dict]:
    return [{"file": p.file, "line": p.line, "col": p.col, "message": p.message} for p in problems]


def _hall(request: Request):
    w = auth.web(request)
    return worded_in(lang_of(request), lambda: w.desk.hall())


def _broken(exc: ConfigError) -> JSONResponse:
    return JSONResponse({"error": "config_broken", "problems": _problems_json(exc.problems)}, status_code=503)


@auth.api()
async def timeline(request: Request) -> Response:
    """Exactly ``signage timeline --format json``."""
    t = translator(lang_of(request))
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    tz, q = hall.tz, request.query_params
    try:
        if q.get("from"):
            start = parse_local_datetime(q["from"], tz)
        else:
            now = auth.web(request).now_in(tz)
            start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        end = parse_local_datetime(q["to"], tz) if q.get("to") else start + dt.timedelta(days=1)
    except ValueError:
        return JSONResponse({"error": "bad_time", "message": t("api_bad_time")}, status_code=400)
    if end <= start:
        return JSONResponse({"error": "window_empty", "message": t("api_window_empty")}, status_code=400)
    only = q.getlist("display")
    unknown = [d for d in only if d not in hall.displays]
    if unknown:
        return JSONResponse({"error": "unknown_display", "message": t("api_unknown_display", names=", ".join(unknown))},
                            status_code=400)
    result = resolve(hall.config, start, end)
    if only:
        result = Timeline(result.timezone, result.start, result.end,
                          {d: s for d, s in result.by_display.items() if d in only})
    return JSONResponse(result.to_json())


def _event_json(index: int, event: EventInput) -> dict:
    return {"id": index, **event.to_json()}


@auth.api()
async def list_events(request: Request) -> Response:
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    return JSONResponse({"events": [_event_json(i, e) for i, e in enumerate(event_inputs(hall))]})


@auth.api()
async def get_event(request: Request) -> Response:
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    events = event_inputs(hall)
    index = request.path_params["index"]
    if not 0 <= index < len(events):
        return auth.api_error(404, "err_not_found", lang_of(request))
    return JSONResponse(_event_json(index, events[index]))


def _request_problem(message: str) -> JSONResponse:
    return JSONResponse({"error": "invalid", "problems": [{"file": "request", "line": 1, "col": 1, "message": message}]},
                        status_code=422)


def _parse_event(body, t) -> EventInput | str:
    """The event in a request body, or the sentence saying what is wrong with it."""
    if not isinstance(body, dict):
        return t("api_body_object")
    extra = set(body) - {"id", "name", "start", "end", "displays"}
    if extra:
        return t("api_unknown_fields", names=", ".join(sorted(extra)))
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return t("ev_need_name")
    times = []
    for key in ("start", "end"):
        try:
            times.append(dt.datetime.fromisoformat(str(body.get(key) or "")).replace(tzinfo=None, second=0, microsecond=0))
        except ValueError:
            return t("api_bad_field_time", field=key)
    displays = body.get("displays")
    if not isinstance(displays, dict) or not displays:
        return t("ev_need_wall")
    walls = {}
    for wall, value in displays.items():
        if isinstance(value, str) and value:
            walls[wall] = WallChoice(value)
        elif isinstance(value, dict) and isinstance(value.get("playlist"), str) and value.get("advance", "auto") in ("auto", "manual"):
            walls[wall] = WallChoice(value["playlist"], value.get("advance", "auto"))
        else:
            return t("api_bad_wall", wall=wall)
    return EventInput(name.strip(), times[0], times[1], walls)


async def _save(request: Request, index: int | None) -> Response:
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        return _request_problem(t("api_bad_json"))
    event = _parse_event(body, t)
    if isinstance(event, str):
        return _request_problem(event)
    try:
        plan = await run_in_threadpool(lambda: w.desk.plan(event, index, None))
        await run_in_threadpool(lambda: worded_in(lang, lambda: w.desk.commit(plan)))
    except SaveRefused as exc:
        if exc.key:
            return JSONResponse({"error": exc.key, "message": t(exc.key)}, status_code=409)
        return JSONResponse({"error": "check_failed", "problems": _problems_json(exc.problems)}, status_code=422)
    action = "event_create" if index is None else "event_update"
    store.audit(w.db(), w.now(), request.state.user.name, action,
                f"{event.name} {event.start:%Y-%m-%d %H:%M}–{event.end:%H:%M} (API)", auth.client_address(request))
    return JSONResponse(_event_json(plan.index, event), status_code=201 if index is None else 200)


@auth.api()
async def create_event(request: Request) -> Response:
    return await _save(request, None)


@auth.api()
async def update_event(request: Request) -> Response:
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    index = request.path_params["index"]
    if not 0 <= index < len(hall.config.schedule.events):
        return auth.api_error(404, "err_not_found", lang_of(request))
    return await _save(request, index)


@auth.api()
async def delete_event(request: Request) -> Response:
    w, lang = auth.web(request), lang_of(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    index = request.path_params["index"]
    events = event_inputs(hall)
    if not 0 <= index < len(events):
        return auth.api_error(404, "err_not_found", lang)
    try:
        plan = await run_in_threadpool(lambda: w.desk.plan(None, index, None))
        await run_in_threadpool(lambda: worded_in(lang, lambda: w.desk.commit(plan)))
    except SaveRefused as exc:
        if exc.key:
            return JSONResponse({"error": exc.key, "message": translator(lang)(exc.key)}, status_code=409)
        return JSONResponse({"error": "check_failed", "problems": _problems_json(exc.problems)}, status_code=422)
    store.audit(w.db(), w.now(), request.state.user.name, "event_delete",
                f"{events[index].name} {events[index].start:%Y-%m-%d %H:%M} (API)", auth.client_address(request))
    return Response(status_code=204)


@auth.api()
async def audit(request: Request) -> Response:
    w = auth.web(request)
    q = request.query_params
    try:
        limit = max(1, min(int(q.get("limit", "100")), 1000))
        before = int(q["before"]) if q.get("before") else None
    except ValueError:
        return auth.api_error(400, "api_bad_number", lang_of(request))
    return JSONResponse({"entries": entries(w.db(), request.app.state.tz, limit, before)})


async def openapi(request: Request) -> Response:
    return JSONResponse(document())


ROUTES = [
    Route("/api/v1/openapi.json", openapi, methods=["GET"]),
    Route("/api/v1/timeline", timeline, methods=["GET"]),
    Route("/api/v1/events", list_events, methods=["GET"]),
    Route("/api/v1/events", create_event, methods=["POST"]),
    Route("/api/v1/events/{index:int}", get_event, methods=["GET"]),
    Route("/api/v1/events/{index:int}", update_event, methods=["PUT"]),
    Route("/api/v1/events/{index:int}", delete_event, methods=["DELETE"]),
    Route("/api/v1/audit", audit, methods=["GET"]),
]
