"""입주기업 포털 (``/t/…``, tenant logins only): promos, the walls' specifications, uploads,
one submission (verdict, facts, frames, mock-ups, airing), withdrawing."""

from __future__ import annotations

import contextlib
import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from signage.intake import companions
from signage.intake.inbox import store_path
from signage.intake.status import write_status
from signage.intake.store import Store, Submission
from signage.web import auth, portal, store
from signage.web.render import error_page, render
from signage.web.tenantctx import hall_or_none, own_submission, own_submissions, tenant_page
from signage.web.webi18n import lang_of, translator


def _broken(request: Request) -> Response:
    return error_page(request, 503, "err_internal")


def _now(request: Request, hall) -> dt.datetime:
    return auth.web(request).now_in(hall.tz)


def _usage(request: Request, hall) -> dict:
    w, company = auth.web(request), request.state.company
    use = portal.usage(hall, company.id, portal.tus_store(w.root).all(), _now(request, hall))
    return {"used_mb": use.used_mb, "storage_mb": company.storage_mb, "month": use.month, "monthly": company.monthly}


def _row(hall, sub: Submission, campaigns: dict, web_ids: set[int], now: dt.datetime) -> dict:
    return {"id": sub.id, "name": sub.filename, "received": sub.received[:16].replace("T", " "),
            "status": portal.status_of(sub, campaigns.get(sub.id), now),
            "via": "web" if sub.id in web_ids else "inbox"}


