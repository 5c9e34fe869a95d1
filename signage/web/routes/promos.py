"""홍보 심사: the review queue with contact sheets and facts; approve (conformed in the
background, progress polled by htmx), reject with a reason, withdraw; scan the inbox now."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from signage.intake.names import shown_name
from signage.intake.review import ReviewError
from signage.intake.sandbox import SandboxError
from signage.web import auth
from signage.web.desk import parts, wall_labels
from signage.web.promodesk import ApproveRequest
from signage.web.render import error_page, render
from signage.web.routes.schedule import _hall_or_page
from signage.web.webi18n import lang_of, translator, worded_in

DECIDED_SHOWN = 50


def _page_data(request: Request, hall):
    desk = parts(auth.web(request)).promos
    pending = desk.queue(hall, "pending")
    decided = [s for s in desk.queue(hall, None) if s.status != "pending"][-DECIDED_SHOWN:][::-1]
    return pending, decided, desk.campaigns(hall)


async def _page(request: Request, hall, status: int = 200, errors: dict | None = None, notice: str = "",
                values: dict | None = None) -> Response:
    w = auth.web(request)
    pending, decided, campaigns = await run_in_threadpool(_page_data, request, hall)
    today = w.now_in(hall.tz).date()
    desk = parts(w).promos
    labels = wall_labels(hall, lang_of(request))
    return render(request, "promos/index.html", status=status, pending=pending, decided=decided,
                  campaigns=campaigns, jobs={s.id: desk.job(s.id) for s in pending}, walls=list(hall.displays),
                  labels=labels, shown=shown_name,
                  wall_names=lambda ds: ", ".join(labels.get(d, d) for d in ds), errors=errors or {},
                  notice=notice or _notice(request), values=values or {},
                  default_from=today.isoformat(), default_until=(today + dt.timedelta(days=27)).isoformat())


def _notice(request: Request) -> str:
    t = translator(lang_of(request))
    q = request.query_params
    if q.get("rejected", "").isdigit():
        return t("pr_rejected", id=q["rejected"])
    if q.get("withdrawn", "").isdigit():
        return t("pr_withdrawn", id=q["withdrawn"])
    if q.get("scanned"):
        parts_ = q["scanned"].split(".")
        if len(parts_) == 3 and all(p.isdigit() for p in parts_):
            return t("pr_scanned", new=parts_[0], waiting=parts_[1], refused=parts_[2])
    return ""


@auth.page()
async def promos_page(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    return await _page(request, hall)


@auth.page()
async def scan_now(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w = auth.web(request)
    counts = await run_in_threadpool(parts(w).promos.scan, hall, request.state.session.user.name,
                                     auth.client_address(request))
    return RedirectResponse(f"/promos?scanned={counts['new']}.{counts['waiting']}.{counts['refused']}", status_code=303)


def _sid(request: Request) -> int:
    return int(request.path_params["id"])


@auth.page()
async def approve(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    form = request.state.form
    sid = _sid(request)
    values = {"walls": form.getlist("wall"), "from": str(form.get("from") or ""),
              "until": str(form.get("until") or ""), "per_hour": str(form.get("per_hour") or "")}
    try:
        first = dt.date.fromisoformat(values["from"])
        last = dt.date.fromisoformat(values["until"])
    except ValueError:
        return await _page(request, hall, 422, {sid: t("pr_bad_date")}, values={sid: values})
    try:
        per_hour = int(values["per_hour"])
    except ValueError:
        return await _page(request, hall, 422, {sid: t("pr_bad_per_hour")}, values={sid: values})
    ask = ApproveRequest(sid, [str(x) for x in values["walls"]], first, last, per_hour,
                         request.state.session.user.name, auth.client_address(request))
    desk = parts(w).promos
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: desk.start_approval(hall, ask, lang)))
    if error:
        return await _page(request, hall, 422, {sid: error}, values={sid: values})
    return RedirectResponse(f"/promos#sub-{sid}", status_code=303)


@auth.page()
async def progress(request: Request) -> Response:
    """The progress fragment; it asks again every second while the clip is being conformed."""
    sid = _sid(request)
    job = parts(auth.web(request)).promos.job(sid)
    if job is None:
        return HTMLResponse("")
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    labels = wall_labels(hall, lang_of(request)) if hall else {}
    return render(request, "promos/progress.html", job=job, sid=sid, labels=labels)


@auth.page()
async def sheet_fragment(request: Request) -> Response:
    """The contact sheet as an ``<img>`` once made (in the intake sandbox, off the event loop)."""
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    sid = _sid(request)
    t = translator(lang_of(request))
    try:
        await run_in_threadpool(lambda: worded_in(lang_of(request), lambda: parts(auth.web(request)).promos.sheet(hall, sid)))
    except (ReviewError, SandboxError, OSError) as exc:
        return HTMLResponse(f'<p class="field-error">{_escape(t("pr_sheet_failed", error=str(exc)[-200:]))}</p>')
    return HTMLResponse(f'<img class="sheet" src="/promos/{sid}/sheet.png" alt="{_escape(t("pr_sheet"))} #{sid}">')


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@auth.page()
async def sheet_png(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    from signage.intake.inbox import intake_dir

    path = intake_dir(hall) / "sheets" / f"{_sid(request)}.png"
    if not path.is_file():
        return error_page(request, 404, "err_not_found")
    return FileResponse(path, media_type="image/png")


@auth.page()
async def reject(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    t = translator(lang)
    sid = _sid(request)
    reason = str(request.state.form.get("reason") or "").strip()
    if not reason:
        return await _page(request, hall, 422, {sid: t("pr_need_reason")})
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: parts(w).promos.reject(
        hall, sid, reason, request.state.session.user.name, auth.client_address(request))))
    if error:
        return await _page(request, hall, 422, {sid: error})
    return RedirectResponse(f"/promos?rejected={sid}", status_code=303)


@auth.page()
async def withdraw(request: Request) -> Response:
    hall, broken = await run_in_threadpool(_hall_or_page, request)
    if broken:
        return broken
    w, lang = auth.web(request), lang_of(request)
    sid = _sid(request)
    error = await run_in_threadpool(lambda: worded_in(lang, lambda: parts(w).promos.withdraw(
        hall, sid, request.state.session.user.name, auth.client_address(request))))
    if error:
        return await _page(request, hall, 422, {sid: error})
    return RedirectResponse(f"/promos?withdrawn={sid}", status_code=303)


ROUTES = [
    Route("/promos", promos_page, methods=["GET"]),
    Route("/promos/scan", scan_now, methods=["POST"]),
    Route("/promos/{id:int}/approve", approve, methods=["POST"]),
    Route("/promos/{id:int}/reject", reject, methods=["POST"]),
    Route("/promos/{id:int}/withdraw", withdraw, methods=["POST"]),
    Route("/promos/{id:int}/progress", progress, methods=["GET"]),
    Route("/promos/{id:int}/sheet", sheet_fragment, methods=["GET"]),
    Route("/promos/{id:int}/sheet.png", sheet_png, methods=["GET"]),
]
