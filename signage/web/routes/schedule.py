"""일정: the week calendar, and the event form (create, edit, delete, preview before saving)."""

from __future__ import annotations

import datetime as dt
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from signage.config.problems import ConfigError
from signage.web import auth, calendar, eventform, store, uploads
from signage.web.events import SaveRefused, event_inputs, fingerprint
from signage.web.render import error_page, render
from signage.web.webi18n import lang_of, translator, worded_in


def _hall_or_page(request: Request):
    """The hall, or the page that says why it cannot be read (its check problems)."""
    w = auth.web(request)
    try:
        return worded_in(lang_of(request), lambda: w.desk.hall()), None
    except ConfigError as exc:
        return None, render(request, "broken.html", status=503, problems=[str(p) for p in exc.problems])


@auth.page()
async def week_page(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w = auth.web(request)
    now = w.now_in(hall.tz)
    try:
        asked = dt.date.fromisoformat(request.query_params.get("week", ""))
    except ValueError:
        asked = now.date()
    week = calendar.week(hall, calendar.monday_of(asked), now)
    return render(request, "schedule/week.html", week=week, labels={d: hall.label(d) for d in hall.displays},
                  saved=request.query_params.get("saved"))


def _walls_and_playlists(hall):
    return list(hall.displays), sorted(hall.playlists)


def _form(request, hall, state, *, index=None, expect="", draft=None, preview=None, status=200):
    walls, playlists = _walls_and_playlists(hall)
    return render(request, "schedule/event_form.html", status=status, s=state, walls=walls,
                  labels={d: hall.label(d) for d in walls}, playlists=playlists, index=index,
                  expect=expect, draft=draft, preview=preview, limits=uploads.LIMITS, mb=uploads.MB)


@auth.page()
async def new_form(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    try:
        day = dt.date.fromisoformat(request.query_params.get("date", ""))
    except ValueError:
        day = auth.web(request).now_in(hall.tz).date()
    return _form(request, hall, eventform.blank(list(hall.displays), day))


def _index(request: Request, hall) -> int | None:
    try:
        index = int(request.path_params["index"])
    except (KeyError, ValueError):
        return None
    return index if 0 <= index < len(hall.config.schedule.events) else None


@auth.page()
async def edit_form(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    index = _index(request, hall)
    if index is None:
        return error_page(request, 404, "err_no_event")
    event = event_inputs(hall)[index]
    return _form(request, hall, eventform.state_of(event, list(hall.displays)), index=index,
                 expect=fingerprint(event))


def _stage_files(form, state, walls, w, t) -> uploads.Draft | None:
    """New uploads replace a wall's draft files; other walls' files are dropped unless still wanted."""
    draft = uploads.open_draft(w.root, str(form.get("draft") or ""))
    for wall in walls:
        files = [f for f in form.getlist(f"files_{wall}") if isinstance(f, UploadFile) and f.filename]
        if state.modes[wall] != "upload":
            if draft and draft.walls.pop(wall, None):
                _drop_wall_files(draft, wall)
            continue
        if not files:
            continue
        if len(files) > uploads.MAX_FILES_PER_WALL:
            state.error(f"wall_{wall}", t("up_too_many", n=uploads.MAX_FILES_PER_WALL))
            continue
        if draft is None:
            draft = uploads.new_draft(w.root)
        _drop_wall_files(draft, wall)
        staged = []
        try:
            for i, f in enumerate(files, 1):
                staged.append(uploads.stage_upload(f.file, f.filename, f.size, draft.files, f"{wall}-{i:02d}"))
        except uploads.UploadRefused as exc:
            for s in staged:
                (draft.files / s.file).unlink(missing_ok=True)
            staged = []
            state.error(f"wall_{wall}", t(exc.key, **exc.kw))
        draft.walls[wall] = staged
    for wall in walls:
        if state.modes[wall] == "upload" and not (draft and draft.walls.get(wall)) and f"wall_{wall}" not in state.errors:
            state.error(f"wall_{wall}", t("ev_need_files"))
    if draft is not None:
        draft.save_manifest()
    return draft


def _drop_wall_files(draft: uploads.Draft, wall: str) -> None:
    for f in draft.files.glob(f"{wall}-*"):
        f.unlink(missing_ok=True)


@auth.page()
async def save(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    form = request.state.form
    walls = list(hall.displays)
    index = None
    if "index" in request.path_params:
        index = _index(request, hall)
        if index is None:
            return error_page(request, 404, "err_no_event")
    expect = str(form.get("expect") or "") or None
    state = eventform.read(form, walls, t)
    draft = await run_in_threadpool(_stage_files, form, state, walls, w, t)
    draft_id = draft.id if draft else ""
    if state.errors:
        return _form(request, hall, state, index=index, expect=expect or "", draft=draft, status=422)
    event = eventform.event_of(state, walls)
    manual = {wall: state.manual[wall] for wall in walls}
    try:
        plan = await run_in_threadpool(lambda: w.desk.plan(event, index, draft, manual, expect))
        if form.get("action") == "preview":
            preview = await _preview(request, plan, state, event, hall)
            return _form(request, hall, state, index=index, expect=expect or "", draft=draft, preview=preview)
        await run_in_threadpool(lambda: worded_in(lang, lambda: w.desk.commit(plan)))
    except SaveRefused as exc:
        if exc.key:
            state.problems.append(t(exc.key))
        else:
            gen = {wall: f"event-{plan.event_dir.rsplit('/', 1)[-1]}-{wall}" for wall in walls} if plan.event_dir else {}
            eventform.place_problems(state, exc.problems, exc.new_text, plan.index, w.config_path.name, gen)
        return _form(request, hall, state, index=index, expect=expect or "", draft=draft, status=422)
    action = "event_create" if index is None else "event_update"
    detail = f"{event.name} {event.start:%Y-%m-%d %H:%M}–{event.end:%H:%M}"
    if draft_id:
        detail += " +" + ", ".join(f"{wall}: {len(fs)}" for wall, fs in (draft.walls or {}).items() if fs)
    store.audit(w.db(), w.now(), request.state.session.user.name, action, detail, auth.client_address(request))
    monday = calendar.monday_of(event.start.date())
    return RedirectResponse(f"/schedule?week={monday.isoformat()}&saved=1", status_code=303)


async def _preview(request, plan, state, event, hall) -> dict:
    """Render the walls at the chosen moment of the event in a child process; PNG URLs back."""
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    problems = await run_in_threadpool(lambda: worded_in(lang, lambda: w.desk.check(plan)))
    if problems:
        raise SaveRefused(problems, new_text=plan.text)
    clock = eventform._clock(state.preview_at) or event.start.time()
    at = dt.datetime.combine(event.start.date(), clock)
    if not event.start <= at < event.end:  # an event past midnight: the time may be on its second day
        at = dt.datetime.combine(event.end.date(), clock)
    if not event.start <= at < event.end:
        at = event.start
    state.preview_at = at.strftime("%H:%M")
    uploads.sweep(w.var / "previews", w.now())
    pid = secrets.token_hex(8)
    out = w.var / "previews" / pid
    try:
        report = await run_in_threadpool(lambda: w.desk.preview(plan, at.strftime("%Y-%m-%d %H:%M"), out))
    except Exception as exc:  # noqa: BLE001 - a preview that fails is said, the form stays
        state.problems.append(t("ev_preview_failed", error=str(exc)[-300:]))
        return {}
    walls = {}
    for wall, entry in report.get("displays", {}).items():
        item = entry.get("item") or {}
        walls[wall] = {"png": f"/schedule/previews/{pid}/{wall}.png", "playlist": entry.get("playlist"),
                       "source": entry.get("source"), "item": item.get("path") or item.get("type") or ""}
    return {"at": at.strftime("%Y-%m-%d %H:%M"), "walls": walls}


@auth.page()
async def delete(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    index = _index(request, hall)
    if index is None:
        return error_page(request, 404, "err_no_event")
    event = event_inputs(hall)[index]
    expect = str(request.state.form.get("expect") or "") or None
    try:
        plan = await run_in_threadpool(lambda: w.desk.plan(None, index, None, None, expect))
        await run_in_threadpool(lambda: worded_in(lang, lambda: w.desk.commit(plan)))
    except SaveRefused as exc:
        t = translator(lang)
        state = eventform.state_of(event, list(hall.displays))
        state.problems.extend([t(exc.key)] if exc.key else [str(p) for p in exc.problems])
        return _form(request, hall, state, index=index, expect=fingerprint(event), status=422)
    store.audit(w.db(), w.now(), request.state.session.user.name, "event_delete",
                f"{event.name} {event.start:%Y-%m-%d %H:%M}", auth.client_address(request))
    monday = calendar.monday_of(event.start.date())
    return RedirectResponse(f"/schedule?week={monday.isoformat()}&saved=1", status_code=303)


@auth.page()
async def preview_png(request: Request) -> Response:
    pid, wall = request.path_params["pid"], request.path_params["wall"]
    w = auth.web(request)
    if not (len(pid) == 16 and all(c in "0123456789abcdef" for c in pid)) or not wall.isidentifier():
        return error_page(request, 404, "err_not_found")
    path = w.var / "previews" / pid / f"{wall}.png"
    if not path.is_file():
        return error_page(request, 404, "err_not_found")
    return FileResponse(path, media_type="image/png")


ROUTES = [
    Route("/schedule", week_page, methods=["GET"]),
    Route("/schedule/events/new", new_form, methods=["GET"]),
    Route("/schedule/events", save, methods=["POST"]),
    Route("/schedule/events/{index:int}", edit_form, methods=["GET"]),
    Route("/schedule/events/{index:int}", save, methods=["POST"]),
    Route("/schedule/events/{index:int}/delete", delete, methods=["POST"]),
    Route("/schedule/previews/{pid}/{wall}.png", preview_png, methods=["GET"]),
]
