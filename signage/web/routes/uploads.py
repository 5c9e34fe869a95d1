"""tus under ``/api/v1/uploads/`` for tenant logins (session with ``X-CSRF-Token``, or token).

POST creates (after the name, size cap, quota and open-upload cap are checked), HEAD tells the
offset, PATCH appends, DELETE terminates; ``Upload-Expires`` says when an unfinished upload is
swept. The first bytes are looked at: HTML, SVG or text is refused at once, whatever its name.
The last byte hands the file to intake (``portal.run_intake``) in a thread.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.web import auth, portal, rawbody, store
from signage.web.tenantctx import hall_or_none, own_submission, tenant_api
from signage.web.tus import CONTENT_TYPE, EXTENSIONS, VERSION, TusError, http_date, parse_metadata
from signage.web.webi18n import lang_of, translator

SNIFF_BYTES = 512


def _headers(**extra) -> dict:
    return {"Tus-Resumable": VERSION, "Cache-Control": "no-store", **extra}


def _refuse(request: Request, status: int, key: str, **kw) -> Response:
    t = translator(lang_of(request))
    message = t(key, **kw)
    return JSONResponse({"error": key, "message": message}, status_code=status, headers=_headers())


def _version_ok(request: Request) -> bool:
    return request.headers.get("tus-resumable") == VERSION


async def options(request: Request) -> Response:
    return Response(status_code=204, headers=_headers(**{
        "Tus-Version": VERSION, "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(50 * 1024 ** 3)}))


@tenant_api
async def create(request: Request) -> Response:
    w, company, user = auth.web(request), request.state.company, request.state.user
    if not _version_ok(request):
        return _refuse(request, 412, "tus_version")
    raw = request.headers.get("upload-length", "")
    if not raw.isdigit():
        return _refuse(request, 400, "tus_need_length")
    length = int(raw)
    try:
        meta = parse_metadata(request.headers.get("upload-metadata"))
    except TusError as exc:
        return _refuse(request, exc.status, exc.key, **exc.kw)
    problem = portal.name_problem(meta.get("filename", ""))
    if problem:
        return _refuse(request, 400, problem[0], **problem[1])
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return JSONResponse({"error": "config_broken"}, status_code=503, headers=_headers())
    tus = portal.tus_store(w.root)
    await run_in_threadpool(tus.sweep, w.now())
    extra = {}
    if meta.get("portrait_for"):
        target = meta["portrait_for"]
        sub = await run_in_threadpool(own_submission, hall, company.id, int(target) if target.isdigit() else -1)
        if sub is None or sub.status != "pending":
            return _refuse(request, 404, "up_bad_companion", id=target[:12])
        extra["portrait_for"] = sub.id
    if len(tus.open_for(user.name)) >= portal.MAX_OPEN_UPLOADS:
        return _refuse(request, 429, "up_too_many_open", limit=portal.MAX_OPEN_UPLOADS)
    uploads = tus.all()
    use = await run_in_threadpool(portal.usage, hall, company.id, uploads, w.now_in(hall.tz))
    problem = portal.quota_problem(company, use, length, hall.config.promos.max_size_mb)
    if problem:
        return _refuse(request, 413, problem[0], **problem[1])
    if length == 0:
        return _refuse(request, 400, "up_bad_name_empty")
    up = tus.create(user.name, company.id, length, meta, w.now(), extra)
    portal.record_upload(w.db(), up)
    store.audit(w.db(), w.now(), user.name, "upload_start",
                f"{company.id} {meta.get('filename', '')[:80]} {length} B", auth.client_address(request))
    return Response(status_code=201, headers=_headers(
        Location=f"/api/v1/uploads/{up.id}", **{"Upload-Expires": http_date(up.expires())}))


def _mine(request: Request):
    w = auth.web(request)
    return portal.tus_store(w.root).get(request.path_params["uid"], owner=request.state.user.name)


@tenant_api
async def head(request: Request) -> Response:
    up = _mine(request)
    if up is None:
        return Response(status_code=404, headers=_headers())
    return Response(status_code=200, headers=_headers(**{
        "Upload-Offset": str(up.offset), "Upload-Length": str(up.length),
        "Upload-Expires": http_date(up.expires())}))


@tenant_api
async def patch(request: Request) -> Response:
    w = auth.web(request)
    if not _version_ok(request):
        return _refuse(request, 412, "tus_version")
    if request.headers.get("content-type", "").split(";")[0].strip() != CONTENT_TYPE:
        return _refuse(request, 415, "tus_bad_type")
    up = _mine(request)
    if up is None:
        return _refuse(request, 404, "tus_no_upload")
    raw = request.headers.get("upload-offset", "")
    if not raw.isdigit():
        return _refuse(request, 400, "tus_offset_mismatch", have=up.offset, sent=raw[:20])
    tus = portal.tus_store(w.root)

    def inspect(head: bytes) -> None:
        if portal.looks_like_markup(head):
            raise TusError(415, "up_markup")

    body = (request.scope.get("extensions") or {}).get(rawbody.KEY)
    try:
        if body is not None:  # moved by the kernel, socket to file
            up = await tus.append_raw(up, int(raw), body, w.now(), inspect, SNIFF_BYTES)
        else:
            up = await tus.append(up, int(raw), request.stream(), w.now(), inspect, SNIFF_BYTES)
    except TusError as exc:
        if exc.key == "up_markup":
            tus.delete(up.id)
            store.audit(w.db(), w.now(), request.state.user.name, "upload_refused",
                        f"{up.tenant} {up.metadata.get('filename', '')[:80]}: markup", auth.client_address(request))
        return _refuse(request, exc.status, exc.key, **exc.kw)
    if up.done:
        hall = await run_in_threadpool(hall_or_none, request)
        if hall is None:
            return JSONResponse({"error": "config_broken"}, status_code=503, headers=_headers())
        request.app.state.intaker.start(portal.run_intake, w, hall, up)
        store.audit(w.db(), w.now(), request.state.user.name, "upload_done",
                    f"{up.tenant} {up.metadata.get('filename', '')[:80]} {up.length} B", auth.client_address(request))
    return Response(status_code=204, headers=_headers(**{
        "Upload-Offset": str(up.offset), "Upload-Expires": http_date(up.expires())}))


@tenant_api
async def terminate(request: Request) -> Response:
    up = _mine(request)
    if up is None:
        return Response(status_code=404, headers=_headers())
    portal.tus_store(auth.web(request).root).delete(up.id)
    return Response(status_code=204, headers=_headers())


ROUTES = [
    Route("/api/v1/uploads", options, methods=["OPTIONS"]),
    Route("/api/v1/uploads/", options, methods=["OPTIONS"]),
    Route("/api/v1/uploads", create, methods=["POST"]),
    Route("/api/v1/uploads/", create, methods=["POST"]),
    Route("/api/v1/uploads/{uid}", head, methods=["HEAD"]),
    Route("/api/v1/uploads/{uid}", patch, methods=["PATCH"]),
    Route("/api/v1/uploads/{uid}", terminate, methods=["DELETE"]),
]
