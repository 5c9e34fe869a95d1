"""The live powers as JSON under ``/api/v1`` (bearer tokens; see ``openapi_live.py``).

``GET /walls`` (live status), ``GET /walls/{display}/snapshot.png``, ``POST
/walls/{display|all}/{next|prev|black|freeze|logo|resume}``, ``POST|DELETE /notices``,
``POST /walls/{display}/deck`` (multipart), ``POST /sound`` ({muted?, volume?}). Every change is
in the audit log.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.web import auth, decks
from signage.web.liveops import LiveRefused, act, clear_notices, link_of, load_deck, notice, sound
from signage.web.player import PlayerDown, PlayerRefused
from signage.web.walls import shape
from signage.web.webi18n import lang_of, translator


def _refused(request: Request, exc: LiveRefused) -> JSONResponse:
    t = translator(lang_of(request))
    code = exc.key or "player_refused"
    message = t(exc.key, **exc.kw) if exc.key else exc.sentence
    return JSONResponse({"error": code, "message": message}, status_code=exc.status)


def _down(request: Request) -> JSONResponse:
    t = translator(lang_of(request))
    return JSONResponse({"error": "player_down", "message": t("wl_api_player_down")}, status_code=503,
                        headers={"Retry-After": "1"})


@auth.api()
async def walls(request: Request) -> Response:
    link = link_of(request)
    hall = await run_in_threadpool(link.hall)
    try:
        status = await link.status()
    except PlayerDown:
        return _down(request)
    except PlayerRefused as exc:
        return JSONResponse({"error": "player_refused", "message": str(exc)}, status_code=502)
    return JSONResponse(await run_in_threadpool(shape, status, hall, lang_of(request)))


@auth.api()
async def snapshot(request: Request) -> Response:
    link = link_of(request)
    display = request.path_params["display"]
    hall = await run_in_threadpool(link.hall)
    if hall is None or display not in hall.displays:
        return auth.api_error(404, "err_not_found", lang_of(request))
    raw = request.query_params.get("width")
    if raw is not None and (not raw.isdigit() or not 16 <= int(raw) <= 3840):
        return auth.api_error(400, "wl_bad_width", lang_of(request))
    width = int(raw) if raw else hall.displays[display].size[0]
    try:
        png = await link.snapshot(display, width)
    except PlayerDown:
        return _down(request)
    except PlayerRefused as exc:
        return JSONResponse({"error": "no_picture", "message": str(exc)}, status_code=503, headers={"Retry-After": "1"})
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@auth.api()
async def wall_action(request: Request) -> Response:
    display, action = request.path_params["display"], request.path_params["action"]
    try:
        reply = await act(request, request.state.user.name, action, display)
    except LiveRefused as exc:
        return _refused(request, exc)
    return JSONResponse(reply)


async def _body(request: Request) -> dict | None:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@auth.api()
async def post_notice(request: Request) -> Response:
    body = await _body(request)
    if body is None:
        return auth.api_error(400, "api_bad_json", lang_of(request))
    try:
        reply = await notice(request, request.state.user.name, body.get("text"), body.get("style"),
                             body.get("displays", "all"), body.get("for"))
    except LiveRefused as exc:
        return _refused(request, exc)
    return JSONResponse(reply)


@auth.api()
async def delete_notices(request: Request) -> Response:
    wanted = request.query_params.getlist("display") or "all"
    try:
        cleared = await clear_notices(request, request.state.user.name, wanted)
    except LiveRefused as exc:
        return _refused(request, exc)
    return JSONResponse({"ok": True, "displays": cleared})


@auth.api()
async def post_deck(request: Request) -> Response:
    form = await auth.read_form(request, max_files=decks.MAX_PHOTOS + 1, max_fields=20)
    if form is None:
        return auth.api_error(413, "err_too_large", lang_of(request))
    files = [f for key in ("files", "file") for f in form.getlist(key) if isinstance(f, UploadFile)]
    try:
        reply, saved = await load_deck(request, request.state.user.name, request.path_params["display"], files)
    except LiveRefused as exc:
        return _refused(request, exc)
    finally:
        await form.close()
    root = auth.web(request).root
    return JSONResponse({**reply, "saved": str(saved.path.relative_to(root)), "kind": saved.kind,
                         "labels": list(saved.labels)}, status_code=202 if reply.get("state") == "converting" else 200)


@auth.api()
async def post_sound(request: Request) -> Response:
    body = await _body(request)
    if body is None:
        return auth.api_error(400, "api_bad_json", lang_of(request))
    try:
        reply = await sound(request, request.state.user.name, body.get("muted"), body.get("volume"))
    except LiveRefused as exc:
        return _refused(request, exc)
    return JSONResponse(reply)


ROUTES = [
    Route("/api/v1/walls", walls, methods=["GET"]),
    Route("/api/v1/walls/{display}/snapshot.png", snapshot, methods=["GET"]),
    Route("/api/v1/walls/{display}/deck", post_deck, methods=["POST"]),
    Route("/api/v1/walls/{display}/{action}", wall_action, methods=["POST"]),
    Route("/api/v1/notices", post_notice, methods=["POST"]),
    Route("/api/v1/notices", delete_notices, methods=["DELETE"]),
    Route("/api/v1/sound", post_sound, methods=["POST"]),
]
