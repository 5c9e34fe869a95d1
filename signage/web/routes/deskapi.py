"""The JSON API of playlists, media and the promo review queue (``/api/v1``; see ``openapi.py``)."""

from __future__ import annotations

import datetime as dt
import json

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.config.problems import ConfigError
from signage.web import auth, library, playlistedit, store, uploads
from signage.web.desk import parts
from signage.web.events import SaveRefused
from signage.web.playlistdesk import fingerprint, uses_of
from signage.web.promodesk import ApproveRequest
from signage.web.routes.api import _broken, _hall, _problems_json, _request_problem
from signage.web.webi18n import lang_of, translator, worded_in


def _refused(exc: SaveRefused, t) -> JSONResponse:
    if exc.key:
        return JSONResponse({"error": exc.key, "message": t(exc.key)}, status_code=409)
    return JSONResponse({"error": "check_failed", "problems": _problems_json(exc.problems)}, status_code=422)


async def _body(request: Request):
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        return ValueError


# playlists ----------------------------------------------------------------------------------------

def _playlist_json(w, hall, name: str) -> dict:
    desk = parts(w).playlists
    text = desk.text(name)
    raw = playlistedit.plain(playlistedit.yamledit.load(text) or {})
    return {"id": name, **raw, "version": fingerprint(text),
            "used_in": [u.to_json() for u in uses_of(hall).get(name, [])]}


@auth.api()
async def list_playlists(request: Request) -> Response:
    w = auth.web(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    p = parts(w)
    rows = await run_in_threadpool(lambda: p.playlists.summaries(hall, p.facts))
    return JSONResponse({"playlists": [{"id": s.name, "name": s.title, "items": s.items, "length_s": s.length_s,
                                        "accepts_promos": s.accepts_promos, "used_in": [u.to_json() for u in s.uses]}
                                       for s in rows]})


@auth.api()
async def get_playlist(request: Request) -> Response:
    w = auth.web(request)
    try:
        hall = await run_in_threadpool(_hall, request)
        return JSONResponse(await run_in_threadpool(_playlist_json, w, hall, request.path_params["name"]))
    except ConfigError as exc:
        return _broken(exc)
    except KeyError:
        return auth.api_error(404, "err_not_found", lang_of(request))


@auth.api()
async def put_playlist(request: Request) -> Response:
    """Replace a playlist (``items`` in full); create it when it does not exist."""
    w, lang, name = auth.web(request), lang_of(request), request.path_params["name"]
    t = translator(lang)
    if not playlistedit.NAME.match(name):
        return _request_problem(t("pl_bad_name"))
    body = await _body(request)
    if body is ValueError:
        return _request_problem(t("api_bad_json"))
    if not isinstance(body, dict):
        return _request_problem(t("api_body_object"))
    expect = request.headers.get("if-match") or body.pop("version", None)
    body.pop("id", None)
    body.pop("used_in", None)
    desk = parts(w).playlists
    try:
        old_text = desk.text(name)
    except KeyError:
        old_text = ""
    try:
        old = playlistedit.yamledit.load(old_text) if old_text else {}
        edit = playlistedit.edit_from_json(old or {}, body)
    except ValueError as exc:
        return _request_problem(t("api_bad_playlist", detail=str(exc)))
    new_text = playlistedit.apply(old_text, edit)
    expect = expect if isinstance(expect, str) else None
    try:
        await run_in_threadpool(lambda: worded_in(lang, lambda: desk.save(name, new_text, expect, create=not old_text)))
    except SaveRefused as exc:
        return _refused(exc, t)
    store.audit(w.db(), w.now(), request.state.user.name, "playlist_update" if old_text else "playlist_create",
                f"{name} (API)", auth.client_address(request))
    hall = await run_in_threadpool(_hall, request)
    return JSONResponse(await run_in_threadpool(_playlist_json, w, hall, name), status_code=200 if old_text else 201)


# media --------------------------------------------------------------------------------------------

@auth.api()
async def list_media(request: Request) -> Response:
    w = auth.web(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    files = await run_in_threadpool(library.listing, hall, parts(w).facts)
    return JSONResponse({"media": [f.to_json() for f in files]})


@auth.api()
async def upload_media(request: Request) -> Response:
    """``multipart/form-data`` with one or more ``file`` parts; all are checked, each is kept or refused."""
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    form = await auth.read_form(request)
    if form is None:
        return auth.api_error(413, "err_too_large", lang)
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return _request_problem(t("md_need_file"))
    made, refused = [], []
    for f in files:
        try:
            rel = await run_in_threadpool(library.upload, w.root, f.file, f.filename, f.size, w.now_in(hall.tz))
        except uploads.UploadRefused as exc:
            refused.append({"label": exc.kw.get("label", ""), "error": exc.key, "message": t(exc.key, **exc.kw)})
            continue
        made.append({"path": rel, "label": uploads._label(f.filename)})
        store.audit(w.db(), w.now(), request.state.user.name, "media_upload",
                    f"{rel} ← {uploads._label(f.filename)} (API)", auth.client_address(request))
    status = 201 if made and not refused else (207 if made else 422)
    return JSONResponse({"uploaded": made, "refused": refused}, status_code=status)


# the review queue ---------------------------------------------------------------------------------

@auth.api()
async def review_queue(request: Request) -> Response:
    w = auth.web(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    status = request.query_params.get("status") or "pending"
    desk = parts(w).promos
    rows = await run_in_threadpool(desk.queue, hall, None if status == "all" else status)
    return JSONResponse({"submissions": [desk.to_json(hall, s, lang_of(request)) for s in rows]})


@auth.api()
async def review_one(request: Request) -> Response:
    w = auth.web(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    desk = parts(w).promos
    sub = await run_in_threadpool(desk.get, hall, request.path_params["id"])
    if sub is None:
        return auth.api_error(404, "err_not_found", lang_of(request))
    return JSONResponse(desk.to_json(hall, sub, lang_of(request)))


@auth.api()
async def review_approve(request: Request) -> Response:
    """Starts conforming in the background; 202 with the job. Poll ``GET /review/{id}`` (``job``)."""
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    body = await _body(request)
    if not isinstance(body, dict):
        return _request_problem(t("api_body_object"))
    desk = parts(w).promos
    today = w.now_in(hall.tz).date()
    displays = body.get("displays")
    if isinstance(displays, str):
        displays = [d.strip() for d in displays.split(",") if d.strip()]
    try:
        first = dt.date.fromisoformat(str(body.get("from") or today))
        last = dt.date.fromisoformat(str(body.get("until") or (first + dt.timedelta(days=27))))
        per_hour = int(body.get("per_hour", 2))
    except (TypeError, ValueError):
        return _request_problem(t("pr_bad_date"))
    ask = ApproveRequest(request.path_params["id"], list(displays or []), first, last, per_hour,
                         request.state.user.name, auth.client_address(request))
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: desk.start_approval(hall, ask, lang)))
    if error:
        return JSONResponse({"error": "refused", "message": error}, status_code=422)
    sub = await run_in_threadpool(desk.get, hall, ask.sid)
    return JSONResponse(desk.to_json(hall, sub, lang), status_code=202)


@auth.api()
async def review_reject(request: Request) -> Response:
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    body = await _body(request)
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str) or not reason.strip():
        return _request_problem(t("pr_need_reason"))
    desk = parts(w).promos
    sid = request.path_params["id"]
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: desk.reject(
        hall, sid, reason, request.state.user.name, auth.client_address(request))))
    if error:
        return JSONResponse({"error": "refused", "message": error}, status_code=422)
    sub = await run_in_threadpool(desk.get, hall, sid)
    return JSONResponse(desk.to_json(hall, sub, lang))


