"""플레이리스트·미디어: playlists (list, edit, create, delete) and the media library (upload, delete)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from signage.web import auth, library, playlistedit, playlistform, store, uploads
from signage.web.desk import parts, wall_labels
from signage.web.events import SaveRefused
from signage.web.playlistdesk import fingerprint, uses_of
from signage.web.render import error_page, render
from signage.web.routes.schedule import _hall_or_page
from signage.web.webi18n import lang_of, translator, worded_in


def use_text(t, use, labels) -> str:
    walls = ", ".join(labels.get(w, w) for w in use.walls)
    if use.source == "fallback":
        return t("pl_use_fallback")
    return t(f"pl_use_{use.source}", name=use.name, walls=walls, when=use.when)


def _choices(hall, files) -> list[tuple[str, str]]:
    """What can be added to a playlist: media files, and folders with images (value ``kind:path``)."""
    out = [(f"{f.kind}:{f.rel}", f"{f.rel}" + (f" ({f.label})" if f.label else "")) for f in files if f.kind]
    folders = sorted({f.folder for f in files if f.kind == "image"})
    out += [(f"folder:{d}/", f"{d}/ (폴더)") for d in folders]
    return out


def _library(request: Request, hall):
    w = auth.web(request)
    return library.listing(hall, parts(w).facts)


@auth.page()
async def media_page(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w = auth.web(request)
    p = parts(w)
    summaries = await run_in_threadpool(lambda: p.playlists.summaries(hall, p.facts))
    files = await run_in_threadpool(_library, request, hall)
    folders: dict[str, list] = {}
    for f in files:
        folders.setdefault(f.folder, []).append(f)
    t = translator(lang_of(request))
    labels = wall_labels(hall, lang_of(request))
    return render(request, "media/index.html", summaries=summaries, folders=folders,
                  uses={s.name: [use_text(t, u, labels) for u in s.uses] for s in summaries},
                  choices=_choices(hall, files), limits=uploads.LIMITS, mb=uploads.MB,
                  notice=_notice(request, t), errors=getattr(request.state, "media_errors", {}))


def _notice(request: Request, t) -> str:
    q = request.query_params
    if q.get("saved"):
        return t("pl_saved")
    if q.get("deleted"):
        return t("pl_deleted", name=q["deleted"])
    if q.get("uploaded"):
        return t("md_uploaded", path=q["uploaded"])
    if q.get("removed"):
        return t("md_deleted", path=q["removed"])
    return ""


def _edit_page(request, hall, name, state, expect, files, status=200):
    t = translator(lang_of(request))
    labels = wall_labels(hall, lang_of(request))
    uses = [use_text(t, u, labels) for u in uses_of(hall).get(name, [])]
    names = library.labels(hall.root)
    return render(request, "media/playlist.html", status=status, name=name, s=state, expect=expect,
                  uses=uses, choices=_choices(hall, files), file_labels=names, fits=playlistedit.FITS)


@auth.page()
async def edit_form(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, name = auth.web(request), request.path_params["name"]
    try:
        text = parts(w).playlists.text(name)
    except KeyError:
        return error_page(request, 404, "err_not_found")
    files = await run_in_threadpool(_library, request, hall)
    state = playlistform.state_of(playlistedit.yamledit.load(text) or {})
    return _edit_page(request, hall, name, state, fingerprint(text), files)


@auth.page()
async def save(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang, name = auth.web(request), lang_of(request), request.path_params["name"]
    t = translator(lang)
    desk = parts(w).playlists
    try:
        text = desk.text(name)
    except KeyError:
        return error_page(request, 404, "err_not_found")
    form = request.state.form
    expect = str(form.get("expect") or "")
    state, op = playlistform.read(form, t)
    files = await run_in_threadpool(_library, request, hall)
    if state.errors:
        return _edit_page(request, hall, name, state, expect, files, status=422)
    new_text = playlistedit.apply(text, playlistform.edit_of(state))
    try:
        await run_in_threadpool(lambda: worded_in(lang, lambda: desk.save(name, new_text, expect or None)))
    except SaveRefused as exc:
        if exc.key:
            state.problems.append(t(exc.key))
        else:
            label = f"{desk.folder().relative_to(w.root).as_posix()}/{name}.yaml"
            state.problems.insert(0, t("pl_refused"))
            playlistform.place_problems(state, exc.problems, new_text, label)
        return _edit_page(request, hall, name, state, expect, files, status=422)
    store.audit(w.db(), w.now(), request.state.session.user.name, "playlist_update", f"{name}: {op}",
                auth.client_address(request))
    return RedirectResponse(f"/media/playlists/{name}?saved=1", status_code=303)


@auth.page()
async def create(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    form = request.state.form
    name = str(form.get("name") or "").strip()
    title = str(form.get("title") or "").strip() or name
    kind, _, path = str(form.get("first") or "").partition(":")
    errors: dict[str, list[str]] = {}
    if not playlistedit.NAME.match(name):
        errors.setdefault("new_name", []).append(t("pl_bad_name"))
    if kind not in ("image", "video", "pdf", "folder") or not path:
        errors.setdefault("new_first", []).append(t("pl_need_item"))
    desk = parts(w).playlists
    if not errors:
        text = playlistedit.new_playlist(title, kind, path)
        try:
            await run_in_threadpool(lambda: worded_in(lang, lambda: desk.save(name, text, None, create=True)))
        except SaveRefused as exc:
            errors.setdefault("new_name", []).extend([t(exc.key)] if exc.key else [str(p) for p in exc.problems])
    if errors:
        request.state.media_errors = errors
        response = await media_page.__wrapped__(request)
        response.status_code = 422
        return response
    store.audit(w.db(), w.now(), request.state.session.user.name, "playlist_create", name, auth.client_address(request))
    return RedirectResponse(f"/media/playlists/{name}?saved=1", status_code=303)


@auth.page()
async def delete(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang, name = auth.web(request), lang_of(request), request.path_params["name"]
    t = translator(lang)
    desk = parts(w).playlists
    try:
        text = desk.text(name)
        await run_in_threadpool(desk.delete, name)
    except KeyError:
        return error_page(request, 404, "err_not_found")
    except SaveRefused as exc:
        state = playlistform.state_of(playlistedit.yamledit.load(text) or {})
        if exc.key == "pl_in_use":
            labels = wall_labels(hall, lang_of(request))
            uses = "; ".join(use_text(t, u, labels) for u in uses_of(hall).get(name, []))
            state.problems.append(t("pl_in_use", uses=uses))
        else:
            state.problems.append(t(exc.key or "pl_gone"))
        files = await run_in_threadpool(_library, request, hall)
        return _edit_page(request, hall, name, state, fingerprint(text), files, status=409)
    store.audit(w.db(), w.now(), request.state.session.user.name, "playlist_delete", name, auth.client_address(request))
    return RedirectResponse(f"/media?deleted={name}", status_code=303)


@auth.page()
async def upload(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    files = [f for f in request.state.form.getlist("file") if isinstance(f, UploadFile) and f.filename]
    errors: list[str] = []
    done: list[str] = []
    if not files:
        errors.append(t("md_need_file"))
    for f in files:
        try:
            rel = await run_in_threadpool(library.upload, w.root, f.file, f.filename, f.size, w.now_in(hall.tz))
        except uploads.UploadRefused as exc:
            errors.append(t(exc.key, **exc.kw))
            continue
        done.append(rel)
        store.audit(w.db(), w.now(), request.state.session.user.name, "media_upload",
                    f"{rel} ← {uploads._label(f.filename)}", auth.client_address(request))
    if errors:
        request.state.media_errors = {"upload": errors}
        response = await media_page.__wrapped__(request)
        response.status_code = 422
        return response
    return RedirectResponse("/media?uploaded=" + quote(", ".join(done)), status_code=303)


@auth.page()
async def delete_file(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    rel = str(request.state.form.get("path") or "")
    try:
        await run_in_threadpool(library.delete, hall, rel)
    except uploads.UploadRefused as exc:
        request.state.media_errors = {f"file:{rel}": [t(exc.key, **exc.kw)]}
        response = await media_page.__wrapped__(request)
        response.status_code = 409 if exc.key == "md_in_use" else 404
        return response
    store.audit(w.db(), w.now(), request.state.session.user.name, "media_delete", rel, auth.client_address(request))
    return RedirectResponse("/media?removed=" + quote(rel), status_code=303)


ROUTES = [
    Route("/media", media_page, methods=["GET"]),
    Route("/media/playlists", create, methods=["POST"]),
    Route("/media/playlists/{name}", edit_form, methods=["GET"]),
    Route("/media/playlists/{name}", save, methods=["POST"]),
    Route("/media/playlists/{name}/delete", delete, methods=["POST"]),
    Route("/media/files", upload, methods=["POST"]),
    Route("/media/files/delete", delete_file, methods=["POST"]),
]