@tenant_page
async def home(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    company = request.state.company

    def gather():
        subs = own_submissions(hall, company.id)
        campaigns = {c.submission_id: c for c in portal.campaigns_of(hall, company.id)}
        web_ids = portal.web_submissions(auth.web(request).db(), company.id)
        now = _now(request, hall)
        return [_row(hall, s, campaigns, web_ids, now) for s in reversed(subs) if s.status != companions.ATTACHED]

    rows = await run_in_threadpool(gather)
    return render(request, "portal/home.html", rows=rows, company=company, usage=await run_in_threadpool(_usage, request, hall))


def spec_of(hall, lang: str = "ko") -> dict:
    rules = hall.config.promos
    walls = [{"id": d, "label": portal.wall_label(hall, d, lang), "w": s.size[0], "h": s.size[1],
              "portrait": s.size[1] > s.size[0]} for d, s in hall.displays.items()]
    audio = getattr(hall.config, "audio", None)
    return {"walls": walls, "min_s": f"{rules.min_duration:g}", "max_s": f"{rules.max_duration:g}",
            "image_s": f"{rules.image_duration:g}", "min_lines": rules.min_lines, "max_side": rules.max_side,
            "max_mb": f"{rules.max_size_mb:g}", "containers": ", ".join(rules.containers),
            "codecs": ", ".join(rules.codecs), "images": rules.images, "audio": audio,
            "share": f"{rules.max_share * 100:g}", "background": rules.background}


@tenant_page
async def specs(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    return render(request, "portal/specs.html", spec=spec_of(hall, lang_of(request)), company=request.state.company)


@tenant_page
async def upload_page(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    target = None
    raw = request.query_params.get("for", "")
    if raw:
        sub = await run_in_threadpool(own_submission, hall, request.state.company.id, int(raw) if raw.isdigit() else -1)
        if sub is None or sub.status != "pending":
            return error_page(request, 404, "err_not_found")
        target = {"id": sub.id, "name": sub.filename}
    return render(request, "portal/upload.html", spec=spec_of(hall, lang_of(request)), target=target, company=request.state.company,
                  usage=await run_in_threadpool(_usage, request, hall), chunk_bytes=portal.CHUNK_BYTES)


@tenant_page
async def upload_waiting(request: Request) -> Response:
    """After the last byte: the verdict once intake has it (the page polls this)."""
    uid = request.path_params["uid"]
    state = portal.upload_state(auth.web(request).db(), uid, request.state.company.id)
    if state is None:
        return error_page(request, 404, "err_not_found")
    if state["submission_id"]:
        hall = await run_in_threadpool(hall_or_none, request)
        sid = state["submission_id"]
        if hall is not None:
            with Store(store_path(hall)) as st:
                main = companions.main_of(st, sid)
            sid = main or sid
        return RedirectResponse(f"/t/submissions/{sid}", status_code=303)
    t = translator(lang_of(request))
    error = t("sub_check_failed", error=state["error"]) if state["error"] else None
    return render(request, "portal/waiting.html", error=error, uid=uid, company=request.state.company)


def _facts(sub: Submission) -> dict:
    f = sub.facts
    size = f"{f.get('width')}×{f.get('height')}" if f.get("width") else "—"
    length = f"{f['duration_s']:.1f} s" if f.get("duration_s") else "—"
    codec = " / ".join(str(x) for x in (f.get("container"), f.get("codec")) if x) or "—"
    return {"kind": sub.kind or f.get("kind") or "—", "size": size, "length": length, "codec": codec,
            "bytes": f"{(sub.size or 0) / 1e6:.1f} MB"}


def mockups(hall, sub: Submission, portrait: Submission | None, t, lang: str) -> list[dict]:
    out = []
    w, h = sub.facts.get("width") or 0, sub.facts.get("height") or 0
    for d, spec in hall.displays.items():
        size = tuple(spec.size)
        use = portrait if (portrait is not None and companions.portrait(size)) else sub
        cw, ch = (use.facts.get("width") or 0, use.facts.get("height") or 0) if use is not sub else (w, h)
        share = portal.fill(size, (cw, ch))
        pct = round(share * 100)
        label = portal.wall_label(hall, d, lang)
        if share < portal.FILL_WARN:
            shape = t("shape_portrait") if size[1] > size[0] else t("shape_landscape")
            note = t("sub_fill_warn", wall=label, pct=pct, w=size[0], h=size[1], shape=shape)
        else:
            note = t("sub_fill", wall=label, pct=pct)
        out.append({"id": d, "label": label, "w": size[0], "h": size[1], "sid": use.id, "warn": share < portal.FILL_WARN,
                    "note": note, "scale": 200 / max(size)})
    return out


@tenant_page
async def submission(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    company, lang = request.state.company, lang_of(request)
    t = translator(lang)
    sub = await run_in_threadpool(own_submission, hall, company.id, request.path_params["sid"])
    if sub is None:
        return error_page(request, 404, "err_not_found")

    def gather() -> dict:
        with Store(store_path(hall)) as st:
            portrait = companions.portrait_of(st, sub.id)
        campaign = portal.campaign_for(hall, sub.id)
        now = _now(request, hall)
        status = portal.status_of(sub, campaign, now)
        accepted = sub.status not in ("refused",) and sub.original
        view = {"id": sub.id, "name": sub.filename, "status": status, "reasons": [r.text(lang) for r in sub.reasons],
                "facts": _facts(sub), "note": sub.note if sub.status == "rejected" else None,
                "accepted": bool(accepted), "portrait": None, "campaign": None, "airings": [],
                "withdrawable": sub.status in ("pending", "approved") and status != "ended"}
        if portrait is not None:
            view["portrait"] = {"id": portrait.id, "status": portrait.status, "w": portrait.facts.get("width"),
                                "h": portrait.facts.get("height"), "reasons": [r.text(lang) for r in portrait.reasons]}
        if accepted:
            for s in (sub, portrait):
                if s is not None and s.original:
                    with contextlib.suppress(Exception):  # the page shows without the picture
                        portal.poster(hall, s.id)
            usable = portrait if portrait is not None and portrait.status == companions.ATTACHED else None
            view["mockups"] = mockups(hall, sub, usable, t, lang)
        if campaign is not None:
            count, last = portal.aired_so_far(hall, campaign.id, now)
            view["campaign"] = {"walls": ", ".join(portal.wall_label(hall, d, lang) for d in campaign.displays),
                                "first": campaign.first_day, "last": campaign.last_day, "per_hour": campaign.per_hour,
                                "aired": count, "last_aired": last[:19].replace("T", " ") if last else None}
            if status in ("live", "approved"):
                view["airings"] = [{"at": a["at"].strftime("%m-%d %H:%M:%S"), "label": a["label"]}
                                   for a in portal.next_airings(hall, campaign, now, lang)]
        return view

    view = await run_in_threadpool(gather)
    wants_portrait = any(s.size[1] > s.size[0] for s in hall.displays.values())
    return render(request, "portal/submission.html", sub=view, company=company,
                  can_attach=wants_portrait and sub.status == "pending",
                  done=t("sub_withdrawn_done", id=sub.id) if request.query_params.get("withdrawn") else None)


@tenant_page
async def picture(request: Request) -> Response:
    """``poster.png`` (first frame) or ``sheet.png`` (nine frames) of one's own submission."""
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    sub = await run_in_threadpool(own_submission, hall, request.state.company.id, request.path_params["sid"])
    if sub is None or not sub.original or request.path_params["what"] not in ("poster", "sheet"):
        return error_page(request, 404, "err_not_found")
    make = portal.poster if request.path_params["what"] == "poster" else portal.sheet
    try:
        path = await run_in_threadpool(make, hall, sub.id)
    except Exception:  # noqa: BLE001 - a picture that cannot be made is not found
        path = None
    if path is None or not path.is_file():
        return error_page(request, 404, "err_not_found")
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@tenant_page
async def withdraw(request: Request) -> Response:
    from signage.intake import review

    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _broken(request)
    w, company = auth.web(request), request.state.company
    sub = await run_in_threadpool(own_submission, hall, company.id, request.path_params["sid"])
    if sub is None:
        return error_page(request, 404, "err_not_found")
    now = _now(request, hall)

    def act() -> bool:
        with Store(store_path(hall)) as st:
            if sub.status == "approved":
                review.withdraw(hall, st, sub.id, now)
            elif sub.status == "pending":
                st.decide(sub.id, "withdrawn", now)
                folder = hall.asset(hall.config.promos.inbox) / company.id
                if folder.is_dir() and not folder.is_symlink():
                    write_status(folder, company.id, st.submissions(tenant=company.id), now)
            else:
                return False
        return True

    if not await run_in_threadpool(act):
        t = translator(lang_of(request))
        return render(request, "error.html", status=409, title=t("err_bad_request_title"),
                      text=t("sub_cannot_withdraw", id=sub.id, status=t("ts_" + sub.status)))
    store.audit(w.db(), w.now(), request.state.session.user.name, "promo_withdraw",
                f"{company.id} #{sub.id}", auth.client_address(request))
    return RedirectResponse(f"/t/submissions/{sub.id}?withdrawn=1", status_code=303)


async def home_redirect(request: Request) -> Response:
    return RedirectResponse("/t/", status_code=303)


ROUTES = [
    Route("/t", home_redirect, methods=["GET"]),
    Route("/t/", home, methods=["GET"]),
    Route("/t/specs", specs, methods=["GET"]),
    Route("/t/upload", upload_page, methods=["GET"]),
    Route("/t/uploads/{uid}", upload_waiting, methods=["GET"]),
    Route("/t/submissions/{sid:int}", submission, methods=["GET"]),
    Route("/t/submissions/{sid:int}/{what:str}.png", picture, methods=["GET"]),
    Route("/t/submissions/{sid:int}/withdraw", withdraw, methods=["POST"]),
]