@auth.api()
async def review_withdraw(request: Request) -> Response:
    w, lang = auth.web(request), lang_of(request)
    try:
        hall = await run_in_threadpool(_hall, request)
    except ConfigError as exc:
        return _broken(exc)
    desk = parts(w).promos
    sid = request.path_params["id"]
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: desk.withdraw(
        hall, sid, request.state.user.name, auth.client_address(request))))
    if error:
        return JSONResponse({"error": "refused", "message": error}, status_code=422)
    sub = await run_in_threadpool(desk.get, hall, sid)
    return JSONResponse(desk.to_json(hall, sub, lang))


ROUTES = [
    Route("/api/v1/playlists", list_playlists, methods=["GET"]),
    Route("/api/v1/playlists/{name}", get_playlist, methods=["GET"]),
    Route("/api/v1/playlists/{name}", put_playlist, methods=["PUT"]),
    Route("/api/v1/media", list_media, methods=["GET"]),
    Route("/api/v1/media", upload_media, methods=["POST"]),
    Route("/api/v1/review", review_queue, methods=["GET"]),
    Route("/api/v1/review/{id:int}", review_one, methods=["GET"]),
    Route("/api/v1/review/{id:int}/approve", review_approve, methods=["POST"]),
    Route("/api/v1/review/{id:int}/reject", review_reject, methods=["POST"]),
    Route("/api/v1/review/{id:int}/withdraw", review_withdraw, methods=["POST"]),
]
